#include "image/jpeg_codec.hpp"

// jpeglib.h needs size_t and FILE declared first.
#include <cstdio>
#include <csetjmp>
#include <jpeglib.h>
#include <jerror.h>

#include <atomic>
#include <new>
#include <string>

#include "error.hpp"

namespace pictor {

namespace {

// libjpeg reports errors through error_exit, which must not return: it longjmps back to the
// function that called setjmp. Those functions keep only trivially destructible locals;
// everything else lives in the structs below, owned by a caller.
struct JpegErrorState {
    jpeg_error_mgr mgr; // first: libjpeg hands back &mgr as cinfo->err
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    bool truncated;
    bool too_many_scans;
    const std::atomic<bool> *cancel; // DecodeLimits::cancel, looked at by the progress monitor
    bool cancelled;
};

void on_jpeg_error(j_common_ptr cinfo) {
    auto *state = reinterpret_cast<JpegErrorState *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, state->message);
    std::longjmp(state->jump, 1);
}

// msg_level -1 is a corrupt-data warning, >= 0 trace output; none of it reaches stderr. Running
// out of data is only a warning to libjpeg (it pads the image with grey); here it is an error.
void on_jpeg_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        reinterpret_cast<JpegErrorState *>(cinfo->err)->truncated = true;
        on_jpeg_error(cinfo);
    }
}

void ignore_jpeg_output(j_common_ptr) {}

void init_error_state(JpegErrorState &state) {
    jpeg_std_error(&state.mgr);
    state.mgr.error_exit = on_jpeg_error;
    state.mgr.emit_message = on_jpeg_message;
    state.mgr.output_message = ignore_jpeg_output;
    state.message[0] = '\0';
    state.truncated = false;
    state.too_many_scans = false;
    state.cancel = nullptr;
    state.cancelled = false;
}

// Called by libjpeg as it reads (per row group, and per iMCU row of every scan): stops a file
// past kMaxJpegScans scans, and a decode that was cancelled.
void limit_scans(j_common_ptr cinfo) {
    auto *decompress = reinterpret_cast<j_decompress_ptr>(cinfo);
    auto *state = reinterpret_cast<JpegErrorState *>(cinfo->err);
    if (state->cancel != nullptr && state->cancel->load(std::memory_order_relaxed)) {
        state->cancelled = true;
        on_jpeg_error(cinfo);
    }
    if (cinfo->is_decompressor && decompress->input_scan_number > kMaxJpegScans) {
        reinterpret_cast<JpegErrorState *>(cinfo->err)->too_many_scans = true;
        on_jpeg_error(cinfo);
    }
}

[[noreturn]] void throw_decode_error(const JpegErrorState &state) {
    if (state.cancelled) throw_decode_cancelled();
    if (state.too_many_scans)
        throw Error(ErrorKind::too_large, "JPEG: more than " + std::to_string(kMaxJpegScans) +
                                              " progressive scans — refused (a real image has about ten; "
                                              "this many only burns time)");
    if (state.truncated)
        throw Error(ErrorKind::bad_image, "JPEG: premature end of data — the image is truncated "
                                          "(an incomplete download?)");
    throw Error(ErrorKind::bad_image,
                std::string("JPEG: ") + state.message + " — the image data is corrupt");
}

struct JpegDecoder {
    JpegDecoder() {
        init_error_state(error);
        cinfo.err = &error.mgr;
        progress.progress_monitor = limit_scans; // attached after jpeg_create_decompress
    }
    // cinfo.mem stays null until jpeg_create_decompress succeeds, and destroy checks it.
    ~JpegDecoder() { jpeg_destroy_decompress(&cinfo); }
    JpegDecoder(const JpegDecoder &) = delete;
    JpegDecoder &operator=(const JpegDecoder &) = delete;

    jpeg_decompress_struct cinfo{};
    JpegErrorState error;
    jpeg_progress_mgr progress{};
};

