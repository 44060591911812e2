#include "api/sse_reader.hpp"

#include <cstring>

namespace pictor {
namespace {

constexpr size_t kMaxFieldLine = 64 * 1024; // event:, id:, retry:, comments

} // namespace

SseReader::SseReader(const DecodeLimits &limits, size_t expected_image_bytes, EventFn on_event)
    : limits_(limits), expected_image_bytes_(expected_image_bytes), on_event_(std::move(on_event)) {}

void SseReader::dispatch() {
    if (data_)
        on_event_(event_, *data_);
    data_.reset();
    event_.clear();
}

// A line ended (its data already went wherever it belongs).
void SseReader::end_of_line() {
    if (line_ == Line::start) {
        dispatch(); // a blank line ends the event
    } else if (line_ == Line::field) {
        // A whole non-data line: "event: x", "id: ...", ": comment", "retry: ..."
        auto colon = field_.find(':');
        std::string name = field_.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : field_.substr(colon + 1);
        if (!value.empty() && value[0] == ' ')
            value.erase(0, 1);
        if (name == "event")
            event_ = value;
        else if (name == "data") { // an empty data line ("data", or "data:" ending a piece)
            // Joined with a line break like any other data line (found by fuzz_response_stream).
            if (data_)
                data_->feed("\n", 1);
            else
                data_ = std::make_unique<B64JsonScanner>(B64JsonScanner::Layout::top_level, limits_,
                                                         expected_image_bytes_);
        }
    }
    field_.clear();
    line_ = Line::start;
}

void SseReader::feed(const char *data, size_t size) {
    size_t i = 0;
    while (i < size) {
        if (after_cr_) { // "\r\n" counts as one line end
            after_cr_ = false;
            if (data[i] == '\n') {
                ++i;
                continue;
            }
        }
        if (line_ == Line::data) {
            // Stream the data up to the end of the line into the event's scanner.
            size_t j = i;
            while (j < size && data[j] != '\n' && data[j] != '\r') ++j;
            data_->feed(data + i, j - i);
            i = j;
            if (i == size) break;
            after_cr_ = data[i] == '\r';
            ++i;
            end_of_line();
            continue;
        }
        const char c = data[i++];
        if (c == '\n' || c == '\r') {
            after_cr_ = c == '\r';
            end_of_line();
            continue;
        }
        if (line_ == Line::skip)
            continue;
        field_ += c;
        line_ = Line::field;
        if (field_ == "data:" || (field_.size() == 6 && field_.compare(0, 5, "data:") == 0)) {
            // "data:" then an optional space, then the payload streams.
            if (field_.size() == 5 && i < size && data[i] == ' ') {
                ++i;
            } else if (field_.size() == 5 && i == size) {
                continue; // the optional space may come in the next piece
            }
            std::string first = field_.size() == 6 && field_[5] != ' ' ? field_.substr(5) : "";
            if (data_)
                data_->feed("\n", 1); // several data lines join with a line break
            else
                data_ = std::make_unique<B64JsonScanner>(B64JsonScanner::Layout::top_level, limits_,
                                                         expected_image_bytes_);
            if (!first.empty())
                data_->feed(first.data(), first.size());
            field_.clear();
            line_ = Line::data;
        } else if (field_.size() > kMaxFieldLine) {
            field_.clear();
            line_ = Line::skip;
        }
    }
}

void SseReader::finish() {
    if (line_ != Line::start)
        end_of_line();
    dispatch();
}

} // namespace pictor
