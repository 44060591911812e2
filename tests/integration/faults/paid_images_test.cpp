// A paid image is never lost: kept in history the moment it arrives (whatever happens to the
// other parallel requests, the process or the connection afterwards), and odd or broken parts
// of an answer around a good image never cost that image.
#include "fault_fixture.hpp"
#include "scripted_server.hpp"

#include <signal.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

namespace pictor_test {
namespace {

using PaidImages = FaultTest;

std::string sse_event(const std::string &name, const std::string &data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
}

const char *kStreamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nx-request-id: req-sse\r\n\r\n";

// Every request of a test gets the same script; `answer` writes the reply.
struct OneAnswerServer {
    explicit OneAnswerServer(std::function<void(ScriptedConnection &)> answer)
        : server([answer](ScriptedConnection &c) {
              if (c.read_request()) answer(c);
          }) {}
    ScriptedServer server;
};

// Two variations on a one-image route: the first is answered at once, the second never.
struct HalfAnsweredServer {
    std::string png = encode_picture(16, 8, "png");
    std::atomic<int> served{0};
    ScriptedServer server{[this](ScriptedConnection &c) {
        if (!c.read_request()) return;
        if (served++ == 0) {
            c.send(http_response(200, image_answer(png), "application/json", "x-request-id: req-first\r\n"));
            return;
        }
        c.wait_for_close(120); // generating forever
    }};
};

class VariationsInterrupted : public FaultTest {
protected:
    // Starts `pictor generate -n 2` and waits until the first image is in history.
    std::unique_ptr<ChildProcess> start_until_first_image(HalfAnsweredServer &gateway) {
        auto child = std::make_unique<ChildProcess>(
            std::vector<std::string>{PICTOR_CLI_PATH, "generate", "two cats", "-n", "2", "--profile", "apiyi",
                                     "--base-url", gateway.server.base_url(), "-o", dir_ + "/cat.png"},
            cli_environment(true, {}));
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (history_files().size() < 2 && std::chrono::steady_clock::now() < deadline) child->pump(0.05);
        return child;
    }

