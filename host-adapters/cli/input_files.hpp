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

// Reads `path`; on failure returns false and sets *error to
// "cannot read <option> <path>: <reason>".
bool read_input_file(const std::string &option, const std::string &path, InputFile *out,
                     std::string *error);

} // namespace pictor_cli
