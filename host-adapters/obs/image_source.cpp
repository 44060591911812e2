#include "image_source.hpp"

#include "frame_texture.hpp"
#include "image_request_worker.hpp"
#include "request_settings.hpp"

#include <obs-module.h>

#include <mutex>
#include <string>

namespace pictor_obs {

namespace {

constexpr const char *source_id = "pictor_image_source";
constexpr const char *generate_button = "generate";
constexpr const char *status_info = "status";

class ImageSource {
public:
    ImageSource(obs_data_t *settings, obs_source_t *self) : self_(self), worker_(label()) {
        update(settings);
        generate_hotkey_ = obs_hotkey_register_source(self, "pictor_image_source.generate",
                                                      obs_module_text("Hotkey.Generate"),
                                                      &ImageSource::on_generate_hotkey, this);
        std::string last = obs_data_get_string(settings, setting::history_path);
        if (!last.empty())
            restore(last);
        else
            set_status(obs_module_text("Status.Idle"));
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
    }

    void save(obs_data_t *settings) {
        // Only the path of the image in history: restoring it is a local decode.
        std::lock_guard<std::mutex> lock(mutex_);
        obs_data_set_string(settings, setting::history_path, history_path_.c_str());
    }

    // Any thread (UI: the button; the hotkey thread). Never waits on the network.
    void generate() {
        RequestSpec spec;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            spec = request_;
        }
        spec.kind = RequestKind::generate;
        if (spec.prompt.empty()) {
            set_status(obs_module_text("Status.NoPrompt"));
            return;
        }
        const std::string previous = status();
        set_status(obs_module_text("Status.Generating"));
        worker_.set_owner_label(label());
        if (!worker_.start(
                std::move(spec), [this](RequestOutcome &&outcome) { finished(std::move(outcome)); },
                [this](RgbaImage &&partial, int index, int total) { preview(std::move(partial), index, total); })) {
            set_status(previous + "\n" + obs_module_text("Status.Busy"));
            return;
        }
        blog(LOG_INFO, "[pictor] %s: generating", label().c_str());
    }

    void render() {
        if (gs_texture_t *texture = frame_.texture())
            obs_source_draw(texture, 0, 0, 0, 0, false);
    }

    uint32_t width() const { return frame_.width(); }
    uint32_t height() const { return frame_.height(); }

    std::string status() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return status_;
    }

    static void on_generate_hotkey(void *data, obs_hotkey_id, obs_hotkey_t *, bool pressed) {
        if (pressed)
            static_cast<ImageSource *>(data)->generate();
    }

private:
    std::string label() const {
        const char *name = obs_source_get_name(self_);
        return std::string("Pictor Image '") + (name ? name : "") + "'";
    }

    void set_status(const std::string &text) {
        std::lock_guard<std::mutex> lock(mutex_);
        status_ = text;
    }

    void restore(const std::string &path) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            history_path_ = path;
        }
        set_status(obs_module_text("Status.Restoring"));
        RequestSpec spec;
        spec.kind = RequestKind::restore;
        spec.history_path = path;
        worker_.start(std::move(spec), [this](RequestOutcome &&outcome) { finished(std::move(outcome)); });
    }

    // Worker thread: a partial image replaces what is shown until the final one arrives.
    void preview(RgbaImage &&partial, int index, int total) {
        blog(LOG_INFO, "[pictor] %s: preview %d of %d", label().c_str(), index + 1, total);
        set_status(std::string(obs_module_text("Status.Preview")) + " " + std::to_string(index + 1) + "/" +
                   std::to_string(total));
        frame_.offer(std::move(partial));
    }

    // Worker thread.
    void finished(RequestOutcome &&outcome) {
        const std::string who = label();
        if (!outcome.ok) {
            blog(LOG_WARNING, "[pictor] %s: %s", who.c_str(), outcome.message.c_str());
            set_status(std::string(obs_module_text("Status.Failed")) + " " + outcome.message);
            return;
        }
        const uint32_t w = outcome.image.width, h = outcome.image.height;
        frame_.offer(std::move(outcome.image));
        std::lock_guard<std::mutex> lock(mutex_);
        if (!outcome.history_path.empty())
            history_path_ = outcome.history_path;
        status_ = std::string(obs_module_text("Status.Ready")) + " " + std::to_string(w) + "x" +
                  std::to_string(h) + (outcome.request_id.empty() ? "" : ", request id " + outcome.request_id);
        blog(LOG_INFO, "[pictor] %s: showing a %ux%u image from %s", who.c_str(), w, h,
             history_path_.c_str());
    }

    obs_source_t *self_;
    mutable std::mutex mutex_; // guards request_, history_path_, status_; never held while
                               // calling into worker_ (its callback takes this lock)
    RequestSpec request_;
    std::string history_path_;
    std::string status_;
    FrameTexture frame_;
    obs_hotkey_id generate_hotkey_ = OBS_INVALID_HOTKEY_ID;
    ImageRequestWorker worker_; // last: stops first, while the members above still exist
};

ImageSource *as_source(void *data) { return static_cast<ImageSource *>(data); }

bool on_generate_clicked(obs_properties_t *, obs_property_t *, void *data) {
    as_source(data)->generate();
    return false;
}

obs_properties_t *source_properties(void *data) {
    obs_properties_t *props = obs_properties_create();
    add_request_properties(props, true);
    obs_properties_add_button(props, generate_button, obs_module_text("Generate"), on_generate_clicked);
    const std::string status =
        std::string(obs_module_text("Status")) + ": " + (data ? as_source(data)->status() : "");
    obs_properties_add_text(props, status_info, status.c_str(), OBS_TEXT_INFO);
    return props;
}

} // namespace

void register_image_source() {
    obs_source_info info = {};
    info.id = source_id;
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_VIDEO;
    info.icon_type = OBS_ICON_TYPE_IMAGE;
    info.get_name = [](void *) { return obs_module_text("PictorImage"); };
    info.create = [](obs_data_t *settings, obs_source_t *self) -> void * { return new ImageSource(settings, self); };
    info.destroy = [](void *data) { delete as_source(data); };
    info.update = [](void *data, obs_data_t *settings) { as_source(data)->update(settings); };
    info.save = [](void *data, obs_data_t *settings) { as_source(data)->save(settings); };
    info.get_defaults = [](obs_data_t *settings) { set_request_defaults(settings); };
    info.get_properties = source_properties;
    info.video_render = [](void *data, gs_effect_t *) { as_source(data)->render(); };
    info.get_width = [](void *data) { return as_source(data)->width(); };
    info.get_height = [](void *data) { return as_source(data)->height(); };
    obs_register_source(&info);
}

} // namespace pictor_obs
