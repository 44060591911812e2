// One encoded upload part kept in an unlinked temporary file instead of memory, so that sixteen
// encoded 4K references are not all held in RAM: the transport reads it with pread while it
// sends (any number of times: a retry re-sends the same bytes), and the request runner gets
// its descriptor at spawn instead of a copy through the pipe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace pictor::net {

class PartSpool {
public:
    // An empty spool in $TMPDIR (else /tmp): O_TMPFILE, else mkstemp + unlink; nothing is left
    // on disk whatever happens to the process. Throws Error(io).
    static std::shared_ptr<PartSpool> create();
    // A spool another process wrote (the runner's inherited descriptor): takes ownership of fd.
    // Throws Error(io) when the file holds fewer than `size` bytes.
    static std::shared_ptr<PartSpool> adopt(int fd, uint64_t size);

    ~PartSpool();
    PartSpool(const PartSpool &) = delete;
    PartSpool &operator=(const PartSpool &) = delete;

    // Throws Error(io) (a full disk: nothing was sent).
    void append(const void *data, size_t size);
    // Empties the file (an encoding that did not fit the route's limit). Throws Error(io).
    void clear();
    // Up to `size` bytes from `offset`; fewer only at the end. Throws Error(io).
    size_t read_at(uint64_t offset, void *out, size_t size) const;
    // The first `max` bytes (format sniffing and probing read only the header).
    std::string head(size_t max) const;
    std::string read_all() const;

    uint64_t size() const { return size_; }
    int fd() const { return fd_; }

private:
    explicit PartSpool(int fd, uint64_t size) : fd_(fd), size_(size) {}
    int fd_ = -1;
    uint64_t size_ = 0;
};

} // namespace pictor::net
