#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include <string>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/progressive_decoder.hpp"
#include "error.hpp"
#include "image_test_support.hpp"
#include "libjpeg_writer.hpp"

namespace pictor {
namespace {

using namespace test;

std::vector<uint8_t> encode_jpeg(const RgbaImage &image, int quality = 90) {
    EncodeOptions options;
    options.quality = quality;
    return encode_image(image, ImageFormat::jpeg, options);
}

using pictor_test_jpeg::libjpeg_encode;

// A progressive JPEG (libjpeg's standard script, about ten scans).
std::vector<uint8_t> progressive_jpeg(uint32_t width, uint32_t height) {
    const RgbaImage image = make_pattern(width, height, /*with_alpha=*/false);
    std::vector<uint8_t> rgb;
    for (size_t i = 0; i < image.pixels.size(); i += 4)
        rgb.insert(rgb.end(), image.pixels.begin() + long(i), image.pixels.begin() + long(i) + 3);
    return libjpeg_encode(rgb, width, height, 3, JCS_RGB, /*progressive=*/true);
}

TEST(JpegCodec, ProgressiveFileWithThousandsOfScansIsRefusedQuickly) {
    const std::vector<uint8_t> normal = progressive_jpeg(64, 48);
    EXPECT_EQ(decode_image(normal.data(), normal.size()).width, 64u) << "ten scans are fine";
    // Its last scan (SOS ... up to EOI) repeated: each is one more pass for the decoder.
    size_t last_sos = 0;
    for (size_t i = 0; i + 1 < normal.size(); ++i)
        if (normal[i] == 0xFF && normal[i + 1] == 0xDA) last_sos = i;
    ASSERT_GT(last_sos, 0u);
    const std::vector<uint8_t> scan(normal.begin() + long(last_sos), normal.end() - 2);
    std::vector<uint8_t> bomb(normal.begin(), normal.end() - 2);
    for (int k = 0; k < 3000; ++k) bomb.insert(bomb.end(), scan.begin(), scan.end());
    bomb.push_back(0xFF);
    bomb.push_back(0xD9);
    try {
        decode_image(bomb.data(), bomb.size());
        ADD_FAILURE() << "3000 scans decoded";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::too_large) << e.what();
        EXPECT_NE(std::string(e.what()).find("scans"), std::string::npos) << e.what();
    }
    // The decoder used while an answer arrives gives up too (throwing or not completing), and
    // leaves the verdict to the whole-file decoder above.
    auto decoder = make_progressive_decoder(ImageFormat::jpeg, DecodeLimits{});
    ASSERT_TRUE(decoder);
    bool complete = false;
    try {
        decoder->update(bomb.data(), bomb.size());
        complete = decoder->complete();
    } catch (const Error &) {
    }
    EXPECT_FALSE(complete);
}

TEST(JpegCodec, RoundTripIsClose) {
    const RgbaImage image = make_pattern(96, 64, /*with_alpha=*/false);
    const std::vector<uint8_t> jpeg = encode_jpeg(image, 90);
    EXPECT_EQ(sniff_image_format(jpeg.data(), jpeg.size()), ImageFormat::jpeg);
    const RgbaImage decoded = decode_image(jpeg.data(), jpeg.size());
    ASSERT_EQ(decoded.width, 96u);
    ASSERT_EQ(decoded.height, 64u);
    ASSERT_EQ(decoded.pixels.size(), image.pixels.size());
    const PixelDifference diff = compare_rgb(decoded, image);
    EXPECT_LT(diff.mean, 2.0);
    EXPECT_LE(diff.max, 16);
    for (size_t i = 3; i < decoded.pixels.size(); i += 4) ASSERT_EQ(decoded.pixels[i], 255);
}

TEST(JpegCodec, AlphaIsDroppedNotBlended) {
    // Colour under transparent pixels survives: JPEG ignores alpha rather than compositing.
    const RgbaImage image = make_pattern(64, 64, /*with_alpha=*/true);
    RgbaImage opaque = image;
    for (size_t i = 3; i < opaque.pixels.size(); i += 4) opaque.pixels[i] = 255;
    EXPECT_EQ(encode_jpeg(image), encode_jpeg(opaque));
}

TEST(JpegCodec, QualityChangesSizeAndFidelity) {
    const RgbaImage image = make_pattern(128, 128, false);
    const std::vector<uint8_t> low = encode_jpeg(image, 10);
    const std::vector<uint8_t> high = encode_jpeg(image, 98);
    EXPECT_LT(low.size(), high.size());
    EXPECT_GT(compare_rgb(decode_image(low.data(), low.size()), image).mean,
              compare_rgb(decode_image(high.data(), high.size()), image).mean);
}

TEST(JpegCodec, GrayscaleDecodesToGreyRgb) {
    std::vector<uint8_t> gray(40 * 24);
    for (size_t i = 0; i < gray.size(); ++i) gray[i] = uint8_t(i % 40 * 6);
    const std::vector<uint8_t> jpeg = libjpeg_encode(gray, 40, 24, 1, JCS_GRAYSCALE);
    const RgbaImage decoded = decode_image(jpeg.data(), jpeg.size());
    ASSERT_EQ(decoded.width, 40u);
    ASSERT_EQ(decoded.height, 24u);
    for (size_t i = 0; i < gray.size(); ++i) {
        const uint8_t *p = &decoded.pixels[i * 4];
        ASSERT_EQ(p[0], p[1]);
        ASSERT_EQ(p[1], p[2]);
        ASSERT_NEAR(p[0], gray[i], 4) << i;
        ASSERT_EQ(p[3], 255);
    }
}

TEST(JpegCodec, AdobeCmykDecodesToRgb) {
    // libjpeg writes an Adobe marker for CMYK, so the samples are in Adobe's inverted form
    // (255 = no ink). Left half: pure red (no cyan ink, full magenta and yellow). Right half:
    // K at 50% over white.
    const uint32_t width = 32, height = 16;
    std::vector<uint8_t> cmyk(width * height * 4);
    for (uint32_t y = 0; y < height; ++y) {
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t *p = &cmyk[(y * width + x) * 4];
            if (x < width / 2) {
                p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 255;
            } else {
                p[0] = 255, p[1] = 255, p[2] = 255, p[3] = 128;
            }
        }
    }
    const std::vector<uint8_t> jpeg = libjpeg_encode(cmyk, width, height, 4, JCS_CMYK);
    const RgbaImage decoded = decode_image(jpeg.data(), jpeg.size());
    ASSERT_EQ(decoded.width, width);
    const uint8_t *red = &decoded.pixels[(8 * width + 4) * 4];
    EXPECT_NEAR(red[0], 255, 3);
    EXPECT_NEAR(red[1], 0, 3);
    EXPECT_NEAR(red[2], 0, 3);
    EXPECT_EQ(red[3], 255);
    const uint8_t *grey = &decoded.pixels[(8 * width + 24) * 4];
    EXPECT_NEAR(grey[0], 128, 3);
    EXPECT_NEAR(grey[1], 128, 3);
    EXPECT_NEAR(grey[2], 128, 3);
}

