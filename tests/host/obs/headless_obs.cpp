#include "headless_obs.hpp"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#ifndef PICTOR_OBS_IMAGE_SOURCE_MODULE
#error "PICTOR_OBS_IMAGE_SOURCE_MODULE must name obs-studio's image-source.so"
#endif

namespace pictor_obs_test {

// One handler for the process: libobs keeps a plain function pointer.
static HeadlessObs *ui_owner = nullptr;

HeadlessObs::HeadlessObs() { base_set_log_handler(&HeadlessObs::on_log, this); }

HeadlessObs::~HeadlessObs() {
    if (running_)
        shutdown_seconds();
    stop_ui_thread();
    ui_owner = nullptr;
    base_set_log_handler(nullptr, nullptr);
}


void HeadlessObs::on_ui_task(obs_task_t task, void *param, bool wait) {
    HeadlessObs *self = ui_owner;
    if (!self)
        return;
    std::mutex done_mutex;
    std::condition_variable done_wake;
    bool done = false;
    {
        std::lock_guard<std::mutex> lock(self->ui_mutex_);
        if (self->ui_stop_) {
            // Shutting down: OBS's window no longer runs tasks either (and the module that
            // queued it may be unloaded before a task would run).
            if (wait)
                task(param);
            return;
        }
        self->ui_tasks_.emplace_back([=, &done_mutex, &done_wake, &done] {
            task(param);
            if (wait) {
                std::lock_guard<std::mutex> done_lock(done_mutex);
                done = true;
                done_wake.notify_all();
            }
        });
    }
    self->ui_wake_.notify_all();
    if (wait) {
        std::unique_lock<std::mutex> lock(done_mutex);
        done_wake.wait(lock, [&] { return done; });
    }
}

void HeadlessObs::run_ui_thread() {
    std::unique_lock<std::mutex> lock(ui_mutex_);
    for (;;) {
        ui_wake_.wait(lock, [&] { return ui_stop_ || !ui_tasks_.empty(); });
        if (ui_tasks_.empty())
            return; // stopping, and nothing left to run
        auto task = std::move(ui_tasks_.front());
        ui_tasks_.pop_front();
        lock.unlock();
        task();
        lock.lock();
    }
}

void HeadlessObs::stop_ui_thread() {
    if (!ui_thread_.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(ui_mutex_);
        ui_stop_ = true;
    }
    ui_wake_.notify_all();
    ui_thread_.join(); // runs what was queued before, while the modules are still loaded
}

void HeadlessObs::on_log(int level, const char *format, va_list args, void *self) {
    char line[8192];
    va_list copy;
    va_copy(copy, args);
    std::vsnprintf(line, sizeof line, format, copy);
    va_end(copy);
    if (level <= LOG_WARNING || std::string(line).find("[pictor]") != std::string::npos)
        std::fprintf(stderr, "obs: %s\n", line);
    auto *obs = static_cast<HeadlessObs *>(self);
    std::lock_guard<std::mutex> lock(obs->mutex_);
    obs->lines_.emplace_back(line);
}

void HeadlessObs::start() {
    if (!obs_startup("en-US", nullptr, nullptr))
        throw std::runtime_error("obs_startup failed");
    running_ = true;
    ui_owner = this;
    ui_stop_ = false;
    ui_thread_ = std::thread(&HeadlessObs::run_ui_thread, this);
    obs_set_ui_task_handler(&HeadlessObs::on_ui_task);
    obs_video_info video = {};
    video.graphics_module = "libobs-opengl.so.1";
    video.fps_num = 30;
    video.fps_den = 1;
    video.base_width = video.output_width = 1280;
    video.base_height = video.output_height = 720;
    video.output_format = VIDEO_FORMAT_NV12;
    video.gpu_conversion = true;
    video.colorspace = VIDEO_CS_709;
    video.range = VIDEO_RANGE_PARTIAL;
    video.scale_type = OBS_SCALE_BICUBIC;
    const int reset = obs_reset_video(&video);
    if (reset != OBS_VIDEO_SUCCESS)
        throw std::runtime_error("obs_reset_video failed (" + std::to_string(reset) +
                                 "): is there an X server (run under xvfb-run -a)?");
}

void HeadlessObs::load_builtin_image_sources() {
    load_module(PICTOR_OBS_IMAGE_SOURCE_MODULE, PICTOR_OBS_IMAGE_SOURCE_DATA);
}

void HeadlessObs::load_module(const std::string &binary, const std::string &data_dir) {
    obs_module_t *module = nullptr;
    const int opened = obs_open_module(&module, binary.c_str(), data_dir.c_str());
    if (opened != MODULE_SUCCESS)
        throw std::runtime_error("obs_open_module(" + binary + ") failed: " + std::to_string(opened) + "\n" +
                                 log_text());
    if (!obs_init_module(module))
        throw std::runtime_error("obs_init_module(" + binary + ") failed\n" + log_text());
}

double HeadlessObs::shutdown_seconds() {
    const auto begin = std::chrono::steady_clock::now();
    for (uint32_t channel = 0; channel < MAX_CHANNELS; ++channel)
        obs_set_output_source(channel, nullptr);
    stop_ui_thread();
    obs_shutdown();
    running_ = false;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

std::vector<std::string> HeadlessObs::log_lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
}

std::string HeadlessObs::log_text() const {
    std::string text;
    for (const auto &line : log_lines())
        text += line + "\n";
    return text;
}

bool HeadlessObs::log_contains(const std::string &text) const {
    return log_text().find(text) != std::string::npos;
}

void click_button(obs_source_t *source, const char *button) {
    obs_properties_t *props = obs_source_properties(source);
    if (!props)
        throw std::runtime_error("the source has no properties");
    obs_property_t *property = obs_properties_get(props, button);
    if (!property) {
        obs_properties_destroy(props);
        throw std::runtime_error(std::string("no property named ") + button);
    }
    obs_property_button_clicked(property, source);
    obs_properties_destroy(props);
}

void press_hotkey(const char *name) {
    struct Search {
        std::string name;
        obs_hotkey_id id = OBS_INVALID_HOTKEY_ID;
    } search{name};
    // A filter registers its hotkeys at its first video tick: give OBS a moment.
    wait_until([&] {
        obs_enum_hotkeys(
            [](void *data, obs_hotkey_id id, obs_hotkey_t *hotkey) {
                auto *s = static_cast<Search *>(data);
                if (std::string(obs_hotkey_get_name(hotkey)).rfind(s->name, 0) == 0)
                    s->id = id;
                return true;
            },
            &search);
        return search.id != OBS_INVALID_HOTKEY_ID;
    }, 30.0);
    if (search.id == OBS_INVALID_HOTKEY_ID)
        throw std::runtime_error(std::string("no hotkey named ") + name);
    obs_key_combination_t combination = {0, OBS_KEY_F13};
    obs_hotkey_load_bindings(search.id, &combination, 1);
    obs_hotkey_enable_background_press(true); // no focused window in a headless test
    obs_hotkey_inject_event(combination, true);
    obs_hotkey_inject_event(combination, false);
}

std::string property_description(obs_source_t *source, const char *name) {
    obs_properties_t *props = obs_source_properties(source);
    obs_property_t *property = props ? obs_properties_get(props, name) : nullptr;
    std::string text = property ? obs_property_description(property) : "";
    obs_properties_destroy(props);
    return text;
}

} // namespace pictor_obs_test

