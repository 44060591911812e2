// pictor inpaint: the command line as a host of the command layer — the picture outside the
// selection comes back byte for byte, the new layer carries the selection as alpha, and a
// selection that cannot be used is refused before anything is sent.
#include <gtest/gtest.h>

#include <cstring>

#include <pictor/pictor.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

constexpr uint32_t kWidth = 320, kHeight = 240;
// The selected ellipse's bounding box; grow 4 + feather 8 (+ rounding) reach at most this far.
constexpr int kLeft = 120, kTop = 80, kRight = 200, kBottom = 160, kReach = 4 + 8 + 2;

struct Decoded {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> rgba;
    const uint8_t *at(uint32_t x, uint32_t y) const { return &rgba[(size_t(y) * width + x) * 4]; }
};

Decoded decode(const std::string &bytes) {
    Decoded out;
    pictor_image *image = nullptr;
    EXPECT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), 0, &image), PICTOR_OK);
    if (!image) return out;
    out.width = pictor_image_width(image);
    out.height = pictor_image_height(image);
    out.rgba.assign(pictor_image_rgba(image), pictor_image_rgba(image) + size_t(out.width) * out.height * 4);
    pictor_image_free(image);
    return out;
}

// A picture nothing like what the mock draws, as PNG.
std::string picture_png() {
    std::vector<uint8_t> rgba(size_t(kWidth) * kHeight * 4);
    for (uint32_t y = 0; y < kHeight; ++y)
        for (uint32_t x = 0; x < kWidth; ++x) {
            uint8_t *p = &rgba[(size_t(y) * kWidth + x) * 4];
            p[0] = uint8_t(x * 7 + y * 3);
            p[1] = uint8_t(x ^ y);
            p[2] = uint8_t(y * 5 + 17);
            p[3] = 255;
        }
    pictor_image *image = nullptr;
    EXPECT_EQ(pictor_image_from_rgba(kWidth, kHeight, rgba.data(), kWidth * 4, &image), PICTOR_OK);
    uint8_t *data = nullptr;
    size_t size = 0;
    EXPECT_EQ(pictor_image_encode(image, "png", -1, &data, &size), PICTOR_OK);
    std::string bytes(reinterpret_cast<const char *>(data), size);
    pictor_free(data);
    pictor_image_free(image);
    return bytes;
}

