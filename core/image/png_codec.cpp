#include "image/png_codec.hpp"

#include <png.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <new>
#include <optional>
#include <string>

#include "error.hpp"
#include "image/png_fast_encoder.hpp"
#include "image/png_rgba8_transforms.hpp"

namespace pictor {

namespace {

// libpng reports errors by longjmp. Each function below that calls setjmp keeps only trivially
// destructible locals (longjmp skips destructors); everything that outlives an error sits in
// these structs, owned by a caller.
struct PngCallbackState {
    char message[256] = "";
};

struct PngReadState : PngCallbackState {
    const uint8_t *data = nullptr;
    size_t size = 0;
    size_t offset = 0;
    bool truncated = false;
    bool cancelled = false;
};

struct PngWriteState : PngCallbackState {
    std::vector<uint8_t> *out = nullptr;
    bool out_of_memory = false;
};

void on_png_error(png_structp png, png_const_charp message) {
    auto *state = static_cast<PngCallbackState *>(png_get_error_ptr(png));
    std::snprintf(state->message, sizeof state->message, "%s", message);
    png_longjmp(png, 1);
}

// Warnings (a bad ancillary chunk's CRC, an odd iCCP profile) change nothing the user could act
// on, and a library must not write to the host's stderr.
void on_png_warning(png_structp, png_const_charp) {}

// Once the last row is read, libpng checks the rest of the zlib stream (its Adler-32 above all)
// but reports a failure there only as a warning. Those warnings mean the pixels are not what the
// encoder wrote, so when reading they are errors; other warnings stay silent.
void on_png_read_warning(png_structp png, png_const_charp message) {
    if (std::strncmp(message, "IDAT", 4) == 0) on_png_error(png, message);
}

void read_png_bytes(png_structp png, png_bytep out, size_t length) {
    auto *state = static_cast<PngReadState *>(png_get_io_ptr(png));
    if (state->size - state->offset < length) {
        state->truncated = true;
        png_error(png, "the data ends early");
    }
    std::memcpy(out, state->data + state->offset, length);
    state->offset += length;
}

// Called from inside libpng: no exception may cross it, so a failed allocation is recorded and
// reported once libpng returns.
void write_png_bytes(png_structp png, png_bytep data, size_t length) {
    auto *state = static_cast<PngWriteState *>(png_get_io_ptr(png));
    if (state->out_of_memory) return;
    try {
        state->out->insert(state->out->end(), data, data + length);
    } catch (const std::bad_alloc &) {
        state->out_of_memory = true;
    }
}

void flush_png(png_structp) {}

[[noreturn]] void throw_decode_error(const PngReadState &state) {
    if (state.cancelled) throw_decode_cancelled();
    if (state.truncated)
        throw Error(ErrorKind::bad_image,
                    "PNG: the data ends early — the image is truncated (an incomplete download?)");
    throw Error(ErrorKind::bad_image,
                std::string("PNG: ") + state.message + " — the image data is corrupt");
}

class PngReader {
public:
    PngReader(const uint8_t *data, size_t size) {
        state.data = data;
        state.size = size;
        png = png_create_read_struct(PNG_LIBPNG_VER_STRING,
                                     static_cast<PngCallbackState *>(&state), on_png_error,
                                     on_png_read_warning);
        if (png != nullptr) info = png_create_info_struct(png);
        if (png == nullptr || info == nullptr) {
            png_destroy_read_struct(&png, &info, nullptr);
            throw Error(ErrorKind::no_memory, "PNG: out of memory creating the decoder");
        }
        png_set_read_fn(png, &state, read_png_bytes);
        // libpng's default of 1,000,000 per side would refuse a legitimate 1,000,001 x 16 strip;
        // DecodeLimits::max_pixels is the real guard, so allow what the PNG spec allows.
        png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
        png_set_chunk_malloc_max(png, kPngChunkMallocMax);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
        png_set_crc_action(png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
#endif
    }
    ~PngReader() { png_destroy_read_struct(&png, &info, nullptr); }
    PngReader(const PngReader &) = delete;
    PngReader &operator=(const PngReader &) = delete;

    PngReadState state;
    png_structp png = nullptr;
    png_infop info = nullptr;
};

bool read_png_info(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_read_info(png, info);
    return true;
}

bool set_rgba8_transforms(png_structp png, png_infop info, int *passes) {
    if (setjmp(png_jmpbuf(png))) return false;
    *passes = set_png_rgba8_output(png, info);
    return true;
}

// Rows go straight into the image; for interlaced files libpng merges each pass into them.
// A cancel is looked at every 16 rows (a 4K row is ~15 us of work).
bool read_png_pixels(png_structp png, PngReadState &state, const DecodeLimits &limits,
                     uint8_t *pixels, size_t stride, uint32_t height, int passes) {
    if (setjmp(png_jmpbuf(png))) return false;
    for (int pass = 0; pass < passes; ++pass)
        for (uint32_t y = 0; y < height; ++y) {
            if ((y & 15) == 0 && decode_cancelled(limits)) {
                state.cancelled = true;
                return false;
            }
            png_read_row(png, pixels + y * stride, nullptr);
        }
    // Reads to IEND, so a file cut after its last row still fails (and zlib's check is verified).
    png_read_end(png, nullptr);
    return true;
}

class PngWriter {
public:
    explicit PngWriter(std::vector<uint8_t> &out) {
        state.out = &out;
        png = png_create_write_struct(PNG_LIBPNG_VER_STRING,
                                      static_cast<PngCallbackState *>(&state), on_png_error,
                                      on_png_warning);
        if (png != nullptr) info = png_create_info_struct(png);
        if (png == nullptr || info == nullptr) {
            png_destroy_write_struct(&png, &info);
            throw Error(ErrorKind::no_memory, "PNG: out of memory creating the encoder");
        }
        png_set_write_fn(png, &state, write_png_bytes, flush_png);
    }
    ~PngWriter() { png_destroy_write_struct(&png, &info); }
    PngWriter(const PngWriter &) = delete;
    PngWriter &operator=(const PngWriter &) = delete;

