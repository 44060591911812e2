// An edit whose later parts are still being encoded when it starts (references encoded one by
// one on the host's thread), sent to the mock gateway over real HTTP:
// - on a route that takes a body of unknown length (openai: edits.chunked_upload), the first
//   parts go up while the last is still being written, and the gateway gets the same parts as
//   when everything was whole first;
// - a 411 (Length Required) gets the edit once more, with its length, billed once;
// - on a route that does not (apiyi), nothing goes out until every part is whole, with a
//   Content-Length;
// - a part abandoned mid-way (the encode failed, the host went away) leaves the gateway without
//   a whole request: nothing is billed, and on a route that waits, nothing is sent at all.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "api/image_client.hpp"
#include "error.hpp"
#include "image/image_encode.hpp"
#include "image_test_support.hpp"
#include "mock_gateway_process.hpp"

namespace pictor {
namespace {

using Clock = std::chrono::system_clock;

// A thread joined when it goes out of scope, also when the request under test threw.
struct Joined {
    std::thread thread;
    ~Joined() {
        if (thread.joinable())
            thread.join();
    }
};

double now_s() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

std::string png_of(uint32_t width, uint32_t height, bool variant) {
    const std::vector<uint8_t> bytes = encode_image(test::make_pattern(width, height, variant), ImageFormat::png);
    return std::string(bytes.begin(), bytes.end());
}

class StreamedUpload : public ::testing::Test {
protected:
    static void SetUpTestSuite() { mock_ = new pictor_test::MockGatewayProcess(); }
    static void TearDownTestSuite() {
        delete mock_;
        mock_ = nullptr;
    }
    void SetUp() override {
        mock_->reset();
        char dir[] = "/tmp/pictor-streamed-upload-XXXXXX";
        ASSERT_NE(mkdtemp(dir), nullptr);
        dir_ = dir;
        first_ = png_of(96, 64, false);
        later_ = png_of(96, 64, true);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<ImageClient> client(const std::string &profile, const std::string &scenario = "") {
        ClientOptions options;
        options.use_environment = false;
        options.profile_dir = PICTOR_PROFILES_DIR;
        options.settings.profile = profile;
        options.settings.base_url = mock_->base_url(profile, scenario);
        options.settings.api_key = "sk-test-streamed-upload";
        options.settings.history_dir = dir_ + "/history";
        return std::make_unique<ImageClient>(options);
    }

    // The first image whole; the second written by `writer` (on another thread, as the host's
    // thread encodes while the worker sends).
    ImageRequest request_with_pending(std::shared_ptr<net::PartSpool> &pending) {
        ImageRequest request;
        request.prompt = "blend them";
        InputImage whole;
        whole.filename = "layer.png";
        whole.spool = net::PartSpool::create();
        whole.spool->append(first_.data(), first_.size());
        whole.spool->seal();
        request.images.push_back(whole);
        InputImage later;
        later.spool = pending = net::PartSpool::create();
        request.images.push_back(later);
        return request;
    }

    // Writes the second part half now, the rest after `delay_ms`, then seals it; *sealed_at
    // says when (wall clock). Joined when it goes out of scope, even when the request threw.
    Joined write_later(const std::shared_ptr<net::PartSpool> &pending, int delay_ms, double *sealed_at) {
        return Joined{std::thread([this, pending, delay_ms, sealed_at] {
            pending->append(later_.data(), later_.size() / 2);
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
            pending->append(later_.data() + later_.size() / 2, later_.size() - later_.size() / 2);
            *sealed_at = now_s();
            pending->seal("reference-1.png", "image/png");
        })};
    }

    // Runs the edit whose second part is sealed `delay_ms` after it starts; returns the mock's
    // log of it, checked to have brought one image; *sealed_at says when the part was sealed.
    nlohmann::json run_with_later_part(const std::string &profile, const std::string &scenario, int delay_ms,
                                       double *sealed_at) {
        auto c = client(profile, scenario);
        std::shared_ptr<net::PartSpool> pending;
        ImageRequest request = request_with_pending(pending);
        Joined writer = write_later(pending, delay_ms, sealed_at);
        const ImageResult result = c->run(request, true);
        writer.thread.join();
        EXPECT_EQ(result.images.size(), 1u);
        return mock_->api_requests();
    }

    void expect_parts_as_written(const nlohmann::json &entry) {
        const nlohmann::json files = entry.value("files", nlohmann::json::array());
        ASSERT_EQ(files.size(), 2u) << entry.dump().substr(0, 1500);
        EXPECT_EQ(files[0]["filename"], "layer.png");
        EXPECT_EQ(files[1]["filename"], "reference-1.png");
        EXPECT_EQ(files[1]["content_type"], "image/png");
        EXPECT_EQ(mock_->get(files[0]["fetch"].get<std::string>()), first_);
        EXPECT_EQ(mock_->get(files[1]["fetch"].get<std::string>()), later_) << "the later part arrived changed";
    }

    static pictor_test::MockGatewayProcess *mock_;
    std::string dir_, first_, later_;
};

pictor_test::MockGatewayProcess *StreamedUpload::mock_ = nullptr;

TEST_F(StreamedUpload, ARouteTakingChunkedBodiesGetsTheFirstPartsWhileTheLastIsWritten) {
    double sealed_at = 0;
    const nlohmann::json log = run_with_later_part("openai", "", 1500, &sealed_at);
    ASSERT_EQ(log.size(), 1u) << log.dump().substr(0, 1500);
    const nlohmann::json &entry = log[0];
    EXPECT_EQ(entry["status"], 200);
    EXPECT_EQ(entry["headers"].value("transfer-encoding", ""), "chunked");
    EXPECT_FALSE(entry["headers"].contains("content-length"));
    // The overlap itself: the request began a second and more before its last part was whole.
    EXPECT_LT(entry["received_at"].get<double>(), sealed_at - 1.0);
    EXPECT_GE(entry["body_read_at"].get<double>(), sealed_at);
    expect_parts_as_written(entry);
}

TEST_F(StreamedUpload, A411GetsTheEditOnceMoreWithItsLengthAndItIsBilledOnce) {
    double sealed_at = 0;
    const nlohmann::json log = run_with_later_part("openai", "length_required=1", 300, &sealed_at);
    ASSERT_EQ(log.size(), 2u) << log.dump().substr(0, 1500);
    EXPECT_EQ(log[0]["status"], 411);
    EXPECT_EQ(log[0]["headers"].value("transfer-encoding", ""), "chunked");
    EXPECT_EQ(log[0].value("billed_images", 0), 0);
    EXPECT_EQ(log[1]["status"], 200);
    EXPECT_FALSE(log[1]["headers"].contains("transfer-encoding"));
    EXPECT_TRUE(log[1]["headers"].contains("content-length"));
    EXPECT_EQ(log[1].value("billed_images", 0), 1);
    expect_parts_as_written(log[1]);
}

TEST_F(StreamedUpload, ARouteWithoutChunkedBodiesGetsNothingUntilEveryPartIsWhole) {
    double sealed_at = 0;
    const nlohmann::json log = run_with_later_part("apiyi", "", 1000, &sealed_at);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_GE(log[0]["received_at"].get<double>(), sealed_at) << "sent before its length was known";
    EXPECT_FALSE(log[0]["headers"].contains("transfer-encoding"));
    EXPECT_FALSE(log[0]["headers"].value("content-length", "").empty());
    expect_parts_as_written(log[0]);
}

// The host's encode fails (or the host goes away) after the first part went up.
void expect_nothing_billed(ImageClient &client, ImageRequest &request, const std::shared_ptr<net::PartSpool> &pending) {
    Joined writer{std::thread([pending] {
        pending->append("not a whole image", 17);
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        pending->abandon();
    })};
    try {
        client.run(request, true);
        FAIL() << "a request with an abandoned part was answered";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::io) << e.what();
        EXPECT_FALSE(e.info().may_be_billed) << e.what();
        EXPECT_NE(std::string(e.what()).find("nothing was billed"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("TMPDIR"), std::string::npos) << "not a disk problem: " << e.what();
    }
    writer.thread.join();
}

TEST_F(StreamedUpload, AnAbandonedPartCutsTheChunkedBodyAndNothingIsBilled) {
    auto c = client("openai", "delay=0");
    std::shared_ptr<net::PartSpool> pending;
    ImageRequest request = request_with_pending(pending);
    expect_nothing_billed(*c, request, pending);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the mock sees the connection close
    for (const auto &entry : mock_->api_requests()) {
        EXPECT_TRUE(entry.value("files", nlohmann::json::array()).empty()) << "the mock read a whole body";
        EXPECT_EQ(entry.value("billed_images", 0), 0);
    }
}

TEST_F(StreamedUpload, AnAbandonedPartOnARouteThatWaitsSendsNothingAtAll) {
    auto c = client("apiyi");
    std::shared_ptr<net::PartSpool> pending;
    ImageRequest request = request_with_pending(pending);
    expect_nothing_billed(*c, request, pending);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(mock_->requests().empty()) << mock_->requests().dump().substr(0, 1000);
}

} // namespace
} // namespace pictor
