// What a source's (or filter's) request is doing, said in its properties while it happens: busy
// with its phase and time, previews, done, failed, cancelled. Each change asks OBS's UI thread to
// rebuild the open properties window (obs_source_update_properties), at most about once a second
// while the request runs, so the window follows the request without being reopened.
#pragma once

#include "request_spec.hpp"

#include <obs.h>

#include <chrono>
#include <mutex>
#include <string>

namespace pictor_obs {

class RequestStatus {
public:
    explicit RequestStatus(obs_source_t *owner);
    ~RequestStatus();
    RequestStatus(const RequestStatus &) = delete;
    RequestStatus &operator=(const RequestStatus &) = delete;

    // Any thread.
    void idle(const std::string &text);      // nothing running; text says what to do
    void started(const std::string &what);   // "Generating", "Restyling", ...
    void progress(const RequestProgress &progress);
    void preview(int index, int total);
    void succeeded(const std::string &text); // what is shown now
    void failed(const std::string &message, const std::string &request_id);
    void cancelled(bool may_be_billed);

    bool busy() const;
    // The last request failed (the image shown, if any, is an older one).
    bool failed_last() const;
    std::string text() const;

private:
    void changed(bool force);

    obs_weak_source_t *owner_;
    mutable std::mutex mutex_;
    bool busy_ = false;
    bool failed_ = false;
    std::string what_;     // busy: the action; otherwise the whole line
    RequestProgress progress_;
    std::string preview_;  // busy: "preview 1/2", once one arrived
    std::chrono::steady_clock::time_point last_refresh_{};
};

// The first properties of a source or filter: the status line, the action button (disabled
// while busy), Cancel (only while busy; says a sent request may still be billed), the price.
// on_action / on_cancel: the buttons' callbacks.
void add_action_properties(obs_properties_t *props, const RequestStatus *status, const char *action,
                           const char *action_label, obs_property_clicked_t on_action,
                           obs_property_clicked_t on_cancel, const std::string &cost_text);

// Any thread: asks OBS's UI thread to rebuild source's open properties window (skipped when the
// source is gone by then).
void queue_properties_refresh(obs_weak_source_t *source);

namespace property {
constexpr const char *status = "status";
constexpr const char *cancel = "cancel";
constexpr const char *cost = "cost";
constexpr const char *failure_indicator = "failure_indicator";
} // namespace property

// Graphics thread, inside video_render: a red bar along the top of a width x height frame,
// so a failed request shows on the scene itself (the last good image stays under it).
void draw_failure_indicator(uint32_t width, uint32_t height);

} // namespace pictor_obs
