// Answers that break on the way or arrive unusable: typed errors, nothing re-sent, no partial
// output, and any image bytes that did arrive kept in history (they were paid for).
#include "fault_fixture.hpp"

#include <filesystem>

namespace pictor_test {
namespace {

using BrokenAnswers = FaultTest;

TEST_F(BrokenAnswers, ConnectionDroppedMidBodyIsNotRetriedAndLeavesNoPartialFile) {
    Outcome o = run("openai", "drop=body");
    EXPECT_EQ(o.status, PICTOR_ERR_NETWORK) << o.message;
    EXPECT_EQ(o.api_requests.size(), 1u) << "the request was sent: a re-send could bill twice";
    EXPECT_TRUE(o.may_be_billed);
    EXPECT_NE(o.message.find("bill"), std::string::npos) << o.message;
    EXPECT_TRUE(history_files().empty()) << "half an answer is not an image";

    // The same through the command line: -o is never created, not even half of it.
    std::filesystem::create_directories(dir_ + "/out");
    mock().reset();
    ProcessResult cli = pictor_cli({"generate", "a dropped answer", "-o", dir_ + "/out/cat.png", "--profile",
                                    "openai", "--base-url", mock().base_url("openai", "drop=body")});
    EXPECT_EQ(cli.exit_code, 1) << cli.err;
    EXPECT_TRUE(std::filesystem::is_empty(dir_ + "/out")) << "no partial or temporary file";
    EXPECT_EQ(mock().api_requests().size(), 1u);
}

TEST_F(BrokenAnswers, MalformedJsonIsABadResponse) {
    for (const char *scenario : {"malformed=1", "not_json=1"}) {
        Outcome o = run("openai", scenario);
        EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << scenario << ": " << o.message;
        EXPECT_EQ(o.api_requests.size(), 1u) << scenario;
        EXPECT_TRUE(o.may_be_billed) << "a 200 came back: the image may have been generated";
        EXPECT_TRUE(history_files().empty());
    }
}

TEST_F(BrokenAnswers, TruncatedBase64IsABadResponse) {
    Outcome o = run("openai", "b64=truncated");
    EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << o.message;
    EXPECT_NE(o.message.find("base64"), std::string::npos) << o.message;
    EXPECT_EQ(o.api_requests.size(), 1u);
    EXPECT_TRUE(history_files().empty());
}

TEST_F(BrokenAnswers, CorruptPngJpegAndWebpAreRefusedButKeptInHistory) {
    for (const char *format : {"png", "jpeg", "webp"}) {
        std::filesystem::remove_all(history_dir_);
        Outcome o = run("openai", std::string("corrupt=1,format=") + format);
        EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << format << ": " << o.message;
        EXPECT_EQ(o.api_requests.size(), 1u) << format;
        EXPECT_TRUE(o.may_be_billed) << format;
        ASSERT_EQ(history_files().size(), 2u) << format << ": the paid bytes and their sidecar";
        EXPECT_NE(o.message.find(history_dir_), std::string::npos) << "says where they are: " << o.message;
        // Kept exactly as served.
        std::string served = o.api_requests[0]["images"][0]["sha256"];
        bool found = false;
        for (const auto &path : history_files())
            found |= path.find(".json") == std::string::npos && sha256_hex(read_file(path)) == served;
        EXPECT_TRUE(found) << format;
    }
}

TEST_F(BrokenAnswers, PngSuiteCorruptFilesAreRefusedAsBadResponses) {
    std::vector<std::string> names;
    for (const auto &entry : std::filesystem::directory_iterator(PICTOR_TEST_DATA_DIR "/pngsuite/png")) {
        std::string name = entry.path().filename().string();
        if (name[0] == 'x' && entry.path().extension() == ".png") names.push_back(name);
    }
    ASSERT_GE(names.size(), 14u) << "PngSuite's x*.png files";
    for (const auto &name : names) {
        Outcome o = run("openai", "fixture=" + name);
        EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << name << ": " << o.message;
        EXPECT_EQ(o.images, 0u) << name;
        EXPECT_EQ(o.api_requests.size(), 1u) << name;
    }
}

TEST_F(BrokenAnswers, EndlessChunkedBodyIsCutAtTheCap) {
    RunOptions options;
    options.max_response_bytes = 4u << 20;
    Outcome o = run("openai", "endless=1", options);
    EXPECT_EQ(o.status, PICTOR_ERR_TOO_LARGE) << o.message;
    EXPECT_LT(o.seconds, 20.0) << "cut at 4 MiB, not at the mock's 60 s";
    EXPECT_EQ(o.api_requests.size(), 1u);
    EXPECT_NE(o.message.find("max_response_bytes"), std::string::npos) << "says how to raise it: " << o.message;
    EXPECT_TRUE(history_files().empty());
    uint64_t received = 0;
    for (const auto &p : o.progress) received = std::max<uint64_t>(received, p.bytes_received);
    EXPECT_LE(received, 4u << 20) << "nothing kept past the cap";
}

TEST_F(BrokenAnswers, ImageUrlThatAnswers404IsReportedWithItsUrl) {
    Outcome o = run("openai", "response=url,url_status=404");
    EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << o.message;
    EXPECT_TRUE(o.may_be_billed) << "the image was generated";
    EXPECT_NE(o.message.find("/_mock/files/"), std::string::npos) << "the user can fetch it: " << o.message;
    EXPECT_NE(o.message.find("404"), std::string::npos) << o.message;
    EXPECT_EQ(o.api_requests.size(), 1u) << "the paid request is not re-sent";
    EXPECT_TRUE(history_files().empty());
    for (const auto &entry : mock().requests())
        if (entry.value("endpoint", "") == "file") {
            EXPECT_TRUE(entry["authorization"].is_null()) << "the key never goes to the image host";
        }
}

// The limits are configurable without code, for every host: the environment (or config file)
// reaches the CLI the same way it reaches GIMP and OBS.
TEST_F(BrokenAnswers, LimitsFromTheEnvironmentApplyToTheCommandLine) {
    ProcessResult capped = pictor_cli({"generate", "capped", "-o", dir_ + "/capped.png", "--profile", "openai",
                                       "--base-url", mock().base_url("openai", "endless=1")},
                                      true, {"PICTOR_MAX_RESPONSE_BYTES=2000000"});
    EXPECT_EQ(capped.exit_code, 1) << capped.err;
    EXPECT_NE(capped.err.find("max_response_bytes"), std::string::npos) << capped.err;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/capped.png"));

    mock().reset();
    ProcessResult no_retry = pictor_cli({"generate", "no retry", "-o", dir_ + "/none.png", "--profile", "openai",
                                         "--base-url", mock().base_url("openai", "status=503")},
                                        true, {"PICTOR_MAX_RETRIES=0"});
    EXPECT_EQ(no_retry.exit_code, 1) << no_retry.err;
    EXPECT_EQ(mock().api_requests().size(), 1u) << "PICTOR_MAX_RETRIES=0: a 503 is not retried";

    ProcessResult bad = pictor_cli({"generate", "bad", "-o", dir_ + "/bad.png", "--profile", "openai",
                                    "--base-url", mock().base_url("openai")},
                                   true, {"PICTOR_MAX_PIXELS=many"});
    EXPECT_EQ(bad.exit_code, 2) << "a bad setting is the user's to fix: " << bad.err;
    EXPECT_NE(bad.err.find("PICTOR_MAX_PIXELS"), std::string::npos) << bad.err;
}

} // namespace
} // namespace pictor_test
