// PNG decoded as it arrives, fast, for the files image APIs actually send: 8-bit RGB or RGBA, not
// interlaced. Our own chunk reader feeds ISA-L's streaming inflate (about 2.4x zlib's speed on a
// 4K answer here); png_row_pipeline.cpp unfilters the rows into the frame, on a second thread for
// big images.
//
// Anything else (palette, grey, 16-bit, interlaced, tRNS, a header it doubts) is handed before
// any pixel to libpng's progressive reader, replayed from the first byte. After that it is never
// more lenient than libpng: what it cannot vouch for (a bad CRC or zlib check, too much or too
// little data, a chunk out of place, a size libpng refuses) throws, and the caller decodes the
// whole buffer with libpng, whose verdict and message count (progressive_decoder.hpp).
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include <cstring>
#include <memory>
#include <string>

#include "error.hpp"
#include "image/png_codec.hpp"
#include "image/png_row_pipeline.hpp"
#include "image/progressive_decoder.hpp"

namespace pictor {
namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
constexpr uint32_t kMaxChunkLength = 0x7fffffffu;     // PNG spec 5.3
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kCheckCrc = false; // as the libpng readers in fuzz builds: mutations reach the data
#else
constexpr bool kCheckCrc = true;
#endif

uint32_t read_be32(const uint8_t *p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

[[noreturn]] void corrupt(const std::string &what) {
    throw Error(ErrorKind::bad_image, "PNG: " + what + " — the image data is corrupt");
}

class PngFastDecoder final : public ProgressiveDecoder {
public:
    explicit PngFastDecoder(const DecodeLimits &limits) : limits_(limits) {}

    void update(const uint8_t *data, size_t size) override {
        if (!libpng_) {
            while (!finished_ && pos_ < size && step(data, size)) {
                if (libpng_) break;
            }
        }
        if (libpng_) libpng_->update(data, size);
    }

    bool complete() const override { return libpng_ ? libpng_->complete() : finished_; }

    RgbaImage take() override { return libpng_ ? libpng_->take() : std::move(image_); }

private:
    enum class Stage { signature, chunk_header, chunk_body, chunk_crc };

    // One step of the chunk reader; false when it needs more bytes than have arrived.
    bool step(const uint8_t *data, size_t size) {
        const size_t available = size - pos_;
        switch (stage_) {
        case Stage::signature:
            if (available < sizeof kSignature) return false;
            if (std::memcmp(data, kSignature, sizeof kSignature) != 0) {
                use_libpng();
                return true;
            }
            pos_ += sizeof kSignature;
            stage_ = Stage::chunk_header;
            return true;
        case Stage::chunk_header:
            if (available < 8) return false;
            length_ = read_be32(data + pos_);
            std::memcpy(type_, data + pos_ + 4, 4);
            crc_ = crc32_gzip_refl(0, data + pos_ + 4, 4);
            pos_ += 8;
            remaining_ = length_;
            stage_ = Stage::chunk_body;
            begin_chunk();
            return true;
        case Stage::chunk_body: {
            if (is("IHDR") && !header_read_) {
                if (available < remaining_) return false;
                read_header(data + pos_);
                if (libpng_) return true;
            }
            const size_t n = available < remaining_ ? available : size_t(remaining_);
            if (critical()) crc_ = crc32_gzip_refl(crc_, data + pos_, n);
            if (is("IDAT")) inflate(data + pos_, n);
            pos_ += n;
            remaining_ -= uint32_t(n);
            if (remaining_ == 0) stage_ = Stage::chunk_crc;
            return true;
        }
        case Stage::chunk_crc:
            if (available < 4) return false;
            // Ancillary chunks are skipped unread, so their CRC (a warning to libpng) is moot.
            if (kCheckCrc && critical() && read_be32(data + pos_) != crc_) {
                if (!idat_started_) {
                    use_libpng();
                    return true;
                }
                corrupt(std::string(type_, 4) + " has a bad CRC");
            }
            pos_ += 4;
            stage_ = Stage::chunk_header;
            if (is("IEND")) {
                pipeline_->finish(); // every row in the frame, or the unfilter's error
                finished_ = true;
            }
            return true;
        }
        return false;
    }

    // Checks a chunk's place and size as libpng does, from its header alone.
    void begin_chunk() {
        for (char c : type_) {
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return refuse("a chunk has an invalid name");
        }
        if (length_ > kMaxChunkLength) return refuse("a chunk length is out of range");
        if (!header_read_) {
            if (!is("IHDR") || length_ != 13) use_libpng(); // libpng says what is wrong
            return;
        }
        if (is("IDAT")) {
            if (!idat_started_) {
                if (saw_palette_or_transparency_) return use_libpng();
                start_image();
            } else if (idat_ended_) {
                corrupt("an IDAT chunk follows other chunks after the image data");
            }
            if (length_ > idat_length_limit_) corrupt("an IDAT chunk is too large");
            return;
        }
        if (idat_started_ && !idat_ended_) {
            idat_ended_ = true;
            if (!pipeline_->all_rows_in() || !stream_finished_) corrupt("the image data ends early");
        }
        if (is("IEND")) {
            if (!idat_started_) return use_libpng();
            if (length_ != 0) corrupt("the IEND chunk is not empty");
            return;
        }
        if (critical() || is("tRNS")) {
            // PLTE (a suggested palette), tRNS (a transparent colour) or a chunk libpng refuses.
            if (idat_started_) corrupt(std::string(type_, 4) + " follows the image data");
            saw_palette_or_transparency_ = true;
            return;
        }
        if (length_ > kPngChunkMallocMax) refuse("a chunk is too large");
    }

    void refuse(const char *why) {
        if (!idat_started_) {
            use_libpng();
            return;
        }
        corrupt(why);
    }

    void read_header(const uint8_t *p) {
        header_read_ = true;
        width_ = read_be32(p);
        height_ = read_be32(p + 4);
        const uint8_t depth = p[8], color = p[9], compression = p[10], filter = p[11], interlace = p[12];
        const bool plain = width_ >= 1 && width_ <= kMaxChunkLength && height_ >= 1 &&
                           height_ <= kMaxChunkLength && depth == 8 && (color == 2 || color == 6) &&
                           compression == 0 && filter == 0 && interlace == 0;
        if (!plain) return use_libpng();
        channels_ = color == 6 ? 4 : 3;
        const uint64_t pixels = uint64_t(width_) * height_;
        if (pixels > limits_.max_pixels || pixels > SIZE_MAX / 4)
            throw Error(ErrorKind::too_large, "PNG: over the decode limit");
        row_length_ = 1 + size_t(width_) * channels_;
        // libpng's bound for one IDAT chunk (png_check_chunk_length): the filtered image plus
        // zlib's worst-case overhead, or the chunk allocation limit if that is larger.
        uint64_t limit = uint64_t(height_) * row_length_;
        const uint64_t factor = row_length_ > 32566 ? 32566 : row_length_;
        limit += 6 + 5 * (limit / factor + 1);
        if (limit > kMaxChunkLength) limit = kMaxChunkLength;
        idat_length_limit_ = limit > kPngChunkMallocMax ? limit : kPngChunkMallocMax;
    }

    void start_image() {
        idat_started_ = true;
        image_.width = width_;
        image_.height = height_;
        pipeline_ = std::make_unique<PngRowPipeline>(image_, channels_, row_length_);
        inflater_ = std::make_unique<inflate_state>();
        isal_inflate_init(inflater_.get());
        inflater_->crc_flag = ISAL_ZLIB; // parses the zlib header and verifies the Adler-32
    }

    // Called with each piece of the stream; checks once its first two bytes are in.
    void check_zlib_header(const uint8_t *data, size_t size) {
        if (zlib_header_have_ == 2) return;
        for (size_t i = 0; i < size && zlib_header_have_ < 2; ++i) zlib_header_[zlib_header_have_++] = data[i];
        if (zlib_header_have_ < 2) return;
        // As zlib with a 32 KiB window checks it for libpng: deflate, a window zlib accepts, a
        // valid check value, no preset dictionary.
        const unsigned cmf = zlib_header_[0], flg = zlib_header_[1];
        if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || (cmf * 256 + flg) % 31 != 0 || (flg & 0x20) != 0)
            corrupt("the zlib header is invalid");
    }

    void inflate(const uint8_t *data, size_t size) {
        if (size == 0) return;
        if (stream_finished_) corrupt("there is extra compressed data after the image");
        check_zlib_header(data, size);
        inflate_state &z = *inflater_;
        z.next_in = const_cast<uint8_t *>(data);
        z.avail_in = uint32_t(size);
        uint8_t overflow[64];
        for (;;) {
            if (decode_cancelled(limits_)) throw_decode_cancelled(); // once per batch of rows
            const bool rows_done = pipeline_->all_rows_in();
            uint8_t *out = rows_done ? overflow : pipeline_->next_out();
            const uint32_t room = rows_done ? uint32_t(sizeof overflow) : uint32_t(pipeline_->room());
            z.next_out = out;
            z.avail_out = room;
            const uint32_t in_before = z.avail_in;
            const int rc = isal_inflate(&z);
            if (rc != ISAL_DECOMP_OK) corrupt(rc == ISAL_INCORRECT_CHECKSUM ? "the zlib check value is wrong"
                                                                            : "the compressed image data is invalid");
            const uint32_t produced = room - z.avail_out;
            if (rows_done && produced > 0) corrupt("there is more image data than the image holds");
            if (!rows_done) pipeline_->advance(produced);
            if (z.block_state == ISAL_BLOCK_FINISH) {
                stream_finished_ = true;
                if (!pipeline_->all_rows_in()) corrupt("the image data ends early");
                // ISA-L may have pulled bytes past the stream's end into its bit buffer already.
                const int32_t buffered_bits = z.read_in_length > 0 ? z.read_in_length : 0;
                const int32_t buffered_bytes = z.tmp_in_size > 0 ? z.tmp_in_size : 0;
                if (z.avail_in > 0 || buffered_bits >= 8 || buffered_bytes > 0)
                    corrupt("there is extra compressed data after the image");
                return;
            }
            if (produced == 0 && z.avail_in == in_before) return; // needs the next bytes
        }
    }

    // Only before the image data starts (no pipeline yet): libpng reads the file from byte 0.
    void use_libpng() {
        image_ = RgbaImage();
        libpng_ = make_png_progressive_decoder(limits_);
    }

    bool is(const char (&name)[5]) const { return std::memcmp(type_, name, 4) == 0; }
    bool critical() const { return (type_[0] & 0x20) == 0; }

    DecodeLimits limits_;
    std::unique_ptr<ProgressiveDecoder> libpng_; // set once the file is not one this reader takes
    Stage stage_ = Stage::signature;
    size_t pos_ = 0;          // bytes consumed from the start of the file
    uint32_t length_ = 0;     // of the current chunk
    uint32_t remaining_ = 0;  // of its data
    char type_[4] = {};
    uint32_t crc_ = 0;
    bool header_read_ = false, saw_palette_or_transparency_ = false;
    bool idat_started_ = false, idat_ended_ = false, stream_finished_ = false;
    bool finished_ = false;
    uint32_t width_ = 0, height_ = 0;
    int channels_ = 0;
    size_t row_length_ = 0; // filter byte + samples
    uint64_t idat_length_limit_ = 0;
    RgbaImage image_;
    std::unique_ptr<PngRowPipeline> pipeline_; // after image_: stops its thread before image_ goes
    std::unique_ptr<inflate_state> inflater_;
    uint8_t zlib_header_[2] = {};
    int zlib_header_have_ = 0;
};

} // namespace

std::unique_ptr<ProgressiveDecoder> make_png_fast_progressive_decoder(const DecodeLimits &limits) {
    return std::make_unique<PngFastDecoder>(limits);
}

} // namespace pictor