// A real 8-bit grayscale PNG (colour type 0) drawn by PIL, as an artist's tool would save it.
void write_gray_selection(const std::string &path, uint32_t width, uint32_t height, bool with_ellipse) {
    std::string script = "import sys\nfrom PIL import Image, ImageDraw\n"
                         "im = Image.new('L', (" + std::to_string(width) + ", " + std::to_string(height) + "), 0)\n";
    if (with_ellipse)
        script += "ImageDraw.Draw(im).ellipse([" + std::to_string(kLeft) + ", " + std::to_string(kTop) + ", " +
                  std::to_string(kRight - 1) + ", " + std::to_string(kBottom - 1) + "], fill=255)\n";
    script += "im.save(sys.argv[1])\n";
    ProcessResult r = run_process({PICTOR_TEST_PYTHON, "-c", script, path}, {"PATH=/usr/bin:/bin"}, 30);
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

// An RGBA PNG whose alpha is the selection (a rectangle) and whose colours mean nothing.
void write_alpha_selection(const std::string &path) {
    std::vector<uint8_t> rgba(size_t(kWidth) * kHeight * 4, 0);
    for (uint32_t y = 0; y < kHeight; ++y)
        for (uint32_t x = 0; x < kWidth; ++x) {
            uint8_t *p = &rgba[(size_t(y) * kWidth + x) * 4];
            p[0] = 255; // red everywhere: colour must not count
            p[3] = (int(x) >= kLeft && int(x) < kRight && int(y) >= kTop && int(y) < kBottom) ? 255 : 0;
        }
    pictor_image *image = nullptr;
    ASSERT_EQ(pictor_image_from_rgba(kWidth, kHeight, rgba.data(), kWidth * 4, &image), PICTOR_OK);
    uint8_t *data = nullptr;
    size_t size = 0;
    ASSERT_EQ(pictor_image_encode(image, "png", -1, &data, &size), PICTOR_OK);
    write_file(path, std::string(reinterpret_cast<const char *>(data), size));
    pictor_free(data);
    pictor_image_free(image);
}

bool far_from_selection(uint32_t x, uint32_t y) {
    return int(x) < kLeft - kReach || int(x) >= kRight + kReach || int(y) < kTop - kReach || int(y) >= kBottom + kReach;
}

class PictorInpaint : public PictorCli {
protected:
    void SetUp() override {
        PictorCli::SetUp();
        picture_ = dir_ + "/in/photo.png";
        write_file(picture_, picture_png());
    }

    // Every pixel away from the selection is the input's; returns how many pixels changed.
    size_t expect_untouched_outside(const std::string &output) {
        Decoded before = decode(read_file(picture_));
        Decoded after = decode(read_file(output));
        EXPECT_EQ(after.width, kWidth);
        EXPECT_EQ(after.height, kHeight);
        if (after.rgba.size() != before.rgba.size()) return 0;
        size_t far_changed = 0, changed = 0;
        for (uint32_t y = 0; y < kHeight; ++y)
            for (uint32_t x = 0; x < kWidth; ++x) {
                bool differs = std::memcmp(before.at(x, y), after.at(x, y), 4) != 0;
                changed += differs;
                far_changed += differs && far_from_selection(x, y);
            }
        EXPECT_EQ(far_changed, 0u) << "pixels outside the grown + feathered selection changed";
        return changed;
    }

    std::string picture_;
};

TEST_F(PictorInpaint, RepaintsTheGraySelectionAndLeavesEveryOtherPixelAsItWas) {
    const std::string selection = dir_ + "/in/selection.png";
    write_gray_selection(selection, kWidth, kHeight, true);
    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "a red balloon", "--image", picture_, "--selection",
                                                      selection, "-o", out("result.png"), "--layer-out",
                                                      out("layer.png"), "--grow", "4", "--feather", "8",
                                                      "--quality", "low"} +
                             route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, out("result.png") + "\n" + out("layer.png") + "\n");
    size_t changed = expect_untouched_outside(out("result.png"));
    EXPECT_GT(changed, size_t(3.14 * 40 * 40 * 0.9)) << "the selection was not repainted";

    // The new layer: canvas-sized, transparent away from the selection, opaque in its middle,
    // soft at its edge.
    Decoded layer = decode(read_file(out("layer.png")));
    ASSERT_EQ(layer.width, kWidth);
    ASSERT_EQ(layer.height, kHeight);
    size_t soft = 0;
    for (uint32_t y = 0; y < kHeight; ++y)
        for (uint32_t x = 0; x < kWidth; ++x) {
            uint8_t alpha = layer.at(x, y)[3];
            if (far_from_selection(x, y)) {
                ASSERT_EQ(alpha, 0) << x << "," << y;
            }
            soft += alpha > 0 && alpha < 255;
        }
    EXPECT_EQ(layer.at(160, 120)[3], 255);
    EXPECT_GT(soft, 100u);
    // Where the layer is opaque, the picture shows exactly the layer's pixels.
    Decoded result = decode(read_file(out("result.png")));
    EXPECT_EQ(std::memcmp(result.at(160, 120), layer.at(160, 120), 4), 0);

    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["endpoint"], "edits");
    bool has_mask = false;
    for (const json &file : log[0]["files"])
        has_mask = has_mask || file["name"] == "mask";
    EXPECT_TRUE(has_mask);
}

TEST_F(PictorInpaint, AnImageWhoseAlphaIsTheSelectionWorksToo) {
    const std::string selection = dir_ + "/in/selection-alpha.png";
    write_alpha_selection(selection);
    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "a window", "--image", picture_, "--selection",
                                                      selection, "-o", out("result.png")} +
                             route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    size_t changed = expect_untouched_outside(out("result.png"));
    EXPECT_GT(changed, size_t((kRight - kLeft) * (kBottom - kTop) * 0.9));
    EXPECT_EQ(mock_->api_requests().size(), 1u);
}

