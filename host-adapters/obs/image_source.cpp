#include "image_source.hpp"

#include "frame_texture.hpp"
#include "history_choice.hpp"
#include "image_request_worker.hpp"
#include "request_settings.hpp"
#include "request_status.hpp"
#include "session_spending.hpp"

#include <obs-module.h>

#include <mutex>
#include <string>

namespace pictor_obs {

namespace {

constexpr const char *source_id = "pictor_image_source";
constexpr const char *generate_button = "generate";

class ImageSource {
public:
    ImageSource(obs_data_t *settings, obs_source_t *self) : self_(self), status_(self), worker_(label()) {
        update(settings);
        generate_hotkey_ = obs_hotkey_register_source(self, "pictor_image_source.generate",
                                                      obs_module_text("Hotkey.Generate"),
                                                      &ImageSource::on_generate_hotkey, this);
        std::string last = obs_data_get_string(settings, setting::history_path);
        if (!last.empty()) {
            RequestSpec spec;
            spec.kind = RequestKind::restore;
            spec.history_path = last;
            show_without_request(std::move(spec), obs_module_text("Status.Restoring"));
        } else {
            status_.idle(obs_module_text("Status.Idle"));
        }
    }

    ~ImageSource() {
        worker_.set_owner_label(label());
        worker_.abandon(); // returns within about 100 ms even mid-request
        obs_enter_graphics();
        frame_.destroy_texture();
        obs_leave_graphics();
    }

    void update(obs_data_t *settings) {
        std::lock_guard<std::mutex> lock(mutex_);
        read_request_settings(settings, request_);
        indicator_ = obs_data_get_bool(settings, setting::failure_indicator);
    }

    void save(obs_data_t *settings) {
        // Only the path of the image in history: restoring it is a local decode.
        std::lock_guard<std::mutex> lock(mutex_);
        obs_data_set_string(settings, setting::history_path, history_path_.c_str());
    }

    // Any thread (UI: the button; the hotkey thread). Never waits on the network.
    void generate() {
        RequestSpec spec = request();
        spec.kind = RequestKind::generate;
        if (spec.prompt.empty()) {
            status_.idle(obs_module_text("Status.NoPrompt"));
            return;
        }
        if (status_.busy()) {
            blog(LOG_INFO, "[pictor] %s: a request is already running; Generate ignored", label().c_str());
            return;
        }
        spec.size = resolved_size(spec);
        const std::string size = spec.size;
        status_.started(obs_module_text("Status.Generating"));
        worker_.set_owner_label(label());
        if (!worker_.start(
                std::move(spec), [this](RequestOutcome &&outcome) { finished(std::move(outcome)); },
                [this](RgbaImage &&partial, int index, int total) { preview(std::move(partial), index, total); },
                [this](const RequestProgress &progress) { status_.progress(progress); })) {
            status_.idle(obs_module_text("Status.Busy"));
            return;
        }
        blog(LOG_INFO, "[pictor] %s: generating (size %s)", label().c_str(),
             size.empty() ? "the route's default" : size.c_str());
    }

    // The Cancel button: the request stops; a sent one may still be billed (the status says so).
    void cancel() {
        worker_.set_owner_label(label());
        worker_.cancel();
    }

    // "Show in this source": the chosen history entry, decoded from disk.
    void show_history() {
        // The choice as the window shows it now (OBS applies settings to a source one video
        // frame later).
        obs_data_t *settings = obs_source_get_settings(self_);
        const std::string id = obs_data_get_string(settings, property::history_entry);
        obs_data_release(settings);
        if (id.empty()) {
            status_.idle(obs_module_text("Status.NoHistoryChoice"));
            return;
        }
        RequestSpec spec;
        spec.kind = RequestKind::history;
        spec.history_id = id;
        show_without_request(std::move(spec), obs_module_text("Status.ShowingHistory"));
    }

    void render() {
        gs_texture_t *texture = frame_.texture();
        if (!texture)
            return;
        const uint32_t w = width(), h = height();
        draw_texture(texture, w, h); // scaled when it fits the canvas
        if (indicator() && status_.failed_last())
            draw_failure_indicator(w, h);
    }

    // The image's size; with "fit the canvas", scaled to fit inside the OBS canvas.
    uint32_t width() const { return shown_size().first; }
    uint32_t height() const { return shown_size().second; }

    obs_properties_t *properties() {
        obs_properties_t *props = obs_properties_create();
        obs_data_t *settings = obs_source_get_settings(self_);
        RequestSpec spec;
        read_request_settings(settings, spec);
        spec.size = resolved_size(spec);
        add_action_properties(props, &status_, generate_button, obs_module_text("Generate"), on_generate_clicked,
                              on_cancel_clicked, cost_text(spec, false));
        add_request_properties(props, settings, true, false);
        add_history_properties(props, on_show_history_clicked);
        obs_data_release(settings);
        return props;
    }

    static void on_generate_hotkey(void *data, obs_hotkey_id, obs_hotkey_t *, bool pressed) {
        if (pressed)
            static_cast<ImageSource *>(data)->generate();
    }
    static bool on_generate_clicked(obs_properties_t *, obs_property_t *, void *data) {
        static_cast<ImageSource *>(data)->generate();
        return false; // the status refresh redraws the window
    }
    static bool on_cancel_clicked(obs_properties_t *, obs_property_t *, void *data) {
        static_cast<ImageSource *>(data)->cancel();
        return false;
    }
    static bool on_show_history_clicked(obs_properties_t *, obs_property_t *, void *data) {
        static_cast<ImageSource *>(data)->show_history();
        return false;
    }

private:
    std::string label() const {
        const char *name = obs_source_get_name(self_);
        return std::string("Pictor Image '") + (name ? name : "") + "'";
    }

