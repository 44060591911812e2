#include "request_status.hpp"

#include <graphics/vec4.h>
#include <obs-module.h>

#include <cstdio>

namespace pictor_obs {

namespace {

// OBS's UI thread: the properties window of the source, if open, is rebuilt from
// get_properties. The weak reference lets a source destroyed meanwhile simply be skipped.
void refresh_on_ui_thread(void *param) {
    auto *weak = static_cast<obs_weak_source_t *>(param);
    if (obs_source_t *source = obs_weak_source_get_source(weak)) {
        obs_source_update_properties(source);
        obs_source_release(source);
    }
    obs_weak_source_release(weak);
}

std::string minutes_seconds(double seconds) {
    const int whole = seconds > 0 ? int(seconds) : 0;
    char text[32];
    std::snprintf(text, sizeof text, "%d:%02d", whole / 60, whole % 60);
    return text;
}

std::string phase_text(int phase) {
    const std::string key = "Phase." + std::to_string(phase);
    return obs_module_text(key.c_str());
}

} // namespace

RequestStatus::RequestStatus(obs_source_t *owner) : owner_(obs_source_get_weak_source(owner)) {}

RequestStatus::~RequestStatus() { obs_weak_source_release(owner_); }

void RequestStatus::idle(const std::string &text) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_ = false;
        failed_ = false;
        what_ = text;
    }
    changed(true);
}

void RequestStatus::started(const std::string &what) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_ = true;
        what_ = what;
        progress_ = RequestProgress{};
        preview_.clear();
    }
    changed(true);
}

void RequestStatus::progress(const RequestProgress &progress) {
    bool phase_changed;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        phase_changed = progress.phase != progress_.phase;
        progress_ = progress;
    }
    changed(phase_changed);
}

void RequestStatus::preview(int index, int total) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        preview_ = std::string(obs_module_text("Status.Preview")) + " " + std::to_string(index + 1) + "/" +
                   std::to_string(total);
    }
    changed(true);
}

void RequestStatus::succeeded(const std::string &text) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_ = false;
        failed_ = false;
        what_ = text;
    }
    changed(true);
}

void RequestStatus::failed(const std::string &message, const std::string &request_id) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_ = false;
        failed_ = true;
        what_ = std::string(obs_module_text("Status.Failed")) + " " + message;
        // Once, and only where the message does not already carry it.
        if (!request_id.empty() && message.find(request_id) == std::string::npos)
            what_ += "\n" + std::string(obs_module_text("Status.RequestId")) + " " + request_id;
    }
    changed(true);
}

void RequestStatus::cancelled(bool may_be_billed) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_ = false;
        failed_ = false;
        what_ = obs_module_text(may_be_billed ? "Status.CancelledMayBeBilled" : "Status.Cancelled");
    }
    changed(true);
}

bool RequestStatus::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return busy_;
}

bool RequestStatus::failed_last() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return failed_;
}

std::string RequestStatus::text() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!busy_)
        return what_;
    std::string line = what_ + ": " + phase_text(progress_.phase) + ", " + minutes_seconds(progress_.elapsed_s);
    if (!preview_.empty())
        line += "\n" + preview_;
    return line;
}

void RequestStatus::changed(bool force) {
    // The elapsed time ticks: about once a second is enough for a person to read.
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!force && now - last_refresh_ < std::chrono::milliseconds(900))
            return;
        last_refresh_ = now;
    }
    queue_properties_refresh(owner_);
}

void queue_properties_refresh(obs_weak_source_t *source) {
    obs_weak_source_addref(source);
    obs_queue_task(OBS_TASK_UI, refresh_on_ui_thread, source, false);
}

void add_action_properties(obs_properties_t *props, const RequestStatus *status, const char *action,
                           const char *action_label, obs_property_clicked_t on_action,
                           obs_property_clicked_t on_cancel, const std::string &cost_text) {
    const bool busy = status && status->busy();
    const std::string line = std::string(obs_module_text("Status")) + ": " + (status ? status->text() : "");
    obs_property_t *status_line = obs_properties_add_text(props, property::status, line.c_str(), OBS_TEXT_INFO);
    if (status && status->failed_last())
        obs_property_text_set_info_type(status_line, OBS_TEXT_INFO_ERROR);
    obs_property_set_enabled(obs_properties_add_button(props, action, action_label, on_action), !busy);
    obs_property_t *cancel = obs_properties_add_button(props, property::cancel, obs_module_text("Cancel"), on_cancel);
    obs_property_set_long_description(cancel, obs_module_text("Cancel.Description"));
    obs_property_set_visible(cancel, busy);
    obs_properties_add_text(props, property::cost, cost_text.c_str(), OBS_TEXT_INFO);
}

void draw_failure_indicator(uint32_t width, uint32_t height) {
    if (width == 0 || height == 0)
        return;
    gs_effect_t *solid = obs_get_base_effect(OBS_EFFECT_SOLID);
    struct vec4 red;
    vec4_set(&red, 0.9f, 0.05f, 0.05f, 1.0f);
    gs_effect_set_vec4(gs_effect_get_param_by_name(solid, "color"), &red);
    const uint32_t bar = height / 40 > 4 ? height / 40 : 4;
    while (gs_effect_loop(solid, "Solid"))
        gs_draw_sprite(nullptr, 0, width, bar);
}

} // namespace pictor_obs
