// The two steps every image a gateway sent (and billed) takes, in this order: kept in history
// exactly as received, then decoded. Keeping reads only the header, so nothing that can fail
// on the pixels (a corrupt file, a limit, a cancel) comes before the bytes are safe on disk.
#pragma once

#include <optional>
#include <string>

#include "api/size_rules.hpp"
#include "error.hpp"
#include "image/image_decode.hpp"
#include "image/image_format.hpp"
#include "image/rgba_image.hpp"
#include "store/history_store.hpp"

namespace pictor {

struct ReceivedImage {
    std::string encoded;      // the bytes as the server sent them
    ImageFormat format = ImageFormat::unknown;
    RgbaImage rgba;
    std::string history_path; // "" when history could not be written (see metadata warnings)
    std::string request_id;
};

struct KeptImage {
    std::string history_path;
    ImageFormat format = ImageFormat::unknown;
};

// Writes `bytes` to `store` byte for byte, with `sidecar` (what was asked) completed from the
// bytes' header: format, and size (`expected_size` when the header is unreadable). Throws
// Error(io, request sent, may be billed, the sidecar's request id) saying the image arrived
// but history could not keep it.
KeptImage save_to_history(HistoryStore &store, const std::string &bytes, HistorySidecar sidecar,
                          const ImageSize &expected_size);

// Decodes a kept image into image.rgba within `limits` (one image's limit, then the answer's
// pixel budget). Returns the failure, naming the history file that holds the bytes; a cancel
// (limits.cancel) throws Error(cancelled) saying where the image is kept.
std::optional<ErrorInfo> decode_kept_image(ReceivedImage &image, const DecodeLimits &limits, int images_asked);

} // namespace pictor
