#include "net/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>

namespace pictor::net {

bool status_generated_nothing(long status) {
    return status == 429 || status == 500 || status == 502 || status == 503;
}

bool is_retryable(const HttpResponse &response) {
    if (response.cancelled || response.cut_at_cap)
        return false;
    if (response.status == 0)
        return response.curl_code == CURLE_COULDNT_CONNECT;
    return status_generated_nothing(response.status);
}

std::optional<double> parse_retry_after(const std::string &raw,
                                        std::chrono::system_clock::time_point now) {
    std::string value = raw;
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
        value.pop_back();
    size_t start = 0;
    while (start < value.size() && std::isspace(static_cast<unsigned char>(value[start])))
        ++start;
    value = value.substr(start);
    if (value.empty())
        return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; })) {
        char *end = nullptr;
        double seconds = std::strtod(value.c_str(), &end);
        if (end == value.c_str() || *end != '\0' || !std::isfinite(seconds))
            return std::nullopt;
        return seconds;
    }
    // An HTTP date (RFC 7231); curl_getdate understands all three historic forms.
    time_t when = curl_getdate(value.c_str(), nullptr);
    if (when == -1)
        return std::nullopt;
    double seconds = std::difftime(when, std::chrono::system_clock::to_time_t(now));
    return std::max(0.0, seconds);
}

double retry_delay_s(const RetryPolicy &policy, const HttpResponse &response, int attempt,
                     std::chrono::system_clock::time_point now) {
    if (auto after = parse_retry_after(response.header("retry-after"), now))
        return std::clamp(*after, 0.0, policy.max_delay_s);
    thread_local std::mt19937 random{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.75, 1.25);
    double delay = policy.base_delay_s * std::pow(2.0, std::max(0, attempt - 1)) * jitter(random);
    return std::min(delay, policy.max_delay_s);
}

} // namespace pictor::net
