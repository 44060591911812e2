// inpaint_selection through the C ABI: byte-exactness outside the selection, the model's pixels
// inside, native resolution for a small selection, edges, and layers that do not match the canvas.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

pictor_command_options inpaint_options(const pictor_request &request, int32_t layer) {
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_INPAINT_SELECTION, request, layer);
    options.grow_px = 4;
    options.feather_px = 8;
    options.context_px = 32;
    return options;
}

void expect_crop_matches(const json &result, const AddedLayer &layer) {
    EXPECT_EQ(result["crop"]["x"], layer.offset_x);
    EXPECT_EQ(result["crop"]["y"], layer.offset_y);
    EXPECT_EQ(result["crop"]["width"], layer.width);
    EXPECT_EQ(result["crop"]["height"], layer.height);
}

TEST_F(PluginTest, SoftEllipseLeavesEveryPixelOutsideUntouchedAndTakesTheModelsInside) {
    MemoryHost host(640, 480);
    const MemoryLayer &source = host.add_pattern_layer(1, 640, 480, 0, 0, "Background");
    const double cx = 300, cy = 220, rx = 60, ry = 40, soft = 6;
    host.select_ellipse(cx, cy, rx, ry, soft);
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, inpaint_options(request_, 1), &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    ASSERT_EQ(host.added.size(), 1u) << host.all_messages();
    EXPECT_TRUE(host.contract_violations.empty());
    const AddedLayer &layer = host.added[0];
    json result = result_json(job);
    expect_crop_matches(result, layer);
    EXPECT_EQ(result["command"], "inpaint_selection");
    EXPECT_EQ(result["layers_added"], 1);
    EXPECT_EQ(layer.above_layer, 1);
    EXPECT_EQ(layer.name.rfind("Pictor: a lighthouse at dusk", 0), 0u) << layer.name;
    ASSERT_EQ(layer.mask.size(), size_t(layer.width) * layer.height);
    EXPECT_FALSE(layer.masked_is_rgba);
    EXPECT_FALSE(layer.composited_is_rgba);

    // Merge the new layer down as a host would, then compare the whole canvas with the source.
    std::vector<uint8_t> before = layer_on_canvas(source, 640, 480);
    std::vector<uint8_t> after = before;
    for (uint32_t y = 0; y < layer.height; ++y)
        std::memcpy(&after[(size_t(y + uint32_t(layer.offset_y)) * 640 + uint32_t(layer.offset_x)) * 4],
                    &layer.composited_rgba[size_t(y) * layer.width * 4], size_t(layer.width) * 4);
    // Farther than soft edge + grow + feather (+ rounding) from the ellipse: never touched. The
    // estimate below never exceeds the true distance, so this holds for every such pixel.
    const double reach = soft + 4 + 8 + 2;
    size_t far_pixels = 0, far_changed = 0, changed = 0;
    for (uint32_t y = 0; y < 480; ++y)
        for (uint32_t x = 0; x < 640; ++x) {
            size_t i = (size_t(y) * 640 + x) * 4;
            bool differs = std::memcmp(&after[i], &before[i], 4) != 0;
            changed += differs;
            double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
            if ((std::sqrt(dx * dx + dy * dy) - 1.0) * std::min(rx, ry) > reach) {
                ++far_pixels;
                far_changed += differs;
            }
        }
    EXPECT_GT(far_pixels, 250000u);
    EXPECT_EQ(far_changed, 0u) << "pixels outside the grown + feathered selection changed";
    EXPECT_GT(changed, size_t(3.14 * rx * ry * 0.9)) << "the selection was not repainted";
    // Exactly: wherever the layer's mask is 0, the source's bytes; where it is 255, the model's.
    EXPECT_EQ(changed_outside_mask(layer, before, 640), 0u);
    EXPECT_EQ(not_model_inside_mask(layer), 0u);
    // The mask is soft: a feathered edge, not a hard cut.
    size_t soft_values = 0;
    for (uint8_t m : layer.mask)
        soft_values += m > 0 && m < 255;
    EXPECT_GT(soft_values, 200u);
    // masked_rgba carries the mask as alpha (the model's pixels are opaque).
    for (size_t i = 0; i < layer.mask.size(); ++i)
        ASSERT_EQ(layer.masked_rgba[i * 4 + 3], layer.mask[i]) << "at " << i;

    // What went out: the crop at the chosen size, the mask the same size, with alpha.
    json sent = only_request();
    EXPECT_EQ(sent["endpoint"], "edits");
    auto images = files_named(sent, "image");
    auto images_array = files_named(sent, "image[]");
    images.insert(images.end(), images_array.begin(), images_array.end());
    auto masks = files_named(sent, "mask");
    ASSERT_EQ(images.size(), 1u) << sent["files"].dump();
    ASSERT_EQ(masks.size(), 1u);
    std::string request_size = result["request_size"];
    EXPECT_EQ(std::to_string(images[0]["width"].get<int>()) + "x" + std::to_string(images[0]["height"].get<int>()),
              request_size);
    EXPECT_EQ(masks[0]["width"], images[0]["width"]);
    EXPECT_EQ(masks[0]["height"], images[0]["height"]);
    EXPECT_EQ(masks[0]["mode"], "RGBA");
    EXPECT_EQ(sent["fields"]["size"], request_size);
    // The paid image is in history, at the size that was asked.
    uint32_t w = 0, h = 0;
    ASSERT_FALSE(decode_file(layer.history_path, &w, &h).empty()) << layer.history_path;
    EXPECT_EQ(std::to_string(w) + "x" + std::to_string(h), request_size);
}

