// A mock gateway per suite, a private history folder and canary key per test, and helpers to
// run a command through the C ABI the way a host does.
#pragma once

#include <pictor/pictor.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "memory_host.hpp"
#include "mock_gateway_process.hpp"

namespace pictor_test {

class PluginTest : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;
    void TearDown() override;

    // run_in_helper: requests run in pictor-request-runner (pictor_client_config.run_in_helper).
    pictor::client_ptr client(const std::string &profile, const std::string &scenario = "",
                              bool run_in_helper = false);
    // pictor_job_start + pictor_job_wait on this thread; the job stays readable in *job.
    pictor_status run(pictor_client *client, MemoryHost &host, const pictor_command_options &options,
                      pictor::job_ptr *job);
    static nlohmann::json result_json(const pictor::job_ptr &job);
    // The one edit / generation request the mock saw (fails the test unless exactly one).
    nlohmann::json only_request();
    // The mock's file parts of a logged request named `name` ("image", "image[]", "mask").
    static std::vector<nlohmann::json> files_named(const nlohmann::json &request, const std::string &name);

    static MockGatewayProcess &mock() { return *mock_; }

    pictor_request request_{};
    std::string key_;
    std::string temp_dir_;
    std::string history_dir_;

private:
    static std::unique_ptr<MockGatewayProcess> mock_;
};

// A copy of `layer`'s pixels laid over a transparent canvas (what the host's canvas shows).
std::vector<uint8_t> layer_on_canvas(const MemoryLayer &layer, uint32_t canvas_width, uint32_t canvas_height);

// Pixels of `layer`'s rect where the mask is 0 (or there is no mask) yet composited_rgba differs
// from the source canvas: must be 0 — outside the selection nothing changes. These two check the
// composite against pictor's own mask; rect_selection_mismatches checks it against the geometry.
size_t changed_outside_mask(const AddedLayer &layer, const std::vector<uint8_t> &source_canvas, uint32_t canvas_width);
// Pixels where the mask is 255 yet composited_rgba is not the model's pixel (rgba).
size_t not_model_inside_mask(const AddedLayer &layer);
// Against a rectangular selection (canvas coordinates) grown and feathered by at most `reach`
// pixels: pixels of composited_rgba farther than reach outside it that are not the source
// canvas's, plus pixels inside it that are not the model's (rgba).
size_t rect_selection_mismatches(const AddedLayer &layer, const std::vector<uint8_t> &source_canvas,
                                 uint32_t canvas_width, int32_t x0, int32_t y0, int32_t width, int32_t height,
                                 int32_t reach);
// The decoded pixels of an image file (history), or empty.
std::vector<uint8_t> decode_file(const std::string &path, uint32_t *width, uint32_t *height);

} // namespace pictor_test
