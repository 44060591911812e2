// libobs started headless for a test: obs_startup, OpenGL video on Mesa's software renderer
// (under xvfb-run), the built-in color source, and the pictor module — from the build tree or
// from a per-user install folder. Every log line is captured so tests can read what OBS logged.
#pragma once

#include <obs.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pictor_obs_test {

class HeadlessObs {
public:
    HeadlessObs();
    ~HeadlessObs(); // shutdown() if still running
    HeadlessObs(const HeadlessObs &) = delete;
    HeadlessObs &operator=(const HeadlessObs &) = delete;

    // obs_startup + obs_reset_video (1280x720), and a UI thread that runs what modules queue
    // with obs_queue_task(OBS_TASK_UI) (OBS Studio's main window does that in the app).
    // Throws std::runtime_error with the reason.
    void start();
    // The obs-studio package's image-source module (color_source_v3, image_source).
    void load_builtin_image_sources();
    // obs_open_module + obs_init_module; throws if the module does not load.
    void load_module(const std::string &binary, const std::string &data_dir);
    // Stops OBS: destroys every source left, unloads the modules. Returns how long it took.
    double shutdown_seconds();
    bool running() const { return running_; }

    // Every log line so far (all levels), and whether any contains text.
    std::vector<std::string> log_lines() const;
    std::string log_text() const;
    bool log_contains(const std::string &text) const;

private:
    static void on_log(int level, const char *format, va_list args, void *self);
    static void on_ui_task(obs_task_t task, void *param, bool wait);
    void run_ui_thread();
    void stop_ui_thread();

    std::mutex ui_mutex_;
    std::condition_variable ui_wake_;
    std::deque<std::function<void()>> ui_tasks_;
    bool ui_stop_ = false;
    std::thread ui_thread_;

    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
    bool running_ = false;
};

// Presses a button property (what OBS's properties dialog does on a click).
void click_button(obs_source_t *source, const char *button);
// Binds the hotkey whose name starts with name (e.g. "pictor_restyle_filter.restyle") to a key and
// injects a press and a release, as OBS's hotkey thread does for a real key.
void press_hotkey(const char *name);
// The text of the property's description (the status line of pictor's sources).
std::string property_description(obs_source_t *source, const char *property);
// Whether the property is enabled / visible, as OBS's properties window would show it.
bool property_enabled(obs_source_t *source, const char *property);
bool property_visible(obs_source_t *source, const char *property);
std::string property_long_description(obs_source_t *source, const char *property);
// Counts the source's "update_properties" signals: each makes an open properties window reload.
class PropertiesRefreshCounter {
public:
    explicit PropertiesRefreshCounter(obs_source_t *source);
    ~PropertiesRefreshCounter();
    int count() const;

private:
    static void on_signal(void *self, calldata_t *);
    obs_source_t *source_;
    mutable std::mutex mutex_;
    int count_ = 0;
};

// Polls until predicate() is true or timeout_s passed; returns the last value.
template <typename Predicate> bool wait_until(Predicate predicate, double timeout_s);

} // namespace pictor_obs_test

#include "wait_until.inl"