TEST_F(PluginTest, TinySelectionInALargeCanvasIsSentAtNativeResolution) {
    MemoryHost host(2400, 1600);
    host.add_pattern_layer(1, 2400, 1600, 0, 0, "Photo");
    host.select_rect(1000, 700, 24, 24);
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, inpaint_options(request_, 1), &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];
    json result = result_json(job);
    expect_crop_matches(result, layer);
    EXPECT_DOUBLE_EQ(result["crop_scale"].get<double>(), 1.0);
    const std::string crop_size = std::to_string(layer.width) + "x" + std::to_string(layer.height);
    EXPECT_EQ(result["request_size"], crop_size);
    // The crop holds the selection and meets the custom-size rules at scale 1.
    EXPECT_LE(layer.offset_x, 1000 - 12);
    EXPECT_LE(layer.offset_y, 700 - 12);
    EXPECT_GE(layer.offset_x + int32_t(layer.width), 1024 + 12);
    EXPECT_GE(layer.offset_y + int32_t(layer.height), 724 + 12);
    EXPECT_EQ(layer.width % 16, 0u);
    EXPECT_EQ(layer.height % 16, 0u);
    EXPECT_GE(uint64_t(layer.width) * layer.height, 655360u);

    // The mock received the crop at its own pixel size, not a 1024x1024 upscale.
    json sent = only_request();
    auto images = files_named(sent, "image");
    auto images_array = files_named(sent, "image[]");
    images.insert(images.end(), images_array.begin(), images_array.end());
    ASSERT_EQ(images.size(), 1u);
    EXPECT_EQ(images[0]["width"], layer.width);
    EXPECT_EQ(images[0]["height"], layer.height);
    EXPECT_EQ(sent["fields"]["size"], crop_size);
    // Native: the layer's pixels are the model's, byte for byte (no resampling either way).
    uint32_t w = 0, h = 0;
    std::vector<uint8_t> model = decode_file(layer.history_path, &w, &h);
    ASSERT_EQ(w, layer.width);
    ASSERT_EQ(h, layer.height);
    EXPECT_TRUE(model == layer.rgba);
}

TEST_F(PluginTest, SelectionTouchingTheImageEdgeStaysInsideTheCanvas) {
    MemoryHost host(800, 600);
    const MemoryLayer &source = host.add_pattern_layer(1, 800, 600, 0, 0, "Background");
    host.select_rect(0, 500, 120, 100); // touches the left and bottom edges
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, inpaint_options(request_, 1), &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    EXPECT_TRUE(host.contract_violations.empty()) << host.contract_violations[0];
    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];
    EXPECT_GE(layer.offset_x, 0);
    EXPECT_GE(layer.offset_y, 0);
    EXPECT_LE(layer.offset_x + int32_t(layer.width), 800);
    EXPECT_LE(layer.offset_y + int32_t(layer.height), 600);
    EXPECT_EQ(layer.offset_x, 0);
    EXPECT_EQ(layer.offset_y + int32_t(layer.height), 600);
    // The corner pixel is selected: it is the model's.
    size_t corner = size_t(layer.height - 1) * layer.width;
    EXPECT_EQ(layer.mask[corner], 255);
    EXPECT_EQ(changed_outside_mask(layer, layer_on_canvas(source, 800, 600), 800), 0u);
    EXPECT_EQ(not_model_inside_mask(layer), 0u);
    EXPECT_EQ(rect_selection_mismatches(layer, layer_on_canvas(source, 800, 600), 800, 0, 500, 120, 100, 4 + 8 + 1), 0u);
}

