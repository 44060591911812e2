// One encoded upload part kept in an unlinked temporary file instead of memory, so that sixteen
// encoded 4K references are not all held in RAM: the transport reads it with pread while it
// sends (any number of times: a retry re-sends the same bytes), and the request runner gets
// its descriptor at spawn instead of a copy through the pipe.
//
// A part can be sent while it is still being written (references encoded one by one while the
// first ones go up): until it is sealed, readers wait. Sealing names it (its file name and type
// depend on the encoding chosen); abandoning it (the encode failed, the host went away) makes
// every reader give up, so the gateway never gets a whole request.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
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
    // The same for a part the other process is still writing: sealed later by seal_at.
    static std::shared_ptr<PartSpool> adopt_unsealed(int fd);

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

    enum class State { writing, sealed, abandoned };
    // No byte will be added: the part is `filename` of `content_type` ("" keeps what the
    // request says), and readers waiting for it go on.
    void seal(std::string filename = "", std::string content_type = "");
    // Seals a part another process wrote (an adopted descriptor): `size` bytes. Throws Error(io)
    // when the file holds fewer (and abandons it).
    void seal_at(uint64_t size, std::string filename, std::string content_type);
    // The part will never be whole: readers give up.
    void abandon();
    State state() const { return state_.load(std::memory_order_acquire); }
    bool sealed() const { return state() == State::sealed; }
    // Waits up to `timeout` while the part is still being written; returns its state.
    State wait(std::chrono::milliseconds timeout) const;
    // Set by seal; "" when the request names the part.
    const std::string &filename() const { return filename_; }
    const std::string &content_type() const { return content_type_; }

    // Bytes written so far; final once sealed.
    uint64_t size() const { return size_.load(std::memory_order_acquire); }
    int fd() const { return fd_; }

private:
    PartSpool(int fd, uint64_t size, State state) : fd_(fd), size_(size), state_(state) {}
    void settle(State state);
    int fd_ = -1;
    std::atomic<uint64_t> size_{0};
    std::atomic<State> state_{State::writing};
    std::string filename_, content_type_; // written before state_ turns sealed
    mutable std::mutex mutex_;
    mutable std::condition_variable settled_;
};

} // namespace pictor::net
