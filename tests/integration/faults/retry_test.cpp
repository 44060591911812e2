// Retries happen only where nothing can be billed twice, honour Retry-After in both forms,
// cap absurd values, and stop after a bounded number of attempts.
#include "fault_fixture.hpp"

#include <ctime>

namespace pictor_test {
namespace {

using Retries = FaultTest;

double longest_retry_wait(const Outcome &o) {
    double longest = 0;
    for (const auto &p : o.progress)
        if (p.phase == PICTOR_PHASE_RETRY_WAIT) longest = std::max(longest, p.retry_in_s);
    return longest;
}

// "Sun, 06 Nov 1994 08:49:37 GMT", percent-encoded for the scenario segment.
std::string http_date_in(int seconds) {
    std::time_t when = std::time(nullptr) + seconds;
    std::tm utc{};
    gmtime_r(&when, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a%%2C%%20%d%%20%b%%20%Y%%20%H:%M:%S%%20GMT", &utc);
    return text;
}

TEST_F(Retries, RateLimitRetryAfterInSecondsIsWaitedThenRetried) {
    Outcome o = run("openai", "status=429,times=1,retry_after=2,tag=seconds");
    ASSERT_EQ(o.status, PICTOR_OK) << o.message;
    EXPECT_EQ(o.api_requests.size(), 2u);
    EXPECT_GE(o.seconds, 1.8) << "Retry-After: 2 was honoured";
    EXPECT_LE(longest_retry_wait(o), 2.1);
    EXPECT_GT(longest_retry_wait(o), 1.0);
}

TEST_F(Retries, RateLimitRetryAfterAsHttpDateIsWaitedThenRetried) {
    Outcome o = run("openai", "status=429,times=1,tag=date,retry_after=" + http_date_in(3));
    ASSERT_EQ(o.status, PICTOR_OK) << o.message;
    EXPECT_EQ(o.api_requests.size(), 2u);
    // A date has one-second resolution: 3 s ahead means a wait of 2-3 s.
    EXPECT_GE(o.seconds, 1.5);
    EXPECT_LE(longest_retry_wait(o), 3.5);
}

TEST_F(Retries, AbsurdRetryAfterIsCappedAtSixtySeconds) {
    RunOptions options;
    // Seeing the capped wait is enough: cancel instead of sitting through it.
    options.on_progress = [](const pictor_progress &p) { return p.phase == PICTOR_PHASE_RETRY_WAIT ? 1 : 0; };
    Outcome o = run("openai", "status=429,retry_after=999999999", options);
    EXPECT_EQ(o.status, PICTOR_ERR_CANCELLED) << o.message;
    double wait = longest_retry_wait(o);
    EXPECT_LE(wait, 60.0) << "Retry-After is capped";
    EXPECT_GT(wait, 50.0) << "but still honoured up to the cap";
    EXPECT_LT(o.seconds, 2.0) << "cancel ends the back-off at once";
    EXPECT_EQ(o.api_requests.size(), 1u);
    EXPECT_FALSE(o.may_be_billed) << "a 429 generated nothing";
}

TEST_F(Retries, GarbageRetryAfterFallsBackToShortBackoff) {
    Outcome o = run("openai", "status=429,times=1,retry_after=soon%20please,tag=garbage");
    ASSERT_EQ(o.status, PICTOR_OK) << o.message;
    EXPECT_EQ(o.api_requests.size(), 2u);
    EXPECT_LE(longest_retry_wait(o), 1.3) << "1 s with jitter, not an unparsed value";
}

TEST_F(Retries, ServerErrorStormIsBoundedAndConfigurable) {
    Outcome storm = run("openai", "status=502,retry_after=0");
    EXPECT_EQ(storm.status, PICTOR_ERR_SERVER);
    EXPECT_EQ(storm.api_requests.size(), 3u) << "the first try and 2 retries";
    EXPECT_FALSE(storm.may_be_billed);

    RunOptions more;
    more.max_retries = 4;
    Outcome longer = run("openai", "status=503,retry_after=0", more);
    EXPECT_EQ(longer.status, PICTOR_ERR_SERVER);
    EXPECT_EQ(longer.api_requests.size(), 5u);

    RunOptions none;
    none.max_retries = 0;
    Outcome once = run("openai", "status=500", none);
    EXPECT_EQ(once.status, PICTOR_ERR_SERVER);
    EXPECT_EQ(once.api_requests.size(), 1u);
}

TEST_F(Retries, GatewayTimeoutAfterALongWaitIsNotRetriedAndMayBeBilled) {
    for (const char *scenario : {"status=504,error_delay=3", "status=524,error_delay=3"}) {
        Outcome o = run("openai", scenario);
        EXPECT_EQ(o.status, PICTOR_ERR_SERVER) << scenario;
        EXPECT_GE(o.seconds, 2.9);
        EXPECT_EQ(o.api_requests.size(), 1u) << scenario << ": re-sending could bill twice";
        EXPECT_TRUE(o.may_be_billed);
        EXPECT_NE(o.message.find("Gateway timeout"), std::string::npos) << o.message;
        EXPECT_NE(o.message.find("billed"), std::string::npos) << o.message;
        EXPECT_TRUE(history_files().empty());
    }
}

TEST_F(Retries, TimeoutBoundsRetriesAndRetryAfterWaits) {
    RunOptions options;
    options.timeout_s = 4;
    // A 10 s Retry-After, twice, would take 20 s: a 4 s timeout is the whole command's.
    Outcome waits = run("openai", "status=429,retry_after=10", options);
    EXPECT_EQ(waits.status, PICTOR_ERR_RATE_LIMITED) << waits.message;
    EXPECT_LT(waits.seconds, 4.5);
    EXPECT_EQ(waits.api_requests.size(), 1u) << "a wait past the limit is not started";

    // Slow failures: each attempt's time comes out of the same 4 s.
    Outcome slow = run("openai", "status=503,error_delay=1.5,retry_after=0", options);
    EXPECT_EQ(slow.status, PICTOR_ERR_TIMEOUT) << "the third attempt ran out of the 4 s: " << slow.message;
    EXPECT_LT(slow.seconds, 4.5);
    EXPECT_EQ(slow.api_requests.size(), 3u);
}

} // namespace
} // namespace pictor_test
