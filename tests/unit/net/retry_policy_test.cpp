// When a request may be sent again without billing twice, and how long to wait first.
#include <gtest/gtest.h>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>

#include "net/retry_policy.hpp"

namespace pictor::net {
namespace {

using Clock = std::chrono::system_clock;

HttpResponse with_status(long status) {
    HttpResponse r;
    r.status = status;
    r.upload_complete = status > 0;
    return r;
}

HttpResponse curl_failure(int code, bool upload_complete) {
    HttpResponse r;
    r.curl_code = code;
    r.upload_complete = upload_complete;
    r.bytes_sent = upload_complete ? 1000 : 0;
    return r;
}

// A fixed instant: 2026-11-22 15:30:00 UTC.
Clock::time_point fixed_now() { return Clock::from_time_t(time_t(1795361400)); }

std::string http_date(Clock::time_point t) {
    std::time_t when = Clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&when, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return text;
}

// ---- is_retryable ---------------------------------------------------------------------------------

TEST(IsRetryable, CompleteAnswersThatGeneratedNothing) {
    for (long status : {429L, 500L, 502L, 503L})
        EXPECT_TRUE(is_retryable(with_status(status))) << status;
}

TEST(IsRetryable, AnswersThatMayHaveBilledOrWillFailAgain) {
    for (long status : {504L, 524L, 400L, 401L, 403L, 404L, 413L, 200L})
        EXPECT_FALSE(is_retryable(with_status(status))) << status;
}

TEST(IsRetryable, ConnectionRefusedIsRetryable) {
    EXPECT_TRUE(is_retryable(curl_failure(CURLE_COULDNT_CONNECT, false)));
}

TEST(IsRetryable, TimeoutsAndDropsAreNot) {
    EXPECT_FALSE(is_retryable(curl_failure(CURLE_OPERATION_TIMEDOUT, true)));
    EXPECT_FALSE(is_retryable(curl_failure(CURLE_OPERATION_TIMEDOUT, false)));
    EXPECT_FALSE(is_retryable(curl_failure(CURLE_RECV_ERROR, true)));
    EXPECT_FALSE(is_retryable(curl_failure(CURLE_GOT_NOTHING, true)));
    EXPECT_FALSE(is_retryable(curl_failure(CURLE_PARTIAL_FILE, true)));
    EXPECT_FALSE(is_retryable(curl_failure(CURLE_PEER_FAILED_VERIFICATION, false)));
}

TEST(IsRetryable, CancelledOrCutIsNot) {
    HttpResponse cancelled = curl_failure(CURLE_ABORTED_BY_CALLBACK, false);
    cancelled.cancelled = true;
    EXPECT_FALSE(is_retryable(cancelled));
    // Even a status that would otherwise be retried.
    HttpResponse cancelled_503 = with_status(503);
    cancelled_503.cancelled = true;
    EXPECT_FALSE(is_retryable(cancelled_503));
    HttpResponse cut = with_status(500);
    cut.cut_at_cap = true;
    EXPECT_FALSE(is_retryable(cut));
    HttpResponse refused_but_cancelled = curl_failure(CURLE_COULDNT_CONNECT, false);
    refused_but_cancelled.cancelled = true;
    EXPECT_FALSE(is_retryable(refused_but_cancelled));
}

// ---- parse_retry_after --------------------------------------------------------------------------

TEST(ParseRetryAfter, Seconds) {
    auto now = fixed_now();
    ASSERT_TRUE(parse_retry_after("2", now).has_value());
    EXPECT_DOUBLE_EQ(*parse_retry_after("2", now), 2.0);
    EXPECT_DOUBLE_EQ(*parse_retry_after("0.5", now), 0.5);
    EXPECT_DOUBLE_EQ(*parse_retry_after("0", now), 0.0);
    EXPECT_DOUBLE_EQ(*parse_retry_after(" 7 ", now), 7.0);
    EXPECT_DOUBLE_EQ(*parse_retry_after("120", now), 120.0);
}

TEST(ParseRetryAfter, HttpDateInTheFuture) {
    auto now = fixed_now();
    std::string date = http_date(now + std::chrono::seconds(30));
    auto seconds = parse_retry_after(date, now);
    ASSERT_TRUE(seconds.has_value()) << date;
    EXPECT_NEAR(*seconds, 30.0, 1e-9) << date;
    // The same date, a literal rather than computed.
    EXPECT_EQ(http_date(now), "Sun, 22 Nov 2026 15:30:00 GMT");
    auto literal = parse_retry_after("Sun, 22 Nov 2026 15:30:30 GMT", now);
    ASSERT_TRUE(literal.has_value());
    EXPECT_NEAR(*literal, 30.0, 1e-9);
}

TEST(ParseRetryAfter, AllThreeHistoricDateForms) {
    // RFC 7231 section 7.1.1.1: IMF-fixdate, RFC 850, asctime. 1994-11-06 08:49:37 UTC + 45 s.
    auto now = Clock::from_time_t(time_t(784111777)) - std::chrono::seconds(45);
    for (const char *date : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                             "Sun Nov  6 08:49:37 1994"}) {
        auto seconds = parse_retry_after(date, now);
        ASSERT_TRUE(seconds.has_value()) << date;
        EXPECT_NEAR(*seconds, 45.0, 1e-9) << date;
    }
}

TEST(ParseRetryAfter, HttpDateInThePastIsZero) {
    auto now = fixed_now();
    auto seconds = parse_retry_after(http_date(now - std::chrono::hours(1)), now);
    ASSERT_TRUE(seconds.has_value());
    EXPECT_DOUBLE_EQ(*seconds, 0.0);
}

TEST(ParseRetryAfter, GarbageOrEmptyIsNullopt) {
    auto now = fixed_now();
    for (const char *value : {"", "   ", "soon", "1.2.3", ".", "abc123", "-5", "1e3", "5s"})
        EXPECT_FALSE(parse_retry_after(value, now).has_value()) << '"' << value << '"';
}

// ---- retry_delay_s --------------------------------------------------------------------------------

TEST(RetryDelay, HonoursRetryAfterSeconds) {
    RetryPolicy policy;
    HttpResponse r = with_status(429);
    r.headers["retry-after"] = "7";
    EXPECT_DOUBLE_EQ(retry_delay_s(policy, r, 1, fixed_now()), 7.0);
    EXPECT_DOUBLE_EQ(retry_delay_s(policy, r, 2, fixed_now()), 7.0) << "Retry-After wins over backoff";
    r.headers["retry-after"] = "0.5";
    EXPECT_DOUBLE_EQ(retry_delay_s(policy, r, 1, fixed_now()), 0.5);
}

TEST(RetryDelay, HonoursRetryAfterDate) {
    RetryPolicy policy;
    HttpResponse r = with_status(503);
    r.headers["retry-after"] = http_date(fixed_now() + std::chrono::seconds(12));
    EXPECT_NEAR(retry_delay_s(policy, r, 1, fixed_now()), 12.0, 1e-9);
}

TEST(RetryDelay, CapsAbsurdRetryAfter) {
    RetryPolicy policy;
    policy.max_delay_s = 60;
    HttpResponse r = with_status(429);
    r.headers["retry-after"] = "86400";
    EXPECT_DOUBLE_EQ(retry_delay_s(policy, r, 1, fixed_now()), 60.0);
    r.headers["retry-after"] = http_date(fixed_now() + std::chrono::hours(24 * 365));
    EXPECT_DOUBLE_EQ(retry_delay_s(policy, r, 1, fixed_now()), 60.0);
    policy.max_delay_s = 5;
    r.headers["retry-after"] = "6";
    EXPECT_DOUBLE_EQ(retry_delay_s(policy, r, 1, fixed_now()), 5.0);
}

TEST(RetryDelay, ExponentialBackoffWithinJitterBounds) {
    RetryPolicy policy;
    policy.base_delay_s = 1.0;
    policy.max_delay_s = 1000;
    HttpResponse r = with_status(503);
    for (int attempt = 1; attempt <= 5; ++attempt) {
        double base = policy.base_delay_s * double(1 << (attempt - 1));
        double low = 1e9, high = 0;
        for (int i = 0; i < 300; ++i) {
            double d = retry_delay_s(policy, r, attempt, fixed_now());
            EXPECT_GE(d, 0.75 * base) << "attempt " << attempt;
            EXPECT_LE(d, 1.25 * base) << "attempt " << attempt;
            low = std::min(low, d);
            high = std::max(high, d);
        }
        EXPECT_GT(high - low, 0.1 * base) << "the delay should be jittered, attempt " << attempt;
    }
}

TEST(RetryDelay, BackoffUsesBaseDelay) {
    RetryPolicy policy;
    policy.base_delay_s = 0.2;
    HttpResponse r = with_status(500);
    for (int i = 0; i < 100; ++i) {
        double d = retry_delay_s(policy, r, 3, fixed_now()); // 0.2 * 4 = 0.8
        EXPECT_GE(d, 0.6);
        EXPECT_LE(d, 1.0);
    }
}

TEST(RetryDelay, BackoffIsCappedAtMaxDelay) {
    RetryPolicy policy;
    policy.base_delay_s = 1.0;
    policy.max_delay_s = 10;
    HttpResponse r = with_status(500);
    for (int i = 0; i < 50; ++i)
        EXPECT_LE(retry_delay_s(policy, r, 20, fixed_now()), 10.0);
}

TEST(RetryDelay, GarbageRetryAfterFallsBackToBackoff) {
    RetryPolicy policy;
    policy.base_delay_s = 1.0;
    HttpResponse r = with_status(429);
    r.headers["retry-after"] = "whenever";
    double d = retry_delay_s(policy, r, 2, fixed_now());
    EXPECT_GE(d, 1.5);
    EXPECT_LE(d, 2.5);
}

TEST(RetryPolicy, Defaults) {
    RetryPolicy policy;
    EXPECT_EQ(policy.max_retries, 2);
    EXPECT_DOUBLE_EQ(policy.base_delay_s, 1.0);
    EXPECT_DOUBLE_EQ(policy.max_delay_s, 60.0);
}

} // namespace
} // namespace pictor::net
