// Reads one successful Images API answer while it downloads: a JSON body through
// B64JsonScanner, or server-sent events (stream: true) through SseReader, handing partial
// images to a callback as they complete. Plugs into HttpTransport as its body sink.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/b64_json_scanner.hpp"
#include "api/image_request.hpp"
#include "api/images_response.hpp"
#include "api/sse_reader.hpp"
#include "image/image_decode.hpp"
#include "image/image_format.hpp"
#include "image/rgba_image.hpp"
#include "net/http_transport.hpp"

namespace pictor {

class StreamedResponse final : public net::BodySink {
public:
    // expected_images: how many images the call asked for (a stream is whole when they came).
    StreamedResponse(const DecodeLimits &limits, PartialImageCallback on_partial, int partial_total,
                     int variation, int expected_images = 1);

    bool begin(long status, const net::HttpResponse &response) noexcept override;
    void write(const char *data, size_t size) noexcept override;
    void end(bool complete) noexcept override;
    void reset() noexcept override;
    bool complete() const noexcept override;

    // The body went here (else it is in HttpResponse::body).
    bool taken() const { return mode_ != Mode::none; }

    // The answer, as read_images_response gives it; throws the same errors.
    ImagesResponse result();

    // Milliseconds from the last piece of the body to the end of the work that was left (the
    // rest of the decode, reading the JSON); result() adds its own share.
    double after_last_byte_ms() const { return after_last_byte_ms_; }

private:
    enum class Mode { none, json, sse };
    void on_event(const std::string &event, B64JsonScanner &data);

    DecodeLimits limits_;
    PartialImageCallback on_partial_;
    int partial_total_;
    int variation_;
    int expected_images_;
    bool stream_done_ = false;     // "data: [DONE]" arrived
    Mode mode_ = Mode::none;
    size_t expected_image_bytes_ = 0;
    std::unique_ptr<B64JsonScanner> json_;
    std::unique_ptr<SseReader> sse_;
    // SSE: what the events brought.
    std::vector<ResponseImage> completed_;
    nlohmann::json usage_;
    std::string error_body_;       // an error event's data
    std::string unusable_event_;   // why an event could not be read
    std::vector<std::string> warnings_; // odd parts of the stream that did not cost the answer
    double after_last_byte_ms_ = 0;
    std::chrono::steady_clock::time_point last_write_at_{};
    bool write_failed_ = false;
};

} // namespace pictor
