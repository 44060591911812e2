// JPEG decoded as it arrives: libjpeg-turbo with a suspending source. Baseline files yield
// scanlines as their data comes in; progressive (multi-scan) files suspend in
// jpeg_start_decompress until every scan is in, so they decode in one go at the end.
#include <cstdio>
#include <csetjmp>
#include <jpeglib.h>
#include <jerror.h>

#include <algorithm>
#include <atomic>
#include <new>
#include <string>

#include "error.hpp"
#include "image/jpeg_codec.hpp"
#include "image/progressive_decoder.hpp"

namespace pictor {
namespace {

struct ErrorState {
    jpeg_error_mgr mgr; // first: libjpeg hands back &mgr as cinfo->err
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    const std::atomic<bool> *cancel; // DecodeLimits::cancel
};

void on_error(j_common_ptr cinfo) {
    auto *state = reinterpret_cast<ErrorState *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, state->message);
    std::longjmp(state->jump, 1);
}

// Corrupt-data warnings make libjpeg guess; the whole-buffer decoder then has the last word.
void on_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level == -1) on_error(cinfo);
}

void ignore_output(j_common_ptr) {}

// Past kMaxJpegScans scans, or once cancelled, this decoder gives up; the whole-file decoder
// then says why.
void limit_scans(j_common_ptr cinfo) {
    const auto *cancel = reinterpret_cast<ErrorState *>(cinfo->err)->cancel;
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) on_error(cinfo);
    if (cinfo->is_decompressor && reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxJpegScans)
        on_error(cinfo);
}

// The source is the caller's growing buffer; "no more data yet" suspends the decoder, which
// then resumes from the same byte once more has arrived.
void init_source(j_decompress_ptr) {}
boolean fill_input_buffer(j_decompress_ptr) { return FALSE; }
// The source manager and what a skip past the received bytes still owes.
struct GrowingSource {
    jpeg_source_mgr mgr; // first: libjpeg hands back &mgr as cinfo->src
    size_t pending_skip;
};

void skip_input_data(j_decompress_ptr cinfo, long count) {
    auto *src = reinterpret_cast<GrowingSource *>(cinfo->src);
    if (count <= 0) return;
    const size_t skip = std::min(size_t(count), src->mgr.bytes_in_buffer);
    src->mgr.next_input_byte += skip;
    src->mgr.bytes_in_buffer -= skip;
    src->pending_skip += size_t(count) - skip; // applied when more data arrives
}
void term_source(j_decompress_ptr) {}

enum class Stage { header, start, scanlines, finish, done };

class JpegProgressiveDecoder final : public ProgressiveDecoder {
public:
    explicit JpegProgressiveDecoder(const DecodeLimits &limits) : limits_(limits) {
        jpeg_std_error(&error_.mgr);
        error_.mgr.error_exit = on_error;
        error_.mgr.emit_message = on_message;
        error_.mgr.output_message = ignore_output;
        error_.message[0] = '\0';
        error_.cancel = limits.cancel;
        cinfo_.err = &error_.mgr;
        source_.mgr.init_source = init_source;
        source_.mgr.fill_input_buffer = fill_input_buffer;
        source_.mgr.skip_input_data = skip_input_data;
        source_.mgr.resync_to_restart = jpeg_resync_to_restart;
        source_.mgr.term_source = term_source;
        source_.mgr.next_input_byte = nullptr;
        source_.mgr.bytes_in_buffer = 0;
        source_.pending_skip = 0;
    }
    ~JpegProgressiveDecoder() override {
        if (created_) jpeg_destroy_decompress(&cinfo_);
    }
    JpegProgressiveDecoder(const JpegProgressiveDecoder &) = delete;
    JpegProgressiveDecoder &operator=(const JpegProgressiveDecoder &) = delete;

    void update(const uint8_t *data, size_t size) override {
        if (stage_ == Stage::done) return;
        // Re-point the source at the (possibly moved) buffer, at the byte libjpeg stopped at.
        size_t consumed = base_ ? size_t(source_.mgr.next_input_byte - base_) : 0;
        const size_t skip = std::min(source_.pending_skip, size - consumed);
        consumed += skip;
        source_.pending_skip -= skip;
        base_ = data;
        source_.mgr.next_input_byte = data + consumed;
        source_.mgr.bytes_in_buffer = size - consumed;
        if (!run()) throw Error(ErrorKind::bad_image, std::string("JPEG: ") + error_.message);
        if (refused_) throw Error(ErrorKind::bad_image, "JPEG: left to the whole-file decoder");
    }

    bool complete() const override { return stage_ == Stage::done; }

    RgbaImage take() override { return std::move(image_); }

private:
    // Advances as far as the data allows; false on a libjpeg error.
    bool run() {
        if (setjmp(error_.jump)) return false;
        if (!created_) {
            jpeg_create_decompress(&cinfo_);
            progress_.progress_monitor = limit_scans;
            cinfo_.progress = &progress_;
            created_ = true;
            cinfo_.src = &source_.mgr;
        }
        if (stage_ == Stage::header) {
            if (jpeg_read_header(&cinfo_, TRUE) == JPEG_SUSPENDED) return true;
            const uint64_t pixels = uint64_t(cinfo_.image_width) * cinfo_.image_height;
            // CMYK / YCCK and over-limit files go to the whole-file decoder, which handles (or
            // refuses) them with its own messages.
            if (pixels > limits_.max_pixels || cinfo_.jpeg_color_space == JCS_CMYK ||
                cinfo_.jpeg_color_space == JCS_YCCK) {
                refused_ = true;
                return true;
            }
            cinfo_.out_color_space = JCS_EXT_RGBA;
            cinfo_.buffered_image = FALSE;
            stage_ = Stage::start;
        }
        if (stage_ == Stage::start) {
            if (!jpeg_start_decompress(&cinfo_)) return true;
            if (cinfo_.output_components != 4 || cinfo_.output_width != cinfo_.image_width) {
                refused_ = true;
                return true;
            }
            if (!allocate()) return true;
            stage_ = Stage::scanlines;
        }
        if (stage_ == Stage::scanlines) {
            while (cinfo_.output_scanline < cinfo_.output_height) {
                JSAMPROW row = image_.pixels.data() + size_t(cinfo_.output_scanline) * image_.stride();
                if (jpeg_read_scanlines(&cinfo_, &row, 1) == 0) return true; // suspended
            }
            stage_ = Stage::finish;
        }
        if (stage_ == Stage::finish) {
            // Reads on to EOI, as the whole-file decoder does.
            if (!jpeg_finish_decompress(&cinfo_)) return true;
            stage_ = Stage::done;
        }
        return true;
    }

    bool allocate() {
        try {
            image_.width = cinfo_.output_width;
            image_.height = cinfo_.output_height;
            image_.pixels.resize(image_.stride() * image_.height);
            return true;
        } catch (const std::bad_alloc &) {
            refused_ = true;
            return false;
        }
    }

    DecodeLimits limits_;
    jpeg_decompress_struct cinfo_{};
    ErrorState error_;
    jpeg_progress_mgr progress_{};
    GrowingSource source_{};
    const uint8_t *base_ = nullptr;
    RgbaImage image_;
    Stage stage_ = Stage::header;
    bool created_ = false;
    bool refused_ = false;
};

} // namespace

std::unique_ptr<ProgressiveDecoder> make_jpeg_progressive_decoder(const DecodeLimits &limits) {
    return std::make_unique<JpegProgressiveDecoder>(limits);
}

} // namespace pictor
