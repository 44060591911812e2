#include "api/image_client.hpp"

#include <algorithm>
#include <chrono>

#include "api/http_error.hpp"
#include "api/images_response.hpp"
#include "api/pricing.hpp"
#include "api/streamed_response.hpp"
#include "error.hpp"
#include "image/image_decode.hpp"
#include "net/http_transport.hpp"
#include "api/paid_image.hpp"
#include "store/history_store.hpp"

namespace pictor {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(double from_s, double to_s) { return std::max(0.0, (to_s - from_s) * 1000.0); }

std::string host_of(const std::string &url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find_first_of("/?#", start);
    std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto at = host.rfind('@'); // never echo credentials embedded in a URL
    return at == std::string::npos ? host : host.substr(at + 1);
}

// The most bytes an honest answer of `images` images, each with `previews` partial images, can
// take: the largest image the route makes as raw RGBA plus a quarter (no PNG, JPEG or WebP of
// it is larger), base64-encoded, plus room for the JSON around it. Memory for an answer is
// then bounded by what was asked, not by what a server sends (an endless body is cut here).
uint64_t answer_byte_budget(const GatewayProfile &profile, int images, int previews) {
    uint64_t largest = custom_size::max_pixels;
    for (const auto &text : profile.sizes)
        if (auto size = parse_image_size(text))
            largest = std::max(largest, size->pixels());
    const uint64_t encoded = largest * 4 * 5 / 4;
    return uint64_t(std::max(1, images)) * uint64_t(1 + std::max(0, previews)) * (encoded / 3 * 4 + 4) + (1u << 20);
}

// A price, or null when the profile states none for the model (never a guess).
nlohmann::json usd_or_null(std::optional<double> usd) { return usd ? nlohmann::json(*usd) : nlohmann::json(nullptr); }

nlohmann::json error_json(const ErrorInfo &e) {
    return {{"kind", error_kind_name(e.kind)}, {"status", e.http_status}, {"code", e.code},
            {"message", user_message(e)}, {"request_id", e.request_id}, {"may_be_billed", e.may_be_billed}};
}

// Collapses per-transfer states into the one progress a host shows.
class ProgressReporter {
public:
    ProgressReporter(const ProgressCallback &callback, Clock::time_point start, int requests)
        : callback_(callback), start_(start) {
        progress_.requests_total = requests;
    }

    bool phase(net::Phase phase) {
        progress_.phase = phase;
        return emit(true);
    }

    bool transfers(const std::vector<net::TransferStatus> &statuses) {
        Progress p = progress_;
        p.bytes_sent = p.bytes_to_send = p.bytes_received = p.bytes_to_receive = 0;
        p.requests_done = 0;
        p.retry_in_s = 0;
        int lowest = 1000;
        for (const auto &s : statuses) {
            p.bytes_sent += s.bytes_sent;
            p.bytes_to_send += s.bytes_to_send;
            p.bytes_received += s.bytes_received;
            p.bytes_to_receive += s.bytes_to_receive;
            if (s.finished) {
                ++p.requests_done;
                continue;
            }
            if (int(s.phase) < lowest) {
                lowest = int(s.phase);
                p.attempt = s.attempt;
                p.retry_in_s = s.retry_in_s;
            }
        }
        if (lowest != 1000)
            p.phase = net::Phase(lowest);
        bool changed = p.phase != progress_.phase;
        progress_ = p;
        return emit(changed);
    }

private:
    bool emit(bool changed) {
        auto now = Clock::now();
        progress_.elapsed_s = std::chrono::duration<double>(now - start_).count();
        if (!callback_ || (!changed && now - last_ < std::chrono::milliseconds(250)))
            return true;
        last_ = now;
        return callback_(progress_);
    }

    const ProgressCallback &callback_;
    Clock::time_point start_;
    Clock::time_point last_{};
    Progress progress_;
};

} // namespace

