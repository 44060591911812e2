// Small files that declare enormous images (PNG 50000x50000, JPEG 65500x65500, WebP
// 16384x16384) are refused from their header, before a pixel buffer exists: the process's
// peak memory, measured by the kernel for a child `pictor`, stays near that of a normal image.
#include "fault_fixture.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pictor_test {
namespace {

using DecompressionBombs = FaultTest;

struct Measured {
    int exit_code = -1;
    long peak_rss_kib = 0;
    std::string err;
};

// Runs argv with env, stderr into a file, and returns the child's peak resident set (wait4).
Measured run_measured(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                      const std::string &stderr_path) {
    std::vector<char *> args, vars;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    for (const auto &v : env) vars.push_back(const_cast<char *>(v.c_str()));
    args.push_back(nullptr);
    vars.push_back(nullptr);
    Measured out;
    pid_t pid = fork();
    if (pid == 0) {
        int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDWR);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        execve(args[0], args.data(), vars.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (pid > 0 && wait4(pid, &status, 0, &usage) == pid) {
        out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        out.peak_rss_kib = usage.ru_maxrss;
    }
    out.err = read_file(stderr_path);
    return out;
}

TEST_F(DecompressionBombs, EveryFormatIsRefusedBeforeAllocatingAndPeakMemoryStaysBounded) {
    // A normal 1024x1024 image first: the baseline a bomb is compared with.
    auto measure = [&](const std::string &scenario) {
        mock().reset();
        std::vector<std::string> argv = {PICTOR_CLI_PATH, "generate", "bomb test", "-o", dir_ + "/out.png",
                                         "--profile", "openai", "--base-url", mock().base_url("openai", scenario),
                                         "--quality", "low"};
        return run_measured(argv, cli_environment(true, {}), dir_ + "/stderr.txt");
    };
    Measured normal = measure("");
    ASSERT_EQ(normal.exit_code, 0) << normal.err;
    RecordProperty("normal_1024x1024_peak_rss_kib", std::to_string(normal.peak_rss_kib));

    struct Bomb {
        const char *format, *declared;
        double gigapixels;
    };
    for (const Bomb &bomb : {Bomb{"png", "50000x50000", 2.5}, Bomb{"jpeg", "65500x65500", 4.29},
                             Bomb{"webp", "16384x16384", 0.27}}) {
        Measured m = measure(std::string("bomb=") + bomb.format);
        EXPECT_EQ(m.exit_code, 1) << bomb.format << ": " << m.err;
        EXPECT_NE(m.err.find("decode limit"), std::string::npos) << bomb.format << ": " << m.err;
        EXPECT_NE(m.err.find(bomb.declared), std::string::npos) << bomb.format << ": " << m.err;
        // Decoding would need gigapixels x 4 bytes (1-17 GB); the peak stays within 32 MiB of a
        // normal 1 Mpx request's.
        EXPECT_LT(m.peak_rss_kib, normal.peak_rss_kib + 32 * 1024)
            << bomb.format << ": peak " << m.peak_rss_kib << " KiB vs normal " << normal.peak_rss_kib << " KiB";
        RecordProperty(std::string(bomb.format) + "_bomb_peak_rss_kib", std::to_string(m.peak_rss_kib));
        std::printf("[ measure  ] %s bomb (%s, %.2f Gpx): peak RSS %ld KiB; normal 1024x1024: %ld KiB\n",
                    bomb.format, bomb.declared, bomb.gigapixels, m.peak_rss_kib, normal.peak_rss_kib);
    }
}

TEST_F(DecompressionBombs, TheAbiReportsTooLargeAndKeepsTheBytes) {
    for (const char *format : {"png", "jpeg", "webp"}) {
        Outcome o = run("openai", std::string("bomb=") + format);
        EXPECT_EQ(o.status, PICTOR_ERR_TOO_LARGE) << format << ": " << o.message;
        EXPECT_EQ(o.api_requests.size(), 1u);
        EXPECT_TRUE(o.may_be_billed);
    }
}

TEST_F(DecompressionBombs, ThePixelLimitIsConfigurable) {
    RunOptions small;
    small.max_pixels = 500 * 1000; // below the 1024x1024 the mock sends
    Outcome refused = run("openai", "", small);
    EXPECT_EQ(refused.status, PICTOR_ERR_TOO_LARGE) << refused.message;
    EXPECT_NE(refused.message.find("1024x1024"), std::string::npos) << refused.message;
    Outcome accepted = run("openai", "");
    EXPECT_EQ(accepted.status, PICTOR_OK) << accepted.message;
}

} // namespace
} // namespace pictor_test
