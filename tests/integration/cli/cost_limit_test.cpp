// The money before it goes: at a terminal the estimate is shown before sending, and a limit
// (--max-cost, or max_cost_usd in the config file) refuses a request above it, sending nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include <pictor/pictor.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

// apiyi-vip bills a flat $0.03 per call (README, Profiles); -n 2 is two calls.
const std::vector<std::string> kTwoVipImages = {"generate", "a cat", "-n", "2"};

TEST_F(PictorCli, EstimateIsShownAtATerminalBeforeSending) {
    ProcessResult r = run_process(command_line(kTwoVipImages + std::vector<std::string>{"-o", out("cat.png")} +
                                               route("apiyi-vip")),
                                  environment(true), 60, StderrKind::terminal);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("about $0.06 for 2 images on apiyi-vip"), std::string::npos) << r.err;
}

TEST_F(PictorCli, MaxCostRefusesAnEstimateAboveItBeforeSending) {
    ProcessResult r = pictor(kTwoVipImages + std::vector<std::string>{"-o", out("cat.png"), "--max-cost", "0.05"} +
                             route("apiyi-vip"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("$0.06"), std::string::npos) << "the estimate: " << r.err;
    EXPECT_NE(r.err.find("$0.05"), std::string::npos) << "the limit: " << r.err;
    EXPECT_TRUE(mock_->api_requests().empty());

    ProcessResult allowed = pictor(kTwoVipImages + std::vector<std::string>{"-o", out("cat.png"), "--max-cost", "0.06"} +
                                   route("apiyi-vip"));
    EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
    EXPECT_EQ(mock_->api_requests().size(), 2u);
}

TEST_F(PictorCli, MaxCostFromTheConfigFileRefusesToo) {
    std::filesystem::create_directories(dir_ + "/config/pictor");
    write_file(dir_ + "/config/pictor/config.json", R"({"max_cost_usd": 0.04})");
    ProcessResult r = pictor(kTwoVipImages + std::vector<std::string>{"-o", out("cat.png"), "--json"} +
                             route("apiyi-vip"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    nlohmann::json out = single_json_object(r.out);
    EXPECT_EQ(out["error"]["kind"], "invalid_request");
    EXPECT_NE(out["error"]["message"].get<std::string>().find("$0.04"), std::string::npos) << r.out;
    // The estimate is a field too, not only in the message: two calls at $0.03 each.
    EXPECT_NEAR(out["error"].value("cost_usd_estimate", -1.0), 0.06, 1e-9) << r.out;
    EXPECT_TRUE(mock_->api_requests().empty());
}

TEST_F(PictorCli, HostsSetTheLimitPerRequest) {
    pictor_client_config config;
    ASSERT_EQ(pictor_client_config_init(&config), PICTOR_OK);
    const std::string url = mock_->base_url("apiyi-vip"), history = history_dir();
    config.profile = "apiyi-vip";
    config.base_url = url.c_str();
    config.api_key = key_.c_str();
    config.history_dir = history.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    config.use_environment = 0;
    pictor_client *client = nullptr;
    ASSERT_EQ(pictor_client_create(&config, &client), PICTOR_OK);
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "a cat";
    request.n = 2;
    request.max_cost_usd = 0.05;
    pictor_result *result = nullptr;
    EXPECT_EQ(pictor_generate(client, &request, &result), PICTOR_ERR_INVALID_REQUEST);
    const pictor_error *error = pictor_client_last_error(client);
    EXPECT_EQ(error->request_sent, 0);
    EXPECT_NE(std::string(error->message).find("$0.06"), std::string::npos) << error->message;
    EXPECT_TRUE(mock_->api_requests().empty());
    pictor_client_destroy(client);
}

} // namespace
} // namespace pictor_test