bool read_jpeg_header(JpegDecoder &decoder, const uint8_t *data, size_t size) {
    if (setjmp(decoder.error.jump)) return false;
    jpeg_create_decompress(&decoder.cinfo);
    decoder.cinfo.progress = &decoder.progress; // create zeroes everything but err
    jpeg_mem_src(&decoder.cinfo, data, static_cast<unsigned long>(size));
    jpeg_read_header(&decoder.cinfo, TRUE);
    return true;
}

bool start_jpeg_decompress(JpegDecoder &decoder) {
    if (setjmp(decoder.error.jump)) return false;
    jpeg_start_decompress(&decoder.cinfo);
    return true;
}

bool read_jpeg_pixels(JpegDecoder &decoder, uint8_t *pixels, size_t stride) {
    if (setjmp(decoder.error.jump)) return false;
    jpeg_decompress_struct &cinfo = decoder.cinfo;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + size_t(cinfo.output_scanline) * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    // Reads on to EOI, so a file cut after its last scanline still counts as truncated.
    jpeg_finish_decompress(&cinfo);
    return true;
}

// CMYK and YCCK files decode to CMYK (libjpeg has no CMYK->RGB conversion). Files with Adobe's
// APP14 marker (Photoshop and most others) store the inks inverted: 255 means no ink.
void cmyk_to_rgba(RgbaImage &image, bool inverted) {
    uint8_t *p = image.pixels.data();
    const size_t count = size_t(image.width) * image.height;
    for (size_t i = 0; i < count; ++i, p += 4) {
        unsigned c = p[0], m = p[1], y = p[2], k = p[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        p[0] = uint8_t((c * k + 127) / 255);
        p[1] = uint8_t((m * k + 127) / 255);
        p[2] = uint8_t((y * k + 127) / 255);
        p[3] = 0xff;
    }
}

// Appends the compressed bytes to a vector. The callbacks run inside libjpeg, so no exception
// may leave them: a failed allocation is recorded and reported once libjpeg returns.
struct JpegDestination {
    jpeg_destination_mgr mgr; // first: libjpeg hands back &mgr as cinfo->dest
    std::vector<uint8_t> *out;
    bool out_of_memory;
    JOCTET buffer[16384];
};

void append_jpeg_bytes(JpegDestination &dest, size_t count) {
    if (dest.out_of_memory) return;
    try {
        dest.out->insert(dest.out->end(), dest.buffer, dest.buffer + count);
    } catch (const std::bad_alloc &) {
        dest.out_of_memory = true;
    }
}

void init_jpeg_destination(j_compress_ptr cinfo) {
    auto *dest = reinterpret_cast<JpegDestination *>(cinfo->dest);
    dest->mgr.next_output_byte = dest->buffer;
    dest->mgr.free_in_buffer = sizeof dest->buffer;
}

boolean empty_jpeg_buffer(j_compress_ptr cinfo) {
    auto *dest = reinterpret_cast<JpegDestination *>(cinfo->dest);
    append_jpeg_bytes(*dest, sizeof dest->buffer); // libjpeg calls this only when full
    init_jpeg_destination(cinfo);
    return TRUE;
}

void term_jpeg_destination(j_compress_ptr cinfo) {
    auto *dest = reinterpret_cast<JpegDestination *>(cinfo->dest);
    append_jpeg_bytes(*dest, sizeof dest->buffer - dest->mgr.free_in_buffer);
}

struct JpegEncoder {
    explicit JpegEncoder(std::vector<uint8_t> &out) {
        init_error_state(error);
        cinfo.err = &error.mgr;
        destination.mgr.init_destination = init_jpeg_destination;
        destination.mgr.empty_output_buffer = empty_jpeg_buffer;
        destination.mgr.term_destination = term_jpeg_destination;
        destination.out = &out;
        destination.out_of_memory = false;
    }
    ~JpegEncoder() { jpeg_destroy_compress(&cinfo); }
    JpegEncoder(const JpegEncoder &) = delete;
    JpegEncoder &operator=(const JpegEncoder &) = delete;

    jpeg_compress_struct cinfo{};
    JpegErrorState error;
    JpegDestination destination{};
};

bool write_jpeg(JpegEncoder &encoder, const RgbaImage &image, int quality, bool full_chroma) {
    if (setjmp(encoder.error.jump)) return false;
    jpeg_compress_struct &cinfo = encoder.cinfo;
    jpeg_create_compress(&cinfo);
    cinfo.dest = &encoder.destination.mgr;
    cinfo.image_width = image.width;
    cinfo.image_height = image.height;
    // libjpeg-turbo reads RGBA rows directly and skips the alpha byte.
    cinfo.input_components = 4;
    cinfo.in_color_space = JCS_EXT_RGBA;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (full_chroma) {
        // 4:4:4: colour edges (text, line art over a photo) stay sharp. No optimized Huffman
        // tables: they would take ~5% off the bytes, but libjpeg then holds every coefficient of
        // the image (1.5x the RGBA frame) until the end.
        cinfo.comp_info[0].h_samp_factor = cinfo.comp_info[0].v_samp_factor = 1;
    }
    jpeg_start_compress(&cinfo, TRUE);
    const size_t stride = image.stride();
    while (cinfo.next_scanline < cinfo.image_height) {
        // libjpeg's row type is not const, but it only reads input rows.
        JSAMPROW row = const_cast<uint8_t *>(image.pixels.data()) + cinfo.next_scanline * stride;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    return true;
}

} // namespace

ImageInfo jpeg_probe(const uint8_t *data, size_t size) {
    JpegDecoder decoder;
    if (!read_jpeg_header(decoder, data, size)) throw_decode_error(decoder.error);
    ImageInfo info;
    info.format = ImageFormat::jpeg;
    info.width = decoder.cinfo.image_width;
    info.height = decoder.cinfo.image_height;
    return info;
}

RgbaImage jpeg_decode(const uint8_t *data, size_t size, const DecodeLimits &limits) {
    JpegDecoder decoder;
    decoder.error.cancel = limits.cancel;
    jpeg_decompress_struct &cinfo = decoder.cinfo;
    if (!read_jpeg_header(decoder, data, size)) throw_decode_error(decoder.error);
    check_decode_limits(ImageFormat::jpeg, cinfo.image_width, cinfo.image_height, limits);

    const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    if (!start_jpeg_decompress(decoder)) throw_decode_error(decoder.error);
    if (cinfo.output_width != cinfo.image_width || cinfo.output_height != cinfo.image_height ||
        cinfo.output_components != 4)
        throw Error(ErrorKind::internal, "JPEG: libjpeg did not produce full-size 4-channel rows");

    RgbaImage image;
    image.width = cinfo.output_width;
    image.height = cinfo.output_height;
    image.pixels.resize(image.stride() * image.height);
    if (!read_jpeg_pixels(decoder, image.pixels.data(), image.stride()))
        throw_decode_error(decoder.error);
    if (cmyk) cmyk_to_rgba(image, cinfo.saw_Adobe_marker);
    return image;
}

std::vector<uint8_t> jpeg_encode(const RgbaImage &image, const EncodeOptions &options) {
    check_lossy_encode("JPEG", image, options.quality, JPEG_MAX_DIMENSION, "");
    std::vector<uint8_t> out;
    {
        JpegEncoder encoder(out);
        if (!write_jpeg(encoder, image, options.quality, options.jpeg_full_chroma))
            throw Error(ErrorKind::internal,
                        std::string("JPEG encoder: ") + encoder.error.message);
        if (encoder.destination.out_of_memory)
            throw Error(ErrorKind::no_memory, "JPEG: out of memory holding the encoded image");
    }
    return out;
}

} // namespace pictor
