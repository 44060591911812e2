#include "command_job.hpp"
#include "upload_image.hpp"

#include <algorithm>
#include <chrono>
#include <new>

#include "layer_name.hpp"
#include "store/client_settings.hpp"

namespace pictor::plugin {

namespace {

bool phase_means_sent(net::Phase phase) {
    return phase == net::Phase::uploading || phase == net::Phase::waiting || phase == net::Phase::downloading ||
           phase == net::Phase::decoding || phase == net::Phase::saving;
}

nlohmann::json error_json(const ErrorInfo &e) {
    return {{"kind", error_kind_name(e.kind)}, {"status", e.http_status}, {"code", e.code},
            {"message", user_message(e)}, {"request_id", e.request_id}, {"may_be_billed", e.may_be_billed}};
}

} // namespace

std::unique_ptr<CommandJob> CommandJob::prepare(ImageClient &client, HostDocument &document,
                                              const CommandOptions &options, std::unique_ptr<JobSink> sink,
                                                OutcomeHook on_outcome) {
    PreparedCommand prepared = prepare_command(document, options, client.profile_for(options.request.model));
    // Everything the profile knows is checked here, on the host's thread, before any byte goes out.
    client.plan(prepared.request, prepared.edit);
    if (!client.has_api_key())
        throw Error(ErrorKind::auth, "No API key: set PICTOR_API_KEY (or OPENAI_API_KEY), or put \"api_key\" in " +
                                         config_file_path() + " (chmod 600). Nothing was sent.");
    return std::unique_ptr<CommandJob>(new CommandJob(client, std::move(prepared), std::move(sink),
                                                      options.callbacks_on_worker, std::move(on_outcome)));
}

void CommandJob::run_through(RunRequest run, std::function<void()> cancel, bool detached) {
    run_request_ = std::move(run);
    cancel_request_ = std::move(cancel);
    detached_ = detached;
}

void CommandJob::launch() {
    if (worker_.joinable())
        return;
    worker_ = std::thread([this] { work(); });
    if (!prepared_.pending_uploads)
        return;
    // The later parts are read and encoded here, on the host's thread, while the worker sends
    // the first ones (a route that takes no body of unknown length waits for them all).
    try {
        prepared_.pending_uploads->encode_all();
    } catch (...) {
        // The unsealed parts were abandoned, so the request is cut short; the worker's outcome
        // must not outlive this one (the caller reports the encode's error).
        cancel();
        worker_.join();
        throw;
    }
}

CommandJob::CommandJob(ImageClient &client, PreparedCommand prepared, std::unique_ptr<JobSink> sink, bool on_worker,
                       OutcomeHook on_outcome)
    : client_(client), prepared_(std::move(prepared)), sink_(std::move(sink)), on_worker_(on_worker),
      on_outcome_(std::move(on_outcome)) {}

CommandJob::~CommandJob() {
    destroying_.store(true);
    cancel();
    if (worker_.joinable())
        worker_.join();
    queue_.clear();
}

void CommandJob::abandon() noexcept {
    detached_.store(false);
    cancel();
}

void CommandJob::cancel() noexcept {
    cancel_requested_.store(true);
    client_.cancel();
    if (cancel_request_) {
        try {
            cancel_request_();
        } catch (...) {
        }
    }
}

JobOutcome CommandJob::outcome() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return outcome_;
}

const char *CommandJob::result_json() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return json_versions_.empty() ? nullptr : json_versions_.back().c_str();
}

bool CommandJob::dispatch(int timeout_ms) {
    auto timeout = std::chrono::milliseconds(timeout_ms > 0 ? timeout_ms : 0);
    if (on_worker_) {
        std::unique_lock<std::mutex> lock(mutex_);
        finished_signal_.wait_for(lock, timeout, [&] { return finished_.load(); });
        return !finished_.load();
    }
    for (const QueuedCallback &callback : queue_.take_all(timeout))
        deliver(callback);
    return !queue_.empty_and_closed();
}

// ---- the worker ------------------------------------------------------------------------------

