#include "layer_name.hpp"

namespace pictor::plugin {

namespace {

constexpr size_t max_prompt_bytes = 48; // a layers panel shows about this much

// Cuts at a UTF-8 character boundary, so a Chinese prompt never ends in half a character.
std::string shorten(const std::string &text) {
    std::string oneline;
    for (char c : text)
        oneline += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    if (oneline.size() <= max_prompt_bytes)
        return oneline;
    size_t cut = max_prompt_bytes;
    while (cut > 0 && (static_cast<unsigned char>(oneline[cut]) & 0xC0) == 0x80)
        --cut;
    return oneline.substr(0, cut) + "\xE2\x80\xA6"; // …
}

} // namespace

std::string layer_name(const std::string &prompt, int variation, int count) {
    std::string name = "Pictor: " + shorten(prompt);
    if (count > 1)
        name += " (" + std::to_string(variation + 1) + "/" + std::to_string(count) + ")";
    return name;
}

} // namespace pictor::plugin