namespace pictor_obs_test {

namespace {

template <typename Read> auto read_property(obs_source_t *source, const char *name, Read read) {
    obs_properties_t *props = obs_source_properties(source);
    obs_property_t *property = props ? obs_properties_get(props, name) : nullptr;
    if (!property) {
        obs_properties_destroy(props);
        throw std::runtime_error(std::string("no property named ") + name);
    }
    auto value = read(property);
    obs_properties_destroy(props);
    return value;
}

} // namespace

bool property_enabled(obs_source_t *source, const char *name) {
    return read_property(source, name, [](obs_property_t *p) { return obs_property_enabled(p); });
}

bool property_visible(obs_source_t *source, const char *name) {
    return read_property(source, name, [](obs_property_t *p) { return obs_property_visible(p); });
}

std::string property_long_description(obs_source_t *source, const char *name) {
    return read_property(source, name, [](obs_property_t *p) {
        const char *text = obs_property_long_description(p);
        return std::string(text ? text : "");
    });
}

PropertiesRefreshCounter::PropertiesRefreshCounter(obs_source_t *source) : source_(source) {
    signal_handler_connect(obs_source_get_signal_handler(source_), "update_properties", on_signal, this);
}

PropertiesRefreshCounter::~PropertiesRefreshCounter() {
    signal_handler_disconnect(obs_source_get_signal_handler(source_), "update_properties", on_signal, this);
}

int PropertiesRefreshCounter::count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
}

void PropertiesRefreshCounter::on_signal(void *self, calldata_t *) {
    auto *counter = static_cast<PropertiesRefreshCounter *>(self);
    std::lock_guard<std::mutex> lock(counter->mutex_);
    ++counter->count_;
}

} // namespace pictor_obs_test
