// pictor generate against the mock: files, names, formats, JSON, exit statuses.
#include <gtest/gtest.h>

#include <pictor/pictor.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

TEST_F(PictorCli, GenerateWritesTheServedImageExactly) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a red cat", "-o", out("cat.png")} +
                             route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, out("cat.png") + "\n");

    std::string bytes = read_file(out("cat.png"));
    pictor_image *image = nullptr;
    ASSERT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), 0,
                                  &image),
              PICTOR_OK);
    EXPECT_GT(pictor_image_width(image), 0u);
    EXPECT_GT(pictor_image_height(image), 0u);
    pictor_image_free(image);

    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    ASSERT_EQ(log[0]["images"].size(), 1u);
    EXPECT_EQ(sha256_of_file(out("cat.png")), log[0]["images"][0]["sha256"]);
    EXPECT_EQ(output_folder_names(), std::vector<std::string>{"cat.png"});
}

TEST_F(PictorCli, VariationsOnAOneImageRouteFanOutAndAreNumbered) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-n", "3", "-o",
                                                      out("cat.png")} + route("apiyi"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, out("cat-1.png") + "\n" + out("cat-2.png") + "\n" + out("cat-3.png") + "\n");
    EXPECT_EQ(output_folder_names(), (std::vector<std::string>{"cat-1.png", "cat-2.png", "cat-3.png"}));

    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 3u);
    std::vector<std::string> served;
    for (const json &entry : log) {
        EXPECT_EQ(entry["status"], 200);
        for (const json &image : entry["images"]) served.push_back(image["sha256"]);
    }
    for (const char *name : {"cat-1.png", "cat-2.png", "cat-3.png"})
        EXPECT_NE(std::find(served.begin(), served.end(), sha256_of_file(out(name))), served.end())
            << name << " is not an image the mock served";
}

TEST_F(PictorCli, JsonSuccessHasEveryField) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--json", "-o",
                                                      out("cat.png")} + route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json result = single_json_object(r.out);

    ASSERT_TRUE(result["files"].is_array());
    EXPECT_EQ(result["files"], json::array({out("cat.png")}));
    ASSERT_TRUE(result["history"].is_array());
    ASSERT_EQ(result["history"].size(), 1u);
    ASSERT_TRUE(result["history"][0].is_string());
    const std::string history = result["history"][0];
    EXPECT_EQ(history.rfind(history_dir(), 0), 0u) << history << " is outside PICTOR_HISTORY_DIR";
    EXPECT_TRUE(file_exists(history));
    EXPECT_EQ(result["profile"], "openai");
    EXPECT_EQ(result["model"], "gpt-image-2");
    EXPECT_TRUE(result["size"].is_string());
    EXPECT_TRUE(result["usage"].is_object());
    ASSERT_TRUE(result["request_ids"].is_array());
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(result["request_ids"], json::array({log[0]["request_id"]}));
    EXPECT_TRUE(result["cost_usd_estimate"].is_number());
    EXPECT_TRUE(result["timings_ms"].is_object());
    // --json means no progress line: stderr stays quiet on success.
    EXPECT_EQ(r.err, "");
}

TEST_F(PictorCli, JsonFailureForABadKey) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--json", "-o",
                                                      out("cat.png")} + route("openai", "status=401"));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    json result = single_json_object(r.out);
    ASSERT_TRUE(result["error"].is_object()) << r.out;
    const json &error = result["error"];
    EXPECT_EQ(error["kind"], "auth");
    EXPECT_EQ(error["status"], 401);
    EXPECT_EQ(error["code"], "invalid_api_key");
    EXPECT_TRUE(error["message"].is_string());
    EXPECT_FALSE(error["message"].get<std::string>().empty());
    EXPECT_EQ(error["request_id"], mock_->api_requests()[0]["request_id"]);
    EXPECT_FALSE(file_exists(out("cat.png")));
}

TEST_F(PictorCli, JsonFailureForModeration) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--json", "-o", out("cat.png")} +
                             route("openai", "status=403,code=moderation_blocked"));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    json error = single_json_object(r.out)["error"];
    EXPECT_EQ(error["kind"], "moderation_blocked");
    EXPECT_EQ(error["status"], 403);
    EXPECT_EQ(error["code"], "moderation_blocked");
    EXPECT_EQ(error["may_be_billed"], false);
}

