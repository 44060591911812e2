#include "image/image_format.hpp"

#include <cstring>

namespace pictor {

namespace {

bool starts_with(const uint8_t *data, size_t size, const char *magic, size_t magic_size,
                 size_t offset = 0) {
    return size >= offset + magic_size && std::memcmp(data + offset, magic, magic_size) == 0;
}

// ASCII-only case folding: names and extensions are never localised.
bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

} // namespace

ImageFormat sniff_image_format(const uint8_t *data, size_t size) {
    if (data == nullptr) return ImageFormat::unknown;
    if (starts_with(data, size, "\x89PNG\r\n\x1a\n", 8)) return ImageFormat::png;
    // SOI followed by the first marker's 0xFF.
    if (starts_with(data, size, "\xff\xd8\xff", 3)) return ImageFormat::jpeg;
    // RIFF is a container for many things (WAV, AVI); only the form type says WebP.
    if (starts_with(data, size, "RIFF", 4) && starts_with(data, size, "WEBP", 4, 8))
        return ImageFormat::webp;
    return ImageFormat::unknown;
}

const char *image_format_name(ImageFormat format) {
    switch (format) {
    case ImageFormat::png: return "png";
    case ImageFormat::jpeg: return "jpeg";
    case ImageFormat::webp: return "webp";
    case ImageFormat::unknown: break;
    }
    return "unknown";
}

const char *image_format_mime_type(ImageFormat format) {
    switch (format) {
    case ImageFormat::png: return "image/png";
    case ImageFormat::jpeg: return "image/jpeg";
    case ImageFormat::webp: return "image/webp";
    case ImageFormat::unknown: break;
    }
    return "application/octet-stream";
}

const char *image_format_extension(ImageFormat format) {
    switch (format) {
    case ImageFormat::png: return ".png";
    case ImageFormat::jpeg: return ".jpg";
    case ImageFormat::webp: return ".webp";
    case ImageFormat::unknown: break;
    }
    return "";
}

ImageFormat image_format_from_name(std::string_view name) {
    if (equals_ignoring_case(name, "png")) return ImageFormat::png;
    if (equals_ignoring_case(name, "jpeg") || equals_ignoring_case(name, "jpg"))
        return ImageFormat::jpeg;
    if (equals_ignoring_case(name, "webp")) return ImageFormat::webp;
    return ImageFormat::unknown;
}

ImageFormat image_format_from_path(std::string_view path) {
    const size_t dot = path.rfind('.');
    if (dot == std::string_view::npos) return ImageFormat::unknown;
    const std::string_view extension = path.substr(dot + 1);
    // "archive.png/readme": the dot belongs to a directory, not to the file name.
    if (extension.find_first_of("/\\") != std::string_view::npos) return ImageFormat::unknown;
    return image_format_from_name(extension);
}

} // namespace pictor
