// One HTTP request and what came back, as the transport sees them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "library_limits.hpp"
#include "net/part_spool.hpp"

namespace pictor::net {

struct MultipartPart {
    std::string name;         // "image", "image[]", "mask", "prompt", ...
    std::string data;         // field value or file bytes
    std::string filename;     // non-empty: a file part
    std::string content_type; // file parts carry their true type ("image/png")
    // File bytes sent in place of `data` without a copy (an edit's images: tens of MB each);
    // they belong to the request the plan was made from, which outlives the transfer.
    const std::string *borrowed = nullptr;
    // File bytes in a spool file (parts pictor encoded): read with pread as they are sent.
    std::shared_ptr<const PartSpool> spool;
    const std::string &bytes() const { return borrowed ? *borrowed : data; }
    uint64_t size() const { return spool ? spool->size() : bytes().size(); }
};

struct HttpResponse;

struct HttpRequest {
    std::string method = "POST";
    std::string url;
    std::vector<std::string> headers;  // "Name: value"; never the API key
    std::string bearer_token;          // Authorization, sent only to the URL's own host
    std::string body;                  // used when multipart is empty
    std::vector<MultipartPart> multipart;
    // The route takes a body whose length is not known when it starts (HTTP/1.1 chunked, or
    // HTTP/2): parts still being written go up as they are sealed. Otherwise the transport waits
    // until every part is whole and sends the length; it also does so, once, after a 411.
    bool stream_unsealed_parts = false;
    long connect_timeout_ms = long(library_limits::connect_timeout_s * 1000);
    long total_timeout_ms = 600000;    // the whole exchange: every attempt and retry wait
    uint64_t max_response_bytes = library_limits::max_response_bytes;
    bool follow_redirects = false;     // GETs of image URLs only; never with a bearer token
    std::string ca_file;
    // Set by the layer that knows the API: true for an answer that no retry can change (a
    // gateway's "No available channel"), so the transport does not send it again.
    std::function<bool(const HttpResponse &)> answer_is_final;
};

// Where a transfer is. Values mirror pictor_phase.
enum class Phase {
    preparing = 0,
    connecting = 1,
    uploading = 2,
    waiting = 3,
    downloading = 4,
    decoding = 5,
    retry_wait = 6,
    saving = 7,
};

struct HttpResponse {
    long status = 0;                           // 0: no HTTP answer was read
    std::map<std::string, std::string> headers; // names lowercased; the last value wins
    std::string body;
    int curl_code = 0;                         // CURLcode of the final attempt
    std::string curl_error;                    // libcurl's error buffer
    bool cut_at_cap = false;                   // the body passed max_response_bytes
    bool cancelled = false;
    bool part_abandoned = false;               // a part's writer gave it up: the body was cut (or never sent)
    bool upload_complete = false;              // the whole request reached the server
    bool body_started = false;                 // any response body byte arrived
    // The body sink had the whole answer: whatever happened to the connection afterwards (a
    // reset, a stream left open that the transport then cut) does not make it a failure.
    bool answer_complete = false;
    int attempts = 0;
    // Seconds from the start of the final attempt.
    double connect_s = 0, upload_done_s = 0, first_byte_s = 0, total_s = 0;
    double retry_wait_s = 0;                   // time spent backing off between attempts
    uint64_t bytes_sent = 0, bytes_received = 0;

    std::string header(const std::string &lowercase_name) const {
        auto it = headers.find(lowercase_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

} // namespace pictor::net
