#include "store/durable_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "error.hpp"

namespace pictor {
namespace {

[[noreturn]] void fail(const std::string &what, const std::string &path) {
    throw Error(ErrorKind::io, what + " " + path + ": " + std::strerror(errno) +
                                   " — check that the folder exists, is writable and the disk is not full");
}

std::string parent_of(const std::string &path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

void make_directories(const std::string &path, unsigned mode) {
    if (path.empty())
        return;
    std::string partial;
    std::istringstream parts(path);
    std::string part;
    if (path[0] == '/')
        partial = "/";
    while (std::getline(parts, part, '/')) {
        if (part.empty())
            continue;
        partial += part;
        if (mkdir(partial.c_str(), mode) != 0 && errno != EEXIST)
            fail("cannot create folder", partial);
        partial += "/";
    }
}

void write_file_durably(const std::string &path, std::string_view bytes, unsigned mode) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    std::string temp = path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(random() % 1000000);
    int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        fail("cannot create", temp);
    const char *data = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
        ssize_t written = write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            close(fd);
            unlink(temp.c_str());
            errno = saved;
            fail("cannot write", path);
        }
        data += written;
        left -= size_t(written);
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int saved = errno;
        unlink(temp.c_str());
        errno = saved;
        fail("cannot flush", path);
    }
    if (rename(temp.c_str(), path.c_str()) != 0) {
        int saved = errno;
        unlink(temp.c_str());
        errno = saved;
        fail("cannot rename into", path);
    }
    // The rename itself is durable only once the folder is flushed.
    int dir = open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        fsync(dir);
        close(dir);
    }
}

std::string read_whole_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail("cannot read", path);
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad())
        fail("cannot read", path);
    return content.str();
}

} // namespace pictor
