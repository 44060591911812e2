// What a hostile gateway sends back is shown, logged and stored only after the key and any base
// URL credentials are cut out and terminal escapes are made inert; a key that could inject a
// header and inputs that never end are refused before anything is sent.
#include "fault_fixture.hpp"
#include "scripted_server.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace pictor_test {
namespace {

using HostileEcho = FaultTest;

// Every reply of the test's server: `reply(request head)`.
struct ReplyServer {
    explicit ReplyServer(std::function<std::string(const std::string &)> reply)
        : server([reply, this](ScriptedConnection &c) {
              std::string head;
              if (c.read_request(&head)) c.send(reply(head));
          }) {}
    ScriptedServer server;
};

class KeyEcho : public FaultTest {
protected:
    // No run of six characters from the key's random part anywhere: not whole, not cut.
    void expect_no_part_of_key(const std::string &where, const std::string &text) {
        const size_t secret_start = std::string("sk-fault-canary-").size();
        for (size_t i = secret_start; i + 6 <= key_.size(); ++i)
            ASSERT_EQ(text.find(key_.substr(i, 6)), std::string::npos) << where << " holds part of the key: " << text;
    }
    void expect_no_part_of_key_anywhere(const ProcessResult &r) {
        expect_no_part_of_key("stdout", r.out);
        expect_no_part_of_key("stderr", r.err);
        for (const auto &[path, content] : files_below(history_dir_)) expect_no_part_of_key(path, content);
    }
};

TEST_F(KeyEcho, KeyEchoedInAnErrorCodeOrARequestIdIsRedacted) {
    ReplyServer gateway([this](const std::string &) {
        return http_response(400, R"({"error":{"message":"bad key )" + key_ + R"(","code":")" + key_ + R"("}})",
                             "application/json", "x-request-id: " + key_ + "\r\n");
    });
    ProcessResult r = pictor_cli({"generate", "a cat", "--json", "--verbose", "--base-url", gateway.server.base_url(),
                                  "-o", dir_ + "/cat.png"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    expect_no_part_of_key_anywhere(r);
    EXPECT_NE(r.out.find("[redacted]"), std::string::npos) << r.out;
}

TEST_F(KeyEcho, KeyInALongNonJsonBodyIsRedactedWhereverTheExcerptIsCut) {
    for (size_t before = 170; before <= 200; ++before) {
        ReplyServer gateway([&](const std::string &) {
            return http_response(502, std::string(before, 'x') + key_ + std::string(300, 'y'), "text/html");
        });
        ProcessResult r = pictor_cli({"generate", "a cat", "--json", "--base-url", gateway.server.base_url(), "-o",
                                      dir_ + "/cat.png"},
                                     true, {"PICTOR_MAX_RETRIES=0"});
        SCOPED_TRACE(before);
        expect_no_part_of_key_anywhere(r);
        if (HasFatalFailure()) return;
    }
}

TEST_F(KeyEcho, BaseUrlCredentialsAreRedactedEverywhere) {
    const std::string png = encode_picture(16, 8, "png");
    ReplyServer gateway([&](const std::string &) { return http_response(200, image_answer(png)); });
    std::string url = gateway.server.base_url();
    url.insert(url.find("://") + 3, "alice:hunter2secret@");
    ProcessResult r = pictor_cli({"generate", "a cat", "--json", "--verbose", "--base-url", url, "-o", dir_ + "/cat.png"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("hunter2secret"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("hunter2secret"), std::string::npos) << r.err;
    ASSERT_FALSE(history_files().empty());
    for (const auto &[path, content] : files_below(history_dir_))
        EXPECT_EQ(content.find("hunter2secret"), std::string::npos) << path;
}

TEST_F(KeyEcho, KeyWithALineBreakIsRefusedBeforeSending) {
    std::atomic<int> requests{0};
    ReplyServer gateway([&](const std::string &) {
        ++requests;
        return http_response(400, R"({"error":{"message":"no"}})");
    });
    ProcessResult r = pictor_cli({"generate", "a cat", "--base-url", gateway.server.base_url(), "-o", dir_ + "/cat.png"},
                                 false, {"PICTOR_API_KEY=sk-first-line\r\nX-Injected: yes"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("line break"), std::string::npos) << r.err;
    EXPECT_EQ(requests.load(), 0);
}

TEST_F(HostileEcho, TerminalEscapesFromTheServerAreNeutralised) {
    ReplyServer gateway([](const std::string &) {
        return http_response(400, "{\"error\":{\"message\":\"\\u001b]0;pwned\\u0007\\u001b[2J bad \xc2\x9b" "31m\","
                                  "\"code\":\"\\u001b[31mred\"}}");
    });
    ProcessResult r = pictor_cli({"generate", "a cat", "--base-url", gateway.server.base_url(), "-o", dir_ + "/cat.png"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("bad"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x07'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("\xc2\x9b"), std::string::npos) << r.err;
}

TEST_F(HostileEcho, InputsThatAreNotRegularFilesOrTooLargeAreRefusedBeforeReading) {
    const std::string fifo = dir_ + "/image.fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    // Outside the test's folder, which TearDown reads whole.
    const std::string huge = dir_ + "-huge.png";
    {
        int fd = open(huge.c_str(), O_WRONLY | O_CREAT, 0600);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(ftruncate(fd, off_t(20) << 30), 0); // sparse: 20 GiB that take no disk
        close(fd);
    }
    for (const std::string &input : {std::string("/dev/zero"), fifo, huge, dir_}) {
        SCOPED_TRACE(input);
        ProcessResult r = pictor_cli({"edit", "a hat", "--image", input, "--base-url", mock().base_url("openai", ""),
                                      "-o", dir_ + "/out.png"},
                                     true, {}, 10);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_LT(r.seconds, 5.0);
    }
    unlink(huge.c_str());
    EXPECT_TRUE(mock().api_requests().empty());
}

} // namespace
} // namespace pictor_test
