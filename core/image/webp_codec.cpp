#include "image/webp_codec.hpp"

#include <webp/decode.h>
#include <webp/encode.h>

#include <string>

#include "error.hpp"

namespace pictor {

namespace {

[[noreturn]] void throw_decode_error(VP8StatusCode status) {
    switch (status) {
    case VP8_STATUS_NOT_ENOUGH_DATA:
        throw Error(ErrorKind::bad_image,
                    "WebP: the data ends early — the image is truncated (an incomplete download?)");
    case VP8_STATUS_OUT_OF_MEMORY:
        throw Error(ErrorKind::no_memory, "WebP: out of memory while decoding");
    case VP8_STATUS_UNSUPPORTED_FEATURE:
        throw Error(ErrorKind::bad_image,
                    "WebP: the file uses a feature libwebp cannot decode — the image is corrupt "
                    "or from a newer encoder");
    default:
        throw Error(ErrorKind::bad_image,
                    "WebP: invalid bitstream (libwebp status " + std::to_string(int(status)) +
                        ") — the image data is corrupt");
    }
}

WebPBitstreamFeatures read_features(const uint8_t *data, size_t size) {
    WebPBitstreamFeatures features;
    const VP8StatusCode status = WebPGetFeatures(data, size, &features);
    if (status != VP8_STATUS_OK) throw_decode_error(status);
    return features;
}

// The picture's own buffers and the encoder's output, freed however encoding ends.
struct WebPEncodeBuffers {
    WebPEncodeBuffers() {
        WebPPictureInit(&picture);
        WebPMemoryWriterInit(&writer);
    }
    ~WebPEncodeBuffers() {
        WebPPictureFree(&picture);
        WebPMemoryWriterClear(&writer);
    }
    WebPEncodeBuffers(const WebPEncodeBuffers &) = delete;
    WebPEncodeBuffers &operator=(const WebPEncodeBuffers &) = delete;

    WebPPicture picture;
    WebPMemoryWriter writer;
};

} // namespace

ImageInfo webp_probe(const uint8_t *data, size_t size) {
    const WebPBitstreamFeatures features = read_features(data, size);
    ImageInfo info;
    info.format = ImageFormat::webp;
    info.width = uint32_t(features.width);
    info.height = uint32_t(features.height);
    info.has_alpha = features.has_alpha != 0;
    return info;
}

RgbaImage webp_decode(const uint8_t *data, size_t size, const DecodeLimits &limits) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config))
        throw Error(ErrorKind::internal, "WebP: the libwebp library does not match its headers");
    const VP8StatusCode features_status = WebPGetFeatures(data, size, &config.input);
    if (features_status != VP8_STATUS_OK) throw_decode_error(features_status);
    check_decode_limits(ImageFormat::webp, uint32_t(config.input.width),
                        uint32_t(config.input.height), limits);
    if (config.input.has_animation)
        throw Error(ErrorKind::bad_image,
                    "WebP: the file is an animation — only still WebP images are supported");

    RgbaImage image;
    image.width = uint32_t(config.input.width);
    image.height = uint32_t(config.input.height);
    image.pixels.resize(image.stride() * image.height);

    // Decodes straight into the image's buffer (what WebPDecodeRGBAInto does), but through the
    // advanced API, which says why it failed.
    config.output.colorspace = MODE_RGBA;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = image.pixels.data();
    config.output.u.RGBA.stride = int(image.stride());
    config.output.u.RGBA.size = image.pixels.size();
    const VP8StatusCode status = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);
    if (status != VP8_STATUS_OK) throw_decode_error(status);
    return image;
}

std::vector<uint8_t> webp_encode(const RgbaImage &image, const EncodeOptions &options) {
    check_lossy_encode("WebP", image, options.quality, WEBP_MAX_DIMENSION, " (100 = lossless)");

    WebPConfig config;
    if (!WebPConfigInit(&config))
        throw Error(ErrorKind::internal, "WebP: the libwebp library does not match its headers");
    if (options.quality == 100) {
        config.lossless = 1;
        // In lossless mode quality is effort; 70 is what WebPEncodeLosslessRGBA uses.
        config.quality = 70;
        // Without it libwebp rewrites the colour of fully transparent pixels to compress better,
        // and the round trip would not be exact.
        config.exact = 1;
    } else {
        config.quality = float(options.quality);
    }

    WebPEncodeBuffers buffers;
    WebPPicture &picture = buffers.picture;
    picture.use_argb = config.lossless; // lossless encodes ARGB; lossy converts to YUV on import
    picture.width = int(image.width);
    picture.height = int(image.height);
    if (!WebPPictureImportRGBA(&picture, image.pixels.data(), int(image.stride())))
        throw Error(ErrorKind::no_memory, "WebP: out of memory importing the image");
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &buffers.writer;
    if (!WebPEncode(&config, &picture)) {
        if (picture.error_code == VP8_ENC_ERROR_OUT_OF_MEMORY ||
            picture.error_code == VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY)
            throw Error(ErrorKind::no_memory, "WebP: out of memory while encoding");
        throw Error(ErrorKind::internal,
                    "WebP encoder failed (libwebp error " + std::to_string(picture.error_code) + ")");
    }
    return std::vector<uint8_t>(buffers.writer.mem, buffers.writer.mem + buffers.writer.size);
}

} // namespace pictor
