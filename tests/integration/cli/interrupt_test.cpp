// Ctrl-C abandons the request at once, says it may be billed, and leaves no file.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <thread>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

TEST_F(PictorCli, CtrlCAbandonsTheRequestAndWarnsAboutBilling) {
    ChildProcess child(command_line(std::vector<std::string>{"generate", "a slow cat", "-o",
                                                             out("cat.png")} +
                                    route("openai", "delay=30")),
                       environment(true));
    // Interrupt once the request is in the server's hands, as a user would: that is the case
    // where the server may bill it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (mock_->api_requests().empty() && std::chrono::steady_clock::now() < deadline)
        child.pump(0.05);
    ASSERT_FALSE(mock_->api_requests().empty()) << "the request never reached the mock";
    child.pump(1.0);

    const auto interrupted_at = std::chrono::steady_clock::now();
    child.send_signal(SIGINT);
    ProcessResult r = child.wait(60);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - interrupted_at).count();

    expect_key_not_in(r);
    EXPECT_EQ(r.exit_code, 130) << "signal " << r.term_signal << "\n" << r.err;
    EXPECT_LT(took, 3.0);
    EXPECT_EQ(occurrences(r.err, "may still be billed"), 1u) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(output_folder_names().empty());
}

} // namespace
} // namespace pictor_test
