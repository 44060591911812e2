// edit_with_references with a markup layer: the user's arrows and notes on a transparent layer,
// sent as the part "markup" at the first image's size, never with a mask, only to a model whose
// profile entry takes it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

class MarkupLayer : public PluginTest {
protected:
    // openai plus gpt-image-2.6-flare, whose entry takes markup (a user's profile file).
    pictor::client_ptr client_with_markup_model() {
        profile_dir_ = temp_dir_ + "/profiles";
        std::filesystem::create_directories(profile_dir_);
        std::ofstream(profile_dir_ + "/openai.json")
            << R"({"extends": "openai", "models": [{"model": "gpt-image-2.6-flare", "edits": {"markup": true}}]})";
        pictor_client_config config = pictor::default_config();
        url_ = mock().base_url("openai");
        config.profile = "openai";
        config.base_url = url_.c_str();
        config.api_key = key_.c_str();
        config.history_dir = history_dir_.c_str();
        config.profile_dir = profile_dir_.c_str();
        return pictor::make_client(config);
    }

    // A 320x240 layer being edited and a 100x60 markup layer at (50, 40): transparent but for a
    // red bar across its middle rows.
    static void fill(MemoryHost &host) {
        host.add_pattern_layer(1, 320, 240, 0, 0, "Photo");
        MemoryLayer &markup = host.add_pattern_layer(2, 100, 60, 50, 40, "Arrows");
        for (uint32_t y = 0; y < markup.height; ++y)
            for (uint32_t x = 0; x < markup.width; ++x) {
                uint8_t *p = &markup.rgba[(size_t(y) * markup.width + x) * 4];
                const bool bar = y >= 25 && y < 35;
                p[0] = bar ? 255 : 0;
                p[1] = p[2] = 0;
                p[3] = bar ? 255 : 0;
            }
    }

    pictor_command_options options() {
        request_.model = "gpt-image-2.6-flare";
        pictor_command_options o = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1);
        o.markup_layer = 2;
        return o;
    }

    std::string profile_dir_, url_;
};

TEST_F(MarkupLayer, OptionsInitLeavesNoMarkupLayer) {
    pictor_command_options o;
    ASSERT_EQ(pictor_command_options_init(&o), PICTOR_OK);
    EXPECT_EQ(o.markup_layer, -1);
}

TEST_F(MarkupLayer, ArrivesAsThePartMarkupAtTheFirstImagesSizeWithAlphaWhereItWasDrawn) {
    MemoryHost host(320, 240);
    host.offers_selection = false;
    fill(host);
    auto c = client_with_markup_model();
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options(), &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    json sent = only_request();
    EXPECT_EQ(sent["fields"]["model"], "gpt-image-2.6-flare");
    auto images = files_named(sent, "image[]");
    if (images.empty())
        images = files_named(sent, "image");
    ASSERT_EQ(images.size(), 1u) << "the markup layer is no reference: " << sent["files"].dump();
    auto markups = files_named(sent, "markup");
    ASSERT_EQ(markups.size(), 1u) << sent["files"].dump();
    EXPECT_EQ(markups[0]["format"], "png");
    EXPECT_EQ(markups[0]["width"], images[0]["width"]);
    EXPECT_EQ(markups[0]["height"], images[0]["height"]);
    // The mock's count of alpha values: the 100x10 bar opaque, the rest of the canvas clear.
    EXPECT_EQ(markups[0]["alpha"]["opaque"], 1000) << markups[0].dump();
    EXPECT_EQ(markups[0]["alpha"]["zero"], 320 * 240 - 1000) << markups[0].dump();
    EXPECT_TRUE(files_named(sent, "mask").empty());

    // Where the user drew it on the canvas: the bar at canvas rows 65-74, columns 50-149.
    const std::string path = temp_dir_ + "/markup.png";
    std::ofstream(path, std::ios::binary) << mock().get(markups[0]["fetch"].get<std::string>());
    uint32_t w = 0, h = 0;
    std::vector<uint8_t> rgba = decode_file(path, &w, &h);
    ASSERT_EQ(w, 320u);
    ASSERT_EQ(h, 240u);
    auto alpha = [&](uint32_t x, uint32_t y) { return rgba[(size_t(y) * w + x) * 4 + 3]; };
    auto red = [&](uint32_t x, uint32_t y) { return rgba[(size_t(y) * w + x) * 4]; };
    EXPECT_EQ(alpha(100, 70), 255);
    EXPECT_EQ(red(100, 70), 255);
    EXPECT_EQ(alpha(100, 50), 0) << "inside the markup layer, not drawn on";
    EXPECT_EQ(alpha(10, 10), 0) << "outside the markup layer";
    EXPECT_EQ(alpha(160, 70), 0) << "right of the markup layer";
    EXPECT_EQ(result_json(job)["markup"], true);
}

TEST_F(MarkupLayer, WithASelectionNothingIsSent) {
    MemoryHost host(320, 240);
    fill(host);
    host.select_rect(10, 10, 50, 50);
    auto c = client_with_markup_model();
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host, options(), &job), PICTOR_ERR_INVALID_REQUEST);
    const std::string message = pictor_client_last_error(c.get())->message;
    EXPECT_NE(message.find("remove the selection"), std::string::npos) << message;
    EXPECT_EQ(mock().api_requests().size(), 0u);
}

TEST_F(MarkupLayer, AModelWithoutMarkupIsRefusedBeforeSending) {
    MemoryHost host(320, 240);
    host.offers_selection = false;
    fill(host);
    auto c = client_with_markup_model();
    pictor_command_options o = options();
    request_.model = nullptr; // the route's default model, whose entry takes no markup
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host, o, &job), PICTOR_ERR_INVALID_REQUEST);
    const std::string message = pictor_client_last_error(c.get())->message;
    EXPECT_NE(message.find("takes no markup"), std::string::npos) << message;
    EXPECT_EQ(mock().api_requests().size(), 0u);
}

TEST_F(MarkupLayer, IsForEditsOnly) {
    MemoryHost host(320, 240);
    fill(host);
    pictor_command_options o = options();
    o.command = PICTOR_COMMAND_GENERATE_AS_NEW_LAYER;
    auto c = client_with_markup_model();
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host, o, &job), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(mock().api_requests().size(), 0u);
}

} // namespace
} // namespace pictor_test
