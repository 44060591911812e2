// Killing pictor between the answer and the output loses nothing: the image is already in
// history, `pictor history list` shows it and `pictor history export` gives back the exact bytes.
#include "fault_fixture.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

namespace pictor_test {
namespace {

using CrashSafety = FaultTest;

std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

TEST_F(CrashSafety, KilledBetweenTheAnswerAndTheOutputLosesNothing) {
    // The history folder is polled every 2 ms; the moment a sidecar appears (the last step of
    // the history write: its rename) pictor gets SIGKILL. Decoding a 3840x2160 answer and
    // converting it to WebP for -o keeps pictor busy for a good while after that point.
    // (Polling, not inotify: some sandboxes do not report renames to inotify.)
    ASSERT_EQ(mkdir(history_dir_.c_str(), 0700), 0);
    const std::string output = dir_ + "/poster.webp";
    std::vector<std::string> argv = {PICTOR_CLI_PATH, "generate", "a poster\tworth keeping", "-o", output,
                                     "--profile", "openai", "--base-url", mock().base_url("openai"),
                                     "--size", "3840x2160", "--quality", "low"};
    ChildProcess child(argv, cli_environment(true, {}));
    bool killed = false;
    double deadline = now_seconds() + 60;
    while (!killed && now_seconds() < deadline) {
        for (const auto &entry : std::filesystem::directory_iterator(history_dir_))
            if (entry.path().extension() == ".json") {
                child.send_signal(SIGKILL);
                killed = true;
                break;
            }
        if (!killed) usleep(2000);
    }
    ProcessResult killed_run = child.wait(10);
    ASSERT_TRUE(killed);
    EXPECT_EQ(killed_run.term_signal, SIGKILL);
    EXPECT_FALSE(std::filesystem::exists(output)) << "killed before -o was written (the window under test)";

    // Nothing lost: one entry, listed with id, time, profile, size and prompt.
    ProcessResult list = pictor_cli({"history", "list"}, false);
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::vector<std::string> lines = lines_of(list.out);
    ASSERT_EQ(lines.size(), 1u) << list.out;
    std::string id = lines[0].substr(0, lines[0].find('\t'));
    EXPECT_FALSE(id.empty());
    EXPECT_NE(lines[0].find("\topenai\t3840x2160\ta poster worth keeping"), std::string::npos)
        << "tab in the prompt flattened, one entry per line: " << lines[0];
    EXPECT_NE(lines[0].find("\t20"), std::string::npos) << "the time: " << lines[0];

    // Exported, it is the very bytes the gateway served.
    nlohmann::json log = mock().api_requests();
    ASSERT_EQ(log.size(), 1u);
    ProcessResult exported = pictor_cli({"history", "export", id, "-o", dir_ + "/again.png"}, false);
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    EXPECT_EQ(sha256_hex(read_file(dir_ + "/again.png")), log[0]["images"][0]["sha256"].get<std::string>());
    // A unique start of the id is enough, and another extension converts.
    ProcessResult converted = pictor_cli({"history", "export", id.substr(0, id.size() - 2), "-o",
                                          dir_ + "/again.jpg"}, false);
    ASSERT_EQ(converted.exit_code, 0) << converted.err;
    pictor_image *image = nullptr;
    std::string jpeg = read_file(dir_ + "/again.jpg");
    ASSERT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(jpeg.data()), jpeg.size(), 0, &image), PICTOR_OK);
    EXPECT_STREQ(pictor_image_format(image), "jpeg");
    EXPECT_EQ(pictor_image_width(image), 3840u);
    pictor_image_free(image);
}

TEST_F(CrashSafety, HistoryThroughTheAbiListsAndReloadsForAdapters) {
    Outcome first = run("openai", "");
    ASSERT_EQ(first.status, PICTOR_OK) << first.message;
    Outcome second = run("openai", "format=webp");
    ASSERT_EQ(second.status, PICTOR_OK) << second.message;
    // An image whose sidecar never got written (killed between the two writes) still counts.
    write_file(history_dir_ + "/20000101-000000-orphan-1.png", first.first_image_bytes);

    char *raw = nullptr;
    ASSERT_EQ(pictor_history_list(history_dir_.c_str(), &raw), PICTOR_OK) << pictor_thread_last_error()->message;
    nlohmann::json list = nlohmann::json::parse(raw);
    pictor_free(raw);
    ASSERT_EQ(list.size(), 3u) << list.dump(1);
    EXPECT_EQ(list[0]["id"], "20000101-000000-orphan-1") << "sorted oldest first";
    EXPECT_EQ(list[0]["sidecar_path"], "");
    EXPECT_EQ(list[2]["format"], "webp");
    EXPECT_EQ(list[2]["prompt"], "a fault-injection test");
    EXPECT_EQ(list[2]["image_path"], second.history_path);

    pictor_image *image = nullptr;
    std::string id = list[2]["id"];
    ASSERT_EQ(pictor_history_load(history_dir_.c_str(), id.c_str(), 0, &image), PICTOR_OK);
    EXPECT_EQ(pictor_image_width(image), 1024u);
    EXPECT_STREQ(pictor_image_history_path(image), second.history_path.c_str());
    size_t size = 0;
    const uint8_t *bytes = pictor_image_encoded(image, &size);
    EXPECT_EQ(std::string(reinterpret_cast<const char *>(bytes), size), second.first_image_bytes);
    pictor_image_free(image);

    EXPECT_EQ(pictor_history_load(history_dir_.c_str(), "20991231-nope", 0, &image), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(image, nullptr);
    EXPECT_NE(std::string(pictor_thread_last_error()->message).find("history list"), std::string::npos);
    EXPECT_EQ(pictor_history_load(history_dir_.c_str(), "../../etc/passwd", 0, &image), PICTOR_ERR_INVALID_REQUEST)
        << "ids never become paths outside the folder";
    ASSERT_EQ(pictor_history_list((dir_ + "/no-such-folder").c_str(), &raw), PICTOR_OK);
    EXPECT_STREQ(raw, "[]");
    pictor_free(raw);
}

} // namespace
} // namespace pictor_test
