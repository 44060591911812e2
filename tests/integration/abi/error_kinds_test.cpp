// Every way a request fails maps to a typed error that says what to do, and retries happen
// only where nothing can be billed twice.
#include "abi_fixture.hpp"

#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pictor_test {
namespace {

class ErrorKinds : public AbiTest {
protected:
    struct Outcome {
        pictor_status status;
        pictor_error error;
        std::string message, code, request_id, kind;
        size_t requests;
    };

    Outcome fail(const std::string &profile, const std::string &scenario, uint64_t cap = 0, double timeout_s = 0) {
        mock().reset();
        auto c = client(profile, scenario, cap);
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "a failing request";
        request.timeout_s = timeout_s;
        ResultPtr result;
        Outcome out{};
        out.status = generate(c.get(), request, result);
        out.error = *pictor_client_last_error(c.get());
        out.message = out.error.message;
        out.code = out.error.code;
        out.request_id = out.error.request_id;
        out.kind = out.error.kind;
        // The strings belong to the client, which is gone after this call: keep copies only.
        out.error.kind = out.error.message = out.error.code = out.error.request_id = nullptr;
        out.requests = mock().api_requests().size();
        return out;
    }
};

TEST_F(ErrorKinds, ServerRefusalsCarryStatusMessageCodeAndRequestId) {
    Outcome bad = fail("openai", "status=400,message=Invalid%20size");
    EXPECT_EQ(bad.status, PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(bad.error.http_status, 400);
    EXPECT_EQ(bad.error.request_sent, 1);
    EXPECT_NE(bad.message.find("Invalid size"), std::string::npos) << bad.message;
    EXPECT_FALSE(bad.request_id.empty());
    EXPECT_EQ(bad.requests, 1u) << "a 400 is not retried";

    Outcome auth = fail("openai", "status=401");
    EXPECT_EQ(auth.status, PICTOR_ERR_AUTH);
    EXPECT_EQ(auth.error.http_status, 401);
    EXPECT_NE(auth.message.find("PICTOR_API_KEY"), std::string::npos) << auth.message;
}

TEST_F(ErrorKinds, ModerationBlocksAreTypedOn400And403) {
    for (const char *scenario : {"status=400,code=moderation_blocked", "status=403,code=moderation_blocked"}) {
        Outcome o = fail("apiyi", scenario);
        EXPECT_EQ(o.status, PICTOR_ERR_MODERATION_BLOCKED) << scenario;
        EXPECT_EQ(o.kind, "moderation_blocked");
        EXPECT_EQ(o.code, "moderation_blocked");
        EXPECT_NE(o.message.find("safety system"), std::string::npos) << o.message;
        EXPECT_EQ(o.requests, 1u);
    }
}

TEST_F(ErrorKinds, RateLimitIsRetriedHonouringRetryAfterThenReported) {
    Outcome recovered = fail("openai", "status=429,times=1,retry_after=1,tag=a");
    EXPECT_EQ(recovered.status, PICTOR_OK);
    EXPECT_EQ(recovered.requests, 2u);

    auto start = std::chrono::steady_clock::now();
    Outcome persistent = fail("openai", "status=429,retry_after=0");
    EXPECT_EQ(persistent.status, PICTOR_ERR_RATE_LIMITED);
    EXPECT_EQ(persistent.requests, 3u) << "at most 2 retries";
    EXPECT_EQ(persistent.error.http_status, 429);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3.0);
}

TEST_F(ErrorKinds, ServerErrorsAnsweredBeforeTheImageAreRetried) {
    Outcome recovered = fail("openai", "status=500,times=2,retry_after=0,tag=b");
    EXPECT_EQ(recovered.status, PICTOR_OK);
    EXPECT_EQ(recovered.requests, 3u);
    Outcome storm = fail("openai", "status=503,retry_after=0");
    EXPECT_EQ(storm.status, PICTOR_ERR_SERVER);
    EXPECT_EQ(storm.requests, 3u);
}

TEST_F(ErrorKinds, GatewayTimeoutsAreNotRetriedAndMayBeBilled) {
    for (const char *scenario : {"status=504", "status=524"}) {
        Outcome o = fail("openai", scenario);
        EXPECT_EQ(o.status, PICTOR_ERR_SERVER) << scenario;
        EXPECT_EQ(o.requests, 1u) << scenario << " must not be re-sent";
        EXPECT_EQ(o.error.may_be_billed, 1);
        EXPECT_NE(o.message.find("billed"), std::string::npos) << o.message;
    }
}

TEST_F(ErrorKinds, DroppedConnectionsAreNotResent) {
    Outcome mid_body = fail("openai", "drop=body");
    EXPECT_EQ(mid_body.status, PICTOR_ERR_NETWORK) << mid_body.message;
    EXPECT_EQ(mid_body.requests, 1u);
    EXPECT_EQ(mid_body.error.may_be_billed, 1);
    Outcome before_headers = fail("openai", "drop=headers");
    EXPECT_EQ(before_headers.status, PICTOR_ERR_NETWORK) << before_headers.message;
    EXPECT_EQ(before_headers.requests, 1u) << "the request was sent: re-sending could bill twice";
    EXPECT_TRUE(read_tree(history_dir_).empty());
}

TEST_F(ErrorKinds, ReadTimeoutIsReportedAsPossiblyBilled) {
    Outcome o = fail("openai", "delay=10", 0, 1.0);
    EXPECT_EQ(o.status, PICTOR_ERR_TIMEOUT);
    EXPECT_EQ(o.requests, 1u);
    EXPECT_EQ(o.error.may_be_billed, 1);
    // The library names the request field; each host words it (the CLI as --timeout).
    EXPECT_NE(o.message.find("\"timeout_s\""), std::string::npos) << o.message;
    EXPECT_EQ(o.message.find("--"), std::string::npos) << o.message;
}

TEST_F(ErrorKinds, UnusableAnswersAreBadResponses) {
    for (const char *scenario : {"malformed=1", "not_json=1", "empty_data=1", "bad_b64=1"}) {
        Outcome o = fail("openai", scenario);
        EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << scenario << ": " << o.message;
        EXPECT_EQ(o.requests, 1u) << scenario;
    }
}

TEST_F(ErrorKinds, CorruptImagesAreReportedButKeptInHistory) {
    Outcome o = fail("openai", "corrupt=1");
    EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << o.message;
    EXPECT_NE(o.message.find(history_dir_), std::string::npos) << "say where the paid bytes are: " << o.message;
    EXPECT_EQ(read_tree(history_dir_).size(), 2u) << "image + sidecar";
}

TEST_F(ErrorKinds, DecompressionBombIsRefusedBeforeDecoding) {
    Outcome o = fail("openai", "bomb=1");
    EXPECT_EQ(o.status, PICTOR_ERR_TOO_LARGE) << o.message;
    EXPECT_NE(o.message.find("50000"), std::string::npos) << o.message;
}

TEST_F(ErrorKinds, EndlessBodyIsCutAtTheCap) {
    auto start = std::chrono::steady_clock::now();
    Outcome o = fail("openai", "endless=1", 4u << 20);
    EXPECT_EQ(o.status, PICTOR_ERR_TOO_LARGE) << o.message;
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20.0);
}

