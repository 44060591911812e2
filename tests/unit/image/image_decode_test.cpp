// The format-independent entry points: dispatch, probing, and what they say about non-images.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

using namespace test;

std::vector<uint8_t> bytes_of(const std::string &text) {
    return std::vector<uint8_t>(text.begin(), text.end());
}

TEST(ImageDecode, ProbeReportsSizeAndAlphaForEachFormat) {
    const RgbaImage with_alpha = make_pattern(21, 13, true);
    const RgbaImage opaque = make_pattern(21, 13, false);
    struct Case {
        ImageFormat format;
        const RgbaImage *image;
        bool alpha;
    } cases[] = {
        {ImageFormat::png, &with_alpha, true},  {ImageFormat::png, &opaque, false},
        {ImageFormat::jpeg, &with_alpha, false}, {ImageFormat::webp, &with_alpha, true},
        {ImageFormat::webp, &opaque, false},
    };
    for (const Case &c : cases) {
        const std::vector<uint8_t> encoded = encode_image(*c.image, c.format);
        const ImageInfo info = probe_image(encoded.data(), encoded.size());
        EXPECT_EQ(info.format, c.format) << image_format_name(c.format);
        EXPECT_EQ(info.width, 21u);
        EXPECT_EQ(info.height, 13u);
        EXPECT_EQ(info.has_alpha, c.alpha) << image_format_name(c.format);
    }
}

TEST(ImageDecode, ProbeSeesTransparencyChunksAndPalettes) {
    struct Case {
        const char *file;
        uint32_t width;
        bool alpha;
    } cases[] = {
        {"basn2c08", 32, false}, {"basn6a08", 32, true}, {"basn4a16", 32, true},
        {"tbbn3p08", 32, true},  // palette + tRNS
        {"tbrn2c08", 32, true},  // RGB + tRNS
        {"basn3p08", 32, false}, {"s35i3p04", 35, false},
    };
    for (const Case &c : cases) {
        const std::vector<uint8_t> png = read_binary(data_path(std::string("pngsuite/png/") +
                                                               c.file + ".png"));
        const ImageInfo info = probe_image(png.data(), png.size());
        EXPECT_EQ(info.width, c.width) << c.file;
        EXPECT_EQ(info.has_alpha, c.alpha) << c.file;
    }
}

TEST(ImageDecode, EmptyBufferIsBadImage) {
    const Error error = catch_error([] { decode_image(nullptr, 0); });
    EXPECT_ERROR_KIND(error, ErrorKind::bad_image);
    EXPECT_NE(std::string(error.what()).find("empty"), std::string::npos) << error.what();
    const uint8_t byte = 0;
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(&byte, 0); }), ErrorKind::bad_image);
    EXPECT_ERROR_KIND(catch_error([] { probe_image(nullptr, 0); }), ErrorKind::bad_image);
}

TEST(ImageDecode, NullWithSizeIsInvalidArgument) {
    EXPECT_ERROR_KIND(catch_error([] { decode_image(nullptr, 10); }),
                      ErrorKind::invalid_argument);
}

TEST(ImageDecode, UnknownDataNamesItsFirstBytes) {
    const std::vector<uint8_t> html = bytes_of("<html><head><title>502 Bad Gateway</title>");
    const Error error = catch_error([&] { decode_image(html.data(), html.size()); });
    EXPECT_ERROR_KIND(error, ErrorKind::bad_image);
    const std::string message = error.what();
    EXPECT_NE(message.find("3c 68 74 6d 6c 3e 3c 68"), std::string::npos) << message;
    EXPECT_NE(message.find("\"<html><h\""), std::string::npos) << message;
    EXPECT_NE(message.find("not a PNG, JPEG or WebP"), std::string::npos) << message;
    EXPECT_ERROR_KIND(catch_error([&] { probe_image(html.data(), html.size()); }),
                      ErrorKind::bad_image);
}