ImageClient::ImageClient(ClientOptions options) : options_(std::move(options)) {
    settings_ = resolve_client_settings(options_.settings, options_.use_environment);
    const ProfileCatalog catalog = options_.profile_folders.empty() ? ProfileCatalog::standard(options_.profile_dir)
                                                                    : ProfileCatalog(options_.profile_folders);
    // The model chosen in the settings, validated against the route's list of models.
    profile_ = catalog.find(settings_.profile).for_model(settings_.model);
    std::vector<SkippedProfile> skipped;
    catalog.names(&skipped);
    for (const auto &entry : skipped)
        log(LogLevel::warning, "profile " + entry.file + ": " + entry.reason + ", skipped");
    base_url_ = settings_.base_url.empty() ? profile_.base_url : settings_.base_url;
    model_ = profile_.model;
    // "https://user:pass@host/v1": the user:pass part is a secret like the key.
    const std::string host_part = base_url_.substr(0, base_url_.find_first_of("/?#", base_url_.find("://") + 3));
    if (auto at = host_part.rfind('@'); at != std::string::npos) {
        auto start = host_part.find("://");
        start = start == std::string::npos ? 0 : start + 3;
        url_credentials_ = host_part.substr(start, at - start);
    }
}

std::string ImageClient::redact(std::string text) const {
    for (const std::string *secret : {&settings_.api_key, &url_credentials_}) {
        if (secret->size() < 4)
            continue;
        for (size_t at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at))
            text.replace(at, secret->size(), "[redacted]");
    }
    return text;
}

void ImageClient::scrub(net::HttpResponse &response) const {
    // Before anything reads the answer: an excerpt cut to length could otherwise keep half a
    // key that redacting the final message no longer recognises.
    for (auto &[name, value] : response.headers)
        value = redact(value);
    response.body = redact(std::move(response.body));
    response.curl_error = redact(std::move(response.curl_error));
}

void ImageClient::log(LogLevel level, const std::string &line) const {
    if (options_.log)
        options_.log(level, redact(line));
}

RequestPlan ImageClient::plan(const ImageRequest &request, bool edit) const {
    return plan_request(profile_.for_model(request.model), base_url_, request, edit);
}

std::optional<double> ImageClient::estimate_cost(const ImageRequest &request, bool edit) const {
    return plan(request, edit).cost_usd;
}

// One run of the money path, stage by stage: check before sending; send, each call's images
// saved to history the moment that call ends; fetch url images; decode what history keeps;
// describe the result.
class ImageClient::PaidRun {
public:
    PaidRun(ImageClient &client, const ImageRequest &request, bool edit)
        : client_(client), request_(request), edit_(edit), start_(Clock::now()), plan_(client.plan(request, edit)),
          reporter_(request.progress, start_, int(plan_.calls.size())), store_(client.settings_.history_dir) {}

    ImageResult run() {
        if (!reporter_.phase(net::Phase::preparing))
            throw Error(ErrorInfo{ErrorKind::cancelled, "Cancelled before anything was sent."});
        check_before_sending();
        send_and_keep();
        fetch_url_images();
        ImageResult result;
        result.images = decode_kept_images();
        result.metadata = describe(result.images);
        if (result.images.empty())
            throw Error(first_failure());
        return result;
    }

private:
    // One image of an answer on its way: bytes (or a url to fetch), then kept, then decoded.
    struct Pending {
        std::string bytes, url, request_id;
        RgbaImage rgba;
        bool decoded = false; // decoded while it arrived
        nlohmann::json usage; // of the call that brought it
        KeptImage kept;
    };

    // Nothing goes out (and nothing is billed) without a key, over the cost limit, or when
    // history could not keep what comes back.
    void check_before_sending() {
        if (client_.settings_.api_key.empty())
            throw Error(ErrorKind::auth,
                        "No API key: set PICTOR_API_KEY (or OPENAI_API_KEY), or put \"api_key\" in " +
                            config_file_path() + " (chmod 600). Nothing was sent.");
        check_cost_limit();
        store_.check_writable();
    }