TEST_F(ErrorKinds, ImageUrlThatFailsNamesTheUrl) {
    Outcome o = fail("openai", "response=url,url_status=404");
    EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE);
    EXPECT_NE(o.message.find("/_mock/files/"), std::string::npos) << o.message;
    EXPECT_EQ(o.error.may_be_billed, 1);
}

TEST_F(ErrorKinds, ConnectionRefusedIsRetriedThenReportedAsNetwork) {
    // A port that was free a moment ago: nothing listens there.
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    close(fd);
    std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/v1";
    pictor_client_config config;
    pictor_client_config_init(&config);
    config.base_url = url.c_str();
    config.api_key = key_.c_str();
    config.history_dir = history_dir_.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    pictor_client *raw = nullptr;
    ASSERT_EQ(pictor_client_create(&config, &raw), PICTOR_OK);
    ClientPtr c(raw);
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "nobody home";
    ResultPtr result;
    EXPECT_EQ(generate(c.get(), request, result), PICTOR_ERR_NETWORK);
    const pictor_error *error = pictor_client_last_error(c.get());
    EXPECT_EQ(error->may_be_billed, 0);
    EXPECT_NE(std::string(error->message).find("127.0.0.1"), std::string::npos) << error->message;
}

TEST_F(ErrorKinds, MissingKeyFailsBeforeSending) {
    pictor_client_config config;
    pictor_client_config_init(&config);
    std::string url = mock().base_url("openai");
    config.base_url = url.c_str();
    config.history_dir = history_dir_.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    pictor_client *raw = nullptr;
    ASSERT_EQ(pictor_client_create(&config, &raw), PICTOR_OK);
    ClientPtr c(raw);
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "no key";
    ResultPtr result;
    EXPECT_EQ(generate(c.get(), request, result), PICTOR_ERR_AUTH);
    EXPECT_EQ(pictor_client_last_error(c.get())->request_sent, 0);
    EXPECT_NE(std::string(pictor_client_last_error(c.get())->message).find("PICTOR_API_KEY"), std::string::npos);
    EXPECT_EQ(mock().api_requests().size(), 0u);
}

TEST_F(ErrorKinds, AKeyEchoedByTheServerIsRedacted) {
    Outcome o = fail("openai", "status=401,message=Incorrect%20API%20key%20provided:%20" + key_);
    EXPECT_EQ(o.status, PICTOR_ERR_AUTH);
    EXPECT_EQ(o.message.find(key_), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("[redacted]"), std::string::npos) << o.message;
}

} // namespace
} // namespace pictor_test

namespace pictor_test {
namespace {

TEST_F(ErrorKinds, MalformedBaseUrlIsAnInvalidRequestNotANetworkError) {
    pictor_client_config config;
    pictor_client_config_init(&config);
    config.base_url = "http://127.0.0.1:1/a path with spaces/v1";
    config.api_key = key_.c_str();
    config.history_dir = history_dir_.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    pictor_client *raw = nullptr;
    ASSERT_EQ(pictor_client_create(&config, &raw), PICTOR_OK);
    ClientPtr c(raw);
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "bad url";
    ResultPtr result;
    EXPECT_EQ(generate(c.get(), request, result), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(pictor_client_last_error(c.get())->request_sent, 0);
    EXPECT_NE(std::string(pictor_client_last_error(c.get())->message).find("base URL"), std::string::npos);
}

} // namespace
} // namespace pictor_test
