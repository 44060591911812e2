#include "net/http_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "error.hpp"
#include "net/multipart_body.hpp"

namespace pictor::net {
namespace {

using Clock = std::chrono::steady_clock;

void ensure_curl_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw Error(ErrorKind::internal, "libcurl could not be initialised");
    });
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string human_bytes(uint64_t bytes) {
    std::ostringstream out;
    out.precision(3);
    if (bytes >= (1u << 20))
        out << double(bytes) / (1 << 20) << " MiB";
    else if (bytes >= 1024)
        out << double(bytes) / 1024 << " KiB";
    else
        out << bytes << " B";
    return out.str();
}

struct Transfer {
    size_t index = 0;             // in the requests given to perform_all
    const HttpRequest *request = nullptr;
    const std::atomic<bool> *cancel = nullptr;
    HttpResponse response;
    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    char error_buffer[CURL_ERROR_SIZE] = {};
    Clock::time_point attempt_start;
    // When the final answer's status line arrived. libcurl's STARTTRANSFER time counts an
    // interim "100 Continue" (sent before a large multipart upload), which would put the whole
    // wait for the image under "download".
    double answer_start_s = 0;
    Clock::time_point retry_at;
    Clock::time_point deadline;   // total_timeout_ms from the first attempt: retries and waits count
    bool deadline_set = false;
    bool waiting_to_retry = false;
    bool finished = false;
    bool meaningful_body = false; // a non-whitespace byte arrived (heartbeats are whitespace)
    BodySink *sink = nullptr;
    bool sink_decided = false, sink_taken = false;
    uint64_t received = 0;        // body bytes of this attempt, kept or handed to the sink
    uint64_t ul_now = 0, ul_total = 0, dl_now = 0, dl_total = 0;
    std::string part_failure;     // a file part could not be read: the attempt aborted, not cancelled
    std::unique_ptr<MultipartBody> body;
    bool body_read = false;       // the body's last byte was handed to libcurl
    bool paused = false;          // waiting for a part still being written
    // Sent only with its length, so not before every part is whole: a route that takes no body
    // of unknown length, or one that answered 411 to one.
    bool needs_length = false;
    bool waiting_for_parts = false;

    ~Transfer() { release(); }

    void release() {
        if (easy)
            curl_easy_cleanup(easy);
        if (headers)
            curl_slist_free_all(headers);
        easy = nullptr;
        headers = nullptr;
        paused = false;
    }

    Phase phase() const {
        if (waiting_for_parts)
            return Phase::preparing;
        if (waiting_to_retry)
            return Phase::retry_wait;
        if (response.connect_s == 0 && !response.upload_complete && ul_now == 0)
            return Phase::connecting;
        if (!response.upload_complete)
            return Phase::uploading;
        if (!meaningful_body)
            return Phase::waiting;
        return Phase::downloading;
    }
};

// Feeds the multipart body to libcurl as it asks for it. A part still being written pauses the
// transfer (perform_all resumes it once the part is sealed); an abandoned or unreadable part
// aborts it, so the server never has a whole request.
size_t read_body(char *buffer, size_t size, size_t count, void *arg) {
    auto *t = static_cast<Transfer *>(arg);
    MultipartBody::Status status;
    const size_t length = t->body->read(buffer, size * count, &status);
    if (status == MultipartBody::Status::failed) {
        t->part_failure = t->body->error();
        t->response.part_abandoned = !MultipartBody::abandoned(t->request->multipart).empty();
        return CURL_READFUNC_ABORT;
    }
    if (status == MultipartBody::Status::wait) {
        t->paused = true;
        return CURL_READFUNC_PAUSE;
    }
    if (length == 0)
        t->body_read = true;
    return length;
}

int seek_body(void *arg, curl_off_t offset, int origin) {
    auto *t = static_cast<Transfer *>(arg);
    if (origin != SEEK_SET || offset != 0)
        return CURL_SEEKFUNC_CANTSEEK;
    t->body->rewind();
    t->body_read = false;
    return CURL_SEEKFUNC_OK;
}

