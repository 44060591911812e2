// The C ABI's host seam (pictor.h, "the host seam"): the pictor_host table adapted to the
// command layer's HostDocument and JobSink, and the pictor_job_* entry points over its job
// engine. Each entry point is one exception barrier; nothing thrown reaches the host.
#include <pictor/pictor.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "error.hpp"
#include "history_shim_bridge.hpp"
#include "commands/command_job.hpp"
#include "shim_support.hpp"

using pictor::Error;
using pictor::ErrorKind;
using pictor_shim::barrier;
using pictor_shim::invalid;

namespace {

namespace plugin = pictor::plugin;

[[noreturn]] void host_failed(const std::string &what, int returned) {
    throw Error(ErrorKind::io, "the host could not " + what + " (its callback returned " + std::to_string(returned) +
                                   "); nothing was sent");
}

// The host's document, read through its callbacks (on the thread that called pictor_job_start).
class HostTableDocument : public plugin::HostDocument {
public:
    explicit HostTableDocument(const pictor_host &host) : host_(host) {}

    pictor::ImageSize canvas_size() override {
        uint32_t width = 0, height = 0;
        if (int r = host_.canvas_size(host_.user_data, &width, &height))
            host_failed("report its canvas size", r);
        return {width, height};
    }

    plugin::LayerInfo describe_layer(int32_t layer) override {
        pictor_layer_desc desc{};
        desc.struct_size = sizeof desc;
        if (int r = host_.describe_layer(host_.user_data, layer, &desc))
            host_failed("describe layer " + std::to_string(layer), r);
        return {desc.width, desc.height, desc.offset_x, desc.offset_y, desc.name ? desc.name : ""};
    }

    pictor::RgbaImage read_layer(int32_t layer, pictor::PixelRect rect) override {
        pictor::RgbaImage out;
        out.width = uint32_t(rect.width);
        out.height = uint32_t(rect.height);
        out.pixels.assign(out.stride() * out.height, 0);
        if (int r = host_.read_layer(host_.user_data, layer, rect.x, rect.y, out.width, out.height, out.pixels.data(),
                                     out.stride()))
            host_failed("read the pixels of layer " + std::to_string(layer), r);
        return out;
    }

    bool has_selection() override { return host_.describe_selection && host_.read_selection; }

    plugin::SelectionInfo describe_selection() override {
        pictor_selection_desc desc{};
        desc.struct_size = sizeof desc;
        if (int r = host_.describe_selection(host_.user_data, &desc))
            host_failed("describe its selection", r);
        plugin::SelectionInfo info;
        info.empty = desc.is_empty != 0 || desc.width == 0 || desc.height == 0;
        info.bounds = {desc.x, desc.y, int32_t(desc.width), int32_t(desc.height)};
        return info;
    }

    pictor::GrayImage read_selection(pictor::PixelRect rect) override {
        pictor::GrayImage out;
        out.width = uint32_t(rect.width);
        out.height = uint32_t(rect.height);
        out.pixels.assign(size_t(out.width) * out.height, 0);
        if (int r = host_.read_selection(host_.user_data, rect.x, rect.y, out.width, out.height, out.pixels.data(),
                                         out.stride()))
            host_failed("read its selection", r);
        return out;
    }

private:
    const pictor_host &host_;
};

// The job's outputs, handed to the host's write callbacks (the engine picks the thread).
class HostTableSink : public plugin::JobSink {
public:
    explicit HostTableSink(const pictor_host &host) : host_(host) {}

    bool add_layer(const plugin::NewLayer &layer) override {
        pictor_new_layer out{};
        out.struct_size = sizeof out;
        out.name = layer.name.c_str();
        out.offset_x = layer.rect.x;
        out.offset_y = layer.rect.y;
        out.width = layer.rgba.width;
        out.height = layer.rgba.height;
        out.rgba = layer.rgba.pixels.data();
        const bool masked = !layer.mask.empty();
        out.mask = masked ? layer.mask.pixels.data() : nullptr;
        out.masked_rgba = masked ? layer.masked_rgba.pixels.data() : out.rgba;
        out.composited_rgba = masked ? layer.composited_rgba.pixels.data() : out.rgba;
        out.above_layer = layer.above_layer;
        out.variation = layer.variation;
        out.variation_count = layer.variation_count;
        out.history_path = layer.history_path.c_str();
        out.request_id = layer.request_id.c_str();
        return host_.add_layer(host_.user_data, &out) == 0;
    }

