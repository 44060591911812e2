#include "api/streamed_response.hpp"

#include <algorithm>
#include <cctype>

#include "api/http_error.hpp"
#include "api/images_response.hpp"
#include "error.hpp"
#include "image/image_decode.hpp"

namespace pictor {
namespace {

using Clock = std::chrono::steady_clock;

std::string lowercase(std::string text) {
    for (auto &c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool ends_with(const std::string &text, const std::string &suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

StreamedResponse::StreamedResponse(const DecodeLimits &limits, PartialImageCallback on_partial,
                                   int partial_total, int variation, int expected_images)
    : limits_(limits), on_partial_(std::move(on_partial)), partial_total_(partial_total),
      variation_(variation), expected_images_(std::max(1, expected_images)) {}

bool StreamedResponse::begin(long status, const net::HttpResponse &response) noexcept {
    if (status != 200)
        return false; // errors stay whole in HttpResponse::body for error_from_response
    try {
        const std::string type = lowercase(response.header("content-type"));
        // Base64 is 4/3 of the bytes; reserving that avoids copying a growing image buffer.
        const std::string length = response.header("content-length");
        if (!length.empty() && length.size() < 12)
            expected_image_bytes_ = size_t(std::stoull(length)) / 4 * 3;
        if (type.rfind("text/event-stream", 0) == 0) {
            mode_ = Mode::sse;
            // Previews are decoded, shown and dropped: only completed images count against the
            // answer's pixel budget (on_event).
            DecodeLimits event_limits = limits_;
            event_limits.answer_pixels = nullptr;
            sse_ = std::make_unique<SseReader>(event_limits, 0, [this](const std::string &e, B64JsonScanner &d) {
                on_event(e, d);
            });
        } else {
            mode_ = Mode::json;
            json_ = std::make_unique<B64JsonScanner>(B64JsonScanner::Layout::data_items, limits_,
                                                     expected_image_bytes_);
        }
        return true;
    } catch (const std::exception &) {
        mode_ = Mode::none;
        return false;
    }
}

void StreamedResponse::write(const char *data, size_t size) noexcept {
    if (write_failed_)
        return;
    last_write_at_ = Clock::now();
    try {
        if (mode_ == Mode::json)
            json_->feed(data, size);
        else if (mode_ == Mode::sse)
            sse_->feed(data, size);
    } catch (const std::exception &e) {
        write_failed_ = true; // reported by result()
        unusable_event_ = e.what();
    }
}

bool StreamedResponse::complete() const noexcept {
    if (write_failed_)
        return false;
    if (mode_ == Mode::json)
        return json_ && json_->closed();
    if (mode_ == Mode::sse)
        return stream_done_ || !error_body_.empty() || int(completed_.size()) >= expected_images_;
    return false;
}

void StreamedResponse::end(bool) noexcept {
    // Also after a reset: an event whose data is whole counts even without its blank line.
    if (mode_ == Mode::sse && !write_failed_) {
        try {
            sse_->finish();
        } catch (const std::exception &e) {
            write_failed_ = true;
            unusable_event_ = e.what();
        }
    }
    // The last piece's own processing counts: it may hold the end of an image.
    after_last_byte_ms_ = std::chrono::duration<double, std::milli>(Clock::now() - last_write_at_).count();
}

void StreamedResponse::reset() noexcept {
    mode_ = Mode::none;
    json_.reset();
    sse_.reset();
    completed_.clear();
    usage_ = nullptr;
    error_body_.clear();
    unusable_event_.clear();
    write_failed_ = false;
    stream_done_ = false;
    warnings_.clear();
}

void StreamedResponse::on_event(const std::string &event_field, B64JsonScanner &data) {
    std::string skeleton = data.take_skeleton();
    auto images = data.take_images();
    size_t start = skeleton.find_first_not_of(" \t\r\n");
    if (start == std::string::npos)
        return;
    if (skeleton.compare(start, 6, "[DONE]") == 0) {
        stream_done_ = true;
        return;
    }
    std::string event = event_field;
    if (event.empty() || skeleton.find("\"error\"") != std::string::npos) {
        // No "event:" line: go by the payload's "type"; an error object wins whatever the name,
        // unless the event brings an image (billed: kept, the error becomes a warning).
        nlohmann::json json = parse_json_leniently(skeleton);
        if (json.is_object() && reports_error(json) && !json.contains("b64_json"))
            event = "error";
        else if (event.empty() && json.is_object() && json.contains("type") && json["type"].is_string())
            event = json["type"].get<std::string>();
    }
    if (event == "error") {
        if (error_body_.empty())
            error_body_ = skeleton;
        return;
    }
    const bool partial = ends_with(event, ".partial_image");
    const bool completed = ends_with(event, ".completed");
    if (!partial && !completed)
        return; // an event we do not know: ignored, as the SSE spec asks
    try {
        EventImage read = read_event_image(skeleton, images);
        for (auto &warning : read.warnings)
            warnings_.push_back(std::move(warning));
        if (completed) {
            add_usage(usage_, read.event.value("usage", nlohmann::json()));
            ResponseImage &image = read.image;
            if (image.decoded && limits_.answer_pixels &&
                !limits_.answer_pixels->take(uint64_t(image.rgba.width) * image.rgba.height)) {
                image.rgba = RgbaImage{}; // over the budget: the bytes stay, the pixels go
                image.decoded = false;
            }
            completed_.push_back(std::move(image));
            return;
        }
        if (!on_partial_)
            return;
        ResponseImage &image = read.image;
        const auto *bytes = reinterpret_cast<const uint8_t *>(image.bytes.data());
        if (!image.decoded) {
            DecodeLimits limits = limits_;
            image.rgba = decode_image(bytes, image.bytes.size(), limits);
        }
        // Only a hint for the host's preview: a gateway's odd value must not cost the answer.
        auto index = read.event.find("partial_image_index");
        int number = index != read.event.end() && index->is_number_integer() ? index->get<int>() : 0;
        on_partial_(PartialImage{image.rgba, image.bytes, sniff_image_format(bytes, image.bytes.size()),
                                 number, partial_total_, variation_});
    } catch (const Error &e) {
        // A broken partial is only a preview lost; a broken completed image fails the call.
        if (completed && unusable_event_.empty())
            unusable_event_ = e.what();
        else if (partial)
            warnings_.push_back(std::string("a preview image was unusable and skipped: ") + e.what());
    } catch (const std::exception &) {
        if (completed && unusable_event_.empty())
            unusable_event_ = "a completed image event could not be read";
        else if (partial)
            warnings_.push_back("a preview image was unusable and skipped");
    }
}

ImagesResponse StreamedResponse::result() {
    if (mode_ == Mode::json) {
        if (write_failed_)
            unusable(unusable_event_);
        const auto start = Clock::now();
        std::string skeleton = json_->take_skeleton();
        auto images = json_->take_images();
        json_.reset();
        ImagesResponse response = read_images_response(skeleton, images);
        after_last_byte_ms_ += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        return response;
    }
    if (!error_body_.empty())
        throw Error(error_from_body(200, error_body_));
    if (!unusable_event_.empty())
        unusable(unusable_event_);
    if (completed_.empty())
        unusable("the event stream ended without a completed image");
    ImagesResponse response;
    response.images = std::move(completed_);
    response.usage = usage_;
    response.warnings = std::move(warnings_);
    return response;
}

} // namespace pictor
