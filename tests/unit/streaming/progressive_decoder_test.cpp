#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "error.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/progressive_decoder.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

using namespace test;

// Feeds the bytes as they would arrive, `piece` at a time, in a buffer that moves as it grows.
// Returns true and the image when the decoder finished.
bool feed_in_pieces(ImageFormat format, const std::vector<uint8_t> &bytes, size_t piece, RgbaImage &out,
                    size_t stop_at = SIZE_MAX) {
    auto decoder = make_progressive_decoder(format, DecodeLimits{});
    EXPECT_NE(decoder, nullptr);
    std::string buffer;
    const size_t end = std::min(stop_at, bytes.size());
    for (size_t at = 0; at < end; at += piece) {
        buffer.append(reinterpret_cast<const char *>(bytes.data()) + at, std::min(piece, end - at));
        std::string moved = buffer; // a different address each time, as a reallocated buffer
        buffer.swap(moved);
        decoder->update(reinterpret_cast<const uint8_t *>(buffer.data()), buffer.size());
    }
    if (!decoder->complete()) return false;
    out = decoder->take();
    return true;
}

struct Case {
    ImageFormat format;
    int quality;
};

class ProgressiveDecoderTest : public ::testing::TestWithParam<Case> {};

TEST_P(ProgressiveDecoderTest, GivesTheSamePixelsAsTheWholeFileDecoder) {
    const RgbaImage source = make_pattern(97, 61, GetParam().format == ImageFormat::png);
    EncodeOptions options;
    options.quality = GetParam().quality;
    options.png_zlib_level = 6;
    const std::vector<uint8_t> bytes = encode_image(source, GetParam().format, options);
    const RgbaImage whole = decode_image(bytes.data(), bytes.size());
    for (size_t piece : {size_t(1), size_t(7), size_t(500), bytes.size()}) {
        RgbaImage streamed;
        ASSERT_TRUE(feed_in_pieces(GetParam().format, bytes, piece, streamed)) << "piece " << piece;
        EXPECT_EQ(streamed.width, whole.width);
        EXPECT_EQ(streamed.height, whole.height);
        EXPECT_EQ(streamed.pixels, whole.pixels) << "piece " << piece;
    }
}

TEST_P(ProgressiveDecoderTest, ATruncatedFileNeverCompletes) {
    const std::vector<uint8_t> bytes = encode_image(make_pattern(64, 64), GetParam().format);
    RgbaImage image;
    bool complete = true;
    try {
        complete = feed_in_pieces(GetParam().format, bytes, 100, image, bytes.size() - 20);
    } catch (const Error &) {
        complete = false; // refusing is fine too: the whole-file decoder then reports it
    }
    EXPECT_FALSE(complete);
}

INSTANTIATE_TEST_SUITE_P(Formats, ProgressiveDecoderTest,
                         ::testing::Values(Case{ImageFormat::png, 90}, Case{ImageFormat::jpeg, 90},
                                           Case{ImageFormat::webp, 80}, Case{ImageFormat::webp, 100}));

TEST(ProgressiveDecoder, InterlacedPngMatchesItsReference) {
    // PngSuite's Adam7 files: every pass merges into the frame as it arrives.
    for (const char *name : {"basi2c08", "basi6a08", "basi3p04", "basi0g16"}) {
        const std::vector<uint8_t> bytes = read_binary(data_path(std::string("pngsuite/png/") + name + ".png"));
        const RgbaImage whole = decode_image(bytes.data(), bytes.size());
        RgbaImage streamed;
        ASSERT_TRUE(feed_in_pieces(ImageFormat::png, bytes, 13, streamed)) << name;
        EXPECT_EQ(streamed.pixels, whole.pixels) << name;
    }
}

TEST(ProgressiveDecoder, CorruptPngIsRefusedNotCompleted) {
    std::vector<uint8_t> bytes = encode_image(make_pattern(64, 64), ImageFormat::png);
    bytes[bytes.size() / 2] ^= 0x5a; // inside IDAT: the CRC no longer matches
    RgbaImage image;
    EXPECT_THROW(feed_in_pieces(ImageFormat::png, bytes, 64, image), Error);
}

TEST(ProgressiveDecoder, OversizedPngIsRefusedBeforeAllocating) {
    std::vector<uint8_t> bytes = encode_image(make_pattern(16, 16), ImageFormat::png);
    DecodeLimits limits;
    limits.max_pixels = 100; // 16x16 = 256 pixels
    auto decoder = make_progressive_decoder(ImageFormat::png, limits);
    try {
        decoder->update(bytes.data(), bytes.size());
        FAIL() << "expected a refusal";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::too_large);
    }
}

} // namespace
} // namespace pictor
