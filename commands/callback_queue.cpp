#include "callback_queue.hpp"

namespace pictor::plugin {

void CallbackQueue::push(QueuedCallback callback) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (callback.kind == QueuedCallback::Kind::progress && !items_.empty() &&
            items_.back().kind == QueuedCallback::Kind::progress)
            items_.back() = std::move(callback);
        else
            items_.push_back(std::move(callback));
    }
    ready_.notify_all();
}

void CallbackQueue::close() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
    }
    ready_.notify_all();
}

std::deque<QueuedCallback> CallbackQueue::take_all(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return !items_.empty() || closed_; });
    std::deque<QueuedCallback> out;
    out.swap(items_);
    return out;
}

void CallbackQueue::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.clear();
}

bool CallbackQueue::empty_and_closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_ && items_.empty();
}

} // namespace pictor::plugin
