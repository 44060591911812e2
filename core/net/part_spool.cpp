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
    return std::shared_ptr<PartSpool>(new PartSpool(fd, 0, State::writing));
}

std::shared_ptr<PartSpool> PartSpool::adopt(int fd, uint64_t size) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || uint64_t(st.st_size) < size) {
        ::close(fd);
        errno = errno ? errno : EINVAL;
        fail("an upload handed over is incomplete");
    }
    return std::shared_ptr<PartSpool>(new PartSpool(fd, size, State::sealed));
}

std::shared_ptr<PartSpool> PartSpool::adopt_unsealed(int fd) {
    return std::shared_ptr<PartSpool>(new PartSpool(fd, 0, State::writing));
}

void PartSpool::settle(State state) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        state_.store(state, std::memory_order_release);
    }
    settled_.notify_all();
}

void PartSpool::seal(std::string filename, std::string content_type) {
    filename_ = std::move(filename);
    content_type_ = std::move(content_type);
    settle(State::sealed);
}

void PartSpool::seal_at(uint64_t size, std::string filename, std::string content_type) {
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || uint64_t(st.st_size) < size) {
        abandon();
        errno = errno ? errno : EINVAL;
        fail("an upload handed over is incomplete");
    }
    size_.store(size, std::memory_order_release);
    seal(std::move(filename), std::move(content_type));
}

void PartSpool::abandon() {
    if (state() == State::writing)
        settle(State::abandoned);
}

PartSpool::State PartSpool::wait(std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    settled_.wait_for(lock, timeout, [&] { return state() != State::writing; });
    return state();
}

PartSpool::~PartSpool() {
    if (fd_ >= 0)
        ::close(fd_);
}

void PartSpool::append(const void *data, size_t size) {
    const char *p = static_cast<const char *>(data);
    while (size > 0) {
        ssize_t n = ::pwrite(fd_, p, size, off_t(size_.load()));
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
    const uint64_t written = size_.load(std::memory_order_acquire);
    if (offset >= written)
        return 0;
    size = size_t(std::min<uint64_t>(size, written - offset));
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
    std::string out(size_t(std::min<uint64_t>(max, size())), '\0');
    out.resize(read_at(0, out.data(), out.size()));
    return out;
}

std::string PartSpool::read_all() const { return head(size_t(size())); }

} // namespace pictor::net
