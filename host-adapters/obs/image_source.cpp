#include "image_source.hpp"

#include "frame_texture.hpp"
#include "history_choice.hpp"
#include "image_request_worker.hpp"
#include "request_settings.hpp"
#include "request_status.hpp"
#include "session_spending.hpp"
#include "source_state.hpp"

#include <obs-module.h>

#include <string>

namespace pictor_obs {

namespace {

constexpr const char *source_id = "pictor_image_source";
constexpr const char *generate_button = "generate";

class ImageSource {
public:
    ImageSource(obs_data_t *settings, obs_source_t *self) : self_(self), status_(self), worker_(label()) {
        state_.update(settings);
        generate_hotkey_ = obs_hotkey_register_source(self, "pictor_image_source.generate",
                                                      obs_module_text("Hotkey.Generate"),
                                                      &on_hotkey<ImageSource, &ImageSource::generate>, this);
        if (std::optional<RequestSpec> restore = state_.restore_request(settings)) {
            show_without_request(std::move(*restore), obs_module_text("Status.Restoring"));
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

    static const char *display_name() { return obs_module_text("PictorImage"); }
    SourceState &state() { return state_; }

    // Any thread (UI: the button; the hotkey thread). Never waits on the network.
    void generate() {
        RequestSpec spec = state_.request();
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
        if (state_.indicator() && status_.failed_last())
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
        add_action_properties(props, &status_, generate_button, obs_module_text("Generate"),
                              on_click<ImageSource, &ImageSource::generate>,
                              on_click<ImageSource, &ImageSource::cancel>, cost_text(spec, false));
        add_request_properties(props, settings, true, false);
        add_history_properties(props, on_click<ImageSource, &ImageSource::show_history>);
        obs_data_release(settings);
        return props;
    }


private:
    std::string label() const {
        const char *name = obs_source_get_name(self_);
        return std::string("Pictor Image '") + (name ? name : "") + "'";
    }

    std::pair<uint32_t, uint32_t> shown_size() const {
        const uint32_t w = frame_.width(), h = frame_.height();
        uint32_t canvas_w = 0, canvas_h = 0;
        if (state_.request().size != fit_canvas_size || w == 0 || h == 0)
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
        if (!outcome_has_image(outcome, status_, who))
            return;
        const uint32_t w = outcome.image.width, h = outcome.image.height;
        const std::string ready =
            std::string(obs_module_text("Status.Ready")) + " " + std::to_string(w) + "x" + std::to_string(h);
        frame_.offer(std::move(outcome.image));
        state_.show_history_path(outcome.history_path);
        status_.succeeded(ready_text(ready.c_str(), outcome));
        blog(LOG_INFO, "[pictor] %s: showing a %ux%u image from %s", who.c_str(), w, h,
             state_.history_path().c_str());
    }

    obs_source_t *self_;
    SourceState state_;
    RequestStatus status_;
    FrameTexture frame_;
    obs_hotkey_id generate_hotkey_ = OBS_INVALID_HOTKEY_ID;
    ImageRequestWorker worker_; // last: stops first, while the members above still exist
};

} // namespace

void register_image_source() {
    // Custom draw: the image, then (after a failure) the red bar, each with its own effect.
    obs_source_info info = owner_source_info<ImageSource, true>(source_id, OBS_SOURCE_TYPE_INPUT,
                                                                OBS_SOURCE_VIDEO | OBS_SOURCE_CUSTOM_DRAW);
    info.icon_type = OBS_ICON_TYPE_IMAGE;
    info.get_width = [](void *data) { return static_cast<ImageSource *>(data)->width(); };
    info.get_height = [](void *data) { return static_cast<ImageSource *>(data)->height(); };
    obs_register_source(&info);
}

} // namespace pictor_obs
