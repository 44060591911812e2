// A job on a client with run_in_helper: the layers are read and encoded here, the request runs
// in pictor-request-runner. A cancel stops the waiting only (the image lands in history, not yet
// delivered); a host that destroys its job or dies mid-request loses nothing either; with
// "abandon_on_cancel" in the config file a cancel stops the runner too. Typed extra fields keep
// their JSON type through the runner. Encoded parts reach the runner as inherited spool file
// descriptors: they arrive whole and exact, a retry re-sends them byte for byte, and a host killed
// while it still encodes sends nothing.
#include <gtest/gtest.h>

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string read_text(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class RunnerJobTest : public PluginTest {
protected:
    void SetUp() override {
        PluginTest::SetUp();
        host_.add_pattern_layer(1, 320, 240, 0, 0, "Background");
        host_.select_ellipse(160, 120, 40, 30, 4);
        options_ = pictor::make_command_options(PICTOR_COMMAND_INPAINT_SELECTION, request_, 1);
    }

    pictor::client_ptr helper_client(const std::string &profile, const std::string &scenario) {
        return client(profile, scenario, true);
    }

    // This test's runners: the build's runner whose environment is this test's (its own
    // XDG_CONFIG_HOME), not yet exited.
    std::vector<pid_t> runners() const {
        std::vector<pid_t> found;
        DIR *proc = opendir("/proc");
        if (!proc)
            return found;
        while (dirent *e = readdir(proc)) {
            const pid_t pid = pid_t(std::atoi(e->d_name));
            if (pid <= 0)
                continue;
            const std::string base = std::string("/proc/") + e->d_name;
            char exe[4096];
            const ssize_t n = readlink((base + "/exe").c_str(), exe, sizeof exe - 1);
            if (n <= 0 || std::string(exe, size_t(n)) != PICTOR_RUNNER_PATH)
                continue;
            const std::string stat = read_text(base + "/stat");
            const size_t paren = stat.rfind(')');
            if (paren != std::string::npos && stat.compare(paren + 2, 1, "Z") == 0)
                continue;
            if (read_text(base + "/environ").find("XDG_CONFIG_HOME=" + temp_dir_ + "/config" + '\0') ==
                std::string::npos)
                continue;
            found.push_back(pid);
        }
        closedir(proc);
        return found;
    }

    json history() const {
        char *raw = nullptr;
        EXPECT_EQ(pictor_history_list(history_dir_.c_str(), &raw), PICTOR_OK);
        json list = json::parse(raw ? raw : "[]");
        pictor_free(raw);
        return list;
    }

    // The undelivered history entry, waited for up to `seconds`; null if none came.
    json wait_for_undelivered(double seconds) const {
        const auto start = Clock::now();
        while (seconds_since(start) < seconds) {
            for (const auto &entry : history())
                if (entry.value("delivered", true) == false)
                    return entry;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return nullptr;
    }

    bool wait_for_request_at_mock() const {
        const auto start = Clock::now();
        while (mock().api_requests().empty() && seconds_since(start) < 10)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return !mock().api_requests().empty();
    }

    void expect_no_runner_within(double seconds) const {
        const auto start = Clock::now();
        while (!runners().empty() && seconds_since(start) < seconds)
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        EXPECT_TRUE(runners().empty()) << "a runner outlived its request";
    }

    // The options of an edit of layer 1 of `host` with layers 2..last (pattern layers of
    // width x height, added here) as references.
    // The edit's image[] parts, as the mock decoded them, are host_'s layers 1..count pixel for
    // pixel, in order, lossless PNG, each named and sized as the job's "uploads" says.
    void expect_parts_are_the_layers(const json &sent, size_t count, pictor_job *job) {
        const std::vector<json> parts = files_named(sent, "image[]");
        ASSERT_EQ(parts.size(), count) << sent.dump(1).substr(0, 2000);
        const json reported = json::parse(pictor_job_result_json(job))["uploads"];
        ASSERT_EQ(reported.size(), count) << reported.dump(1);
        for (size_t k = 0; k < parts.size(); ++k) {
            const MemoryLayer &layer = host_.layers.at(int32_t(k + 1));
            const std::string rgba = mock().get(parts[k]["fetch"].get<std::string>() + ".rgba");
            ASSERT_EQ(rgba.size(), layer.rgba.size()) << "part " << k;
            EXPECT_TRUE(std::equal(rgba.begin(), rgba.end(), layer.rgba.begin(),
                                   [](char a, uint8_t b) { return uint8_t(a) == b; }))
                << "part " << k << " is not its layer";
            EXPECT_EQ(parts[k]["filename"], reported[k]["name"]) << "part " << k;
            EXPECT_EQ(parts[k]["size"], reported[k]["bytes"]) << "part " << k;
            EXPECT_EQ(parts[k]["content_type"], "image/png") << "part " << k;
        }
    }

    pictor_command_options references_edit(MemoryHost &host, int32_t last, uint32_t width, uint32_t height) {
        for (int32_t id = 1; id <= last; ++id)
            if (!host.layers.count(id))
                host.add_pattern_layer(id, width, height, 0, 0, "Layer " + std::to_string(id));
        references_.clear();
        for (const auto &[id, layer] : host.layers)
            if (id != 1)
                references_.push_back(id);
        host.offers_selection = false;
        pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_EDIT_WITH_REFERENCES, request_, 1);
        options.reference_layers = references_.data();
        options.reference_count = references_.size();
        return options;
    }

    MemoryHost host_{320, 240};
    pictor_command_options options_{};
    std::vector<int32_t> references_;
};

TEST_F(RunnerJobTest, ACancelStopsTheWaitingAndTheInpaintLandsInHistoryNotYetDelivered) {
    auto c = helper_client("openai", "delay=5");
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_TRUE(wait_for_request_at_mock()) << host_.all_messages();
    const std::vector<pid_t> held_by = runners();
    ASSERT_EQ(held_by.size(), 1u) << "one runner holds the request";
    for (const char *file : {"cmdline", "environ"})
        EXPECT_EQ(read_text("/proc/" + std::to_string(held_by[0]) + "/" + file).find(key_), std::string::npos)
            << "the key is in the runner's " << file;

    const auto cancelled_at = Clock::now();
    pictor_job_cancel(job.get());
    EXPECT_EQ(pictor_job_wait(job.get()), PICTOR_ERR_CANCELLED);
    EXPECT_LT(seconds_since(cancelled_at), 2.0) << "a cancel stops the waiting at once";
    const std::string message = pictor_job_error(job.get())->message;
    EXPECT_NE(message.find("goes on"), std::string::npos) << message;
    EXPECT_NE(message.find("history"), std::string::npos) << message;
    EXPECT_TRUE(host_.added.empty());
    EXPECT_TRUE(history().empty()) << "the answer is not there yet";

    json entry = wait_for_undelivered(15);
    ASSERT_FALSE(entry.is_null()) << "the paid image reached history, marked not yet delivered";
    EXPECT_EQ(read_text(entry["image_path"].get<std::string>()).substr(1, 3), "PNG");
    // The job encoded the layer and the mask here; the runner sent them.
    json sent = only_request();
    EXPECT_EQ(files_named(sent, "image").size() + files_named(sent, "image[]").size(), 1u) << sent.dump(1).substr(0, 2000);
    EXPECT_EQ(files_named(sent, "mask").size(), 1u);
    expect_no_runner_within(40); // the runner waits up to 30 s for a receipt nobody sends
}

TEST_F(RunnerJobTest, AJobDestroyedMidRequestLeavesItsImageInHistoryNotYetDelivered) {
    auto c = helper_client("openai", "delay=4");
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_TRUE(wait_for_request_at_mock());
    const auto destroyed_at = Clock::now();
    job.reset();
    c.reset();
    EXPECT_LT(seconds_since(destroyed_at), 2.0) << "destroying a job does not wait for the request";
    json entry = wait_for_undelivered(15);
    ASSERT_FALSE(entry.is_null()) << "the paid image reached history, marked not yet delivered";
    expect_no_runner_within(40);
}

// The host process dies (GIMP kills a plug-in whose progress was cancelled): kill -9.
TEST_F(RunnerJobTest, AHostKilledMidRequestLeavesItsImageInHistoryNotYetDelivered) {
    const pid_t host_process = fork();
    ASSERT_GE(host_process, 0);
    if (host_process == 0) { // the host: start the job and wait for it
        pictor::client_ptr c = helper_client("openai", "delay=4");
        pictor_host table = host_.table();
        pictor_job *raw = nullptr;
        if (pictor_job_start(c.get(), &table, &options_, &raw) == PICTOR_OK)
            pictor_job_wait(raw);
        _exit(3); // never reached in time: killed first
    }
    const bool reached = wait_for_request_at_mock();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    kill(host_process, SIGKILL);
    int status = 0;
    waitpid(host_process, &status, 0);
    ASSERT_TRUE(reached);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the host ended before it was killed";
    json entry = wait_for_undelivered(15);
    ASSERT_FALSE(entry.is_null()) << "the paid image reached history, marked not yet delivered";
    expect_no_runner_within(10); // nobody holds the pipe: no receipt to wait for
}

TEST_F(RunnerJobTest, AbandonOnCancelInTheConfigFileStopsTheRunnerAndKeepsNothing) {
    std::filesystem::create_directories(temp_dir_ + "/config/pictor");
    std::ofstream(temp_dir_ + "/config/pictor/config.json") << "{\"abandon_on_cancel\": true}\n";
    auto c = helper_client("openai", "delay=3");
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_TRUE(wait_for_request_at_mock());
    ASSERT_EQ(runners().size(), 1u);
    pictor_job_cancel(job.get());
    EXPECT_EQ(pictor_job_wait(job.get()), PICTOR_ERR_CANCELLED);
    const std::string message = pictor_job_error(job.get())->message;
    EXPECT_NE(message.find("bill"), std::string::npos) << message;
    EXPECT_EQ(message.find("goes on"), std::string::npos) << message;
    std::this_thread::sleep_for(std::chrono::seconds(5)); // past the route's wait
    EXPECT_TRUE(history().empty()) << history().dump(1);
    EXPECT_TRUE(runners().empty());
}

// The progress window's second button: this one job is thrown away, the client stays "stop waiting".
TEST_F(RunnerJobTest, AbandoningOneJobStopsItsRunnerAndKeepsNothing) {
    auto c = helper_client("openai", "delay=3");
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_TRUE(wait_for_request_at_mock());
    ASSERT_EQ(runners().size(), 1u);
    pictor_job_abandon(job.get());
    EXPECT_EQ(pictor_job_wait(job.get()), PICTOR_ERR_CANCELLED);
    const pictor_error *error = pictor_job_error(job.get());
    const std::string message = error->message;
    EXPECT_EQ(error->may_be_billed, 1);
    EXPECT_NE(message.find("may still be billed"), std::string::npos) << message;
    EXPECT_EQ(message.find("goes on"), std::string::npos) << message;
    std::this_thread::sleep_for(std::chrono::seconds(5)); // past the route's wait
    EXPECT_TRUE(history().empty()) << history().dump(1);
    EXPECT_TRUE(runners().empty()) << "the runner was stopped";
}

TEST_F(RunnerJobTest, ATypedExtraFieldReachesTheGatewayAsJsonThroughTheRunner) {
    // laozhang's route takes fields pictor does not know on generations (a JSON body).
    auto c = helper_client("laozhang", "delay=1");
    const pictor_extra_field fields[] = {{"n_steps", "3"}, {"label", "\"7\""}, {"vivid", "true"}};
    request_.quality = nullptr; // the route takes no quality
    request_.extra_fields = fields;
    request_.extra_field_count = 3;
    options_ = pictor::make_command_options(PICTOR_COMMAND_GENERATE_AS_NEW_LAYER, request_, 1);
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_TRUE(wait_for_request_at_mock());
    EXPECT_EQ(runners().size(), 1u) << "the request runs in pictor-request-runner";
    ASSERT_EQ(pictor_job_wait(job.get()), PICTOR_OK) << host_.all_messages();
    const json body = only_request()["json"];
    EXPECT_EQ(body["n_steps"], json(3)) << body.dump();
    EXPECT_TRUE(body["n_steps"].is_number_integer()) << body.dump();
    EXPECT_EQ(body["label"], json("7"));
    EXPECT_EQ(body["vivid"], json(true));
    // Composited as in-process, and delivered: the host took it.
    ASSERT_EQ(host_.added.size(), 1u);
    ASSERT_EQ(history().size(), 1u);
    EXPECT_EQ(history()[0].value("delivered", true), true);
    EXPECT_EQ(host_.added[0].history_path, history()[0]["image_path"].get<std::string>());
}

// An edit with references: the job encodes each part into a spool file and the runner, which
// inherited their descriptors, sends them. Every part arrives whole and pixel-exact (lossless
// PNG, decoded by the mock's PIL), and the runner holds the parts' files while it runs.
TEST_F(RunnerJobTest, SpooledReferencesReachTheGatewayWholeThroughTheRunner) {
    options_ = references_edit(host_, 6, 320, 240);
    auto c = helper_client("apiyi", "delay=2");
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_TRUE(wait_for_request_at_mock()) << host_.all_messages();
    const std::vector<pid_t> held_by = runners();
    ASSERT_EQ(held_by.size(), 1u);
    size_t spooled = 0;
    for (int fd = 3; fd < 3 + 6; ++fd) {
        char target[4096];
        const std::string link = "/proc/" + std::to_string(held_by[0]) + "/fd/" + std::to_string(fd);
        const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
        spooled += n > 0 && std::string(target, size_t(n)).find("(deleted)") != std::string::npos;
    }
    EXPECT_EQ(spooled, 6u) << "the runner holds the six parts' unlinked files as fds 3..8";
    ASSERT_EQ(pictor_job_wait(job.get()), PICTOR_OK) << host_.all_messages();

    expect_parts_are_the_layers(only_request(), 6, job.get());
}

// The gateway answers 503 (nothing generated) the first time: pictor sends again, reading the
// spool files from the start, and the second body's parts are the first's byte for byte.
TEST_F(RunnerJobTest, ARetryResendsTheSpooledPartsByteForByte) {
    options_ = references_edit(host_, 4, 320, 240);
    auto c = helper_client("apiyi", "status=503,times=1");
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_EQ(pictor_job_wait(job.get()), PICTOR_OK) << pictor_job_error(job.get())->message;
    const json log = mock().api_requests();
    ASSERT_EQ(log.size(), 2u) << log.dump().substr(0, 2000);
    EXPECT_EQ(log[0]["status"], 503);
    EXPECT_EQ(log[1]["status"], 200);
    const std::vector<json> first = files_named(log[0], "image[]"), second = files_named(log[1], "image[]");
    ASSERT_EQ(first.size(), 4u);
    ASSERT_EQ(second.size(), 4u);
    for (size_t k = 0; k < 4; ++k) {
        EXPECT_GT(first[k]["size"].get<uint64_t>(), 1000u) << "part " << k;
        EXPECT_EQ(first[k]["size"], second[k]["size"]) << "part " << k;
        EXPECT_EQ(first[k]["sha256"], second[k]["sha256"]) << "part " << k << " changed on the retry";
    }
}

// An edit with references on a route that takes a body of unknown length (openai): the runner
// starts with the first part, and the references the host is still reading and encoding go up
// as each is sealed. The request reached the gateway well before the host read its last layer,
// and every part still arrives pixel-exact, in order, named as reported.
TEST_F(RunnerJobTest, ReferencesGoUpWhileTheHostIsStillEncodingTheLaterOnes) {
    options_ = references_edit(host_, 5, 320, 240);
    host_.read_layer_delay_ms = 400; // a slow host: 4 references take 1.6 s to read
    auto c = helper_client("openai", "");
    pictor_host table = host_.table();
    pictor::job_ptr job = pictor::start_job(c.get(), table, options_);
    ASSERT_EQ(pictor_job_wait(job.get()), PICTOR_OK) << pictor_job_error(job.get())->message;

    const json sent = only_request();
    EXPECT_EQ(sent["headers"].value("transfer-encoding", ""), "chunked");
    double last_read = 0;
    {
        std::lock_guard<std::mutex> lock(host_.mutex);
        last_read = host_.last_read_layer_at;
    }
    EXPECT_LT(sent["received_at"].get<double>(), last_read - 0.8) << "the upload waited for every part";
    expect_parts_are_the_layers(sent, 5, job.get());
    EXPECT_NE(host_.all_messages().find("Uploading layer.png"), std::string::npos) << host_.all_messages();
    EXPECT_NE(host_.all_messages().find("reference-4.png"), std::string::npos)
        << "the progress text names the parts encoded during the upload too: " << host_.all_messages();
}

// The host fails to give a reference while the first parts are already going up: the job
// fails with the host's error, the body is cut short (no whole request reaches the gateway,
// nothing is billed) and the runner does not stay.
TEST_F(RunnerJobTest, AReferenceTheHostCannotReadStopsTheUploadAndNothingWholeIsSent) {
    options_ = references_edit(host_, 5, 320, 240);
    host_.read_layer_delay_ms = 300;
    host_.fail_read_layer = 4;
    auto c = helper_client("openai", "");
    pictor_host table = host_.table();
    pictor_job *raw = nullptr;
    EXPECT_NE(pictor_job_start(c.get(), &table, &options_, &raw), PICTOR_OK);
    EXPECT_EQ(raw, nullptr);
    const std::string message = pictor_client_last_error(c.get())->message;
    EXPECT_NE(message.find("layer 4"), std::string::npos) << message;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_TRUE(mock().api_requests().empty()) << mock().api_requests().dump().substr(0, 1000);
    expect_no_runner_within(10);
    EXPECT_TRUE(history().empty());
}

// kill -9 of the host while it is still encoding its parts: no whole request reaches the
// gateway (nothing is billed) and no runner is left. On a route that waits for every part the
// runner sends nothing; on one that takes chunked bodies it has begun, and cuts the body short.
class RunnerKilledWhileEncodingTest : public RunnerJobTest, public ::testing::WithParamInterface<const char *> {};

TEST_P(RunnerKilledWhileEncodingTest, AHostKilledWhileEncodingSendsNothingWholeAndLeavesNoRunner) {
    MemoryHost big(2048, 2048);
    options_ = references_edit(big, 12, 2048, 2048);
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const pid_t host_process = fork();
    ASSERT_GE(host_process, 0);
    if (host_process == 0) { // the host: start the job and wait for it
        close(ready[0]);
        pictor::client_ptr c = helper_client(GetParam(), "");
        pictor_host table = big.table();
        pictor_job *raw = nullptr;
        (void)!write(ready[1], "s", 1); // pictor_job_start reads and encodes the layers
        if (pictor_job_start(c.get(), &table, &options_, &raw) == PICTOR_OK)
            pictor_job_wait(raw);
        _exit(3);
    }
    close(ready[1]);
    char byte = 0;
    ASSERT_EQ(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // encoding, nothing whole sent yet
    const bool sent_before_kill = !mock().api_requests().empty();
    kill(host_process, SIGKILL);
    int status = 0;
    waitpid(host_process, &status, 0);
    ASSERT_FALSE(sent_before_kill) << "the layers were encoded before the kill: the test proves nothing";
    ASSERT_TRUE(WIFSIGNALED(status));
    std::this_thread::sleep_for(std::chrono::seconds(3));
    EXPECT_TRUE(mock().api_requests().empty()) << mock().api_requests().dump().substr(0, 1000);
    EXPECT_TRUE(runners().empty()) << "a runner was left";
    EXPECT_TRUE(history().empty());
}

INSTANTIATE_TEST_SUITE_P(Routes, RunnerKilledWhileEncodingTest, ::testing::Values("apiyi", "openai"),
                         [](const ::testing::TestParamInfo<const char *> &info) { return std::string(info.param); });

} // namespace
} // namespace pictor_test
