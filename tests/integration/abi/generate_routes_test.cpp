// Text-to-image on every route: what reaches the gateway, what never does, what comes back.
#include "abi_fixture.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <openssl/sha.h>

namespace pictor_test {
namespace {

class GenerateRoutes : public AbiTest {};

std::string sha256_hex(const uint8_t *data, size_t size) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(data, size, digest);
    static const char *hex = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : digest) {
        out += hex[byte >> 4];
        out += hex[byte & 15];
    }
    return out;
}

// The one API request the mock saw, after checking there was exactly one.
nlohmann::json only_request(MockGatewayProcess &mock) {
    nlohmann::json requests = mock.api_requests();
    EXPECT_EQ(requests.size(), 1u) << requests.dump(1);
    return requests.empty() ? nlohmann::json::object() : requests[0];
}

TEST_F(GenerateRoutes, OpenAiSendsOfficialFieldsAndReturnsTheServedImage) {
    auto c = client("openai");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "a red umbrella";
    request.size = "1536x1024";
    request.quality = "low";
    request.moderation = "low";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    ASSERT_EQ(pictor_result_image_count(result.get()), 1u);
    const pictor_image *image = pictor_result_image(result.get(), 0);
    EXPECT_EQ(pictor_image_width(image), 1536u);
    EXPECT_EQ(pictor_image_height(image), 1024u);
    EXPECT_STREQ(pictor_image_format(image), "png");
    ASSERT_NE(pictor_image_rgba(image), nullptr);

    nlohmann::json seen = only_request(mock());
    EXPECT_EQ(seen["authorization"], "Bearer " + key_);
    const auto &body = seen["json"];
    EXPECT_EQ(body["model"], "gpt-image-2");
    EXPECT_EQ(body["prompt"], "a red umbrella");
    EXPECT_EQ(body["size"], "1536x1024");
    EXPECT_EQ(body["quality"], "low");
    EXPECT_EQ(body["moderation"], "low");
    EXPECT_FALSE(body.contains("response_format")) << "the official API rejects response_format";
    EXPECT_FALSE(body.contains("input_fidelity"));
    EXPECT_FALSE(body.contains("n")) << "n=1 is the default; not sent";

    size_t size = 0;
    const uint8_t *encoded = pictor_image_encoded(image, &size);
    EXPECT_EQ(sha256_hex(encoded, size), seen["images"][0]["sha256"]) << "the bytes are the ones served";
    nlohmann::json meta = metadata(result.get());
    EXPECT_EQ(meta["profile"], "openai");
    EXPECT_EQ(meta["model"], "gpt-image-2");
    EXPECT_EQ(meta["size"], "1536x1024");
    EXPECT_EQ(meta["request_ids"][0], seen["request_id"]);
    EXPECT_TRUE(meta["usage"].contains("total_tokens"));
    EXPECT_NEAR(meta["cost_usd_estimate"].get<double>(), 0.005, 1e-9);
    for (const char *t : {"connect", "upload", "wait", "download", "after_last_byte", "total"})
        EXPECT_TRUE(meta["timings_ms"].contains(t)) << t;
}

TEST_F(GenerateRoutes, VipSendsOnlySizeAndDecodesTheDataUrl) {
    auto c = client("apiyi-vip");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "lighthouse at dusk";
    request.size = "2048x1152";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(pictor_image_width(pictor_result_image(result.get(), 0)), 2048u);
    const auto body = only_request(mock())["json"];
    EXPECT_EQ(body["model"], "gpt-image-2-vip");
    EXPECT_EQ(body["size"], "2048x1152");
    EXPECT_EQ(body["response_format"], "b64_json");
    EXPECT_FALSE(body.contains("quality"));
    EXPECT_FALSE(body.contains("n"));
    EXPECT_NEAR(metadata(result.get())["cost_usd_estimate"].get<double>(), 0.03, 1e-9);
}

TEST_F(GenerateRoutes, VipWithoutSizeSendsTheProfileDefault) {
    auto c = client("laozhang-vip");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "x";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(only_request(mock())["json"]["size"], "2048x2048");
}

TEST_F(GenerateRoutes, RoutesWithoutSizeOrQualityGetNeither) {
    for (const char *profile : {"apiyi-all", "laozhang"}) {
        mock().reset();
        auto c = client(profile);
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "a cat";
        request.quality = "auto"; // "don't care" is accepted and not sent
        ResultPtr result;
        ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK)
            << profile << ": " << pictor_client_last_error(c.get())->message;
        const auto seen = only_request(mock());
        EXPECT_FALSE(seen["json"].contains("size")) << profile;
        EXPECT_FALSE(seen["json"].contains("quality")) << profile;
        EXPECT_EQ(pictor_image_width(pictor_result_image(result.get(), 0)), 1024u) << profile;
        // laozhang names its request id header x-api-request-id
        EXPECT_EQ(metadata(result.get())["request_ids"][0], seen["request_id"]) << profile;
        EXPECT_FALSE(seen["request_id"].get<std::string>().empty()) << profile;
    }
}

