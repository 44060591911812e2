// The shapes gateways really answer in: all must give the same image.
#include "abi_fixture.hpp"

namespace pictor_test {
namespace {

class ResponseShapes : public AbiTest {
protected:
    // Generates through `scenario` and returns the first image's size, or fails the test.
    ResultPtr generate_ok(const std::string &profile, const std::string &scenario, const char *format = nullptr) {
        auto c = client(profile, scenario);
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "shapes";
        request.output_format = format;
        ResultPtr result;
        EXPECT_EQ(generate(c.get(), request, result), PICTOR_OK)
            << scenario << ": " << pictor_client_last_error(c.get())->message;
        return result;
    }
};

TEST_F(ResponseShapes, EveryBase64StyleDecodesToTheServedImage) {
    for (const char *style : {"raw", "dataurl", "nopad", "dataurl_nopad", "wrapped", "escaped_newlines", "escaped_slashes"}) {
        mock().reset();
        ResultPtr result = generate_ok("openai", std::string("b64=") + style);
        ASSERT_TRUE(result) << style;
        const pictor_image *image = pictor_result_image(result.get(), 0);
        ASSERT_NE(image, nullptr) << style;
        EXPECT_EQ(pictor_image_width(image), 1024u) << style;
        size_t size = 0;
        const uint8_t *bytes = pictor_image_encoded(image, &size);
        ASSERT_GT(size, 8u) << style;
        EXPECT_EQ(bytes[1], 'P') << style; // \x89PNG
        EXPECT_EQ(mock().api_requests()[0]["images"][0]["sha256"].get<std::string>().size(), 64u);
    }
}

TEST_F(ResponseShapes, LeadingWhitespaceAndHeartbeatsBeforeTheJson) {
    EXPECT_TRUE(generate_ok("openai", "leading_ws=1"));
    EXPECT_TRUE(generate_ok("openai", "heartbeat=0.2,delay=1"));
}

TEST_F(ResponseShapes, UrlAnswersAreFetchedWithoutTheKey) {
    ResultPtr result = generate_ok("openai", "response=url");
    ASSERT_TRUE(result);
    EXPECT_EQ(pictor_image_width(pictor_result_image(result.get(), 0)), 1024u);
    nlohmann::json all = mock().requests();
    bool fetched = false;
    for (const auto &r : all)
        if (r["endpoint"] == "file") {
            fetched = true;
            EXPECT_TRUE(r["authorization"].is_null()) << "the key went to the image host: " << r.dump();
        }
    EXPECT_TRUE(fetched);
}

TEST_F(ResponseShapes, FormatIsSniffedNotAssumed) {
    ResultPtr jpeg = generate_ok("openai", "format=jpeg"); // png asked, jpeg served
    ASSERT_TRUE(jpeg);
    EXPECT_STREQ(pictor_image_format(pictor_result_image(jpeg.get(), 0)), "jpeg");
    ResultPtr webp = generate_ok("openai", "format=webp");
    ASSERT_TRUE(webp);
    EXPECT_STREQ(pictor_image_format(pictor_result_image(webp.get(), 0)), "webp");
    EXPECT_EQ(pictor_image_width(pictor_result_image(webp.get(), 0)), 1024u);
    ResultPtr asked = generate_ok("openai", "", "webp");
    ASSERT_TRUE(asked);
    EXPECT_EQ(mock().api_requests().back()["json"]["output_format"], "webp");
    EXPECT_STREQ(pictor_image_format(pictor_result_image(asked.get(), 0)), "webp");
}

TEST_F(ResponseShapes, RequestIdComesFromEitherHeader) {
    ResultPtr a = generate_ok("openai", "request_id_header=x-api-request-id");
    ASSERT_TRUE(a);
    std::string id = pictor_image_request_id(pictor_result_image(a.get(), 0));
    EXPECT_FALSE(id.empty());
    EXPECT_EQ(id, mock().api_requests().back()["request_id"]);
}

} // namespace
} // namespace pictor_test
