#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

using namespace test;

std::vector<uint8_t> encode_webp(const RgbaImage &image, int quality) {
    EncodeOptions options;
    options.quality = quality;
    return encode_image(image, ImageFormat::webp, options);
}

void put_le(std::vector<uint8_t> &out, uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(uint8_t(value >> (8 * i)));
}

// RIFF header + one chunk; the RIFF size counts everything after itself.
std::vector<uint8_t> riff_webp(const std::vector<uint8_t> &chunks) {
    std::vector<uint8_t> out = {'R', 'I', 'F', 'F'};
    put_le(out, uint32_t(4 + chunks.size()), 4);
    out.insert(out.end(), {'W', 'E', 'B', 'P'});
    out.insert(out.end(), chunks.begin(), chunks.end());
    return out;
}

void append_chunk(std::vector<uint8_t> &out, const char fourcc[5],
                  const std::vector<uint8_t> &data) {
    out.insert(out.end(), fourcc, fourcc + 4);
    put_le(out, uint32_t(data.size()), 4);
    out.insert(out.end(), data.begin(), data.end());
    if (data.size() % 2) out.push_back(0);
}

// A lossless bitstream header declaring the size, and nothing after it.
std::vector<uint8_t> vp8l_header(uint32_t width, uint32_t height) {
    const uint32_t bits = (width - 1) | (height - 1) << 14; // 14 bits each, alpha 0, version 0
    std::vector<uint8_t> data = {0x2f};
    put_le(data, bits, 4);
    return data;
}

TEST(WebpCodec, LossyRoundTripIsClose) {
    const RgbaImage image = make_pattern(96, 64, /*with_alpha=*/false);
    const std::vector<uint8_t> webp = encode_webp(image, 90);
    EXPECT_EQ(sniff_image_format(webp.data(), webp.size()), ImageFormat::webp);
    const RgbaImage decoded = decode_image(webp.data(), webp.size());
    ASSERT_EQ(decoded.width, 96u);
    ASSERT_EQ(decoded.height, 64u);
    const PixelDifference diff = compare_rgb(decoded, image);
    EXPECT_LT(diff.mean, 3.0);
    EXPECT_LE(diff.max, 24);
    EXPECT_FALSE(probe_image(webp.data(), webp.size()).has_alpha);
}

TEST(WebpCodec, LossyKeepsAlpha) {
    const RgbaImage image = make_pattern(64, 64, /*with_alpha=*/true);
    const std::vector<uint8_t> webp = encode_webp(image, 80);
    EXPECT_TRUE(probe_image(webp.data(), webp.size()).has_alpha);
    const RgbaImage decoded = decode_image(webp.data(), webp.size());
    ASSERT_EQ(decoded.pixels.size(), image.pixels.size());
    int max_alpha_diff = 0;
    for (size_t i = 3; i < image.pixels.size(); i += 4)
        max_alpha_diff = std::max(max_alpha_diff, std::abs(decoded.pixels[i] - image.pixels[i]));
    EXPECT_LE(max_alpha_diff, 2);
}

TEST(WebpCodec, LosslessAtQuality100IsExact) {
    // Including the colour of fully transparent pixels.
    const RgbaImage image = make_pattern(77, 31, /*with_alpha=*/true);
    ASSERT_EQ(image.pixels[3], 0);
    ASSERT_NE(image.pixels[4], 0);
    const std::vector<uint8_t> webp = encode_webp(image, 100);
    EXPECT_EQ(std::string(webp.begin() + 12, webp.begin() + 16), "VP8L");
    const RgbaImage decoded = decode_image(webp.data(), webp.size());
    EXPECT_EQ(decoded.width, 77u);
    EXPECT_EQ(decoded.height, 31u);
    EXPECT_EQ(decoded.pixels, image.pixels);
}

