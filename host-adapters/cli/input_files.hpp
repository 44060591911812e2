// The files edit sends: read whole into memory, named by their basename in the upload.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pictor_cli {

struct InputFile {
    std::string path;
    std::string basename;        // the multipart part's filename
    std::vector<uint8_t> bytes;
};

// The largest file the CLI reads to re-encode for a route: an image within the library's pixel
// budget (64 Mpx) is far smaller encoded, and a bound keeps a huge file from being read whole.
constexpr uint64_t largest_reencodable_input_bytes = 512ull << 20;

// Reads `path`, a regular file of at most max_bytes (0: any size), refusing anything else
// before reading it; on failure returns false and sets *error (naming option and path).
bool read_input_file(const std::string &option, const std::string &path, InputFile *out,
                     std::string *error, uint64_t max_bytes = 0);

} // namespace pictor_cli
