// pictor_client_check_connection: a GET of the route's model list, never an image request.
#include "abi_fixture.hpp"

namespace pictor_test {
namespace {

class ConnectionCheck : public AbiTest {
protected:
    nlohmann::json check(pictor_client *c) {
        char *json = nullptr;
        EXPECT_EQ(pictor_client_check_connection(c, &json), PICTOR_OK) << pictor_client_last_error(c)->message;
        const std::string text = json ? json : "";
        pictor_free(json);
        EXPECT_EQ(text.find(key_), std::string::npos) << "the key is never in the report";
        return nlohmann::json::parse(text, nullptr, false);
    }

    ClientPtr client_with(const std::string &base_url, const char *key) {
        pictor_client_config config;
        EXPECT_EQ(pictor_client_config_init(&config), PICTOR_OK);
        config.profile = "openai";
        config.base_url = base_url.c_str();
        config.api_key = key;
        config.history_dir = history_dir_.c_str();
        config.profile_dir = PICTOR_PROFILES_DIR;
        config.use_environment = 0;
        config.connect_timeout_s = 2;
        pictor_client *c = nullptr;
        EXPECT_EQ(pictor_client_create(&config, &c), PICTOR_OK) << pictor_thread_last_error()->message;
        return ClientPtr(c);
    }
};

TEST_F(ConnectionCheck, AnAcceptedKeyGetsTheModelListAndNothingIsBilled) {
    auto c = client("apiyi");
    const nlohmann::json report = check(c.get());
    EXPECT_EQ(report["result"], "ok") << report;
    EXPECT_EQ(report["status"], 200);
    EXPECT_EQ(report["models"], nlohmann::json::array({"gpt-image-2"}));
    EXPECT_EQ(report["url"], mock().base_url("apiyi") + "/models");
    const nlohmann::json log = mock().requests();
    ASSERT_EQ(log.size(), 1u) << log;
    EXPECT_EQ(log[0]["method"], "GET");
    EXPECT_EQ(log[0]["endpoint"], "models");
    EXPECT_EQ(log[0]["authorization"], "Bearer " + key_);
    EXPECT_TRUE(mock().api_requests().empty()) << "no image request";
}

TEST_F(ConnectionCheck, ARefusedKeyAMissingListAndNoServerAreToldApart) {
    auto refused = client_with(mock().base_url("openai"), "sk-bad-obs-check");
    nlohmann::json report = check(refused.get());
    EXPECT_EQ(report["result"], "key_refused") << report;
    EXPECT_EQ(report["status"], 401);

    auto no_list = client("openai", "status=404");
    report = check(no_list.get());
    EXPECT_EQ(report["result"], "no_model_list") << report;
    EXPECT_EQ(report["status"], 404);

    // Port 1 on 127.0.0.1: nothing listens (connection refused at once).
    auto nowhere = client_with("http://127.0.0.1:1/v1", key_.c_str());
    report = check(nowhere.get());
    EXPECT_EQ(report["result"], "unreachable") << report;
    EXPECT_EQ(report["status"], 0);
    EXPECT_FALSE(report["error"].get<std::string>().empty()) << report;

    const size_t before = mock().requests().size();
    auto keyless = client_with(mock().base_url("openai"), nullptr);
    report = check(keyless.get());
    EXPECT_EQ(report["result"], "no_key") << report;
    EXPECT_EQ(mock().requests().size(), before) << "nothing is sent without a key";
    EXPECT_TRUE(mock().api_requests().empty());
}

} // namespace
} // namespace pictor_test
