// libFuzzer target: the streaming answer readers — SseReader (text/event-stream) and the
// B64JsonScanner under it (a plain JSON body) — fed the same bytes whole and in small pieces.
// Where the network splits a body must not change what is read: same events, same skeletons,
// the same values streamed as images.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/b64_json_scanner.hpp"
#include "api/sse_reader.hpp"
#include "error.hpp"

namespace {

const pictor::DecodeLimits kLimits{4ull * 1000 * 1000};

// What one reading produced, flattened for comparison.
std::string describe(pictor::B64JsonScanner &scanner) {
    std::string out = scanner.skeleton();
    // The images themselves decode on a worker of their own; which values streamed, and which
    // were handed back to the parser, is what the splitting could change.
    for (auto &image : scanner.take_images())
        out += image ? "\n#image" : "\n#abandoned";
    return out;
}

// piece 0: the whole input at once; else pieces of 1..piece bytes.
std::string read_sse(const uint8_t *data, size_t size, size_t piece) {
    std::string seen;
    pictor::SseReader reader(kLimits, 0, [&](const std::string &event, pictor::B64JsonScanner &scanner) {
        seen += "\n@event:" + event + "\n" + describe(scanner);
    });
    try {
        for (size_t at = 0; at < size;) {
            size_t n = piece == 0 ? size : std::min(size - at, 1 + (at * 7 + piece) % piece);
            reader.feed(reinterpret_cast<const char *>(data) + at, n);
            at += n;
        }
        reader.finish();
    } catch (const pictor::Error &e) {
        seen += std::string("\n!error:") + e.what();
    }
    return seen;
}

std::string read_json(const uint8_t *data, size_t size, size_t piece) {
    pictor::B64JsonScanner scanner(pictor::B64JsonScanner::Layout::data_items, kLimits, 0);
    std::string seen;
    try {
        for (size_t at = 0; at < size;) {
            size_t n = piece == 0 ? size : std::min(size - at, 1 + (at * 7 + piece) % piece);
            scanner.feed(reinterpret_cast<const char *>(data) + at, n);
            at += n;
        }
    } catch (const pictor::Error &e) {
        seen += std::string("!error:") + e.what();
    }
    return seen + describe(scanner);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2)
        return 0;
    bool sse = data[0] & 1;
    size_t piece = 1 + data[1] % 13;
    data += 2;
    size -= 2;
    std::string whole = sse ? read_sse(data, size, 0) : read_json(data, size, 0);
    std::string pieces = sse ? read_sse(data, size, piece) : read_json(data, size, piece);
    if (whole != pieces)
        __builtin_trap();
    return 0;
}
