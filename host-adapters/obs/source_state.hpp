// What the image source and the restyle filter both keep and do alike: their request settings,
// the history image they show (saved with the scene, restored at load without a request), and
// how the end of a request that brought no image reaches their status line and OBS's log.
#pragma once

#include "request_settings.hpp"
#include "request_spec.hpp"
#include "request_status.hpp"

#include <obs.h>

#include <mutex>
#include <optional>
#include <string>

namespace pictor_obs {

// Any thread; never holds its lock while calling out.
class SourceState {
public:
    void update(obs_data_t *settings); // the request settings and the failure indicator
    void save(obs_data_t *settings) const; // only the history path: restoring it is a local decode
    // At creation: the restore request for the image saved with the scene, if any (remembered
    // as the one shown).
    std::optional<RequestSpec> restore_request(obs_data_t *settings);

    RequestSpec request() const;
    bool indicator() const;
    std::string history_path() const;
    void show_history_path(const std::string &path); // "" keeps the one shown
    void clear_history_path();

private:
    mutable std::mutex mutex_;
    RequestSpec request_;
    bool indicator_ = true;
    std::string history_path_;
};

// Worker thread, at a request's end. Cancelled or failed: the status (and, failed, the log)
// says so and false is returned; what was shown stays. A received image: its estimate counts
// toward the session's spending and true is returned, for the caller to show it.
// say_cancelled: false when the owner already said why it stopped (the filter's Clear).
bool outcome_has_image(const RequestOutcome &outcome, RequestStatus &status, const std::string &who,
                       bool say_cancelled = true);

// "Ready 1024x1024" + the request id on its own line, when there is one.
std::string ready_text(const char *ready, const RequestOutcome &outcome);

// A button's or a hotkey's callback that calls Owner's action (OBS passes the owner as data).
template <class Owner, void (Owner::*Action)()>
bool on_click(obs_properties_t *, obs_property_t *, void *data) {
    (static_cast<Owner *>(data)->*Action)();
    return false; // the status refresh redraws the window
}
template <class Owner, void (Owner::*Action)()>
void on_hotkey(void *data, obs_hotkey_id, obs_hotkey_t *, bool pressed) {
    if (pressed)
        (static_cast<Owner *>(data)->*Action)();
}

// What a source and a filter class (Owner) both tell OBS: its id, type and flags, its name
// (Owner::display_name()), and the callbacks: made from settings and its OBS source, defaults
// (set_request_defaults), update and save (Owner::state()), properties (none before it
// exists), render.
template <class Owner, bool WithSize>
obs_source_info owner_source_info(const char *id, obs_source_type type, uint32_t output_flags) {
    obs_source_info info = {};
    info.id = id;
    info.type = type;
    info.output_flags = output_flags;
    info.get_name = [](void *) { return Owner::display_name(); };
    info.get_defaults = [](obs_data_t *settings) { set_request_defaults(settings, WithSize); };
    info.create = [](obs_data_t *settings, obs_source_t *self) -> void * { return new Owner(settings, self); };
    info.destroy = [](void *data) { delete static_cast<Owner *>(data); };
    info.update = [](void *data, obs_data_t *settings) { static_cast<Owner *>(data)->state().update(settings); };
    info.save = [](void *data, obs_data_t *settings) { static_cast<Owner *>(data)->state().save(settings); };
    info.get_properties = [](void *data) -> obs_properties_t * {
        return data ? static_cast<Owner *>(data)->properties() : obs_properties_create();
    };
    info.video_render = [](void *data, gs_effect_t *) { static_cast<Owner *>(data)->render(); };
    return info;
}

} // namespace pictor_obs