    void expect_first_image_in_history(const HalfAnsweredServer &gateway) {
        std::string image, sidecar;
        for (const auto &[path, content] : files_below(history_dir_)) {
            if (path.size() > 4 && path.compare(path.size() - 4, 4, ".png") == 0) image = content;
            if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) sidecar = content;
        }
        EXPECT_EQ(sha256_hex(image), sha256_hex(gateway.png)) << "the paid image, byte for byte";
        EXPECT_NE(sidecar.find("req-first"), std::string::npos) << sidecar;
    }
};

TEST_F(VariationsInterrupted, EachImageIsInHistoryTheMomentItArrivesSoSigkillLosesNothing) {
    HalfAnsweredServer gateway;
    auto child = start_until_first_image(gateway);
    ASSERT_EQ(history_files().size(), 2u) << "image + sidecar while the other variation still runs";
    child->send_signal(SIGKILL);
    ProcessResult r = child->wait(10);
    EXPECT_EQ(r.term_signal, SIGKILL);
    expect_first_image_in_history(gateway);
}

TEST_F(VariationsInterrupted, SigtermAndSighupAreHandledLikeCtrlC) {
    for (int signal_number : {SIGTERM, SIGHUP, SIGINT}) {
        SCOPED_TRACE(strsignal(signal_number));
        std::error_code ignored;
        std::filesystem::remove_all(history_dir_, ignored);
        HalfAnsweredServer gateway;
        auto child = start_until_first_image(gateway);
        ASSERT_EQ(history_files().size(), 2u);
        child->send_signal(signal_number);
        ProcessResult r = child->wait(10);
        EXPECT_EQ(r.term_signal, 0) << "handled, not killed by the signal";
        EXPECT_EQ(r.exit_code, 130) << r.err;
        EXPECT_NE(r.err.find("may still bill"), std::string::npos) << "the other variation: " << r.err;
        EXPECT_NE(r.err.find("1 of 2"), std::string::npos) << r.err;
        EXPECT_NE(r.out.find("cat-1.png"), std::string::npos) << "the image that came is written: " << r.out;
        expect_first_image_in_history(gateway);
    }
}

TEST_F(PaidImages, WholeImageThenConnectionResetOrClosedIsKept) {
    const std::string png = encode_picture(16, 8, "png");
    for (bool reset : {false, true}) {
        SCOPED_TRACE(reset ? "reset" : "closed");
        // The JSON is whole, but the headers promised more bytes than ever come.
        OneAnswerServer gateway([&](ScriptedConnection &c) {
            std::string body = image_answer(png);
            std::string response = http_response(200, body, "application/json", "x-request-id: req-cut\r\n");
            response.replace(response.find("Content-Length: ") + 16, std::to_string(body.size()).size(),
                             std::to_string(body.size() + 500));
            c.send(response);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (reset) c.reset();
        });
        RunOptions options;
        options.base_url = gateway.server.base_url();
        Outcome o = run("openai", "", options);
        ASSERT_EQ(o.status, PICTOR_OK) << o.message;
        EXPECT_EQ(sha256_hex(o.first_image_bytes), sha256_hex(png));
        EXPECT_EQ(sha256_hex(read_file(o.history_path)), sha256_hex(png));
        EXPECT_EQ(o.metadata["request_ids"], nlohmann::json::array({"req-cut"}));
    }
}

TEST_F(PaidImages, EventStreamLeftOpenAfterItsCompletedImageEndsAtOnce) {
    const std::string png = encode_picture(16, 8, "png");
    OneAnswerServer gateway([&](ScriptedConnection &c) {
        c.send(kStreamHead);
        c.send(sse_event("image_generation.completed",
                         R"({"type":"image_generation.completed","b64_json":")" + base64(png) + R"("})"));
        c.wait_for_close(120); // no [DONE], no close
    });
    RunOptions options;
    options.base_url = gateway.server.base_url();
    options.timeout_s = 30;
    Outcome o = run("openai", "", options);
    ASSERT_EQ(o.status, PICTOR_OK) << o.message;
    EXPECT_LT(o.seconds, 10.0) << "not held until the timeout";
    EXPECT_EQ(sha256_hex(read_file(o.history_path)), sha256_hex(png));
}

TEST_F(PaidImages, OddFieldsBesideAnImageNeverDiscardIt) {
    const std::string png = encode_picture(16, 8, "png");
    struct Case {
        const char *name;
        std::string body;
        const char *warning; // expected in the result's warnings, "" for none
    };
    const std::string b64 = base64(png);
    std::vector<Case> cases = {
        {"empty error object", image_answer(png, R"(,"error":{})"), ""},
        {"null error", image_answer(png, R"(,"error":null)"), ""},
        {"unknown fields", R"({"data":[{"b64_json":")" + b64 +
                               R"(","odd":[1,{"x":null}],"revised_prompt":7}],"extra":{"a":[]},"usage":"lots"})",
         ""},
        {"an error beside the image", image_answer(png, R"(,"error":{"message":"quota warning","code":"q"})"),
         "quota warning"},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name);
        OneAnswerServer gateway([&](ScriptedConnection &conn) { conn.send(http_response(200, c.body)); });
        RunOptions options;
        options.base_url = gateway.server.base_url();
        Outcome o = run("openai", "", options);
        ASSERT_EQ(o.status, PICTOR_OK) << o.message;
        EXPECT_EQ(sha256_hex(read_file(o.history_path)), sha256_hex(png));
        std::string warnings = o.metadata["warnings"].dump();
        if (*c.warning) EXPECT_NE(warnings.find(c.warning), std::string::npos) << warnings;
        else EXPECT_EQ(o.metadata["warnings"].size(), 0u) << warnings;
        EXPECT_EQ(warnings.find("json.exception"), std::string::npos) << warnings;
    }
}

