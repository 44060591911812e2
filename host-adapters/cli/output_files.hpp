// Where results go: the file names for variations, the format an extension asks for, and
// writing so that a failure never leaves a partial file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <pictor/pictor.hpp>

namespace pictor_cli {

// index is 1-based. count 1: the path itself; otherwise "cat.png" -> "cat-2.png",
// "out/cat" -> "out/cat-2".
std::string numbered_path(const std::string &path, size_t index, size_t count);

// "png", "jpeg" or "webp" for a .png / .jpg / .jpeg / .webp name (any case); "" otherwise.
std::string format_for_path(const std::string &path);

// Where -o writes: "-" is stdout; an existing file that is not a regular one (/dev/null, a
// FIFO, /dev/stdout) is written into in place; otherwise a regular file, replaced atomically,
// with symlinks followed to the file they name.
struct OutputTarget {
    enum Kind { standard_output, in_place, regular_file } kind;
    std::string path; // for regular_file: the symlink-resolved path
};
OutputTarget resolve_output(const std::string &path);

// "" when `path` can be written: stdout or an existing non-regular file, or a name with a known
// extension whose folder exists and is writable; else why not — checked before a paid request
// is sent.
std::string check_output_folder(const std::string &path);

// Writes bytes to what `path` names (see resolve_output). Returns "" or the reason.
std::string write_output(const std::string &path, const uint8_t *data, size_t size);

// Writes through a temporary file in the same folder, fsynced, then renamed over `path`.
// Returns "" or the reason (strerror text).
std::string write_file_atomically(const std::string &path, const uint8_t *data, size_t size);

// Writes `image` to `path`: its bytes exactly as received, or converted when the extension
// names another format. quality: for a conversion to jpeg / webp, -1 for the default.
// On failure returns the message (path included) and sets *status.
std::string write_image(const pictor_image *image, const std::string &path, int quality,
                        pictor_status *status);

} // namespace pictor_cli
