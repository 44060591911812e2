// The API key: `pictor login` keeps it in the desktop keyring when one is reachable, else in a
// 0600 config file, and says which; environment variables win over it; a canary key never
// shows up on stdout, stderr, --verbose traces, history sidecars, or any file but the chosen one.
#include "fault_fixture.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace pictor_test {
namespace {

class ApiKeySafety : public FaultTest {
protected:
    // `pictor login` with the key on stdin: the key is never an argument (ps shows those).
    ProcessResult login(const std::vector<std::string> &options = {}, const std::vector<std::string> &extra = {}) {
        write_file(dir_ + "/key-input", key_ + "\n");
        std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" login \"$@\" < \"$KEY_INPUT\"", PICTOR_CLI_PATH};
        argv.insert(argv.end(), options.begin(), options.end());
        std::vector<std::string> env = cli_environment(false, extra);
        env.push_back("KEY_INPUT=" + dir_ + "/key-input");
        ProcessResult result = run_process(argv, env, 60);
        EXPECT_EQ(result.out.find(key_), std::string::npos);
        EXPECT_EQ(result.err.find(key_), std::string::npos);
        return result;
    }

    std::string config_path() const { return dir_ + "/config/pictor/config.json"; }

    // Files holding the key, other than the key's input file.
    std::vector<std::string> files_with_key() const {
        std::vector<std::string> found;
        for (const auto &[path, content] : files_below(dir_))
            if (content.find(key_) != std::string::npos && path != dir_ + "/key-input") found.push_back(path);
        return found;
    }
};