TEST_F(GenerateRoutes, RuoliMapsQualityToItsOwnNames) {
    const std::pair<const char *, const char *> mapping[] = {{"low", "standard"}, {"medium", "medium"}, {"high", "hd"}};
    for (auto [ours, theirs] : mapping) {
        mock().reset();
        auto c = client("ruoli");
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "a cat";
        request.quality = ours;
        request.size = "1024x1024";
        ResultPtr result;
        ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
        EXPECT_EQ(only_request(mock())["json"]["quality"], theirs) << ours;
    }
}

TEST_F(GenerateRoutes, OfficialRelaysTakeCustomSizes) {
    for (const char *profile : {"apiyi", "laozhang-official"}) {
        mock().reset();
        auto c = client(profile);
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "wide";
        request.size = "1792x1024";
        request.quality = "medium";
        ResultPtr result;
        ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
        EXPECT_EQ(pictor_image_width(pictor_result_image(result.get(), 0)), 1792u);
        EXPECT_EQ(only_request(mock())["json"]["size"], "1792x1024");
    }
}

TEST_F(GenerateRoutes, VariationsWithinTheRoutesNGoInOneRequest) {
    auto c = client("openai");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "three cats";
    request.n = 3;
    request.size = "1024x1024";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(pictor_result_image_count(result.get()), 3u);
    EXPECT_EQ(only_request(mock())["json"]["n"], 3);
    EXPECT_EQ(metadata(result.get())["history"].size(), 3u);
}

TEST_F(GenerateRoutes, VariationsBeyondTheRoutesNFanOutInParallel) {
    // Each reply takes 2 s; three in a row would take over 6 s.
    auto c = client("apiyi", "delay=2");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "three dogs";
    request.n = 3;
    request.size = "1024x1024";
    ResultPtr result;
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(pictor_result_image_count(result.get()), 3u);
    nlohmann::json requests = mock().api_requests();
    ASSERT_EQ(requests.size(), 3u);
    for (const auto &r : requests)
        EXPECT_FALSE(r["json"].contains("n")) << "apiyi takes only n=1";
    EXPECT_LT(seconds, 5.0) << "the three requests ran one after another";
}

TEST_F(GenerateRoutes, VipVariationsNeverSendN) {
    auto c = client("apiyi-vip");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "two";
    request.n = 2;
    request.size = "1280x720";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(pictor_result_image_count(result.get()), 2u);
    nlohmann::json requests = mock().api_requests();
    ASSERT_EQ(requests.size(), 2u);
    for (const auto &r : requests) {
        EXPECT_FALSE(r["json"].contains("n")) << "vip bills n times for one image";
        EXPECT_EQ(r["billed_images"], 1);
    }
}

TEST_F(GenerateRoutes, ProgressReportsPhasesOnTheCallingThreadAndCanCancel) {
    struct Seen {
        std::vector<pictor_phase> phases;
        std::thread::id thread;
        bool other_thread = false;
        double cancel_after_s = 0.5;
    } seen;
    seen.thread = std::this_thread::get_id();
    auto c = client("openai", "delay=30");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "slow";
    request.progress = [](const pictor_progress *p, void *user) -> int {
        auto *s = static_cast<Seen *>(user);
        if (std::this_thread::get_id() != s->thread)
            s->other_thread = true;
        if (s->phases.empty() || s->phases.back() != p->phase)
            s->phases.push_back(p->phase);
        return p->elapsed_s > s->cancel_after_s ? 1 : 0;
    };
    request.progress_user_data = &seen;
    ResultPtr result;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(generate(c.get(), request, result), PICTOR_ERR_CANCELLED);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 2.5) << "cancel must return promptly";
    EXPECT_FALSE(seen.other_thread);
    ASSERT_FALSE(seen.phases.empty());
    EXPECT_EQ(seen.phases.front(), PICTOR_PHASE_PREPARING);
    EXPECT_NE(std::find(seen.phases.begin(), seen.phases.end(), PICTOR_PHASE_WAITING), seen.phases.end());
    const pictor_error *error = pictor_client_last_error(c.get());
    EXPECT_EQ(error->may_be_billed, 1) << "the request was sent; the server may still bill it";
    EXPECT_EQ(occurrences(error->message, "may still be billed"), 1u) << error->message;
    EXPECT_TRUE(read_tree(history_dir_).empty());
}

TEST_F(GenerateRoutes, CancelFromAnotherThreadReturnsPromptly) {
    auto c = client("openai", "delay=30");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "slow";
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        pictor_client_cancel(c.get());
    });
    ResultPtr result;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(generate(c.get(), request, result), PICTOR_ERR_CANCELLED);
    canceller.join();
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.5);
}

} // namespace
} // namespace pictor_test
