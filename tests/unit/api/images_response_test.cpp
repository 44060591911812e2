// read_images_response: answers as gateways really send them, and answers we cannot use.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/images_response.hpp"
#include "api_test_support.hpp"
#include "image/base64.hpp"

namespace pictor {
namespace {

using apitest::catch_error;

// Bytes whose base64 holds '+' and '/' (0xfb 0xff ...), with a length that needs padding.
std::string sample_bytes() {
    std::string bytes;
    for (int i = 0; i < 200; ++i)
        bytes += char(uint8_t(0xf8 + (i % 8)));
    bytes += "\x89PNG\r\n\x1a\n";
    bytes += "x"; // 209 bytes: 209 % 3 == 2, so the encoding ends with one '='
    return bytes;
}

std::string b64(const std::string &bytes) {
    return base64_encode(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
}

std::string body_with_b64(const std::string &value_as_json_text) {
    return R"({"created":1700000000,"data":[{"b64_json":")" + value_as_json_text + R"("}]})";
}

// Inserts `separator` (JSON-escaped text) every `every` characters.
std::string wrapped(const std::string &text, size_t every, const std::string &separator) {
    std::string out;
    for (size_t i = 0; i < text.size(); i += every)
        out += text.substr(i, every) + (i + every < text.size() ? separator : "");
    return out;
}

void expect_unusable(const std::string &body, const std::string &needle) {
    Error e = catch_error([&] { read_images_response(body); });
    EXPECT_KIND(e, ErrorKind::bad_response);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message should say \"" << needle << "\": " << e.what();
    EXPECT_TRUE(e.info().request_sent);
}

TEST(ImagesResponse, RawBase64) {
    std::string bytes = sample_bytes();
    ASSERT_NE(b64(bytes).find('/'), std::string::npos);
    ASSERT_NE(b64(bytes).find('='), std::string::npos);
    ImagesResponse r = read_images_response(body_with_b64(b64(bytes)));
    ASSERT_EQ(r.images.size(), 1u);
    EXPECT_EQ(r.images[0].bytes, bytes);
    EXPECT_TRUE(r.images[0].url.empty());
    EXPECT_TRUE(r.usage.is_null());
}

TEST(ImagesResponse, DataUrlPrefix) {
    std::string bytes = sample_bytes();
    ImagesResponse r = read_images_response(body_with_b64("data:image/png;base64," + b64(bytes)));
    ASSERT_EQ(r.images.size(), 1u);
    EXPECT_EQ(r.images[0].bytes, bytes);
    r = read_images_response(body_with_b64("data:image/webp;base64," + b64(bytes)));
    EXPECT_EQ(r.images[0].bytes, bytes);
}

TEST(ImagesResponse, MissingPadding) {
    std::string bytes = sample_bytes();
    std::string text = b64(bytes);
    while (!text.empty() && text.back() == '=')
        text.pop_back();
    EXPECT_EQ(read_images_response(body_with_b64(text)).images[0].bytes, bytes);
    EXPECT_EQ(read_images_response(body_with_b64("data:image/png;base64," + text)).images[0].bytes, bytes);
}

TEST(ImagesResponse, EscapedNewlinesInsideTheValue) {
    std::string bytes = sample_bytes();
    std::string text = b64(bytes);
    EXPECT_EQ(read_images_response(body_with_b64(wrapped(text, 76, "\\n"))).images[0].bytes, bytes);
    EXPECT_EQ(read_images_response(body_with_b64(wrapped(text, 64, "\\r\\n"))).images[0].bytes, bytes);
    EXPECT_EQ(read_images_response(body_with_b64(text + "\\n")).images[0].bytes, bytes);
}

TEST(ImagesResponse, EscapedSlashes) {
    std::string bytes = sample_bytes();
    std::string text = b64(bytes), escaped;
    for (char c : text)
        escaped += c == '/' ? std::string("\\/") : std::string(1, c);
    ASSERT_NE(escaped, text);
    EXPECT_EQ(read_images_response(body_with_b64(escaped)).images[0].bytes, bytes);
    EXPECT_EQ(read_images_response(body_with_b64("data:image\\/png;base64," + escaped)).images[0].bytes, bytes);
}

TEST(ImagesResponse, LeadingWhitespaceAndNewlines) {
    std::string bytes = sample_bytes();
    EXPECT_EQ(read_images_response("\n\n  \r\n\t" + body_with_b64(b64(bytes)) + "\n").images[0].bytes, bytes);
    // Whitespace before the value's data-URL prefix too.
    EXPECT_EQ(read_images_response(body_with_b64("\\n data:image/png;base64," + b64(bytes))).images[0].bytes,
              bytes);
}

TEST(ImagesResponse, UrlItems) {
    ImagesResponse r = read_images_response(
        R"({"data":[{"url":"https://cdn.example/a.png"},{"url":"https:\/\/cdn.example\/b.png","b64_json":""}]})");
    ASSERT_EQ(r.images.size(), 2u);
    EXPECT_EQ(r.images[0].url, "https://cdn.example/a.png");
    EXPECT_TRUE(r.images[0].bytes.empty());
    EXPECT_EQ(r.images[1].url, "https://cdn.example/b.png");
    r = read_images_response(R"({"data":[{"b64_json":null,"url":"https://cdn.example/c.png"}]})");
    EXPECT_EQ(r.images[0].url, "https://cdn.example/c.png");
}

TEST(ImagesResponse, SeveralImagesInOrder) {
    std::string a = "first image bytes", b = "second image bytes!";
    ImagesResponse r = read_images_response(R"({"data":[{"b64_json":")" + b64(a) + R"("},{"b64_json":")" +
                                            b64(b) + R"(","revised_prompt":"x"}]})");
    ASSERT_EQ(r.images.size(), 2u);
    EXPECT_EQ(r.images[0].bytes, a);
    EXPECT_EQ(r.images[1].bytes, b);
}

TEST(ImagesResponse, UsageIsKept) {
    std::string body = R"({"created":1,"data":[{"b64_json":"QUJD"}],"usage":{"input_tokens":50,"output_tokens":4160,)"
                       R"("total_tokens":4210,"input_tokens_details":{"text_tokens":50,"image_tokens":0}}})";
    ImagesResponse r = read_images_response(body);
    EXPECT_EQ(r.images[0].bytes, "ABC");
    ASSERT_TRUE(r.usage.is_object());
    EXPECT_EQ(r.usage["input_tokens"], 50);
    EXPECT_EQ(r.usage["output_tokens"], 4160);
    EXPECT_EQ(r.usage["total_tokens"], 4210);
    EXPECT_EQ(r.usage["input_tokens_details"]["text_tokens"], 50);
}

TEST(ImagesResponse, ErrorObjectInA200BodyHasTheServersKind) {
    Error e = catch_error([] {
        read_images_response(R"({"error":{"message":"Your request was rejected by the safety system.",)"
                             R"("type":"image_generation_user_error","param":null,"code":"moderation_blocked"}})");
    });
    EXPECT_KIND(e, ErrorKind::moderation_blocked);
    EXPECT_EQ(e.info().code, "moderation_blocked");
    EXPECT_NE(std::string(e.what()).find("safety system"), std::string::npos) << e.what();
    EXPECT_TRUE(e.info().request_sent);
}

TEST(ImagesResponse, OtherErrorObjectInA200BodyIsBadResponseQuotingTheServer) {
    Error e = catch_error([] { read_images_response(R"({"error":{"message":"upstream exploded","code":"x"}})"); });
    EXPECT_KIND(e, ErrorKind::bad_response);
    EXPECT_NE(std::string(e.what()).find("upstream exploded"), std::string::npos) << e.what();
    EXPECT_TRUE(e.info().request_sent);
}

TEST(ImagesResponse, NullErrorFieldIsNotAnError) {
    ImagesResponse r = read_images_response(R"({"error":null,"data":[{"b64_json":"QUJD"}]})");
    EXPECT_EQ(r.images[0].bytes, "ABC");
}

TEST(ImagesResponse, NotJson) {
    expect_unusable("<html><body>502 Bad Gateway</body></html>", "not JSON");
    expect_unusable("", "not JSON");
    expect_unusable(R"({"data":[{"b64_json":"QUJD"}])", "not JSON"); // truncated
}

TEST(ImagesResponse, NotJsonMessageQuotesTheStartWithoutControlCharacters) {
    Error e = catch_error([] { read_images_response("<html>\r\n<title>Gateway\tError</title>"); });
    std::string message = e.what();
    EXPECT_NE(message.find("<html>"), std::string::npos) << message;
    for (char c : message)
        EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << "control character in: " << message;
}

TEST(ImagesResponse, NotJsonMessageStaysValidUtf8) {
    // 100 CJK characters: the 80-byte excerpt must not end inside one (the message is a UTF-8
    // string at the C ABI and goes through nlohmann::json::dump() in the result's errors).
    std::string body = "<html>";
    for (int i = 0; i < 100; ++i)
        body += "\xE9\x94\x99";
    Error e = catch_error([&] { read_images_response(body); });
    EXPECT_KIND(e, ErrorKind::bad_response);
    EXPECT_NO_THROW(nlohmann::json(std::string(e.what())).dump()) << "message is not valid UTF-8";
}

TEST(ImagesResponse, NotAnObject) {
    expect_unusable(R"([{"b64_json":"QUJD"}])", "not a JSON object");
    expect_unusable(R"("QUJD")", "not a JSON object");
}

TEST(ImagesResponse, NoData) {
    expect_unusable(R"({"created":1})", "\"data\"");
    expect_unusable(R"({"data":{"b64_json":"QUJD"}})", "\"data\"");
}

TEST(ImagesResponse, EmptyData) { expect_unusable(R"({"created":1,"data":[]})", "empty"); }

TEST(ImagesResponse, ItemWithoutB64OrUrl) {
    expect_unusable(R"({"data":[{"revised_prompt":"x"}]})", "neither b64_json nor url");
    expect_unusable(R"({"data":[{"b64_json":""}]})", "neither b64_json nor url");
    expect_unusable(R"({"data":["QUJD"]})", "not an object");
}

TEST(ImagesResponse, BrokenBase64) {
    expect_unusable(body_with_b64("QUJD$$$$"), "base64");
    expect_unusable(body_with_b64("QUJDR"), "base64"); // one dangling character: truncated
    expect_unusable(body_with_b64("QU=JD"), "base64");
}

// Usage of several calls adds up member by member; what is not an object never throws.
TEST(AddUsage, AddsNestedIntegersAndIgnoresNonObjects) {
    nlohmann::json total;
    add_usage(total, nlohmann::json(5));
    EXPECT_TRUE(total.is_null());
    add_usage(total, nlohmann::json::parse(R"({"total_tokens": 10, "input_tokens_details": {"text_tokens": 3}})"));
    add_usage(total, nlohmann::json::parse(R"({"total_tokens": 7, "output_tokens": 2,
                                               "input_tokens_details": {"text_tokens": 4}})"));
    EXPECT_NO_THROW(add_usage(total, nlohmann::json::array({1, 2})));
    EXPECT_NO_THROW(add_usage(total, nlohmann::json("n/a")));
    EXPECT_EQ(total, nlohmann::json::parse(R"({"total_tokens": 17, "output_tokens": 2,
                                                "input_tokens_details": {"text_tokens": 7}})"));
    // A total that is not an object (an odd first answer) is replaced by the next object.
    nlohmann::json odd = "n/a";
    add_usage(odd, nlohmann::json::parse(R"({"total_tokens": 1})"));
    EXPECT_EQ(odd, nlohmann::json::parse(R"({"total_tokens": 1})"));
}

TEST(Unusable, IsBadResponseThatMayBeBilled) {
    const ErrorInfo e = catch_error([] { unusable("no data"); }).info();
    EXPECT_EQ(e.kind, ErrorKind::bad_response);
    EXPECT_TRUE(e.request_sent);
    EXPECT_TRUE(e.may_be_billed);
    EXPECT_NE(e.message.find("no data"), std::string::npos);
}

TEST(StripDataUrlPrefix, Cases) {
    EXPECT_EQ(strip_data_url_prefix("data:image/png;base64,AAAA"), "AAAA");
    EXPECT_EQ(strip_data_url_prefix("AAAA"), "AAAA");
    EXPECT_EQ(strip_data_url_prefix("  \nAAAA"), "AAAA");
    EXPECT_EQ(strip_data_url_prefix("data:image/jpeg;base64,"), "");
}

} // namespace
} // namespace pictor
