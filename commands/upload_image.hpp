// Pixels the plugin sends (a crop, a layer, references, a mask), encoded so each part fits the
// route's per-image limit (core/image/upload_encoding), with the report of what was chosen.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api/image_request.hpp"
#include "image/gray_image.hpp"
#include "image/rgba_image.hpp"

namespace pictor::plugin {

struct UploadBatch {
    std::vector<InputImage> images;
    bool has_mask = false;
    InputImage mask;
    nlohmann::json report = nlohmann::json::array(); // upload_entry per part, in order sent
};

// The first image (and, when coverage is not empty, its mask at the same size, scaled with it),
// then `count` more images read one by one through read_more(k) on this thread (it reads the
// host) and encoded one at a time, each written to its spool file (net::PartSpool) at once,
// so about one frame is held as pixels and no part as bytes.
// Stems name the parts ("layer" -> layer.png / layer.jpg).
UploadBatch encode_uploads(const RgbaImage &first, const std::string &first_stem, const GrayImage &coverage,
                           size_t count, const std::function<RgbaImage(size_t)> &read_more,
                           const std::function<std::string(size_t)> &stem_of, const GatewayProfile &profile,
                           UploadQuality quality);

// One line for the host's progress text: "uploading layer.jpg (jpeg, 3.1 MiB), mask.png ...".
std::string uploads_summary(const nlohmann::json &report);

} // namespace pictor::plugin
