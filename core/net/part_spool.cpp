#include "net/part_spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "error.hpp"

namespace pictor::net {

namespace {

[[noreturn]] void fail(const std::string &what, const char *outcome = ". Nothing was sent.") {
    throw Error(ErrorKind::io, what + ": " + std::strerror(errno) + outcome);
}

std::string spool_dir() {
    const char *dir = std::getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

} // namespace

std::shared_ptr<PartSpool> PartSpool::create() {
    const std::string dir = spool_dir();
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        // Filesystems without O_TMPFILE: a named file, unlinked at once.
        std::string path = dir + "/pictor-upload-XXXXXX";
        fd = ::mkostemp(path.data(), O_CLOEXEC);
        if (fd < 0)
            fail("cannot make a temporary file for an upload in " + dir);
        ::unlink(path.c_str());
    }
    return std::shared_ptr<PartSpool>(new PartSpool(fd, 0));
}

std::shared_ptr<PartSpool> PartSpool::adopt(int fd, uint64_t size) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || uint64_t(st.st_size) < size) {
        ::close(fd);
        errno = errno ? errno : EINVAL;
        fail("an upload handed over is incomplete");
    }
    return std::shared_ptr<PartSpool>(new PartSpool(fd, size));
}

PartSpool::~PartSpool() {
    if (fd_ >= 0)
        ::close(fd_);
}

void PartSpool::append(const void *data, size_t size) {
    const char *p = static_cast<const char *>(data);
    while (size > 0) {
        ssize_t n = ::pwrite(fd_, p, size, off_t(size_));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail("cannot write an upload to a temporary file");
        p += n;
        size -= size_t(n);
        size_ += uint64_t(n);
    }
}

void PartSpool::clear() {
    if (size_ == 0)
        return;
    while (::ftruncate(fd_, 0) != 0)
        if (errno != EINTR)
            fail("cannot empty an upload's temporary file");
    size_ = 0;
}

size_t PartSpool::read_at(uint64_t offset, void *out, size_t size) const {
    if (offset >= size_)
        return 0;
    size = size_t(std::min<uint64_t>(size, size_ - offset));
    char *p = static_cast<char *>(out);
    size_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(fd_, p + done, size - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n == 0 ? EIO : errno;
            fail("cannot read an upload back from its temporary file", ""); // the caller knows what was sent
        }
        done += size_t(n);
    }
    return done;
}

std::string PartSpool::head(size_t max) const {
    std::string out(size_t(std::min<uint64_t>(max, size_)), '\0');
    out.resize(read_at(0, out.data(), out.size()));
    return out;
}

std::string PartSpool::read_all() const { return head(size_t(size_)); }

} // namespace pictor::net
