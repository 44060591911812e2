// History comes first: a request is not sent when history cannot keep its images, and when a
// disk fills or an output file fails after the answer, the error says the request was billed,
// with its request id and where the images are, as --json fields.
#include "fault_fixture.hpp"

#include <chrono>
#include <filesystem>
#include <thread>

namespace pictor_test {
namespace {

using HistorySafety = FaultTest;

nlohmann::json json_error(const ProcessResult &r) {
    nlohmann::json out = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_TRUE(out.is_object() && out.contains("error")) << r.out;
    return out.is_object() && out.contains("error") ? out["error"] : nlohmann::json::object();
}

// pictor under a file-size limit of `blocks` (dash: 512-byte blocks): a disk that is full
// after that many bytes per file, without needing a real full disk.
std::vector<std::string> with_file_size_limit(int blocks, const std::vector<std::string> &args) {
    std::string command = "ulimit -f " + std::to_string(blocks) + "; trap '' XFSZ; exec \"$0\" \"$@\"";
    std::vector<std::string> argv = {"/bin/sh", "-c", command, PICTOR_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

// A failure after the one request was answered: billed, with its request id and the image's
// history file as --json fields.
void expect_billed_and_kept(const ProcessResult &r, MockGatewayProcess &mock) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ASSERT_EQ(mock.api_requests().size(), 1u);
    nlohmann::json error = json_error(r);
    EXPECT_EQ(error["may_be_billed"], true) << r.out;
    EXPECT_EQ(error["request_id"], mock.api_requests()[0]["request_id"]) << r.out;
    ASSERT_TRUE(error["history"].is_array()) << r.out;
    ASSERT_EQ(error["history"].size(), 1u) << r.out;
    EXPECT_FALSE(read_file(error["history"][0].get<std::string>()).empty()) << "the paid bytes: " << r.out;
}

TEST_F(HistorySafety, HistoryFolderThatCannotBeCreatedStopsTheRequestBeforeSending) {
    write_file(dir_ + "/blocker", "a file where a folder should be");
    history_dir_ = dir_ + "/blocker/history";
    Outcome o = run("openai", "");
    EXPECT_EQ(o.status, PICTOR_ERR_IO) << o.message;
    EXPECT_FALSE(o.request_sent);
    EXPECT_FALSE(o.may_be_billed);
    EXPECT_EQ(o.api_requests.size(), 0u) << "nothing billed";
    EXPECT_NE(o.message.find("Nothing was sent"), std::string::npos) << o.message;
}

TEST_F(HistorySafety, FullDiskBeforeSendingBillsNothing) {
    ProcessResult r = run_process(with_file_size_limit(0, {"generate", "a cat", "--json", "-o", dir_ + "/cat.png",
                                                           "--base-url", mock().base_url("openai", "")}),
                                  cli_environment(true, {}), 60);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    nlohmann::json error = json_error(r);
    EXPECT_EQ(error["kind"], "io") << r.out;
    EXPECT_EQ(error["may_be_billed"], false);
    EXPECT_EQ(mock().api_requests().size(), 0u);
}

TEST_F(HistorySafety, DiskFillingDuringTheAnswerSaysBilledWithTheRequestId) {
    ProcessResult r = run_process(with_file_size_limit(2, {"generate", "a cat", "--json", "-o", dir_ + "/cat.png",
                                                           "--base-url", mock().base_url("openai", "")}),
                                  cli_environment(true, {}), 60);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ASSERT_EQ(mock().api_requests().size(), 1u);
    const std::string request_id = mock().api_requests()[0]["request_id"];
    nlohmann::json error = json_error(r);
    EXPECT_EQ(error["may_be_billed"], true) << r.out;
    EXPECT_EQ(error["request_id"], request_id) << r.out;
    EXPECT_NE(error["message"].get<std::string>().find("billed"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("history not written"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("request id " + request_id), std::string::npos) << r.err;
}

TEST_F(HistorySafety, OutputFailureAfterTheAnswerGivesBillingRequestIdAndHistoryAsFields) {
    std::filesystem::create_directories(dir_ + "/out");
    ChildProcess child({PICTOR_CLI_PATH, "generate", "a cat", "--json", "-o", dir_ + "/out/cat.png", "--base-url",
                        mock().base_url("openai", "delay=2")},
                       cli_environment(true, {}));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (mock().api_requests().empty() && std::chrono::steady_clock::now() < deadline) child.pump(0.05);
    std::filesystem::remove_all(dir_ + "/out"); // the output folder vanishes while the server works
    ProcessResult r = child.wait(60);
    expect_billed_and_kept(r, mock());
}

TEST_F(HistorySafety, ImageThatWillNotDecodeIsNamedAsAFieldOfTheFailure) {
    // The bytes decode to half an image: billed, kept in history, and no file can be made of it.
    ProcessResult r = pictor_cli({"generate", "a cat", "--json", "-o", dir_ + "/cat.png", "--base-url",
                                  mock().base_url("openai", "corrupt=1")});
    expect_billed_and_kept(r, mock());
}

} // namespace
} // namespace pictor_test
