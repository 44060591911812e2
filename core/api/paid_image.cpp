#include "api/paid_image.hpp"

namespace pictor {

KeptImage save_to_history(HistoryStore &store, const std::string &bytes, HistorySidecar sidecar,
                          const ImageSize &expected_size) {
    const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
    KeptImage kept;
    kept.format = sniff_image_format(data, bytes.size());
    sidecar.format = image_format_name(kept.format);
    try {
        const ImageInfo info = probe_image(data, bytes.size()); // the header only
        sidecar.size = ImageSize{info.width, info.height}.text();
    } catch (const Error &) {
        sidecar.size = expected_size.width ? expected_size.text() : "unknown";
    }
    const std::string extension = kept.format == ImageFormat::unknown ? ".bin" : image_format_extension(kept.format);
    try {
        kept.history_path = store.save(bytes, extension, sidecar).image_path;
    } catch (const Error &e) {
        ErrorInfo info;
        info.kind = ErrorKind::io;
        info.request_id = sidecar.request_id;
        info.request_sent = true;
        info.may_be_billed = true;
        info.message = std::string("The image arrived, but history could not keep it (") + e.what() +
                       "). Free some disk space, or set history_dir in the config (or PICTOR_HISTORY_DIR) to a "
                       "writable folder.";
        throw Error(info);
    }
    return kept;
}

std::optional<ErrorInfo> decode_kept_image(ReceivedImage &image, const DecodeLimits &limits, int images_asked) {
    try {
        const auto *bytes = reinterpret_cast<const uint8_t *>(image.encoded.data());
        const ImageInfo info = probe_image(bytes, image.encoded.size());
        check_decode_limits(info.format, info.width, info.height, limits); // one image's own limit first
        if (limits.answer_pixels && !limits.answer_pixels->take(uint64_t(info.width) * info.height))
            throw Error(ErrorKind::too_large, "the answer holds more image pixels than the " +
                                                  std::to_string(images_asked) +
                                                  " image(s) asked for can have, so this one was not decoded");
        image.rgba = decode_image(bytes, image.encoded.size(), limits);
        return std::nullopt;
    } catch (const Error &e) {
        ErrorInfo info = e.info();
        info.request_id = image.request_id;
        info.request_sent = true;
        info.may_be_billed = true;
        info.history_path = image.history_path;
        if (info.kind == ErrorKind::cancelled) {
            // Stops here, the images left undecoded: every one of them is in history already.
            info.message = image.history_path.empty()
                               ? "Cancelled while decoding. The image was received, but history could not keep "
                                 "it (see the warnings)."
                               : "Cancelled while decoding. The image was received and is kept in " +
                                     image.history_path;
            throw Error(info);
        }
        if (info.kind == ErrorKind::bad_image)
            info.kind = ErrorKind::bad_response;
        info.message = "The gateway sent an image that cannot be used: " + std::string(e.what()) +
                       (image.history_path.empty() ? std::string() : ". The bytes are kept in " + image.history_path + ".");
        return info;
    }
}

} // namespace pictor