    bool progress(const pictor::Progress &p) override {
        if (!host_.progress)
            return true;
        pictor_progress out = pictor_shim::to_abi_progress(p);
        return host_.progress(host_.user_data, &out) == 0;
    }

    void preview(const pictor::RgbaImage &partial, int index, int total) override {
        if (!host_.preview)
            return;
        std::unique_ptr<pictor_image, void (*)(pictor_image *)> image(
            pictor_shim::new_image(partial, std::string(), std::string(), std::string(), std::string()),
            pictor_image_free);
        host_.preview(host_.user_data, image.get(), index, total);
    }

    void message(plugin::MessageLevel level, const std::string &text) override {
        if (host_.message)
            host_.message(host_.user_data, pictor_message_level(level), text.c_str());
    }

private:
    const pictor_host &host_;
};

plugin::CommandOptions to_command_options(const pictor_command_options *o) {
    if (!o)
        invalid("options is NULL");
    if (o->struct_size < offsetof(pictor_command_options, callback_thread) + sizeof o->callback_thread)
        invalid("options->struct_size is too small: set up the options with pictor_command_options_init()");
    if (!o->request)
        invalid("options->request is NULL: set up a pictor_request with pictor_request_init() and a prompt");
    plugin::CommandOptions out;
    // Read as an int: a host may pass a value this library does not know, which is not a valid enum.
    static_assert(sizeof(pictor_command) == sizeof(int), "enums are int-sized in this ABI");
    int command = 0;
    std::memcpy(&command, &o->command, sizeof command);
    switch (command) {
    case PICTOR_COMMAND_GENERATE_AS_NEW_LAYER: out.kind = plugin::CommandKind::generate_as_new_layer; break;
    case PICTOR_COMMAND_INPAINT_SELECTION: out.kind = plugin::CommandKind::inpaint_selection; break;
    case PICTOR_COMMAND_EDIT_WITH_REFERENCES: out.kind = plugin::CommandKind::edit_with_references; break;
    default:
        invalid("options->command is " + std::to_string(command) +
                ": use PICTOR_COMMAND_GENERATE_AS_NEW_LAYER, _INPAINT_SELECTION or _EDIT_WITH_REFERENCES");
    }
    // The layers come from the host: a request's own images, mask and progress are ignored.
    pictor_request request{};
    std::memcpy(&request, o->request, std::min<size_t>(o->request->struct_size, sizeof request));
    request.images = nullptr;
    request.image_count = 0;
    request.mask = nullptr;
    request.progress = nullptr;
    request.progress_user_data = nullptr;
    // partial_images is kept; the previews go to host->preview, not to the request's callback.
    request.partial_image = nullptr;
    request.partial_image_user_data = nullptr;
    out.request = pictor_shim::to_core_request(&request);
    out.layer = o->layer;
    if (o->reference_count > 0 && !o->reference_layers)
        invalid("options->reference_layers is NULL but reference_count is " + std::to_string(o->reference_count));
    if (o->reference_count > 0)
        out.reference_layers.assign(o->reference_layers, o->reference_layers + o->reference_count);
    out.grow_px = o->grow_px == -1 ? plugin::default_grow_px : o->grow_px;
    out.feather_px = o->feather_px == -1 ? plugin::default_feather_px : o->feather_px;
    out.context_px = o->context_px == -1 ? plugin::default_context_px : o->context_px;
    int thread = 0; // read as an int, like command above
    std::memcpy(&thread, &o->callback_thread, sizeof thread);
    if (thread != PICTOR_CALLBACKS_ON_DISPATCH && thread != PICTOR_CALLBACKS_ON_WORKER)
        invalid("options->callback_thread must be PICTOR_CALLBACKS_ON_DISPATCH or PICTOR_CALLBACKS_ON_WORKER");
    out.callbacks_on_worker = thread == PICTOR_CALLBACKS_ON_WORKER;
    if (o->struct_size >= offsetof(pictor_command_options, markup_layer) + sizeof o->markup_layer &&
        o->markup_layer != -1) {
        if (out.kind != plugin::CommandKind::edit_with_references)
            invalid("options->markup_layer is for PICTOR_COMMAND_EDIT_WITH_REFERENCES only: set it to -1");
        out.markup_layer = o->markup_layer;
    }
    return out;
}

pictor_host copy_host(const pictor_host *host) {
    if (!host)
        invalid("host is NULL");
    if (host->struct_size < offsetof(pictor_host, add_layer) + sizeof host->add_layer)
        invalid("host->struct_size is too small: set it to sizeof(pictor_host)");
    pictor_host copy{};
    std::memcpy(&copy, host, std::min<size_t>(host->struct_size, sizeof copy));
    if (!copy.canvas_size || !copy.describe_layer || !copy.read_layer || !copy.add_layer)
        invalid("the host must provide canvas_size, describe_layer, read_layer and add_layer");
    if (!copy.describe_selection != !copy.read_selection)
        invalid("the host must provide both describe_selection and read_selection, or neither");
    return copy;
}

} // namespace

