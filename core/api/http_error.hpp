// Turns a failed exchange into a typed error that says what happened and what to do.
#pragma once

#include <string>

#include "error.hpp"
#include "net/http_exchange.hpp"

namespace pictor {

struct ErrorContext {
    std::string profile;      // for advice ("profile apiyi-vip")
    std::string host;         // the gateway's host, for network advice
    double timeout_s = 0;
    bool generations = true;  // moderation advice differs for edits
};

// HTTP status + body ({"error":{...}} or unwrapped) -> kind, message, code. The message quotes
// the server and adds advice. request_sent is true.
ErrorInfo error_from_body(long status, const std::string &body);

// Any failed response: HTTP errors, curl failures, cancel, the size cap.
ErrorInfo error_from_response(const net::HttpResponse &response, const ErrorContext &context);

// Up to max_chars of text, control characters replaced, for quoting a server in a message.
std::string printable_excerpt(const std::string &text, size_t max_chars);

// The request id a gateway attached (x-request-id, else x-api-request-id), or "".
std::string request_id_of(const net::HttpResponse &response);

} // namespace pictor
