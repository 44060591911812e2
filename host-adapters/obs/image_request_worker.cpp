#include "image_request_worker.hpp"

#include "history_choice.hpp"
#include "pictor_client_factory.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <utility>

namespace pictor_obs {

namespace {

struct ResultDeleter {
    void operator()(pictor_result *result) const { pictor_result_free(result); }
};
struct ImageDeleter {
    void operator()(pictor_image *image) const { pictor_image_free(image); }
};
struct BufferDeleter {
    void operator()(uint8_t *buffer) const { pictor_free(buffer); }
};

RgbaImage copy_pixels(const pictor_image *image) {
    RgbaImage copy;
    copy.width = pictor_image_width(image);
    copy.height = pictor_image_height(image);
    const uint8_t *rgba = pictor_image_rgba(image);
    copy.pixels.assign(rgba, rgba + size_t(copy.width) * copy.height * 4);
    return copy;
}

// A history file back into pixels: local disk only, so nothing is sent and nothing billed.
RequestOutcome restore_from_history(const std::string &path) {
    RequestOutcome outcome;
    outcome.history_path = path;
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
        outcome.message = "could not read the last image from history (" + path +
                          "): the file is missing or unreadable. Click Generate to make a new one.";
        return outcome;
    }
    if (bytes.empty()) {
        outcome.message = "the last image's history file (" + path +
                          ") is missing or empty. Click Generate to make a new one.";
        return outcome;
    }
    pictor_image *decoded = nullptr;
    if (pictor_decode_image(bytes.data(), bytes.size(), 0, &decoded) != PICTOR_OK) {
        outcome.message = "the last image's history file (" + path + ") does not decode: " +
                          pictor_thread_last_error()->message + ". Click Generate to make a new one.";
        return outcome;
    }
    std::unique_ptr<pictor_image, ImageDeleter> image(decoded);
    outcome.image = copy_pixels(image.get());
    outcome.ok = true;
    return outcome;
}

// A history entry by its id (the Show in this source button): local disk only.
RequestOutcome load_history_entry(const std::string &id) {
    RequestOutcome outcome;
    pictor_image *loaded = nullptr;
    if (pictor_history_load(nullptr, id.c_str(), 0, &loaded) != PICTOR_OK) {
        outcome.message = std::string(obs_module_text("Error.HistoryEntry")) + " " +
                          pictor_thread_last_error()->message;
        return outcome;
    }
    std::unique_ptr<pictor_image, ImageDeleter> image(loaded);
    outcome.image = copy_pixels(image.get());
    outcome.history_path = pictor_image_history_path(image.get());
    outcome.request_id = pictor_image_request_id(image.get());
    outcome.ok = true;
    mark_shown_if_undelivered(id);
    return outcome;
}

// The library's message, except where it speaks of the command line or of settings OBS does
// not have: then the same advice in the words of this module's properties and menus.
std::string in_obs_words(const pictor_error *failure) {
    switch (failure->status) {
    case PICTOR_ERR_MODERATION_BLOCKED: return obs_module_text("Error.Moderation");
    case PICTOR_ERR_AUTH:
        return obs_module_text(failure->request_sent ? "Error.KeyRefused" : "Error.NoKey");
    default: return failure->message;
    }
}

// "cost_usd_estimate" of a result's metadata: what the request may have cost.
double result_cost(const pictor_result *result) {
    nlohmann::json meta = nlohmann::json::parse(pictor_result_json(result), nullptr, false);
    auto cost = meta.is_object() ? meta.find("cost_usd_estimate") : meta.end();
    return cost != meta.end() && cost->is_number() && cost->get<double>() > 0 ? cost->get<double>() : 0;
}

} // namespace

ImageRequestWorker::ImageRequestWorker(std::string owner_label) : owner_label_(std::move(owner_label)) {}

ImageRequestWorker::~ImageRequestWorker() { abandon(); }

void ImageRequestWorker::set_owner_label(std::string owner_label) {
    std::lock_guard<std::mutex> lock(mutex_);
    owner_label_ = std::move(owner_label);
}

bool ImageRequestWorker::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return busy_;
}

bool ImageRequestWorker::start(RequestSpec spec, Finished finished, Preview preview, Progress progress) {
    std::thread finished_thread;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (busy_)
            return false;
        finished_thread = std::move(thread_); // a thread that already ran to its end
    }
    if (finished_thread.joinable())
        finished_thread.join();
    std::lock_guard<std::mutex> lock(mutex_);
    if (busy_) // another OBS thread started one meanwhile
        return false;
    busy_ = true;
    network_ = spec.kind == RequestKind::generate || spec.kind == RequestKind::edit;
    cancelled_ = false;
    abandoned_ = false;
    preview_ = std::move(preview);
    progress_ = std::move(progress);
    thread_ = std::thread(&ImageRequestWorker::run, this, std::move(spec), std::move(finished));
    return true;
}

void ImageRequestWorker::cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!busy_ || cancelled_)
        return;
    cancelled_ = true;
    if (client_)
        pictor_client_cancel(client_);
    if (network_)
        blog(LOG_WARNING,
             "[pictor] %s: stopped waiting for the running image request; if the gateway already "
             "received it, it may still be billed, and its image will be in Pictor's history, marked "
             "not yet delivered (unless \"abandon_on_cancel\" is set in pictor's config).",
             owner_label_.c_str());
}

void ImageRequestWorker::abandon() {
    cancel();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        abandoned_ = true;
    }
    std::thread running;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        running = std::move(thread_);
    }
    if (running.joinable())
        running.join();
}

