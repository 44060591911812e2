// Finds the b64_json values of an Images API answer while the JSON arrives, without building a
// DOM or holding the base64 text: each value streams into a StreamedImage, and everything else
// is kept verbatim as a small "skeleton" in which each streamed value is replaced by a
// placeholder. A real JSON parser then reads the skeleton, so the rest of the answer is still
// parsed and validated. A value containing an escape (\/, \n, \u...) is handed back to the
// parser: its text so far is re-created in the skeleton and the rest is copied as it comes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api/streamed_image.hpp"
#include "image/image_decode.hpp"

namespace pictor {

class B64JsonScanner {
public:
    enum class Layout {
        data_items, // {"data": [{"b64_json": "..."}, ...], ...}   (plain JSON answers)
        top_level,  // {"b64_json": "...", ...}                    (one SSE event's data)
    };

    // expected_image_bytes: reserved per image (0: unknown).
    B64JsonScanner(Layout layout, const DecodeLimits &limits, size_t expected_image_bytes);

    void feed(const char *data, size_t size);

    const std::string &skeleton() const { return skeleton_; }
    // The top-level value's closing bracket arrived: nothing after it belongs to the answer.
    bool closed() const { return closed_; }
    std::string take_skeleton() { return std::move(skeleton_); }
    // Streamed values by placeholder number; abandoned ones are null.
    std::vector<std::unique_ptr<StreamedImage>> take_images() { return std::move(images_); }

    // "pictor:streamed:<k>", the text that replaces value k in the skeleton.
    static std::string placeholder(size_t k);
    static constexpr const char *kPlaceholderPrefix = "pictor:streamed:";
    // Deeper JSON is refused (Error(bad_response)) as it arrives.
    static constexpr size_t kMaxDepth = 64;

private:
    enum class State { outside, key, string, string_escape, streamed, streamed_skip, streamed_skip_escape };

    void on_string_start();
    void check_depth() const;
    size_t feed_streamed(const char *data, size_t size);

    Layout layout_;
    DecodeLimits limits_;
    size_t expected_image_bytes_;
    State state_ = State::outside;
    std::string skeleton_;
    std::string containers_;        // '{' or '[' per open level
    std::vector<std::string> keys_; // the member name being read at each object level
    bool expect_key_ = false;
    std::string key_;               // the key being read
    std::vector<std::unique_ptr<StreamedImage>> images_;
    bool closed_ = false;
};

} // namespace pictor