TEST_F(PluginTest, LayerSmallerThanTheCanvasIsReadOnlyWhereItIs) {
    MemoryHost host(800, 600);
    host.add_pattern_layer(1, 800, 600, 0, 0, "Background");
    const MemoryLayer &small = host.add_pattern_layer(2, 300, 200, 250, 150, "Sticker");
    host.select_ellipse(260, 160, 40, 30, 4); // over the sticker's top-left corner, partly outside it
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, inpaint_options(request_, 2), &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    EXPECT_TRUE(host.contract_violations.empty()) << host.contract_violations[0];
    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];
    EXPECT_EQ(layer.above_layer, 2);
    // The source of the blend is the sticker where it is and transparent elsewhere.
    std::vector<uint8_t> source = layer_on_canvas(small, 800, 600);
    EXPECT_EQ(changed_outside_mask(layer, source, 800), 0u);
    EXPECT_EQ(not_model_inside_mask(layer), 0u);
    size_t transparent_kept = 0;
    for (uint32_t y = 0; y < layer.height; ++y)
        for (uint32_t x = 0; x < layer.width; ++x) {
            size_t i = size_t(y) * layer.width + x;
            if (layer.mask[i] == 0 && layer.composited_rgba[i * 4 + 3] == 0)
                ++transparent_kept;
        }
    EXPECT_GT(transparent_kept, 0u) << "the crop reaches past the sticker: those pixels stay transparent";
}

TEST_F(PluginTest, LayerHangingOverTheCanvasEdgeIsReadInsideTheCanvasOnly) {
    MemoryHost host(640, 480);
    const MemoryLayer &hanging = host.add_pattern_layer(3, 500, 400, -100, -80, "Hanging");
    host.select_rect(0, 0, 60, 60);
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, inpaint_options(request_, 3), &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    EXPECT_TRUE(host.contract_violations.empty()) << host.contract_violations[0];
    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];
    EXPECT_GE(layer.offset_x, 0);
    EXPECT_GE(layer.offset_y, 0);
    EXPECT_EQ(changed_outside_mask(layer, layer_on_canvas(hanging, 640, 480), 640), 0u);
    EXPECT_EQ(not_model_inside_mask(layer), 0u);
    EXPECT_EQ(rect_selection_mismatches(layer, layer_on_canvas(hanging, 640, 480), 640, 0, 0, 60, 60, 4 + 8 + 1), 0u);
}

TEST_F(PluginTest, HugeSelectionIsScaledDownToALegalSizeAndBackToTheCrop) {
    MemoryHost host(4000, 2400);
    host.add_pattern_layer(1, 4000, 2400, 0, 0, "Panorama");
    host.select_rect(100, 100, 3800, 2200);
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, inpaint_options(request_, 1), &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];
    json result = result_json(job);
    EXPECT_LT(result["crop_scale"].get<double>(), 1.0);
    json sent = only_request();
    std::string size = sent["fields"]["size"];
    EXPECT_EQ(size, result["request_size"]);
    unsigned w = 0, h = 0;
    ASSERT_EQ(std::sscanf(size.c_str(), "%ux%u", &w, &h), 2);
    EXPECT_LE(std::max(w, h), 3840u);
    EXPECT_EQ(w % 16, 0u);
    EXPECT_EQ(h % 16, 0u);
    EXPECT_LE(uint64_t(w) * h, 8294400u);
    // The layer is the crop's size again, covering the selection.
    EXPECT_GE(layer.width, 3800u);
    EXPECT_GE(layer.height, 2200u);
}

} // namespace
} // namespace pictor_test
