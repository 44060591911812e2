// Runs one image request at a time on its own thread, so OBS's UI, graphics and audio threads
// never wait on the network or a decoder. The owner (a source or a filter) can abandon the
// request at any moment — on destroy, on module unload — and gets control back within about
// 100 ms (pictor's cancel latency), never after the server's answer.
#pragma once

#include "request_spec.hpp"

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

struct pictor_client;
struct pictor_image;
struct pictor_progress;

namespace pictor_obs {

class ImageRequestWorker {
public:
    // Fires on the worker thread, never after cancel() or abandon() returned.
    using Finished = std::function<void(RequestOutcome &&outcome)>;
    // A partial image while the route streams (index 0-based, of total); worker thread, never
    // after cancel() or abandon() returned.
    using Preview = std::function<void(RgbaImage &&partial, int index, int total)>;
    // The phase and time of the running request, at least every 250 ms; worker thread, never
    // after cancel() or abandon() returned.
    using Progress = std::function<void(const RequestProgress &progress)>;

    // owner_label names the source in log lines: "Pictor Image 'Scene art'".
    explicit ImageRequestWorker(std::string owner_label);
    ~ImageRequestWorker(); // abandon()
    ImageRequestWorker(const ImageRequestWorker &) = delete;
    ImageRequestWorker &operator=(const ImageRequestWorker &) = delete;

    // Starts the request; false (and nothing started) while another one runs.
    bool start(RequestSpec spec, Finished finished, Preview preview = nullptr, Progress progress = nullptr);
    bool busy() const;
    // The user's Cancel: stops waiting for the running request without waiting for its thread.
    // Its outcome still arrives, as cancelled (within about 100 ms), with nothing to show. Logs
    // that the server may still bill a request that was sent.
    void cancel();
    // The owner goes away: cancels, drops the outcome, and waits for the thread (about 100 ms).
    void abandon();
    void set_owner_label(std::string owner_label);

private:
    void run(RequestSpec spec, Finished finished);
    RequestOutcome send(const RequestSpec &spec);
    static int on_progress(const pictor_progress *progress, void *self);
    static void on_partial_image(const pictor_image *partial, int index, int total, void *self);

    mutable std::mutex mutex_;
    std::thread thread_;
    bool busy_ = false;
    bool network_ = false;             // the running request talks to a gateway
    std::atomic<bool> cancelled_{false};
    bool abandoned_ = false;           // no callback at all any more
    pictor_client *client_ = nullptr;  // set while a request is on the wire, for cancel
    Preview preview_;                  // of the running request
    Progress progress_;
    std::string owner_label_;
};

} // namespace pictor_obs
