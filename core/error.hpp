// The one exception type the core throws. Its kind is what a host branches on;
// the ABI barrier turns it into a pictor_status and the client's last error.
#pragma once

#include <stdexcept>
#include <string>

namespace pictor {

// Append-only, mirrors pictor_status in abi/include/pictor/pictor.h.
enum class ErrorKind {
    invalid_argument = 1,   // the caller broke an API rule (NULL pointer, bad struct)
    invalid_request = 2,    // refused by validation (nothing sent) or by the server (400)
    auth = 3,               // no key, or the server said 401
    moderation_blocked = 4, // the safety system refused the prompt or image
    rate_limited = 5,       // 429: rate limit or no balance
    server = 6,             // 5xx
    timeout = 7,            // connect or total timeout
    network = 8,            // connection refused, reset, DNS
    tls = 9,                // certificate or handshake failure
    bad_response = 10,      // the server answered something we cannot use
    too_large = 11,         // response bytes or image pixels over the limit
    cancelled = 12,         // the progress callback asked to stop
    io = 13,                // a local file could not be read or written
    bad_image = 14,         // an image buffer that does not decode
    internal = 15,          // a bug in pictor
    no_memory = 16,
};

const char *error_kind_name(ErrorKind kind);

struct ErrorInfo;
// What a user reads: `message`, then "This request may still be billed." when may_be_billed,
// then "(request id ...)" when there is one. The one place that words these two: core
// messages never say them (a test checks), and hosts show this text or read the fields.
std::string user_message(const ErrorInfo &info);

struct ErrorInfo {
    ErrorKind kind = ErrorKind::internal;
    std::string message;      // what happened and what to do; never holds the key
    int http_status = 0;      // 0 when no HTTP answer was read
    std::string code;         // the server's error code ("moderation_blocked"), or ""
    std::string request_id;   // x-request-id / x-api-request-id, or ""
    bool request_sent = false; // false: nothing left this machine, nothing billed
    bool may_be_billed = false;
    std::string history_path; // an image of this request kept in history although it failed, or ""
};

class Error : public std::runtime_error {
public:
    explicit Error(ErrorInfo info) : std::runtime_error(info.message), info_(std::move(info)) {}
    Error(ErrorKind kind, std::string message)
        : Error(ErrorInfo{kind, std::move(message)}) {}
    const ErrorInfo &info() const noexcept { return info_; }
    ErrorKind kind() const noexcept { return info_.kind; }

private:
    ErrorInfo info_;
};

} // namespace pictor
