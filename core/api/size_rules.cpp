#include "api/size_rules.hpp"

#include <algorithm>
#include <charconv>

namespace pictor {

std::optional<ImageSize> parse_image_size(std::string_view text) {
    auto x = text.find('x');
    if (x == std::string_view::npos || x == 0 || x + 1 >= text.size())
        return std::nullopt;
    ImageSize size;
    auto parse = [](std::string_view digits, uint32_t &out) {
        if (digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
        return error == std::errc() && end == digits.data() + digits.size() && out > 0;
    };
    if (!parse(text.substr(0, x), size.width) || !parse(text.substr(x + 1), size.height))
        return std::nullopt;
    return size;
}

std::string custom_size_problem(ImageSize s) {
    using namespace custom_size;
    uint32_t long_edge = std::max(s.width, s.height), short_edge = std::min(s.width, s.height);
    if (s.width % multiple || s.height % multiple)
        return "both sides must be multiples of 16";
    if (long_edge > max_edge)
        return "the longest side must be at most 3840";
    if (double(long_edge) > max_ratio * short_edge)
        return "the long side may be at most 3 times the short side";
    if (s.pixels() < min_pixels)
        return "at least 655,360 pixels are needed (e.g. 1024x640)";
    if (s.pixels() > max_pixels)
        return "at most 8,294,400 pixels are allowed (3840x2160)";
    return "";
}

const std::vector<std::string> &preset_sizes() {
    static const std::vector<std::string> presets{"1024x1024", "1536x1024", "1024x1536", "2048x2048",
                                                  "2048x1152", "3840x2160", "2160x3840"};
    return presets;
}

} // namespace pictor
