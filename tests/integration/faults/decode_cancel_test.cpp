// Cancel reaches a decode that is already running, not only the transfer: an answer whose image
// takes seconds to decode returns cancelled within a fraction of that, and the paid bytes stay
// in history.
#include "fault_fixture.hpp"
#include "scripted_server.hpp"

#include "libjpeg_writer.hpp"

#include <atomic>
#include <random>
#include <thread>

namespace pictor_test {
namespace {

using DecodeCancel = FaultTest;

// A grey progressive JPEG of noise with a scan for every bit of every coefficient: 384 scans
// (under the decoder's 500-scan limit), each a pass over the whole image, so decoding it takes
// seconds while the file stays a few MiB. Written with libjpeg directly, not with pictor.
std::string many_scan_jpeg(uint32_t width, uint32_t height) {
    std::vector<jpeg_scan_info> scans;
    for (int al = 5; al >= 0; --al) scans.push_back({1, {0}, 0, 0, al == 5 ? 0 : al + 1, al});
    for (int k = 1; k < 64; ++k)
        for (int al = 5; al >= 0; --al) scans.push_back({1, {0}, k, k, al == 5 ? 0 : al + 1, al});
    std::vector<uint8_t> noise(size_t(width) * height);
    std::mt19937 random(11);
    for (auto &v : noise) v = uint8_t(random());
    const std::vector<uint8_t> bytes =
        pictor_test_jpeg::libjpeg_encode(noise, width, height, 1, JCS_GRAYSCALE, false, scans);
    return std::string(bytes.begin(), bytes.end());
}

// The answer names a URL on the same server, which then serves the image: fetched whole, the
// image is decoded after the transfer, in one call.
struct UrlGateway {
    explicit UrlGateway(const std::string &image)
        : server([this, image](ScriptedConnection &c) {
              std::string head;
              while (c.read_request(&head)) {
                  if (head.rfind("GET ", 0) == 0) {
                      c.send(http_response(200, image, "image/jpeg"));
                  } else {
                      const std::string url = server.base_url() + "/files/slow.jpg";
                      c.send(http_response(200, "{\"created\":1,\"data\":[{\"url\":\"" + url + "\"}]}",
                                           "application/json", "x-request-id: req-slow-decode\r\n"));
                  }
              }
          }) {}
    ScriptedServer server;
};

TEST_F(DecodeCancel, ALongDecodeStopsAtOnceAndThePaidImageStaysInHistory) {
    // The whole decode, timed with nothing to stop it; on a fast machine a larger image (up to
    // 57 Mpx, under the 64 Mpx limit), so that a cancelled decode is told from a finished one.
    std::string jpeg;
    double full_decode_s = 0;
    for (uint32_t side : {4096u, 5792u, 7552u}) {
        jpeg = many_scan_jpeg(side, side);
        const double start = now_seconds();
        pictor_image *decoded = nullptr;
        ASSERT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(jpeg.data()), jpeg.size(), 0, &decoded),
                  PICTOR_OK)
            << pictor_thread_last_error()->message;
        full_decode_s = now_seconds() - start;
        pictor_image_free(decoded);
        std::printf("the image: %ux%u, %zu bytes, a full decode takes %.2f s\n", side, side, jpeg.size(), full_decode_s);
        if (full_decode_s > 2.0) break;
    }
    ASSERT_GT(full_decode_s, 1.2) << "too fast to tell a cancelled decode from a finished one";

    UrlGateway gateway(jpeg);
    RunOptions options;
    options.base_url = gateway.server.base_url();
    options.max_retries = 0;
    std::atomic<bool> decoding{false};
    std::atomic<double> cancelled_at{0};
    options.on_progress = [&](const pictor_progress &p) {
        if (p.phase == PICTOR_PHASE_DECODING) decoding = true;
        return 0;
    };
    options.beside = [&](pictor_client *client) {
        const double deadline = now_seconds() + 60;
        while (!decoding && now_seconds() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // well into the decode
        cancelled_at = now_seconds();
        pictor_client_cancel(client);
    };
    Outcome o = run("openai", "", options);
    ASSERT_TRUE(decoding) << o.message;
    const double after_cancel = now_seconds() - cancelled_at;
    std::printf("returned %.3f s after the cancel\n", after_cancel);
    EXPECT_EQ(o.status, PICTOR_ERR_CANCELLED) << o.message;
    EXPECT_LT(after_cancel, std::min(0.5, full_decode_s / 4)) << "the decode ran on after the cancel";
    EXPECT_TRUE(o.may_be_billed);
    EXPECT_EQ(o.request_id, "req-slow-decode");
    // The paid bytes, as sent, in history, and named.
    ASSERT_FALSE(o.error_history_path.empty()) << o.message;
    EXPECT_EQ(read_file(o.error_history_path), jpeg);
    EXPECT_NE(o.message.find(o.error_history_path), std::string::npos) << o.message;
}

} // namespace
} // namespace pictor_test