TEST_F(ApiKeySafety, LoginWithoutAKeyringWritesA0600ConfigFileAndSaysSo) {
    ProcessResult r = login();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(config_path()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("mode 0600"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("no desktop keyring"), std::string::npos) << "says why not the keyring: " << r.out;
    struct stat info {};
    ASSERT_EQ(stat(config_path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(nlohmann::json::parse(read_file(config_path()))["api_key"], key_);
    EXPECT_EQ(files_with_key(), std::vector<std::string>{config_path()}) << "the one file chosen, nothing else";

    // Other settings in the file survive a second login; --keyring without one refuses.
    write_file(config_path(), R"({"profile": "apiyi", "api_key": "sk-old"})");
    ASSERT_EQ(login().exit_code, 0);
    nlohmann::json config = nlohmann::json::parse(read_file(config_path()));
    EXPECT_EQ(config["profile"], "apiyi");
    EXPECT_EQ(config["api_key"], key_);
    ProcessResult demanded = login({"--keyring"});
    EXPECT_NE(demanded.exit_code, 0);
    EXPECT_NE(demanded.err.find("keyring is not reachable"), std::string::npos) << demanded.err;
}

TEST_F(ApiKeySafety, TheStoredKeyIsUsedAndEnvironmentVariablesWin) {
    ASSERT_EQ(login().exit_code, 0);
    ProcessResult stored = pictor_cli({"generate", "stored key", "-o", dir_ + "/a.png", "--profile", "openai",
                                       "--base-url", mock().base_url("openai")},
                                      false);
    ASSERT_EQ(stored.exit_code, 0) << stored.err;
    ASSERT_EQ(mock().api_requests().size(), 1u);
    EXPECT_EQ(mock().api_requests()[0]["authorization"], "Bearer " + key_);

    for (const char *variable : {"PICTOR_API_KEY", "OPENAI_API_KEY"}) {
        mock().reset();
        std::string other = std::string("sk-from-") + variable;
        ProcessResult env = pictor_cli({"generate", "env key", "-o", dir_ + "/b.png", "--profile", "openai",
                                        "--base-url", mock().base_url("openai")},
                                       false, {std::string(variable) + "=" + other});
        ASSERT_EQ(env.exit_code, 0) << env.err;
        EXPECT_EQ(mock().api_requests()[0]["authorization"], "Bearer " + other) << variable << " wins";
    }
    ProcessResult note = login({}, {"PICTOR_API_KEY=sk-elsewhere"});
    EXPECT_NE(note.out.find("PICTOR_API_KEY is set"), std::string::npos) << note.out;
}

TEST_F(ApiKeySafety, ACanaryKeyNeverAppearsInOutputTracesOrHistory) {
    // Success with --verbose and --json, a refusal that echoes the key back, a dropped answer.
    ProcessResult ok = pictor_cli({"generate", "canary", "-o", dir_ + "/ok.png", "--verbose", "--json",
                                   "--profile", "openai", "--base-url", mock().base_url("openai")});
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.err.find("[redacted]"), std::string::npos) << "the trace shows where the key went: " << ok.err;
    EXPECT_NE(ok.err.find("trace"), std::string::npos);
    ProcessResult echoed = pictor_cli({"generate", "canary", "-o", dir_ + "/no.png", "--verbose", "--json",
                                       "--profile", "openai", "--base-url",
                                       mock().base_url("openai", "status=401,message=Incorrect%20API%20key%20provided:%20" + key_)});
    EXPECT_EQ(echoed.exit_code, 1);
    EXPECT_NE(echoed.out.find("[redacted]"), std::string::npos) << echoed.out;
    ProcessResult dropped = pictor_cli({"generate", "canary", "-o", dir_ + "/no.png", "--verbose",
                                        "--profile", "openai", "--base-url", mock().base_url("openai", "drop=body")});
    EXPECT_EQ(dropped.exit_code, 1);
    // pictor_cli checked stdout and stderr of each; now every file on disk, sidecars included.
    ASSERT_FALSE(history_files().empty());
    EXPECT_TRUE(files_with_key().empty()) << files_with_key()[0];
}

TEST_F(ApiKeySafety, LoginUsesAPrivateDesktopKeyringWhenOneIsReachable) {
    if (access("/usr/bin/dbus-run-session", X_OK) != 0 || access("/usr/bin/gnome-keyring-daemon", X_OK) != 0) {
        const char *ci = std::getenv("CI");
        // CI installs them (dist/install-build-deps.sh): there, their absence is a failure.
        if (ci && std::string(ci) == "true")
            FAIL() << "dbus-run-session or gnome-keyring-daemon is missing (packages dbus, gnome-keyring)";
        GTEST_SKIP() << "needs dbus-run-session and gnome-keyring-daemon (packages dbus, gnome-keyring)";
    }
    write_file(dir_ + "/key-input", key_ + "\n");
    std::filesystem::create_directories(dir_ + "/home");
    // A private session bus and an unlocked keyring in the test's own HOME, gone with the bus.
    // The bus has no service folders: otherwise a libsecret call made before the daemon below
    // owns its name D-Bus-activates a second, locked daemon without the login keyring (what
    // one CI run's output points to). So the script waits, activating nothing, until the name
    // is owned and the default alias names a collection.
    write_file(dir_ + "/session-bus.conf",
               "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
               " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
               "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen><auth>EXTERNAL</auth>\n"
               "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
               "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
    const char *script =
        "printf keyring-password | gnome-keyring-daemon --unlock --components=secrets >\"$DAEMON_LOG\" 2>&1 || exit 90\n"
        "tries=0\n"
        "until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "
        "org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' &&\n"
        "      dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets "
        "org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null | grep -q '/collection/'; do\n"
        "  tries=$((tries + 1)); [ $tries -le 100 ] || exit 92; sleep 0.1\n"
        "done\n"
        "\"$0\" login < \"$KEY_INPUT\" || exit 91\n"
        "exec \"$0\" generate 'from the keyring' -o \"$OUT\" --profile openai --base-url \"$URL\"\n";
    std::vector<std::string> env = cli_environment(false, {"KEY_INPUT=" + dir_ + "/key-input",
                                                           "OUT=" + dir_ + "/keyring.png",
                                                           "DAEMON_LOG=" + dir_ + "/keyring-daemon.log",
                                                           "URL=" + mock().base_url("openai")});
    ProcessResult r = run_process({"/usr/bin/dbus-run-session", "--config-file=" + dir_ + "/session-bus.conf", "--",
                                   "/bin/sh", "-c", script, PICTOR_CLI_PATH},
                                  env, 60);
    EXPECT_EQ(r.out.find(key_), std::string::npos);
    EXPECT_EQ(r.err.find(key_), std::string::npos);
    std::string daemon_log = std::filesystem::exists(dir_ + "/keyring-daemon.log") ? read_file(dir_ + "/keyring-daemon.log") : "";
    // Both are this machine's keyring daemon failing before pictor runs, not pictor's doing.
    if (r.exit_code == 90) GTEST_SKIP() << "gnome-keyring-daemon does not start here: " << daemon_log << r.err;
    if (r.exit_code == 92)
        GTEST_SKIP() << "gnome-keyring-daemon started but never served its login keyring within 10 s: "
                     << daemon_log << r.err;
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("stored in the desktop keyring"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(config_path())) << "no plain copy";
    ASSERT_EQ(mock().api_requests().size(), 1u);
    EXPECT_EQ(mock().api_requests()[0]["authorization"], "Bearer " + key_) << "read back from the keyring";
    EXPECT_TRUE(files_with_key().empty()) << "the keyring file holds it encrypted only: " << files_with_key()[0];
}

} // namespace
} // namespace pictor_test
