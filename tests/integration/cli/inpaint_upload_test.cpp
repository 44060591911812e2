// pictor inpaint: what reaches the gateway, pixel by pixel. The picture and the selection are
// drawn by PIL from a formula this test also computes; the upload comes back decoded by the
// mock's PIL. Nothing here uses pictor's own encoder, decoder or mask code.
#include <gtest/gtest.h>

#include <cstring>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

constexpr uint32_t kWidth = 1200, kHeight = 900;              // large enough to be sent at scale 1
constexpr int kLeft = 500, kTop = 400, kSelW = 60, kSelH = 40; // the selected rectangle

void expected_pixel(uint32_t x, uint32_t y, uint8_t out[4]) {
    out[0] = uint8_t((x * 7 + y * 3) & 0xFF);
    out[1] = uint8_t((x ^ y) & 0xFF);
    out[2] = uint8_t((y * 5 + 17) & 0xFF);
    out[3] = 255;
}

TEST_F(PictorCli, InpaintUploadsTheCropAndAMaskOpenExactlyOverTheSelection) {
    const std::string picture = dir_ + "/in/photo.png", selection = dir_ + "/in/selection.png";
    const std::string script =
        "import sys\nfrom PIL import Image\nw, h = " + std::to_string(kWidth) + ", " + std::to_string(kHeight) +
        "\nim = Image.new('RGB', (w, h))\n"
        "im.putdata([((x * 7 + y * 3) & 255, (x ^ y) & 255, (y * 5 + 17) & 255) for y in range(h) for x in range(w)])\n"
        "im.save(sys.argv[1])\n"
        "sel = Image.new('L', (w, h), 0)\n"
        "sel.paste(255, (" + std::to_string(kLeft) + ", " + std::to_string(kTop) + ", " + std::to_string(kLeft + kSelW) +
        ", " + std::to_string(kTop + kSelH) + "))\nsel.save(sys.argv[2])\n";
    ProcessResult made = run_process({PICTOR_TEST_PYTHON, "-c", script, picture, selection}, {"PATH=/usr/bin:/bin"}, 60);
    ASSERT_EQ(made.exit_code, 0) << made.err;

    ProcessResult r = pictor(std::vector<std::string>{"inpaint", "a red balloon", "--image", picture, "--selection",
                                                      selection, "-o", out("result.png"), "--grow", "0", "--feather",
                                                      "0", "--quality", "low"} +
                             route("laozhang-official"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    json image_part, mask_part;
    for (const json &f : log[0]["files"])
        (f["name"] == "mask" ? mask_part : image_part) = f;
    ASSERT_FALSE(image_part.is_null());
    ASSERT_FALSE(mask_part.is_null());
    const uint32_t w = image_part["width"], h = image_part["height"];
    ASSERT_LE(w, kWidth);
    ASSERT_LE(h, kHeight);
    ASSERT_EQ(mask_part["width"], w);
    ASSERT_EQ(mask_part["height"], h);
    const std::string image = mock_->get(image_part["fetch"].get<std::string>() + ".rgba");
    const std::string mask = mock_->get(mask_part["fetch"].get<std::string>() + ".rgba");
    ASSERT_EQ(image.size(), size_t(w) * h * 4);
    ASSERT_EQ(mask.size(), image.size());

    // Where in the picture the crop was cut: the one offset at which its pixels are the picture's.
    auto matches_at = [&](uint32_t ox, uint32_t oy, uint32_t x, uint32_t y) {
        uint8_t want[4];
        expected_pixel(ox + x, oy + y, want);
        return std::memcmp(&image[(size_t(y) * w + x) * 4], want, 4) == 0;
    };
    int64_t found_x = -1, found_y = -1;
    for (uint32_t oy = 0; oy + h <= kHeight && found_x < 0; ++oy)
        for (uint32_t ox = 0; ox + w <= kWidth; ++ox)
            if (matches_at(ox, oy, 0, 0) && matches_at(ox, oy, w - 1, h - 1) && matches_at(ox, oy, w / 2, h / 3)) {
                found_x = ox;
                found_y = oy;
                break;
            }
    ASSERT_GE(found_x, 0) << "the upload is not a crop of the picture at its own scale";
    size_t differ = 0;
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x)
            differ += !matches_at(uint32_t(found_x), uint32_t(found_y), x, y);
    EXPECT_EQ(differ, 0u);

    // The mask: transparent exactly on the selected rectangle, opaque everywhere else.
    size_t wrong = 0;
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
            const int64_t cx = found_x + x, cy = found_y + y;
            const bool selected = cx >= kLeft && cx < kLeft + kSelW && cy >= kTop && cy < kTop + kSelH;
            wrong += uint8_t(mask[(size_t(y) * w + x) * 4 + 3]) != (selected ? 0 : 255);
        }
    EXPECT_EQ(wrong, 0u) << "alpha-0 box " << mask_part["alpha_zero_bbox"].dump() << ", crop at " << found_x << ","
                         << found_y;
}

} // namespace
} // namespace pictor_test
