// The job contract: which thread each callback runs on, cancel, destroy while running, and
// failures — refused before sending (nothing reaches the mock) or reported by the server.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <filesystem>
#include <thread>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

const char *const read_callbacks[] = {"canvas_size", "describe_layer", "read_layer", "describe_selection",
                                      "read_selection"};
const char *const write_callbacks[] = {"add_layer", "progress", "message"};

// Waits (up to 10 s) until the mock has logged an image request: the request is on the wire.
bool wait_for_request_at_mock(MockGatewayProcess &mock) {
    for (int i = 0; i < 200; ++i) {
        if (!mock.api_requests().empty())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

class JobTest : public PluginTest {
protected:
    void SetUp() override {
        PluginTest::SetUp();
        host_.add_pattern_layer(1, 320, 240, 0, 0, "Background");
        host_.select_ellipse(160, 120, 40, 30, 4);
        options_ = pictor::make_command_options(PICTOR_COMMAND_INPAINT_SELECTION, request_, 1);
    }

    MemoryHost host_{320, 240};
    pictor_command_options options_{};
};

TEST_F(JobTest, OnDispatchEveryCallbackRunsOnTheThreadThatStartsAndWaits) {
    auto c = client("openai");
    std::thread::id host_thread;
    pictor_status status = PICTOR_ERR_INTERNAL;
    pictor_callback_thread mode = PICTOR_CALLBACKS_ON_WORKER;
    std::thread ui([&] {
        host_thread = std::this_thread::get_id();
        pictor::job_ptr job;
        status = run(c.get(), host_, options_, &job);
        mode = pictor_job_callback_thread(job.get());
    });
    ui.join();
    ASSERT_EQ(status, PICTOR_OK) << host_.all_messages();
    EXPECT_EQ(mode, PICTOR_CALLBACKS_ON_DISPATCH);
    for (const char *name : read_callbacks)
        EXPECT_FALSE(host_.calls_named(name).empty()) << name;
    for (const char *name : {"add_layer", "progress"})
        EXPECT_FALSE(host_.calls_named(name).empty()) << name;
    for (const CallbackCall &call : host_.calls)
        EXPECT_EQ(call.thread, host_thread) << call.name << " ran on another thread";
    EXPECT_NE(host_thread, std::this_thread::get_id());
}

TEST_F(JobTest, OnWorkerReadsOnTheStartingThreadAndWritesOnTheWorker) {
    auto c = client("openai");
    options_.callback_thread = PICTOR_CALLBACKS_ON_WORKER;
    std::thread::id host_thread;
    pictor_status status = PICTOR_ERR_INTERNAL;
    std::thread ui([&] {
        host_thread = std::this_thread::get_id();
        pictor::job_ptr job;
        status = run(c.get(), host_, options_, &job);
        EXPECT_EQ(pictor_job_callback_thread(job.get()), PICTOR_CALLBACKS_ON_WORKER);
    });
    ui.join();
    ASSERT_EQ(status, PICTOR_OK) << host_.all_messages();
    for (const char *name : read_callbacks)
        for (const CallbackCall &call : host_.calls_named(name))
            EXPECT_EQ(call.thread, host_thread) << name;
    std::set<std::thread::id> writers;
    for (const char *name : write_callbacks)
        for (const CallbackCall &call : host_.calls_named(name))
            writers.insert(call.thread);
    ASSERT_FALSE(host_.calls_named("add_layer").empty());
    ASSERT_EQ(writers.size(), 1u) << "every write callback on the one worker";
    EXPECT_NE(*writers.begin(), host_thread);
    EXPECT_NE(*writers.begin(), std::this_thread::get_id());
}

TEST_F(JobTest, PreviewsOfAStreamingRouteReachTheHostOnItsThread) {
    auto c = client("openai");
    request_.partial_images = 2;
    request_.size = "1024x1024";
    pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_GENERATE_AS_NEW_LAYER, request_, 1);
    std::thread::id host_thread;
    pictor_status status = PICTOR_ERR_INTERNAL;
    std::thread ui([&] {
        host_thread = std::this_thread::get_id();
        pictor::job_ptr job;
        status = run(c.get(), host_, options, &job);
    });
    ui.join();
    ASSERT_EQ(status, PICTOR_OK) << host_.all_messages();
    ASSERT_EQ(host_.previews.size(), 2u);
    EXPECT_EQ(host_.previews[0], std::make_pair(0, 2));
    EXPECT_EQ(host_.previews[1], std::make_pair(1, 2));
    EXPECT_EQ(host_.preview_sizes[0], std::make_pair(1024u, 1024u));
    for (const CallbackCall &call : host_.calls_named("preview"))
        EXPECT_EQ(call.thread, host_thread);
    EXPECT_EQ(host_.added.size(), 1u);
    EXPECT_EQ(only_request()["json"]["partial_images"], 2);
}

TEST_F(JobTest, CancelFromAnotherThreadEndsTheJobPromptlyAndWarnsOfBilling) {
    auto c = client("openai", "delay=30");
    pictor_host table = host_.table();
    pictor_job *raw = nullptr;
    ASSERT_EQ(pictor_job_start(c.get(), &table, &options_, &raw), PICTOR_OK);
    pictor::job_ptr job(raw);
    Clock::time_point cancelled_at;
    std::thread canceller([&] {
        ASSERT_TRUE(wait_for_request_at_mock(mock()));
        cancelled_at = Clock::now();
        pictor_job_cancel(raw);
    });
    pictor_status status = pictor_job_wait(raw);
    canceller.join();
    const double took = seconds_since(cancelled_at);
    EXPECT_EQ(status, PICTOR_ERR_CANCELLED);
    EXPECT_LT(took, 2.0) << "cancel took " << took << " s";
    EXPECT_TRUE(pictor_job_is_finished(raw));
    const pictor_error *error = pictor_job_error(raw);
    EXPECT_EQ(error->status, PICTOR_ERR_CANCELLED);
    EXPECT_TRUE(error->may_be_billed);
    EXPECT_EQ(pictor_client_last_error(c.get())->status, PICTOR_ERR_CANCELLED);
    // Said once, in the job's message and in the error the host reads.
    EXPECT_EQ(occurrences(host_.all_messages(), "may still be billed"), 1u) << host_.all_messages();
    EXPECT_EQ(occurrences(error->message, "may still be billed"), 1u) << error->message;
    EXPECT_TRUE(host_.added.empty());
}

TEST_F(JobTest, DestroyWhileRunningReturnsPromptly) {
    auto c = client("openai", "delay=30");
    pictor_host table = host_.table();
    pictor_job *raw = nullptr;
    ASSERT_EQ(pictor_job_start(c.get(), &table, &options_, &raw), PICTOR_OK);
    ASSERT_TRUE(wait_for_request_at_mock(mock()));
    EXPECT_FALSE(pictor_job_is_finished(raw));
    EXPECT_EQ(pictor_job_result_json(raw), nullptr);
    auto start = Clock::now();
    pictor_job_destroy(raw);
    EXPECT_LT(seconds_since(start), 2.0);
    EXPECT_TRUE(host_.added.empty());
}

TEST_F(JobTest, ProgressCallbackReturningNonZeroCancels) {
    auto c = client("openai", "delay=30");
    host_.cancel_from_progress = true;
    pictor::job_ptr job;
    auto start = Clock::now();
    EXPECT_EQ(run(c.get(), host_, options_, &job), PICTOR_ERR_CANCELLED);
    EXPECT_LT(seconds_since(start), 10.0);
    EXPECT_TRUE(host_.added.empty());
}

TEST_F(JobTest, EmptySelectionIsRefusedAndNothingIsSent) {
    host_.clear_selection();
    auto c = client("openai");
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host_, options_, &job), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(job, nullptr);
    const pictor_error *error = pictor_client_last_error(c.get());
    EXPECT_EQ(error->status, PICTOR_ERR_INVALID_REQUEST);
    EXPECT_STREQ(error->message, "nothing is selected: select the area to repaint first");
    EXPECT_FALSE(error->request_sent);
    EXPECT_EQ(mock().requests().size(), 0u);
    // Read callbacks only: nothing was written to the host.
    EXPECT_TRUE(host_.calls_named("add_layer").empty());
    EXPECT_TRUE(host_.calls_named("progress").empty());
}

