// What the command layer uploads, pixel by pixel: the mock hands each file part back decoded by
// PIL (GET <fetch>.rgba), and every expected value here comes from the test's own geometry and
// the in-memory host's layers, never from pictor's mask or image code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

struct Upload {
    json part;
    uint32_t width = 0, height = 0;
    std::string rgba; // RGBA8 rows, top first, decoded by the mock (PIL)

    uint8_t alpha(uint32_t x, uint32_t y) const { return uint8_t(rgba[(size_t(y) * width + x) * 4 + 3]); }
};

class UploadPixels : public PluginTest {
protected:
    Upload fetch(const json &part) {
        Upload u;
        u.part = part;
        u.width = part.value("width", 0u);
        u.height = part.value("height", 0u);
        u.rgba = mock().get(part["fetch"].get<std::string>() + ".rgba");
        EXPECT_EQ(u.rgba.size(), size_t(u.width) * u.height * 4) << part.dump();
        return u;
    }
    // The uploads named `name` of the one request, in the order they were sent.
    std::vector<Upload> uploads(const std::string &name) {
        std::vector<Upload> out;
        for (const json &part : files_named(only_request(), name))
            out.push_back(fetch(part));
        return out;
    }
};

pictor_command_options options_for(pictor_command command, const pictor_request &request, int32_t layer, int grow,
                                   int feather, int context = 32) {
    pictor_command_options options = pictor::make_command_options(command, request, layer);
    options.grow_px = grow;
    options.feather_px = feather;
    options.context_px = context;
    return options;
}

// Pixels of `upload` that differ from `layer`'s pixels at (x0, y0) of the layer.
size_t differing_pixels(const Upload &upload, const MemoryLayer &layer, uint32_t x0 = 0, uint32_t y0 = 0) {
    size_t differ = 0;
    for (uint32_t y = 0; y < upload.height; ++y)
        for (uint32_t x = 0; x < upload.width; ++x)
            differ += std::memcmp(&upload.rgba[(size_t(y) * upload.width + x) * 4], layer.pixel(int32_t(x0 + x), int32_t(y0 + y)), 4) != 0;
    return differ;
}

// The mask's alpha against a rectangle in mask coordinates: 0 inside, 255 outside.
size_t rect_mask_mismatches(const Upload &mask, int32_t x0, int32_t y0, int32_t w, int32_t h) {
    size_t wrong = 0;
    for (uint32_t y = 0; y < mask.height; ++y)
        for (uint32_t x = 0; x < mask.width; ++x) {
            bool inside = int32_t(x) >= x0 && int32_t(x) < x0 + w && int32_t(y) >= y0 && int32_t(y) < y0 + h;
            wrong += mask.alpha(x, y) != (inside ? 0 : 255);
        }
    return wrong;
}

