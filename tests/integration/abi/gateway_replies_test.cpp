// Replies the documented routes really send (GATEWAYS.md and the gateways' own pages), on the
// profiles that meet them, not only openai: what pictor makes of each.
#include "abi_fixture.hpp"

#include <chrono>
#include <cstring>

namespace pictor_test {
namespace {

class GatewayReplies : public AbiTest {
protected:
    struct Outcome {
        pictor_status status = PICTOR_OK;
        int http_status = 0, may_be_billed = 0;
        std::string kind, message;
        size_t requests = 0, images = 0;
        double seconds = 0;
    };

    Outcome run(const std::string &profile, const std::string &scenario, int n = 1, bool as_edit = false) {
        mock().reset();
        auto c = client(profile, scenario);
        static const std::string png = make_png(64, 48, false);
        static pictor_input_image image{reinterpret_cast<const uint8_t *>(png.data()), png.size(), "a.png"};
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "a documented reply";
        request.n = n;
        if (as_edit) {
            request.images = &image;
            request.image_count = 1;
        }
        ResultPtr result;
        auto start = std::chrono::steady_clock::now();
        Outcome out;
        out.status = as_edit ? edit(c.get(), request, result) : generate(c.get(), request, result);
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const pictor_error *e = pictor_client_last_error(c.get());
        if (out.status != PICTOR_OK) {
            out.http_status = e->http_status;
            out.may_be_billed = e->may_be_billed;
            out.kind = e->kind ? e->kind : "";
            out.message = e->message ? e->message : "";
        }
        out.images = result ? pictor_result_image_count(result.get()) : 0;
        out.requests = mock().api_requests().size();
        return out;
    }
};

TEST_F(GatewayReplies, NoAvailableChannelSaysPickTheProfileOfTheKeysGroup) {
    for (const char *profile : {"laozhang", "laozhang-official", "ruoli"}) {
        Outcome o = run(profile, "no_channel=1");
        EXPECT_NE(o.status, PICTOR_OK) << profile;
        EXPECT_EQ(o.http_status, 503) << profile;
        EXPECT_NE(o.message.find("token group"), std::string::npos) << profile << ": " << o.message;
        EXPECT_EQ(o.images, 0u);
    }
}

// Retrying cannot help: the key's group has no channel.
TEST_F(GatewayReplies, NoAvailableChannelIsNotRetried) {
    for (const char *profile : {"laozhang", "laozhang-official", "ruoli"}) {
        Outcome o = run(profile, "no_channel=1");
        EXPECT_EQ(o.requests, 1u) << profile << ": \"No available channel\" was sent again";
    }
}

// APIYI documents its 403 as a content-moderation block (the profiles say so:
// response.forbidden_is_moderation).
TEST_F(GatewayReplies, ApiyiForbiddenIsAModerationBlock) {
    for (const char *profile : {"apiyi", "apiyi-all"}) {
        Outcome o = run(profile, "status=403");
        EXPECT_EQ(o.status, PICTOR_ERR_MODERATION_BLOCKED) << profile << ": " << o.message;
        EXPECT_EQ(o.requests, 1u);
    }
}

TEST_F(GatewayReplies, ModerationBlockInApiyisStatusCodeBody) {
    Outcome o = run("apiyi", "code=moderation_blocked,error_format=status_code");
    EXPECT_EQ(o.status, PICTOR_ERR_MODERATION_BLOCKED) << o.message;
    EXPECT_EQ(o.requests, 1u);
}

TEST_F(GatewayReplies, NewApiErrorBodiesCarryTheServersMessage) {
    Outcome bad = run("laozhang", "status=400,message=Invalid%20prompt%20length,error_format=new_api");
    EXPECT_EQ(bad.status, PICTOR_ERR_INVALID_REQUEST);
    EXPECT_NE(bad.message.find("Invalid prompt length (request id: req_"), std::string::npos) << bad.message;
    EXPECT_EQ(bad.requests, 1u);

    Outcome moderated = run("ruoli", "code=moderation_blocked,error_format=new_api");
    EXPECT_EQ(moderated.status, PICTOR_ERR_MODERATION_BLOCKED) << moderated.message;

    Outcome bare = run("laozhang-official", "status=429,retry_after=0,message=slow%20down,error_format=string");
    EXPECT_EQ(bare.status, PICTOR_ERR_RATE_LIMITED);
    EXPECT_NE(bare.message.find("slow down"), std::string::npos) << bare.message;
}

TEST_F(GatewayReplies, AnswerWithBothUrlAndB64JsonGivesTheServedImageOnce) {
    for (const char *profile : {"apiyi-vip", "laozhang-vip", "openai"}) {
        mock().reset();
        auto c = client(profile, "response=both");
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "both";
        ResultPtr result;
        ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << profile << ": " << pictor_client_last_error(c.get())->message;
        ASSERT_EQ(pictor_result_image_count(result.get()), 1u);
        const pictor_image *image = pictor_result_image(result.get(), 0);
        nlohmann::json served = mock().api_requests()[0]["images"][0];
        // The pixels PIL decodes from what was served.
        std::string expected = mock().get(served["fetch"].get<std::string>() + ".rgba");
        ASSERT_EQ(pictor_image_width(image), served["width"].get<uint32_t>());
        ASSERT_EQ(expected.size(), size_t(pictor_image_width(image)) * pictor_image_height(image) * 4);
        EXPECT_EQ(std::memcmp(pictor_image_rgba(image), expected.data(), expected.size()), 0) << profile;
    }
}

TEST_F(GatewayReplies, FewerImagesThanAskedAreKeptAndNotResentInSilence) {
    for (const char *profile : {"openai", "laozhang-official", "ruoli"}) {
        Outcome o = run(profile, "images=1", 3);
        EXPECT_EQ(o.images, 1u) << profile << ": " << o.message;
        EXPECT_EQ(o.requests, 1u) << profile << ": the missing images were asked for again without a word";
    }
}

TEST_F(GatewayReplies, GatewayTimeoutAfterALongWaitIsNotRetriedAndMayBeBilled) {
    for (const char *profile : {"laozhang-official", "ruoli", "apiyi"}) {
        Outcome o = run(profile, "status=504,error_delay=1.5");
        EXPECT_EQ(o.http_status, 504) << profile;
        EXPECT_EQ(o.may_be_billed, 1) << profile;
        EXPECT_EQ(o.requests, 1u) << profile;
        EXPECT_GE(o.seconds, 1.5);
        EXPECT_EQ(o.images, 0u);
    }
    // Committed 200 and keep-alive spaces, then the error in the body: the wait was long enough
    // for the image to have been made, so it is never resent.
    Outcome late = run("laozhang-official", "status=500,heartbeat=0.3,error_delay=1.2");
    EXPECT_NE(late.status, PICTOR_OK);
    EXPECT_EQ(late.requests, 1u);
    EXPECT_EQ(late.may_be_billed, 1);
}

// RuoLi documents generations only (its profile: edits.served false): an edit is refused
// before anything is sent.
TEST_F(GatewayReplies, RuoliEditIsRefusedBeforeSending) {
    Outcome o = run("ruoli", "", 1, true);
    EXPECT_EQ(o.status, PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(o.requests, 0u);
}

} // namespace
} // namespace pictor_test
