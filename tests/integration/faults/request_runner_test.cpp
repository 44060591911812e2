// A paid request outlives the pictor that started it: killed, its terminal closed or Ctrl-C'd,
// pictor leaves the request to pictor-request-runner, whose image lands in history marked not
// yet delivered, and `pictor history deliver` writes it. The key never shows in the runner's
// command line or environment, and no runner outlives its request's timeout.
#include "fault_fixture.hpp"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace pictor_test {
namespace {

using RequestRunner = FaultTest;

// The runners of this test: processes running the build's runner whose environment names the
// test's own history folder.
std::vector<pid_t> runners_of(const std::string &history_dir) {
    std::vector<pid_t> found;
    DIR *proc = opendir("/proc");
    if (!proc) return found;
    while (dirent *e = readdir(proc)) {
        const pid_t pid = pid_t(std::atoi(e->d_name));
        if (pid <= 0) continue;
        char exe[4096];
        const std::string base = std::string("/proc/") + e->d_name;
        ssize_t n = readlink((base + "/exe").c_str(), exe, sizeof exe - 1);
        if (n <= 0) continue;
        exe[n] = '\0';
        if (std::string(exe) != PICTOR_RUNNER_PATH) continue;
        const std::string stat = read_file(base + "/stat");
        const size_t paren = stat.rfind(')');
        if (paren != std::string::npos && stat.compare(paren + 2, 1, "Z") == 0) continue; // exited
        if (read_file(base + "/environ").find("PICTOR_HISTORY_DIR=" + history_dir + '\0') == std::string::npos)
            continue;
        found.push_back(pid);
    }
    closedir(proc);
    return found;
}

// pictor_history_list's entries, read through the ABI.
nlohmann::json history_entries(const std::string &dir) {
    char *raw = nullptr;
    EXPECT_EQ(pictor_history_list(dir.c_str(), &raw), PICTOR_OK);
    nlohmann::json list = nlohmann::json::parse(raw ? raw : "[]");
    pictor_free(raw);
    return list;
}

// Waits up to `seconds` for an undelivered entry; returns it, or null.
nlohmann::json wait_for_undelivered(const std::string &dir, double seconds) {
    const double deadline = now_seconds() + seconds;
    while (now_seconds() < deadline) {
        for (const auto &entry : history_entries(dir))
            if (entry.value("delivered", true) == false) return entry;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return nullptr;
}

class RequestRunnerSignals : public RequestRunner, public ::testing::WithParamInterface<int> {};

// The route takes 6 s; pictor is stopped 1 s after the request reached it.
TEST_P(RequestRunnerSignals, ThePaidImageLandsInHistoryNotYetDeliveredAndDeliverWritesIt) {
    const int signal_number = GetParam();
    ChildProcess child({PICTOR_CLI_PATH, "generate", "a slow cat", "-o", dir_ + "/cat.png", "--base-url",
                        mock().base_url("openai", "delay=6")},
                       cli_environment(true, {}));
    const double deadline = now_seconds() + 10;
    while (mock().api_requests().empty() && now_seconds() < deadline) child.pump(0.05);
    ASSERT_FALSE(mock().api_requests().empty()) << "the request never reached the mock";
    child.pump(1.0);
    const std::vector<pid_t> runners = runners_of(history_dir_);
    ASSERT_EQ(runners.size(), 1u) << "one runner holds the request";
    // The key reached the runner through a pipe: not its command line, not its environment.
    for (const char *file : {"cmdline", "environ"})
        EXPECT_EQ(read_file("/proc/" + std::to_string(runners[0]) + "/" + file).find(key_), std::string::npos)
            << file;

    child.send_signal(signal_number);
    ProcessResult r = child.wait(10);
    EXPECT_LT(r.seconds, 4.0) << "pictor stops waiting at once: " << r.err;
    if (signal_number != SIGKILL) {
        EXPECT_NE(r.err.find("history"), std::string::npos) << "says where the image will be: " << r.err;
        EXPECT_EQ(r.err.find(key_), std::string::npos);
    }
    EXPECT_TRUE(history_entries(history_dir_).empty()) << "the answer is not there yet";

    nlohmann::json entry = wait_for_undelivered(history_dir_, 15);
    ASSERT_FALSE(entry.is_null()) << "the image reached history, marked not yet delivered";
    const std::string served = read_file(entry["image_path"].get<std::string>());
    EXPECT_EQ(served.substr(1, 3), "PNG");

    ProcessResult list = pictor_cli({"history", "list"});
    EXPECT_NE(list.out.find(entry["id"].get<std::string>()), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("\tnot yet delivered"), std::string::npos) << list.out;

    ProcessResult deliver = pictor_cli({"history", "deliver", entry["id"], "-o", dir_ + "/delivered.png"});
    EXPECT_EQ(deliver.exit_code, 0) << deliver.err;
    EXPECT_EQ(read_file(dir_ + "/delivered.png"), served);
    EXPECT_EQ(history_entries(history_dir_)[0].value("delivered", false), true) << "delivered now";
    ProcessResult after = pictor_cli({"history", "list"});
    EXPECT_EQ(after.out.find("not yet delivered"), std::string::npos) << after.out;

    const double gone_by = now_seconds() + 40; // the runner waits up to 30 s for a receipt
    while (!runners_of(history_dir_).empty() && now_seconds() < gone_by)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(runners_of(history_dir_).empty()) << "the runner exits once its request is done";
}

INSTANTIATE_TEST_SUITE_P(Stops, RequestRunnerSignals, ::testing::Values(SIGKILL, SIGHUP, SIGINT),
                         [](const ::testing::TestParamInfo<int> &info) {
                             return std::string(info.param == SIGKILL ? "Kill9" : info.param == SIGHUP ? "Hangup"
                                                                                                       : "CtrlC");
                         });

TEST_F(RequestRunner, AbandonOnCancelStopsTheRequestAndKeepsNothing) {
    ChildProcess child({PICTOR_CLI_PATH, "generate", "a slow cat", "--abandon-on-cancel", "-o", dir_ + "/cat.png",
                        "--base-url", mock().base_url("openai", "delay=4")},
                       cli_environment(true, {}));
    const double deadline = now_seconds() + 10;
    while (mock().api_requests().empty() && now_seconds() < deadline) child.pump(0.05);
    ASSERT_FALSE(mock().api_requests().empty());
    child.pump(1.0);
    child.send_signal(SIGINT);
    ProcessResult r = child.wait(10);
    EXPECT_LT(r.seconds, 4.0);
    EXPECT_NE(r.err.find("bill"), std::string::npos) << r.err;
    std::this_thread::sleep_for(std::chrono::seconds(5)); // past the route's wait
    EXPECT_TRUE(history_entries(history_dir_).empty());
    EXPECT_TRUE(runners_of(history_dir_).empty());
}

TEST_F(RequestRunner, NoRunnerOutlivesItsTimeout) {
    ChildProcess child({PICTOR_CLI_PATH, "generate", "a slow cat", "--timeout", "3", "-o", dir_ + "/cat.png",
                        "--base-url", mock().base_url("openai", "delay=60")},
                       cli_environment(true, {"PICTOR_MAX_RETRIES=0"}));
    const double deadline = now_seconds() + 10;
    while (mock().api_requests().empty() && now_seconds() < deadline) child.pump(0.05);
    ASSERT_FALSE(mock().api_requests().empty());
    const double started = now_seconds();
    ASSERT_EQ(runners_of(history_dir_).size(), 1u);
    child.send_signal(SIGKILL);
    child.wait(10);
    while (!runners_of(history_dir_).empty() && now_seconds() < started + 20)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(runners_of(history_dir_).empty()) << "still running 20 s after a 3 s timeout";
    EXPECT_LT(now_seconds() - started, 10.0);
    // Nobody was left to tell: the log beside the history folder says what happened.
    EXPECT_NE(read_file(dir_ + "/request-runner.log").find("pictor-request-runner"), std::string::npos);
}

// --param's typed values keep their JSON type through the runner's pipe (the route holds the
// request long enough to see which process sends it).
TEST_F(RequestRunner, ATypedParamReachesTheGatewayAsJsonThroughTheRunner) {
    ChildProcess child({PICTOR_CLI_PATH, "generate", "a fox", "--param", "n_steps=3", "--param", "label=\"7\"",
                        "-o", dir_ + "/fox.png", "--profile", "laozhang", "--base-url",
                        mock().base_url("laozhang", "delay=2")},
                       cli_environment(true, {}));
    const double deadline = now_seconds() + 10;
    while (mock().api_requests().empty() && now_seconds() < deadline) child.pump(0.05);
    ASSERT_FALSE(mock().api_requests().empty()) << "the request never reached the mock";
    EXPECT_EQ(runners_of(history_dir_).size(), 1u) << "the request runs in pictor-request-runner";
    ProcessResult r = child.wait(30);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json body = mock().api_requests()[0]["json"];
    EXPECT_EQ(body["n_steps"], nlohmann::json(3)) << body.dump();
    EXPECT_TRUE(body["n_steps"].is_number_integer()) << body.dump();
    EXPECT_EQ(body["label"], nlohmann::json("7")) << body.dump();
}

} // namespace
} // namespace pictor_test
