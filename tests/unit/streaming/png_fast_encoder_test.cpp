#include <gtest/gtest.h>

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
        for (int filter : {0, 1, 2})
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

TEST(PngFastEncoder, CompressesAndIsTheUploadDefault) {
    const RgbaImage image = make_pattern(256, 256);
    const std::vector<uint8_t> upload = encode_image(image, ImageFormat::png); // EncodeOptions{}
    FastPngOptions up_filter;
    up_filter.zlib_level = 1;
    up_filter.filter = 2;
    EXPECT_EQ(upload, png_encode_fast(image, up_filter));
    EXPECT_LT(upload.size(), image.pixels.size() / 4); // a gradient compresses well
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
