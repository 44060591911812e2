// pictor.hpp — a header-only C++ convenience layer over <pictor/pictor.h>.
//
// Everything here is inline and compiled into the host, so the library's ABI stays the C one:
// owning pointers that call the library's own free functions, an exception that carries the
// library's error detail, and thin helpers that turn a failed pictor_status into that exception.
// Needs C++11. No exception ever crosses into the library: callback adapters catch everything.
#ifndef PICTOR_PICTOR_HPP
#define PICTOR_PICTOR_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <pictor/pictor.h>

// This wrapper follows the rules of ABI major 1. A stale pictor.hpp next to a newer pictor.h
// (two installs on the include path) must fail to compile rather than misbehave.
static_assert((PICTOR_ABI_VERSION >> 8) == 1, "pictor.hpp does not match this pictor.h");

namespace pictor {

// ---- owning pointers: what the library allocates, the library frees ----------------------

struct client_deleter {
    void operator()(pictor_client *client) const noexcept { pictor_client_destroy(client); }
};
struct result_deleter {
    void operator()(pictor_result *result) const noexcept { pictor_result_free(result); }
};
struct image_deleter {
    void operator()(pictor_image *image) const noexcept { pictor_image_free(image); }
};
// pictor_job_destroy cancels a running job and waits for its worker.
struct job_deleter {
    void operator()(pictor_job *job) const noexcept { pictor_job_destroy(job); }
};
// pictor_free, not std::free: the library's allocator need not be the host's.
struct free_deleter {
    void operator()(void *memory) const noexcept { pictor_free(memory); }
};

using client_ptr = std::unique_ptr<pictor_client, client_deleter>;
using result_ptr = std::unique_ptr<pictor_result, result_deleter>;
using image_ptr = std::unique_ptr<pictor_image, image_deleter>;
using job_ptr = std::unique_ptr<pictor_job, job_deleter>;
using buffer_ptr = std::unique_ptr<uint8_t, free_deleter>; // encoded images
using string_ptr = std::unique_ptr<char, free_deleter>;    // JSON the library returns

// ---- errors ------------------------------------------------------------------------------

class error : public std::runtime_error {
public:
    // `detail` is the library's last error for the failed call; kind() follows `status`, what
    // the call returned.
    error(pictor_status status, const pictor_error *detail)
        : std::runtime_error(describe(status, detail)), status_(status), kind_(pictor_status_string(status)) {
        if (!detail)
            return;
        message_ = text(detail->message);
        // A library older than this header fills fewer fields: read only what struct_size covers.
        if (has(detail, offsetof(pictor_error, code) + sizeof detail->code))
            code_ = text(detail->code);
        if (has(detail, offsetof(pictor_error, request_id) + sizeof detail->request_id))
            request_id_ = text(detail->request_id);
        if (has(detail, offsetof(pictor_error, http_status) + sizeof detail->http_status))
            http_status_ = detail->http_status;
        if (has(detail, offsetof(pictor_error, may_be_billed) + sizeof detail->may_be_billed)) {
            request_sent_ = detail->request_sent != 0;
            may_be_billed_ = detail->may_be_billed != 0;
        }
        if (has(detail, offsetof(pictor_error, history_path) + sizeof detail->history_path))
            history_path_ = text(detail->history_path);
    }
    error(pictor_status status, const std::string &message)
        : std::runtime_error(message), status_(status), kind_(pictor_status_string(status)), message_(message) {}

    pictor_status status() const noexcept { return status_; }
    const std::string &kind() const noexcept { return kind_; }
    const std::string &message() const noexcept { return message_; }
    const std::string &code() const noexcept { return code_; }             // "" if none
    const std::string &request_id() const noexcept { return request_id_; } // "" if none
    int http_status() const noexcept { return http_status_; }               // 0: no answer read
    bool request_sent() const noexcept { return request_sent_; }
    bool may_be_billed() const noexcept { return may_be_billed_; }
    const std::string &history_path() const noexcept { return history_path_; } // "" if none

private:
    static std::string text(const char *s) { return s ? s : ""; }
    static bool has(const pictor_error *e, std::size_t end) { return e->struct_size >= end; }
    static std::string describe(pictor_status status, const pictor_error *e) {
        std::string out = pictor_status_string(status);
        if (e && e->message && *e->message)
            out += std::string(": ") + e->message;
        return out;
    }

