#include <gtest/gtest.h>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/png_fast_encoder.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

using namespace test;

TEST(PngFastEncoder, EveryFilterAndBandCountDecodesExactly) {
    const RgbaImage image = make_pattern(123, 77);
    for (bool alpha : {true, false}) {
        RgbaImage source = image;
        if (!alpha)
            for (size_t i = 3; i < source.pixels.size(); i += 4) source.pixels[i] = 255;
        for (int filter : {0, 1, 2, 3, 4, kFastPngAdaptive})
            for (unsigned threads : {1u, 2u, 3u, 7u, 77u}) {
                FastPngOptions options;
                options.filter = filter;
                options.threads = threads; // bands joined by sync flushes, Adler-32s combined
                options.write_alpha = alpha;
                const std::vector<uint8_t> png = png_encode_fast(source, options);
                const RgbaImage back = decode_image(png.data(), png.size()); // libpng checks CRCs and Adler-32
                EXPECT_EQ(back.pixels, source.pixels) << "filter " << filter << " threads " << threads;
            }
    }
}

// Sizes and CRC-32s of what png_encode_fast returned when it assembled the whole file in one
// buffer before returning it (before the file was handed out band by band), with zlib 1.2.13.
struct AssembledPng {
    bool alpha;
    int filter;
    unsigned threads;
    size_t size;
    uint32_t crc;
};
constexpr AssembledPng kAssembled[] = {
    {false, 1, 1, 460279, 0xf04b47b5u}, {false, 1, 3, 460333, 0x34207f69u}, {false, 1, 4, 460331, 0x4eb50f9du},
    {false, 5, 1, 440967, 0xccc04977u}, {false, 5, 3, 441006, 0x0109a11du}, {false, 5, 4, 441028, 0x5048210eu},
    {true, 1, 1, 543909, 0x1dcdecf4u},  {true, 1, 3, 543908, 0xb4348c55u},  {true, 1, 4, 543951, 0xba1dc396u},
    {true, 5, 1, 525266, 0xb169d8b4u},  {true, 5, 3, 525287, 0x9e81a56cu},  {true, 5, 4, 525334, 0x5ba2f09fu},
};

TEST(PngFastEncoder, StreamedPngIsTheAssembledOneByteForByte) {
    for (const AssembledPng &expected : kAssembled) {
        const RgbaImage image = photo_like(640, 400, expected.alpha);
        FastPngOptions options;
        options.filter = expected.filter;
        options.threads = expected.threads;
        options.write_alpha = expected.alpha;
        options.zlib_strategy = Z_RLE;
        std::vector<uint8_t> streamed;
        size_t pieces = 0;
        const uint64_t written = png_encode_fast_to(image, options, [&](const uint8_t *data, size_t size) {
            streamed.insert(streamed.end(), data, data + size);
            ++pieces;
        });
        const std::string what = "alpha " + std::to_string(expected.alpha) + " filter " +
                                 std::to_string(expected.filter) + " threads " + std::to_string(expected.threads);
        EXPECT_EQ(written, streamed.size()) << what;
        EXPECT_EQ(pieces, expected.threads + 2) << what << ": the head, each band, the tail";
        EXPECT_EQ(streamed, png_encode_fast(image, options)) << what;
        EXPECT_EQ(decode_image(streamed.data(), streamed.size()).pixels, image.pixels) << what; // libpng
        if (std::strcmp(zlibVersion(), "1.2.13") != 0)
            continue; // another zlib may compress differently: the pixels above are the check
        EXPECT_EQ(streamed.size(), expected.size) << what;
        EXPECT_EQ(crc32(0, streamed.data(), uInt(streamed.size())), expected.crc) << what;
    }
}

TEST(PngFastEncoder, UploadDefaultIsNoBiggerThanLibpngsDefaultsOnAPhoto) {
    const RgbaImage photo = photo_like(640, 400);
    const std::vector<uint8_t> upload = encode_image(photo, ImageFormat::png); // EncodeOptions{}
    EncodeOptions libpng_defaults;
    libpng_defaults.png_zlib_level = 6; // libpng: level 6, its adaptive filter choice
    const std::vector<uint8_t> libpng = encode_image(photo, ImageFormat::png, libpng_defaults);
    EXPECT_LE(upload.size(), libpng.size());
    FastPngOptions up_filter; // what uploads sent before: Up on every row, level 1
    up_filter.filter = 2;
    up_filter.write_alpha = false;
    EXPECT_LT(upload.size() * 100, png_encode_fast(photo, up_filter).size() * 95); // >= 5% smaller
    EXPECT_EQ(decode_image(upload.data(), upload.size()).pixels, photo.pixels);
}

TEST(PngFastEncoder, SeveralImagesEncodeInParallelInOrder) {
    const RgbaImage a = make_pattern(300, 200), b = make_pattern(64, 64, false), c = make_pattern(1, 1);
    const auto encoded = encode_images({&a, &b, &c}, ImageFormat::png);
    ASSERT_EQ(encoded.size(), 3u);
    EXPECT_EQ(encoded[0], encode_image(a, ImageFormat::png));
    EXPECT_EQ(decode_image(encoded[1].data(), encoded[1].size()).pixels, b.pixels);
    EXPECT_EQ(decode_image(encoded[2].data(), encoded[2].size()).pixels, c.pixels);
    EXPECT_THROW(encode_images({&a, nullptr}, ImageFormat::png), Error);
}

} // namespace
} // namespace pictor
