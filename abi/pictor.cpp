// The extern "C" shim: every entry point is one exception barrier around the C++ core, so no
// exception crosses into a host, and every failure becomes a pictor_status plus a last error.
#include <pictor/pictor.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "api/image_client.hpp"
#include "api/request_size_choice.hpp"
#include "api/upload_plan.hpp"
#include "store/client_settings.hpp"
#include "error.hpp"
#include "image/upload_encoding.hpp"
#include "library_limits.hpp"
#include "history_shim_bridge.hpp"
#include "shim_support.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/selection_mask.hpp"

using pictor::Error;
using pictor::ErrorInfo;
using pictor::ErrorKind;

static_assert(int(ErrorKind::invalid_argument) == PICTOR_ERR_INVALID_ARGUMENT, "kinds mirror pictor_status");
static_assert(int(ErrorKind::cancelled) == PICTOR_ERR_CANCELLED, "kinds mirror pictor_status");
static_assert(int(ErrorKind::no_memory) == PICTOR_ERR_NO_MEMORY, "kinds mirror pictor_status");
static_assert(int(pictor::net::Phase::saving) == PICTOR_PHASE_SAVING, "phases mirror pictor_phase");

using pictor_shim::abi_compatible;
using pictor_shim::barrier;
using pictor_shim::ErrorSlot;
using pictor_shim::invalid;
using pictor_shim::text_or_empty;
using pictor_shim::thread_error;
using pictor_shim::to_abi_progress;
using pictor_shim::to_core_request;

namespace {

char *copy_to_malloc(const std::string &text) {
    char *out = static_cast<char *>(std::malloc(text.size() + 1));
    if (!out)
        throw std::bad_alloc();
    std::memcpy(out, text.c_str(), text.size() + 1);
    return out;
}

} // namespace

struct pictor_image {
    pictor::RgbaImage rgba;
    std::string encoded;
    std::string format;
    std::string history_path;
    std::string request_id;
};

struct pictor_result {
    std::vector<std::unique_ptr<pictor_image>> images;
    std::string json;
};

// struct pictor_client is in shim_support.hpp: pictor_job.cpp runs jobs on its ImageClient.

