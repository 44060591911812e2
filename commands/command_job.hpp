// The job engine: a prepared command run on a worker thread, its write callbacks delivered on
// the worker or queued for the host's thread, cancel forwarded to the ImageClient, and the
// outcome (status, error, metadata) kept for the host to read.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "api/image_client.hpp"
#include "callback_queue.hpp"
#include "command_options.hpp"
#include "error.hpp"
#include "host_document.hpp"
#include "job_sink.hpp"
#include "prepared_command.hpp"

namespace pictor::plugin {

struct JobOutcome {
    bool ok = true;      // false: `error` says why
    ErrorInfo error;
};

class CommandJob {
public:
    // Called with the final outcome, on the thread that settled it (the worker, or the host's
    // thread when delivering a layer failed), before worker_finished() turns true.
    using OutcomeHook = std::function<void(const JobOutcome &)>;

    // Reads the document (on this thread) and validates the request against the client's
    // profile. Throws Error with nothing sent. `client` and `sink` are used by the worker until
    // the job is destroyed.
    static std::unique_ptr<CommandJob> prepare(ImageClient &client, HostDocument &document,
                                               const CommandOptions &options, std::unique_ptr<JobSink> sink,
                                               OutcomeHook on_outcome);
    // How the worker runs the request instead of client.run, and how a cancel reaches it (both
    // called besides the client's own cancel): the ABI's route through pictor-request-runner.
    // `detached` says a cancel only stops the waiting: the request goes on and its image lands
    // in history. Set before launch().
    using RunRequest = std::function<ImageResult(ImageRequest &, bool edit)>;
    void run_through(RunRequest run, std::function<void()> cancel, bool detached);
    // A cancel that also throws the request away (a detached request stops being detached).
    void abandon() noexcept;
    // Starts the worker (once), then encodes on this thread the parts left to encode while the
    // worker sends the first ones (PreparedCommand::pending_uploads). Throws std::system_error
    // when no thread can be made, or the encode's Error (the worker is then stopped: nothing
    // whole was sent).
    void launch();

    // Cancels, waits for the worker, drops undelivered callbacks.
    ~CommandJob();
    CommandJob(const CommandJob &) = delete;
    CommandJob &operator=(const CommandJob &) = delete;

    // See pictor_job_dispatch: true while the job runs or has undelivered callbacks.
    bool dispatch(int timeout_ms);
    void cancel() noexcept;

    bool worker_finished() const { return finished_.load(); }
    bool callbacks_on_worker() const { return on_worker_; }
    JobOutcome outcome() const;
    // The result metadata; nullptr until the worker finished. A returned pointer stays valid
    // for the job's life, even if a later layer failure produces a newer version.
    const char *result_json() const;

private:
    CommandJob(ImageClient &client, PreparedCommand prepared, std::unique_ptr<JobSink> sink, bool on_worker,
               OutcomeHook on_outcome);

    void work();
    void complete_upload_report();
    void succeed(nlohmann::json metadata, int layers);
    void fail(ErrorInfo info);
    void settle(JobOutcome outcome, nlohmann::json metadata);

    // Write callbacks: straight to the sink (ON_WORKER) or into the queue (ON_DISPATCH).
    bool emit_progress(const Progress &progress);
    void emit_layer(NewLayer layer);
    void emit_message(MessageLevel level, const std::string &text);
    void emit_preview(const RgbaImage &partial, int index, int total);
    void deliver(const QueuedCallback &callback);
    void layer_not_added(const NewLayer &layer);

    ImageClient &client_;
    PreparedCommand prepared_;
    std::unique_ptr<JobSink> sink_;
    const bool on_worker_;
    OutcomeHook on_outcome_;
    RunRequest run_request_;            // empty: client_.run
    std::function<void()> cancel_request_;
    std::atomic<bool> detached_{false};

    CallbackQueue queue_;
    std::atomic<bool> cancel_requested_{false};
    std::atomic<bool> destroying_{false};
    std::atomic<bool> request_sent_{false}; // a phase past connecting was reported
    std::atomic<bool> finished_{false};

    mutable std::mutex mutex_; // guards what follows
    std::condition_variable finished_signal_;
    JobOutcome outcome_;
    nlohmann::json metadata_;
    std::deque<std::string> json_versions_; // empty until settled
    int layers_not_added_ = 0;
    std::optional<ErrorInfo> layer_failure_;

    std::thread worker_; // last: started once everything above exists
};

} // namespace pictor::plugin
