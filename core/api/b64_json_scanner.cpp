#include "api/b64_json_scanner.hpp"

#include "error.hpp"

#include <cstring>

namespace pictor {

B64JsonScanner::B64JsonScanner(Layout layout, const DecodeLimits &limits, size_t expected_image_bytes)
    : layout_(layout), limits_(limits), expected_image_bytes_(expected_image_bytes) {}

std::string B64JsonScanner::placeholder(size_t k) { return kPlaceholderPrefix + std::to_string(k); }

// At an opening quote (already in the skeleton): a key, a b64_json value to stream, or any
// other string.
void B64JsonScanner::on_string_start() {
    if (!containers_.empty() && containers_.back() == '{' && expect_key_) {
        key_.clear();
        state_ = State::key;
        return;
    }
    bool image_value = false;
    if (layout_ == Layout::data_items)
        image_value = containers_ == "{[{" && keys_[0] == "data" && keys_[2] == "b64_json";
    else
        image_value = containers_ == "{" && keys_[0] == "b64_json";
    if (image_value) {
        images_.push_back(std::make_unique<StreamedImage>(limits_, expected_image_bytes_));
        state_ = State::streamed;
    } else {
        state_ = State::string;
    }
}

// Inside a streamed value: hands its characters to the image until the closing quote or an
// escape. Returns how many bytes it used.
size_t B64JsonScanner::feed_streamed(const char *data, size_t size) {
    StreamedImage &image = *images_.back();
    const char *quote = static_cast<const char *>(std::memchr(data, '"', size));
    const size_t span = quote ? size_t(quote - data) : size;
    const char *escape = static_cast<const char *>(std::memchr(data, '\\', span));
    if (escape) {
        const size_t before = size_t(escape - data);
        image.feed(data, before);
        if (!image.base64_error().empty()) {
            // Already broken: keep it (the error is reported), just find the value's end.
            state_ = State::streamed_skip;
            return before;
        }
        // The JSON parser takes over this value: the skeleton gets its text so far.
        skeleton_ += image.abandon_as_text();
        images_.back().reset();
        state_ = State::string;
        return before;
    }
    image.feed(data, span);
    if (!quote) return size;
    image.finish();
    skeleton_ += placeholder(images_.size() - 1);
    skeleton_ += '"';
    state_ = State::outside;
    return span + 1;
}

void B64JsonScanner::check_depth() const {
    // An Images API answer nests five levels; ten thousand brackets are a memory bomb (each level
    // costs a key slot here and a node in the parser).
    if (containers_.size() >= kMaxDepth)
        throw Error(ErrorKind::bad_response, "its JSON nests deeper than " + std::to_string(kMaxDepth) + " levels");
}

void B64JsonScanner::feed(const char *data, size_t size) {
    size_t i = 0;
    while (i < size) {
        switch (state_) {
        case State::streamed:
            i += feed_streamed(data + i, size - i);
            continue;
        case State::streamed_skip: {
            const char c = data[i++];
            if (c == '\\') {
                state_ = State::streamed_skip_escape;
            } else if (c == '"') {
                images_.back()->finish();
                skeleton_ += placeholder(images_.size() - 1);
                skeleton_ += '"';
                state_ = State::outside;
            }
            continue;
        }
        case State::streamed_skip_escape:
            ++i;
            state_ = State::streamed_skip;
            continue;
        case State::string: {
            // Copy up to the next quote or backslash in one go.
            size_t j = i;
            while (j < size && data[j] != '"' && data[j] != '\\') ++j;
            skeleton_.append(data + i, j - i);
            i = j;
            if (i == size) continue;
            skeleton_ += data[i];
            state_ = data[i] == '"' ? State::outside : State::string_escape;
            ++i;
            continue;
        }
        case State::string_escape:
            skeleton_ += data[i++];
            state_ = State::string;
            continue;
        case State::key: {
            const char c = data[i++];
            skeleton_ += c;
            if (c == '"') {
                if (!keys_.empty()) keys_.back() = key_;
                expect_key_ = false;
                state_ = State::outside;
            } else if (key_.size() < 64) {
                key_ += c; // escapes kept raw: the names we look for have none
            }
            continue;
        }
        case State::outside: {
            const char c = data[i++];
            skeleton_ += c;
            switch (c) {
            case '"': on_string_start(); break;
            case '{':
                check_depth();
                containers_ += '{';
                keys_.emplace_back();
                expect_key_ = true;
                break;
            case '[':
                check_depth();
                containers_ += '[';
                keys_.emplace_back();
                break;
            case '}':
            case ']':
                if (!containers_.empty()) {
                    containers_.pop_back();
                    keys_.pop_back();
                    closed_ = containers_.empty();
                }
                expect_key_ = false;
                break;
            case ',':
                expect_key_ = !containers_.empty() && containers_.back() == '{';
                break;
            default: break;
            }
            continue;
        }
        }
    }
}

} // namespace pictor