pictor::ImageRequest pictor_shim::to_core_request(const pictor_request *r) {
    if (!r)
        invalid("request is NULL");
    if (r->struct_size < offsetof(pictor_request, progress_user_data) + sizeof(void *))
        invalid("request->struct_size is too small: set up the request with pictor_request_init()");
    pictor::ImageRequest q;
    q.prompt = text_or_empty(r->prompt);
    q.size = text_or_empty(r->size);
    q.quality = text_or_empty(r->quality);
    q.output_format = text_or_empty(r->output_format);
    q.output_compression = r->output_compression;
    q.background = text_or_empty(r->background);
    q.moderation = text_or_empty(r->moderation);
    q.n = r->n <= 0 ? 1 : r->n;
    q.timeout_s = r->timeout_s;
    if (r->image_count > 0 && !r->images)
        invalid("request->images is NULL but image_count is " + std::to_string(r->image_count));
    for (size_t i = 0; i < r->image_count; ++i) {
        const pictor_input_image &in = r->images[i];
        if (!in.data || in.size == 0)
            invalid("request->images[" + std::to_string(i) + "] has no data");
        q.images.push_back({std::string(reinterpret_cast<const char *>(in.data), in.size), text_or_empty(in.filename)});
    }
    if (r->mask) {
        if (!r->mask->data || r->mask->size == 0)
            invalid("request->mask has no data");
        q.has_mask = true;
        q.mask = {std::string(reinterpret_cast<const char *>(r->mask->data), r->mask->size),
                  text_or_empty(r->mask->filename)};
    }
    if (r->progress) {
        pictor_progress_fn fn = r->progress;
        void *user = r->progress_user_data;
        q.progress = [fn, user](const pictor::Progress &p) {
            pictor_progress out = to_abi_progress(p);
            return fn(&out, user) == 0;
        };
    }
    // Appended fields: only when the caller's struct has them.
    if (r->struct_size >= offsetof(pictor_request, max_cost_usd) + sizeof(double))
        q.max_cost_usd = r->max_cost_usd;
    if (r->struct_size >= offsetof(pictor_request, partial_image_user_data) + sizeof(void *)) {
        q.partial_images = r->partial_images;
        if (r->partial_image) {
            pictor_partial_image_fn fn = r->partial_image;
            void *user = r->partial_image_user_data;
            q.on_partial_image = [fn, user](const pictor::PartialImage &p) {
                pictor_image preview; // a copy: the callback may outlive nothing of ours
                preview.rgba = p.rgba;
                preview.encoded = p.encoded;
                preview.format = pictor::image_format_name(p.format);
                fn(&preview, p.index, p.total, user);
            };
        }
    }
    if (r->struct_size >= offsetof(pictor_request, keep_uploads) + sizeof(int)) {
        if (r->upload_quality < PICTOR_UPLOAD_DEFAULT || r->upload_quality > PICTOR_UPLOAD_FAST)
            invalid("request->upload_quality must be PICTOR_UPLOAD_DEFAULT, _LOSSLESS or _FAST");
        if (r->upload_quality != PICTOR_UPLOAD_DEFAULT)
            q.upload_quality = r->upload_quality == PICTOR_UPLOAD_FAST ? pictor::UploadQuality::fast
                                                                       : pictor::UploadQuality::lossless;
        q.keep_uploads = r->keep_uploads != 0;
    }
    if (r->struct_size < offsetof(pictor_request, keep_uploads) + sizeof(int) ||
        r->upload_quality == PICTOR_UPLOAD_DEFAULT) {
        // The user's setting, saved with the others (GIMP's Pictor Settings, the config file).
        std::string configured = pictor::configured_upload_quality();
        std::optional<pictor::UploadQuality> parsed = pictor::parse_upload_quality(configured);
        if (!configured.empty() && !parsed)
            throw pictor::Error(pictor::ErrorKind::invalid_request,
                                "upload_quality \"" + configured + "\" (PICTOR_UPLOAD_QUALITY or the config file) "
                                "must be lossless or fast");
        q.upload_quality = parsed.value_or(pictor::UploadQuality::lossless);
    }
    if (r->struct_size >= offsetof(pictor_request, markup) + sizeof(void *)) {
        q.model = text_or_empty(r->model);
        q.complexity = text_or_empty(r->complexity);
        if (r->extra_field_count > 0 && !r->extra_fields)
            invalid("request->extra_fields is NULL but extra_field_count is " + std::to_string(r->extra_field_count));
        for (size_t i = 0; i < r->extra_field_count; ++i) {
            const pictor_extra_field &field = r->extra_fields[i];
            const std::string label = "request->extra_fields[" + std::to_string(i) + "]";
            if (!field.name || !field.json_value)
                invalid(label + " needs a name and a json_value");
            nlohmann::json value = nlohmann::json::parse(field.json_value, nullptr, false);
            if (value.is_discarded())
                invalid(label + " (" + field.name + "): json_value is not JSON; a text needs quotes: \"text\"");
            q.extra_fields.push_back({field.name, std::move(value)});
        }
        if (r->markup) {
            if (!r->markup->data || r->markup->size == 0)
                invalid("request->markup has no data");
            q.has_markup = true;
            q.markup = {std::string(reinterpret_cast<const char *>(r->markup->data), r->markup->size),
                        text_or_empty(r->markup->filename)};
        }
    }
    return q;
}

