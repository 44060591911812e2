// -o behaves like a Unix tool's output: "-" is stdout, a device or FIFO is written into (never
// replaced), a symlink is followed, and a name or combination pictor cannot honour is refused
// before anything is sent.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

std::string served_sha256(MockGatewayProcess &mock) { return mock.api_requests()[0]["images"][0]["sha256"]; }

std::string sha256_of(const std::string &bytes) {
    std::string path = "/tmp/pictor-sha-" + std::to_string(getpid());
    write_file(path, bytes);
    std::string sha = sha256_of_file(path);
    unlink(path.c_str());
    return sha;
}

TEST_F(PictorCli, DashWritesTheImageToStdoutAndNothingElse) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-o", "-"} + route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(mock_->api_requests().size(), 1u);
    EXPECT_EQ(sha256_of(r.out), served_sha256(*mock_)) << "stdout is the image, byte for byte";

    ProcessResult two = pictor(std::vector<std::string>{"generate", "a cat", "-o", "-", "-n", "2"} + route("openai"));
    EXPECT_EQ(two.exit_code, 2) << two.err;
    ProcessResult json = pictor(std::vector<std::string>{"generate", "a cat", "-o", "-", "--json"} + route("openai"));
    EXPECT_EQ(json.exit_code, 2) << json.err;
    EXPECT_EQ(mock_->api_requests().size(), 1u) << "refused before sending";
}

TEST_F(PictorCli, FifoIsWrittenIntoNotReplaced) {
    const std::string fifo = out("picture.fifo");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    std::string received;
    std::atomic<bool> done{false};
    std::thread drain([&] {
        char buffer[65536];
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!done && std::chrono::steady_clock::now() < until) {
            pollfd p{reader, POLLIN, 0};
            if (poll(&p, 1, 50) > 0) {
                ssize_t n = read(reader, buffer, sizeof buffer);
                if (n > 0) received.append(buffer, size_t(n));
            }
        }
    });
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-o", fifo} + route("openai"));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    done = true;
    drain.join();
    close(reader);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    struct stat info {};
    ASSERT_EQ(lstat(fifo.c_str(), &info), 0);
    EXPECT_TRUE(S_ISFIFO(info.st_mode)) << "still a FIFO, not replaced by a file";
    EXPECT_EQ(sha256_of(received), served_sha256(*mock_));
}

TEST_F(PictorCli, SymlinksAreFollowedToDevicesAndFiles) {
    const std::string to_null = out("null-link");
    ASSERT_EQ(symlink("/dev/null", to_null.c_str()), 0);
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "-o", to_null} + route("openai"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    struct stat info {};
    ASSERT_EQ(lstat(to_null.c_str(), &info), 0);
    EXPECT_TRUE(S_ISLNK(info.st_mode)) << "the link itself is left alone";
    ASSERT_EQ(stat("/dev/null", &info), 0);
    EXPECT_TRUE(S_ISCHR(info.st_mode));

    const std::string target = out("real.png"), link = out("link.png");
    write_file(target, "old");
    ASSERT_EQ(symlink("real.png", link.c_str()), 0);
    ProcessResult f = pictor(std::vector<std::string>{"generate", "a cat", "-o", link} + route("openai"));
    ASSERT_EQ(f.exit_code, 0) << f.err;
    ASSERT_EQ(lstat(link.c_str(), &info), 0);
    EXPECT_TRUE(S_ISLNK(info.st_mode)) << "still a link";
    EXPECT_EQ(sha256_of_file(target), mock_->api_requests()[1]["images"][0]["sha256"]) << "written where it points";
}

TEST_F(PictorCli, OutputsPictorCannotHonourAreRefusedBeforeSending) {
    for (const std::vector<std::string> &args : std::vector<std::vector<std::string>>{
             {"-o", out("cat.gif")},
             {"-o", out("cat")},
             {"-o", out("cat.png"), "--background", "transparent", "--format", "jpeg"},
             {"-o", out("cat.jpg"), "--background", "transparent"},
         }) {
        ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat"} + args + route("openai"));
        EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.err;
        EXPECT_FALSE(message_lines(r.err).empty());
    }
    EXPECT_EQ(mock_->api_requests().size(), 0u) << "nothing was sent";
}

} // namespace
} // namespace pictor_test
