// resolve_client_settings: host value > environment > config file > defaults, the same for
// every host.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "store/client_settings.hpp"
#include "store/user_dirs.hpp"
#include "store_test_support.hpp"

namespace pictor {
namespace {

using storetest::catch_error;
using storetest::EnvGuard;
using storetest::TempDir;

const std::vector<std::string> kVariables{
    "PICTOR_API_KEY", "OPENAI_API_KEY", "PICTOR_BASE_URL", "OPENAI_BASE_URL", "PICTOR_PROFILE",
    "PICTOR_HISTORY_DIR", "PICTOR_PROFILE_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME",
    "PICTOR_CONNECT_TIMEOUT", "PICTOR_MAX_RESPONSE_BYTES", "PICTOR_MAX_PIXELS", "PICTOR_MAX_RETRIES"};

class ClientSettingsTest : public ::testing::Test {
protected:
    ClientSettingsTest() : guard_(kVariables) {}

    void SetUp() override {
        for (const auto &name : kVariables)
            unsetenv(name.c_str());
        setenv("HOME", (root_ / "home").c_str(), 1);
        setenv("XDG_CONFIG_HOME", (root_ / "config").c_str(), 1);
        setenv("XDG_DATA_HOME", (root_ / "data").c_str(), 1);
        config_path_ = root_ / "config/pictor/config.json";
    }

    void write_config(const std::string &text) {
        mkdir((root_ / "config").c_str(), 0700);
        mkdir((root_ / "config/pictor").c_str(), 0700);
        std::ofstream(config_path_) << text;
    }

    void write_full_config() {
        write_config(nlohmann::json{{"api_key", "sk-config-key"},
                                    {"base_url", "https://config.example/v1"},
                                    {"profile", "ruoli"},
                                    {"ca_file", "/etc/config-ca.pem"}}
                         .dump());
    }

