#include "image/png_row_pipeline.hpp"

#include <new>
#include <system_error>

#include "error.hpp"
#include "image/frame_pages.hpp"
#include "image/png_unfilter.hpp"

namespace pictor {
namespace {

// Together the batches add under 1% to a 4K frame (the peak-memory budget is 1.3x the frame);
// several small ones give the two threads slack against each other's hiccups.
constexpr size_t kBatchBytes = 32 << 10;
constexpr size_t kBatches = 8;                 // the inflating thread waits when all are full
constexpr size_t kThreadFromBytes = 1 << 20;   // smaller images: a thread costs more than it saves
constexpr size_t kPadding = 8;

// Sizes the frame (zeros), its pages mapped in few faults first (frame_pages.cpp).
void allocate_frame(RgbaImage &image) {
    const size_t size = image.stride() * image.height;
    image.pixels.reserve(size);
    if (size >= kThreadFromBytes) map_frame_pages(image.pixels.data(), size);
    image.pixels.resize(size);
}

} // namespace

PngRowPipeline::PngRowPipeline(RgbaImage &image, int channels, size_t row_length)
    : image_(image), channels_(channels), row_length_(row_length) {
    batch_rows_ = uint32_t(row_length_ >= kBatchBytes ? 1 : kBatchBytes / row_length_);
    if (batch_rows_ > image_.height) batch_rows_ = image_.height;
    zero_row_.assign(image_.stride(), 0);
    const bool threaded = std::thread::hardware_concurrency() >= 2 &&
                          uint64_t(row_length_) * image_.height >= kThreadFromBytes;
    batches_.resize(threaded ? kBatches : 1);
    for (Batch &batch : batches_) {
        batch.bytes.resize(batch_rows_ * row_length_ + kPadding);
        free_.push_back(&batch);
    }
    if (threaded) {
        try {
            thread_ = std::thread([this] { run_unfilter_thread(); });
        } catch (const std::system_error &) {
        }
    }
    if (!thread_.joinable()) allocate_frame(image_);
    take_free_batch();
}

PngRowPipeline::~PngRowPipeline() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        no_more_ = true;
        full_.clear();
        changed_.notify_all();
    }
    thread_.join();
}

void PngRowPipeline::take_free_batch() {
    current_ = nullptr;
    fill_ = 0;
    if (rows_submitted_ == image_.height) return;
    Batch *batch = nullptr;
    if (thread_.joinable()) {
        std::unique_lock<std::mutex> lock(mutex_);
        if (free_.empty()) changed_.notify_all(); // the unfilter may sleep on a single full batch
        changed_.wait(lock, [this] { return !free_.empty() || failure_ != Failure::none; });
        if (failure_ == Failure::none) {
            batch = free_.back();
            free_.pop_back();
        }
    } else {
        batch = free_.back();
    }
    throw_if_failed();
    batch->first_row = rows_submitted_;
    batch->rows = image_.height - rows_submitted_ < batch_rows_ ? image_.height - rows_submitted_ : batch_rows_;
    batch->capacity = size_t(batch->rows) * row_length_;
    current_ = batch;
}

void PngRowPipeline::advance(size_t bytes) {
    fill_ += bytes;
    if (current_ == nullptr || fill_ < current_->capacity) return;
    rows_submitted_ += current_->rows;
    if (thread_.joinable()) {
        std::lock_guard<std::mutex> lock(mutex_);
        full_.push_back(current_);
        // Woken for half the batches at a time, the unfilter sleeps and wakes less often (each
        // wake is a system call and a context switch on the 2 cores the download also needs).
        if (full_.size() >= kBatches / 2 || rows_submitted_ == image_.height) changed_.notify_all();
    } else {
        if (!unfilter(*current_)) failure_ = Failure::bad_filter;
    }
    take_free_batch();
}

void PngRowPipeline::finish() {
    if (thread_.joinable()) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            no_more_ = true;
            changed_.notify_all();
        }
        thread_.join();
    }
    throw_if_failed();
}

// Unfilters a batch into the frame; false at a bad filter type (no throw: it may run on the
// second thread).
bool PngRowPipeline::unfilter(const Batch &batch) {
    const size_t stride = image_.stride();
    for (uint32_t i = 0; i < batch.rows; ++i) {
        const uint32_t y = batch.first_row + i;
        const uint8_t *row = batch.bytes.data() + size_t(i) * row_length_;
        uint8_t *out = image_.pixels.data() + size_t(y) * stride;
        const uint8_t *prior = y == 0 ? zero_row_.data() : out - stride;
        if (!unfilter_png_row_to_rgba(row[0], row + 1, prior, out, image_.width, channels_)) return false;
    }
    return true;
}

void PngRowPipeline::run_unfilter_thread() {
    bool allocated = true;
    try {
        allocate_frame(image_);
    } catch (const std::bad_alloc &) {
        allocated = false;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (!allocated) {
        failure_ = Failure::no_memory;
        changed_.notify_all();
    }
    for (;;) {
        changed_.wait(lock, [this] { return !full_.empty() || no_more_; });
        if (full_.empty()) return;
        Batch *batch = full_.front();
        full_.pop_front();
        const bool failed = failure_ != Failure::none;
        lock.unlock();
        const bool unfiltered = failed || unfilter(*batch);
        lock.lock();
        if (!unfiltered) failure_ = Failure::bad_filter;
        free_.push_back(batch);
        changed_.notify_all();
    }
}

void PngRowPipeline::throw_if_failed() {
    Failure failure;
    if (thread_.joinable()) {
        std::lock_guard<std::mutex> lock(mutex_);
        failure = failure_;
    } else {
        failure = failure_;
    }
    if (failure == Failure::bad_filter)
        throw Error(ErrorKind::bad_image, "PNG: a row has an unknown filter type — the image data is corrupt");
    if (failure == Failure::no_memory)
        throw Error(ErrorKind::no_memory, "PNG: out of memory for the decoded image");
}

} // namespace pictor
