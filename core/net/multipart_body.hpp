// The body of a multipart/form-data request, produced as libcurl sends it: each part's header
// is written when the body reaches that part (a part still being encoded has no file name or
// type yet), and file bytes are read from the request or its spool file, never copied whole.
// The same parts give the same bytes whether the length is known up front or not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/http_exchange.hpp"

namespace pictor::net {

class MultipartBody {
public:
    // `boundary`: "" picks a random one.
    explicit MultipartBody(const std::vector<MultipartPart> &parts, std::string boundary = "");

    // "multipart/form-data; boundary=..."
    std::string content_type() const;
    // The whole body's length; none while a part is still being written (or was abandoned).
    std::optional<uint64_t> size() const;
    // Whether every part is whole, or one never will be: a body that must be sent with its
    // length waits for this. Static: asked every few milliseconds, with no body made.
    static bool settled(const std::vector<MultipartPart> &parts);
    // Why a part will never be whole ("" when none was abandoned).
    static std::string abandoned(const std::vector<MultipartPart> &parts);

    enum class Status { ok, wait, failed };
    // Up to `max` bytes of the body into `out`. ok with 0 bytes: the end. wait: the next part is
    // still being written (what came before it was returned). failed: a part was abandoned or
    // could not be read back; error() says why.
    size_t read(char *out, size_t max, Status *status);
    // Back to the first byte (a re-send).
    void rewind();
    // Whether a read would now give bytes (or fail) instead of waiting.
    bool can_go_on() const;
    const std::string &error() const { return error_; }

private:
    std::string header_of(size_t index) const;
    uint64_t data_size_of(size_t index) const;

    const std::vector<MultipartPart> &parts_;
    std::string boundary_;
    size_t index_ = 0;      // the part being read; parts_.size(): the closing delimiter
    int stage_ = 0;         // 0: header (with the line break that ends the part before), 1: data
    uint64_t offset_ = 0;   // within the stage
    std::string header_;    // the current part's, once made
    std::string error_;
};

} // namespace pictor::net