int ImageRequestWorker::on_progress(const pictor_progress *progress, void *self) {
    auto *worker = static_cast<ImageRequestWorker *>(self);
    std::lock_guard<std::mutex> lock(worker->mutex_);
    // pictor_client_cancel already stops the call; this covers a cancel that came between
    // the client's creation and the start of the request.
    if (worker->cancelled_)
        return 1;
    if (worker->progress_)
        worker->progress_(RequestProgress{int(progress->phase), progress->elapsed_s});
    return 0;
}

void ImageRequestWorker::on_partial_image(const pictor_image *partial, int index, int total, void *self) {
    auto *worker = static_cast<ImageRequestWorker *>(self);
    RgbaImage copy = copy_pixels(partial); // valid only during this call
    std::lock_guard<std::mutex> lock(worker->mutex_);
    if (!worker->cancelled_ && worker->preview_)
        worker->preview_(std::move(copy), index, total);
}

RequestOutcome ImageRequestWorker::send(const RequestSpec &spec) {
    RequestOutcome outcome;
    std::string error;
    pictor_client *client = create_pictor_client(spec, error);
    if (!client) {
        outcome.message = error;
        return outcome;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (cancelled_) {
            pictor_client_destroy(client);
            outcome.message = "cancelled before anything was sent";
            return outcome;
        }
        client_ = client;
    }

    pictor_request request;
    pictor_request_init(&request);
    request.prompt = spec.prompt.c_str();
    request.size = spec.size.empty() ? nullptr : spec.size.c_str();
    request.quality = spec.quality.empty() ? nullptr : spec.quality.c_str();
    request.model = spec.model.empty() ? nullptr : spec.model.c_str();
    request.complexity = spec.complexity.empty() ? nullptr : spec.complexity.c_str();
    request.upload_quality = spec.upload_quality; // DEFAULT: the library applies the user's setting
    request.n = 1;
    request.progress = &ImageRequestWorker::on_progress;
    request.progress_user_data = this;
    request.partial_images = spec.previews;
    request.partial_image = &ImageRequestWorker::on_partial_image;
    request.partial_image_user_data = this;

    pictor_status status = PICTOR_OK;
    pictor_result *raw_result = nullptr;
    std::unique_ptr<uint8_t, BufferDeleter> encoded_frame;
    pictor_input_image frame{};
    if (spec.kind == RequestKind::edit) {
        // Always PNG (pictor encodes PNG fast): pictor_edit applies the upload quality to it
        // as it does for every host (fast: an opaque frame goes up as JPEG).
        pictor_image *pixels = nullptr;
        uint8_t *bytes = nullptr;
        size_t size = 0;
        status = pictor_image_from_rgba(spec.input.width, spec.input.height, spec.input.pixels.data(),
                                        size_t(spec.input.width) * 4, &pixels);
        if (status == PICTOR_OK) {
            status = pictor_image_encode(pixels, "png", -1, &bytes, &size);
            pictor_image_free(pixels);
        }
        if (status != PICTOR_OK) {
            outcome.message = std::string("could not encode the source's frame: ") +
                              pictor_thread_last_error()->message;
        } else {
            encoded_frame.reset(bytes);
            frame.data = bytes;
            frame.size = size;
            frame.filename = "obs-frame.png";
            request.images = &frame;
            request.image_count = 1;
            status = pictor_edit(client, &request, &raw_result);
        }
    } else {
        status = pictor_generate(client, &request, &raw_result);
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        client_ = nullptr;
    }
    std::unique_ptr<pictor_result, ResultDeleter> result(raw_result);
    if (status == PICTOR_OK && result && pictor_result_image_count(result.get()) > 0) {
        const pictor_image *image = pictor_result_image(result.get(), 0);
        outcome.image = copy_pixels(image);
        outcome.history_path = pictor_image_history_path(image);
        outcome.request_id = pictor_image_request_id(image);
        outcome.cost_usd = result_cost(result.get());
        outcome.ok = true;
    } else if (outcome.message.empty()) {
        const pictor_error *failure = pictor_client_last_error(client);
        outcome.message = in_obs_words(failure);
        outcome.request_id = failure->request_id ? failure->request_id : "";
        // A cancel after sending: the server may still make (and bill) the image.
        outcome.may_be_billed =
            failure->may_be_billed != 0 || (failure->status == PICTOR_ERR_CANCELLED && failure->request_sent != 0);
    }
    pictor_client_destroy(client);
    return outcome;
}

void ImageRequestWorker::run(RequestSpec spec, Finished finished) {
    RequestOutcome outcome = spec.kind == RequestKind::restore   ? restore_from_history(spec.history_path)
                             : spec.kind == RequestKind::history ? load_history_entry(spec.history_id)
                                                                 : send(spec);
    // The lock keeps cancel()/abandon() from returning while the outcome is being delivered,
    // so the owner never receives a result after it asked to stop, nor anything once abandoned.
    std::unique_lock<std::mutex> lock(mutex_);
    // Idle before the owner hears of the end, so a click that follows its status is accepted
    // (a start() meanwhile waits for this lock, hence for the delivery).
    busy_ = false;
    preview_ = nullptr;
    progress_ = nullptr;
    if (cancelled_ && !abandoned_) {
        RequestOutcome cancelled;
        cancelled.cancelled = true;
        cancelled.may_be_billed = outcome.ok || outcome.may_be_billed; // ok: paid, and in history
        finished(std::move(cancelled));
    } else if (!cancelled_) {
        finished(std::move(outcome));
    }
}

} // namespace pictor_obs
