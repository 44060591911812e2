// generate_as_new_layer and edit_with_references through the C ABI.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

TEST_F(PluginTest, GenerateWithCanvasSizeMakesOneCanvasSizedLayerPerVariation) {
    MemoryHost host(1000, 700);
    host.add_pattern_layer(1, 1000, 700, 0, 0, "Background");
    request_.size = "canvas";
    request_.n = 2;
    auto c = client("openai");
    pictor::job_ptr job;
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_GENERATE_AS_NEW_LAYER, request_, 1);
    ASSERT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    ASSERT_EQ(host.added.size(), 2u) << host.all_messages();
    for (int i = 0; i < 2; ++i) {
        const AddedLayer &layer = host.added[size_t(i)];
        EXPECT_EQ(layer.width, 1000u);
        EXPECT_EQ(layer.height, 700u);
        EXPECT_EQ(layer.offset_x, 0);
        EXPECT_EQ(layer.offset_y, 0);
        EXPECT_TRUE(layer.mask.empty());
        EXPECT_TRUE(layer.masked_is_rgba);
        EXPECT_TRUE(layer.composited_is_rgba);
        EXPECT_EQ(layer.variation, i);
        EXPECT_EQ(layer.variation_count, 2);
        EXPECT_EQ(layer.name, "Pictor: a lighthouse at dusk (" + std::to_string(i + 1) + "/2)");
        EXPECT_FALSE(layer.history_path.empty());
    }
    EXPECT_NE(host.added[0].rgba, host.added[1].rgba) << "two variations, two images";
    json sent = only_request();
    EXPECT_EQ(sent["endpoint"], "generations");
    EXPECT_EQ(sent["json"]["n"], 2);
    std::string size = sent["json"]["size"];
    unsigned w = 0, h = 0;
    ASSERT_EQ(std::sscanf(size.c_str(), "%ux%u", &w, &h), 2) << size;
    EXPECT_NEAR(double(w) / h, 1000.0 / 700.0, 0.05) << size;
    json result = result_json(job);
    EXPECT_EQ(result["command"], "generate_as_new_layer");
    EXPECT_EQ(result["layers_added"], 2);
    EXPECT_EQ(result["history"].size(), 2u);
}

TEST_F(PluginTest, EditWithReferencesSendsTheLayersAsImageArrayAndTheSelectionAsMask) {
    MemoryHost host(512, 384);
    const MemoryLayer &active = host.add_pattern_layer(1, 512, 384, 0, 0, "Room");
    host.add_pattern_layer(2, 200, 150, 30, 40, "Sofa");
    host.add_pattern_layer(3, 96, 160, 300, 100, "Lamp");
    host.select_rect(100, 100, 200, 150);
    const int32_t references[] = {2, 3};
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1);
    options.reference_layers = references;
    options.reference_count = 2;
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_job_error(job.get())->message;

    json sent = only_request();
    EXPECT_EQ(sent["endpoint"], "edits");
    auto images = files_named(sent, "image[]");
    ASSERT_EQ(images.size(), 3u) << sent["files"].dump();
    EXPECT_EQ(images[0]["width"], 512);
    EXPECT_EQ(images[0]["height"], 384);
    EXPECT_EQ(images[1]["width"], 200);
    EXPECT_EQ(images[1]["height"], 150);
    EXPECT_EQ(images[2]["width"], 96);
    EXPECT_EQ(images[2]["height"], 160);
    auto masks = files_named(sent, "mask");
    ASSERT_EQ(masks.size(), 1u);
    EXPECT_EQ(masks[0]["width"], images[0]["width"]);
    EXPECT_EQ(masks[0]["height"], images[0]["height"]);

    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];
    EXPECT_EQ(layer.width, 512u);
    EXPECT_EQ(layer.height, 384u);
    ASSERT_FALSE(layer.mask.empty());
    EXPECT_EQ(changed_outside_mask(layer, layer_on_canvas(active, 512, 384), 512), 0u);
    EXPECT_EQ(not_model_inside_mask(layer), 0u);
    // And against the selection itself, not pictor's mask: the default grow 4 + feather 8 reach.
    EXPECT_EQ(rect_selection_mismatches(layer, layer_on_canvas(active, 512, 384), 512, 100, 100, 200, 150, 4 + 8 + 1), 0u);
    EXPECT_EQ(result_json(job)["command"], "edit_with_references");
}

TEST_F(PluginTest, EditWithReferencesWithoutASelectionSendsNoMask) {
    MemoryHost host(320, 240);
    host.offers_selection = false;
    host.add_pattern_layer(1, 320, 240, 0, 0, "Room");
    host.add_pattern_layer(2, 64, 64, 0, 0, "Cat");
    const int32_t references[] = {2};
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1);
    options.reference_layers = references;
    options.reference_count = 1;
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    json sent = only_request();
    EXPECT_EQ(files_named(sent, "image[]").size(), 2u);
    EXPECT_TRUE(files_named(sent, "mask").empty());
    ASSERT_EQ(host.added.size(), 1u);
    EXPECT_TRUE(host.added[0].mask.empty());
    EXPECT_EQ(host.added[0].width, 320u);
    EXPECT_EQ(host.added[0].height, 240u);
}

TEST_F(PluginTest, SixteenReferenceLayersAreRefusedBeforeSending) {
    MemoryHost host(64, 64);
    std::vector<int32_t> references;
    host.add_pattern_layer(0, 64, 64, 0, 0, "Active");
    for (int32_t id = 1; id <= 16; ++id) {
        host.add_pattern_layer(id, 16, 16, 0, 0, "Ref");
        references.push_back(id);
    }
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 0);
    options.reference_layers = references.data();
    options.reference_count = references.size();
    auto c = client("openai");
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host, options, &job), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_NE(std::string(pictor_client_last_error(c.get())->message).find("at most 15"), std::string::npos)
        << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(mock().requests().size(), 0u);
}

} // namespace
} // namespace pictor_test
