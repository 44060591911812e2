// Uploads pictor encodes itself always fit the route: on apiyi (10 MiB per image, enforced by the
// mock as the route's documentation says) a 4K photograph goes up whole, sixteen 4K references
// go up in one edit, and when nothing fits at full size the image and its mask are scaled down
// together. Expected values come from the test's own layers and geometry and from the mock's
// record of what arrived (decoded by PIL), never from pictor's encoders.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

constexpr uint64_t kApiyiMaxImageBytes = 10ull << 20; // the route's documented per-image limit
constexpr int kGrain = 8;                // +-8 levels of fine grain per pixel
// The most a visually lossless encoding may differ from that content: mean absolute difference
// over the RGBA bytes (alpha included, always equal). Per-pixel grain is the hardest case for a
// JPEG; at quality 95, 4:4:4, it is ~2.2 here.
constexpr double kVisuallyLossless = 2.6;

uint32_t hash(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    return x ^ (x >> 16);
}

// Photograph-like content: smooth gradients, soft shapes and fine grain (a level-1 PNG of a 4K
// frame is ~13 MB, over apiyi's 10 MiB). grain 255: pure noise, which no encoding of a 4K frame
// fits in 10 MiB.
void fill_photo(MemoryLayer &layer, uint32_t seed, int grain) {
    for (uint32_t y = 0; y < layer.height; ++y)
        for (uint32_t x = 0; x < layer.width; ++x) {
            uint8_t *p = &layer.rgba[(size_t(y) * layer.width + x) * 4];
            double fx = double(x) / layer.width, fy = double(y) / layer.height;
            double shape = 40 * std::sin(fx * 9 + seed) * std::cos(fy * 7 - seed);
            for (int c = 0; c < 3; ++c) {
                int noise = int(hash(seed * 7919u + (y * layer.width + x) * 3u + uint32_t(c)) % uint32_t(2 * grain + 1)) - grain;
                int base = grain >= 255 ? 128 : int(60 + 120 * fx * (c == 0) + 120 * fy * (c == 1) + 90 * (1 - fx) * (c == 2) + shape);
                p[c] = uint8_t(std::clamp(base + noise, 0, 255));
            }
            p[3] = 255;
        }
}

MemoryLayer &add_photo_layer(MemoryHost &host, int32_t id, uint32_t w, uint32_t h, uint32_t seed, int grain) {
    MemoryLayer &layer = host.add_pattern_layer(id, w, h, 0, 0, "Photo " + std::to_string(id));
    fill_photo(layer, seed, grain);
    return layer;
}

class UploadFit : public PluginTest {
protected:
    // Each part the job reported in "uploads" is the part the mock received: name, format,
    // bytes, size; and each is within the route's limit.
    void expect_reported_as_received(const json &result) {
        ASSERT_TRUE(result.contains("uploads")) << result.dump();
        const json &reported = result["uploads"];
        json request = only_request();
        std::vector<json> parts;
        for (const char *name : {"image", "image[]", "mask"})
            for (const json &part : files_named(request, name))
                parts.push_back(part);
        ASSERT_EQ(reported.size(), parts.size()) << reported.dump();
        for (size_t i = 0; i < parts.size(); ++i) {
            const json &r = reported[i], &p = parts[i];
            EXPECT_EQ(r["name"], p["filename"]) << i;
            EXPECT_EQ(r["format"], p["format"]) << i;
            EXPECT_EQ(r["bytes"], p["size"]) << i;
            EXPECT_EQ(r["width"], p["width"]) << i;
            EXPECT_EQ(r["height"], p["height"]) << i;
            EXPECT_LE(p["size"].get<uint64_t>(), kApiyiMaxImageBytes) << i;
        }
    }

    std::string rgba_of(const json &part) { return mock().get(part["fetch"].get<std::string>() + ".rgba"); }
};

pictor_command_options sharp_selection_options(pictor_command command, const pictor_request &request) {
    pictor_command_options options = pictor::make_command_options(command, request, 1);
    options.grow_px = 0;
    options.feather_px = 0;
    options.context_px = 64;
    return options;
}

