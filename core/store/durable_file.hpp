// Files that are either whole or absent: temp file in the same folder, fsync, rename, fsync
// the folder. A crash at any point leaves the old file or the new one, never half of one.
#pragma once

#include <string>
#include <string_view>

namespace pictor {

// Throws Error(io) naming the path and the system's reason.
void write_file_durably(const std::string &path, std::string_view bytes, unsigned mode = 0644);

// mkdir -p; throws Error(io).
void make_directories(const std::string &path, unsigned mode = 0755);

// Throws Error(io) if the file cannot be read.
std::string read_whole_file(const std::string &path);

} // namespace pictor
