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

class HttpTransport {
public:
    HttpTransport(RetryPolicy policy, TraceFn trace);

    // Sends every request at once and returns one response per request, in order, when each
    // has succeeded, failed for good, or been cancelled (via progress or *cancel). Retries only
    // what is_retryable() allows. Never throws for HTTP or network failures: they are in the
    // responses.
    std::vector<HttpResponse> perform_all(const std::vector<HttpRequest> &requests,
                                          const ProgressFn &progress,
                                          const std::atomic<bool> *cancel);

private:
    RetryPolicy policy_;
    TraceFn trace_;
};

} // namespace pictor::net
