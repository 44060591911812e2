#include "api/upload_plan.hpp"

#include <cstdio>
#include <optional>

#include "error.hpp"
#include "image/composite.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/png_codec.hpp"
#include "image/resample.hpp"

namespace pictor {

namespace {

std::string stem_of(const std::string &filename, const std::string &fallback) {
    if (filename.empty())
        return fallback;
    size_t dot = filename.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? filename : filename.substr(0, dot);
}

const uint8_t *data_of(const std::string &bytes) { return reinterpret_cast<const uint8_t *>(bytes.data()); }

// A part sent as it is (given by the host, or already spooled by pictor).
nlohmann::json given_entry(const std::string &name, const InputImage &image) {
    nlohmann::json entry = {{"name", name}, {"bytes", image.size()}, {"downscaled", false}, {"encoding", "as given"}};
    try {
        ImageInfo info = probe_part(image);
        entry["format"] = image_format_name(info.format);
        entry["width"] = info.width;
        entry["height"] = info.height;
    } catch (const Error &) {
        entry["format"] = "unknown"; // request_plan refuses it, saying why
    }
    return entry;
}

// FAST upload quality for an image given encoded: an opaque PNG goes up as the JPEG that jobs
// send for pixels. None for a PNG with transparency, another format, or one that would need
// scaling (the fit to the route's limit decides those).
std::optional<EncodedUpload> fast_upload_of(const GatewayProfile &profile, const ImageRequest &request,
                                            const InputImage &image) {
    if (request.upload_quality != UploadQuality::fast || request.keep_uploads)
        return std::nullopt;
    try {
        if (probe_part(image).format != ImageFormat::png)
            return std::nullopt;
    } catch (const Error &) {
        return std::nullopt; // not an image: request_plan refuses it, saying why
    }
    const std::string given = image.read_all();
    RgbaImage pixels = decode_image(data_of(given), given.size());
    if (!all_opaque(pixels))
        return std::nullopt;
    EncodedUpload fast = encode_upload(pixels, profile.max_edit_image_bytes, UploadQuality::fast);
    if (fast.downscaled())
        return std::nullopt;
    return fast;
}

} // namespace

nlohmann::json upload_entry(const std::string &name, const EncodedUpload &upload) {
    return upload_entry(name, upload, upload.bytes.size());
}

nlohmann::json upload_entry(const std::string &name, const EncodedUpload &upload, uint64_t bytes) {
    nlohmann::json entry = {{"name", name},
                            {"format", image_format_name(upload.format)},
                            {"bytes", bytes},
                            {"width", upload.width},
                            {"height", upload.height},
                            {"downscaled", upload.downscaled()},
                            {"encoding", upload.encoding}};
    if (upload.downscaled()) {
        entry["source_width"] = upload.source_width;
        entry["source_height"] = upload.source_height;
    }
    return entry;
}

InputImage upload_part(const EncodedUpload &upload, const std::string &stem) {
    return {upload.bytes, stem + image_format_extension(upload.format)};
}

InputImage spooled_part(const EncodedUpload &upload, std::shared_ptr<net::PartSpool> spool, const std::string &stem) {
    InputImage part;
    part.filename = stem + image_format_extension(upload.format);
    part.spool = std::move(spool);
    part.spool->seal(part.filename, image_format_mime_type(upload.format));
    return part;
}

InputImage spooled_part(const EncodedUpload &upload, const void *data, size_t size, const std::string &stem) {
    auto spool = net::PartSpool::create();
    spool->append(data, size);
    return spooled_part(upload, std::move(spool), stem);
}

std::string describe_upload(const nlohmann::json &entry) {
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MiB", entry.value("bytes", 0.0) / (1024.0 * 1024.0));
    std::string text = entry.value("name", "") + ": " + entry.value("encoding", "") + ", " + size + ", " +
                       std::to_string(entry.value("width", 0)) + "x" + std::to_string(entry.value("height", 0));
    if (entry.value("downscaled", false))
        text += " (scaled down from " + std::to_string(entry.value("source_width", 0)) + "x" +
                std::to_string(entry.value("source_height", 0)) + ")";
    return text;
}

ImageInfo probe_part(const InputImage &image) {
    std::string scratch;
    const std::string_view header = image.header(scratch);
    return probe_image(reinterpret_cast<const uint8_t *>(header.data()), header.size());
}

bool reencodes_to_fit(const GatewayProfile &profile, const ImageRequest &request, const InputImage &image) {
    return !request.keep_uploads && image.size() > profile.max_edit_image_bytes;
}

nlohmann::json fit_input_images(const GatewayProfile &profile, ImageRequest &request) {
    nlohmann::json uploads = nlohmann::json::array();
    std::optional<EncodedUpload> first_refit;
    for (size_t i = 0; i < request.images.size(); ++i) {
        InputImage &image = request.images[i];
        const std::string fallback = "image-" + std::to_string(i + 1);
        if (std::optional<EncodedUpload> fast = fast_upload_of(profile, request, image)) {
            const uint64_t given = image.size();
            image = upload_part(*fast, stem_of(image.filename, fallback));
            nlohmann::json entry = upload_entry(image.filename, *fast);
            entry["reencoded"] = true;
            entry["given_bytes"] = given;
            uploads.push_back(entry);
            continue;
        }
        if (!reencodes_to_fit(profile, request, image)) {
            uploads.push_back(given_entry(image.filename.empty() ? fallback : image.filename, image));
            continue;
        }
        const uint64_t given = image.size();
        EncodedUpload fitted = reencode_upload(image.read_all(), profile.max_edit_image_bytes, request.upload_quality);
        image = upload_part(fitted, stem_of(image.filename, fallback));
        nlohmann::json entry = upload_entry(image.filename, fitted);
        entry["reencoded"] = true;
        entry["given_bytes"] = given;
        uploads.push_back(entry);
        if (i == 0)
            first_refit = std::move(fitted);
    }
    if (!request.has_mask)
        return uploads;
    if (first_refit && first_refit->downscaled()) {
        // The mask must stay the first image's size: scaled by the same factor, still PNG with alpha.
        const std::string given_mask = request.mask.read_all();
        RgbaImage mask = decode_image(data_of(given_mask), given_mask.size());
        if (mask.width == first_refit->source_width && mask.height == first_refit->source_height) {
            EncodeOptions options;
            options.keep_alpha = true;
            std::vector<uint8_t> bytes = encode_image(resize_rgba(mask, first_refit->width, first_refit->height),
                                                      ImageFormat::png, options);
            request.mask.bytes.assign(bytes.begin(), bytes.end());
            request.mask.spool.reset();
            EncodedUpload scaled;
            scaled.bytes = request.mask.bytes;
            scaled.encoding = "png fast";
            scaled.width = first_refit->width;
            scaled.height = first_refit->height;
            scaled.source_width = mask.width;
            scaled.source_height = mask.height;
            nlohmann::json entry = upload_entry(request.mask.filename.empty() ? "mask.png" : request.mask.filename, scaled);
            entry["reencoded"] = true;
            uploads.push_back(entry);
            return uploads;
        }
    }
    uploads.push_back(given_entry(request.mask.filename.empty() ? "mask.png" : request.mask.filename, request.mask));
    return uploads;
}

} // namespace pictor
