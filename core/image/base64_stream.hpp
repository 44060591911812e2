// Base64 decoded piece by piece as it arrives, with the same rules (and the same error
// messages) as base64_decode: either alphabet, padding optional, whitespace skipped anywhere.
// Lets a response's image be decoded while its base64 is still on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace pictor {

class Base64StreamDecoder {
public:
    // Appends the decoded bytes of text to out. Throws Error(bad_response) at the first invalid
    // character; offsets in the message count from the start of the whole value.
    void feed(const char *text, size_t size, std::string &out);

    // The end of the value: appends the bytes of a final 2- or 3-character group. Throws
    // Error(bad_response) when one character dangles (a truncated value).
    void finish(std::string &out);

    // The characters of an unfinished group, re-encoded: with base64 of the bytes already
    // decoded they make text equivalent to what was fed (used to fall back to a JSON parser).
    std::string pending_text() const;

private:
    uint32_t group_ = 0;
    int group_chars_ = 0;
    bool padded_ = false;   // an '=' was seen: only '=' and whitespace may follow
    int pads_ = 0;
    size_t offset_ = 0;     // characters fed so far
    size_t last_char_offset_ = 0;
};

} // namespace pictor
