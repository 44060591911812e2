#include "upload_image.hpp"

#include "api/upload_plan.hpp"
#include "image/image_format.hpp"
#include "net/part_spool.hpp"

namespace pictor::plugin {

namespace {

// Encoded into `spool` as it is made (the fast PNG band by band); an encoding that did not fit
// is emptied for the next one. Seals the spool with the part's name and type.
nlohmann::json encode_to_spool(const RgbaImage &image, const std::string &stem, uint64_t limit,
                               UploadQuality quality, net::PartSpool &spool, InputImage *part) {
    const UploadSink sink{[&](const uint8_t *data, size_t size) { spool.append(data, size); },
                          [&] { spool.clear(); }};
    const EncodedUpload encoded = encode_upload_to(image, limit, quality, sink);
    const std::string filename = stem + image_format_extension(encoded.format);
    if (part)
        part->filename = filename;
    spool.seal(filename, image_format_mime_type(encoded.format));
    return upload_entry(filename, encoded, spool.size());
}

} // namespace

PendingUploads::PendingUploads(std::vector<std::shared_ptr<net::PartSpool>> spools,
                               std::function<RgbaImage(size_t)> read_more, std::function<std::string(size_t)> stem_of,
                               uint64_t limit, UploadQuality quality, nlohmann::json head_report)
    : spools_(std::move(spools)), read_more_(std::move(read_more)), stem_of_(std::move(stem_of)), limit_(limit),
      quality_(quality), entries_(std::move(head_report)) {}

void PendingUploads::add_trailing(nlohmann::json entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    trailing_.push_back(std::move(entry));
}

void PendingUploads::encode_all() {
    struct Ended {
        PendingUploads &self;
        ~Ended() {
            for (auto &spool : self.spools_)
                spool->abandon(); // the ones not sealed: the request is cut short
            {
                std::lock_guard<std::mutex> lock(self.mutex_);
                self.done_ = true;
            }
            self.ended_.notify_all();
        }
    } ended{*this};
    for (size_t k = 0; k < spools_.size(); ++k) {
        // The frame read is freed once it is encoded.
        nlohmann::json entry = encode_to_spool(read_more_(k), stem_of_(k), limit_, quality_, *spools_[k], nullptr);
        std::lock_guard<std::mutex> lock(mutex_);
        entries_.push_back(std::move(entry));
    }
}

bool PendingUploads::done() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return done_;
}

void PendingUploads::wait_done() const {
    std::unique_lock<std::mutex> lock(mutex_);
    ended_.wait(lock, [&] { return done_; });
}

nlohmann::json PendingUploads::report() const {
    std::lock_guard<std::mutex> lock(mutex_);
    nlohmann::json out = entries_;
    for (const auto &entry : trailing_)
        out.push_back(entry);
    return out;
}

UploadBatch encode_uploads(const RgbaImage &first, const std::string &first_stem, const GrayImage &coverage,
                           size_t count, std::function<RgbaImage(size_t)> read_more,
                           std::function<std::string(size_t)> stem_of, const GatewayProfile &profile,
                           UploadQuality quality) {
    UploadBatch batch;
    const uint64_t limit = profile.max_edit_image_bytes;
    // One frame at a time (PNG encodes on all cores in row bands), each part written to its
    // spool file as it is encoded: the peak is about one frame and its encoder's buffers,
    // whatever the number of references.
    nlohmann::json mask_entry;
    if (coverage.empty()) {
        InputImage part;
        part.spool = net::PartSpool::create();
        batch.report.push_back(encode_to_spool(first, first_stem, limit, quality, *part.spool, &part));
        batch.images.push_back(std::move(part));
    } else { // the mask follows the image's size: both encoded in memory, one frame's worth
        const EncodedWithMask head = encode_upload_with_mask(first, coverage, limit, profile.max_mask_bytes, quality);
        batch.images.push_back(spooled_part(head.image, head.image.bytes.data(), head.image.bytes.size(), first_stem));
        batch.report.push_back(upload_entry(batch.images.back().filename, head.image, batch.images.back().size()));
        batch.has_mask = true;
        batch.mask = spooled_part(head.mask, head.mask.bytes.data(), head.mask.bytes.size(), "mask");
        mask_entry = upload_entry(batch.mask.filename, head.mask);
    }
    if (count == 0) {
        if (batch.has_mask)
            batch.report.push_back(std::move(mask_entry)); // the mask is sent last
        return batch;
    }
    // The rest go up as they are encoded: their parts are in the request, unsealed.
    std::vector<std::shared_ptr<net::PartSpool>> spools;
    for (size_t k = 0; k < count; ++k) {
        InputImage part;
        part.spool = net::PartSpool::create();
        spools.push_back(part.spool);
        batch.images.push_back(std::move(part));
    }
    batch.pending = std::make_shared<PendingUploads>(std::move(spools), std::move(read_more), std::move(stem_of), limit,
                                                     quality, batch.report);
    if (batch.has_mask)
        batch.pending->add_trailing(std::move(mask_entry));
    return batch;
}

std::string uploads_summary(const nlohmann::json &report) {
    std::string text;
    for (const auto &entry : report)
        text += (text.empty() ? "" : "; ") + describe_upload(entry);
    return text;
}

} // namespace pictor::plugin