    EnvGuard guard_;
    TempDir root_;
    std::string config_path_;
};

TEST_F(ClientSettingsTest, ConfigFilePathFollowsXdgConfigHome) {
    EXPECT_EQ(config_file_path(), config_path_);
}

TEST_F(ClientSettingsTest, DefaultsWithNothingSet) {
    ClientSettings s = resolve_client_settings({}, true);
    EXPECT_EQ(s.profile, "openai");
    EXPECT_EQ(s.base_url, "");
    EXPECT_EQ(s.api_key, "");
    EXPECT_EQ(s.api_key_source, "");
    EXPECT_EQ(s.history_dir, root_ / "data/pictor/history");
    EXPECT_EQ(s.ca_file, "");
}

TEST_F(ClientSettingsTest, ApiKeyPrecedence) {
    write_full_config();
    setenv("PICTOR_API_KEY", "sk-pictor-env", 1);
    setenv("OPENAI_API_KEY", "sk-openai-env", 1);

    ClientSettings given;
    given.api_key = "sk-from-host";
    ClientSettings s = resolve_client_settings(given, true);
    EXPECT_EQ(s.api_key, "sk-from-host");
    EXPECT_EQ(s.api_key_source, "the host");

    s = resolve_client_settings({}, true);
    EXPECT_EQ(s.api_key, "sk-pictor-env");
    EXPECT_EQ(s.api_key_source, "PICTOR_API_KEY");

    unsetenv("PICTOR_API_KEY");
    s = resolve_client_settings({}, true);
    EXPECT_EQ(s.api_key, "sk-openai-env");
    EXPECT_EQ(s.api_key_source, "OPENAI_API_KEY");

    unsetenv("OPENAI_API_KEY");
    s = resolve_client_settings({}, true);
    EXPECT_EQ(s.api_key, "sk-config-key");
    EXPECT_EQ(s.api_key_source, config_path_);
}

TEST_F(ClientSettingsTest, EmptyVariableIsNotAKey) {
    setenv("PICTOR_API_KEY", "", 1);
    setenv("OPENAI_API_KEY", "sk-openai-env", 1);
    ClientSettings s = resolve_client_settings({}, true);
    EXPECT_EQ(s.api_key, "sk-openai-env");
    EXPECT_EQ(s.api_key_source, "OPENAI_API_KEY");
}

TEST_F(ClientSettingsTest, ApiKeySourceNeverHoldsTheKey) {
    write_full_config();
    for (int step = 0; step < 3; ++step) {
        if (step == 0)
            setenv("PICTOR_API_KEY", "sk-secret-1", 1);
        if (step == 1) {
            unsetenv("PICTOR_API_KEY");
            setenv("OPENAI_API_KEY", "sk-secret-2", 1);
        }
        if (step == 2)
            unsetenv("OPENAI_API_KEY");
        ClientSettings s = resolve_client_settings({}, true);
        ASSERT_FALSE(s.api_key.empty());
        EXPECT_EQ(s.api_key_source.find(s.api_key), std::string::npos) << s.api_key_source;
        EXPECT_EQ(s.api_key_source.find("sk-"), std::string::npos) << s.api_key_source;
    }
}

TEST_F(ClientSettingsTest, BaseUrlPrecedence) {
    write_full_config();
    setenv("PICTOR_BASE_URL", "https://pictor-env.example/v1", 1);
    setenv("OPENAI_BASE_URL", "https://openai-env.example/v1", 1);

    ClientSettings given;
    given.base_url = "https://host.example/v1";
    EXPECT_EQ(resolve_client_settings(given, true).base_url, "https://host.example/v1");
    EXPECT_EQ(resolve_client_settings({}, true).base_url, "https://pictor-env.example/v1");
    unsetenv("PICTOR_BASE_URL");
    EXPECT_EQ(resolve_client_settings({}, true).base_url, "https://openai-env.example/v1");
    unsetenv("OPENAI_BASE_URL");
    EXPECT_EQ(resolve_client_settings({}, true).base_url, "https://config.example/v1");
}

TEST_F(ClientSettingsTest, ProfilePrecedence) {
    write_full_config();
    setenv("PICTOR_PROFILE", "apiyi-vip", 1);

    ClientSettings given;
    given.profile = "laozhang";
    EXPECT_EQ(resolve_client_settings(given, true).profile, "laozhang");
    EXPECT_EQ(resolve_client_settings({}, true).profile, "apiyi-vip");
    unsetenv("PICTOR_PROFILE");
    EXPECT_EQ(resolve_client_settings({}, true).profile, "ruoli");
    write_config("{}");
    EXPECT_EQ(resolve_client_settings({}, true).profile, "openai");
}

TEST_F(ClientSettingsTest, HistoryDirPrecedence) {
    setenv("PICTOR_HISTORY_DIR", (root_ / "env-history").c_str(), 1);
    ClientSettings given;
    given.history_dir = root_ / "host-history";
    EXPECT_EQ(resolve_client_settings(given, true).history_dir, root_ / "host-history");
    EXPECT_EQ(resolve_client_settings({}, true).history_dir, root_ / "env-history");
    unsetenv("PICTOR_HISTORY_DIR");
    EXPECT_EQ(resolve_client_settings({}, true).history_dir, root_ / "data/pictor/history");
    // Without XDG_DATA_HOME: ~/.local/share/pictor/history.
    unsetenv("XDG_DATA_HOME");
    EXPECT_EQ(resolve_client_settings({}, true).history_dir, root_ / "home/.local/share/pictor/history");
}

TEST_F(ClientSettingsTest, CaFileComesFromConfig) {
    write_full_config();
    EXPECT_EQ(resolve_client_settings({}, true).ca_file, "/etc/config-ca.pem");
    ClientSettings given;
    given.ca_file = "/host/ca.pem";
    EXPECT_EQ(resolve_client_settings(given, true).ca_file, "/host/ca.pem");
}

TEST_F(ClientSettingsTest, HostValuesAreKeptAsGiven) {
    ClientSettings given;
    given.model = "gpt-image-2-vip";
    given.profile = "apiyi-vip";
    ClientSettings s = resolve_client_settings(given, true);
    EXPECT_EQ(s.model, "gpt-image-2-vip");
    EXPECT_EQ(s.profile, "apiyi-vip");
}

TEST_F(ClientSettingsTest, UseEnvironmentFalseIgnoresEnvironmentAndConfig) {
    write_full_config();
    setenv("PICTOR_API_KEY", "sk-pictor-env", 1);
    setenv("OPENAI_API_KEY", "sk-openai-env", 1);
    setenv("PICTOR_BASE_URL", "https://pictor-env.example/v1", 1);
    setenv("OPENAI_BASE_URL", "https://openai-env.example/v1", 1);
    setenv("PICTOR_PROFILE", "apiyi-vip", 1);
    setenv("PICTOR_HISTORY_DIR", (root_ / "env-history").c_str(), 1);

    ClientSettings s = resolve_client_settings({}, false);
    EXPECT_EQ(s.api_key, "");
    EXPECT_EQ(s.api_key_source, "");
    EXPECT_EQ(s.base_url, "");
    EXPECT_EQ(s.profile, "openai");
    EXPECT_NE(s.history_dir, root_ / "env-history");
    EXPECT_FALSE(s.history_dir.empty());
    EXPECT_EQ(s.ca_file, "");

    // The host's own values still count.
    ClientSettings given;
    given.api_key = "sk-host";
    given.base_url = "https://host.example/v1";
    s = resolve_client_settings(given, false);
    EXPECT_EQ(s.api_key, "sk-host");
    EXPECT_EQ(s.api_key_source, "the host");
    EXPECT_EQ(s.base_url, "https://host.example/v1");
}

TEST_F(ClientSettingsTest, UseEnvironmentFalseDoesNotReadABrokenConfig) {
    write_config("this is { not json");
    EXPECT_NO_THROW(resolve_client_settings({}, false));
}

TEST_F(ClientSettingsTest, ConfigThatIsNotJsonIsInvalidRequestNamingThePath) {
    write_config("api_key = sk-whatever\n");
    Error e = catch_error([] { resolve_client_settings({}, true); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    EXPECT_NE(std::string(e.what()).find(config_path_), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("sk-whatever"), std::string::npos) << "never quote the file: " << e.what();
    EXPECT_FALSE(e.info().request_sent);
}

TEST_F(ClientSettingsTest, ConfigThatIsNotAnObjectIsRefused) {
    write_config(R"(["api_key", "sk-x"])");
    Error e = catch_error([] { resolve_client_settings({}, true); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    EXPECT_NE(std::string(e.what()).find(config_path_), std::string::npos) << e.what();
}

TEST_F(ClientSettingsTest, ConfigValuesOfTheWrongTypeAreIgnored) {
    write_config(R"({"api_key": 12345, "profile": ["ruoli"], "base_url": null})");
    ClientSettings s = resolve_client_settings({}, true);
    EXPECT_EQ(s.api_key, "");
    EXPECT_EQ(s.profile, "openai");
    EXPECT_EQ(s.base_url, "");
}

TEST_F(ClientSettingsTest, MissingConfigFileIsFine) {
    setenv("XDG_CONFIG_HOME", (root_ / "nowhere").c_str(), 1);
    EXPECT_NO_THROW(resolve_client_settings({}, true));
}

TEST_F(ClientSettingsTest, UserDirsFollowXdgThenHome) {
    EXPECT_EQ(user_config_dir(), root_ / "config/pictor");
    EXPECT_EQ(user_data_dir(), root_ / "data/pictor");
    EXPECT_EQ(default_history_dir(), root_ / "data/pictor/history");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
    EXPECT_EQ(user_config_dir(), root_ / "home/.config/pictor");
    EXPECT_EQ(user_data_dir(), root_ / "home/.local/share/pictor");
    setenv("PICTOR_HISTORY_DIR", "/srv/hist", 1);
    EXPECT_EQ(default_history_dir(), "/srv/hist");
    EXPECT_EQ(env_or_empty("PICTOR_HISTORY_DIR"), "/srv/hist");
    EXPECT_EQ(env_or_empty("PICTOR_SURELY_UNSET_VARIABLE"), "");
}

// The guard really puts the environment back (checked after a test that changed it).
TEST(ClientSettingsEnvironment, GuardRestoresVariables) {
    const char *before = std::getenv("HOME");
    std::string saved = before ? before : "";
    {
        EnvGuard guard({"HOME", "PICTOR_API_KEY"});
        setenv("HOME", "/changed", 1);
        setenv("PICTOR_API_KEY", "sk-temp", 1);
    }
    const char *after = std::getenv("HOME");
    EXPECT_EQ(after ? std::string(after) : std::string(), saved);
    EXPECT_EQ(std::getenv("PICTOR_API_KEY") == nullptr, true);
}

TEST_F(ClientSettingsTest, LimitsAreUnsetWithoutEnvironmentOrConfig) {
    ClientLimits limits = configured_client_limits();
    EXPECT_EQ(limits.connect_timeout_s, 0);
    EXPECT_EQ(limits.max_response_bytes, 0u);
    EXPECT_EQ(limits.max_pixels, 0u);
    EXPECT_EQ(limits.max_retries, -1);
}

TEST_F(ClientSettingsTest, LimitsComeFromTheEnvironmentBeforeTheConfigFile) {
    write_config(R"({"max_response_bytes": 1000, "max_pixels": 4000000, "max_retries": 1,
                     "connect_timeout_s": 2.5})");
    ClientLimits from_file = configured_client_limits();
    EXPECT_EQ(from_file.max_response_bytes, 1000u);
    EXPECT_EQ(from_file.max_pixels, 4000000u);
    EXPECT_EQ(from_file.max_retries, 1);
    EXPECT_DOUBLE_EQ(from_file.connect_timeout_s, 2.5);

    setenv("PICTOR_MAX_RETRIES", "0", 1);
    setenv("PICTOR_MAX_PIXELS", "1000000", 1);
    ClientLimits from_env = configured_client_limits();
    EXPECT_EQ(from_env.max_retries, 0) << "0 retries is a valid choice";
    EXPECT_EQ(from_env.max_pixels, 1000000u);
    EXPECT_EQ(from_env.max_response_bytes, 1000u) << "what the environment leaves open, the file fills";
}

TEST_F(ClientSettingsTest, BadLimitsNameTheVariableOrKey) {
    setenv("PICTOR_MAX_RETRIES", "lots", 1);
    Error bad_env = catch_error([] { configured_client_limits(); });
    EXPECT_EQ(bad_env.kind(), ErrorKind::invalid_request);
    EXPECT_NE(std::string(bad_env.what()).find("PICTOR_MAX_RETRIES"), std::string::npos) << bad_env.what();
    unsetenv("PICTOR_MAX_RETRIES");

    write_config(R"({"max_pixels": -5})");
    Error bad_key = catch_error([] { configured_client_limits(); });
    EXPECT_NE(std::string(bad_key.what()).find("max_pixels"), std::string::npos) << bad_key.what();
    EXPECT_NE(std::string(bad_key.what()).find(config_path_), std::string::npos) << bad_key.what();
}

} // namespace
} // namespace pictor
