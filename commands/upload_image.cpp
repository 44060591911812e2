#include "upload_image.hpp"

#include "api/upload_plan.hpp"

namespace pictor::plugin {

UploadBatch encode_uploads(const RgbaImage &first, const std::string &first_stem, const GrayImage &coverage,
                           size_t count, const std::function<RgbaImage(size_t)> &read_more,
                           const std::function<std::string(size_t)> &stem_of, const GatewayProfile &profile,
                           UploadQuality quality) {
    UploadBatch batch;
    const uint64_t limit = profile.max_edit_image_bytes;
    // One frame at a time (PNG encodes on all cores in row bands), each part written to its
    // spool file and its bytes freed at once: the peak is about one frame and its encoder's
    // buffers, whatever the number of references.
    auto add = [&](const EncodedUpload &upload, const void *data, size_t size, const std::string &stem) {
        batch.images.push_back(spooled_part(upload, data, size, stem));
        batch.report.push_back(upload_entry(batch.images.back().filename, upload, size));
    };
    nlohmann::json mask_entry;
    {
        EncodedWithMask head;
        if (coverage.empty())
            head.image = encode_upload(first, limit, quality);
        else
            head = encode_upload_with_mask(first, coverage, limit, profile.max_mask_bytes, quality);
        add(head.image, head.image.bytes.data(), head.image.bytes.size(), first_stem);
        if (!coverage.empty()) {
            batch.has_mask = true;
            batch.mask = spooled_part(head.mask, head.mask.bytes.data(), head.mask.bytes.size(), "mask");
            mask_entry = upload_entry(batch.mask.filename, head.mask);
        }
    }
    for (size_t k = 0; k < count; ++k) {
        std::vector<uint8_t> bytes;
        const EncodedUpload encoded = encode_upload_into(read_more(k), limit, quality, bytes); // frees the pixels
        add(encoded, bytes.data(), bytes.size(), stem_of(k));
    }
    if (batch.has_mask)
        batch.report.push_back(std::move(mask_entry)); // the mask is sent last
    return batch;
}

std::string uploads_summary(const nlohmann::json &report) {
    std::string text;
    for (const auto &entry : report)
        text += (text.empty() ? "" : "; ") + describe_upload(entry);
    return text;
}

} // namespace pictor::plugin
