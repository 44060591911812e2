// The money path's first rule, step by step: the bytes the gateway sent are in history, byte
// for byte, before decoding; a history that cannot keep them says so clearly; a decode that
// fails (or is cancelled) afterwards leaves those exact bytes there and names the file.
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "api/paid_image.hpp"
#include "api_test_support.hpp"
#include "../store/store_test_support.hpp"

namespace pictor::apitest {
namespace {

using pictor::storetest::TempDir;

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

HistorySidecar asked(const std::string &request_id) {
    HistorySidecar sidecar;
    sidecar.prompt = "a lighthouse";
    sidecar.profile = "openai";
    sidecar.request_id = request_id;
    sidecar.index = 1;
    return sidecar;
}

// A PNG whose header reads 64x48 but whose pixel data is cut off: it probes, it never decodes.
std::string truncated_png() {
    std::string whole = png(64, 48);
    return whole.substr(0, whole.size() / 2);
}

TEST(PaidImage, SaveKeepsTheExactBytesAndWhatTheHeaderSays) {
    TempDir dir;
    HistoryStore store(dir / "history");
    const std::string bytes = png(40, 24);
    KeptImage kept = save_to_history(store, bytes, asked("req_keep"), ImageSize{1024, 1024});
    EXPECT_EQ(kept.format, ImageFormat::png);
    ASSERT_FALSE(kept.history_path.empty());
    EXPECT_EQ(slurp(kept.history_path), bytes);
    const std::string sidecar_path = kept.history_path.substr(0, kept.history_path.rfind('.')) + ".json";
    nlohmann::json sidecar = nlohmann::json::parse(slurp(sidecar_path));
    EXPECT_EQ(sidecar["size"], "40x24") << "the size the bytes declare, not the one asked";
    EXPECT_EQ(sidecar["format"], "png");
    EXPECT_EQ(sidecar["request_id"], "req_keep");
    EXPECT_EQ(sidecar["prompt"], "a lighthouse");
}

TEST(PaidImage, AHistoryThatCannotWriteIsAClearErrorAndKeepsNothing) {
    TempDir dir;
    std::ofstream(dir / "not-a-folder") << "x";
    HistoryStore store(dir / "not-a-folder/history");
    Error e = catch_error([&] { save_to_history(store, png(), asked("req_lost"), ImageSize{}); });
    EXPECT_KIND(e, ErrorKind::io);
    EXPECT_TRUE(e.info().request_sent);
    EXPECT_TRUE(e.info().may_be_billed) << "the image arrived: the gateway has billed it";
    EXPECT_EQ(e.info().request_id, "req_lost");
    EXPECT_NE(std::string(e.what()).find("history could not keep it"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("history_dir"), std::string::npos) << "says what to do: " << e.what();
}

TEST(PaidImage, ADecodeThatFailsAfterSavingLeavesTheExactBytesInHistory) {
    TempDir dir;
    HistoryStore store(dir / "history");
    const std::string bytes = truncated_png();
    KeptImage kept = save_to_history(store, bytes, asked("req_broken"), ImageSize{});
    ReceivedImage image;
    image.encoded = bytes;
    image.history_path = kept.history_path;
    image.request_id = "req_broken";
    std::optional<ErrorInfo> failure = decode_kept_image(image, DecodeLimits{}, 1);
    ASSERT_TRUE(failure.has_value()) << "a truncated PNG does not decode";
    EXPECT_STREQ(error_kind_name(failure->kind), error_kind_name(ErrorKind::bad_response));
    EXPECT_TRUE(failure->may_be_billed);
    EXPECT_EQ(failure->history_path, kept.history_path);
    EXPECT_NE(failure->message.find(kept.history_path), std::string::npos) << failure->message;
    EXPECT_EQ(slurp(kept.history_path), bytes) << "byte for byte as received";
}

TEST(PaidImage, ACancelledDecodeSaysWhereTheImageIsKept) {
    TempDir dir;
    HistoryStore store(dir / "history");
    const std::string bytes = png(64, 64);
    KeptImage kept = save_to_history(store, bytes, asked("req_cancel"), ImageSize{});
    ReceivedImage image;
    image.encoded = bytes;
    image.history_path = kept.history_path;
    std::atomic<bool> cancel{true};
    DecodeLimits limits;
    limits.cancel = &cancel;
    Error e = catch_error([&] { decode_kept_image(image, limits, 1); });
    EXPECT_KIND(e, ErrorKind::cancelled);
    EXPECT_EQ(e.info().history_path, kept.history_path);
    EXPECT_NE(std::string(e.what()).find(kept.history_path), std::string::npos) << e.what();
    EXPECT_EQ(slurp(kept.history_path), bytes);
}

TEST(PaidImage, AGoodImageDecodesAfterItIsKept) {
    TempDir dir;
    HistoryStore store(dir / "history");
    ReceivedImage image;
    image.encoded = png(20, 10);
    image.history_path = save_to_history(store, image.encoded, asked(""), ImageSize{}).history_path;
    EXPECT_FALSE(decode_kept_image(image, DecodeLimits{}, 1).has_value());
    EXPECT_EQ(image.rgba.width, 20u);
    EXPECT_EQ(image.rgba.height, 10u);
}

} // namespace
} // namespace pictor::apitest