    pictor_status status_;
    std::string kind_, message_, code_, request_id_, history_path_;
    int http_status_ = 0;
    bool request_sent_ = false, may_be_billed_ = false;
};

// Throws pictor::error for a failed call; `client` is the handle the call used, or NULL for
// calls that take none (their detail is per thread).
inline void check(pictor_status status, const pictor_client *client = nullptr) {
    if (status != PICTOR_OK)
        throw error(status, client ? pictor_client_last_error(client) : pictor_thread_last_error());
}

// The header was compiled against one ABI, the loaded library may speak another: the
// incompatible (high) byte must match, additions (low byte) are fine either way.
inline void check_library_version() {
    int library = pictor_abi_version();
    if ((library >> 8) != (PICTOR_ABI_VERSION >> 8))
        throw error(PICTOR_ERR_INVALID_ARGUMENT,
                    "libpictor " + std::string(pictor_version_string()) + " speaks ABI " +
                        std::to_string(library >> 8) + ", this host was built for ABI " +
                        std::to_string(PICTOR_ABI_VERSION >> 8) + ": rebuild the host");
}

// ---- helpers -----------------------------------------------------------------------------

inline pictor_client_config default_config() {
    pictor_client_config config;
    check(pictor_client_config_init(&config));
    return config;
}

inline pictor_request make_request(const char *prompt) {
    pictor_request request;
    check(pictor_request_init(&request));
    request.prompt = prompt;
    return request;
}

// F: bool(const pictor_progress &), true to cancel; it must outlive the call. An exception
// from it cancels the call instead of unwinding through the library's C frames.
template <typename F> void set_progress(pictor_request &request, F &callback) {
    request.progress = [](const pictor_progress *progress, void *user) noexcept -> int {
        try {
            return (*static_cast<F *>(user))(*progress) ? 1 : 0;
        } catch (...) {
            return 1;
        }
    };
    request.progress_user_data = &callback;
}

inline client_ptr make_client(const pictor_client_config &config) {
    pictor_client *client = nullptr;
    check(pictor_client_create(&config, &client));
    return client_ptr(client);
}
inline client_ptr make_client() { return make_client(default_config()); }

inline result_ptr generate(pictor_client *client, const pictor_request &request) {
    pictor_result *result = nullptr;
    check(pictor_generate(client, &request, &result), client);
    return result_ptr(result);
}
inline result_ptr generate(const client_ptr &client, const pictor_request &request) {
    return generate(client.get(), request);
}

inline result_ptr edit(pictor_client *client, const pictor_request &request) {
    pictor_result *result = nullptr;
    check(pictor_edit(client, &request, &result), client);
    return result_ptr(result);
}
inline result_ptr edit(const client_ptr &client, const pictor_request &request) {
    return edit(client.get(), request);
}

inline image_ptr decode(const uint8_t *data, std::size_t size, uint64_t max_pixels = 0) {
    pictor_image *image = nullptr;
    check(pictor_decode_image(data, size, max_pixels, &image));
    return image_ptr(image);
}
inline image_ptr decode(const std::vector<uint8_t> &bytes, uint64_t max_pixels = 0) {
    return decode(bytes.data(), bytes.size(), max_pixels);
}

struct encoded { buffer_ptr data; std::size_t size = 0; };
// format: "png" | "jpeg" | "webp"; quality -1: the library's default.
inline encoded encode(const pictor_image *image, const char *format, int quality = -1) {
    uint8_t *data = nullptr;
    encoded out;
    check(pictor_image_encode(image, format, quality, &data, &out.size));
    out.data.reset(data);
    return out;
}

// ---- the host seam -------------------------------------------------------------------------

// Options for `command` with the library's defaults (grow / feather / context -1); `request`
// must outlive pictor_job_start (it is copied there).
inline pictor_command_options make_command_options(pictor_command command, const pictor_request &request,
                                                   int32_t layer) {
    pictor_command_options options;
    check(pictor_command_options_init(&options));
    options.command = command;
    options.request = &request;
    options.layer = layer;
    return options;
}

// Reads the host's document on this thread and starts the job; throws pictor::error (with the
// client's last error) when it cannot start. Nothing was sent then.
inline job_ptr start_job(pictor_client *client, const pictor_host &host, const pictor_command_options &options) {
    pictor_job *job = nullptr;
    check(pictor_job_start(client, &host, &options, &job), client);
    return job_ptr(job);
}
inline job_ptr start_job(const client_ptr &client, const pictor_host &host, const pictor_command_options &options) {
    return start_job(client.get(), host, options);
}

// Dispatches until the job ends; throws pictor::error with the job's error if it failed.
inline void wait_for(const job_ptr &job) {
    pictor_status status = pictor_job_wait(job.get());
    if (status != PICTOR_OK)
        throw error(status, pictor_job_error(job.get()));
}

// Every profile found, as the library's JSON array text.
inline std::string list_profiles(const char *profile_dir = nullptr) {
    char *json = nullptr;
    check(pictor_list_profiles(profile_dir, &json));
    string_ptr owned(json);
    return owned ? std::string(owned.get()) : std::string();
}

} // namespace pictor

#endif // PICTOR_PICTOR_HPP
