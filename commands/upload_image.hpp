// Pixels the plugin sends (a crop, a layer, references, a mask), encoded so each part fits the
// route's per-image limit (core/image/upload_encoding), with the report of what was chosen.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api/image_request.hpp"
#include "image/gray_image.hpp"
#include "image/rgba_image.hpp"
#include "net/part_spool.hpp"

namespace pictor::plugin {

// Images still to be encoded when the request starts: read one by one through read_more(k) on
// the host's thread and encoded into the spool files the request already holds, each sealed as
// soon as it is whole, so the first parts go up while the later ones are encoded.
class PendingUploads {
public:
    PendingUploads(std::vector<std::shared_ptr<net::PartSpool>> spools, std::function<RgbaImage(size_t)> read_more,
                   std::function<std::string(size_t)> stem_of, uint64_t limit, UploadQuality quality,
                   nlohmann::json head_report);
    // The entry of a part sent after the images (the mask, a markup).
    void add_trailing(nlohmann::json entry);
    // On the host's thread (read_more reads the host). Any failure abandons the parts not yet
    // sealed (the request is cut short, nothing whole is sent) and is rethrown.
    void encode_all();
    bool done() const;
    // Waits until encode_all has ended, however it ended.
    void wait_done() const;
    // upload_entry of every part encoded so far, in the order sent (the mask or markup last).
    nlohmann::json report() const;

private:
    std::vector<std::shared_ptr<net::PartSpool>> spools_;
    std::function<RgbaImage(size_t)> read_more_;
    std::function<std::string(size_t)> stem_of_;
    uint64_t limit_;
    UploadQuality quality_;
    mutable std::mutex mutex_;
    mutable std::condition_variable ended_;
    bool done_ = false;
    nlohmann::json entries_, trailing_ = nlohmann::json::array();
};

struct UploadBatch {
    std::vector<InputImage> images;
    bool has_mask = false;
    InputImage mask;
    nlohmann::json report = nlohmann::json::array(); // upload_entry per part, in order sent
    // Set when images are left to encode (encode_all); `report` then has the first part only.
    std::shared_ptr<PendingUploads> pending;
};

// The first image (and, when coverage is not empty, its mask at the same size, scaled with it),
// encoded now; then `count` more images, each to be read through read_more(k) on the host's
// thread and encoded one at a time into its spool file (net::PartSpool) by
// batch.pending->encode_all(), so about one frame is held as pixels and no part as bytes.
// Stems name the parts ("layer" -> layer.png / layer.jpg).
UploadBatch encode_uploads(const RgbaImage &first, const std::string &first_stem, const GrayImage &coverage,
                           size_t count, std::function<RgbaImage(size_t)> read_more,
                           std::function<std::string(size_t)> stem_of, const GatewayProfile &profile,
                           UploadQuality quality);

// One line for the host's progress text: "uploading layer.jpg (jpeg, 3.1 MiB), mask.png ...".
std::string uploads_summary(const nlohmann::json &report);

} // namespace pictor::plugin
