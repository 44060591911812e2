// error_from_body / error_from_response: every failure becomes a typed error saying what
// happened, whether it may have been billed, and what to do.
#include <gtest/gtest.h>

#include <curl/curl.h>

#include <string>

#include <nlohmann/json.hpp>

#include "api/http_error.hpp"

namespace pictor {
namespace {

std::string kind(const ErrorInfo &info) { return error_kind_name(info.kind); }

bool mentions(const std::string &text, const std::string &needle) { return text.find(needle) != std::string::npos; }

bool has_control_characters(const std::string &text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return true;
    return false;
}

// Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF): the C ABI promises UTF-8
// strings, and nlohmann::json::dump() throws on anything else.
bool valid_utf8(const std::string &text) {
    size_t i = 0;
    while (i < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        size_t extra;
        uint32_t cp;
        if (c < 0x80) { ++i; continue; }
        if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; }
        else return false;
        if (i + extra > text.size() - 1) return false;
        for (size_t k = 1; k <= extra; ++k) {
            unsigned char d = static_cast<unsigned char>(text[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = cp << 6 | (d & 0x3F);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += extra + 1;
    }
    return true;
}

size_t times_in(const std::string &text, const std::string &needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

TEST(Utf8Check, SelfTest) {
    EXPECT_TRUE(valid_utf8("plain"));
    EXPECT_TRUE(valid_utf8("\xE9\x94\x99\xE8\xAF\xAF"));      // 错误
    EXPECT_FALSE(valid_utf8("\xE9\x94"));                         // cut short
    EXPECT_FALSE(valid_utf8("\xB4\xED\xCE\xF3"));               // GBK bytes
    EXPECT_FALSE(valid_utf8("a\xE9"));
}

// ---- error_from_body ------------------------------------------------------------------------------

TEST(ErrorFromBody, InvalidSize400) {
    ErrorInfo info = error_from_body(
        400, R"({"error":{"message":"Invalid size '1000x1000'. Requested resolution must be a multiple of 16.",)"
             R"("type":"invalid_request_error","param":"size","code":"invalid_value"}})");
    EXPECT_EQ(kind(info), "invalid_request");
    EXPECT_EQ(info.http_status, 400);
    EXPECT_EQ(info.code, "invalid_value");
    EXPECT_TRUE(info.request_sent);
    EXPECT_FALSE(info.may_be_billed);
    EXPECT_TRUE(mentions(info.message, "Invalid size '1000x1000'")) << info.message;
}

TEST(ErrorFromBody, Unauthorized401) {
    ErrorInfo info = error_from_body(401, R"({"error":{"message":"Incorrect API key provided: sk-ab***cd.",)"
                                          R"("type":"invalid_request_error","code":"invalid_api_key"}})");
    EXPECT_EQ(kind(info), "auth");
    EXPECT_EQ(info.http_status, 401);
    EXPECT_EQ(info.code, "invalid_api_key");
    EXPECT_TRUE(mentions(info.message, "Incorrect API key")) << info.message;
    EXPECT_TRUE(mentions(info.message, "PICTOR_API_KEY")) << "advice on where the key comes from: " << info.message;
    EXPECT_FALSE(info.may_be_billed);
}

TEST(ErrorFromBody, ModerationBlocked403) {
    ErrorInfo info = error_from_body(
        403, R"({"error":{"message":"Your request was rejected as a result of our safety system.",)"
             R"("type":"image_generation_user_error","param":null,"code":"moderation_blocked"}})");
    EXPECT_EQ(kind(info), "moderation_blocked");
    EXPECT_EQ(info.code, "moderation_blocked");
    EXPECT_EQ(info.http_status, 403);
    EXPECT_FALSE(info.may_be_billed) << "moderation refusals are not billed";
    EXPECT_TRUE(mentions(info.message, "safety system")) << info.message;
}

TEST(ErrorFromBody, ModerationBlocked400) {
    ErrorInfo info = error_from_body(400, R"({"error":{"message":"Blocked.","code":"moderation_blocked"}})");
    EXPECT_EQ(kind(info), "moderation_blocked");
    EXPECT_EQ(info.http_status, 400);
    EXPECT_FALSE(info.may_be_billed);
}

TEST(ErrorFromBody, Forbidden403WithoutModerationCode) {
    ErrorInfo info = error_from_body(403, R"({"error":{"message":"Access denied for this organization.",)"
                                          R"("code":"forbidden"}})");
    EXPECT_EQ(kind(info), "auth");
    EXPECT_EQ(info.http_status, 403);
    EXPECT_TRUE(mentions(info.message, "403")) << info.message;
    EXPECT_TRUE(mentions(info.message, "Access denied for this organization")) << info.message;
}

TEST(ErrorFromBody, RateLimited429) {
    ErrorInfo info = error_from_body(429, R"({"error":{"message":"Rate limit reached for requests",)"
                                          R"("type":"requests","code":"rate_limit_exceeded"}})");
    EXPECT_EQ(kind(info), "rate_limited");
    EXPECT_EQ(info.code, "rate_limit_exceeded");
    EXPECT_TRUE(mentions(info.message, "Rate limit reached")) << info.message;
    EXPECT_FALSE(info.may_be_billed);
}

TEST(ErrorFromBody, ServerErrors500And503) {
    for (long status : {500L, 502L, 503L}) {
        ErrorInfo info = error_from_body(status, R"({"error":{"message":"upstream error","type":"server_error"}})");
        EXPECT_EQ(kind(info), "server") << status;
        EXPECT_EQ(info.http_status, status);
        EXPECT_FALSE(info.may_be_billed) << status;
        EXPECT_TRUE(mentions(info.message, std::to_string(status))) << info.message;
        EXPECT_TRUE(mentions(info.message, "upstream error")) << info.message;
    }
}

TEST(ErrorFromBody, ServiceUnavailableOnChatEndpointSaysCheckBaseUrl) {
    ErrorInfo info = error_from_body(503, R"({"error":{"message":"This model is only available on /v1/chat/completions"}})");
    EXPECT_EQ(kind(info), "server");
    EXPECT_TRUE(mentions(info.message, "base URL")) << info.message;
}

TEST(ErrorFromBody, GatewayTimeouts504And524MayBeBilled) {
    for (long status : {504L, 524L}) {
        ErrorInfo info = error_from_body(status, "<html><body>Gateway Time-out</body></html>");
        EXPECT_EQ(kind(info), "server") << status;
        EXPECT_TRUE(info.may_be_billed) << status << ": upstream may still generate and bill";
        EXPECT_TRUE(info.request_sent);
        EXPECT_TRUE(mentions(info.message, std::to_string(status))) << info.message;
        EXPECT_EQ(times_in(user_message(info), "may still be billed"), 1u) << user_message(info);
    }
}

TEST(ErrorFromBody, NoAvailableChannel) {
    ErrorInfo info = error_from_body(
        503, R"({"error":{"message":"No available channel for model gpt-image-2-vip under group default",)"
             R"("type":"new_api_error","code":"model_not_found"}})");
    EXPECT_EQ(kind(info), "server");
    EXPECT_TRUE(mentions(info.message, "No available channel")) << info.message;
    EXPECT_TRUE(mentions(info.message, "token group")) << info.message;
    EXPECT_TRUE(mentions(info.message, "profile")) << info.message;

    ErrorInfo as400 = error_from_body(400, R"({"error":"No available channel for model gpt-image-2"})");
    EXPECT_EQ(kind(as400), "invalid_request");
    EXPECT_TRUE(mentions(as400.message, "token group")) << as400.message;
}

TEST(ErrorFromBody, UnwrappedErrorObject) {
    ErrorInfo info = error_from_body(400, R"({"message":"Invalid size","type":"invalid_request_error",)"
                                          R"("param":"size","code":"invalid_size"})");
    EXPECT_EQ(kind(info), "invalid_request");
    EXPECT_EQ(info.code, "invalid_size");
    EXPECT_TRUE(mentions(info.message, "Invalid size")) << info.message;

    ErrorInfo moderation = error_from_body(400, R"({"code":"moderation_blocked","message":"blocked"})");
    EXPECT_EQ(kind(moderation), "moderation_blocked");
}

TEST(ErrorFromBody, ErrorAsAPlainString) {
    ErrorInfo info = error_from_body(401, R"({"error":"invalid token"})");
    EXPECT_EQ(kind(info), "auth");
    EXPECT_TRUE(mentions(info.message, "invalid token")) << info.message;
}

TEST(ErrorFromBody, SafetySystemTextWithoutCodeIsModeration) {
    ErrorInfo info = error_from_body(400, R"({"error":{"message":"Your request was rejected by the safety system."}})");
    EXPECT_EQ(kind(info), "moderation_blocked");
    EXPECT_EQ(info.code, "moderation_blocked");
}

TEST(ErrorFromBody, HtmlBodyIsQuotedWithoutControlCharacters) {
    std::string html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\n\t<center><h1>502 Bad "
                       "Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n";
    ErrorInfo info = error_from_body(502, html);
    EXPECT_EQ(kind(info), "server");
    EXPECT_TRUE(mentions(info.message, "502 Bad Gateway")) << info.message;
    EXPECT_FALSE(has_control_characters(info.message)) << info.message;
}

TEST(ErrorFromBody, LongHtmlBodyIsAnExcerpt) {
    std::string html = "<html><body>" + std::string(5000, 'z') + "</body></html>";
    ErrorInfo info = error_from_body(500, html);
    EXPECT_EQ(kind(info), "server");
    EXPECT_TRUE(mentions(info.message, "<html><body>zzz")) << info.message;
    EXPECT_LT(info.message.size(), 600u) << "the message should quote an excerpt, not the whole body";
    EXPECT_FALSE(mentions(info.message, "</html>"));
}

TEST(ErrorFromBody, EmptyBodyStillGivesAMessage) {
    ErrorInfo info = error_from_body(500, "");
    EXPECT_EQ(kind(info), "server");
    EXPECT_TRUE(mentions(info.message, "500")) << info.message;
}

TEST(ErrorFromBody, NotFoundAndTooLarge) {
    ErrorInfo nf = error_from_body(404, R"j({"error":{"message":"Invalid URL (POST /v1/images/generation)"}})j");
    EXPECT_EQ(kind(nf), "invalid_request");
    EXPECT_TRUE(mentions(nf.message, "base URL")) << nf.message;
    ErrorInfo big = error_from_body(413, "Request Entity Too Large");
    EXPECT_EQ(kind(big), "too_large");
}

std::string chinese_html(int characters) {
    std::string text = "<html><body><h1>";
    for (int i = 0; i < characters; ++i)
        text += "\xE9\x94\x99"; // 错, 3 bytes
    return text + "</h1></body></html>";
}

TEST(PrintableExcerpt, CutDoesNotSplitAUtf8Character) {
    std::string text;
    for (int i = 0; i < 300; ++i)
        text += "\xE9\x94\x99";
    for (size_t max : {200u, 201u, 202u, 80u, 1u}) {
        std::string cut = printable_excerpt(text, max);
        EXPECT_TRUE(valid_utf8(cut)) << "max_chars " << max << " leaves a broken character at the end";
    }
}

TEST(PrintableExcerpt, InvalidBytesFromTheServerAreNotPassedOn) {
    // A GBK-encoded error page ("错误" in GBK), common behind Chinese gateways.
    std::string cut = printable_excerpt("<h1>\xB4\xED\xCE\xF3</h1>", 200);
    EXPECT_TRUE(valid_utf8(cut)) << cut;
    EXPECT_NE(cut.find("<h1>"), std::string::npos);
}

TEST(ErrorFromBody, MessageForALongChineseHtmlPageIsValidUtf8) {
    // 502 page of 300 CJK characters: the 200-byte excerpt must not end inside one, or the
    // message breaks the ABI's UTF-8 promise and makes nlohmann::json::dump() throw when the
    // error is put into the result's "errors" list.
    ErrorInfo info = error_from_body(502, chinese_html(300));
    EXPECT_EQ(kind(info), "server");
    EXPECT_TRUE(valid_utf8(info.message)) << info.message;
    EXPECT_NO_THROW(nlohmann::json({{"message", info.message}}).dump());
}

TEST(ErrorFromBody, MessageForAGbkPageIsValidUtf8) {
    ErrorInfo info = error_from_body(500, "<html><title>\xB7\xFE\xCE\xF1\xC6\xF7\xB4\xED\xCE\xF3</title></html>");
    EXPECT_TRUE(valid_utf8(info.message)) << info.message;
    EXPECT_NO_THROW(nlohmann::json({{"message", info.message}}).dump());
}

TEST(PrintableExcerpt, ReplacesControlCharactersAndCuts) {
    EXPECT_EQ(printable_excerpt("a\nb\tc\x7f" "d", 100), "a b c d");
    std::string cut = printable_excerpt(std::string(50, 'q'), 10);
    EXPECT_EQ(cut.substr(0, 10), std::string(10, 'q'));
    EXPECT_LE(cut.size(), 13u);
    EXPECT_EQ(printable_excerpt("short", 10), "short");
}

// ---- error_from_response ------------------------------------------------------------------------

ErrorContext context() {
    ErrorContext c;
    c.profile = "openai";
    c.host = "api.openai.com";
    c.timeout_s = 240;
    return c;
}

net::HttpResponse curl_failure(int code, bool upload_complete) {
    net::HttpResponse r;
    r.status = 0;
    r.curl_code = code;
    r.curl_error = curl_easy_strerror(CURLcode(code));
    r.upload_complete = upload_complete;
    if (upload_complete) {
        r.bytes_sent = 4096;
        r.connect_s = 0.2;
        r.upload_done_s = 0.5;
    }
    return r;
}

TEST(ErrorFromResponse, ConnectionRefusedIsNetworkAndNotBilled) {
    ErrorInfo info = error_from_response(curl_failure(CURLE_COULDNT_CONNECT, false), context());
    EXPECT_EQ(kind(info), "network");
    EXPECT_FALSE(info.may_be_billed);
    EXPECT_FALSE(info.request_sent);
    EXPECT_EQ(info.http_status, 0);
    EXPECT_TRUE(mentions(info.message, "api.openai.com")) << info.message;
}

TEST(ErrorFromResponse, DnsFailureIsNetwork) {
    ErrorInfo info = error_from_response(curl_failure(CURLE_COULDNT_RESOLVE_HOST, false), context());
    EXPECT_EQ(kind(info), "network");
    EXPECT_FALSE(info.request_sent);
    EXPECT_TRUE(mentions(info.message, "api.openai.com")) << info.message;
}

TEST(ErrorFromResponse, TimeoutAfterUploadMayBeBilled) {
    ErrorInfo info = error_from_response(curl_failure(CURLE_OPERATION_TIMEDOUT, true), context());
    EXPECT_EQ(kind(info), "timeout");
    EXPECT_TRUE(info.may_be_billed);
    EXPECT_TRUE(info.request_sent);
    EXPECT_TRUE(mentions(info.message, "240")) << "names the timeout: " << info.message;
}

TEST(ErrorFromResponse, ConnectTimeoutIsNotBilled) {
    ErrorInfo info = error_from_response(curl_failure(CURLE_OPERATION_TIMEDOUT, false), context());
    EXPECT_EQ(kind(info), "timeout");
    EXPECT_FALSE(info.may_be_billed);
    EXPECT_FALSE(info.request_sent);
}

TEST(ErrorFromResponse, ReceiveErrorAfterUploadIsNetworkAndMayBeBilled) {
    ErrorInfo info = error_from_response(curl_failure(CURLE_RECV_ERROR, true), context());
    EXPECT_EQ(kind(info), "network");
    EXPECT_TRUE(info.may_be_billed);
    EXPECT_TRUE(info.request_sent);
    EXPECT_EQ(times_in(user_message(info), "may still be billed"), 1u) << user_message(info);
}

// The billing note and the request id come from the fields, once, in one wording; the core's
// message itself says neither (hosts that word their own text read the fields).
TEST(UserMessage, AddsTheBillingNoteAndRequestIdOnceFromTheFields) {
    net::HttpResponse r = curl_failure(CURLE_OPERATION_TIMEDOUT, true);
    r.headers["x-request-id"] = "req_once";
    ErrorInfo info = error_from_response(r, context());
    ASSERT_EQ(info.request_id, "req_once");
    EXPECT_EQ(times_in(info.message, "bill"), 0u) << info.message;
    EXPECT_EQ(times_in(info.message, "req_once"), 0u) << info.message;
    const std::string shown = user_message(info);
    EXPECT_EQ(shown, info.message + " This request may still be billed. (request id req_once)");
    info.may_be_billed = false;
    info.request_id.clear();
    EXPECT_EQ(user_message(info), info.message) << "nothing added when the fields say nothing";
}

TEST(ErrorFromResponse, EmptyReplyBeforeUploadCompleteIsNotBilled) {
    ErrorInfo info = error_from_response(curl_failure(CURLE_SEND_ERROR, false), context());
    EXPECT_EQ(kind(info), "network");
    EXPECT_FALSE(info.may_be_billed);
}

TEST(ErrorFromResponse, CertificateFailureIsTls) {
    for (int code : {int(CURLE_PEER_FAILED_VERIFICATION), int(CURLE_SSL_CONNECT_ERROR)}) {
        ErrorInfo info = error_from_response(curl_failure(code, false), context());
        EXPECT_EQ(kind(info), "tls") << code;
        EXPECT_FALSE(info.may_be_billed);
        EXPECT_FALSE(info.request_sent);
        EXPECT_TRUE(mentions(info.message, "ca_file")) << info.message;
    }
}

TEST(ErrorFromResponse, Cancelled) {
    net::HttpResponse r;
    r.cancelled = true;
    r.curl_code = CURLE_ABORTED_BY_CALLBACK;
    ErrorInfo info = error_from_response(r, context());
    EXPECT_EQ(kind(info), "cancelled");
    EXPECT_FALSE(info.may_be_billed);

    r.upload_complete = true;
    r.bytes_sent = 100;
    info = error_from_response(r, context());
    EXPECT_EQ(kind(info), "cancelled");
    EXPECT_TRUE(info.may_be_billed) << "the server never cancels a request it received";
    EXPECT_TRUE(info.request_sent);
}

TEST(ErrorFromResponse, CutAtCapIsTooLarge) {
    net::HttpResponse r;
    r.status = 200;
    r.cut_at_cap = true;
    r.upload_complete = true;
    r.bytes_received = 600ull << 20;
    r.curl_code = CURLE_WRITE_ERROR;
    ErrorInfo info = error_from_response(r, context());
    EXPECT_EQ(kind(info), "too_large");
    EXPECT_TRUE(info.may_be_billed);
    EXPECT_TRUE(mentions(info.message, "600")) << info.message;
}

TEST(ErrorFromResponse, HttpErrorsUseTheBodyAndKeepTheRequestId) {
    net::HttpResponse r;
    r.status = 429;
    r.upload_complete = true;
    r.body = R"({"error":{"message":"Too many requests","code":"rate_limit_exceeded"}})";
    r.headers["x-request-id"] = "req_123";
    ErrorInfo info = error_from_response(r, context());
    EXPECT_EQ(kind(info), "rate_limited");
    EXPECT_EQ(info.request_id, "req_123");
    EXPECT_EQ(info.http_status, 429);

    r.status = 504;
    r.body = "";
    r.headers.clear();
    r.headers["x-api-request-id"] = "api-req-9";
    info = error_from_response(r, context());
    EXPECT_EQ(kind(info), "server");
    EXPECT_TRUE(info.may_be_billed);
    EXPECT_EQ(info.request_id, "api-req-9");
}

TEST(ErrorFromResponse, MalformedUrlIsNotSent) {
    ErrorInfo info = error_from_response(curl_failure(CURLE_URL_MALFORMAT, false), context());
    EXPECT_EQ(kind(info), "invalid_request");
    EXPECT_FALSE(info.request_sent);
    EXPECT_FALSE(info.may_be_billed);
}

TEST(RequestIdOf, PrefersXRequestIdThenXApiRequestId) {
    net::HttpResponse r;
    EXPECT_EQ(request_id_of(r), "");
    r.headers["x-api-request-id"] = "second";
    EXPECT_EQ(request_id_of(r), "second");
    r.headers["x-request-id"] = "first";
    EXPECT_EQ(request_id_of(r), "first");
}

} // namespace
} // namespace pictor
