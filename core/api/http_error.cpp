#include "api/http_error.hpp"

#include "api/b64_json_scanner.hpp"
#include "net/retry_policy.hpp"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

namespace pictor {
namespace {

bool contains(const std::string &text, const char *needle) { return text.find(needle) != std::string::npos; }

std::string with_period(std::string text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
        text.pop_back();
    if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?')
        text += '.';
    return text;
}

} // namespace

namespace {

// Bytes of the valid UTF-8 sequence starting at text[i], or 0 when none starts there.
size_t utf8_sequence_length(const std::string &text, size_t i) {
    unsigned char u = static_cast<unsigned char>(text[i]);
    size_t length = u < 0x80 ? 1 : (u >> 5) == 0x6 ? 2 : (u >> 4) == 0xE ? 3 : (u >> 3) == 0x1E ? 4 : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k)
        valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (valid && length == 2)
        valid = u >= 0xC2; // overlong
    if (valid && length >= 3) {
        // Overlong forms, UTF-16 surrogates (ED A0..BF) and code points past U+10FFFF are not
        // UTF-8 either: a JSON writer refuses them (found by fuzz_images_response).
        unsigned char second = static_cast<unsigned char>(text[i + 1]);
        if (u == 0xE0) valid = second >= 0xA0;
        else if (u == 0xED) valid = second <= 0x9F;
        else if (u == 0xF0) valid = second >= 0x90;
        else if (u == 0xF4) valid = second <= 0x8F;
        else if (u > 0xF4) valid = false;
    }
    return valid ? length : 0;
}

} // namespace

std::string printable_excerpt(const std::string &text, size_t max_chars) {
    // Servers send anything (GBK pages, binary, terminal escapes); messages must stay valid
    // UTF-8, because they end up in JSON, and inert on a terminal. Valid sequences are kept
    // whole, control characters become spaces, anything else becomes '?'.
    std::string out;
    size_t chars = 0;
    for (size_t i = 0; i < text.size();) {
        if (chars == max_chars) {
            out += "...";
            break;
        }
        unsigned char u = static_cast<unsigned char>(text[i]);
        size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += '?';
            ++i;
        } else if (length == 1) {
            out += (u < 0x20 || u == 0x7f) ? ' ' : char(u);
            ++i;
        } else if (length == 2 && u == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
            out += ' '; // C1 controls (U+0080-U+009F): some terminals obey them as escapes
            i += 2;
        } else {
            out.append(text, i, length);
            i += length;
        }
        ++chars;
    }
    return out;
}

namespace {

// Brackets nested deeper than `limit` outside strings: a memory bomb for any DOM parser.
bool nests_deeper_than(const std::string &text, size_t limit) {
    size_t depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit) return true;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return false;
}

} // namespace

nlohmann::json parse_json_leniently(const std::string &text) {
    if (nests_deeper_than(text, B64JsonScanner::kMaxDepth))
        return nlohmann::json(nlohmann::json::value_t::discarded);
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() && !is_valid_utf8(text))
        json = nlohmann::json::parse(valid_utf8(text), nullptr, false);
    return json;
}