    // The host's limit for this request, else the user's.
    void check_cost_limit() const {
        const double max_cost = request_.max_cost_usd > 0 ? request_.max_cost_usd : client_.settings_.max_cost_usd;
        if (max_cost <= 0)
            return;
        const std::string &route = client_.profile_.name;
        // A model whose price the profile does not state cannot be held to a limit.
        if (!plan_.cost_usd)
            throw Error(ErrorKind::invalid_request,
                        "The price of model " + plan_.model.model + " on " + route +
                            " is unknown (its profile entry states none), so the cost limit of " +
                            format_usd(max_cost) + " cannot be checked. Add its prices to the profile, or lift "
                            "the limit for this request. Nothing was sent.");
        if (*plan_.cost_usd > max_cost)
            throw Error(ErrorKind::invalid_request,
                        "The estimate, about " + format_usd(plan_.cost_usd) + " for " +
                            std::to_string(plan_.images_total) + (plan_.images_total == 1 ? " image" : " images") +
                            " on " + route + ", is over the cost limit of " + format_usd(max_cost) +
                            " (\"max_cost_usd\"). Nothing was sent.");
    }

    std::vector<net::HttpRequest> http_requests() const {
        std::vector<net::HttpRequest> requests;
        for (const auto &call : plan_.calls) {
            net::HttpRequest h = call.http;
            h.bearer_token = client_.settings_.api_key;
            h.connect_timeout_ms = long(client_.options_.connect_timeout_s * 1000);
            h.max_response_bytes = std::min<uint64_t>(
                client_.options_.max_response_bytes,
                answer_byte_budget(client_.profile_, call.images, request_.partial_images));
            h.ca_file = client_.settings_.ca_file;
            requests.push_back(std::move(h));
        }
        client_.log(LogLevel::trace, "profile " + client_.profile_.name + ", model " + client_.model_ + ", " +
                                         std::to_string(requests.size()) + " call(s) to " + client_.base_url_ +
                                         "/images/" + plan_.endpoint);
        client_.log(LogLevel::trace, "   Authorization: Bearer [redacted]");
        client_.log(LogLevel::trace, "   fields: " + plan_.parameters.dump());
        return requests;
    }

    // Each answer is parsed and decoded while it downloads (partial images reach the host as
    // they complete); its encoded bytes still go to history before the host sees the image.
    void send_and_keep() {
        std::vector<net::HttpRequest> requests = http_requests();
        limits_.max_pixels = client_.options_.max_pixels;
        limits_.cancel = &client_.cancel_; // a decode under way stops too, not only the transfer
        // All the images asked for (and their previews, decoded one at a time) at the per-image
        // limit: what an honest answer can hold, whatever the server sends.
        limits_.answer_pixels = std::make_shared<PixelBudget>(client_.options_.max_pixels *
                                                              uint64_t(std::max(1, plan_.images_total)));
        std::vector<net::BodySink *> sinks;
        for (size_t k = 0; k < requests.size(); ++k) {
            streams_.push_back(std::make_unique<StreamedResponse>(limits_, request_.on_partial_image,
                                                                  request_.partial_images, int(k),
                                                                  plan_.calls[k].images));
            sinks.push_back(streams_.back().get());
        }
        net::RetryPolicy policy;
        policy.max_retries = client_.options_.max_retries;
        net::HttpTransport transport(policy, [this](const std::string &line) { client_.log(LogLevel::trace, line); });
        // One call's final answer is settled the moment it ends: its images go to history at
        // once, so an interrupt (or a crash) while other variations still run loses none.
        settled_.assign(requests.size(), false);
        std::vector<net::HttpResponse> responses = transport.perform_all(
            requests, on_progress(), &client_.cancel_, sinks, [&](size_t k, net::HttpResponse &r) { settle_call(k, r); });
        for (size_t k = 0; k < responses.size(); ++k)
            if (!settled_[k]) // cancelled before it ended
                settle_call(k, responses[k]);
    }