size_t on_body(char *data, size_t size, size_t count, void *arg) {
    auto *t = static_cast<Transfer *>(arg);
    size_t length = size * count;
    if (t->received + length > t->request->max_response_bytes) {
        // libcurl's own size limit does not stop chunked bodies; this does.
        t->response.cut_at_cap = true;
        return 0;
    }
    t->response.body_started = true;
    if (!t->meaningful_body) {
        for (size_t i = 0; i < length; ++i)
            if (!std::isspace(static_cast<unsigned char>(data[i]))) {
                t->meaningful_body = true;
                break;
            }
    }
    t->received += length;
    if (t->sink && !t->sink_decided) {
        t->sink_decided = true;
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        t->sink_taken = t->sink->begin(status, t->response);
    }
    if (t->sink_taken) {
        t->sink->write(data, length);
        if (t->sink->complete()) {
            // Nothing more is needed; reading on would only wait for a server that keeps the
            // stream open. Ends this transfer (CURLE_WRITE_ERROR, overridden by answer_complete).
            t->response.answer_complete = true;
            return 0;
        }
    } else {
        t->response.body.append(data, length);
    }
    return length;
}

size_t on_header(char *data, size_t size, size_t count, void *arg) {
    auto *t = static_cast<Transfer *>(arg);
    size_t length = size * count;
    std::string line(data, length);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {
        t->response.headers.clear(); // a new response (after 100 Continue or a redirect)
        size_t space = line.find(' ');
        bool interim = space != std::string::npos && line.compare(space + 1, 1, "1") == 0;
        if (!interim && t->answer_start_s == 0)
            t->answer_start_s = seconds_since(t->attempt_start);
        return length;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos)
        return length;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    size_t value_start = line.find_first_not_of(" \t", colon + 1);
    t->response.headers[name] = value_start == std::string::npos ? "" : line.substr(value_start);
    return length;
}

int on_transfer_info(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                     curl_off_t ulnow) {
    auto *t = static_cast<Transfer *>(arg);
    t->dl_total = uint64_t(dltotal);
    t->dl_now = uint64_t(dlnow);
    t->ul_total = uint64_t(ultotal);
    t->ul_now = uint64_t(ulnow);
    if (t->response.connect_s == 0) {
        curl_off_t connect_us = 0;
        curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
        t->response.connect_s = double(connect_us) / 1e6;
    }
    if (!t->response.upload_complete && t->response.connect_s > 0 &&
        (ultotal > 0 ? ulnow >= ultotal : t->body_read || (t->request->body.empty() && t->request->multipart.empty()))) {
        t->response.upload_complete = true;
        t->response.upload_done_s = seconds_since(t->attempt_start);
    }
    if (t->cancel && t->cancel->load()) {
        t->response.cancelled = true;
        return 1; // aborts this transfer with CURLE_ABORTED_BY_CALLBACK
    }
    return 0;
}

void check(CURLcode code, const char *what) {
    if (code != CURLE_OK)
        throw Error(ErrorKind::internal,
                    std::string("libcurl refused ") + what + ": " + curl_easy_strerror(code));
}