bool is_valid_utf8(const std::string &text) {
    for (size_t i = 0; i < text.size();) {
        size_t length = utf8_sequence_length(text, i);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

std::string valid_utf8(const std::string &text) {
    if (is_valid_utf8(text))
        return text;
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += '?';
            ++i;
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

std::string request_id_of(const net::HttpResponse &response) {
    std::string id = response.header("x-request-id");
    // Quoted in messages and JSON: a header of stray bytes must not make those fail.
    return printable_excerpt(id.empty() ? response.header("x-api-request-id") : id, 200);
}

bool names_no_channel(const std::string &text) { return contains(text, "No available channel"); }

ErrorInfo error_from_body(long status, const std::string &body, bool forbidden_is_moderation) {
    ErrorInfo info;
    info.http_status = int(status);
    info.request_sent = true;
    std::string server_message, type;
    nlohmann::json json = parse_json_leniently(body);
    if (!json.is_discarded() && json.is_object()) {
        const nlohmann::json *error = &json;
        if (auto e = json.find("error"); e != json.end()) {
            if (e->is_object())
                error = &*e;
            else if (e->is_string())
                server_message = e->get<std::string>();
        }
        auto text = [&](const char *key) {
            auto it = error->find(key);
            return it != error->end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        if (server_message.empty())
            server_message = text("message");
        // Quoted to people and terminals: no escape sequence or line break gets through.
        server_message = printable_excerpt(server_message, 1000);
        info.code = printable_excerpt(text("code"), 200);
        type = text("type");
    }
    if (server_message.empty() && !body.empty())
        server_message = printable_excerpt(body, 200);

    bool moderation = info.code == "moderation_blocked" || contains(server_message, "safety system") ||
                      (status == 403 && forbidden_is_moderation);
    std::string quoted = server_message.empty() ? "" : " The gateway said: \"" + with_period(server_message) + "\"";
    if (moderation) {
        info.kind = ErrorKind::moderation_blocked;
        if (info.code.empty())
            info.code = "moderation_blocked";
        info.message = "The safety system refused this request (nothing was billed)." + quoted +
                       " Rephrase the prompt or change the image; on generations, setting \"moderation\" to low may help.";
    } else if (status == 401 || (status == 403 && contains(server_message, "key"))) {
        info.kind = ErrorKind::auth;
        info.message = "The gateway refused the API key." + quoted +
                       " Check PICTOR_API_KEY (or OPENAI_API_KEY) and that the key belongs to this gateway "
                       "and profile.";
    } else if (status == 403) {
        info.kind = ErrorKind::auth;
        info.message = "The gateway denied access (HTTP 403)." + quoted + " Check the key's permissions.";
    } else if (status == 429) {
        info.kind = ErrorKind::rate_limited;
        info.message = "Rate limited or out of balance (HTTP 429)." + quoted +
                       " Wait a minute and try again, or top up the account.";
    } else if (names_no_channel(server_message)) {
        info.kind = status >= 500 ? ErrorKind::server : ErrorKind::invalid_request;
        info.message = "The gateway has no channel for this model with this key." + quoted +
                       " The key's token group does not serve this model: pick the profile that matches "
                       "the key's group (see README, Profiles).";
    } else if (status == 504 || status == 524) {
        info.kind = ErrorKind::server;
        info.may_be_billed = true;
        info.message = "Gateway timeout (HTTP " + std::to_string(status) + "): the gateway stopped waiting, but "
                       "the image may still have been generated." + quoted +
                       " Check the gateway's usage log before trying again.";
    } else if (status >= 500) {
        info.kind = ErrorKind::server;
        info.message = "The gateway had trouble (HTTP " + std::to_string(status) + ")." + quoted +
                       (status == 503 && contains(server_message, "chat/completions")
                            ? " The base URL may point at the wrong endpoint: it must end in /v1."
                            : " Try again in a minute.");
    } else if (status == 404) {
        info.kind = ErrorKind::invalid_request;
        info.message = "The gateway has no such endpoint (HTTP 404)." + quoted +
                       " Check the base URL: it must end in /v1 (e.g. https://api.openai.com/v1).";
    } else if (status == 413) {
        info.kind = ErrorKind::too_large;
        info.message = "The gateway refused the upload as too large (HTTP 413)." + quoted +
                       " Use smaller or JPEG images.";
    } else if (status == 200) {
        info.kind = ErrorKind::bad_response;
        info.may_be_billed = true;
        info.message = "The gateway answered with an error instead of an image." + quoted;
    } else {
        info.kind = ErrorKind::invalid_request;
        info.message = "The gateway refused the request (HTTP " + std::to_string(status) + ")." + quoted +
                       " Check the parameters against the profile.";
    }
    (void)type;
    return info;
}

ErrorInfo error_from_response(const net::HttpResponse &r, const ErrorContext &context) {
    ErrorInfo info;
    info.request_id = request_id_of(r);
    info.request_sent = r.bytes_sent > 0 || r.upload_complete || r.status > 0;
    bool after_upload = r.upload_complete;
    // Whether it may be billed is a field (user_message words it), not part of the message.
    const std::string reached = after_upload ? " The request reached the server, which may still generate the image." : "";

    if (r.cancelled) {
        info.kind = ErrorKind::cancelled;
        // Cancelled while backing off after a complete 429 / 500 / 502 / 503: that answer
        // generated nothing and no other attempt was under way.
        bool backing_off = net::status_generated_nothing(r.status);
        info.may_be_billed = after_upload && !backing_off;
        info.message = backing_off ? "Cancelled while waiting to retry (the gateway had answered HTTP " +
                                         std::to_string(r.status) + "); nothing was billed."
                                   : "Cancelled." + reached;
        return info;
    }
    if (r.cut_at_cap) {
        info.kind = ErrorKind::too_large;
        info.http_status = int(r.status);
        info.may_be_billed = true;
        info.message = "The gateway's answer passed the size limit (" + std::to_string(r.bytes_received >> 20) +
                       " MiB: what the images asked for can take, or max_response_bytes if lower) and was "
                       "cut off. If the gateway is sound and the limit was max_response_bytes, raise it.";
        return info;
    }
    if (r.status >= 300 && r.status < 400) {
        // Requests that carry the key never follow redirects (the key would go to that host).
        info.kind = ErrorKind::bad_response;
        info.http_status = int(r.status);
        std::string location = r.header("location");
        info.message = "The gateway redirected the request (HTTP " + std::to_string(r.status) + ")" +
                       (location.empty() ? std::string() : " to " + printable_excerpt(location, 200)) +
                       "; pictor does not follow it, so the API key was not sent there. If the gateway "
                       "moved, set the base URL to its new address.";
        return info;
    }
    if (r.status >= 400 || (r.status > 0 && r.status < 200)) {
        ErrorInfo body_info = error_from_body(r.status, r.body, context.forbidden_is_moderation);
        body_info.request_id = info.request_id;
        return body_info;
    }
    if (r.status >= 200 && r.curl_code == CURLE_OK) {
        info.kind = ErrorKind::internal;
        info.message = "no error";
        return info;
    }

    if (r.curl_code == CURLE_ABORTED_BY_CALLBACK && !after_upload) {
        // pictor cut its own body short (an upload's temporary file could not be read back):
        // the gateway never had a whole request.
        info.kind = ErrorKind::io;
        info.message = "The upload stopped halfway: " + r.curl_error +
                       ". The gateway never received a whole request, so nothing was billed." +
                       (r.part_abandoned ? std::string(" Try again.")
                                         : " Check the free space and health of the temporary folder (TMPDIR) "
                                           "and try again.");
        return info;
    }
    info.may_be_billed = after_upload;
    switch (r.curl_code) {
    case CURLE_OPERATION_TIMEDOUT:
        info.kind = ErrorKind::timeout;
        if (r.connect_s == 0 && !after_upload)
            info.message = "Could not connect to " + context.host + " in time. Check the base URL and your network.";
        else
            info.message = "No answer within " + std::to_string(int(context.timeout_s)) + " s." + reached +
                           " Not retried automatically. High quality at 2K/4K can take 5 minutes: raise \"timeout_s\".";
        break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        info.kind = ErrorKind::invalid_request;
        info.request_sent = false;
        info.may_be_billed = false;
        info.message = "The URL is not usable (" + r.curl_error + "). Check the base URL, e.g. https://api.openai.com/v1.";
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        info.kind = ErrorKind::network;
        info.message = "Cannot find the host " + context.host + ". Check the base URL and your DNS or network.";
        break;
    case CURLE_COULDNT_CONNECT:
        info.kind = ErrorKind::network;
        info.message = "Cannot connect to " + context.host + " (" + r.curl_error +
                       "). Check the base URL, that the gateway is up, and your network.";
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        info.kind = ErrorKind::tls;
        info.message = "The secure connection to " + context.host + " failed (" + r.curl_error +
                       "). The key was not sent. For a private gateway with its own certificate authority, "
                       "set ca_file in the config.";
        info.may_be_billed = false;
        break;
    default:
        info.kind = ErrorKind::network;
        info.message = "The connection to " + context.host + " broke (" + r.curl_error + ")." +
                       (after_upload ? reached + " Not retried automatically, so it is not billed twice."
                                     : " Check your network and try again.");
        break;
    }
    return info;
}

} // namespace pictor
