// Memory for an answer is bounded by what was asked, not by what the server sends: an endless
// body is cut long before the 512 MiB response cap, and JSON nested without end is refused as
// it arrives. Run under an address-space limit, so that holding too much fails the test.
#include "fault_fixture.hpp"
#include "scripted_server.hpp"

namespace pictor_test {
namespace {

using MemoryBombs = FaultTest;

// pictor with at most `megabytes` of address space: more would be an allocation failure.
// AddressSanitizer reserves terabytes of shadow address space up front, so a sanitized pictor
// cannot start under any such limit: there (tests/run-sanitizers.sh) it runs unlimited and the
// test checks the outcome only; the plain build checks the bound.
std::vector<std::string> with_memory_limit(int megabytes, const std::vector<std::string> &args) {
#if defined(__SANITIZE_ADDRESS__)
    megabytes = 0;
#endif
    std::string command = (megabytes > 0 ? "ulimit -v " + std::to_string(megabytes * 1024) + "; " : std::string()) +
                          "exec \"$0\" \"$@\"";
    std::vector<std::string> argv = {"/bin/sh", "-c", command, PICTOR_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

nlohmann::json json_error(const ProcessResult &r) {
    nlohmann::json out = nlohmann::json::parse(r.out, nullptr, false);
    return out.is_object() && out.contains("error") ? out["error"] : nlohmann::json::object();
}

TEST_F(MemoryBombs, EndlessBodyIsCutAtWhatTheRequestCouldNeed) {
    // A 1024x1024 answer needs a few MiB; the default cap would let 512 MiB in.
    ProcessResult r = run_process(with_memory_limit(200, {"generate", "a cat", "--json", "-o", dir_ + "/cat.png",
                                                          "--base-url", mock().base_url("openai", "endless=1")}),
                                  cli_environment(true, {}), 60);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(json_error(r)["kind"], "too_large") << r.out << r.err;
    EXPECT_EQ(r.out.find("out of memory"), std::string::npos) << "cut, not run out of memory: " << r.out;
    // One 1024x1024 image cannot need more than ~60 MiB of answer (the largest image the route
    // makes, raw, base64-encoded); the 512 MiB response cap is for everything else.
    const std::string message = json_error(r).value("message", "");
    const size_t at = message.find("limit (");
    ASSERT_NE(at, std::string::npos) << message;
    EXPECT_LT(std::stoi(message.substr(at + 7)), 100) << message;
    EXPECT_LT(r.seconds, 20.0);
}

TEST_F(MemoryBombs, JsonNestedWithoutEndIsRefusedAsItArrives) {
    const std::string body = "{\"data\":[" + std::string(20u << 20, '[');
    for (int status : {200, 400}) {
        SCOPED_TRACE(status);
        ScriptedServer server([&](ScriptedConnection &c) {
            if (c.read_request()) c.send(http_response(status, body));
        });
        ProcessResult r = run_process(with_memory_limit(450, {"generate", "a cat", "--json", "-o", dir_ + "/cat.png",
                                                              "--base-url", server.base_url()}),
                                      cli_environment(true, {"PICTOR_MAX_RETRIES=0"}), 60);
        EXPECT_EQ(r.exit_code, 1) << r.err;
        nlohmann::json error = json_error(r);
        EXPECT_TRUE(error["kind"] == "bad_response" || error["kind"] == "invalid_request") << r.out << r.err;
        EXPECT_LT(r.seconds, 20.0);
    }
}

// A PNG of one colour: tiny on the wire, width x height x 4 bytes once decoded.
std::string flat_png(uint32_t width, uint32_t height) {
    std::vector<uint8_t> rgba(size_t(width) * height * 4, 0);
    for (size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;
    pictor_image *image = nullptr;
    EXPECT_EQ(pictor_image_from_rgba(width, height, rgba.data(), size_t(width) * 4, &image), PICTOR_OK);
    uint8_t *bytes = nullptr;
    size_t size = 0;
    EXPECT_EQ(pictor_image_encode(image, "png", -1, &bytes, &size), PICTOR_OK);
    std::string out(reinterpret_cast<char *>(bytes), size);
    pictor_free(bytes);
    pictor_image_free(image);
    return out;
}

TEST_F(MemoryBombs, ManySmallFilesThatEachDecodeBigStayWithinTheAnswersPixelBudget) {
    // One image asked for; twenty 16 Mpx images sent (64 MiB each once decoded, 1.25 GiB in all).
    const std::string b64 = base64(flat_png(4000, 4000));
    std::string body = "{\"created\":1,\"data\":[";
    for (int i = 0; i < 20; ++i) body += std::string(i ? "," : "") + "{\"b64_json\":\"" + b64 + "\"}";
    body += "]}";
    ScriptedServer server([&](ScriptedConnection &c) {
        if (c.read_request()) c.send(http_response(200, body));
    });
    ProcessResult r = run_process(with_memory_limit(800, {"generate", "a cat", "--json", "-o", dir_ + "/cat.png",
                                                          "--base-url", server.base_url()}),
                                  cli_environment(true, {}), 120);
    EXPECT_EQ(r.term_signal, 0) << r.err;
    EXPECT_EQ(r.out.find("out of memory"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("out of memory"), std::string::npos) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(history_files().size(), 40u) << "every image sent is kept (image + sidecar each)";
}

} // namespace
} // namespace pictor_test
