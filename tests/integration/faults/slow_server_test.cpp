// A generation takes minutes with nothing on the wire: silence is not a stall, and whitespace
// heartbeats before the JSON are not an answer.
#include "fault_fixture.hpp"

namespace pictor_test {
namespace {

using SlowServer = FaultTest;

TEST_F(SlowServer, SilentForLongerThanAnyStallWindowThenAnsweringSucceeds) {
    // 25 s of total silence after the upload: longer than libcurl's usual low-speed windows
    // (and any "no byte in 20 s" rule), far below the 120 s a low-quality request may take.
    Outcome o = run("openai", "delay=25");
    ASSERT_EQ(o.status, PICTOR_OK) << o.message;
    EXPECT_GE(o.seconds, 24.0);
    EXPECT_EQ(o.images, 1u);
    EXPECT_EQ(o.api_requests.size(), 1u) << "no abort, so no re-send";
    bool waited = false;
    for (const auto &p : o.progress) waited |= p.phase == PICTOR_PHASE_WAITING && p.elapsed_s > 20;
    EXPECT_TRUE(waited) << "progress kept coming while the server was silent";
}

TEST_F(SlowServer, WhitespaceHeartbeatsBeforeTheJsonAreSkipped) {
    Outcome beats = run("openai", "heartbeat=0.2,delay=2");
    ASSERT_EQ(beats.status, PICTOR_OK) << beats.message;
    EXPECT_EQ(beats.images, 1u);
    EXPECT_EQ(beats.api_requests.size(), 1u);
    // Heartbeat bytes are not the image arriving: the phase stays "waiting" until real JSON.
    bool waiting_after_first_beat = false;
    for (const auto &p : beats.progress)
        waiting_after_first_beat |= p.phase == PICTOR_PHASE_WAITING && p.elapsed_s > 1.0;
    EXPECT_TRUE(waiting_after_first_beat);

    Outcome leading = run("openai", "leading_ws=1");
    ASSERT_EQ(leading.status, PICTOR_OK) << leading.message;
    EXPECT_EQ(leading.images, 1u);
}

} // namespace
} // namespace pictor_test