TEST_F(PictorCli, FailureWithoutJsonIsOneLineOnStderr) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-o", out("cat.png")} +
                             route("openai", "status=401"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    // Besides the progress lines, one line: what happened and what to do about it.
    std::vector<std::string> lines = message_lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind("pictor: ", 0), 0u) << r.err;
    EXPECT_NE(lines[0].find("PICTOR_API_KEY"), std::string::npos) << r.err;
    EXPECT_TRUE(output_folder_names().empty());
}

TEST_F(PictorCli, TimeoutAfterSendingSaysItMayBeBilled) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--timeout", "1", "-o",
                                                      out("cat.png")} + route("openai", "delay=5"));
    EXPECT_EQ(r.exit_code, 1);
    std::vector<std::string> lines = message_lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(occurrences(lines[0], "may still be billed"), 1u) << r.err;
    EXPECT_TRUE(output_folder_names().empty());
}

TEST_F(PictorCli, MissingKeyExitsTwoAndSendsNothing) {
    ProcessResult r = pictor_without_key(std::vector<std::string>{"generate", "a cat", "-o",
                                                                  out("cat.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("PICTOR_API_KEY"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
    EXPECT_FALSE(file_exists(out("cat.png")));
}

TEST_F(PictorCli, SizeTheRouteRejectsExitsTwoAndSendsNothing) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--size", "1000x1000", "-o",
                                                      out("cat.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("1000x1000"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorCli, ConvertsToTheFormatTheExtensionNames) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--format", "png", "-o",
                                                      out("cat.jpg")} + route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["json"]["output_format"], "png");
    EXPECT_EQ(log[0]["images"][0]["format"], "png");

    std::string bytes = read_file(out("cat.jpg"));
    ASSERT_GE(bytes.size(), 3u);
    EXPECT_EQ(bytes.substr(0, 3), std::string("\xFF\xD8\xFF", 3));
    pictor_image *image = nullptr;
    ASSERT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), 0,
                                  &image),
              PICTOR_OK);
    EXPECT_STREQ(pictor_image_format(image), "jpeg");
    pictor_image_free(image);
}

TEST_F(PictorCli, UnknownExtensionIsRefusedBeforeSending) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-o", out("cat.image")} +
                             route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(".png"), std::string::npos) << "names the extensions it knows: " << r.err;
    EXPECT_TRUE(mock_->api_requests().empty());
}

TEST_F(PictorCli, SomeVariationsFailingWritesTheOthersAndExitsOne) {
    // The route makes one image per request; the first of the two requests is refused.
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-n", "2", "-o", out("cat.png")} +
                             route("apiyi", "status=400,times=1"));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, out("cat-1.png") + "\n");
    EXPECT_EQ(output_folder_names(), std::vector<std::string>{"cat-1.png"});
    EXPECT_NE(r.err.find("only 1 of 2"), std::string::npos) << r.err;
}

TEST_F(PictorCli, MissingOutputFolderExitsTwoBeforeSending) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-o",
                                                      out("no/such/folder/cat.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorCli, VerboseTracesWithoutTheKey) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--verbose", "-o",
                                                      out("cat.png")} + route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The trace names the request; the key check itself runs on every pictor() call.
    EXPECT_NE(r.err.find("images/generations"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pictor: trace: "), std::string::npos) << r.err;
}

TEST_F(PictorCli, ProgressIsRedrawnInPlaceOnATerminal) {
    ProcessResult r = run_process(command_line(std::vector<std::string>{"generate", "a cat", "-o",
                                                                        out("cat.png")} +
                                               route("openai", "delay=1")),
                                  environment(true), 60, StderrKind::terminal);
    expect_key_not_in(r);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, out("cat.png") + "\n");
    ASSERT_NE(r.err.find("\rpictor: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("waiting for the server"), std::string::npos) << r.err;
    // The cost estimate first, on its own line; then one line redrawn, never scrolled, and
    // erased at the end.
    const std::string estimate = "pictor: about $";
    ASSERT_EQ(r.err.compare(0, estimate.size(), estimate), 0) << r.err;
    const std::string live = r.err.substr(r.err.find('\n') + 1);
    EXPECT_EQ(live.find('\n'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.back(), '\r');
}

TEST_F(PictorCli, ProgressIsALinePerPhaseIntoAPipe) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-o", out("cat.png")} +
                             route("openai", "delay=1"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
    // About four ticks a second while waiting, but the phase changed once: one line for it.
    size_t first = r.err.find("waiting for the server");
    ASSERT_NE(first, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("waiting for the server", first + 1), std::string::npos) << r.err;
}

} // namespace
} // namespace pictor_test
