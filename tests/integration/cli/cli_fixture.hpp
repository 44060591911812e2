// Each CLI test: a private HOME / XDG folders / history, a canary API key, a fresh mock
// gateway, and the real `pictor` binary run as a child process.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "mock_gateway_process.hpp"

namespace pictor_test {

class PictorCli : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Runs `pictor args...` with the test's environment; fails the test if the API key shows up
    // in what it printed.
    ProcessResult pictor(const std::vector<std::string> &args, double timeout_s = 60);
    // The same without PICTOR_API_KEY / OPENAI_API_KEY.
    ProcessResult pictor_without_key(const std::vector<std::string> &args, double timeout_s = 60);

    std::vector<std::string> environment(bool with_key) const;
    std::vector<std::string> command_line(const std::vector<std::string> &args) const;
    // --profile P --base-url <the mock's URL for P and scenario>
    std::vector<std::string> route(const std::string &profile, const std::string &scenario = "") const;
    // A path in the test's output folder.
    std::string out(const std::string &name) const;
    std::string history_dir() const { return dir_ + "/history"; }
    // The names in the output folder, to prove no temporary or partial file was left.
    std::vector<std::string> output_folder_names() const;
    void expect_key_not_in(const ProcessResult &result) const;

    std::unique_ptr<MockGatewayProcess> mock_;
    std::string dir_;
    std::string key_;
};

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string> &b);

std::string read_file(const std::string &path);
bool file_exists(const std::string &path);
std::string sha256_of_file(const std::string &path);  // lowercase hex
// stdout must hold exactly one JSON object (and a newline): parses it or fails the test.
nlohmann::json single_json_object(const std::string &stdout_text);
// The lines of stderr that are not progress lines ("pictor:   0.3s waiting for the server").
std::vector<std::string> message_lines(const std::string &stderr_text);
// Encodes a w x h RGBA test picture through the library: "png", "jpeg" or "webp". alpha_hole
// makes the left half transparent (a mask).
std::string encode_test_image(uint32_t width, uint32_t height, const char *format, bool alpha_hole);
void write_file(const std::string &path, const std::string &bytes);

} // namespace pictor_test
