// When re-sending cannot bill twice, and how long to wait first.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "net/http_exchange.hpp"

namespace pictor::net {

struct RetryPolicy {
    int max_retries = 2;
    double base_delay_s = 1.0;  // doubled per attempt, with jitter
    double max_delay_s = 60.0;  // caps absurd Retry-After values too
};

// 429 / 500 / 502 / 503: a complete answer that generated nothing (so nothing was billed).
// The one list of the statuses a request may be re-sent after.
bool status_generated_nothing(long status);

// Safe to retry: the connection was never made, or the server answered 429 / 500 / 502 / 503
// (a complete answer that generated nothing). Never: 504 / 524 (the gateway gave up waiting,
// upstream may still generate and bill), a read timeout, a dropped connection after the request
// was sent, a cancel.
bool is_retryable(const HttpResponse &response);

// Seconds to wait before attempt number `attempt` (1 = the first retry): Retry-After when given
// (seconds or an HTTP date), else exponential backoff with jitter; capped at max_delay_s.
double retry_delay_s(const RetryPolicy &policy, const HttpResponse &response, int attempt,
                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Retry-After as seconds from `now`; nullopt if absent or unparseable.
std::optional<double> parse_retry_after(const std::string &value,
                                        std::chrono::system_clock::time_point now);

} // namespace pictor::net