TEST(ImageDecode, GarbageIsBadImage) {
    std::vector<uint8_t> garbage(4096);
    uint32_t state = 7;
    for (auto &b : garbage) b = uint8_t((state = state * 1664525u + 1013904223u) >> 24);
    for (size_t size : {size_t(1), size_t(3), size_t(8), size_t(100), garbage.size()})
        EXPECT_ERROR_KIND(catch_error([&] { decode_image(garbage.data(), size); }),
                          ErrorKind::bad_image);

    // The right magic bytes followed by garbage reach each codec, which must refuse it.
    for (const std::string &magic : {std::string("\x89PNG\r\n\x1a\n", 8), std::string("\xff\xd8\xff"),
                                    std::string("RIFF\xf4\x0f\0\0WEBP", 12)}) {
        std::vector<uint8_t> data(magic.begin(), magic.end());
        data.insert(data.end(), garbage.begin(), garbage.end() - long(magic.size()));
        const Error error = catch_error([&] { decode_image(data.data(), data.size()); });
        EXPECT_ERROR_KIND(error, ErrorKind::bad_image);
        const Error probe_error = catch_error([&] { probe_image(data.data(), data.size()); });
        EXPECT_ERROR_KIND(probe_error, ErrorKind::bad_image);
    }
}

TEST(ImageEncode, RefusesWhatCannotBeEncoded) {
    const RgbaImage image = make_pattern(8, 8);
    EXPECT_ERROR_KIND(catch_error([&] { encode_image(image, ImageFormat::unknown); }),
                      ErrorKind::invalid_argument);
    EXPECT_ERROR_KIND(catch_error([] { encode_image(RgbaImage{}, ImageFormat::png); }),
                      ErrorKind::invalid_argument);

    RgbaImage short_pixels = image;
    short_pixels.pixels.pop_back();
    const Error size_error = catch_error([&] { encode_image(short_pixels, ImageFormat::png); });
    EXPECT_ERROR_KIND(size_error, ErrorKind::invalid_argument);
    EXPECT_NE(std::string(size_error.what()).find("needs 256 bytes"), std::string::npos)
        << size_error.what();

    EncodeOptions bad_level;
    bad_level.png_zlib_level = 10;
    EXPECT_ERROR_KIND(catch_error([&] { encode_image(image, ImageFormat::png, bad_level); }),
                      ErrorKind::invalid_argument);
    EncodeOptions bad_quality;
    bad_quality.quality = 101;
    EXPECT_ERROR_KIND(catch_error([&] { encode_image(image, ImageFormat::jpeg, bad_quality); }),
                      ErrorKind::invalid_argument);
    bad_quality.quality = -1;
    EXPECT_ERROR_KIND(catch_error([&] { encode_image(image, ImageFormat::webp, bad_quality); }),
                      ErrorKind::invalid_argument);
}

TEST(ImageEncode, RefusesSizesTheFormatCannotHold) {
    RgbaImage wide;
    wide.width = 16384;
    wide.height = 1;
    wide.pixels.assign(wide.stride(), 0xff);
    const Error webp = catch_error([&] { encode_image(wide, ImageFormat::webp); });
    EXPECT_ERROR_KIND(webp, ErrorKind::invalid_argument);
    EXPECT_NE(std::string(webp.what()).find("16383"), std::string::npos) << webp.what();
    // PNG has no such limit.
    const std::vector<uint8_t> png = encode_image(wide, ImageFormat::png);
    EXPECT_EQ(decode_image(png.data(), png.size()).pixels, wide.pixels);

    RgbaImage wider;
    wider.width = 65501;
    wider.height = 1;
    wider.pixels.assign(wider.stride(), 0xff);
    EXPECT_ERROR_KIND(catch_error([&] { encode_image(wider, ImageFormat::jpeg); }),
                      ErrorKind::invalid_argument);
}

} // namespace
} // namespace pictor
