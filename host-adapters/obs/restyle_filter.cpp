#include "restyle_filter.hpp"

#include "frame_snapshot.hpp"
#include "frame_texture.hpp"
#include "image_request_worker.hpp"
#include "request_settings.hpp"
#include "request_status.hpp"
#include "session_spending.hpp"
#include "source_state.hpp"

#include <obs-module.h>

#include <atomic>
#include <mutex>
#include <string>

namespace pictor_obs {

namespace {

constexpr const char *filter_id = "pictor_restyle_filter";
constexpr const char *restyle_button = "restyle";
constexpr const char *clear_button = "clear";

class RestyleFilter {
public:
    RestyleFilter(obs_data_t *settings, obs_source_t *self) : self_(self), status_(self), worker_(label()) {
        state_.update(settings);
        // The look of the last restyle comes back from history after a restart: decoded from
        // disk, never requested (and billed) again.
        if (std::optional<RequestSpec> restore = state_.restore_request(settings)) {
            status_.started(obs_module_text("Status.Restoring"));
            worker_.start(std::move(*restore), [this](RequestOutcome &&outcome) { finished(std::move(outcome)); });
        } else {
            status_.idle(obs_module_text("Status.RestyleIdle"));
        }
    }

    ~RestyleFilter() {
        unregister_hotkeys();
        worker_.set_owner_label(label());
        worker_.abandon();
        obs_enter_graphics();
        result_.destroy_texture();
        snapshot_.destroy();
        obs_leave_graphics();
    }

    static const char *display_name() { return obs_module_text("PictorRestyle"); }
    SourceState &state() { return state_; }

    // Any thread. The snapshot is taken at the filter's next frame, on the graphics thread.
    void restyle() {
        if (state_.request().prompt.empty()) {
            status_.idle(obs_module_text("Status.NoPrompt"));
            return;
        }
        if (status_.busy() || worker_.busy()) {
            blog(LOG_INFO, "[pictor] %s: a request is already running; Restyle ignored", label().c_str());
            return;
        }
        status_.started(obs_module_text("Status.WaitingForFrame"));
        snapshot_wanted_ = true;
    }

    // Any thread: the source shows again (also after a restart); a running restyle is cancelled.
    void clear() {
        snapshot_wanted_ = false;
        worker_.set_owner_label(label());
        worker_.cancel();
        result_.clear();
        state_.clear_history_path();
        cleared_ = true;
        status_.idle(obs_module_text("Status.RestyleIdle"));
    }

    // The Cancel button: the restyle stops; the source (or the previous result) stays.
    void cancel() {
        snapshot_wanted_ = false;
        worker_.set_owner_label(label());
        worker_.cancel();
        if (!worker_.busy() && status_.busy()) // still waiting for a frame: nothing was sent
            status_.cancelled(false);
    }

    obs_properties_t *properties() {
        obs_properties_t *props = obs_properties_create();
        obs_data_t *settings = obs_source_get_settings(self_);
        RequestSpec spec;
        read_request_settings(settings, spec);
        add_action_properties(props, &status_, restyle_button, obs_module_text("Restyle"),
                              on_click<RestyleFilter, &RestyleFilter::restyle>,
                              on_click<RestyleFilter, &RestyleFilter::cancel>, cost_text(spec, true));
        obs_properties_add_button(props, clear_button, obs_module_text("Clear"),
                                  on_click<RestyleFilter, &RestyleFilter::clear>);
        add_request_properties(props, settings, false, true);
        obs_data_release(settings);
        return props;
    }

    void render() {
        obs_source_t *target = obs_filter_get_target(self_);
        const uint32_t width = target ? obs_source_get_base_width(target) : 0;
        const uint32_t height = target ? obs_source_get_base_height(target) : 0;
        if (width == 0 || height == 0) {
            obs_source_skip_video_filter(self_);
            return;
        }
        bool captured = false;
        if (snapshot_wanted_.exchange(false))
            captured = take_snapshot(width, height);
        if (gs_texture_t *result = result_.texture()) {
            draw_texture(result, width, height); // the result, scaled to the source's size
        } else if (captured) {
            draw_texture(snapshot_.texture(), width, height); // this frame's input, rendered once
        } else {
            obs_source_skip_video_filter(self_);
        }
        if (state_.indicator() && status_.failed_last())
            draw_failure_indicator(width, height);
    }


