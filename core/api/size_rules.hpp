// gpt-image-2's size rules: the presets and the custom-size constraints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pictor {

struct ImageSize {
    uint32_t width = 0;
    uint32_t height = 0;
    std::string text() const { return std::to_string(width) + "x" + std::to_string(height); }
    uint64_t pixels() const { return uint64_t(width) * height; }
    bool operator==(const ImageSize &o) const { return width == o.width && height == o.height; }
};

namespace custom_size {
constexpr uint32_t max_edge = 3840;
constexpr uint32_t multiple = 16;
constexpr double max_ratio = 3.0;
constexpr uint64_t min_pixels = 655360;
constexpr uint64_t max_pixels = 8294400;
} // namespace custom_size

// "1024x1536" (lowercase x, digits only) -> size; anything else -> nullopt.
std::optional<ImageSize> parse_image_size(std::string_view text);

// Why a size breaks the custom-size rules, or "" when it meets them.
std::string custom_size_problem(ImageSize size);

const std::vector<std::string> &preset_sizes();

} // namespace pictor
