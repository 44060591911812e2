// pictor_request's model, complexity, extra fields and markup, as a host sets them.
#include "abi_fixture.hpp"

#include <cstddef>
#include <filesystem>
#include <fstream>

namespace pictor_test {
namespace {

class ModelFields : public AbiTest {
protected:
    // A client whose profile folder holds an openai.json adding gpt-image-2.6-flare (no prices).
    ClientPtr client_with_newer_model() {
        const std::string dir = temp_dir_ + "/profiles";
        std::filesystem::create_directories(dir);
        std::ofstream(dir + "/openai.json") << R"({"extends": "openai", "models": [{"model": "gpt-image-2.6-flare",
            "complexity_values": {"high": "high"}, "edits": {"markup": true}}]})";
        pictor_client_config config;
        EXPECT_EQ(pictor_client_config_init(&config), PICTOR_OK);
        const std::string url = mock().base_url("openai");
        config.profile = "openai";
        config.base_url = url.c_str();
        config.api_key = key_.c_str();
        config.history_dir = history_dir_.c_str();
        config.profile_dir = dir.c_str();
        config.use_environment = 0;
        pictor_client *c = nullptr;
        EXPECT_EQ(pictor_client_create(&config, &c), PICTOR_OK) << pictor_thread_last_error()->message;
        return ClientPtr(c);
    }
};

TEST_F(ModelFields, ExtraFieldsArriveAsTheJsonTheHostGave) {
    auto c = client("laozhang");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "a fox";
    const pictor_extra_field fields[] = {{"seed", "3"}, {"vivid", "true"}, {"label", "\"7\""}, {"extra", "{\"a\": 1}"}};
    request.extra_fields = fields;
    request.extra_field_count = 4;
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    nlohmann::json body = mock().api_requests().at(0)["json"];
    EXPECT_EQ(body["seed"], 3);
    EXPECT_EQ(body["vivid"], true);
    EXPECT_EQ(body["label"], "7");
    EXPECT_EQ(body["extra"], (nlohmann::json{{"a", 1}}));
    EXPECT_EQ(metadata(result.get())["parameters"]["seed"], 3) << "the fields sent are in the metadata";
}

TEST_F(ModelFields, AValueThatIsNotJsonOrAForbiddenFieldIsRefusedBeforeSending) {
    auto lz = client("laozhang");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "a fox";
    const pictor_extra_field word[] = {{"style", "ink"}}; // unquoted: not JSON
    request.extra_fields = word;
    request.extra_field_count = 1;
    ResultPtr result;
    EXPECT_EQ(generate(lz.get(), request, result), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(pictor_client_last_error(lz.get())->message).find("style"), std::string::npos);

    auto vip = client("apiyi-vip");
    const pictor_extra_field seed[] = {{"seed", "3"}};
    request.extra_fields = seed;
    EXPECT_EQ(pictor_check_request(vip.get(), &request, 0), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(generate(vip.get(), request, result), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(pictor_client_last_error(vip.get())->request_sent, 0);
    EXPECT_EQ(mock().requests().size(), 0u);
}

TEST_F(ModelFields, AHostChoosesAModelPerRequestAndReadsItsPriceAsUnknown) {
    auto c = client_with_newer_model();
    nlohmann::json profile = nlohmann::json::parse(pictor_client_profile_json(c.get()));
    ASSERT_EQ(profile["models"].size(), 2u);
    EXPECT_EQ(profile["models"][1]["model"], "gpt-image-2.6-flare");
    EXPECT_EQ(profile["model"], "gpt-image-2") << "the default stays the client's model";

    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "a fox";
    request.model = "gpt-image-2.6-flare";
    request.complexity = "high";
    double usd = 0;
    ASSERT_EQ(pictor_estimate_cost(c.get(), &request, 0, &usd), PICTOR_OK);
    EXPECT_EQ(usd, -1) << "no prices stated: unknown";
    request.model = nullptr;
    EXPECT_EQ(pictor_check_request(c.get(), &request, 0), PICTOR_ERR_INVALID_REQUEST)
        << "gpt-image-2 takes no complexity";
    request.complexity = nullptr;
    ASSERT_EQ(pictor_estimate_cost(c.get(), &request, 0, &usd), PICTOR_OK);
    EXPECT_GT(usd, 0) << "gpt-image-2 keeps its prices";

    request.model = "gpt-image-2.6-flare";
    request.complexity = "high";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    nlohmann::json body = mock().api_requests().at(0)["json"];
    EXPECT_EQ(body["model"], "gpt-image-2.6-flare");
    EXPECT_EQ(body["complexity"], "high");
    EXPECT_EQ(metadata(result.get())["model"], "gpt-image-2.6-flare");
    EXPECT_TRUE(metadata(result.get())["cost_usd_estimate"].is_null());
}

TEST_F(ModelFields, AHostBuiltBeforeTheseFieldsIsNotReadPastItsStruct) {
    auto c = client("openai");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "a fox";
    request.model = "gpt-image-9"; // would be refused if it were read
    request.struct_size = uint32_t(offsetof(pictor_request, max_cost_usd) + sizeof(double));
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(mock().api_requests().at(0)["json"]["model"], "gpt-image-2");
}

} // namespace
} // namespace pictor_test
