#include "input_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pictor_cli {

bool read_input_file(const std::string &option, const std::string &path, InputFile *out,
                     std::string *error, uint64_t max_bytes) {
    auto fail = [&](int err) {
        *error = "cannot read " + option + " " + path + ": " + std::strerror(err);
        return false;
    };
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer before we can refuse it.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return fail(errno);
    struct stat info {};
    if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
        int err = S_ISDIR(info.st_mode) ? EISDIR : errno;
        ::close(fd);
        return fail(err);
    }
    // Checked before reading: /dev/zero or a FIFO never ends, and a huge file would be read
    // whole only to be refused.
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        *error = "cannot read " + option + " " + path + ": not a regular file (a device, FIFO or socket); "
                 "save the image to a file first";
        return false;
    }
    if (max_bytes > 0 && static_cast<uint64_t>(info.st_size) > max_bytes) {
        ::close(fd);
        *error = option + " " + path + " is " + std::to_string(info.st_size) + " bytes; " +
                 (max_bytes == largest_reencodable_input_bytes
                      ? "pictor re-encodes files of at most " + std::to_string(max_bytes >> 20) +
                            " MiB — scale the image down first."
                      : "the route takes at most " + std::to_string(max_bytes) + " bytes per file.") +
                 " Nothing was sent.";
        return false;
    }
    out->bytes.clear();
    out->bytes.reserve(static_cast<size_t>(info.st_size));
    uint8_t buffer[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            return fail(err);
        }
        if (n == 0) break;
        out->bytes.insert(out->bytes.end(), buffer, buffer + n);
        if (max_bytes > 0 && out->bytes.size() > max_bytes) { // grew while being read
            ::close(fd);
            *error = option + " " + path + " is over " + std::to_string(max_bytes) +
                     " bytes, what the route takes per file. Nothing was sent.";
            return false;
        }
    }
    ::close(fd);
    out->path = path;
    size_t slash = path.find_last_of('/');
    out->basename = slash == std::string::npos ? path : path.substr(slash + 1);
    return true;
}

} // namespace pictor_cli
