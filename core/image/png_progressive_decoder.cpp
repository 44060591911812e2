// PNG decoded as it arrives, through libpng's progressive reader (png_process_data): rows land
// in the frame as their compressed bytes come in.
#include <png.h>

#include <cstdio>
#include <cstring>
#include <new>
#include <string>

#include "error.hpp"
#include "image/png_codec.hpp"
#include "image/png_rgba8_transforms.hpp"
#include "image/progressive_decoder.hpp"

namespace pictor {
namespace {

// libpng reports errors by longjmp; the callbacks below keep only trivially destructible locals
// and record failures in this state instead of throwing through C frames.
struct ProgressiveState {
    DecodeLimits limits;
    RgbaImage image;
    char message[256] = "";
    bool refused = false;   // over the limits, or not 8-bit RGBA rows: left to decode_image
    bool ended = false;     // IEND reached
    bool finished = false;  // ... and every row decoded
};

void on_error(png_structp png, png_const_charp message) {
    auto *state = static_cast<ProgressiveState *>(png_get_error_ptr(png));
    std::snprintf(state->message, sizeof state->message, "%s", message);
    png_longjmp(png, 1);
}

// As in png_codec.cpp: after the last row, a bad zlib check is only a warning to libpng. The
// progressive reader words it differently ("Truncated compressed data in IDAT" for a bad
// Adler-32, "Extra compressed data in IDAT"), so any warning naming IDAT fails the image; the
// whole-file reader then gives the verdict (found by fuzz_png_fast_decoder).
void on_warning(png_structp png, png_const_charp message) {
    if (std::strstr(message, "IDAT") != nullptr) on_error(png, message);
}

void on_info(png_structp png, png_infop info) {
    auto *state = static_cast<ProgressiveState *>(png_get_progressive_ptr(png));
    const uint32_t width = png_get_image_width(png, info);
    const uint32_t height = png_get_image_height(png, info);
    const uint64_t pixels = uint64_t(width) * height;
    if (pixels > state->limits.max_pixels || pixels > SIZE_MAX / 4) {
        state->refused = true; // decode_image says why, before allocating anything
        png_error(png, "over the decode limit");
    }
    set_png_rgba8_output(png, info);
    if (png_get_rowbytes(png, info) != size_t(width) * 4) {
        state->refused = true;
        png_error(png, "not 8-bit RGBA rows");
    }
    bool allocated = true;
    try {
        state->image.width = width;
        state->image.height = height;
        state->image.pixels.resize(state->image.stride() * height);
    } catch (const std::bad_alloc &) {
        allocated = false;
    }
    if (!allocated) { // longjmp only outside the handler
        state->refused = true;
        png_error(png, "out of memory");
    }
}

void on_row(png_structp png, png_bytep row, png_uint_32 y, int) {
    auto *state = static_cast<ProgressiveState *>(png_get_progressive_ptr(png));
    if ((y & 15) == 0 && decode_cancelled(state->limits)) png_error(png, "cancelled");
    if (y >= state->image.height) return;
    // Merges an interlaced pass into the row (row is NULL when the pass leaves it unchanged).
    png_progressive_combine_row(png, state->image.pixels.data() + size_t(y) * state->image.stride(), row);
}

// IEND is reached even when the zlib stream ended before the last row (libpng's progressive
// reader says nothing then; its whole-file reader says "Not enough image data"): finished only
// if every row came, which libpng's position shows (past the last pass, or past the last row).
void on_end(png_structp png, png_infop info) {
    auto *state = static_cast<ProgressiveState *>(png_get_progressive_ptr(png));
    state->finished = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE
                          ? png_get_current_pass_number(png) > 6
                          : png_get_current_row_number(png) >= state->image.height;
    state->ended = true;
}

bool process(png_structp png, png_infop info, const uint8_t *data, size_t size) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_process_data(png, info, const_cast<png_bytep>(data), size);
    return true;
}

class PngProgressiveDecoder final : public ProgressiveDecoder {
public:
    explicit PngProgressiveDecoder(const DecodeLimits &limits) {
        state_.limits = limits;
        png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state_, on_error, on_warning);
        if (png_ != nullptr) info_ = png_create_info_struct(png_);
        if (png_ == nullptr || info_ == nullptr) {
            png_destroy_read_struct(&png_, &info_, nullptr);
            throw Error(ErrorKind::no_memory, "PNG: out of memory creating the decoder");
        }
        png_set_progressive_read_fn(png_, &state_, on_info, on_row, on_end);
        png_set_user_limits(png_, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
        png_set_chunk_malloc_max(png_, kPngChunkMallocMax);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
        png_set_crc_action(png_, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
#endif
    }
    ~PngProgressiveDecoder() override { png_destroy_read_struct(&png_, &info_, nullptr); }
    PngProgressiveDecoder(const PngProgressiveDecoder &) = delete;
    PngProgressiveDecoder &operator=(const PngProgressiveDecoder &) = delete;

    void update(const uint8_t *data, size_t size) override {
        if (failed_ || size <= fed_) return;
        // Bytes after IEND are ignored, as the whole-buffer reader ignores them.
        if (!state_.ended && !process(png_, info_, data + fed_, size - fed_)) {
            failed_ = true;
            throw Error(state_.refused ? ErrorKind::too_large : ErrorKind::bad_image,
                        std::string("PNG: ") + state_.message);
        }
        fed_ = size;
    }

    bool complete() const override { return state_.finished && !failed_; }

    RgbaImage take() override { return std::move(state_.image); }

private:
    ProgressiveState state_;
    png_structp png_ = nullptr;
    png_infop info_ = nullptr;
    size_t fed_ = 0;
    bool failed_ = false;
};

} // namespace

std::unique_ptr<ProgressiveDecoder> make_png_progressive_decoder(const DecodeLimits &limits) {
    return std::make_unique<PngProgressiveDecoder>(limits);
}

} // namespace pictor
