// Small previews of history images for the hosts' history browsers: made once per entry and
// kept beside the history (<history>/thumbnails/<id>.png), so opening a browser never decodes
// the full-size (up to 4K) images again.
#pragma once

#include <cstdint>
#include <string>

#include "store/history_catalog.hpp"

namespace pictor {

// The longest side of a thumbnail, in pixels (smaller images keep their size).
constexpr uint32_t kHistoryThumbnailSide = 128;

// Where entry `id`'s thumbnail is kept (whether or not it exists yet).
std::string history_thumbnail_path(const std::string &directory, const std::string &id);

// The thumbnail's path: the cached file when there is one (the image is not read at all),
// else made from the image and written atomically first. Throws Error(io) for an entry with no
// image file or an unwritable folder, Error(bad_image) / Error(too_large) for an image that
// does not decode.
std::string history_thumbnail(const std::string &directory, const HistoryRecord &record);

} // namespace pictor
