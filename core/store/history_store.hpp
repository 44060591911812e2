// The history: every image the server sent, with what was asked for it, written durably
// before anyone else sees it, so a paid image survives any later failure or crash.
#pragma once

#include <cstdint>
#include <string>

#include "store/history_sidecar.hpp"

namespace pictor {

struct HistoryEntry {
    std::string id;            // "20261121-153012-ab12cd-1": time, random, index
    std::string image_path;    // <dir>/<id>.<ext>
    std::string sidecar_path;  // <dir>/<id>.json
};

class HistoryStore {
public:
    explicit HistoryStore(std::string directory);

    // Writes the image bytes, then the sidecar with its "id", "image_file" and "time" set (the
    // id ends in sidecar.index). Throws Error(io).
    HistoryEntry save(const std::string &encoded_image, const std::string &extension, HistorySidecar sidecar);

    // Creates the folder and a scratch file in it, and removes that file: called before a paid
    // request is sent. Throws Error(io) saying nothing was sent when that fails (a read-only
    // or full disk, a missing permission).
    void check_writable() const;

    const std::string &directory() const { return directory_; }

private:
    std::string directory_;
};

} // namespace pictor