    std::function<bool(const std::vector<net::TransferStatus> &)> on_progress() {
        return [this](const std::vector<net::TransferStatus> &s) { return reporter_.transfers(s); };
    }

    // What the gateway may bill: calls that brought images, and failures after generation began.
    void settle_call(size_t k, net::HttpResponse &r) {
        settled_[k] = true;
        client_.scrub(r);
        const std::string rid = request_id_of(r);
        if (!rid.empty())
            request_ids_.push_back(rid);
        connect_s_ = std::max(connect_s_, r.connect_s);
        upload_s_ = std::max(upload_s_, r.upload_done_s);
        first_byte_s_ = std::max(first_byte_s_, r.first_byte_s);
        total_s_ = std::max(total_s_, r.total_s);
        const bool whole = r.curl_code == 0 || r.answer_complete;
        if (r.status != 200 || !whole || (r.cancelled && !r.answer_complete)) {
            ErrorContext context{client_.profile_.name, host_of(client_.base_url_), plan_.timeout_s, !edit_,
                                 client_.profile_.forbidden_is_moderation};
            errors_.push_back(error_from_response(r, context));
            if (errors_.back().may_be_billed) {
                ++billed_calls_;
                billed_images_ += plan_.calls[k].images;
            }
            return;
        }
        ++billed_calls_;
        try {
            read_answer(*streams_[k], r, rid);
        } catch (const Error &e) {
            ErrorInfo info = e.info();
            info.request_id = rid;
            info.http_status = int(r.status);
            info.request_sent = true;
            billed_images_ += plan_.calls[k].images;
            errors_.push_back(info);
        }
        streams_[k].reset(); // its buffers are in pending_ now
    }

    void read_answer(StreamedResponse &stream, const net::HttpResponse &r, const std::string &rid) {
        const auto read_start = Clock::now();
        ImagesResponse answer = stream.taken() ? stream.result() : read_images_response(r.body);
        after_last_byte_ms_ = std::max(after_last_byte_ms_, stream.taken() ? stream.after_last_byte_ms()
                                                                           : ms_since(read_start));
        billed_images_ += int(answer.images.size());
        add_usage(usage_, answer.usage);
        for (const auto &warning : answer.warnings)
            warn(warning + (rid.empty() ? std::string() : " (request id " + rid + ")"));
        for (auto &image : answer.images) {
            pending_.push_back({std::move(image.bytes), std::move(image.url), rid, std::move(image.rgba), image.decoded,
                                answer.usage, {}});
            if (!pending_.back().bytes.empty())
                keep(pending_.back());
        }
    }

    // Paid for: on disk before anything else can fail. When history fails even so, the host
    // still gets the image (losing it would be worse), with a warning.
    void keep(Pending &item) {
        reporter_.phase(net::Phase::saving);
        const auto save_start = Clock::now();
        try {
            item.kept = save_to_history(store_, item.bytes, sidecar_for(item), plan_.expected_size);
            history_.push_back(item.kept.history_path);
            if (request_.on_saved)
                request_.on_saved(item.kept.history_path, item.request_id);
        } catch (const Error &e) {
            item.kept.format = sniff_image_format(reinterpret_cast<const uint8_t *>(item.bytes.data()), item.bytes.size());
            warn(std::string("history not written: ") + e.what() +
                 (item.request_id.empty() ? std::string() : " (request id " + item.request_id + ")"));
        }
        history_ms_ += ms_since(save_start);
    }