// Mean absolute difference per channel between the sent pixels (decoded by the mock) and the layer.
double mean_difference(const std::string &sent, const MemoryLayer &layer) {
    double sum = 0;
    for (size_t i = 0; i < layer.rgba.size(); ++i)
        sum += std::abs(int(uint8_t(sent[i])) - int(layer.rgba[i]));
    return sum / double(layer.rgba.size());
}

TEST_F(UploadFit, PhotographicInpaintOf4KFitsApiyiVisuallyLosslessWithItsMask) {
    MemoryHost host(3840, 2160);
    const MemoryLayer &photo = add_photo_layer(host, 1, 3840, 2160, 3, kGrain);
    const int32_t sx = 100, sy = 80, sw = 3600, sh = 2000; // most of the frame
    host.select_rect(sx, sy, uint32_t(sw), uint32_t(sh));
    auto c = client("apiyi");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, sharp_selection_options(PICTOR_COMMAND_INPAINT_SELECTION, request_), &job), PICTOR_OK)
        << pictor_job_error(job.get())->message;
    json result = result_json(job);
    expect_reported_as_received(result);

    ASSERT_EQ(host.added.size(), 1u);
    const AddedLayer &layer = host.added[0];
    json request = only_request();
    json image = files_named(request, "image").at(0), mask = files_named(request, "mask").at(0);
    // The crop at full size (its level-1 PNG is over 10 MiB: it went as a JPEG), within a level
    // or two of the layer's pixels.
    ASSERT_EQ(image["width"], layer.width);
    ASSERT_EQ(image["height"], layer.height);
    EXPECT_EQ(image["format"], "jpeg");
    EXPECT_EQ(result["uploads"][0]["downscaled"], false);
    std::string sent = rgba_of(image);
    double sum = 0;
    for (uint32_t y = 0; y < layer.height; ++y)
        for (uint32_t x = 0; x < layer.width * 4; ++x)
            sum += std::abs(int(uint8_t(sent[size_t(y) * layer.width * 4 + x])) -
                            int(photo.pixel(layer.offset_x, layer.offset_y + int32_t(y))[x]));
    EXPECT_LT(sum / (double(layer.width) * layer.height * 4), kVisuallyLossless);
    // The mask: PNG with alpha, the image's size, transparent exactly over the selection.
    EXPECT_EQ(mask["format"], "png");
    EXPECT_EQ(mask["width"], layer.width);
    EXPECT_EQ(mask["alpha"]["zero"], sw * sh);
    EXPECT_EQ(mask["alpha_zero_bbox"], json::array({sx - layer.offset_x, sy - layer.offset_y,
                                                    sx + sw - layer.offset_x, sy + sh - layer.offset_y}));
    // The host is told what went up.
    EXPECT_NE(host.all_messages().find("Uploading layer."), std::string::npos) << host.all_messages();
}

TEST_F(UploadFit, SixteenReferencesOf4KPhotosGoUpInOneEditOnApiyi) {
    MemoryHost host(3840, 2160);
    std::vector<int32_t> references;
    for (int32_t id = 1; id <= 16; ++id) {
        add_photo_layer(host, id, 3840, 2160, uint32_t(id), kGrain);
        if (id > 1)
            references.push_back(id);
    }
    host.offers_selection = false;
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1);
    options.reference_layers = references.data();
    options.reference_count = references.size();
    auto c = client("apiyi");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_job_error(job.get())->message;
    json result = result_json(job);
    expect_reported_as_received(result);
    std::vector<json> images = files_named(only_request(), "image[]");
    ASSERT_EQ(images.size(), 16u);
    // In order, each the layer it came from (the first and the last checked pixel by pixel).
    EXPECT_LT(mean_difference(rgba_of(images[0]), host.layers.at(1)), kVisuallyLossless);
    EXPECT_LT(mean_difference(rgba_of(images[15]), host.layers.at(16)), kVisuallyLossless);
}

