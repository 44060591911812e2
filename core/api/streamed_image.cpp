#include "api/streamed_image.hpp"

#include <cctype>

#include "api/images_response.hpp"
#include "error.hpp"
#include "image/base64.hpp"
#include "image/image_format.hpp"

namespace pictor {
namespace {

constexpr size_t kMaxPrefix = 128;        // as strip_data_url_prefix: the comma within 128 characters
constexpr size_t kSniffBytes = 16;        // enough magic for sniff_image_format
constexpr size_t kBlockBytes = 64 << 10;  // decoded bytes handed to the worker at a time
constexpr size_t kMaxQueued = 4;          // then the receiver waits (TCP slows the sender)

} // namespace

StreamedImage::StreamedImage(const DecodeLimits &limits, size_t expected_bytes) : limits_(limits) {
    if (expected_bytes > 0) {
        try {
            encoded_.reserve(expected_bytes);
        } catch (const std::bad_alloc &) {
        }
    }
}

StreamedImage::~StreamedImage() { stop_worker(); }

void StreamedImage::feed(const char *text, size_t size) noexcept {
    if (!base64_error_.empty() || finished_) return;
    try {
        if (!prefix_decided_) {
            // Hold the start until we know whether it is "data:image/png;base64," (skipped) or
            // base64 itself; leading whitespace is skipped either way.
            prefix_.append(text, size);
            size_t start = 0;
            while (start < prefix_.size() && std::isspace(static_cast<unsigned char>(prefix_[start])))
                ++start;
            std::string_view rest(prefix_.data() + start, prefix_.size() - start);
            if (rest.empty()) return;
            if (rest.size() < 5 && std::string_view("data:").substr(0, rest.size()) == rest) return;
            if (rest.compare(0, 5, "data:") == 0) {
                const size_t comma = rest.find(',');
                if (comma == std::string_view::npos && rest.size() < kMaxPrefix) return;
                if (comma != std::string_view::npos && comma < kMaxPrefix) rest.remove_prefix(comma + 1);
            }
            prefix_decided_ = true;
            std::string held(rest);
            prefix_.clear();
            prefix_.shrink_to_fit();
            feed_base64(held.data(), held.size());
            return;
        }
        feed_base64(text, size);
    } catch (const std::exception &e) {
        base64_error_ = e.what();
    }
}

void StreamedImage::feed_base64(const char *text, size_t size) {
    base64_.feed(text, size, block_);
    if (block_.size() >= kBlockBytes) hand_over(false);
}

// Gives the decoded bytes to the worker (started on the first full block; a small image is
// decoded on this thread at finish, where a thread would cost more than it saves).
void StreamedImage::hand_over(bool last) {
    if (!worker_.joinable()) {
        if (last) {
            decode_block(block_);
            finish_decoder();
            return;
        }
        worker_ = std::thread([this] { run_worker(); });
    }
    std::unique_lock<std::mutex> lock(mutex_);
    // A full queue waits until it is half empty, so the worker wakes this thread once per two
    // blocks, not once per block (each wake is a system call and a context switch).
    if (queue_.size() >= kMaxQueued) changed_.wait(lock, [this] { return queue_.size() <= kMaxQueued / 2; });
    queue_.push_back(std::move(block_));
    block_ = std::string();
    if (!last) block_.reserve(kBlockBytes + (16 << 10));
    if (last) no_more_ = true;
    changed_.notify_all();
}

void StreamedImage::run_worker() {
    for (;;) {
        std::string block;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [this] { return !queue_.empty() || no_more_; });
            if (queue_.empty()) break;
            block = std::move(queue_.front());
            queue_.pop_front();
            if (queue_.size() <= kMaxQueued / 2) changed_.notify_all();
        }
        decode_block(block);
    }
    finish_decoder();
}

// Appends a block to the encoded bytes and lets the decoder go as far as they allow. Runs on
// the worker (or on the receiving thread when there is none); never throws.
void StreamedImage::decode_block(std::string &block) {
    try {
        encoded_.append(block);
        block = std::string();
        if (!decoder_tried_) {
            if (encoded_.size() < kSniffBytes) return;
            decoder_tried_ = true;
            decoder_ = make_progressive_decoder(
                sniff_image_format(reinterpret_cast<const uint8_t *>(encoded_.data()), encoded_.size()), limits_);
        }
        if (decoder_) decoder_->update(reinterpret_cast<const uint8_t *>(encoded_.data()), encoded_.size());
    } catch (const std::exception &) {
        decoder_.reset(); // decode_image will say what is wrong, after history has the bytes
    }
}

void StreamedImage::finish_decoder() {
    try {
        if (!decoder_tried_) {
            decoder_tried_ = true;
            decoder_ = make_progressive_decoder(
                sniff_image_format(reinterpret_cast<const uint8_t *>(encoded_.data()), encoded_.size()), limits_);
            if (decoder_) decoder_->update(reinterpret_cast<const uint8_t *>(encoded_.data()), encoded_.size());
        }
        if (decoder_ && decoder_->complete()) {
            RgbaImage image = decoder_->take();
            // Over the answer's budget the pixels are dropped at once; the bytes stay, and the
            // client says why that image was not decoded.
            if (!limits_.answer_pixels || limits_.answer_pixels->take(uint64_t(image.width) * image.height)) {
                rgba_ = std::move(image);
                decoded_ = true;
            }
        }
    } catch (const std::exception &) {
    }
    decoder_.reset(); // frees the decoder's own buffers before the next image
}

void StreamedImage::stop_worker() {
    if (!worker_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        no_more_ = true;
        changed_.notify_all();
    }
    worker_.join();
}

void StreamedImage::finish() noexcept {
    if (finished_) return;
    finished_ = true;
    try {
        if (!prefix_decided_) {
            prefix_decided_ = true;
            std::string held = std::string(strip_data_url_prefix(prefix_));
            prefix_.clear();
            if (base64_error_.empty()) base64_.feed(held.data(), held.size(), block_);
        }
        if (base64_error_.empty()) base64_.finish(block_);
    } catch (const std::exception &e) {
        base64_error_ = e.what();
    }
    try {
        hand_over(true);
    } catch (const std::exception &) {
        // a thread could not start: the bytes so far are kept, decode_image decides
    }
    stop_worker();
}

std::string StreamedImage::abandon_as_text() {
    finished_ = true;
    stop_worker();
    decoder_.reset();
    std::string text;
    if (!prefix_decided_) {
        text.swap(prefix_);
    } else {
        encoded_ += block_;
        text = base64_encode(reinterpret_cast<const uint8_t *>(encoded_.data()), encoded_.size());
        text += base64_.pending_text();
    }
    encoded_.clear();
    encoded_.shrink_to_fit();
    block_.clear();
    return text;
}

} // namespace pictor
