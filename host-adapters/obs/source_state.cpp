#include "source_state.hpp"

#include "request_settings.hpp"
#include "session_spending.hpp"

#include <obs-module.h>

namespace pictor_obs {

void SourceState::update(obs_data_t *settings) {
    RequestSpec spec;
    read_request_settings(settings, spec);
    const bool indicator = obs_data_get_bool(settings, setting::failure_indicator);
    std::lock_guard<std::mutex> lock(mutex_);
    request_ = std::move(spec);
    indicator_ = indicator;
}

void SourceState::save(obs_data_t *settings) const {
    std::lock_guard<std::mutex> lock(mutex_);
    obs_data_set_string(settings, setting::history_path, history_path_.c_str());
}

std::optional<RequestSpec> SourceState::restore_request(obs_data_t *settings) {
    const std::string last = obs_data_get_string(settings, setting::history_path);
    if (last.empty())
        return std::nullopt;
    show_history_path(last);
    RequestSpec spec;
    spec.kind = RequestKind::restore;
    spec.history_path = last;
    return spec;
}

RequestSpec SourceState::request() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return request_;
}

bool SourceState::indicator() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return indicator_;
}

std::string SourceState::history_path() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return history_path_;
}

void SourceState::show_history_path(const std::string &path) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!path.empty())
        history_path_ = path;
}

void SourceState::clear_history_path() {
    std::lock_guard<std::mutex> lock(mutex_);
    history_path_.clear();
}

bool outcome_has_image(const RequestOutcome &outcome, RequestStatus &status, const std::string &who,
                       bool say_cancelled) {
    if (outcome.cancelled) {
        if (say_cancelled)
            status.cancelled(outcome.may_be_billed);
        return false;
    }
    if (!outcome.ok) {
        // What was shown stays on the scene; the log and the red bar say it failed.
        blog(LOG_WARNING, "[pictor] %s: %s", who.c_str(), outcome.message.c_str());
        status.failed(outcome.message, outcome.request_id);
        return false;
    }
    if (outcome.cost_usd > 0)
        add_session_spending(outcome.cost_usd);
    return true;
}

std::string ready_text(const char *ready, const RequestOutcome &outcome) {
    return ready + (outcome.request_id.empty()
                        ? std::string()
                        : "\n" + std::string(obs_module_text("Status.RequestId")) + " " + outcome.request_id);
}

} // namespace pictor_obs