// A file with an alpha channel means its alpha, even all opaque: black RGBA (alpha 255) selects
// everything, where its gray level would select nothing.
TEST_F(PictorInpaint, OpaqueBlackRgbaSelectionSelectsEverything) {
    const std::string selection = dir_ + "/in/all-opaque.png";
    std::string script = "import sys\nfrom PIL import Image\nImage.new('RGBA', (" + std::to_string(kWidth) + ", " +
                         std::to_string(kHeight) + "), (0, 0, 0, 255)).save(sys.argv[1])\n";
    ProcessResult made = run_process({PICTOR_TEST_PYTHON, "-c", script, selection}, {"PATH=/usr/bin:/bin"}, 30);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "x", "--image", picture_, "--selection", selection,
                                                      "-o", out("result.png")} +
                             route("openai"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(mock_->api_requests().size(), 1u);
}

// The bounds are the library's (pictor_get_limits): 1024 px of grow, 4096 px of context.
TEST_F(PictorInpaint, GrowAndContextBeyondTheLibraryLimitsAreUsageErrors) {
    const std::string selection = dir_ + "/in/selection.png";
    write_gray_selection(selection, kWidth, kHeight, true);
    ProcessResult grow = pictor(std::vector<std::string>{"inpaint", "x", "--image", picture_, "--selection", selection,
                                                         "-o", out("result.png"), "--grow", "1025"} +
                                route("openai"));
    EXPECT_EQ(grow.exit_code, 2) << grow.err;
    EXPECT_NE(grow.err.find("--grow must be a whole number of pixels from 0 to 1024"), std::string::npos) << grow.err;
    ProcessResult context = pictor(std::vector<std::string>{"inpaint", "x", "--image", picture_, "--selection",
                                                            selection, "-o", out("result.png"), "--context", "4097"} +
                                   route("openai"));
    EXPECT_EQ(context.exit_code, 2) << context.err;
    EXPECT_NE(context.err.find("from 0 to 4096"), std::string::npos) << context.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorInpaint, EmptySelectionExitsTwoAndSendsNothing) {
    const std::string selection = dir_ + "/in/empty.png";
    write_gray_selection(selection, kWidth, kHeight, false);
    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "x", "--image", picture_, "--selection", selection,
                                                      "-o", out("result.png")} +
                             route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("nothing is selected"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
    EXPECT_FALSE(file_exists(out("result.png")));
}

TEST_F(PictorInpaint, SelectionOfAnotherSizeExitsTwoAndSendsNothing) {
    const std::string selection = dir_ + "/in/small.png";
    write_gray_selection(selection, 100, 100, true);
    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "x", "--image", picture_, "--selection", selection,
                                                      "-o", out("result.png")} +
                             route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("is 100x100 but --image"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("320x240"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorInpaint, MissingSelectionIsAUsageError) {
    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "x", "--image", picture_, "-o", out("r.png")} +
                             route("openai"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--selection"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorInpaint, JsonKeepsTheGenerateFieldsAndAddsCropAndRequestSize) {
    const std::string selection = dir_ + "/in/selection.png";
    write_gray_selection(selection, kWidth, kHeight, true);
    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "a kite", "--image", picture_, "--selection",
                                                      selection, "-o", out("result.png"), "--layer-out",
                                                      out("layer.png"), "--json"} +
                             route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json out_json = single_json_object(r.out);
    for (const char *key : {"files", "history", "profile", "model", "size", "usage", "request_ids",
                            "cost_usd_estimate", "timings_ms", "crop", "request_size", "layer_files"})
        EXPECT_TRUE(out_json.contains(key)) << key << " missing from " << r.out;
    EXPECT_EQ(out_json["files"], json::array({out("result.png")}));
    EXPECT_EQ(out_json["layer_files"], json::array({out("layer.png")}));
    EXPECT_EQ(out_json["profile"], "openai");
    EXPECT_EQ(out_json["command"], "inpaint_selection");
    const json &crop = out_json["crop"];
    EXPECT_LE(crop["x"].get<int>(), kLeft);
    EXPECT_LE(crop["y"].get<int>(), kTop);
    EXPECT_GE(crop["x"].get<int>() + crop["width"].get<int>(), kRight);
    EXPECT_GE(crop["y"].get<int>() + crop["height"].get<int>(), kBottom);
    // The image the mock received is the size reported.
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    for (const json &file : log[0]["files"])
        if (file["name"] != "mask") {
            EXPECT_EQ(std::to_string(file["width"].get<int>()) + "x" + std::to_string(file["height"].get<int>()),
                      out_json["request_size"]);
        }
}

} // namespace
} // namespace pictor_test
