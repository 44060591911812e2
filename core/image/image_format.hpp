// Which codec an encoded buffer needs, told by its magic bytes, never by a name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pictor {

enum class ImageFormat { unknown, png, jpeg, webp };

ImageFormat sniff_image_format(const uint8_t *data, size_t size);
const char *image_format_name(ImageFormat format);      // "png", "jpeg", "webp", "unknown"
const char *image_format_mime_type(ImageFormat format); // "image/png", ... , "application/octet-stream"
const char *image_format_extension(ImageFormat format); // ".png", ".jpg", ".webp", ""
// "png" / "jpeg" / "jpg" / "webp" (any case) -> format; anything else -> unknown.
ImageFormat image_format_from_name(std::string_view name);
// The format a file name's extension names (".PNG", ".jpeg", ".jpg", ".webp"), or unknown.
ImageFormat image_format_from_path(std::string_view path);

} // namespace pictor