    // What was asked for this image, as its history sidecar says it.
    HistorySidecar sidecar_for(const Pending &item) {
        HistorySidecar s;
        s.prompt = request_.prompt;
        s.profile = client_.profile_.name;
        s.model = plan_.model.model;
        s.base_url = client_.redact(client_.base_url_);
        s.endpoint = plan_.endpoint;
        s.parameters = plan_.parameters;
        s.request_id = item.request_id;
        s.usage = item.usage;
        s.index = ++saved_;
        if (plan_.cost_usd)
            s.cost_usd_estimate = *plan_.cost_usd / std::max(1, plan_.images_total);
        if (edit_) {
            s.input_images.emplace();
            for (const auto &in : request_.images)
                s.input_images->push_back(in.filename);
            s.mask = request_.has_mask;
        }
        return s;
    }

    // url answers: the images fetched without the key (the CDN is another host), then kept.
    void fetch_url_images() {
        std::vector<size_t> url_items;
        std::vector<net::HttpRequest> downloads;
        for (size_t i = 0; i < pending_.size(); ++i) {
            if (pending_[i].url.empty() || !pending_[i].bytes.empty())
                continue;
            net::HttpRequest get;
            get.method = "GET";
            get.url = pending_[i].url;
            get.follow_redirects = true;
            get.connect_timeout_ms = long(client_.options_.connect_timeout_s * 1000);
            get.total_timeout_ms = 300000;
            get.max_response_bytes = std::min<uint64_t>(client_.options_.max_response_bytes,
                                                        answer_byte_budget(client_.profile_, 1, 0));
            get.ca_file = client_.settings_.ca_file;
            url_items.push_back(i);
            downloads.push_back(std::move(get));
        }
        if (downloads.empty())
            return;
        reporter_.phase(net::Phase::downloading);
        net::RetryPolicy download_policy; // a GET of a finished image may be retried freely
        net::HttpTransport fetcher(download_policy, [this](const std::string &l) { client_.log(LogLevel::trace, l); });
        auto fetched = fetcher.perform_all(downloads, on_progress(), &client_.cancel_);
        for (size_t k = 0; k < fetched.size(); ++k) {
            Pending &item = pending_[url_items[k]];
            const auto &f = fetched[k];
            if (f.status == 200 && f.curl_code == 0 && !f.cancelled) {
                item.bytes = f.body;
                keep(item);
                continue;
            }
            ErrorInfo info = error_from_response(f, {client_.profile_.name, host_of(item.url), 300, !edit_});
            info.kind = f.cancelled ? ErrorKind::cancelled : ErrorKind::bad_response;
            info.may_be_billed = true;
            info.request_id = item.request_id;
            info.message = "The image was generated but its URL could not be fetched" +
                           (f.status ? " (HTTP " + std::to_string(f.status) + ")" : std::string()) +
                           ". Fetch it yourself while the link lasts: " + printable_excerpt(item.url, 2000);
            errors_.push_back(info);
            item.url.clear();
        }
    }

    // Only now, with every image's bytes in history, are the images handed over decoded.
    std::vector<ReceivedImage> decode_kept_images() {
        streams_.clear();
        std::vector<ReceivedImage> images;
        for (auto &item : pending_) {
            if (item.bytes.empty())
                continue;
            ReceivedImage image;
            image.encoded = std::move(item.bytes);
            image.request_id = item.request_id;
            image.format = item.kept.format;
            image.history_path = item.kept.history_path;
            if (!reporter_.phase(net::Phase::decoding))
                client_.cancel_.store(true); // the progress callback's cancel, seen by the decoder
            const auto decode_start = Clock::now();
            std::optional<ErrorInfo> failure;
            if (item.decoded)
                image.rgba = std::move(item.rgba);
            else
                failure = decode_one(image);
            late_decode_ms_ += ms_since(decode_start);
            if (failure)
                errors_.push_back(*failure);
            else
                images.push_back(std::move(image));
        }
        return images;
    }