void start_attempt(Transfer &t, CURLM *multi) {
    const HttpRequest &r = *t.request;
    t.release();
    int attempts = t.response.attempts + 1;
    double retry_wait_s = t.response.retry_wait_s;
    t.response = HttpResponse{};
    t.response.attempts = attempts;
    t.response.retry_wait_s = retry_wait_s;
    t.meaningful_body = false;
    if (t.sink)
        t.sink->reset();
    t.sink_decided = t.sink_taken = false;
    t.received = 0;
    t.ul_now = t.ul_total = t.dl_now = t.dl_total = 0;
    t.waiting_to_retry = t.waiting_for_parts = false;
    t.error_buffer[0] = '\0';
    t.part_failure.clear();

    t.easy = curl_easy_init();
    if (!t.easy)
        throw Error(ErrorKind::no_memory, "libcurl could not create a transfer");
    CURL *e = t.easy;
    check(curl_easy_setopt(e, CURLOPT_URL, r.url.c_str()), "the URL");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error_buffer);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "pictor/" PICTOR_VERSION_STRING);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); // the cap counts decoded bytes
    // Generation can take minutes with no byte on the wire: keep NAT entries alive and set no
    // low-speed limit (it would fire while the server is still generating).
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPINTVL, 15L);
    if (r.method != "GET") {
        // libcurl silently re-sends a request whose reused connection died before any answer
        // byte, yet the server may have read it and begun a paid generation. It never does so
        // on a fresh connection, so a request that may bill goes on one (and leaves none
        // behind): only is_retryable() decides what is sent again.
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, r.connect_timeout_ms);
    if (!t.deadline_set) {
        t.deadline = Clock::now() + std::chrono::milliseconds(r.total_timeout_ms);
        t.deadline_set = true;
    }
    // What is left of the request's time, not a fresh allowance per attempt.
    const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.deadline - Clock::now()).count();
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(std::max<int64_t>(1, left_ms)));
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, r.follow_redirects ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    if (!r.ca_file.empty())
        check(curl_easy_setopt(e, CURLOPT_CAINFO, r.ca_file.c_str()), "the CA file");
    if (!r.bearer_token.empty()) {
        // As credentials (not a custom header), so libcurl never sends them to another host.
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
        curl_easy_setopt(e, CURLOPT_XOAUTH2_BEARER, r.bearer_token.c_str());
        curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
    }
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_transfer_info);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);

    for (const auto &h : r.headers)
        t.headers = curl_slist_append(t.headers, h.c_str());
    // No "Expect: 100-continue": servers that ignore it cost a 1 s stall per upload.
    t.headers = curl_slist_append(t.headers, "Expect:");

    if (!r.multipart.empty()) {
        t.body = std::make_unique<MultipartBody>(r.multipart);
        t.body_read = false;
        t.headers = curl_slist_append(t.headers, ("Content-Type: " + t.body->content_type()).c_str());
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, read_body);
        curl_easy_setopt(e, CURLOPT_READDATA, &t);
        curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, seek_body);
        curl_easy_setopt(e, CURLOPT_SEEKDATA, &t);
        // Unknown (-1): libcurl sends it chunked over HTTP/1.1, as DATA frames over HTTP/2.
        const std::optional<uint64_t> size = t.body->size();
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, size ? curl_off_t(*size) : curl_off_t(-1));
    } else if (r.method == "POST") {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(r.body.size()));
    } else if (r.method != "GET") {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);

    t.attempt_start = Clock::now();
    t.answer_start_s = 0;
    if (CURLMcode code = curl_multi_add_handle(multi, e); code != CURLM_OK)
        throw Error(ErrorKind::internal, std::string("libcurl: ") + curl_multi_strerror(code));
}

void collect_result(Transfer &t, CURLcode code) {
    HttpResponse &resp = t.response;
    resp.curl_code = int(code);
    resp.curl_error = t.error_buffer[0] ? t.error_buffer : curl_easy_strerror(code);
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    resp.status = status;
    curl_off_t value = 0;
    curl_easy_getinfo(t.easy, CURLINFO_CONNECT_TIME_T, &value);
    resp.connect_s = double(value) / 1e6;
    curl_easy_getinfo(t.easy, CURLINFO_STARTTRANSFER_TIME_T, &value);
    resp.first_byte_s = t.answer_start_s > 0 ? t.answer_start_s : double(value) / 1e6;
    curl_easy_getinfo(t.easy, CURLINFO_TOTAL_TIME_T, &value);
    resp.total_s = double(value) / 1e6;
    curl_easy_getinfo(t.easy, CURLINFO_SIZE_UPLOAD_T, &value);
    resp.bytes_sent = uint64_t(value);
    resp.bytes_received = t.received;
    if (status > 0 && !resp.upload_complete) {
        // An answer came back, so the request was read (or refused) by the server.
        resp.upload_complete = t.ul_total == 0 || t.ul_now >= t.ul_total;
        if (resp.upload_complete && resp.upload_done_s == 0)
            resp.upload_done_s = resp.first_byte_s;
    }
    if (!t.part_failure.empty())
        resp.curl_error = t.part_failure; // the body was cut short here: the server has no whole request
    else if (code == CURLE_ABORTED_BY_CALLBACK)
        resp.cancelled = true;
}