void CommandJob::work() {
    ImageRequest request = prepared_.request;
    request.progress = [this](const Progress &progress) {
        if (phase_means_sent(progress.phase))
            request_sent_.store(true);
        if (cancel_requested_.load())
            return false;
        return emit_progress(progress) && !cancel_requested_.load();
    };
    if (request.partial_images > 0)
        request.on_partial_image = [this](const PartialImage &partial) {
            emit_preview(partial.rgba, partial.index, partial.total);
        };
    // What goes up, as chosen to fit the route (format, size, any downscale), for the progress
    // text: at once, or once the parts encoded beside the upload are all known.
    auto announce_uploads = [this, announced = false]() mutable {
        const auto &pending = prepared_.pending_uploads;
        if (announced || (pending && !pending->done()))
            return;
        announced = true;
        const nlohmann::json report = pending ? pending->report() : prepared_.metadata.value("uploads", nlohmann::json());
        if (!report.is_null())
            emit_message(MessageLevel::info, "Uploading " + uploads_summary(report));
    };
    announce_uploads(); // before it is copied below: a report known now is said once
    request.progress = [announce_uploads, progress = std::move(request.progress)](const Progress &p) mutable {
        announce_uploads();
        return progress(p);
    };
    try {
        if (cancel_requested_.load()) // before a helper could take it: nothing goes out
            throw Error(ErrorKind::cancelled, "cancelled before the request was sent");
        ImageResult result = run_request_ ? run_request_(request, prepared_.edit) : client_.run(request, prepared_.edit);
        const int count = int(result.images.size());
        for (int i = 0; i < count; ++i) {
            ReceivedImage &image = result.images[size_t(i)];
            NewLayer layer = prepared_.make_layer(image.rgba);
            image.rgba = {}; // the layer holds what the host needs; free the decoded copy early
            layer.name = layer_name(request.prompt, i, count);
            layer.above_layer = prepared_.above_layer;
            layer.variation = i;
            layer.variation_count = count;
            layer.history_path = image.history_path;
            layer.request_id = image.request_id;
            emit_layer(std::move(layer));
        }
        for (const auto &warning : result.metadata.value("warnings", nlohmann::json::array()))
            if (warning.is_string())
                emit_message(MessageLevel::warning, warning.get<std::string>());
        for (const auto &failed : result.metadata.value("errors", nlohmann::json::array()))
            if (failed.is_object())
                emit_message(MessageLevel::warning, "one of the variations failed: " + failed.value("message", std::string()));
        succeed(std::move(result.metadata), count);
    } catch (const Error &e) {
        fail(e.info());
    } catch (const std::bad_alloc &) {
        fail(ErrorInfo{ErrorKind::no_memory, "out of memory while running the command"});
    } catch (const std::exception &e) {
        fail(ErrorInfo{ErrorKind::internal, std::string("internal error: ") + e.what()});
    } catch (...) {
        fail(ErrorInfo{ErrorKind::internal, "internal error"});
    }
}

void CommandJob::complete_upload_report() {
    if (!prepared_.pending_uploads)
        return;
    prepared_.pending_uploads->wait_done(); // the host's thread is done encoding, one way or another
    prepared_.metadata["uploads"] = prepared_.pending_uploads->report();
}

void CommandJob::succeed(nlohmann::json metadata, int layers) {
    complete_upload_report();
    for (auto it = prepared_.metadata.begin(); it != prepared_.metadata.end(); ++it)
        metadata[it.key()] = it.value();
    metadata["command"] = command_name(prepared_.kind);
    metadata["layers_added"] = layers;
    settle(JobOutcome{}, std::move(metadata));
}

void CommandJob::fail(ErrorInfo info) {
    if (cancel_requested_.load() && info.kind != ErrorKind::cancelled && !info.request_sent)
        info.kind = ErrorKind::cancelled; // stopped by us, whatever the transport made of it
    if (info.kind == ErrorKind::cancelled) {
        const bool sent = info.request_sent || request_sent_.load();
        info.request_sent = info.request_sent || sent;
        info.may_be_billed = info.may_be_billed || sent;
        // The billing note is added from the field by user_message, its one wording.
        info.message = sent ? "Cancelled. The request had already been sent, so the server may still generate the "
                              "image; it will not be added here."
                            : "Cancelled before anything was sent; nothing is billed.";
        if (sent && detached_) // a helper process holds the request and keeps what it brings
            info.message = "Stopped waiting. The request goes on in the background; its "
                           "image will be in history, marked not yet delivered.";
    }
    emit_message(MessageLevel::error, user_message(info));
    complete_upload_report();
    nlohmann::json metadata = {{"command", command_name(prepared_.kind)}, {"layers_added", 0}, {"error", error_json(info)}};
    for (auto it = prepared_.metadata.begin(); it != prepared_.metadata.end(); ++it)
        metadata[it.key()] = it.value();
    settle(JobOutcome{false, std::move(info)}, std::move(metadata));
}

