// One b64_json value turned into an image while it arrives: base64 text -> the encoded bytes
// (kept whole: they go to history) -> a progressive decoder -> RGBA. The base64 is decoded on
// the receiving thread; the image decoder runs on a worker thread fed in blocks, so receiving
// and decoding overlap on two cores. Never throws while feeding (it runs inside libcurl's write
// callback): failures are recorded and reported later.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "image/base64_stream.hpp"
#include "image/image_decode.hpp"
#include "image/progressive_decoder.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

class StreamedImage {
public:
    // expected_bytes: a guess at the encoded size (from Content-Length), reserved up front so the
    // buffer is not copied while it grows; 0 when unknown.
    StreamedImage(const DecodeLimits &limits, size_t expected_bytes);
    ~StreamedImage();
    StreamedImage(const StreamedImage &) = delete;
    StreamedImage &operator=(const StreamedImage &) = delete;

    // Characters of the JSON string value, in order, without the quotes.
    void feed(const char *text, size_t size) noexcept;
    // The closing quote arrived: decodes what is left and waits for the worker.
    void finish() noexcept;

    // The value so far as equivalent base64 text (for a JSON parser to take over when the value
    // turns out to contain escapes); the image is abandoned.
    std::string abandon_as_text();

    // After finish():
    std::string take_encoded() { return std::move(encoded_); }
    // The base64 was broken: the message, as base64_decode would say it. Empty when fine.
    const std::string &base64_error() const { return base64_error_; }
    // Decoded while arriving; false: decode the encoded bytes with decode_image.
    bool decoded() const { return decoded_; }
    RgbaImage take_rgba() { return std::move(rgba_); }

private:
    void feed_base64(const char *text, size_t size);
    void hand_over(bool last);
    void run_worker();
    void decode_block(std::string &block);
    void finish_decoder();
    void stop_worker();

    DecodeLimits limits_;
    std::string prefix_;          // leading characters held until we know if a data: prefix
    bool prefix_decided_ = false;
    Base64StreamDecoder base64_;
    std::string block_;           // decoded bytes not yet handed to the decoder
    std::string base64_error_;
    bool finished_ = false;

    // Owned by the worker while it runs (the receiving thread touches them only after joining).
    std::string encoded_;
    std::unique_ptr<ProgressiveDecoder> decoder_;
    bool decoder_tried_ = false;
    bool decoded_ = false;
    RgbaImage rgba_;

    std::thread worker_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::string> queue_;
    bool no_more_ = false;
};

} // namespace pictor
