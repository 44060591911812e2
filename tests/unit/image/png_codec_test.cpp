#include <gtest/gtest.h>
#include <zlib.h>

#include <set>
#include <string>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image_test_support.hpp"
#include "png_chunks.hpp"

namespace pictor {
namespace {

using namespace test;

constexpr uint8_t kColorTypeRgb = 2;
constexpr uint8_t kColorTypeRgba = 6;

std::vector<uint8_t> encode_png(const RgbaImage &image, int level = 1, bool keep_alpha = false) {
    EncodeOptions options;
    options.png_zlib_level = level;
    options.keep_alpha = keep_alpha;
    return encode_image(image, ImageFormat::png, options);
}

uint8_t color_type_of(const std::vector<uint8_t> &png) { return png.at(25); }

// The filter byte that starts each row of a non-interlaced PNG's inflated IDAT stream.
std::vector<uint8_t> row_filters(const std::vector<uint8_t> &png, size_t row_bytes,
                                 uint32_t height) {
    std::vector<uint8_t> compressed;
    for (const PngChunk &chunk : list_chunks(png))
        if (chunk.type == "IDAT")
            compressed.insert(compressed.end(), png.begin() + long(chunk.data_offset),
                              png.begin() + long(chunk.data_offset + chunk.length));
    std::vector<uint8_t> raw((row_bytes + 1) * height);
    uLongf raw_size = uLongf(raw.size());
    EXPECT_EQ(uncompress(raw.data(), &raw_size, compressed.data(), uLong(compressed.size())),
              Z_OK);
    EXPECT_EQ(raw_size, raw.size());
    std::vector<uint8_t> filters;
    for (uint32_t y = 0; y < height; ++y) filters.push_back(raw[y * (row_bytes + 1)]);
    return filters;
}

TEST(PngCodec, RoundTripWithAlphaIsExact) {
    const RgbaImage image = make_pattern(67, 45);
    const std::vector<uint8_t> png = encode_png(image);
    EXPECT_EQ(sniff_image_format(png.data(), png.size()), ImageFormat::png);
    EXPECT_EQ(color_type_of(png), kColorTypeRgba);
    const RgbaImage decoded = decode_image(png.data(), png.size());
    EXPECT_EQ(decoded.width, 67u);
    EXPECT_EQ(decoded.height, 45u);
    EXPECT_EQ(decoded.pixels, image.pixels);
}

TEST(PngCodec, OpaqueImageIsWrittenAsRgb) {
    const RgbaImage image = make_pattern(40, 30, /*with_alpha=*/false);
    const std::vector<uint8_t> png = encode_png(image);
    EXPECT_EQ(color_type_of(png), kColorTypeRgb);
    EXPECT_FALSE(probe_image(png.data(), png.size()).has_alpha);
    EXPECT_EQ(decode_image(png.data(), png.size()).pixels, image.pixels);
}

TEST(PngCodec, KeepAlphaWritesRgbaEvenWhenOpaque) {
    const RgbaImage image = make_pattern(40, 30, /*with_alpha=*/false);
    const std::vector<uint8_t> png = encode_png(image, 1, /*keep_alpha=*/true);
    EXPECT_EQ(color_type_of(png), kColorTypeRgba);
    EXPECT_TRUE(probe_image(png.data(), png.size()).has_alpha);
    EXPECT_EQ(decode_image(png.data(), png.size()).pixels, image.pixels);
}

TEST(PngCodec, OneTranslucentPixelKeepsAlpha) {
    RgbaImage image = make_pattern(16, 16, /*with_alpha=*/false);
    image.pixels[(9 * 16 + 5) * 4 + 3] = 254;
    const std::vector<uint8_t> png = encode_png(image);
    EXPECT_EQ(color_type_of(png), kColorTypeRgba);
    EXPECT_EQ(decode_image(png.data(), png.size()).pixels, image.pixels);
}

TEST(PngCodec, FastLevelChoosesAFilterPerRowAndDecodesExactly) {
    const RgbaImage image = make_pattern(50, 20);
    const std::vector<uint8_t> fast = encode_png(image, 1);
    EXPECT_EQ(decode_image(fast.data(), fast.size()).pixels, image.pixels);
    // Adaptive filtering, as libpng does it: on this pattern more than one filter wins a row.
    std::set<uint8_t> used;
    for (uint8_t filter : row_filters(fast, image.stride(), image.height)) {
        EXPECT_LE(filter, 4);
        used.insert(filter);
    }
    EXPECT_GT(used.size(), 1u) << "fast encoding should choose the filter row by row";

    // The default level lets libpng choose per row; on this pattern it picks more than Up.
    const std::vector<uint8_t> thorough = encode_png(image, 6);
    EXPECT_EQ(decode_image(thorough.data(), thorough.size()).pixels, image.pixels);
    bool other_filter = false;
    for (uint8_t filter : row_filters(thorough, image.stride(), image.height))
        other_filter = other_filter || filter != 2;
    EXPECT_TRUE(other_filter);
}

TEST(PngCodec, EveryZlibLevelRoundTrips) {
    const RgbaImage image = make_pattern(33, 17);
    size_t stored_size = 0, level1_size = 0;
    for (int level = 0; level <= 9; ++level) {
        const std::vector<uint8_t> png = encode_png(image, level);
        EXPECT_EQ(decode_image(png.data(), png.size()).pixels, image.pixels) << level;
        if (level == 0) stored_size = png.size();
        if (level == 1) level1_size = png.size();
    }
    EXPECT_LT(level1_size, stored_size);
}

TEST(PngCodec, OnePixelImage) {
    RgbaImage image;
    image.width = image.height = 1;
    image.pixels = {10, 20, 30, 40};
    const std::vector<uint8_t> png = encode_png(image);
    EXPECT_EQ(decode_image(png.data(), png.size()).pixels, image.pixels);
}

TEST(PngCodec, TruncatedFilesAreRejected) {
    const std::vector<uint8_t> png = encode_png(make_pattern(64, 64), 6);
    const std::vector<PngChunk> chunks = list_chunks(png);
    ASSERT_GE(chunks.size(), 3u);
    const PngChunk &idat = chunks[1];
    ASSERT_EQ(idat.type, "IDAT");
    const size_t cuts[] = {0,  4,  8,  12, 20, 33, 40, idat.data_offset + idat.length / 2,
                           idat.data_offset + idat.length, png.size() - 12, png.size() - 1};
    for (size_t cut : cuts) {
        const Error error = catch_error([&] { decode_image(png.data(), cut); });
        EXPECT_ERROR_KIND(error, ErrorKind::bad_image) << " (cut at " << cut << ")";
        if (cut >= 8) {
            EXPECT_NE(std::string(error.what()).find("truncated"), std::string::npos)
                << "cut at " << cut << ": " << error.what();
        }
    }
}

TEST(PngCodec, CorruptCompressedDataIsRejected) {
    std::vector<uint8_t> png = encode_png(make_pattern(64, 64), 6);
    const PngChunk idat = list_chunks(png)[1];
    ASSERT_EQ(idat.type, "IDAT");
    // Damage the deflate stream but keep the chunk CRC valid, so zlib has to notice.
    for (size_t i = idat.length / 2; i < idat.length / 2 + 8; ++i) png[idat.data_offset + i] ^= 0x5a;
    fix_crc(png, idat);
    const Error error = catch_error([&] { decode_image(png.data(), png.size()); });
    EXPECT_ERROR_KIND(error, ErrorKind::bad_image);
    EXPECT_NE(std::string(error.what()).find("PNG: IDAT"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("corrupt"), std::string::npos) << error.what();
}

TEST(PngCodec, CrcErrorInImageDataIsRejected) {
    std::vector<uint8_t> png = encode_png(make_pattern(16, 16));
    const PngChunk idat = list_chunks(png)[1];
    png[idat.data_offset + idat.length] ^= 0x01; // the CRC's first byte
    const Error error = catch_error([&] { decode_image(png.data(), png.size()); });
    EXPECT_ERROR_KIND(error, ErrorKind::bad_image);
    EXPECT_NE(std::string(error.what()).find("CRC"), std::string::npos) << error.what();
}

// A valid header declaring 50000x50000 (10 GB as RGBA) in front of a few bytes of data.
std::vector<uint8_t> png_bomb(uint32_t width, uint32_t height) {
    std::vector<uint8_t> png = png_signature();
    append_chunk(png, "IHDR", ihdr_data(width, height, 8, kColorTypeRgba));
    // zlib stream of one zero byte: far less than the rows the header promises.
    append_chunk(png, "IDAT", {0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01});
    append_chunk(png, "IEND", {});
    return png;
}

TEST(PngCodec, DecompressionBombIsRefusedBeforeAllocating) {
    const std::vector<uint8_t> png = png_bomb(50000, 50000);
    const Error error = catch_error([&] { decode_image(png.data(), png.size()); });
    EXPECT_ERROR_KIND(error, ErrorKind::too_large);
    const std::string message = error.what();
    EXPECT_NE(message.find("50000x50000"), std::string::npos) << message;
    EXPECT_NE(message.find("before allocating"), std::string::npos) << message;

    // The header itself is fine: probing reports what it declares.
    const ImageInfo info = probe_image(png.data(), png.size());
    EXPECT_EQ(info.width, 50000u);
    EXPECT_EQ(info.height, 50000u);
    EXPECT_TRUE(info.has_alpha);
}

TEST(PngCodec, LongThinImageIsBoundByPixelsNotSides) {
    // 2,000,000 x 1 is over libpng's default 1,000,000-a-side limit but only 2 Mpx; refusing
    // it must be the pixel limit's decision. The missing rows make it bad_image, not too_large.
    const std::vector<uint8_t> png = png_bomb(2000000, 1);
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(png.data(), png.size()); }),
                      ErrorKind::bad_image);
    DecodeLimits limits;
    limits.max_pixels = 1999999;
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(png.data(), png.size(), limits); }),
                      ErrorKind::too_large);
}

TEST(PngCodec, PixelLimitIsInclusive) {
    const std::vector<uint8_t> png = encode_png(make_pattern(32, 32));
    DecodeLimits limits;
    limits.max_pixels = 32 * 32;
    EXPECT_EQ(decode_image(png.data(), png.size(), limits).width, 32u);
    limits.max_pixels = 32 * 32 - 1;
    EXPECT_ERROR_KIND(catch_error([&] { decode_image(png.data(), png.size(), limits); }),
                      ErrorKind::too_large);
}

} // namespace
} // namespace pictor