    // A cancel stops the run here: the images left undecoded are all in history already.
    std::optional<ErrorInfo> decode_one(ReceivedImage &image) {
        try {
            return decode_kept_image(image, limits_, plan_.images_total);
        } catch (const Error &e) {
            ErrorInfo info = e.info();
            info.request_id = client_.redact(info.request_id);
            throw Error(info);
        }
    }

    nlohmann::json describe(const std::vector<ReceivedImage> &images) {
        // Priced by what was asked; when the server chose the size, by what it sent.
        ImageSize actual = images.empty() ? plan_.expected_size : ImageSize{images[0].rgba.width, images[0].rgba.height};
        ImageSize priced = plan_.expected_size.width ? plan_.expected_size : actual;
        nlohmann::json error_list = nlohmann::json::array();
        for (auto &e : errors_) {
            // A gateway may echo the key anywhere (an error code, a message parsed from an event).
            e.message = client_.redact(e.message);
            e.code = client_.redact(e.code);
            e.request_id = client_.redact(e.request_id);
            error_list.push_back(error_json(e));
        }
        return {
            {"profile", client_.profile_.name},
            {"model", plan_.model.model},
            {"endpoint", plan_.endpoint},
            {"size", actual.width ? actual.text() : std::string("auto")},
            {"parameters", plan_.parameters},
            {"usage", usage_},
            {"request_ids", request_ids_},
            {"cost_usd_estimate",
             usd_or_null(estimate_cost_usd(plan_.model, priced, plan_.quality, billed_calls_, billed_images_))},
            {"history", history_},
            {"images_requested", plan_.images_total},
            {"timings_ms",
             {{"connect", ms_between(0, connect_s_)},
              {"upload", ms_between(connect_s_, upload_s_)},
              {"wait", ms_between(upload_s_, first_byte_s_)},
              {"download", ms_between(first_byte_s_, total_s_)},
              // Decode work left after the last byte (most of it happens while the body
              // arrives); writing history is timed apart.
              {"after_last_byte", after_last_byte_ms_ + late_decode_ms_},
              {"history", history_ms_},
              {"total", ms_since(start_)}}},
            {"errors", error_list},
            {"warnings", warnings_},
        };
    }

    ErrorInfo first_failure() const {
        ErrorInfo first = errors_.empty() ? ErrorInfo{ErrorKind::bad_response, "The gateway sent no image."} : errors_[0];
        // Paid bytes that would not decode are still kept: the host can name them as a field.
        if (!history_.empty())
            first.history_path = history_[0].get<std::string>();
        return first;
    }

    void warn(const std::string &text) {
        warnings_.push_back(client_.redact(text));
        client_.log(LogLevel::warning, text);
    }

    static double ms_since(Clock::time_point from) {
        return std::chrono::duration<double, std::milli>(Clock::now() - from).count();
    }

    ImageClient &client_;
    const ImageRequest &request_;
    const bool edit_;
    const Clock::time_point start_;
    const RequestPlan plan_;
    ProgressReporter reporter_;
    HistoryStore store_;
    DecodeLimits limits_;
    std::vector<std::unique_ptr<StreamedResponse>> streams_;
    std::vector<bool> settled_;
    std::vector<Pending> pending_;
    std::vector<ErrorInfo> errors_;
    nlohmann::json usage_;
    nlohmann::json request_ids_ = nlohmann::json::array();
    nlohmann::json history_ = nlohmann::json::array();
    nlohmann::json warnings_ = nlohmann::json::array();
    double connect_s_ = 0, upload_s_ = 0, first_byte_s_ = 0, total_s_ = 0;
    double after_last_byte_ms_ = 0; // the slowest answer's work left after its last byte
    double history_ms_ = 0, late_decode_ms_ = 0;
    int billed_calls_ = 0, billed_images_ = 0;
    int saved_ = 0;
};

ImageResult ImageClient::run(const ImageRequest &request, bool edit) {
    cancel_.store(false);
    return PaidRun(*this, request, edit).run();
}

} // namespace pictor
