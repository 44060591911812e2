// The write callbacks a worker produced for the host's thread (PICTOR_CALLBACKS_ON_DISPATCH):
// a mutex-guarded queue the worker pushes to and dispatch drains. Progress is coalesced: only
// the newest of consecutive updates waits, so a slow host never falls behind.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "job_sink.hpp"

namespace pictor::plugin {

struct QueuedCallback {
    enum class Kind { progress, layer, message, preview } kind = Kind::message;
    Progress progress;
    std::shared_ptr<const NewLayer> layer;
    MessageLevel level = MessageLevel::info;
    std::string text;
    std::shared_ptr<const RgbaImage> preview; // with index / total
    int index = 0, total = 0;
};

class CallbackQueue {
public:
    void push(QueuedCallback callback);
    // Marks the producer done (no more pushes) and wakes a waiting take_all.
    void close();
    // Waits up to `timeout` for something to deliver (or for close), then takes everything.
    std::deque<QueuedCallback> take_all(std::chrono::milliseconds timeout);
    void clear();
    bool empty_and_closed() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<QueuedCallback> items_;
    bool closed_ = false;
};

} // namespace pictor::plugin
