// libFuzzer target: base64 as gateways send it. Both decoders (whole value, and streamed in
// input-chosen pieces) must agree with each other and with a plain definition of what is
// accepted, written here without the decoders' fast paths (their SIMD blocks included);
// whatever decodes must survive a round trip.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "image/base64.hpp"
#include "image/base64_stream.hpp"

namespace {

int value_of(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

// Whitespace anywhere, either alphabet, optional '=' padding that fits the last group.
std::optional<std::vector<uint8_t>> decode_by_definition(std::string_view text) {
    std::string kept;
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') kept += c;
    size_t pads = 0;
    while (!kept.empty() && kept.back() == '=') {
        kept.pop_back();
        ++pads;
    }
    const size_t tail = kept.size() % 4;
    if (tail == 1 || (pads > 0 && (tail == 0 || pads > 4 - tail))) return std::nullopt;
    std::vector<uint8_t> bytes;
    uint32_t group = 0;
    for (size_t i = 0; i < kept.size(); ++i) {
        const int v = value_of(kept[i]);
        if (v < 0) return std::nullopt;
        group = group << 6 | uint32_t(v);
        if (i % 4 == 3) bytes.insert(bytes.end(), {uint8_t(group >> 16), uint8_t(group >> 8), uint8_t(group)});
    }
    if (tail == 2) bytes.push_back(uint8_t(group >> 4));
    if (tail == 3) bytes.insert(bytes.end(), {uint8_t(group >> 10), uint8_t(group >> 2)});
    return bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const size_t piece = size_t(data[0]) % 37 + 1;
    std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);

    std::optional<std::vector<uint8_t>> whole;
    std::string whole_error;
    try {
        whole = pictor::base64_decode(text);
    } catch (const pictor::Error &e) {
        whole_error = e.what();
    }
    std::optional<std::string> streamed;
    std::string streamed_error;
    try {
        pictor::Base64StreamDecoder decoder;
        std::string out;
        for (size_t at = 0; at < text.size(); at += piece)
            decoder.feed(text.data() + at, std::min(piece, text.size() - at), out);
        decoder.finish(out);
        streamed = out;
    } catch (const pictor::Error &e) {
        streamed_error = e.what();
    }
    const std::optional<std::vector<uint8_t>> defined = decode_by_definition(text);
    if (whole.has_value() != defined.has_value() || (whole && *whole != *defined)) __builtin_trap();
    if (streamed.has_value() != whole.has_value() || streamed_error != whole_error) __builtin_trap();
    if (streamed && std::vector<uint8_t>(streamed->begin(), streamed->end()) != *whole) __builtin_trap();
    if (!whole) return 0;

    std::string again = pictor::base64_encode(whole->data(), whole->size());
    if (pictor::base64_decode(again) != *whole) __builtin_trap();
    // And any bytes encode to text that decodes back to them.
    std::string encoded = pictor::base64_encode(data, size);
    if (pictor::base64_decode(encoded) != std::vector<uint8_t>(data, data + size)) __builtin_trap();
    return 0;
}
