// The fault-injection suite's fixture: one mock gateway per test suite, a private folder,
// history and canary key per test, and one call that runs a request against a scenario and
// records everything a fault test asserts on (error, what the mock received, progress, time).
#pragma once

#include <pictor/pictor.h>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "mock_gateway_process.hpp"

namespace pictor_test {

struct RunOptions {
    uint64_t max_response_bytes = 0; // 0: the library's default
    uint64_t max_pixels = 0;
    int max_retries = -1;
    std::string ca_file;
    std::string base_url;            // "" : the mock's URL for the profile and scenario
    double timeout_s = 0;
    const char *quality = "low";
    // Seen on every progress report; return non-zero to cancel from the callback.
    std::function<int(const pictor_progress &)> on_progress;
    // Runs on another thread once the call started, given the client (to cancel from afar).
    std::function<void(pictor_client *)> beside;
    std::vector<std::string> edit_images; // non-empty: pictor_edit with these encoded images
};

struct Outcome {
    pictor_status status = PICTOR_OK;
    std::string kind, message, code, request_id;
    int http_status = 0;
    bool request_sent = false, may_be_billed = false;
    size_t images = 0;
    std::string history_path;       // of the first image, if any
    std::string error_history_path; // pictor_error's history_path (a failed call's kept image)
    std::string first_image_bytes;  // as received
    nlohmann::json metadata;        // pictor_result_json, {} on failure
    nlohmann::json api_requests;    // what reached the mock's image API
    std::vector<pictor_progress> progress;
    double seconds = 0;             // the call's wall time
};

class FaultTest : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;
    void TearDown() override;

    static MockGatewayProcess &mock() { return *mock_; }

    Outcome run(const std::string &profile, const std::string &scenario, const RunOptions &options = {});

    // Regular files under the test's history folder.
    std::vector<std::string> history_files() const;

    // The pictor binary with a clean environment: HOME and XDG folders in the test's folder,
    // PICTOR_HISTORY_DIR, the canary key (unless with_key is false), plus `extra` ("NAME=value").
    ProcessResult pictor_cli(const std::vector<std::string> &args, bool with_key = true,
                             const std::vector<std::string> &extra = {}, double timeout_s = 60) const;
    std::vector<std::string> cli_environment(bool with_key, const std::vector<std::string> &extra) const;

    std::string key_;
    std::string dir_;          // removed after the test
    std::string history_dir_;

private:
    static std::unique_ptr<MockGatewayProcess> mock_;
};

// Every regular file below `dir`, read whole.
std::vector<std::pair<std::string, std::string>> files_below(const std::string &dir);
std::string read_file(const std::string &path);
void write_file(const std::string &path, const std::string &bytes);
std::string sha256_hex(const std::string &bytes);
// An encoded test picture made by the library ("png", "jpeg", "webp"); noise makes it big.
std::string encode_picture(uint32_t width, uint32_t height, const char *format, bool noise = false);
double now_seconds();

} // namespace pictor_test
