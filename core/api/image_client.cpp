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

// Adds numbers found at the same place in two usage objects (several calls, one result).
void add_usage(nlohmann::json &total, const nlohmann::json &usage) {
    if (usage.is_null())
        return;
    if (total.is_null()) {
        total = usage;
        return;
    }
    for (auto it = usage.begin(); it != usage.end(); ++it) {
        auto &slot = total[it.key()];
        if (it->is_number_integer() && slot.is_number_integer())
            slot = slot.get<int64_t>() + it->get<int64_t>();
        else if (it->is_object() && slot.is_object())
            add_usage(slot, *it);
        else if (slot.is_null())
            slot = *it;
    }
}

// A price, or null when the profile states none for the model (never a guess).
nlohmann::json usd_or_null(std::optional<double> usd) { return usd ? nlohmann::json(*usd) : nlohmann::json(nullptr); }

nlohmann::json error_json(const ErrorInfo &e) {
    return {{"kind", error_kind_name(e.kind)}, {"status", e.http_status}, {"code", e.code},
            {"message", e.message}, {"request_id", e.request_id}, {"may_be_billed", e.may_be_billed}};
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

ImageResult ImageClient::run(const ImageRequest &request, bool edit) {
    cancel_.store(false);
    const auto start = Clock::now();
    auto since_start = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    RequestPlan plan_ = plan(request, edit);
    ProgressReporter reporter(request.progress, start, int(plan_.calls.size()));
    if (!reporter.phase(net::Phase::preparing))
        throw Error(ErrorInfo{ErrorKind::cancelled, "Cancelled before anything was sent."});

    if (settings_.api_key.empty())
        throw Error(ErrorKind::auth,
                    "No API key: set PICTOR_API_KEY (or OPENAI_API_KEY), or put \"api_key\" in " +
                        config_file_path() + " (chmod 600). Nothing was sent.");

    // The money limit, before anything goes out: the host's for this request, else the user's.
    const double max_cost = request.max_cost_usd > 0 ? request.max_cost_usd : settings_.max_cost_usd;
    if (max_cost > 0) {
        const std::optional<double> estimate = plan_.cost_usd;
        // A model whose price the profile does not state cannot be held to a limit.
        if (!estimate)
            throw Error(ErrorKind::invalid_request,
                        "The price of model " + plan_.model.model + " on " + profile_.name +
                            " is unknown (its profile entry states none), so the cost limit of " +
                            format_usd(max_cost) + " cannot be checked. Add its prices to the profile, or lift "
                            "the limit for this request. Nothing was sent.");
        if (*estimate > max_cost)
            throw Error(ErrorKind::invalid_request,
                        "The estimate, about " + format_usd(estimate) + " for " + std::to_string(plan_.images_total) +
                            (plan_.images_total == 1 ? " image" : " images") + " on " + profile_.name +
                            ", is over the cost limit of " + format_usd(max_cost) +
                            " (\"max_cost_usd\"). Nothing was sent.");
    }

    std::vector<net::HttpRequest> requests;
    for (auto &call : plan_.calls) {
        net::HttpRequest h = call.http;
        h.bearer_token = settings_.api_key;
        h.connect_timeout_ms = long(options_.connect_timeout_s * 1000);
        h.max_response_bytes = std::min<uint64_t>(
            options_.max_response_bytes, answer_byte_budget(profile_, call.images, request.partial_images));
        h.ca_file = settings_.ca_file;
        requests.push_back(std::move(h));
    }
    log(LogLevel::trace, "profile " + profile_.name + ", model " + model_ + ", " + std::to_string(requests.size()) +
                             " call(s) to " + base_url_ + "/images/" + plan_.endpoint);
    log(LogLevel::trace, "   Authorization: Bearer [redacted]");
    log(LogLevel::trace, "   fields: " + plan_.parameters.dump());

    net::RetryPolicy policy;
    policy.max_retries = options_.max_retries;
    net::HttpTransport transport(policy, [this](const std::string &line) { log(LogLevel::trace, line); });
    auto on_progress = [&](const std::vector<net::TransferStatus> &s) { return reporter.transfers(s); };
    // Each answer is parsed and decoded while it downloads (partial images reach the host as
    // they complete); the encoded bytes still go to history before the host sees the image.
    DecodeLimits limits;
    limits.max_pixels = options_.max_pixels;
    limits.cancel = &cancel_; // a decode under way stops too, not only the transfer
    // All the images asked for (and their previews, decoded one at a time) at the per-image
    // limit: what an honest answer can hold, whatever the server sends.
    limits.answer_pixels = std::make_shared<PixelBudget>(options_.max_pixels * uint64_t(std::max(1, plan_.images_total)));
    std::vector<std::unique_ptr<StreamedResponse>> streams;
    std::vector<net::BodySink *> sinks;
    for (size_t k = 0; k < requests.size(); ++k) {
        streams.push_back(std::make_unique<StreamedResponse>(limits, request.on_partial_image,
                                                             request.partial_images, int(k),
                                                             plan_.calls[k].images));
        sinks.push_back(streams.back().get());
    }

    HistoryStore store(settings_.history_dir);
    // Nothing is sent (and billed) that history could not keep.
    store.check_writable();

    ErrorContext context{profile_.name, host_of(base_url_), plan_.timeout_s, !edit,
                         profile_.forbidden_is_moderation};
    std::vector<ErrorInfo> errors;
    nlohmann::json usage;
    struct Pending {
        std::string bytes, url, request_id;
        RgbaImage rgba;
        bool decoded = false;
        nlohmann::json usage; // of the call that brought it
        std::string history_path;
        ImageFormat format = ImageFormat::unknown;
    };
    std::vector<Pending> pending;
    nlohmann::json request_ids = nlohmann::json::array();
    nlohmann::json history = nlohmann::json::array();
    nlohmann::json warnings = nlohmann::json::array();
    double connect_s = 0, upload_s = 0, first_byte_s = 0, total_s = 0;
    double after_last_byte_ms = 0; // the slowest answer's work left after its last byte
    double history_ms = 0;
    // What the gateway may bill: calls that brought images, and failures after generation began.
    int billed_calls = 0, billed_images = 0;
    int saved = 0;
    auto warn = [&](const std::string &text) {
        warnings.push_back(redact(text));
        log(LogLevel::warning, text);
    };

    // Paid for: on disk before anything else can fail. The header alone is read here:
    // decoding comes after the bytes are safe.
    auto keep = [&](Pending &item) {
        item.format = sniff_image_format(reinterpret_cast<const uint8_t *>(item.bytes.data()), item.bytes.size());
        reporter.phase(net::Phase::saving);
        const int index = ++saved;
        nlohmann::json sidecar = {
            {"prompt", request.prompt}, {"profile", profile_.name}, {"model", plan_.model.model},
            {"base_url", redact(base_url_)}, {"endpoint", plan_.endpoint},
            {"parameters", plan_.parameters}, {"format", image_format_name(item.format)},
            {"request_id", item.request_id}, {"usage", item.usage}, {"index", index},
            {"cost_usd_estimate", plan_.cost_usd ? nlohmann::json(*plan_.cost_usd / std::max(1, plan_.images_total))
                                                  : nlohmann::json(nullptr)}};
        if (edit) {
            nlohmann::json inputs = nlohmann::json::array();
            for (const auto &in : request.images)
                inputs.push_back(in.filename);
            sidecar["input_images"] = inputs;
            sidecar["mask"] = request.has_mask;
        }
        try {
            ImageInfo info = probe_image(reinterpret_cast<const uint8_t *>(item.bytes.data()), item.bytes.size());
            sidecar["size"] = ImageSize{info.width, info.height}.text();
        } catch (const Error &) {
            sidecar["size"] = plan_.expected_size.width ? plan_.expected_size.text() : "unknown";
        }
        std::string extension = item.format == ImageFormat::unknown ? ".bin" : image_format_extension(item.format);
        const auto save_start = Clock::now();
        try {
            HistoryEntry entry = store.save(item.bytes, extension, sidecar, index);
            item.history_path = entry.image_path;
            history.push_back(entry.image_path);
            if (request.on_saved)
                request.on_saved(entry.image_path, item.request_id);
        } catch (const Error &e) {
            // The host still gets the image: losing it because history is unwritable would be worse.
            warn(std::string("history not written: ") + e.what() +
                 (item.request_id.empty() ? std::string() : " (request id " + item.request_id + ")"));
        }
        history_ms += std::chrono::duration<double, std::milli>(Clock::now() - save_start).count();
    };

    // One call's final answer, the moment it ends: its images go to history at once, so an
    // interrupt (or a crash) while other variations still run loses none of them.
    std::vector<bool> settled(requests.size(), false);
    auto settle = [&](size_t k, net::HttpResponse &r) {
        settled[k] = true;
        scrub(r);
        std::string rid = request_id_of(r);
        if (!rid.empty())
            request_ids.push_back(rid);
        connect_s = std::max(connect_s, r.connect_s);
        upload_s = std::max(upload_s, r.upload_done_s);
        first_byte_s = std::max(first_byte_s, r.first_byte_s);
        total_s = std::max(total_s, r.total_s);
        const bool whole = r.curl_code == 0 || r.answer_complete;
        if (r.status != 200 || !whole || (r.cancelled && !r.answer_complete)) {
            errors.push_back(error_from_response(r, context));
            if (errors.back().may_be_billed) {
                ++billed_calls;
                billed_images += plan_.calls[k].images;
            }
            return;
        }
        ++billed_calls;
        try {
            const auto read_start = Clock::now();
            StreamedResponse &stream = *streams[k];
            ImagesResponse answer = stream.taken() ? stream.result() : read_images_response(r.body);
            after_last_byte_ms = std::max(after_last_byte_ms,
                                          stream.taken() ? stream.after_last_byte_ms()
                                                         : std::chrono::duration<double, std::milli>(
                                                               Clock::now() - read_start).count());
            billed_images += int(answer.images.size());
            add_usage(usage, answer.usage);
            for (const auto &warning : answer.warnings)
                warn(warning + (rid.empty() ? std::string() : " (request id " + rid + ")"));
            for (auto &image : answer.images) {
                pending.push_back({std::move(image.bytes), std::move(image.url), rid,
                                   std::move(image.rgba), image.decoded, answer.usage, "", ImageFormat::unknown});
                if (!pending.back().bytes.empty())
                    keep(pending.back());
            }
        } catch (const Error &e) {
            ErrorInfo info = e.info();
            info.request_id = rid;
            info.http_status = int(r.status);
            info.request_sent = true;
            billed_images += plan_.calls[k].images;
            errors.push_back(info);
        }
        streams[k].reset(); // its buffers are in pending now
    };
    std::vector<net::HttpResponse> responses = transport.perform_all(
        requests, on_progress, &cancel_, sinks,
        [&](size_t k, net::HttpResponse &r) { settle(k, r); });
    for (size_t k = 0; k < responses.size(); ++k)
        if (!settled[k]) // cancelled before it ended
            settle(k, responses[k]);

    // url answers: fetch the images without the key (the CDN is another host).
    std::vector<size_t> url_items;
    std::vector<net::HttpRequest> downloads;
    for (size_t i = 0; i < pending.size(); ++i) {
        if (!pending[i].url.empty() && pending[i].bytes.empty()) {
            net::HttpRequest get;
            get.method = "GET";
            get.url = pending[i].url;
            get.follow_redirects = true;
            get.connect_timeout_ms = long(options_.connect_timeout_s * 1000);
            get.total_timeout_ms = 300000;
            get.max_response_bytes = std::min<uint64_t>(options_.max_response_bytes,
                                                        answer_byte_budget(profile_, 1, 0));
            get.ca_file = settings_.ca_file;
            url_items.push_back(i);
            downloads.push_back(std::move(get));
        }
    }
    if (!downloads.empty()) {
        reporter.phase(net::Phase::downloading);
        net::RetryPolicy download_policy; // a GET of a finished image may be retried freely
        net::HttpTransport fetcher(download_policy, [this](const std::string &l) { log(LogLevel::trace, l); });
        auto fetched = fetcher.perform_all(downloads, on_progress, &cancel_);
        for (size_t k = 0; k < fetched.size(); ++k) {
            Pending &item = pending[url_items[k]];
            const auto &f = fetched[k];
            if (f.status == 200 && f.curl_code == 0 && !f.cancelled) {
                item.bytes = f.body;
                keep(item);
                continue;
            }
            ErrorInfo info = error_from_response(f, {profile_.name, host_of(item.url), 300, !edit});
            info.kind = f.cancelled ? ErrorKind::cancelled : ErrorKind::bad_response;
            info.may_be_billed = true;
            info.request_id = item.request_id;
            info.message = "The image was generated (and billed) but its URL could not be fetched" +
                           (f.status ? " (HTTP " + std::to_string(f.status) + ")" : std::string()) +
                           ". Fetch it yourself while the link lasts: " + printable_excerpt(item.url, 2000);
            errors.push_back(info);
            item.url.clear();
        }
    }

    streams.clear();
    double late_decode_ms = 0;
    ImageResult result;
    for (auto &item : pending) {
        if (item.bytes.empty())
            continue;
        ReceivedImage image;
        image.encoded = std::move(item.bytes);
        image.request_id = item.request_id;
        image.format = item.format;
        image.history_path = item.history_path;

        if (!reporter.phase(net::Phase::decoding))
            cancel_.store(true); // the progress callback's cancel, seen by the decoder
        const auto decode_start = Clock::now();
        try {
            const auto *bytes = reinterpret_cast<const uint8_t *>(image.encoded.data());
            if (item.decoded) { // decoded while it arrived; handed over only now, after history
                image.rgba = std::move(item.rgba);
            } else {
                const ImageInfo info = probe_image(bytes, image.encoded.size());
                check_decode_limits(info.format, info.width, info.height, limits); // one image's own limit first
                if (!limits.answer_pixels->take(uint64_t(info.width) * info.height))
                    throw Error(ErrorKind::too_large,
                                "the answer holds more image pixels than the " + std::to_string(plan_.images_total) +
                                    " image(s) asked for can have, so this one was not decoded");
                image.rgba = decode_image(bytes, image.encoded.size(), limits);
            }
            late_decode_ms += std::chrono::duration<double, std::milli>(Clock::now() - decode_start).count();
        } catch (const Error &e) {
            ErrorInfo info = e.info();
            if (info.kind == ErrorKind::cancelled) {
                // Stops here, the images left undecoded: every one of them is in history already.
                info.request_id = redact(image.request_id);
                info.request_sent = true;
                info.may_be_billed = true;
                info.history_path = image.history_path;
                info.message = image.history_path.empty()
                                   ? "Cancelled while decoding. The image was received and billed, but history "
                                     "could not keep it (see the warnings)."
                                   : "Cancelled while decoding. The image was received (and billed) and is kept in " +
                                         image.history_path;
                throw Error(info);
            }
            if (info.kind == ErrorKind::bad_image)
                info.kind = ErrorKind::bad_response;
            info.request_id = image.request_id;
            info.request_sent = true;
            info.may_be_billed = true;
            info.message = "The gateway sent an image that cannot be used: " + std::string(e.what()) +
                           (image.history_path.empty() ? std::string()
                                                       : ". The bytes are kept in " + image.history_path);
            errors.push_back(info);
            continue;
        }
        result.images.push_back(std::move(image));
    }

    const double total_elapsed_s = since_start();
    // Priced by what was asked; when the server chose the size, by what it sent.
    ImageSize actual = result.images.empty() ? plan_.expected_size
                                             : ImageSize{result.images[0].rgba.width, result.images[0].rgba.height};
    ImageSize priced = plan_.expected_size.width ? plan_.expected_size : actual;
    nlohmann::json error_list = nlohmann::json::array();
    for (auto &e : errors) {
        // A gateway may echo the key anywhere (an error code, a message parsed from an event).
        e.message = redact(e.message);
        e.code = redact(e.code);
        e.request_id = redact(e.request_id);
        error_list.push_back(error_json(e));
    }
    result.metadata = {
        {"profile", profile_.name},
        {"model", plan_.model.model},
        {"endpoint", plan_.endpoint},
        {"size", actual.width ? actual.text() : std::string("auto")},
        {"parameters", plan_.parameters},
        {"usage", usage},
        {"request_ids", request_ids},
        {"cost_usd_estimate",
         usd_or_null(estimate_cost_usd(plan_.model, priced, plan_.quality, billed_calls, billed_images))},
        {"history", history},
        {"images_requested", plan_.images_total},
        {"timings_ms",
         {{"connect", ms_between(0, connect_s)},
          {"upload", ms_between(connect_s, upload_s)},
          {"wait", ms_between(upload_s, first_byte_s)},
          {"download", ms_between(first_byte_s, total_s)},
          // Decode work left after the last byte (most of it happens while the body arrives);
          // writing history is timed apart.
          {"after_last_byte", after_last_byte_ms + late_decode_ms},
          {"history", history_ms},
          {"total", total_elapsed_s * 1000.0}}},
        {"errors", error_list},
        {"warnings", warnings},
    };
    if (result.images.empty()) {
        ErrorInfo first = errors.empty() ? ErrorInfo{ErrorKind::bad_response, "The gateway sent no image."} : errors[0];
        // Paid bytes that would not decode are still kept: the host can name them as a field.
        if (!history.empty())
            first.history_path = history[0].get<std::string>();
        throw Error(first);
    }
    return result;
}

} // namespace pictor