// "<- 200 URL (3.1 MiB in 812 ms, request id ...)" or why nothing came.
void trace_answer(const Transfer &t, const TraceFn &trace) {
    const HttpResponse &resp = t.response;
    std::string rid = resp.header("x-request-id");
    if (rid.empty())
        rid = resp.header("x-api-request-id");
    if (resp.status > 0)
        trace("<- " + std::to_string(resp.status) + " " + t.request->url + " (" + human_bytes(resp.bytes_received) +
              " in " + std::to_string(int(resp.total_s * 1000)) + " ms" +
              (rid.empty() ? "" : ", request id " + rid) + ")");
    else
        trace("<- no answer from " + t.request->url + ": " + resp.curl_error);
}

// After an attempt ended: true when it will be tried again (nothing was generated, the
// policy allows another try, and the wait fits in the request's time), with the wait set.
bool schedule_retry(Transfer &t, const RetryPolicy &policy, const TraceFn &trace) {
    HttpResponse &resp = t.response;
    if (resp.status == 411 && !t.needs_length && t.body && !resp.cancelled) {
        // The server refused a body of unknown length before reading it: once more with the
        // length, when every part is whole. Nothing was generated.
        trace("   the server wants the upload's length: sending it again with its length once every part "
              "is ready (nothing was generated, so nothing is billed)");
        t.needs_length = true;
        t.release();
        t.waiting_for_parts = true;
        return true;
    }
    const bool final_answer = t.request->answer_is_final && t.request->answer_is_final(resp);
    const bool may_retry =
        !resp.cancelled && !final_answer && is_retryable(resp) && resp.attempts <= policy.max_retries;
    if (!may_retry)
        return false;
    const double delay = retry_delay_s(policy, resp, resp.attempts);
    const auto wait = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
    // A wait (a Retry-After) that would outlast the request's time is not taken: the timeout
    // bounds the whole exchange, retries and waits included.
    if (Clock::now() + wait >= t.deadline) {
        trace("   not retried: waiting " + std::to_string(delay).substr(0, 4) +
              " s would pass the request's time limit");
        return false;
    }
    trace("   retrying in " + std::to_string(delay).substr(0, 4) +
          " s (nothing was generated, so nothing is billed twice)");
    resp.retry_wait_s += delay;
    t.release();
    t.waiting_to_retry = true;
    t.retry_at = Clock::now() + wait;
    return true;
}

std::vector<TransferStatus> transfer_statuses(const std::vector<std::unique_ptr<Transfer>> &transfers) {
    std::vector<TransferStatus> statuses;
    statuses.reserve(transfers.size());
    const auto now = Clock::now();
    for (const auto &t : transfers) {
        TransferStatus s;
        s.phase = t->phase();
        s.bytes_sent = t->ul_now;
        s.bytes_to_send = t->ul_total;
        s.bytes_received = t->received;
        s.bytes_to_receive = t->dl_total;
        s.attempt = std::max(1, t->response.attempts);
        s.finished = t->finished;
        if (t->waiting_to_retry)
            s.retry_in_s = std::max(0.0, std::chrono::duration<double>(t->retry_at - now).count());
        statuses.push_back(s);
    }
    return statuses;
}

// Every transfer still running ends as cancelled.
void cancel_unfinished(std::vector<std::unique_ptr<Transfer>> &transfers, CURLM *multi) {
    for (auto &t : transfers) {
        if (t->finished)
            continue;
        t->response.cancelled = true;
        if (t->easy) {
            curl_multi_remove_handle(multi, t->easy); // before the handle is cleaned up
            collect_result(*t, CURLE_ABORTED_BY_CALLBACK);
        }
        t->finished = true;
        t->waiting_to_retry = t->waiting_for_parts = false;
    }
}

} // namespace

HttpTransport::HttpTransport(RetryPolicy policy, TraceFn trace)
    : policy_(policy), trace_(std::move(trace)) {
    ensure_curl_initialised();
}