void CommandJob::settle(JobOutcome outcome, nlohmann::json metadata) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (layer_failure_) { // a layer the host refused before the worker got here
            metadata["layers_added"] = std::max(0, metadata.value("layers_added", 0) - layers_not_added_);
            if (outcome.ok) {
                outcome = JobOutcome{false, *layer_failure_};
                metadata["error"] = error_json(*layer_failure_);
            }
        }
        outcome_ = outcome;
        metadata_ = std::move(metadata);
        json_versions_.push_back(metadata_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    if (on_outcome_)
        on_outcome_(outcome);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_.store(true);
    }
    finished_signal_.notify_all();
    queue_.close();
}

// ---- write callbacks ---------------------------------------------------------------------------

bool CommandJob::emit_progress(const Progress &progress) {
    if (!on_worker_) {
        queue_.push({QueuedCallback::Kind::progress, progress, nullptr, MessageLevel::info, {}});
        return true; // the host's answer arrives at dispatch, as a cancel
    }
    if (destroying_.load())
        return false;
    try {
        return sink_->progress(progress);
    } catch (...) {
        return false;
    }
}

void CommandJob::emit_layer(NewLayer layer) {
    if (!on_worker_) {
        queue_.push({QueuedCallback::Kind::layer, {}, std::make_shared<const NewLayer>(std::move(layer)),
                     MessageLevel::info, {}});
        return;
    }
    if (!destroying_.load())
        deliver({QueuedCallback::Kind::layer, {}, std::make_shared<const NewLayer>(std::move(layer)),
                 MessageLevel::info, {}});
}

void CommandJob::emit_message(MessageLevel level, const std::string &text) {
    QueuedCallback callback{QueuedCallback::Kind::message, {}, nullptr, level, text};
    if (!on_worker_)
        queue_.push(std::move(callback));
    else if (!destroying_.load())
        deliver(callback);
}

void CommandJob::emit_preview(const RgbaImage &partial, int index, int total) {
    QueuedCallback callback{QueuedCallback::Kind::preview, {}, nullptr, MessageLevel::info, {}};
    callback.preview = std::make_shared<const RgbaImage>(partial);
    callback.index = index;
    callback.total = total;
    if (!on_worker_)
        queue_.push(std::move(callback));
    else if (!destroying_.load())
        deliver(callback);
}

void CommandJob::deliver(const QueuedCallback &callback) {
    if (destroying_.load())
        return;
    try {
        switch (callback.kind) {
        case QueuedCallback::Kind::progress:
            if (!sink_->progress(callback.progress))
                cancel();
            break;
        case QueuedCallback::Kind::layer:
            if (!sink_->add_layer(*callback.layer))
                layer_not_added(*callback.layer);
            break;
        case QueuedCallback::Kind::message:
            sink_->message(callback.level, callback.text);
            break;
        case QueuedCallback::Kind::preview:
            sink_->preview(*callback.preview, callback.index, callback.total);
            break;
        }
    } catch (...) {
        if (callback.kind == QueuedCallback::Kind::layer)
            layer_not_added(*callback.layer);
    }
}

// The image is paid for and in history: the job fails, and says where the image is.
void CommandJob::layer_not_added(const NewLayer &layer) {
    ErrorInfo info{ErrorKind::io, "the host could not add the layer \"" + layer.name + "\"" +
                                      (layer.history_path.empty() ? std::string(".")
                                                                  : "; the image is kept in history at " + layer.history_path)};
    info.request_sent = true;
    info.request_id = layer.request_id;
    info.history_path = layer.history_path;
    JobOutcome outcome{false, info};
    bool settled = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++layers_not_added_;
        layer_failure_ = info;
        settled = !json_versions_.empty();
        if (settled) { // ON_DISPATCH: the worker is done; the outcome changes now
            metadata_["layers_added"] = std::max(0, metadata_.value("layers_added", 1) - 1);
            metadata_["error"] = error_json(info);
            outcome_ = outcome;
            json_versions_.push_back(metadata_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
    }
    if (settled && on_outcome_)
        on_outcome_(outcome);
    try {
        sink_->message(MessageLevel::error, info.message);
    } catch (...) {
    }
}

} // namespace pictor::plugin