    // libobs 29 refuses hotkeys registered on a filter, so they go on the source the filter is
    // on (they show under that source in Settings > Hotkeys and are saved with it). Graphics
    // thread (video_tick): the parent is known once the filter has been added.
    void tick() {
        obs_source_t *parent = obs_filter_get_parent(self_);
        const char *current_name = obs_source_get_name(self_);
        const std::string name = current_name ? current_name : "";
        std::lock_guard<std::mutex> lock(hotkey_mutex_);
        if (parent == hotkey_parent_ && name == hotkey_filter_name_)
            return;
        unregister_hotkeys_locked();
        if (!parent)
            return;
        // Named after the filter (libobs 29 has no source UUIDs), so bindings saved with the
        // parent find their hotkey again when the scene collection loads.
        const std::string key = "." + name;
        const std::string restyle_text = std::string(obs_module_text("Hotkey.Restyle")) + " (" + name + ")";
        const std::string clear_text = std::string(obs_module_text("Hotkey.Clear")) + " (" + name + ")";
        restyle_hotkey_ = obs_hotkey_register_source(parent, ("pictor_restyle_filter.restyle" + key).c_str(),
                                                     restyle_text.c_str(), &on_hotkey<RestyleFilter, &RestyleFilter::restyle>, this);
        clear_hotkey_ = obs_hotkey_register_source(parent, ("pictor_restyle_filter.clear" + key).c_str(),
                                                   clear_text.c_str(), &on_hotkey<RestyleFilter, &RestyleFilter::clear>, this);
        hotkey_parent_ = parent;
        hotkey_filter_name_ = name;
    }

    // filter_remove / destroy: the parent outlives the filter, so its hotkeys must go.
    void unregister_hotkeys() {
        std::lock_guard<std::mutex> lock(hotkey_mutex_);
        unregister_hotkeys_locked();
    }


private:
    std::string label() const {
        const char *name = obs_source_get_name(self_);
        return std::string("Pictor Restyle '") + (name ? name : "") + "'";
    }

    void unregister_hotkeys_locked() {
        for (obs_hotkey_id *id : {&restyle_hotkey_, &clear_hotkey_}) {
            if (*id != OBS_INVALID_HOTKEY_ID)
                obs_hotkey_unregister(*id);
            *id = OBS_INVALID_HOTKEY_ID;
        }
        hotkey_parent_ = nullptr;
    }

    // Graphics thread: reads the input back and hands it to the worker, which encodes and
    // sends it; the frame itself is not held up by more than the read-back.
    bool take_snapshot(uint32_t width, uint32_t height) {
        RequestSpec spec = state_.request();
        spec.kind = RequestKind::edit;
        if (!snapshot_.capture(self_, width, height, spec.input)) {
            status_.failed(obs_module_text("Status.SnapshotFailed"), "");
            blog(LOG_WARNING, "[pictor] %s: could not read the source's frame back from the GPU",
                 label().c_str());
            return false;
        }
        status_.started(obs_module_text("Status.Restyling"));
        worker_.set_owner_label(label());
        cleared_ = false;
        if (!worker_.start(
                std::move(spec), [this](RequestOutcome &&outcome) { finished(std::move(outcome)); },
                [this](RgbaImage &&partial, int index, int total) {
                    blog(LOG_INFO, "[pictor] %s: preview %d of %d", label().c_str(), index + 1, total);
                    status_.preview(index, total);
                    result_.offer(std::move(partial));
                },
                [this](const RequestProgress &progress) { status_.progress(progress); }))
            status_.idle(obs_module_text("Status.Busy"));
        else
            blog(LOG_INFO, "[pictor] %s: restyling a %ux%u frame", label().c_str(), width, height);
        return true;
    }

    // Worker thread.
    void finished(RequestOutcome &&outcome) {
        // Clear already said what is shown; a Cancel says what it may have cost.
        if (!outcome_has_image(outcome, status_, label(), !cleared_))
            return;
        blog(LOG_INFO, "[pictor] %s: showing a %ux%u result from %s", label().c_str(), outcome.image.width,
             outcome.image.height, outcome.history_path.c_str());
        state_.show_history_path(outcome.history_path);
        status_.succeeded(ready_text(obs_module_text("Status.RestyleReady"), outcome));
        result_.offer(std::move(outcome.image));
    }

    obs_source_t *self_;
    SourceState state_; // the history path: the result shown, saved with the scene
    RequestStatus status_;
    std::atomic<bool> snapshot_wanted_{false};
    std::atomic<bool> cleared_{false}; // Clear ended the running request
    FrameSnapshot snapshot_; // graphics thread only
    FrameTexture result_;
    std::mutex hotkey_mutex_; // guards the four below
    obs_source_t *hotkey_parent_ = nullptr;
    std::string hotkey_filter_name_;
    obs_hotkey_id restyle_hotkey_ = OBS_INVALID_HOTKEY_ID;
    obs_hotkey_id clear_hotkey_ = OBS_INVALID_HOTKEY_ID;
    ImageRequestWorker worker_; // last: stops first, while the members above still exist
};

} // namespace

void register_restyle_filter() {
    // No size setting: the frame decides the aspect.
    obs_source_info info = owner_source_info<RestyleFilter, false>(filter_id, OBS_SOURCE_TYPE_FILTER, OBS_SOURCE_VIDEO);
    info.video_tick = [](void *data, float) { static_cast<RestyleFilter *>(data)->tick(); };
    info.filter_remove = [](void *data, obs_source_t *) { static_cast<RestyleFilter *>(data)->unregister_hotkeys(); };
    obs_register_source(&info);
}

} // namespace pictor_obs