std::vector<HttpResponse> HttpTransport::perform_all(const std::vector<HttpRequest> &requests,
                                                     const ProgressFn &progress,
                                                     const std::atomic<bool> *cancel,
                                                     const std::vector<BodySink *> &sinks,
                                                     const FinishedFn &on_finished) {
    std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
    if (!multi)
        throw Error(ErrorKind::no_memory, "libcurl could not create a multi handle");

    std::vector<std::unique_ptr<Transfer>> transfers;
    for (const auto &request : requests) {
        auto t = std::make_unique<Transfer>();
        t->index = transfers.size();
        t->request = &request;
        t->cancel = cancel;
        t->sink = transfers.size() < sinks.size() ? sinks[transfers.size()] : nullptr;
        transfers.push_back(std::move(t));
    }
    const TraceFn trace = [this](const std::string &line) {
        if (trace_)
            trace_(line);
    };
    // Handles must leave the multi handle before they are cleaned up.
    struct DetachAll {
        std::vector<std::unique_ptr<Transfer>> &transfers;
        CURLM *multi;
        ~DetachAll() {
            for (auto &t : transfers)
                if (t->easy)
                    curl_multi_remove_handle(multi, t->easy);
        }
    } detach_all{transfers, multi.get()};

    for (size_t i = 0; i < transfers.size(); ++i) {
        const HttpRequest &r = requests[i];
        Transfer &t = *transfers[i];
        const std::optional<uint64_t> size = r.multipart.empty() ? r.body.size() : MultipartBody(r.multipart).size();
        trace("-> " + r.method + " " + r.url + (r.multipart.empty() ? " (" : " (multipart, ") +
              (size ? human_bytes(*size) : std::string("sent while its parts are encoded")) + ")");
        t.needs_length = !r.stream_unsealed_parts;
        t.waiting_for_parts = t.needs_length && !MultipartBody::settled(r.multipart);
        if (!t.waiting_for_parts)
            start_attempt(t, multi.get());
    }

    bool cancelled = false;
    size_t unfinished = transfers.size();
    auto finish = [&](Transfer &t) {
        t.release();
        t.finished = true;
        --unfinished;
        if (on_finished)
            on_finished(t.index, t.response);
    };
    while (unfinished > 0) {
        if (cancel && cancel->load())
            cancelled = true;
        if (cancelled) {
            cancel_unfinished(transfers, multi.get());
            break;
        }
        auto now = Clock::now();
        bool any_paused = false;
        for (auto &t : transfers) {
            if (t->waiting_to_retry && now >= t->retry_at)
                start_attempt(*t, multi.get());
            if (t->waiting_for_parts && MultipartBody::settled(t->request->multipart)) {
                t->waiting_for_parts = false;
                // A part that will never be whole: nothing is sent at all.
                if (std::string abandoned = MultipartBody::abandoned(t->request->multipart); !abandoned.empty()) {
                    t->response.curl_error = abandoned;
                    t->response.curl_code = int(CURLE_ABORTED_BY_CALLBACK);
                    t->response.part_abandoned = true;
                    trace("<- not sent: " + abandoned);
                    finish(*t);
                    continue;
                }
                start_attempt(*t, multi.get());
            }
            if (t->paused && t->body->can_go_on()) {
                t->paused = false;
                curl_easy_pause(t->easy, CURLPAUSE_CONT);
            }
            any_paused = any_paused || t->paused || t->waiting_for_parts;
        }

        int running = 0;
        curl_multi_perform(multi.get(), &running);
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi.get(), &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            Transfer *t = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char **>(&t));
            CURLcode code = message->data.result;
            curl_multi_remove_handle(multi.get(), t->easy);
            collect_result(*t, code);
            if (t->sink_taken) {
                t->sink->end(code == CURLE_OK || t->response.answer_complete);
                // The last event may have needed the end of the stream to count.
                if (code != CURLE_OK && t->sink->complete())
                    t->response.answer_complete = true;
            }
            trace_answer(*t, trace);
            if (schedule_retry(*t, policy_, trace))
                continue;
            finish(*t);
        }

        if (progress && !progress(transfer_statuses(transfers)))
            cancelled = true;
        // A part being sealed wakes nothing here: look again soon while one is awaited.
        if (unfinished > 0 && !cancelled)
            curl_multi_poll(multi.get(), nullptr, 0, any_paused ? 10 : 100, nullptr);
    }

    std::vector<HttpResponse> responses;
    responses.reserve(transfers.size());
    for (auto &t : transfers)
        responses.push_back(std::move(t->response));
    return responses;
}

} // namespace pictor::net
