// Runs HTTP exchanges concurrently on one curl multi handle, on the calling thread: parallel
// variations cost one request's wall time, and every callback fires on the caller's thread.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "net/http_exchange.hpp"
#include "net/retry_policy.hpp"

namespace pictor::net {

struct TransferStatus {
    Phase phase = Phase::connecting;
    uint64_t bytes_sent = 0, bytes_to_send = 0;
    uint64_t bytes_received = 0, bytes_to_receive = 0;
    int attempt = 1;
    double retry_in_s = 0;
    bool finished = false;
};

// Called about every 100 ms; return false to cancel every transfer.
using ProgressFn = std::function<bool(const std::vector<TransferStatus> &)>;
using TraceFn = std::function<void(const std::string &line)>;

// Takes a response body as it arrives instead of HttpResponse::body (which then stays empty),
// so a large answer can be parsed and decoded while it downloads. The callbacks run on the
// thread calling perform_all, inside libcurl's write callback: they must not throw.
class BodySink {
public:
    virtual ~BodySink() = default;
    // The first body byte of an attempt arrived; the headers are in response. Return true to
    // take this body.
    virtual bool begin(long status, const HttpResponse &response) noexcept = 0;
    virtual void write(const char *data, size_t size) noexcept = 0;
    // The transfer of a taken body ended; complete: every byte arrived.
    virtual void end(bool complete) noexcept = 0;
    // A retry starts over (only before any taken body, but said for completeness).
    virtual void reset() noexcept = 0;
    // The whole answer is here (the JSON document closed, the stream's last image came): the
    // transport stops reading, and a connection that then stays open, closes or resets costs
    // nothing.
    virtual bool complete() const noexcept { return false; }
};

// Called on the thread calling perform_all as each transfer ends for good (index, response),
// before perform_all returns: an answer is dealt with (a paid image kept) the moment it is
// whole, not when the slowest parallel request ends. An exception ends perform_all (every
// transfer is cleaned up) and propagates.
using FinishedFn = std::function<void(size_t, HttpResponse &)>;

class HttpTransport {
public:
    HttpTransport(RetryPolicy policy, TraceFn trace);

    // Sends every request at once and returns one response per request, in order, when each
    // has succeeded, failed for good, or been cancelled (via progress or *cancel). Retries only
    // what is_retryable() allows. Never throws for HTTP or network failures: they are in the
    // responses.
    // sinks: empty, or one per request (null: keep that body in HttpResponse::body).
    std::vector<HttpResponse> perform_all(const std::vector<HttpRequest> &requests,
                                          const ProgressFn &progress,
                                          const std::atomic<bool> *cancel,
                                          const std::vector<BodySink *> &sinks = {},
                                          const FinishedFn &on_finished = {});

private:
    RetryPolicy policy_;
    TraceFn trace_;
};

} // namespace pictor::net
