#include "input_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pictor_cli {

bool read_input_file(const std::string &option, const std::string &path, InputFile *out,
                     std::string *error) {
    auto fail = [&](int err) {
        *error = "cannot read " + option + " " + path + ": " + std::strerror(err);
        return false;
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(errno);
    struct stat info {};
    if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
        int err = S_ISDIR(info.st_mode) ? EISDIR : errno;
        ::close(fd);
        return fail(err);
    }
    out->bytes.clear();
    // Pipes and /dev/stdin report no size; they are read to their end all the same.
    if (S_ISREG(info.st_mode)) out->bytes.reserve(static_cast<size_t>(info.st_size));
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
    }
    ::close(fd);
    out->path = path;
    size_t slash = path.find_last_of('/');
    out->basename = slash == std::string::npos ? path : path.substr(slash + 1);
    return true;
}

} // namespace pictor_cli