TEST(WebpCodec, LosslessHeaderBombIsRefused) {
    std::vector<uint8_t> chunks;
    append_chunk(chunks, "VP8L", vp8l_header(16383, 16383));
    const std::vector<uint8_t> webp = riff_webp(chunks);

    const ImageInfo info = probe_image(webp.data(), webp.size());
    EXPECT_EQ(info.format, ImageFormat::webp);
    EXPECT_EQ(info.width, 16383u);
    EXPECT_EQ(info.height, 16383u);

    DecodeLimits limits;
    limits.max_pixels = 16 * 1000 * 1000;
    const Error error = catch_error([&] { decode_image(webp.data(), webp.size(), limits); });
    EXPECT_ERROR_KIND(error, ErrorKind::too_large);
    EXPECT_NE(std::string(error.what()).find("WebP: the image declares 16383x16383"),
              std::string::npos)
        << error.what();
}

TEST(WebpCodec, ExtendedHeaderBombIsRefused) {
    // VP8X: flags, 3 reserved bytes, canvas width-1 and height-1 in 24 bits each.
    std::vector<uint8_t> vp8x = {0, 0, 0, 0};
    put_le(vp8x, 16383 - 1, 3);
    put_le(vp8x, 16383 - 1, 3);
    std::vector<uint8_t> chunks;
    append_chunk(chunks, "VP8X", vp8x);
    append_chunk(chunks, "VP8L", vp8l_header(16383, 16383));
    const std::vector<uint8_t> webp = riff_webp(chunks);

    DecodeLimits limits;
    limits.max_pixels = 16 * 1000 * 1000;
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(webp.data(), webp.size(), limits); }),
                      ErrorKind::too_large);
}

TEST(WebpCodec, PixelLimitAppliesToRealImages) {
    const std::vector<uint8_t> webp = encode_webp(make_pattern(100, 50), 80);
    DecodeLimits limits;
    limits.max_pixels = 5000;
    EXPECT_EQ(decode_image(webp.data(), webp.size(), limits).width, 100u);
    limits.max_pixels = 4999;
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(webp.data(), webp.size(), limits); }),
                      ErrorKind::too_large);
}

TEST(WebpCodec, AnimationIsRefused) {
    std::vector<uint8_t> vp8x = {0x02, 0, 0, 0}; // animation flag
    put_le(vp8x, 0, 3);
    put_le(vp8x, 0, 3);
    std::vector<uint8_t> chunks;
    append_chunk(chunks, "VP8X", vp8x);
    append_chunk(chunks, "ANIM", {0, 0, 0, 0, 0, 0});
    const std::vector<uint8_t> webp = riff_webp(chunks);
    const Error error = catch_error([&] { decode_image(webp.data(), webp.size()); });
    EXPECT_ERROR_KIND(error, ErrorKind::bad_image);
    EXPECT_NE(std::string(error.what()).find("animation"), std::string::npos) << error.what();
}

TEST(WebpCodec, TruncatedFilesAreRejected) {
    for (int quality : {80, 100}) {
        const std::vector<uint8_t> webp = encode_webp(make_pattern(64, 64), quality);
        ASSERT_GT(webp.size(), 200u);
        const size_t cuts[] = {12, 16, 25, 40, webp.size() / 2, webp.size() - 10, webp.size() - 1};
        for (size_t cut : cuts) {
            const Error error = catch_error([&] { decode_image(webp.data(), cut); });
            EXPECT_ERROR_KIND(error, ErrorKind::bad_image)
                << " (quality " << quality << ", cut at " << cut << ")";
            EXPECT_NE(std::string(error.what()).find("WebP: "), std::string::npos) << error.what();
        }
    }
}

TEST(WebpCodec, CorruptBitstreamIsRejected) {
    std::vector<uint8_t> webp = encode_webp(make_pattern(64, 64), 100);
    for (size_t i = 30; i < webp.size(); i += 7) webp[i] ^= 0xa5;
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(webp.data(), webp.size()); }),
                      ErrorKind::bad_image);
}

} // namespace
} // namespace pictor
