// Carries a PNG's inflated rows to the unfilter in batches, on a second thread when the image is
// big enough to gain from it: inflating and unfiltering a 4K answer take about the same time, so
// overlapping them nearly halves the decode. The fast reader (png_fast_decoder.cpp) inflates
// straight into next_out(), tells advance() how much it wrote, and calls finish() after the last
// row.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "image/rgba_image.hpp"

namespace pictor {

class PngRowPipeline {
public:
    // image: width and height set; its pixels are allocated here (on the second thread, if any,
    // their pages mapped first: frame_pages.hpp). row_length: the filter byte plus width * channels
    // samples. Throws std::bad_alloc when there is no room for the frame (without a second
    // thread; with one, advance() reports it).
    PngRowPipeline(RgbaImage &image, int channels, size_t row_length);
    ~PngRowPipeline(); // abandons rows not yet unfiltered
    PngRowPipeline(const PngRowPipeline &) = delete;
    PngRowPipeline &operator=(const PngRowPipeline &) = delete;

    // Where the next inflated bytes go, and how many fit (whole rows; 0 once every row is in).
    uint8_t *next_out() { return current_ == nullptr ? nullptr : current_->bytes.data() + fill_; }
    size_t room() const { return current_ == nullptr ? 0 : current_->capacity - fill_; }
    // Records `bytes` written at next_out(); a full batch goes to the unfilter. Throws Error
    // (bad_image, no_memory) as soon as the unfilter has failed.
    void advance(size_t bytes);
    bool all_rows_in() const { return rows_submitted_ == image_.height; }
    // After the last row: waits until every row is in the frame. Throws as advance() does.
    void finish();

private:
    struct Batch {
        std::vector<uint8_t> bytes; // rows, then padding: the unfilter reads 4 bytes per RGB pixel
        size_t capacity = 0;        // bytes of the rows this batch carries
        uint32_t first_row = 0;
        uint32_t rows = 0;
    };

    void take_free_batch();
    bool unfilter(const Batch &batch);
    void run_unfilter_thread();
    void throw_if_failed();

    RgbaImage &image_;
    const int channels_;
    const size_t row_length_;
    uint32_t batch_rows_ = 1;
    std::vector<Batch> batches_;
    Batch *current_ = nullptr;
    size_t fill_ = 0;
    uint32_t rows_submitted_ = 0;
    std::vector<uint8_t> zero_row_; // the first row's "previous row"

    // Shared with the unfilter thread.
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Batch *> full_;
    std::vector<Batch *> free_;
    bool no_more_ = false;
    enum class Failure { none, bad_filter, no_memory } failure_ = Failure::none;
    std::thread thread_;
};

} // namespace pictor
