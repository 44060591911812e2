// Cancel stops the waiting in every phase within 2 s, from the progress callback or from
// another thread, and says whether the server may still bill the request.
#include "fault_fixture.hpp"

#include <atomic>
#include <chrono>
#include <thread>

namespace pictor_test {
namespace {

using Cancel = FaultTest;

// Cancels from another thread once `phase` has been reported for a moment; records when.
struct CancelAt {
    pictor_phase phase;
    std::atomic<bool> seen{false};
    std::atomic<double> cancelled_at{0};

    RunOptions options(RunOptions base = {}) {
        base.on_progress = [this](const pictor_progress &p) {
            if (p.phase == phase) seen = true;
            return 0;
        };
        base.beside = [this](pictor_client *client) {
            double deadline = now_seconds() + 30;
            while (!seen && now_seconds() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            std::this_thread::sleep_for(std::chrono::milliseconds(300)); // well inside the phase
            cancelled_at = now_seconds();
            pictor_client_cancel(client);
        };
        return base;
    }
};

TEST_F(Cancel, DuringTheUploadReturnsWithinTwoSecondsAndNothingIsBilled) {
    // 12 MB of noise read by the mock at 256 KB/s: the upload would take most of a minute.
    RunOptions base;
    base.edit_images = {encode_picture(2048, 2048, "png", true)};
    ASSERT_GT(base.edit_images[0].size(), 10u << 20);
    CancelAt cancel{PICTOR_PHASE_UPLOADING};
    Outcome o = run("openai", "read_rate=262144", cancel.options(base));
    ASSERT_TRUE(cancel.seen) << "the upload phase was reported";
    EXPECT_EQ(o.status, PICTOR_ERR_CANCELLED) << o.message;
    double after_cancel = now_seconds() - cancel.cancelled_at;
    EXPECT_LT(after_cancel, 2.0);
    EXPECT_LT(o.seconds, 10.0);
    EXPECT_FALSE(o.may_be_billed) << "the request never fully reached the server: " << o.message;
    EXPECT_TRUE(history_files().empty());
}

TEST_F(Cancel, WhileTheServerGeneratesReturnsWithinTwoSecondsAndSaysItMayBeBilled) {
    CancelAt cancel{PICTOR_PHASE_WAITING};
    Outcome o = run("openai", "delay=60", cancel.options());
    ASSERT_TRUE(cancel.seen);
    EXPECT_EQ(o.status, PICTOR_ERR_CANCELLED) << o.message;
    EXPECT_LT(now_seconds() - cancel.cancelled_at, 2.0);
    EXPECT_TRUE(o.may_be_billed);
    EXPECT_NE(o.message.find("bill"), std::string::npos) << o.message;
    EXPECT_EQ(o.api_requests.size(), 1u);
}

TEST_F(Cancel, DuringTheDownloadReturnsWithinTwoSeconds) {
    // The answer trickles in over 30 s.
    CancelAt cancel{PICTOR_PHASE_DOWNLOADING};
    Outcome o = run("openai", "trickle=30", cancel.options());
    ASSERT_TRUE(cancel.seen);
    EXPECT_EQ(o.status, PICTOR_ERR_CANCELLED) << o.message;
    EXPECT_LT(now_seconds() - cancel.cancelled_at, 2.0);
    EXPECT_TRUE(o.may_be_billed);
    EXPECT_TRUE(history_files().empty()) << "half an answer is not an image";
}

TEST_F(Cancel, FromTheProgressCallbackWorksToo) {
    double cancelled_at = 0;
    RunOptions options;
    options.on_progress = [&](const pictor_progress &p) {
        if (p.phase == PICTOR_PHASE_WAITING && p.elapsed_s > 0.5) {
            if (cancelled_at == 0) cancelled_at = now_seconds();
            return 1;
        }
        return 0;
    };
    Outcome o = run("openai", "delay=60", options);
    EXPECT_EQ(o.status, PICTOR_ERR_CANCELLED) << o.message;
    ASSERT_GT(cancelled_at, 0);
    EXPECT_LT(now_seconds() - cancelled_at, 2.0);
}

} // namespace
} // namespace pictor_test
