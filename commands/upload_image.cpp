#include "upload_image.hpp"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>

#include "api/upload_plan.hpp"

namespace pictor::plugin {

UploadBatch encode_uploads(const RgbaImage &first, const std::string &first_stem, const GrayImage &coverage,
                           size_t count, const std::function<RgbaImage(size_t)> &read_more,
                           const std::function<std::string(size_t)> &stem_of, const GatewayProfile &profile,
                           UploadQuality quality) {
    UploadBatch batch;
    const uint64_t limit = profile.max_edit_image_bytes;
    const size_t cores = std::max(1u, std::thread::hardware_concurrency());

    // The first image goes on a thread of its own while the references are read and encoded.
    EncodedWithMask head;
    std::exception_ptr head_failure;
    auto encode_head = [&] {
        try {
            if (coverage.empty())
                head.image = encode_upload(first, limit, quality);
            else
                head = encode_upload_with_mask(first, coverage, limit, profile.max_mask_bytes, quality);
        } catch (...) {
            head_failure = std::current_exception();
        }
    };
    std::thread head_thread;
    try {
        head_thread = std::thread(encode_head);
    } catch (const std::system_error &) {
        encode_head();
    }

    std::vector<EncodedUpload> rest(count);
    std::exception_ptr rest_failure;
    try {
        // A few references at a time: reading is the host's (this thread), encoding runs on
        // `cores` threads; pixels of at most `cores` references are held at once.
        for (size_t start = 0; start < count; start += cores) {
            const size_t end = std::min(count, start + cores);
            std::vector<RgbaImage> pixels;
            for (size_t k = start; k < end; ++k)
                pixels.push_back(read_more(k));
            std::vector<std::exception_ptr> failures(end - start);
            std::vector<std::thread> workers;
            auto encode_one = [&](size_t k) {
                try {
                    rest[k] = encode_upload(pixels[k - start], limit, quality);
                } catch (...) {
                    failures[k - start] = std::current_exception();
                }
            };
            for (size_t k = start + 1; k < end; ++k) {
                try {
                    workers.emplace_back(encode_one, k);
                } catch (const std::system_error &) {
                    encode_one(k);
                }
            }
            encode_one(start);
            for (auto &worker : workers)
                worker.join();
            for (auto &failure : failures)
                if (failure)
                    std::rethrow_exception(failure);
        }
    } catch (...) {
        rest_failure = std::current_exception();
    }
    if (head_thread.joinable())
        head_thread.join();
    if (head_failure)
        std::rethrow_exception(head_failure);
    if (rest_failure)
        std::rethrow_exception(rest_failure);

    batch.images.push_back(upload_part(head.image, first_stem));
    batch.report.push_back(upload_entry(batch.images.back().filename, head.image));
    for (size_t k = 0; k < count; ++k) {
        batch.images.push_back(upload_part(rest[k], stem_of(k)));
        batch.report.push_back(upload_entry(batch.images.back().filename, rest[k]));
        std::string().swap(rest[k].bytes); // copied into the part: never all held twice
    }
    if (!coverage.empty()) {
        batch.has_mask = true;
        batch.mask = upload_part(head.mask, "mask");
        batch.report.push_back(upload_entry(batch.mask.filename, head.mask));
    }
    return batch;
}

std::string uploads_summary(const nlohmann::json &report) {
    std::string text;
    for (const auto &entry : report)
        text += (text.empty() ? "" : "; ") + describe_upload(entry);
    return text;
}

} // namespace pictor::plugin