TEST_F(JobTest, HostWithoutSelectionCannotInpaint) {
    host_.offers_selection = false;
    auto c = client("openai");
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host_, options_, &job), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(mock().requests().size(), 0u);
}

TEST_F(JobTest, RequestTheProfileRefusesIsNeverSent) {
    request_.quality = "ultra";
    auto c = client("openai");
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host_, options_, &job), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_NE(std::string(pictor_client_last_error(c.get())->message).find("ultra"), std::string::npos)
        << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(mock().requests().size(), 0u);
}

TEST_F(JobTest, BrokenOptionsAreInvalidArguments) {
    auto c = client("openai");
    pictor_host table = host_.table();
    pictor_job *raw = nullptr;
    pictor_command_options bad = options_;
    bad.grow_px = -7;
    EXPECT_EQ(pictor_job_start(c.get(), &table, &bad, &raw), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(raw, nullptr);
    bad = options_;
    bad.command = pictor_command(42);
    EXPECT_EQ(pictor_job_start(c.get(), &table, &bad, &raw), PICTOR_ERR_INVALID_ARGUMENT);
    table.add_layer = nullptr;
    EXPECT_EQ(pictor_job_start(c.get(), &table, &options_, &raw), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(pictor_job_start(c.get(), nullptr, &options_, &raw), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(pictor_job_start(nullptr, &table, &options_, &raw), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(mock().requests().size(), 0u);
    pictor_job_destroy(nullptr);
}

TEST_F(JobTest, ServerRefusalReachesTheJobErrorAndTheMessageCallback) {
    auto c = client("openai", "code=moderation_blocked");
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host_, options_, &job), PICTOR_ERR_MODERATION_BLOCKED);
    ASSERT_NE(job, nullptr);
    const pictor_error *error = pictor_job_error(job.get());
    EXPECT_EQ(error->status, PICTOR_ERR_MODERATION_BLOCKED);
    EXPECT_STREQ(error->code, "moderation_blocked");
    EXPECT_EQ(pictor_job_status(job.get()), PICTOR_ERR_MODERATION_BLOCKED);
    EXPECT_EQ(pictor_client_last_error(c.get())->status, PICTOR_ERR_MODERATION_BLOCKED);
    bool error_message = false;
    for (const auto &message : host_.messages)
        if (message.first == PICTOR_MESSAGE_ERROR && message.second.find(error->message) != std::string::npos)
            error_message = true;
    EXPECT_TRUE(error_message) << host_.all_messages();
    json result = result_json(job);
    EXPECT_EQ(result["layers_added"], 0);
    EXPECT_EQ(result["error"]["code"], "moderation_blocked");
    EXPECT_TRUE(host_.added.empty());
    EXPECT_EQ(mock().api_requests().size(), 1u);
}

TEST_F(JobTest, LayerTheHostCannotAddFailsTheJobAndPointsToHistory) {
    host_.fail_add_layer = true;
    auto c = client("openai");
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host_, options_, &job), PICTOR_ERR_IO);
    const pictor_error *error = pictor_job_error(job.get());
    std::string message = error->message, kept = error->history_path;
    ASSERT_FALSE(kept.empty()) << message;
    EXPECT_TRUE(std::filesystem::exists(kept)) << kept;
    EXPECT_NE(message.find("history at " + kept), std::string::npos) << message;
    EXPECT_EQ(result_json(job)["layers_added"], 0);
    EXPECT_NE(host_.all_messages().find("could not add the layer"), std::string::npos);
}

} // namespace
} // namespace pictor_test