// Finds the baseline SOF0 segment and rewrites the dimensions it declares.
void patch_sof_dimensions(std::vector<uint8_t> &jpeg, uint16_t width, uint16_t height) {
    for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
        if (jpeg[i] == 0xff && jpeg[i + 1] == 0xc0) {
            // FF C0, length (2), precision (1), height (2), width (2)
            jpeg[i + 5] = uint8_t(height >> 8);
            jpeg[i + 6] = uint8_t(height);
            jpeg[i + 7] = uint8_t(width >> 8);
            jpeg[i + 8] = uint8_t(width);
            return;
        }
    }
    ADD_FAILURE() << "no SOF0 marker";
}

TEST(JpegCodec, DecompressionBombIsRefusedBeforeAllocating) {
    std::vector<uint8_t> jpeg = encode_jpeg(make_pattern(16, 16, false));
    patch_sof_dimensions(jpeg, 50000, 50000);
    const Error error = catch_error([&] { decode_image(jpeg.data(), jpeg.size()); });
    EXPECT_ERROR_KIND(error, ErrorKind::too_large);
    EXPECT_NE(std::string(error.what()).find("JPEG: the image declares 50000x50000"),
              std::string::npos)
        << error.what();

    const ImageInfo info = probe_image(jpeg.data(), jpeg.size());
    EXPECT_EQ(info.format, ImageFormat::jpeg);
    EXPECT_EQ(info.width, 50000u);
    EXPECT_EQ(info.height, 50000u);
    EXPECT_FALSE(info.has_alpha);
}

TEST(JpegCodec, PixelLimitAppliesToRealImages) {
    const std::vector<uint8_t> jpeg = encode_jpeg(make_pattern(100, 50, false));
    DecodeLimits limits;
    limits.max_pixels = 5000;
    EXPECT_EQ(decode_image(jpeg.data(), jpeg.size(), limits).height, 50u);
    limits.max_pixels = 4999;
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(jpeg.data(), jpeg.size(), limits); }),
                      ErrorKind::too_large);
}

TEST(JpegCodec, TruncatedFilesAreRejected) {
    const std::vector<uint8_t> jpeg = encode_jpeg(make_pattern(64, 64, false));
    ASSERT_GT(jpeg.size(), 1000u);
    const size_t cuts[] = {3, 20, 200, jpeg.size() / 2, jpeg.size() - 100, jpeg.size() - 2,
                           jpeg.size() - 1};
    for (size_t cut : cuts) {
        const Error error = catch_error([&] { decode_image(jpeg.data(), cut); });
        EXPECT_ERROR_KIND(error, ErrorKind::bad_image) << " (cut at " << cut << ")";
        EXPECT_NE(std::string(error.what()).find("truncated"), std::string::npos)
            << "cut at " << cut << ": " << error.what();
    }
}

TEST(JpegCodec, CorruptHeaderIsRejected) {
    std::vector<uint8_t> jpeg = encode_jpeg(make_pattern(16, 16, false));
    patch_sof_dimensions(jpeg, 0, 16);
    const Error error = catch_error([&] { decode_image(jpeg.data(), jpeg.size()); });
    EXPECT_ERROR_KIND(error, ErrorKind::bad_image);
    EXPECT_EQ(std::string(error.what()).rfind("JPEG: ", 0), 0u) << error.what();
}

} // namespace
} // namespace pictor