TEST_F(UploadFit, WhenNothingFitsTheImageAndItsMaskAreScaledDownTogether) {
    MemoryHost host(3840, 2160);
    add_photo_layer(host, 1, 3840, 2160, 5, 255); // noise: ~25 MB even as JPEG
    const int32_t sx = 960, sy = 540, sw = 1920, sh = 1080;
    host.select_rect(sx, sy, uint32_t(sw), uint32_t(sh));
    auto c = client("apiyi");
    pictor::job_ptr job;
    ASSERT_EQ(run(c.get(), host, sharp_selection_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_), &job),
              PICTOR_OK)
        << pictor_job_error(job.get())->message;
    json result = result_json(job);
    expect_reported_as_received(result);
    json request = only_request();
    json image = files_named(request, "image").at(0), mask = files_named(request, "mask").at(0);
    const uint32_t w = image["width"], h = image["height"];
    ASSERT_LT(w, 3840u);
    EXPECT_EQ(result["uploads"][0]["downscaled"], true);
    EXPECT_NEAR(double(w) / h, 3840.0 / 2160.0, 0.01);
    ASSERT_EQ(mask["width"], w);
    ASSERT_EQ(mask["height"], h);
    // The selection scaled as the image was: alpha 0 inside, 255 outside, except within 2 px of
    // the scaled edge where resampling blends.
    const double scale = double(w) / 3840;
    const double x0 = sx * scale, y0 = sy * scale, x1 = (sx + sw) * scale, y1 = (sy + sh) * scale;
    std::string rgba = rgba_of(mask);
    size_t wrong = 0, checked = 0;
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            double cx = x + 0.5, cy = y + 0.5;
            bool inside = cx > x0 + 2 && cx < x1 - 2 && cy > y0 + 2 && cy < y1 - 2;
            bool outside = cx < x0 - 2 || cx > x1 + 2 || cy < y0 - 2 || cy > y1 + 2;
            if (!inside && !outside)
                continue;
            ++checked;
            wrong += uint8_t(rgba[(size_t(y) * w + x) * 4 + 3]) != (inside ? 0 : 255);
        }
    EXPECT_GT(checked, size_t(w) * h * 9 / 10);
    EXPECT_EQ(wrong, 0u) << "alpha-0 box " << mask["alpha_zero_bbox"].dump() << ", expected about [" << x0 << ", "
                         << y0 << ", " << x1 << ", " << y1 << ")";
}

// PICTOR_UPLOAD_DEFAULT follows the user's saved setting (config "upload_quality": "fast").
TEST_F(UploadFit, FastQualitySendsJpegEvenWhenPngFitsAndLosslessSendsPng) {
    for (int quality : {PICTOR_UPLOAD_LOSSLESS, PICTOR_UPLOAD_FAST, PICTOR_UPLOAD_DEFAULT}) {
        SCOPED_TRACE(quality);
        mock().reset();
        if (quality == PICTOR_UPLOAD_DEFAULT) {
            ASSERT_EQ(system(("mkdir -p " + temp_dir_ + "/config/pictor").c_str()), 0);
            std::ofstream(temp_dir_ + "/config/pictor/config.json") << R"({"upload_quality": "fast"})";
        }
        MemoryHost host(640, 480);
        const MemoryLayer &photo = add_photo_layer(host, 1, 640, 480, 9, kGrain);
        host.offers_selection = false;
        request_.upload_quality = quality;
        auto c = client("apiyi");
        pictor::job_ptr job;
        ASSERT_EQ(run(c.get(), host, pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1), &job),
                  PICTOR_OK)
            << pictor_job_error(job.get())->message;
        expect_reported_as_received(result_json(job));
        json image = files_named(only_request(), "image").at(0);
        if (quality != PICTOR_UPLOAD_LOSSLESS) {
            EXPECT_EQ(image["format"], "jpeg");
            EXPECT_LT(mean_difference(rgba_of(image), photo), kVisuallyLossless);
        } else {
            EXPECT_EQ(image["format"], "png");
            EXPECT_EQ(mean_difference(rgba_of(image), photo), 0.0);
        }
    }
}

} // namespace
} // namespace pictor_test
