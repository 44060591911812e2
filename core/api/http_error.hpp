// Turns a failed exchange into a typed error that says what happened and what to do.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "net/http_exchange.hpp"

namespace pictor {

struct ErrorContext {
    std::string profile;      // for advice ("profile apiyi-vip")
    std::string host;         // the gateway's host, for network advice
    double timeout_s = 0;
    bool generations = true;  // moderation advice differs for edits
    bool forbidden_is_moderation = false; // the profile's: a 403 is a moderation block
};

// HTTP status + body ({"error":{...}} or unwrapped) -> kind, message, code. The message quotes
// the server and adds advice. request_sent is true.
ErrorInfo error_from_body(long status, const std::string &body, bool forbidden_is_moderation = false);

// Any failed response: HTTP errors, curl failures, cancel, the size cap.
ErrorInfo error_from_response(const net::HttpResponse &response, const ErrorContext &context);

// Up to max_chars of text, control characters replaced, for quoting a server in a message.
std::string printable_excerpt(const std::string &text, size_t max_chars);

// Valid UTF-8 or not; the text with each byte outside a valid sequence replaced by '?'.
// Servers and users send any bytes, but JSON cannot carry them.
bool is_valid_utf8(const std::string &text);
std::string valid_utf8(const std::string &text);

// JSON as nlohmann::json::parse without exceptions (discarded when not JSON), except that stray
// non-UTF-8 bytes in strings (a gateway's GBK message) become '?' instead of failing the parse.
nlohmann::json parse_json_leniently(const std::string &text);

// The request id a gateway attached (x-request-id, else x-api-request-id), or "".
std::string request_id_of(const net::HttpResponse &response);

// A new-api gateway's "No available channel" (the key's token group does not serve the model):
// the same request gets the same answer, so it is never retried.
bool names_no_channel(const std::string &text);

} // namespace pictor