namespace {

std::unique_ptr<pictor_image> to_abi_image(pictor::ReceivedImage &&in) {
    auto image = std::make_unique<pictor_image>();
    image->rgba = std::move(in.rgba);
    image->encoded = std::move(in.encoded);
    image->format = pictor::image_format_name(in.format);
    image->history_path = std::move(in.history_path);
    image->request_id = std::move(in.request_id);
    return image;
}

pictor_status run_request(pictor_client *client, const pictor_request *request, pictor_result **out, bool edit) {
    if (out)
        *out = nullptr;
    if (!client)
        return PICTOR_ERR_INVALID_ARGUMENT;
    return barrier(client->error, [&] {
        if (!out)
            invalid("out is NULL");
        pictor::ImageRequest core_request = to_core_request(request);
        // Images the host gave over the route's limit are re-encoded to fit (unless keep_uploads).
        nlohmann::json uploads;
        if (edit)
            uploads = pictor::fit_input_images(client->impl->profile(), core_request);
        client->runner_cancel.store(false); // a cancel of an earlier call is not one of this call
        pictor::ImageResult result = client->run_in_helper
                                         ? pictor_shim::run_in_request_runner(*client, core_request, edit)
                                         : client->impl->run(core_request, edit);
        if (edit)
            result.metadata["uploads"] = std::move(uploads);
        auto abi_result = std::make_unique<pictor_result>();
        for (auto &image : result.images)
            abi_result->images.push_back(to_abi_image(std::move(image)));
        // Server text, paths and file names may hold any bytes: never fail a paid result on them.
        abi_result->json = result.metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        *out = abi_result.release();
    });
}

} // namespace

