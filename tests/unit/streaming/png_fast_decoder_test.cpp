// The fast PNG reader (png_fast_decoder.cpp) against libpng: the same pixels for every filter,
// layout and arrival pattern; PngSuite's odd files left to libpng with the same result; and never
// an image from data libpng refuses.
#include <gtest/gtest.h>
#include <png.h>
#include <zlib.h>

#include <dirent.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "error.hpp"
#include "image/image_decode.hpp"
#include "image/png_unfilter.hpp"
#include "image/progressive_decoder.hpp"
#include "image_test_support.hpp"
#include "png_chunks.hpp"

namespace pictor {
namespace {

using namespace test;

// The decoder's verdict on bytes arriving `piece` at a time in a buffer that moves as it grows:
// the image when it completed, nothing when it threw or never completed.
struct Outcome {
    bool complete = false;
    RgbaImage image;
};

Outcome feed(const std::vector<uint8_t> &bytes, size_t piece, const DecodeLimits &limits = {}) {
    Outcome outcome;
    auto decoder = make_png_fast_progressive_decoder(limits);
    std::string buffer;
    try {
        for (size_t at = 0; at < bytes.size(); at += piece) {
            buffer.append(reinterpret_cast<const char *>(bytes.data()) + at, std::min(piece, bytes.size() - at));
            std::string moved = buffer;
            buffer.swap(moved);
            decoder->update(reinterpret_cast<const uint8_t *>(buffer.data()), buffer.size());
        }
    } catch (const Error &) {
        return outcome;
    }
    if (decoder->complete()) {
        outcome.complete = true;
        outcome.image = decoder->take();
    }
    return outcome;
}

bool libpng_decodes(const std::vector<uint8_t> &bytes, RgbaImage *out = nullptr) {
    try {
        RgbaImage image = decode_image(bytes.data(), bytes.size());
        if (out != nullptr) *out = std::move(image);
        return true;
    } catch (const Error &) {
        return false;
    }
}

// The contract with the caller: whenever the reader completes, libpng agrees to the last pixel.
void expect_never_more_lenient(const std::vector<uint8_t> &bytes, const std::string &what) {
    for (size_t piece : {size_t(1), size_t(7), size_t(4096), bytes.size()}) {
        const Outcome fast = feed(bytes, piece);
        if (!fast.complete) continue;
        RgbaImage reference;
        ASSERT_TRUE(libpng_decodes(bytes, &reference)) << what << ": completed where libpng refuses, piece " << piece;
        EXPECT_EQ(fast.image.width, reference.width) << what;
        EXPECT_EQ(fast.image.height, reference.height) << what;
        EXPECT_TRUE(fast.image.pixels == reference.pixels) << what << ", piece " << piece;
    }
}

// Small pieces re-copy the growing buffer each time: big images use big ones.
void expect_same_as_libpng(const std::vector<uint8_t> &bytes, const std::string &what, size_t smallest_piece = 1) {
    RgbaImage reference;
    ASSERT_TRUE(libpng_decodes(bytes, &reference)) << what;
    for (size_t piece : {smallest_piece, smallest_piece * 7, size_t(4096), bytes.size()}) {
        const Outcome fast = feed(bytes, piece);
        ASSERT_TRUE(fast.complete) << what << ", piece " << piece;
        EXPECT_EQ(fast.image.width, reference.width) << what;
        EXPECT_EQ(fast.image.height, reference.height) << what;
        EXPECT_TRUE(fast.image.pixels == reference.pixels) << what << ", piece " << piece;
    }
}

// Noise with some smooth areas, so every filter and every Paeth branch is taken.
RgbaImage make_noise(uint32_t width, uint32_t height, uint32_t seed) {
    std::mt19937 random(seed);
    RgbaImage image = make_pattern(width, height, true);
    for (size_t i = 0; i < image.pixels.size(); ++i)
        if (random() % 3 == 0) image.pixels[i] = uint8_t(random());
    return image;
}

// libpng writing with one filter (or its adaptive choice), RGB or RGBA.
std::vector<uint8_t> write_png(const RgbaImage &image, bool alpha, int filters, int interlace = PNG_INTERLACE_NONE) {
    std::vector<uint8_t> out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        ADD_FAILURE() << "libpng could not write the test image";
        return {};
    }
    png_set_write_fn(
        png, &out,
        [](png_structp p, png_bytep data, size_t size) {
            auto *bytes = static_cast<std::vector<uint8_t> *>(png_get_io_ptr(p));
            bytes->insert(bytes->end(), data, data + size);
        },
        nullptr);
    png_set_IHDR(png, info, image.width, image.height, 8, alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    png_write_info(png, info);
    if (!alpha) png_set_filler(png, 0, PNG_FILLER_AFTER); // drops our fourth byte
    const int passes = png_set_interlace_handling(png);
    for (int pass = 0; pass < passes; ++pass)
        for (uint32_t y = 0; y < image.height; ++y)
            png_write_row(png, image.pixels.data() + y * image.stride());
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return out;
}

// A PNG built by hand from filtered rows (filter byte + samples each), the zlib stream cut into
// IDAT chunks of `idat_size`; `edit` may change the stream before it is cut.
std::vector<uint8_t> build_png(uint32_t width, uint32_t height, uint8_t color_type, const std::vector<uint8_t> &rows,
                               size_t idat_size = 1 << 20,
                               const std::function<std::vector<uint8_t>(std::vector<uint8_t>)> &edit = {}) {
    uLongf size = compressBound(uLong(rows.size()));
    std::vector<uint8_t> stream(size);
    EXPECT_EQ(compress2(stream.data(), &size, rows.data(), uLong(rows.size()), 6), Z_OK);
    stream.resize(size);
    if (edit) stream = edit(stream);
    std::vector<uint8_t> png = png_signature();
    append_chunk(png, "IHDR", ihdr_data(width, height, 8, color_type));
    for (size_t at = 0; at < stream.size(); at += idat_size)
        append_chunk(png, "IDAT", std::vector<uint8_t>(stream.begin() + long(at),
                                                       stream.begin() + long(std::min(stream.size(), at + idat_size))));
    append_chunk(png, "IEND", {});
    return png;
}

std::vector<uint8_t> noise_rows(uint32_t width, uint32_t height, int channels, uint8_t filter) {
    std::mt19937 random(7);
    std::vector<uint8_t> rows;
    for (uint32_t y = 0; y < height; ++y) {
        rows.push_back(filter);
        for (uint32_t i = 0; i < width * uint32_t(channels); ++i) rows.push_back(uint8_t(random()));
    }
    return rows;
}

TEST(PngUnfilter, MatchesThePngSpecOnRandomRows) {
    std::mt19937 random(1);
    for (int channels : {3, 4}) {
        for (uint32_t width : {1u, 2u, 3u, 5u, 16u, 17u, 333u}) {
            for (uint8_t filter = 0; filter <= 4; ++filter) {
                std::vector<uint8_t> prior(width * 4), filtered(width * channels + 1), out(width * 4);
                for (auto &v : prior) v = uint8_t(random());
                for (auto &v : filtered) v = uint8_t(random());
                // The spec, byte by byte, on the previous row's samples.
                std::vector<uint8_t> expected(width * 4);
                for (uint32_t i = 0; i < width; ++i) {
                    for (int k = 0; k < channels; ++k) {
                        const int a = i > 0 ? expected[(i - 1) * 4 + k] : 0;
                        const int b = prior[i * 4 + k];
                        const int c = i > 0 ? prior[(i - 1) * 4 + k] : 0;
                        int predictor = 0;
                        if (filter == 1) predictor = a;
                        if (filter == 2) predictor = b;
                        if (filter == 3) predictor = (a + b) / 2;
                        if (filter == 4) {
                            const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
                            predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                        }
                        expected[i * 4 + k] = uint8_t(filtered[i * channels + k] + predictor);
                    }
                    if (channels == 3) expected[i * 4 + 3] = 0xff;
                }
                ASSERT_TRUE(unfilter_png_row_to_rgba(filter, filtered.data(), prior.data(), out.data(), width, channels));
                EXPECT_EQ(out, expected) << "channels " << channels << ", width " << width << ", filter " << int(filter);
            }
            std::vector<uint8_t> row(width * 4 + 1), out(width * 4);
            EXPECT_FALSE(unfilter_png_row_to_rgba(5, row.data(), row.data(), out.data(), width, channels));
        }
    }
}

int paeth_by_the_spec(int a, int b, int c) {
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// The vector Paeth chooses by thresholds computed from b and c (png_unfilter.cpp): every one of
// the 2^24 triples (a, b, c) is checked, in the first and in the second pixel of a register
// pair (and, once a row, as an odd width's last pixel, decoded alone). Each test pixel follows
// a setup pixel whose filtered byte is chosen to make it decode to the wanted a.
TEST(PngUnfilter, PaethMatchesTheSpecForEveryNeighbourTriple) {
    constexpr uint32_t kTestsPerRow = 2047;
    for (int channels : {3, 4}) {
        for (uint32_t shift : {0u, 1u}) { // test pixels at odd (second of a pair) or even places
            const uint32_t kWidth = 4096 - shift; // shifted, the last test pixel ends an odd row
            uint64_t triple = 0, mismatches = 0;
            std::vector<uint8_t> prior(kWidth * 4), filtered(kWidth * channels + 8), out(kWidth * 4);
            while (triple < (uint64_t(1) << 24)) {
                std::fill(prior.begin(), prior.end(), uint8_t(0));
                std::fill(filtered.begin(), filtered.end(), uint8_t(0));
                std::vector<uint8_t> expected(kWidth * 4, 0);
                std::vector<uint8_t> left(4, 0); // decoded samples of the pixel before the setup one
                std::vector<uint32_t> tests;
                for (uint32_t n = 0; n < kTestsPerRow; ++n) {
                    const uint32_t setup = shift + 2 * n, test = setup + 1;
                    for (int k = 0; k < channels; ++k, ++triple) {
                        const uint32_t t = uint32_t(triple % (uint64_t(1) << 24));
                        const int a = int(t >> 16), b = int(t >> 8 & 0xff), c = int(t & 0xff);
                        const int left_a = setup > 0 ? expected[(setup - 1) * 4 + k] : 0;
                        const int left_c = setup > 0 ? prior[(setup - 1) * 4 + k] : 0;
                        prior[setup * 4 + k] = uint8_t(c);
                        prior[test * 4 + k] = uint8_t(b);
                        filtered[setup * channels + k] = uint8_t(a - paeth_by_the_spec(left_a, c, left_c));
                        expected[setup * 4 + k] = uint8_t(a);
                        filtered[test * channels + k] = uint8_t(t * 2654435761u >> 24);
                        expected[test * 4 + k] = uint8_t(filtered[test * channels + k] + paeth_by_the_spec(a, b, c));
                    }
                    tests.push_back(test);
                }
                ASSERT_TRUE(unfilter_png_row_to_rgba(4, filtered.data(), prior.data(), out.data(), kWidth, channels));
                for (uint32_t test : tests)
                    for (int k = 0; k < channels; ++k)
                        if (out[test * 4 + k] != expected[test * 4 + k] && ++mismatches <= 5)
                            ADD_FAILURE() << "channels " << channels << ", pixel " << test << ", lane " << k;
            }
            EXPECT_EQ(mismatches, 0u) << "channels " << channels << ", shift " << shift;
        }
    }
}

TEST(PngFastDecoder, EveryFilterAndLayoutGivesLibpngsPixels) {
    const int filter_sets[] = {PNG_FILTER_NONE, PNG_FILTER_SUB, PNG_FILTER_UP, PNG_FILTER_AVG, PNG_FILTER_PAETH,
                               PNG_ALL_FILTERS};
    const std::pair<uint32_t, uint32_t> sizes[] = {{1, 1}, {2, 3}, {97, 61}, {513, 7}};
    for (bool alpha : {false, true}) {
        for (int filters : filter_sets) {
            for (auto [width, height] : sizes) {
                const std::vector<uint8_t> bytes = write_png(make_noise(width, height, width + height), alpha, filters);
                expect_same_as_libpng(bytes, (alpha ? "RGBA " : "RGB ") + std::to_string(width) + "x" +
                                                 std::to_string(height) + " filters " + std::to_string(filters));
            }
        }
    }
}

TEST(PngFastDecoder, ManySmallIdatChunksAndAncillaryChunks) {
    const uint32_t width = 31, height = 9;
    std::vector<uint8_t> png = build_png(width, height, 2, noise_rows(width, height, 3, 4), 5);
    // tEXt and gAMA before the image data, tIME after it: skipped, as libpng skips them for RGBA.
    std::vector<uint8_t> with_text = png_signature();
    const auto chunks = list_chunks(png);
    for (const PngChunk &chunk : chunks) {
        if (chunk.type == "IDAT" && &chunk == &chunks[1]) {
            append_chunk(with_text, "tEXt", {'C', 'o', 'm', 'm', 'e', 'n', 't', 0, 'h', 'i'});
            append_chunk(with_text, "gAMA", {0, 0, 0xb1, 0x8f});
        }
        if (chunk.type == "IEND") append_chunk(with_text, "tIME", {0x07, 0xea, 12, 1, 12, 0, 0});
        with_text.insert(with_text.end(), png.begin() + long(chunk.offset),
                         png.begin() + long(chunk.data_offset + chunk.length + 4));
    }
    expect_same_as_libpng(png, "1-byte IDAT chunks");
    expect_same_as_libpng(with_text, "ancillary chunks around the image data");
}

TEST(PngFastDecoder, FilesItDoesNotReadAreLeftToLibpngWithTheSameResult) {
    // Interlaced, a transparent colour key, a suggested palette: libpng's progressive reader.
    const RgbaImage noise = make_noise(40, 30, 3);
    expect_same_as_libpng(write_png(noise, true, PNG_ALL_FILTERS, PNG_INTERLACE_ADAM7), "interlaced RGBA");
    std::vector<uint8_t> rows = noise_rows(8, 4, 3, 0);
    rows[1] = rows[2] = rows[3] = 0; // the first pixel is black: the colour key below
    const std::vector<uint8_t> plain = build_png(8, 4, 2, rows);
    for (const char *type : {"tRNS", "PLTE"}) {
        std::vector<uint8_t> png(plain.begin(), plain.begin() + 33); // signature + IHDR
        append_chunk(png, type, std::string(type) == "tRNS" ? std::vector<uint8_t>{0, 0, 0, 0, 0, 0}
                                                            : std::vector<uint8_t>{1, 2, 3, 4, 5, 6});
        png.insert(png.end(), plain.begin() + 33, plain.end());
        expect_same_as_libpng(png, type);
        if (std::string(type) == "tRNS") {
            const Outcome outcome = feed(png, png.size());
            EXPECT_EQ(outcome.image.pixels[3], 0) << "the colour key is transparent";
        }
    }
}

TEST(PngFastDecoder, PngSuiteGivesLibpngsVerdict) {
    const std::string folder = data_path("pngsuite/png");
    DIR *dir = opendir(folder.c_str());
    ASSERT_NE(dir, nullptr);
    int files = 0, corrupt = 0;
    while (dirent *entry = readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.size() < 5 || name.substr(name.size() - 4) != ".png") continue;
        const std::vector<uint8_t> bytes = read_binary(folder + "/" + name);
        ++files;
        if (libpng_decodes(bytes)) {
            expect_same_as_libpng(bytes, name);
        } else {
            ++corrupt;
            for (size_t piece : {size_t(1), size_t(64), bytes.size()})
                EXPECT_FALSE(feed(bytes, piece).complete) << name << " completed, libpng refuses it";
        }
    }
    closedir(dir);
    EXPECT_GT(files, 170);
    EXPECT_GE(corrupt, 14);
}

// Each is refused by libpng too; the reader must not complete, however the bytes arrive.
TEST(PngFastDecoder, CorruptImageDataIsNeverCompleted) {
    const uint32_t width = 23, height = 11;
    const std::vector<uint8_t> rows = noise_rows(width, height, 4, 4);
    struct Case {
        std::string what;
        std::vector<uint8_t> png;
    };
    std::vector<Case> cases;
    cases.push_back({"bad Adler-32", build_png(width, height, 6, rows, 1 << 20, [](std::vector<uint8_t> s) {
                         s.back() ^= 1;
                         return s;
                     })});
    cases.push_back({"extra compressed data", build_png(width, height, 6, rows, 1 << 20, [](std::vector<uint8_t> s) {
                         s.insert(s.end(), {0x03, 0x00});
                         return s;
                     })});
    // ISA-L reads ahead into its bit buffer: a stray byte right after a short stream (blank
    // rows compress to a few bytes) ends up there, not in avail_in (found by
    // fuzz_png_fast_decoder).
    const std::vector<uint8_t> blank(size_t(height) * (1 + width * 4), 0);
    for (size_t stray = 1; stray <= 9; ++stray)
        cases.push_back({std::to_string(stray) + " stray bytes after a short stream",
                         build_png(width, height, 6, blank, 1 << 20, [stray](std::vector<uint8_t> s) {
                             s.insert(s.end(), stray, uint8_t(0x23));
                             return s;
                         })});
    cases.push_back({"preset dictionary flag", build_png(width, height, 6, rows, 1 << 20, [](std::vector<uint8_t> s) {
                         s[1] = uint8_t(s[1] | 0x20);
                         s[1] = uint8_t(s[1] - (s[0] * 256u + s[1]) % 31); // keep the check value valid
                         return s;
                     })});
    cases.push_back({"bad zlib check value", build_png(width, height, 6, rows, 1 << 20, [](std::vector<uint8_t> s) {
                         s[1] ^= 1;
                         return s;
                     })});
    std::vector<uint8_t> short_rows(rows.begin(), rows.end() - 5);
    cases.push_back({"too little data", build_png(width, height, 6, short_rows)});
    std::vector<uint8_t> long_rows = rows;
    long_rows.insert(long_rows.end(), {0, 1, 2, 3, 4});
    cases.push_back({"too much data", build_png(width, height, 6, long_rows)});
    std::vector<uint8_t> bad_filter = rows;
    bad_filter[size_t(5) * (1 + width * 4)] = 5;
    cases.push_back({"unknown filter type", build_png(width, height, 6, bad_filter)});
    std::vector<uint8_t> bad_crc = build_png(width, height, 6, rows, 50);
    bad_crc[list_chunks(bad_crc)[2].data_offset + 3] ^= 0x10;
    cases.push_back({"bad IDAT CRC", bad_crc});
    std::vector<uint8_t> no_end = build_png(width, height, 6, rows);
    no_end.resize(no_end.size() - 12);
    cases.push_back({"no IEND", no_end});
    for (const Case &c : cases) {
        // The same file with a suggested palette goes to libpng's progressive reader instead.
        std::vector<uint8_t> to_libpng(c.png.begin(), c.png.begin() + 33); // signature + IHDR
        append_chunk(to_libpng, "PLTE", {1, 2, 3});
        to_libpng.insert(to_libpng.end(), c.png.begin() + 33, c.png.end());
        for (const auto &[png, reader] : {std::pair(c.png, "fast reader"), std::pair(to_libpng, "libpng's")}) {
            EXPECT_FALSE(libpng_decodes(png)) << c.what << ": libpng accepts it, so the case tests nothing";
            for (size_t piece : {size_t(1), size_t(9), png.size()})
                EXPECT_FALSE(feed(png, piece).complete) << c.what << ", " << reader << ", piece " << piece;
        }
    }
}

// Found by fuzz_png_fast_decoder: libpng's progressive reader reaches IEND without a word when
// the zlib stream ends before the last row; its whole-file reader says "Not enough image data".
TEST(PngFastDecoder, TooLittleDataInAFileLeftToLibpngIsNeverCompleted) {
    std::vector<uint8_t> rows = noise_rows(8, 32, 3, 0);
    rows.resize(rows.size() / 2);
    const std::vector<uint8_t> plain = build_png(8, 32, 2, rows);
    std::vector<uint8_t> png(plain.begin(), plain.begin() + 33); // signature + IHDR
    append_chunk(png, "PLTE", {1, 2, 3}); // a suggested palette: the file goes to libpng
    png.insert(png.end(), plain.begin() + 33, plain.end());
    EXPECT_FALSE(libpng_decodes(png));
    for (size_t piece : {size_t(1), size_t(50), png.size()}) EXPECT_FALSE(feed(png, piece).complete) << "piece " << piece;
    auto libpng = make_png_progressive_decoder(DecodeLimits{});
    try {
        libpng->update(png.data(), png.size());
    } catch (const Error &) {
    }
    EXPECT_FALSE(libpng->complete());
}

TEST(PngFastDecoder, OddChunkOrdersAreNeverMoreLenientThanLibpng) {
    const uint32_t width = 17, height = 6;
    const std::vector<uint8_t> png = build_png(width, height, 2, noise_rows(width, height, 3, 3), 40);
    const auto chunks = list_chunks(png);
    // A chunk inserted before each chunk in turn: ancillary, critical unknown, a second IHDR,
    // tRNS / PLTE after the data, a badly named one.
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> inserts = {
        {"tEXt", {'a', 0, 'b'}}, {"ABCD", {1}}, {"IHDR", ihdr_data(width, height, 8, 2)},
        {"tRNS", {0, 0, 0, 0, 0, 0}}, {"PLTE", {1, 2, 3}}, {"IEND", {}}, {"IDAT", {}}};
    for (size_t at = 1; at < chunks.size(); ++at) {
        for (const auto &[type, data] : inserts) {
            std::vector<uint8_t> odd(png.begin(), png.begin() + long(chunks[at].offset));
            append_chunk(odd, type.c_str(), data);
            odd.insert(odd.end(), png.begin() + long(chunks[at].offset), png.end());
            expect_never_more_lenient(odd, type + " before chunk " + std::to_string(at));
        }
        std::vector<uint8_t> bad_name(png.begin(), png.begin() + long(chunks[at].offset));
        append_chunk(bad_name, "tE1t", {1});
        bad_name.insert(bad_name.end(), png.begin() + long(chunks[at].offset), png.end());
        expect_never_more_lenient(bad_name, "a badly named chunk before chunk " + std::to_string(at));
    }
}

// Over 1 MB of rows: the unfilter runs on its own thread (png_row_pipeline.cpp).
TEST(PngFastDecoder, BigImagesGiveTheSamePixelsFromTheSecondThread) {
    const RgbaImage noise = make_noise(1200, 400, 9);
    expect_same_as_libpng(write_png(noise, false, PNG_ALL_FILTERS), "RGB 1200x400", 4000);
    expect_same_as_libpng(write_png(noise, true, PNG_FILTER_PAETH), "RGBA 1200x400", 4000);
    std::vector<uint8_t> rows = noise_rows(1200, 400, 4, 3);
    rows[size_t(350) * (1 + 1200 * 4)] = 7; // a bad filter type late in the image
    const std::vector<uint8_t> bad = build_png(1200, 400, 6, rows, 1 << 16);
    EXPECT_FALSE(libpng_decodes(bad));
    for (size_t piece : {size_t(4096), bad.size()}) EXPECT_FALSE(feed(bad, piece).complete) << "piece " << piece;
    // Dropped half way (the answer failed): the thread stops, nothing leaks or hangs.
    auto decoder = make_png_fast_progressive_decoder(DecodeLimits{});
    decoder->update(bad.data(), bad.size() / 2);
    EXPECT_FALSE(decoder->complete());
}

TEST(PngFastDecoder, OverTheLimitIsRefusedBeforeAllocating) {
    const std::vector<uint8_t> bytes = write_png(make_noise(16, 16, 1), false, PNG_ALL_FILTERS);
    DecodeLimits limits;
    limits.max_pixels = 255;
    auto decoder = make_png_fast_progressive_decoder(limits);
    try {
        decoder->update(bytes.data(), 40); // signature + IHDR: nothing allocated yet
        FAIL() << "expected a refusal";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::too_large);
    }
}

} // namespace
} // namespace pictor
