// Reading the history back: which entries there are, and one entry's image and sidecar. The
// writer (history_store) never changes a finished file, so reading needs no lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/history_sidecar.hpp"

namespace pictor {

struct HistoryRecord {
    std::string id;           // "20261121-153012-ab12cd-1"
    std::string image_path;   // "" when only the sidecar is left (image deleted by hand)
    std::string sidecar_path; // "" when the process died between the image and its sidecar
    HistorySidecar sidecar;   // empty fields without a sidecar (or an unreadable one)
    bool sidecar_read = false; // the sidecar was there and readable
    int64_t written_ns = 0;   // the image's (else the sidecar's) mtime: orders one second's entries
};

// Every entry in `directory`, oldest first. An image without its sidecar (a crash between the
// two writes) is listed too: a paid image is never hidden. A missing folder is an empty
// history. Throws Error(io) when the folder exists but cannot be read.
std::vector<HistoryRecord> list_history(const std::string &directory);

// The entry whose id is `id`, or the one entry whose id starts with it. Throws
// Error(invalid_request) for an id that is not one (or matches several), saying how to list.
HistoryRecord find_history_entry(const std::string &directory, const std::string &id);

// The entries whose prompt contains `text` (ASCII letters compared without case) or whose id
// starts with it, newest first; "" matches every entry. At most `limit` (0: no limit).
std::vector<HistoryRecord> search_history(const std::string &directory, const std::string &text, size_t limit);

// Removes entry `id` (as find_history_entry finds it): its image, its thumbnail, then its
// sidecar (last, so an interrupted delete still lists what is left). Returns what was removed.
// Throws Error(io) when a file cannot be removed.
HistoryRecord delete_history_entry(const std::string &directory, const std::string &id);

} // namespace pictor