TEST_F(UploadPixels, InpaintMaskIsTransparentExactlyOverTheSelectionInTheCrop) {
    MemoryHost host(2400, 1600);
    const MemoryLayer &source = host.add_pattern_layer(1, 2400, 1600, 0, 0, "Photo");
    const int32_t sx = 1000, sy = 700, sw = 40, sh = 30;
    host.select_rect(sx, sy, sw, sh);
    // answer=upload: the mock keeps the uploaded crop where the mask is opaque and paints the hole.
    auto c = client("openai", "answer=upload");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options_for(PICTOR_COMMAND_INPAINT_SELECTION, request_, 1, 0, 0), &job), PICTOR_OK)
        << pictor_job_error(job.get())->message;
    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];

    auto images = uploads("image");
    auto masks = uploads("mask");
    ASSERT_EQ(images.size(), 1u);
    ASSERT_EQ(masks.size(), 1u);
    // A small selection goes out at its own pixels: the upload is the source, cut where the new
    // layer sits, byte for byte.
    ASSERT_EQ(images[0].width, layer.width);
    ASSERT_EQ(images[0].height, layer.height);
    EXPECT_EQ(differing_pixels(images[0], source, uint32_t(layer.offset_x), uint32_t(layer.offset_y)), 0u);
    // The mask: transparent (repaint) exactly on the selected rectangle, opaque (keep) elsewhere.
    ASSERT_EQ(masks[0].width, images[0].width);
    ASSERT_EQ(masks[0].height, images[0].height);
    const int32_t mx = sx - layer.offset_x, my = sy - layer.offset_y;
    EXPECT_EQ(rect_mask_mismatches(masks[0], mx, my, sw, sh), 0u)
        << "alpha-0 box " << masks[0].part["alpha_zero_bbox"].dump() << ", selection at " << mx << "," << my;
    EXPECT_EQ(masks[0].part["alpha"]["zero"], sw * sh);

    // The answer comes back where it was cut from: the model's pixels are the source outside the
    // hole and new inside it.
    size_t kept_wrong = 0, painted = 0;
    for (uint32_t y = 0; y < layer.height; ++y)
        for (uint32_t x = 0; x < layer.width; ++x) {
            int32_t cx = int32_t(x) + layer.offset_x, cy = int32_t(y) + layer.offset_y;
            bool hole = cx >= sx && cx < sx + sw && cy >= sy && cy < sy + sh;
            bool same = std::memcmp(&layer.composited_rgba[(size_t(y) * layer.width + x) * 4], source.pixel(cx, cy), 4) == 0;
            kept_wrong += !hole && !same;
            painted += hole && !same;
        }
    EXPECT_EQ(kept_wrong, 0u);
    EXPECT_GT(painted, size_t(sw * sh * 9 / 10));
}

TEST_F(UploadPixels, InpaintMaskFollowsTheGrownSelectionAtTheScaleSent) {
    // A circle too large for the route at scale 1: the crop is sent scaled down, the mask too.
    MemoryHost host(3400, 3400);
    host.add_pattern_layer(1, 3400, 3400, 0, 0, "Wide");
    const double cx = 1700, cy = 1700, r = 1550;
    const int grow = 6;
    host.select_ellipse(cx, cy, r, r, 0);
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options_for(PICTOR_COMMAND_INPAINT_SELECTION, request_, 1, grow, 0), &job), PICTOR_OK)
        << pictor_job_error(job.get())->message;
    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &crop = host.added[0];
    auto masks = uploads("mask");
    ASSERT_EQ(masks.size(), 1u);
    const Upload &mask = masks[0];
    const double scale_x = double(crop.width) / mask.width, scale_y = double(crop.height) / mask.height;
    ASSERT_GT(scale_x, 1.0) << "the crop was meant to be scaled down";
    // Each mask pixel's centre in canvas space; its distance from the grown circle's edge. A
    // square grow reaches grow*sqrt(2) on the diagonals; resampling blurs one sent pixel.
    const double slack = std::max(scale_x, scale_y) + 1;
    size_t inside = 0, outside = 0, wrong_inside = 0, wrong_outside = 0;
    for (uint32_t v = 0; v < mask.height; ++v)
        for (uint32_t u = 0; u < mask.width; ++u) {
            double x = crop.offset_x + (u + 0.5) * scale_x, y = crop.offset_y + (v + 0.5) * scale_y;
            double d = std::hypot(x - cx, y - cy) - r;
            // Near the edge resampling may leave an alpha of a few units; deep inside it is 0.
            const uint8_t a = mask.alpha(u, v);
            if (d < grow - slack) {
                ++inside;
                wrong_inside += d < grow - 3 * slack ? a != 0 : a > 8;
            } else if (d > grow * std::sqrt(2.0) + slack) {
                ++outside;
                wrong_outside += d > grow * std::sqrt(2.0) + 3 * slack ? a != 255 : a < 247;
            }
        }
    EXPECT_GT(inside, size_t(mask.width) * mask.height / 2);
    EXPECT_GT(outside, 1000u);
    EXPECT_EQ(wrong_inside, 0u) << "the grown selection is not transparent in the mask";
    EXPECT_EQ(wrong_outside, 0u) << "outside the grown selection the mask is not opaque";
}

