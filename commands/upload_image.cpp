#include "upload_image.hpp"

#include "api/upload_plan.hpp"
#include "net/part_spool.hpp"

namespace pictor::plugin {

UploadBatch encode_uploads(const RgbaImage &first, const std::string &first_stem, const GrayImage &coverage,
                           size_t count, const std::function<RgbaImage(size_t)> &read_more,
                           const std::function<std::string(size_t)> &stem_of, const GatewayProfile &profile,
                           UploadQuality quality) {
    UploadBatch batch;
    const uint64_t limit = profile.max_edit_image_bytes;
    // One frame at a time (PNG encodes on all cores in row bands), each part written to its
    // spool file as it is encoded: the peak is about one frame and its encoder's buffers,
    // whatever the number of references.
    auto add = [&](InputImage part, const EncodedUpload &upload) {
        batch.images.push_back(std::move(part));
        batch.report.push_back(upload_entry(batch.images.back().filename, upload, batch.images.back().size()));
    };
    // Written to its spool file as it is encoded (the fast PNG band by band); a spool whose
    // encoding did not fit is emptied for the next one.
    auto encode_to_spool = [&](const RgbaImage &image, const std::string &stem) {
        std::shared_ptr<net::PartSpool> spool = net::PartSpool::create();
        const UploadSink sink{[&](const uint8_t *data, size_t size) { spool->append(data, size); },
                              [&] { spool->clear(); }};
        const EncodedUpload encoded = encode_upload_to(image, limit, quality, sink);
        add(spooled_part(encoded, std::move(spool), stem), encoded);
    };
    nlohmann::json mask_entry;
    if (coverage.empty()) {
        encode_to_spool(first, first_stem);
    } else { // the mask follows the image's size: both encoded in memory, one frame's worth
        const EncodedWithMask head = encode_upload_with_mask(first, coverage, limit, profile.max_mask_bytes, quality);
        add(spooled_part(head.image, head.image.bytes.data(), head.image.bytes.size(), first_stem), head.image);
        batch.has_mask = true;
        batch.mask = spooled_part(head.mask, head.mask.bytes.data(), head.mask.bytes.size(), "mask");
        mask_entry = upload_entry(batch.mask.filename, head.mask);
    }
    for (size_t k = 0; k < count; ++k)
        encode_to_spool(read_more(k), stem_of(k)); // the frame read is freed once it is encoded
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
