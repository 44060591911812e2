// Server-sent events (text/event-stream) read as they arrive. Each event's data streams into a
// B64JsonScanner while its line is still arriving, so a partial or completed image is decoded
// on the way; the event is handed over at its blank line.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "api/b64_json_scanner.hpp"

namespace pictor {

class SseReader {
public:
    // event: the "event:" field ("" when none). data: the scanner holding the event's data.
    using EventFn = std::function<void(const std::string &event, B64JsonScanner &data)>;

    SseReader(const DecodeLimits &limits, size_t expected_image_bytes, EventFn on_event);

    void feed(const char *data, size_t size);
    // The stream ended: an event without its blank line still counts when its data is whole
    // (the server closed right after it).
    void finish();

private:
    enum class Line { start, field, data, skip };
    void end_of_line();
    void dispatch();

    DecodeLimits limits_;
    size_t expected_image_bytes_;
    EventFn on_event_;
    Line line_ = Line::start;
    std::string field_;          // the current line's start, until its field name is known
    std::string event_;
    std::unique_ptr<B64JsonScanner> data_;
    bool after_cr_ = false;
};

} // namespace pictor
