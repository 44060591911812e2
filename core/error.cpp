#include "error.hpp"

namespace pictor {

const char *error_kind_name(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::invalid_argument: return "invalid_argument";
    case ErrorKind::invalid_request: return "invalid_request";
    case ErrorKind::auth: return "auth";
    case ErrorKind::moderation_blocked: return "moderation_blocked";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::server: return "server";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::network: return "network";
    case ErrorKind::tls: return "tls";
    case ErrorKind::bad_response: return "bad_response";
    case ErrorKind::too_large: return "too_large";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::io: return "io";
    case ErrorKind::bad_image: return "bad_image";
    case ErrorKind::internal: return "internal";
    case ErrorKind::no_memory: return "no_memory";
    }
    return "internal";
}

std::string user_message(const ErrorInfo &info) {
    std::string text = info.message;
    if (info.may_be_billed)
        text += (text.empty() ? "" : " ") + std::string("This request may still be billed.");
    if (!info.request_id.empty())
        text += (text.empty() ? "(request id " : " (request id ") + info.request_id + ")";
    return text;
}

} // namespace pictor