struct pictor_job {
    pictor_host host{};   // the table as the host passed it, copied
    std::unique_ptr<HostTableDocument> document;
    std::unique_ptr<plugin::CommandJob> impl;
    pictor_client *client = nullptr; // the job's own until pictor_job_destroy
    pictor_callback_thread thread = PICTOR_CALLBACKS_ON_DISPATCH;
    std::mutex error_mutex;
    pictor_shim::ErrorSlot error; // refreshed from the engine's outcome when read
};

extern "C" {

pictor_status pictor_host_init_abi(pictor_host *host, size_t struct_size, int abi_version) {
    return barrier(pictor_shim::thread_error(), [&] {
        if (!host)
            invalid("host is NULL");
        if (!pictor_shim::abi_compatible(abi_version))
            invalid("the host was built for another pictor ABI: rebuild it against this library's header");
        if (struct_size < offsetof(pictor_host, message) + sizeof host->message)
            invalid("pictor_host is smaller than any version of it");
        const pictor_host empty{};
        std::memcpy(host, &empty, std::min(struct_size, sizeof empty));
        host->struct_size = uint32_t(std::min(struct_size, sizeof empty));
    });
}

pictor_status pictor_command_options_init_abi(pictor_command_options *options, size_t struct_size, int abi_version) {
    return barrier(pictor_shim::thread_error(), [&] {
        if (!options)
            invalid("options is NULL");
        if (!pictor_shim::abi_compatible(abi_version))
            invalid("the host was built for another pictor ABI: rebuild it against this library's header");
        if (struct_size < offsetof(pictor_command_options, callback_thread) + sizeof options->callback_thread)
            invalid("pictor_command_options is smaller than any version of it");
        pictor_command_options defaults{};
        defaults.grow_px = -1;
        defaults.feather_px = -1;
        defaults.context_px = -1;
        defaults.markup_layer = -1;
        defaults.command = PICTOR_COMMAND_GENERATE_AS_NEW_LAYER;
        std::memcpy(options, &defaults, std::min(struct_size, sizeof defaults));
        options->struct_size = uint32_t(std::min(struct_size, sizeof defaults));
    });
}

pictor_status pictor_job_start(pictor_client *client, const pictor_host *host, const pictor_command_options *options,
                               pictor_job **out) {
    if (out)
        *out = nullptr;
    if (!client)
        return PICTOR_ERR_INVALID_ARGUMENT;
    std::unique_ptr<pictor_job> job;
    pictor_status status = barrier(client->error, [&] {
        if (!out)
            invalid("out is NULL");
        job = std::make_unique<pictor_job>();
        job->host = copy_host(host);
        plugin::CommandOptions command = to_command_options(options);
        job->thread = command.callbacks_on_worker ? PICTOR_CALLBACKS_ON_WORKER : PICTOR_CALLBACKS_ON_DISPATCH;
        job->document = std::make_unique<HostTableDocument>(job->host);
        // The job's final outcome is also the client's last error (the client belongs to the job).
        auto on_outcome = [client](const plugin::JobOutcome &outcome) {
            if (outcome.ok)
                client->error.clear();
            else
                client->error.set(outcome.error);
        };
        job->client = client;
        job->impl = plugin::CommandJob::prepare(*client->impl, *job->document, command,
                                                std::make_unique<HostTableSink>(job->host), on_outcome);
        client->runner_cancel.store(false); // a cancel of an earlier job is not one of this job
        if (client->run_in_helper) // the layers are read and encoded here; the request runs in the helper
            job->impl->run_through(
                [client](pictor::ImageRequest &request, bool edit) {
                    return pictor_shim::run_in_request_runner(*client, request, edit);
                },
                [client] { client->runner_cancel.store(true); },
                !client->abandon_on_cancel && pictor_shim::request_runner_found());
    });
    if (status != PICTOR_OK)
        return status;
    // Started only now: the barrier above has finished writing the client's error slot.
    status = barrier(client->error, [&] { job->impl->launch(); });
    if (status == PICTOR_OK)
        *out = job.release();
    return status;
}

int pictor_job_dispatch(pictor_job *job, int timeout_ms) {
    if (!job)
        return 0;
    try {
        return job->impl->dispatch(timeout_ms) ? 1 : 0;
    } catch (...) {
        return job->impl->worker_finished() ? 0 : 1;
    }
}

pictor_status pictor_job_wait(pictor_job *job) {
    if (!job)
        return PICTOR_ERR_INVALID_ARGUMENT;
    while (pictor_job_dispatch(job, 100)) {
    }
    return pictor_job_status(job);
}

void pictor_job_cancel(pictor_job *job) {
    if (job)
        job->impl->cancel();
}

void pictor_job_abandon(pictor_job *job) {
    if (!job)
        return;
    if (job->client) // the runner, told by the cancel below, stops too
        job->client->abandon_on_cancel.store(true);
    job->impl->abandon();
}

int pictor_job_is_finished(const pictor_job *job) { return job && job->impl->worker_finished() ? 1 : 0; }

pictor_status pictor_job_status(const pictor_job *job) {
    if (!job)
        return PICTOR_ERR_INVALID_ARGUMENT;
    if (!job->impl->worker_finished())
        return PICTOR_OK;
    try {
        plugin::JobOutcome outcome = job->impl->outcome();
        return outcome.ok ? PICTOR_OK : pictor_status(outcome.error.kind);
    } catch (...) {
        return PICTOR_ERR_NO_MEMORY;
    }
}

const pictor_error *pictor_job_error(const pictor_job *job) {
    if (!job)
        return pictor_client_last_error(nullptr);
    auto *mutable_job = const_cast<pictor_job *>(job); // the slot is a cache of the engine's outcome
    std::lock_guard<std::mutex> lock(mutable_job->error_mutex);
    try {
        plugin::JobOutcome outcome = job->impl->worker_finished() ? job->impl->outcome() : plugin::JobOutcome{};
        pictor_shim::ErrorSlot &slot = mutable_job->error;
        if (outcome.ok) {
            if (slot.view.status != PICTOR_OK)
                slot.clear();
        } else if (slot.view.status != pictor_status(outcome.error.kind) || slot.message != outcome.error.message) {
            slot.set(outcome.error);
        }
    } catch (...) {
        // out of memory while copying the outcome: the previous view stays valid
    }
    return &mutable_job->error.view;
}

const char *pictor_job_result_json(const pictor_job *job) { return job ? job->impl->result_json() : nullptr; }

pictor_callback_thread pictor_job_callback_thread(const pictor_job *job) {
    return job ? job->thread : PICTOR_CALLBACKS_ON_DISPATCH;
}

void pictor_job_destroy(pictor_job *job) { delete job; }

} // extern "C"