TEST_F(UploadPixels, ReferenceEditMaskIsTheSelectionOverTheCanvas) {
    MemoryHost host(512, 384);
    const MemoryLayer &active = host.add_pattern_layer(1, 512, 384, 0, 0, "Room");
    host.add_pattern_layer(2, 200, 150, 30, 40, "Sofa");
    host.select_rect(100, 120, 200, 150);
    const int32_t references[] = {2};
    pictor_command_options options = options_for(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1, 0, 0);
    options.reference_layers = references;
    options.reference_count = 1;
    auto c = client("openai");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_job_error(job.get())->message;

    auto images = uploads("image[]");
    auto masks = uploads("mask");
    ASSERT_EQ(images.size(), 2u);
    ASSERT_EQ(masks.size(), 1u);
    EXPECT_EQ(differing_pixels(images[0], active), 0u) << "the first image is the active layer";
    ASSERT_EQ(masks[0].width, 512u);
    ASSERT_EQ(masks[0].height, 384u);
    EXPECT_EQ(rect_mask_mismatches(masks[0], 100, 120, 200, 150), 0u)
        << "alpha-0 box " << masks[0].part["alpha_zero_bbox"].dump();
}

TEST_F(UploadPixels, ReferenceEditMaskWithDefaultGrowAndFeatherCoversTheSelection) {
    MemoryHost host(400, 300);
    host.add_pattern_layer(1, 400, 300, 0, 0, "Room");
    host.add_pattern_layer(2, 64, 64, 0, 0, "Cat");
    const int32_t x0 = 120, y0 = 90, w = 100, h = 80, grow = 4, feather = 8; // the ABI's defaults
    host.select_rect(x0, y0, uint32_t(w), uint32_t(h));
    const int32_t references[] = {2};
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1);
    options.reference_layers = references;
    options.reference_count = 1;
    request_.quality = nullptr; // the reverse route takes none
    auto c = client("laozhang");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    auto masks = uploads("mask");
    ASSERT_EQ(masks.size(), 1u);
    size_t wrong_inside = 0, wrong_outside = 0;
    for (int32_t y = 0; y < 300; ++y)
        for (int32_t x = 0; x < 400; ++x) {
            // Chebyshev distance outside the selected rectangle (0 inside).
            int32_t out = std::max({x0 - x, x - (x0 + w - 1), y0 - y, y - (y0 + h - 1), 0});
            uint8_t a = masks[0].alpha(uint32_t(x), uint32_t(y));
            if (out == 0)
                wrong_inside += a != 0;
            else if (out > grow + feather + 1)
                wrong_outside += a != 255;
        }
    EXPECT_EQ(wrong_inside, 0u);
    EXPECT_EQ(wrong_outside, 0u);
}

TEST_F(UploadPixels, ReferencesArriveInTheOrderGivenAfterTheActiveLayer) {
    MemoryHost host(320, 240);
    const MemoryLayer &active = host.add_pattern_layer(1, 320, 240, 0, 0, "Room");
    host.add_pattern_layer(2, 50, 40, 0, 0, "Two");
    host.add_pattern_layer(3, 60, 40, 0, 0, "Three");
    host.add_pattern_layer(4, 70, 40, 0, 0, "Four");
    const int32_t references[] = {4, 2, 3}; // neither ascending nor descending
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1);
    options.reference_layers = references;
    options.reference_count = 3;
    host.offers_selection = false;
    auto c = client("apiyi");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    auto images = uploads("image[]");
    ASSERT_EQ(images.size(), 4u);
    EXPECT_EQ(differing_pixels(images[0], active), 0u);
    for (size_t k = 0; k < 3; ++k) {
        const MemoryLayer &expected = host.layers.at(references[k]);
        ASSERT_EQ(images[k + 1].width, expected.width) << "image[] " << k + 1;
        EXPECT_EQ(differing_pixels(images[k + 1], expected), 0u) << "image[] " << k + 1 << " is not " << expected.name;
    }
}

} // namespace
} // namespace pictor_test