extern "C" {

int pictor_version_number(void) { return PICTOR_VERSION_NUMBER; }
const char *pictor_version_string(void) { return PICTOR_VERSION_STRING; }
int pictor_abi_version(void) { return PICTOR_ABI_VERSION; }

int pictor_library_accepts(int host_version_number, int host_abi_version) {
    // The same release line as the SONAME: MAJOR.MINOR while the major is 0, MAJOR after.
    const int line = PICTOR_VERSION_MAJOR == 0 ? 100 : 10000;
    return abi_compatible(host_abi_version) && host_version_number / line == PICTOR_VERSION_NUMBER / line;
}

pictor_status pictor_get_limits_abi(pictor_limits *limits, size_t struct_size, int abi_version) {
    return barrier(thread_error(), [&] {
        namespace lim = pictor::library_limits;
        if (!limits)
            invalid("limits is NULL");
        if (!abi_compatible(abi_version))
            invalid("the host was built for pictor ABI " + std::to_string(abi_version >> 8) + ", this library is ABI " +
                    std::to_string(PICTOR_ABI_VERSION >> 8) + ": rebuild the host against this library's header");
        if (struct_size < offsetof(pictor_limits, max_context_px) + sizeof(int))
            invalid("pictor_limits is smaller than any version of it");
        pictor_limits all{};
        all.max_response_bytes = lim::max_response_bytes;
        all.max_pixels = lim::max_pixels;
        all.max_retries = lim::max_retries;
        all.connect_timeout_s = lim::connect_timeout_s;
        all.max_prompt_chars = uint32_t(lim::max_prompt_chars);
        all.max_edit_images = uint32_t(lim::max_edit_images);
        all.max_reference_layers = uint32_t(lim::max_reference_layers);
        all.default_grow_px = lim::default_grow_px;
        all.default_feather_px = lim::default_feather_px;
        all.default_context_px = lim::default_context_px;
        all.max_grow_px = lim::max_grow_px;
        all.max_feather_px = lim::max_feather_px;
        all.max_context_px = lim::max_context_px;
        all.upload_jpeg_quality = pictor::kUploadJpegQuality;
        all.max_partial_images = lim::max_partial_images;
        std::memcpy(limits, &all, std::min(struct_size, sizeof all));
        limits->struct_size = uint32_t(std::min(struct_size, sizeof all));
    });
}

const char *pictor_status_string(pictor_status status) {
    if (status == PICTOR_OK)
        return "ok";
    if (status < PICTOR_ERR_INVALID_ARGUMENT || status > PICTOR_ERR_NO_MEMORY)
        return "unknown";
    return pictor::error_kind_name(ErrorKind(status));
}

const pictor_error *pictor_client_last_error(const pictor_client *client) {
    if (!client) {
        static ErrorSlot null_client = [] {
            ErrorSlot slot;
            slot.set(pictor::ErrorInfo{pictor::ErrorKind::invalid_argument,
                                       "the client is NULL: pictor_client_create failed (see pictor_thread_last_error)"});
            return slot;
        }();
        return &null_client.view;
    }
    return &client->error.view;
}

const pictor_error *pictor_thread_last_error(void) { return &thread_error().view; }

pictor_status pictor_client_config_init_abi(pictor_client_config *config, size_t struct_size, int abi_version) {
    return barrier(thread_error(), [&] {
        if (!config)
            invalid("config is NULL");
        if (!abi_compatible(abi_version))
            invalid("the host was built for pictor ABI " + std::to_string(abi_version >> 8) + ", this library is ABI " +
                    std::to_string(PICTOR_ABI_VERSION >> 8) + ": rebuild the host against this library's header");
        if (struct_size < offsetof(pictor_client_config, log_user_data) + sizeof(void *))
            invalid("pictor_client_config is smaller than any version of it");
        pictor_client_config defaults{};
        defaults.max_retries = -1;
        defaults.use_environment = 1;
        std::memcpy(config, &defaults, std::min(struct_size, sizeof defaults));
        config->struct_size = uint32_t(std::min(struct_size, sizeof defaults));
    });
}

pictor_status pictor_request_init_abi(pictor_request *request, size_t struct_size, int abi_version) {
    return barrier(thread_error(), [&] {
        if (!request)
            invalid("request is NULL");
        if (!abi_compatible(abi_version))
            invalid("the host was built for another pictor ABI: rebuild it against this library's header");
        if (struct_size < offsetof(pictor_request, progress_user_data) + sizeof(void *))
            invalid("pictor_request is smaller than any version of it");
        pictor_request defaults{};
        defaults.output_compression = -1;
        std::memcpy(request, &defaults, std::min(struct_size, sizeof defaults));
        request->struct_size = uint32_t(std::min(struct_size, sizeof defaults));
    });
}

pictor_status pictor_client_create(const pictor_client_config *config, pictor_client **out) {
    if (out)
        *out = nullptr;
    return barrier(thread_error(), [&] {
        if (!config || !out)
            invalid("config and out must not be NULL");
        if (config->struct_size < offsetof(pictor_client_config, log_user_data) + sizeof(void *))
            invalid("config->struct_size is too small: set up the config with pictor_client_config_init()");
        auto client = std::make_unique<pictor_client>();
        pictor::ClientOptions options;
        options.settings.profile = text_or_empty(config->profile);
        options.settings.base_url = text_or_empty(config->base_url);
        options.settings.api_key = text_or_empty(config->api_key);
        options.settings.model = text_or_empty(config->model);
        options.settings.history_dir = text_or_empty(config->history_dir);
        options.settings.ca_file = text_or_empty(config->ca_file);
        options.profile_dir = text_or_empty(config->profile_dir);
        options.use_environment = config->use_environment != 0;
        // What the host sets wins; else the environment and config file; else the defaults.
        pictor::ClientLimits limits;
        if (options.use_environment)
            limits = pictor::configured_client_limits();
        if (config->connect_timeout_s > 0)
            limits.connect_timeout_s = config->connect_timeout_s;
        if (config->max_response_bytes > 0)
            limits.max_response_bytes = config->max_response_bytes;
        if (config->max_pixels > 0)
            limits.max_pixels = config->max_pixels;
        if (config->max_retries >= 0)
            limits.max_retries = config->max_retries;
        if (limits.connect_timeout_s > 0)
            options.connect_timeout_s = limits.connect_timeout_s;
        if (limits.max_response_bytes > 0)
            options.max_response_bytes = limits.max_response_bytes;
        if (limits.max_pixels > 0)
            options.max_pixels = limits.max_pixels;
        if (limits.max_retries >= 0)
            options.max_retries = limits.max_retries;
        if (config->log) {
            pictor_log_fn fn = config->log;
            void *user = config->log_user_data;
            // The core hands over lines already redacted.
            options.log = [fn, user](pictor::LogLevel level, const std::string &line) {
                fn(pictor_log_level(level), line.c_str(), user);
            };
        }
        if (config->struct_size >= offsetof(pictor_client_config, abandon_on_cancel) + sizeof(int)) {
            client->run_in_helper = config->run_in_helper != 0;
            client->abandon_on_cancel = config->abandon_on_cancel != 0;
        }
        // A host (or the CLI flag) asks for it; else the user's config file may.
        if (!client->abandon_on_cancel && options.use_environment)
            client->abandon_on_cancel = pictor::configured_abandon_on_cancel();
        client->impl = std::make_unique<pictor::ImageClient>(std::move(options));
        nlohmann::json profile = client->impl->profile().to_json();
        profile["base_url"] = client->impl->redact(client->impl->base_url()); // no user:pass@

        profile["model"] = client->impl->model();
        profile["has_api_key"] = client->impl->has_api_key();
        profile["api_key_source"] = client->impl->api_key_source();
        profile["api_key_from_environment"] = client->impl->api_key_source() == "PICTOR_API_KEY" ||
                                              client->impl->api_key_source() == "OPENAI_API_KEY";
        profile["history_dir"] = client->impl->history_dir();
        client->profile_json = profile.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        *out = client.release();
    });
}

void pictor_client_destroy(pictor_client *client) { delete client; }

void pictor_client_cancel(pictor_client *client) {
    if (client && client->impl) {
        client->runner_cancel.store(true);
        client->impl->cancel();
    }
}

const char *pictor_client_profile_json(const pictor_client *client) {
    return client ? client->profile_json.c_str() : "{}";
}

pictor_status pictor_list_profiles(const char *profile_dir, char **json_out) {
    if (json_out)
        *json_out = nullptr;
    return barrier(thread_error(), [&] {
        if (!json_out)
            invalid("json_out is NULL");
        nlohmann::json list = nlohmann::json::array();
        for (const auto &p : pictor::ProfileCatalog::standard(text_or_empty(profile_dir)).all())
            list.push_back(p.to_json());
        *json_out = copy_to_malloc(list.dump());
    });
}

pictor_status pictor_list_profiles_report(const char *profile_dir, char **json_out) {
    if (json_out)
        *json_out = nullptr;
    return barrier(thread_error(), [&] {
        if (!json_out)
            invalid("json_out is NULL");
        std::vector<pictor::SkippedProfile> skipped;
        nlohmann::json report = {{"profiles", nlohmann::json::array()}, {"skipped", nlohmann::json::array()}};
        for (const auto &p : pictor::ProfileCatalog::standard(text_or_empty(profile_dir)).all(&skipped))
            report["profiles"].push_back(p.to_json());
        for (const auto &entry : skipped)
            report["skipped"].push_back({{"file", entry.file}, {"reason", entry.reason}});
        // A file name need not be UTF-8; dump() must not throw on one.
        *json_out = copy_to_malloc(report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
}

pictor_status pictor_check_request(pictor_client *client, const pictor_request *request, int edit) {
    if (!client)
        return PICTOR_ERR_INVALID_ARGUMENT;
    return barrier(client->error, [&] { client->impl->plan(to_core_request(request), edit != 0); });
}

pictor_status pictor_estimate_cost(pictor_client *client, const pictor_request *request, int edit, double *usd_out) {
    if (usd_out)
        *usd_out = 0;
    if (!client)
        return PICTOR_ERR_INVALID_ARGUMENT;
    return barrier(client->error, [&] {
        if (!usd_out)
            invalid("usd_out is NULL");
        *usd_out = client->impl->estimate_cost(to_core_request(request), edit != 0).value_or(-1.0);
    });
}

pictor_status pictor_canvas_request_size(pictor_client *client, uint32_t canvas_width, uint32_t canvas_height,
                                         uint32_t *width_out, uint32_t *height_out) {
    if (width_out)
        *width_out = 0;
    if (height_out)
        *height_out = 0;
    if (!client)
        return PICTOR_ERR_INVALID_ARGUMENT;
    return barrier(client->error, [&] {
        if (!width_out || !height_out)
            invalid("width_out or height_out is NULL");
        if (canvas_width == 0 || canvas_height == 0)
            invalid("the canvas is empty");
        const pictor::ImageSize size =
            pictor::choose_canvas_size(client->impl->profile(), pictor::ImageSize{canvas_width, canvas_height});
        *width_out = size.width;
        *height_out = size.height;
    });
}

pictor_status pictor_generate(pictor_client *client, const pictor_request *request, pictor_result **out) {
    return run_request(client, request, out, false);
}

pictor_status pictor_edit(pictor_client *client, const pictor_request *request, pictor_result **out) {
    return run_request(client, request, out, true);
}

size_t pictor_result_image_count(const pictor_result *result) { return result ? result->images.size() : 0; }

const pictor_image *pictor_result_image(const pictor_result *result, size_t index) {
    return result && index < result->images.size() ? result->images[index].get() : nullptr;
}

const char *pictor_result_json(const pictor_result *result) { return result ? result->json.c_str() : "{}"; }

void pictor_result_free(pictor_result *result) { delete result; }

uint32_t pictor_image_width(const pictor_image *image) { return image ? image->rgba.width : 0; }
uint32_t pictor_image_height(const pictor_image *image) { return image ? image->rgba.height : 0; }
const uint8_t *pictor_image_rgba(const pictor_image *image) {
    return image && !image->rgba.pixels.empty() ? image->rgba.pixels.data() : nullptr;
}

const uint8_t *pictor_image_encoded(const pictor_image *image, size_t *size) {
    bool has = image && !image->encoded.empty();
    if (size)
        *size = has ? image->encoded.size() : 0;
    return has ? reinterpret_cast<const uint8_t *>(image->encoded.data()) : nullptr;
}

const char *pictor_image_format(const pictor_image *image) { return image ? image->format.c_str() : ""; }
const char *pictor_image_history_path(const pictor_image *image) { return image ? image->history_path.c_str() : ""; }
const char *pictor_image_request_id(const pictor_image *image) { return image ? image->request_id.c_str() : ""; }

int pictor_image_has_alpha(const pictor_image *image) {
    if (!image || image->encoded.empty())
        return 0;
    try {
        return pictor::probe_image(reinterpret_cast<const uint8_t *>(image->encoded.data()), image->encoded.size())
                   .has_alpha
                   ? 1
                   : 0;
    } catch (...) {
        return 0;
    }
}

pictor_status pictor_coverage_bounds(const uint8_t *coverage, uint32_t width, uint32_t height, size_t stride,
                                     pictor_selection_desc *desc) {
    return barrier(thread_error(), [&] {
        if (!desc || (!coverage && width && height) || stride < width)
            invalid("pictor_coverage_bounds: coverage or desc is NULL, or stride < width");
        if (desc->struct_size < offsetof(pictor_selection_desc, height) + sizeof desc->height)
            invalid("desc->struct_size is too small: set it to sizeof(pictor_selection_desc)");
        pictor::GrayImage gray;
        gray.width = width;
        gray.height = height;
        gray.pixels.resize(size_t(width) * height);
        for (uint32_t y = 0; y < height; ++y)
            std::memcpy(&gray.pixels[size_t(y) * width], coverage + y * stride, width);
        const pictor::PixelRect bounds = pictor::coverage_bounds(gray);
        desc->is_empty = bounds.empty() ? 1 : 0;
        desc->x = bounds.empty() ? 0 : bounds.x;
        desc->y = bounds.empty() ? 0 : bounds.y;
        desc->width = bounds.empty() ? 0 : uint32_t(bounds.width);
        desc->height = bounds.empty() ? 0 : uint32_t(bounds.height);
    });
}

pictor_status pictor_decode_image(const uint8_t *data, size_t size, uint64_t max_pixels, pictor_image **out) {
    if (out)
        *out = nullptr;
    return barrier(thread_error(), [&] {
        if (!data || !out)
            invalid("data and out must not be NULL");
        pictor::DecodeLimits limits;
        if (max_pixels)
            limits.max_pixels = max_pixels;
        auto image = std::make_unique<pictor_image>();
        image->rgba = pictor::decode_image(data, size, limits);
        image->encoded.assign(reinterpret_cast<const char *>(data), size);
        image->format = pictor::image_format_name(pictor::sniff_image_format(data, size));
        *out = image.release();
    });
}

pictor_status pictor_image_from_rgba(uint32_t width, uint32_t height, const uint8_t *rgba, size_t stride,
                                     pictor_image **out) {
    if (out)
        *out = nullptr;
    return barrier(thread_error(), [&] {
        if (!rgba || !out || width == 0 || height == 0 || stride < size_t(width) * 4)
            invalid("pictor_image_from_rgba needs pixels, a non-zero size and stride >= width * 4");
        auto image = std::make_unique<pictor_image>();
        image->rgba.width = width;
        image->rgba.height = height;
        image->rgba.pixels.resize(size_t(width) * height * 4);
        for (uint32_t y = 0; y < height; ++y)
            std::memcpy(image->rgba.pixels.data() + size_t(y) * width * 4, rgba + size_t(y) * stride, size_t(width) * 4);
        *out = image.release();
    });
}

pictor_status pictor_image_encode(const pictor_image *image, const char *format, int quality, uint8_t **data_out,
                                  size_t *size_out) {
    if (data_out)
        *data_out = nullptr;
    if (size_out)
        *size_out = 0;
    return barrier(thread_error(), [&] {
        if (!image || !format || !data_out || !size_out)
            invalid("image, format, data_out and size_out must not be NULL");
        pictor::ImageFormat target = pictor::image_format_from_name(format);
        if (target == pictor::ImageFormat::unknown)
            invalid(std::string("unknown format \"") + format + "\": use png, jpeg or webp");
        if (image->rgba.empty())
            invalid("the image has no pixels");
        pictor::EncodeOptions options;
        if (quality >= 0)
            options.quality = std::min(quality, 100);
        std::vector<uint8_t> bytes = pictor::encode_image(image->rgba, target, options);
        auto *buffer = static_cast<uint8_t *>(std::malloc(bytes.size() ? bytes.size() : 1));
        if (!buffer)
            throw std::bad_alloc();
        std::memcpy(buffer, bytes.data(), bytes.size());
        *data_out = buffer;
        *size_out = bytes.size();
    });
}

void pictor_image_free(pictor_image *image) { delete image; }

void pictor_free(void *memory) { std::free(memory); }

} // extern "C"

// For pictor_history.cpp (history_shim_bridge.hpp): the same barrier and image storage.
namespace pictor_shim {

pictor_status run_with_thread_error(const std::function<void()> &body) noexcept {
    return barrier(thread_error(), body);
}

pictor_image *new_image(pictor::RgbaImage rgba, std::string encoded, std::string format, std::string history_path,
                        std::string request_id) {
    auto image = std::make_unique<pictor_image>();
    image->rgba = std::move(rgba);
    image->encoded = std::move(encoded);
    image->format = std::move(format);
    image->history_path = std::move(history_path);
    image->request_id = std::move(request_id);
    return image.release();
}

char *malloc_copy(const std::string &text) { return copy_to_malloc(text); }

} // namespace pictor_shim
