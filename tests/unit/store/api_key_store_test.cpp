// `pictor login`'s storage: without a reachable keyring the key goes to a 0600 config file,
// keeping the file's other settings; keys that cannot be right are refused; the environment
// still wins when a client resolves its key.
#include <fstream>

#include <nlohmann/json.hpp>

#include "store/api_key_store.hpp"
#include "store/client_settings.hpp"
#include "store/durable_file.hpp"
#include "store_test_support.hpp"

namespace pictor::storetest {
namespace {

class ApiKeyStore : public ::testing::Test {
protected:
    EnvGuard env{{"XDG_CONFIG_HOME", "DBUS_SESSION_BUS_ADDRESS", "PICTOR_API_KEY", "OPENAI_API_KEY"}};
    TempDir dir;
    void SetUp() override {
        setenv("XDG_CONFIG_HOME", dir.path().c_str(), 1);
        unsetenv("DBUS_SESSION_BUS_ADDRESS"); // no keyring reachable: the fallback is under test
        unsetenv("PICTOR_API_KEY");
        unsetenv("OPENAI_API_KEY");
    }
    std::string config() const { return dir / "pictor/config.json"; }
};

TEST_F(ApiKeyStore, WithoutAKeyringTheKeyGoesToA0600ConfigFileAndSaysWhy) {
    StoredKeyPlace place = store_api_key("sk-unit-1234", KeyDestination::automatic);
    EXPECT_FALSE(place.in_keyring);
    EXPECT_EQ(place.description, config());
    EXPECT_NE(place.keyring_problem.find("D-Bus"), std::string::npos) << place.keyring_problem;
    EXPECT_EQ(mode_of(config()), 0600u);
    EXPECT_EQ(mode_of(dir / "pictor"), 0700u);
    EXPECT_EQ(nlohmann::json::parse(read_whole_file(config()))["api_key"], "sk-unit-1234");
    EXPECT_EQ(resolve_client_settings({}, true).api_key, "sk-unit-1234");
    setenv("PICTOR_API_KEY", "sk-from-env", 1);
    EXPECT_EQ(resolve_client_settings({}, true).api_key, "sk-from-env") << "the environment wins";
}

TEST_F(ApiKeyStore, OtherSettingsSurviveAndABrokenFileIsNotOverwritten) {
    make_directories(dir / "pictor");
    std::ofstream(config()) << R"({"profile": "ruoli", "api_key": "sk-old"})";
    store_api_key("sk-new-key", KeyDestination::config_file);
    nlohmann::json saved = nlohmann::json::parse(read_whole_file(config()));
    EXPECT_EQ(saved["profile"], "ruoli");
    EXPECT_EQ(saved["api_key"], "sk-new-key");
    std::ofstream(config()) << "{ not json";
    EXPECT_KIND(catch_error([&] { store_api_key("sk-new-key", KeyDestination::config_file); }), ErrorKind::io);
    EXPECT_EQ(read_whole_file(config()), "{ not json");
}

TEST_F(ApiKeyStore, TheDefaultProfileIsStoredBesideTheKeyAndCanBeRemoved) {
    store_api_key("sk-kept-key", KeyDestination::config_file);
    EXPECT_EQ(store_default_profile("ruoli"), config());
    nlohmann::json saved = nlohmann::json::parse(read_whole_file(config()));
    EXPECT_EQ(saved["profile"], "ruoli");
    EXPECT_EQ(saved["api_key"], "sk-kept-key");
    EXPECT_EQ(mode_of(config()), 0600u) << "the file holds the key";
    EXPECT_EQ(resolve_client_settings({}, true).profile, "ruoli");
    store_default_profile("");
    saved = nlohmann::json::parse(read_whole_file(config()));
    EXPECT_FALSE(saved.contains("profile"));
    EXPECT_EQ(saved["api_key"], "sk-kept-key");
    EXPECT_EQ(resolve_client_settings({}, true).profile, "openai");
}

TEST_F(ApiKeyStore, KeysThatCannotBeRightAreRefusedWithoutEchoingThem) {
    for (const char *bad : {"", "sk two words", "sk-tab\there", "sk-newline\n"}) {
        Error e = catch_error([&] { store_api_key(bad, KeyDestination::automatic); });
        EXPECT_KIND(e, ErrorKind::invalid_argument);
        if (*bad) {
            EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos) << e.what();
        }
    }
    EXPECT_KIND(catch_error([&] { store_api_key("sk-fine", KeyDestination::keyring); }), ErrorKind::io);
}

} // namespace
} // namespace pictor::storetest
