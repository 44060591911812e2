// What goes up with an edit, as parts that fit the route: the report of each part (for --json
// "uploads" and the hosts' progress text), and images the host gave already encoded (the CLI's
// files) re-encoded when they are over the profile's per-image limit.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api/image_request.hpp"
#include "image/image_decode.hpp"
#include "image/upload_encoding.hpp"

namespace pictor {

// {name, format, bytes, width, height, downscaled, encoding}; source_width / source_height
// when downscaled.
nlohmann::json upload_entry(const std::string &name, const EncodedUpload &upload);
// The same for a part whose bytes are elsewhere (a spool file): `bytes` of them.
nlohmann::json upload_entry(const std::string &name, const EncodedUpload &upload, uint64_t bytes);

// The part sent for `upload`, named stem + the extension of the format chosen.
InputImage upload_part(const EncodedUpload &upload, const std::string &stem);

// The part for `upload` whose bytes are in `spool` (net::PartSpool), which it seals.
InputImage spooled_part(const EncodedUpload &upload, std::shared_ptr<net::PartSpool> spool, const std::string &stem);
// The part for `upload` whose `size` bytes at `data` are written to a new spool file: the
// caller frees them at once. Throws Error(io).
InputImage spooled_part(const EncodedUpload &upload, const void *data, size_t size, const std::string &stem);

// "layer.jpg: jpeg q95 4:4:4, 3.1 MiB, 3840x2160 (scaled down from 5120x2880)".
std::string describe_upload(const nlohmann::json &entry);

// The format and size of a part from its header (all of it in memory, the start of a spooled
// one). Throws Error(bad_image) as probe_image does.
ImageInfo probe_part(const InputImage &image);

// Whether the send re-encodes `image` to fit (over the profile's per-image limit and not
// request.keep_uploads): the one decision fit_input_images acts on and request_plan's checks
// (pictor_check_request, pictor_estimate_cost) take into account.
bool reencodes_to_fit(const GatewayProfile &profile, const ImageRequest &request, const InputImage &image);

// Every image of an edit as it will be sent. Images over profile.max_edit_image_bytes are
// re-encoded as encode_upload does (request.upload_quality), and the mask scaled with a
// scaled first image, unless request.keep_uploads (then request_plan refuses them, as before).
// With UploadQuality::fast, an opaque PNG goes up as the JPEG jobs send for pixels.
// Entries of re-encoded parts carry "reencoded": true and "given_bytes".
nlohmann::json fit_input_images(const GatewayProfile &profile, ImageRequest &request);

} // namespace pictor
