// What a host asks for, in the core's terms (the C ABI's pictor_request, copied).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "image/image_format.hpp"
#include "image/rgba_image.hpp"
#include "image/upload_encoding.hpp"
#include "net/http_exchange.hpp"
#include "net/part_spool.hpp"

#include <nlohmann/json.hpp>

namespace pictor {

struct InputImage {
    std::string bytes;    // encoded PNG / JPEG / WebP
    std::string filename; // "" = image-<n>.<ext>
    // Parts pictor encoded: the bytes are in this file and `bytes` is empty.
    std::shared_ptr<net::PartSpool> spool;

    // Enough of a spooled part for sniffing and probing the header pictor's encoders write.
    static constexpr size_t kHeaderBytes = 256 * 1024;
    uint64_t size() const { return spool ? spool->size() : bytes.size(); }
    // The bytes to sniff or probe: all of them in memory, a spooled part's first kHeaderBytes.
    std::string_view header(std::string &scratch) const {
        if (!spool)
            return bytes;
        scratch = spool->head(kHeaderBytes);
        return scratch;
    }
    std::string read_all() const { return spool ? spool->read_all() : bytes; }
    // The file name sent: the given one, else the one its spool was sealed with ("" if none).
    const std::string &sent_name() const {
        return filename.empty() && spool && spool->sealed() ? spool->filename() : filename;
    }
};

struct Progress {
    net::Phase phase = net::Phase::preparing;
    double elapsed_s = 0;
    uint64_t bytes_sent = 0, bytes_to_send = 0, bytes_received = 0, bytes_to_receive = 0;
    int requests_total = 1, requests_done = 0;
    int attempt = 1;
    double retry_in_s = 0;
};

// Return false to cancel.
using ProgressCallback = std::function<bool(const Progress &)>;

// A preview the server sent while it generates (SSE partial_images), already decoded. The
// references are valid during the call only.
struct PartialImage {
    const RgbaImage &rgba;
    const std::string &encoded; // as received, in the requested output format
    ImageFormat format;
    int index;                  // partial_image_index: 0, 1, ...
    int total;                  // partial images asked for per image
    int variation;              // which of several parallel requests (0-based)
};
// Fires on the thread running the request, as each partial image arrives.
using PartialImageCallback = std::function<void(const PartialImage &)>;

// A field pictor does not know, sent as given (pictor_request.extra_fields).
struct ExtraField {
    std::string name;
    nlohmann::json value; // JSON-typed; an edit's form sends strings as they are, the rest as JSON text
};

struct ImageRequest {
    std::string prompt;
    std::string model;         // "" = the client's (its config, else the profile's default)
    std::string size;          // "" = the route's default
    std::string quality;       // "" = not sent
    std::string complexity;    // "" = not sent
    std::string output_format; // "" = png, not sent
    int output_compression = -1;
    std::string background;
    std::string moderation;
    int n = 1;
    double timeout_s = 0;      // 0 = by quality
    double max_cost_usd = 0;   // refuse before sending when the estimate is above; 0 = the client's
    std::vector<InputImage> images; // edits
    bool has_mask = false;
    InputImage mask;
    bool has_markup = false;   // edits: a transparent overlay of what to change (never with a mask)
    InputImage markup;
    std::vector<ExtraField> extra_fields;
    ProgressCallback progress;
    // Previews while the image generates (0-3; 0: none). Asks the route for stream: true with
    // partial_images; routes that do not stream answer without previews.
    int partial_images = 0;
    PartialImageCallback on_partial_image;
    // Each image the moment it is in history (its file and request id), on the request's thread.
    std::function<void(const std::string &history_path, const std::string &request_id)> on_saved;
    // How pictor encodes what it sends (core/image/upload_encoding), and whether images the
    // host gave encoded that are over the route's limit are re-encoded to fit (else refused).
    UploadQuality upload_quality = UploadQuality::lossless; // resolved by the caller (ABI shim)
    bool keep_uploads = false;
};

} // namespace pictor