    RequestSpec request() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return request_;
    }

    bool indicator() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return indicator_;
    }

    std::pair<uint32_t, uint32_t> shown_size() const {
        const uint32_t w = frame_.width(), h = frame_.height();
        uint32_t canvas_w = 0, canvas_h = 0;
        if (request().size != fit_canvas_size || w == 0 || h == 0)
            return {w, h};
        canvas_size(canvas_w, canvas_h);
        if (canvas_w == 0 || canvas_h == 0)
            return {w, h};
        // The largest size of the image's aspect inside the canvas.
        if (uint64_t(canvas_w) * h <= uint64_t(canvas_h) * w)
            return {canvas_w, uint32_t((uint64_t(h) * canvas_w + w / 2) / w)};
        return {uint32_t((uint64_t(w) * canvas_h + h / 2) / h), canvas_h};
    }

    // A history image (restore at load, or Show in this source): nothing is sent.
    void show_without_request(RequestSpec spec, const char *what) {
        if (spec.kind == RequestKind::restore) {
            std::lock_guard<std::mutex> lock(mutex_);
            history_path_ = spec.history_path;
        }
        status_.started(what);
        worker_.set_owner_label(label());
        if (!worker_.start(std::move(spec), [this](RequestOutcome &&outcome) { finished(std::move(outcome)); }))
            status_.idle(obs_module_text("Status.Busy"));
    }

    // Worker thread: a partial image replaces what is shown until the final one arrives.
    void preview(RgbaImage &&partial, int index, int total) {
        blog(LOG_INFO, "[pictor] %s: preview %d of %d", label().c_str(), index + 1, total);
        status_.preview(index, total);
        frame_.offer(std::move(partial));
    }

    // Worker thread.
    void finished(RequestOutcome &&outcome) {
        const std::string who = label();
        if (outcome.cancelled) {
            status_.cancelled(outcome.may_be_billed);
            return;
        }
        if (!outcome.ok) {
            // The last good image stays on the scene; the log and the red bar say it failed.
            blog(LOG_WARNING, "[pictor] %s: %s", who.c_str(), outcome.message.c_str());
            status_.failed(outcome.message, outcome.request_id);
            return;
        }
        if (outcome.cost_usd > 0)
            add_session_spending(outcome.cost_usd);
        const uint32_t w = outcome.image.width, h = outcome.image.height;
        frame_.offer(std::move(outcome.image));
        std::string path;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!outcome.history_path.empty())
                history_path_ = outcome.history_path;
            path = history_path_;
        }
        status_.succeeded(std::string(obs_module_text("Status.Ready")) + " " + std::to_string(w) + "x" +
                          std::to_string(h) +
                          (outcome.request_id.empty()
                               ? ""
                               : "\n" + std::string(obs_module_text("Status.RequestId")) + " " + outcome.request_id));
        blog(LOG_INFO, "[pictor] %s: showing a %ux%u image from %s", who.c_str(), w, h, path.c_str());
    }

    obs_source_t *self_;
    mutable std::mutex mutex_; // guards the four below; never held while calling into worker_
                               // (its callbacks take this lock)
    RequestSpec request_;
    bool indicator_ = true;
    std::string history_path_;
    RequestStatus status_;
    FrameTexture frame_;
    obs_hotkey_id generate_hotkey_ = OBS_INVALID_HOTKEY_ID;
    ImageRequestWorker worker_; // last: stops first, while the members above still exist
};

ImageSource *as_source(void *data) { return static_cast<ImageSource *>(data); }

} // namespace

void register_image_source() {
    obs_source_info info = {};
    info.id = source_id;
    info.type = OBS_SOURCE_TYPE_INPUT;
    // Custom draw: the image, then (after a failure) the red bar, each with its own effect.
    info.output_flags = OBS_SOURCE_VIDEO | OBS_SOURCE_CUSTOM_DRAW;
    info.icon_type = OBS_ICON_TYPE_IMAGE;
    info.get_name = [](void *) { return obs_module_text("PictorImage"); };
    info.create = [](obs_data_t *settings, obs_source_t *self) -> void * { return new ImageSource(settings, self); };
    info.destroy = [](void *data) { delete as_source(data); };
    info.update = [](void *data, obs_data_t *settings) { as_source(data)->update(settings); };
    info.save = [](void *data, obs_data_t *settings) { as_source(data)->save(settings); };
    info.get_defaults = [](obs_data_t *settings) { set_request_defaults(settings, true); };
    info.get_properties = [](void *data) -> obs_properties_t * {
        if (data)
            return as_source(data)->properties();
        obs_properties_t *props = obs_properties_create(); // no source yet: the settings only
        return props;
    };
    info.video_render = [](void *data, gs_effect_t *) { as_source(data)->render(); };
    info.get_width = [](void *data) { return as_source(data)->width(); };
    info.get_height = [](void *data) { return as_source(data)->height(); };
    obs_register_source(&info);
}

} // namespace pictor_obs