TEST_F(PaidImages, MalformedPreviewEventCostsOnlyThePreview) {
    const std::string png = encode_picture(16, 8, "png");
    OneAnswerServer gateway([&](ScriptedConnection &c) {
        c.send(kStreamHead);
        c.send(sse_event("image_generation.partial_image",
                         R"({"type":"image_generation.partial_image","partial_image_index":"one","b64_json":")" +
                             base64(png) + R"("})"));
        c.send(sse_event("image_generation.partial_image",
                         R"({"type":"image_generation.partial_image","partial_image_index":1,"b64_json":"!!"})"));
        c.send(sse_event("image_generation.completed",
                         R"({"type":"image_generation.completed","b64_json":")" + base64(png) + R"("})"));
        c.send("data: [DONE]\n\n");
    });
    ProcessResult r = pictor_cli({"generate", "a cat", "--partials", "2", "--profile", "openai", "--base-url",
                                  gateway.server.base_url(), "-o", dir_ + "/cat.png", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(sha256_hex(read_file(dir_ + "/cat.png")).empty(), false);
    EXPECT_EQ(history_files().size(), 2u);
    EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("json.exception"), std::string::npos) << r.out;
}

TEST_F(PaidImages, NonUtf8FromTheServerIsNeverAnInternalError) {
    const std::string png = encode_picture(16, 8, "png");
    {
        SCOPED_TRACE("request id header and an unknown field");
        OneAnswerServer gateway([&](ScriptedConnection &c) {
            c.send(http_response(200, image_answer(png, ",\"note\":\"caf\xe9\""), "application/json",
                                 "x-request-id: req-\xff\xfe\r\n"));
        });
        RunOptions options;
        options.base_url = gateway.server.base_url();
        Outcome o = run("openai", "", options);
        ASSERT_EQ(o.status, PICTOR_OK) << o.kind << ": " << o.message;
        EXPECT_EQ(sha256_hex(read_file(o.history_path)), sha256_hex(png));
        ASSERT_EQ(o.metadata["request_ids"].size(), 1u);
        EXPECT_EQ(o.metadata["request_ids"][0].get<std::string>().rfind("req-", 0), 0u);
    }
    {
        SCOPED_TRACE("an error message");
        OneAnswerServer gateway([&](ScriptedConnection &c) {
            c.send(http_response(400, "{\"error\":{\"message\":\"bad \xb4\xed prompt\",\"code\":\"odd_code\"}}",
                                 "application/json", "x-request-id: req-err\r\n"));
        });
        RunOptions options;
        options.base_url = gateway.server.base_url();
        Outcome o = run("openai", "", options);
        EXPECT_EQ(o.status, PICTOR_ERR_INVALID_REQUEST) << o.kind << ": " << o.message;
        EXPECT_EQ(o.code, "odd_code") << "the JSON was still read";
        EXPECT_NE(o.message.find("bad ?? prompt"), std::string::npos) << o.message;
        EXPECT_EQ(o.request_id, "req-err");
    }
}

TEST_F(PaidImages, NonUtf8PromptIsRefusedBeforeSendingAndNonUtf8FileNamesAreKept) {
    const std::string png = encode_picture(16, 8, "png");
    std::atomic<int> requests{0};
    OneAnswerServer gateway([&](ScriptedConnection &c) {
        ++requests;
        c.send(http_response(200, image_answer(png), "application/json", "x-request-id: req-name\r\n"));
    });
    ProcessResult refused = pictor_cli({"generate", "caf\xe9 au lait", "--profile", "openai", "--base-url",
                                        gateway.server.base_url(), "-o", dir_ + "/a.png", "--json"});
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("UTF-8"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.out.find("internal"), std::string::npos) << refused.out;
    EXPECT_EQ(requests.load(), 0);

    const std::string input = dir_ + "/caf\xe9.png";
    write_file(input, png);
    ProcessResult edited = pictor_cli({"edit", "a hat", "--image", input, "--profile", "openai", "--base-url",
                                       gateway.server.base_url(), "-o", dir_ + "/b.png", "--json"});
    EXPECT_EQ(edited.exit_code, 0) << edited.err << edited.out;
    EXPECT_EQ(requests.load(), 1);
    bool sidecar_read = false;
    for (const auto &[path, content] : files_below(history_dir_))
        if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0)
            sidecar_read = !nlohmann::json::parse(content, nullptr, false).is_discarded();
    EXPECT_TRUE(sidecar_read) << "a readable sidecar";
}

} // namespace
} // namespace pictor_test