    PngWriteState state;
    png_structp png = nullptr;
    png_infop info = nullptr;
};

// libpng's per-row filter choice with run-length-only deflate: on photographs as small as
// libpng's level 6 (or smaller) at about a tenth of its time; filtered photo rows hold few
// long-distance matches worth searching for.
constexpr int kFastPngFilter = kFastPngAdaptive;
constexpr int kFastPngStrategy = Z_RLE;

bool write_png(png_structp png, png_infop info, const RgbaImage &image, bool write_alpha,
               int zlib_level) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_IHDR(png, info, image.width, image.height, 8,
                 write_alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, zlib_level);
    // libpng's adaptive choice tries all five filters on every row. At fast zlib levels that
    // search is a visible share of the time (~10% at level 1 on a 4K image) and Up, fixed,
    // compresses as well or better.
    if (zlib_level <= 3) png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_write_info(png, info);
    // RGB output from RGBA rows: libpng drops the fourth byte of each pixel.
    if (!write_alpha) png_set_filler(png, 0, PNG_FILLER_AFTER);
    const size_t stride = image.stride();
    for (uint32_t y = 0; y < image.height; ++y)
        png_write_row(png, image.pixels.data() + y * stride);
    png_write_end(png, info);
    return true;
}

} // namespace

ImageInfo png_probe(const uint8_t *data, size_t size) {
    PngReader reader(data, size);
    if (!read_png_info(reader.png, reader.info)) throw_decode_error(reader.state);
    ImageInfo result;
    result.format = ImageFormat::png;
    result.width = png_get_image_width(reader.png, reader.info);
    result.height = png_get_image_height(reader.png, reader.info);
    result.has_alpha = (png_get_color_type(reader.png, reader.info) & PNG_COLOR_MASK_ALPHA) != 0 ||
                       png_get_valid(reader.png, reader.info, PNG_INFO_tRNS) != 0;
    return result;
}

RgbaImage png_decode(const uint8_t *data, size_t size, const DecodeLimits &limits) {
    PngReader reader(data, size);
    if (!read_png_info(reader.png, reader.info)) throw_decode_error(reader.state);

    RgbaImage image;
    image.width = png_get_image_width(reader.png, reader.info);
    image.height = png_get_image_height(reader.png, reader.info);
    check_decode_limits(ImageFormat::png, image.width, image.height, limits);

    int passes = 1;
    if (!set_rgba8_transforms(reader.png, reader.info, &passes)) throw_decode_error(reader.state);
    if (png_get_rowbytes(reader.png, reader.info) != image.stride())
        throw Error(ErrorKind::internal, "PNG: libpng did not produce 8-bit RGBA rows");

    image.pixels.resize(image.stride() * image.height);
    if (!read_png_pixels(reader.png, reader.state, limits, image.pixels.data(), image.stride(),
                         image.height, passes))
        throw_decode_error(reader.state);
    return image;
}

namespace {

// Checks the options; the fast encoder's settings for levels 1-3, nothing for libpng's levels.
std::optional<FastPngOptions> fast_png_options(const RgbaImage &image, const EncodeOptions &options) {
    if (options.png_zlib_level < 0 || options.png_zlib_level > 9)
        throw Error(ErrorKind::invalid_argument,
                    "PNG: zlib level " + std::to_string(options.png_zlib_level) +
                        " is out of range — use 0 (store) to 9 (smallest)");
    if (image.width > PNG_UINT_31_MAX || image.height > PNG_UINT_31_MAX)
        throw Error(ErrorKind::invalid_argument, "PNG: the image is wider or taller than "
                                                 "2^31-1 pixels, the most a PNG can hold");
    if (options.png_zlib_level < 1 || options.png_zlib_level > 3)
        return std::nullopt;
    // Uploads: adaptive filters, run-length deflate, bands compressed in parallel (see
    // png_fast_encoder.hpp); ~10x faster than libpng's defaults, no more bytes on photos.
    FastPngOptions fast;
    fast.zlib_level = options.png_zlib_level;
    fast.zlib_strategy = kFastPngStrategy;
    fast.filter = kFastPngFilter;
    fast.write_alpha = options.keep_alpha || !all_opaque(image);
    return fast;
}

std::vector<uint8_t> libpng_encode(const RgbaImage &image, const EncodeOptions &options) {
    std::vector<uint8_t> out;
    {
        PngWriter writer(out);
        if (!write_png(writer.png, writer.info, image, options.keep_alpha || !all_opaque(image),
                       options.png_zlib_level))
            throw Error(ErrorKind::internal, std::string("PNG encoder: ") + writer.state.message);
        if (writer.state.out_of_memory)
            throw Error(ErrorKind::no_memory, "PNG: out of memory holding the encoded image");
    }
    return out;
}

} // namespace

std::vector<uint8_t> png_encode(const RgbaImage &image, const EncodeOptions &options) {
    if (const auto fast = fast_png_options(image, options))
        return png_encode_fast(image, *fast);
    return libpng_encode(image, options);
}

uint64_t png_encode_to(const RgbaImage &image, const EncodeOptions &options, const ByteSink &sink) {
    if (const auto fast = fast_png_options(image, options))
        return png_encode_fast_to(image, *fast, sink);
    const std::vector<uint8_t> png = libpng_encode(image, options);
    sink(png.data(), png.size());
    return png.size();
}

bool all_opaque(const RgbaImage &image) {
    const uint8_t *p = image.pixels.data();
    const size_t count = size_t(image.width) * image.height;
    for (size_t i = 0; i < count; ++i)
        if (p[i * 4 + 3] != 0xff) return false;
    return true;
}

} // namespace pictor
