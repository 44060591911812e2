// What the extern "C" shims (pictor.cpp, pictor_job.cpp) share: the storage behind a
// pictor_error, the exception barrier every entry point sits in, the pictor_client handle and
// the request conversion. Internal; never installed.
#pragma once

#include <pictor/pictor.h>

#include <atomic>
#include <memory>
#include <new>
#include <string>

#include "api/image_client.hpp"
#include "error.hpp"

namespace pictor_shim {

// The storage behind a pictor_error the host reads.
struct ErrorSlot {
    pictor_error view{};
    // message: the core's, as the ErrorInfo holds it; text: what view.message shows, the same
    // with the billing note and request id (pictor::user_message, their one wording).
    std::string message, text, code, request_id, history_path;

    ErrorSlot() { clear(); }

    void clear() noexcept {
        message.clear();
        text.clear();
        code.clear();
        request_id.clear();
        history_path.clear();
        fill(PICTOR_OK, 0, false, false);
    }

    void set(const pictor::ErrorInfo &info) noexcept {
        try {
            message = info.message;
            text = pictor::user_message(info);
            code = info.code;
            request_id = info.request_id;
            history_path = info.history_path;
        } catch (...) {
            message.clear(); // out of memory while copying: the status still tells
            text.clear();
        }
        fill(pictor_status(info.kind), info.http_status, info.request_sent, info.may_be_billed);
    }

    void fill(pictor_status status, int http_status, bool sent, bool billed) noexcept {
        view.struct_size = sizeof(pictor_error);
        view.status = status;
        view.kind = pictor_status_string(status);
        view.message = text.c_str();
        view.code = code.c_str();
        view.request_id = request_id.c_str();
        view.history_path = history_path.c_str();
        view.http_status = http_status;
        view.request_sent = sent;
        view.may_be_billed = billed;
    }
};

// pictor_thread_last_error()'s slot: one per thread, shared by every shim file.
inline ErrorSlot &thread_error() {
    thread_local ErrorSlot slot;
    return slot;
}

// Runs body; whatever it throws becomes the status and the slot's error.
template <typename Body>
pictor_status barrier(ErrorSlot &slot, Body &&body) noexcept {
    using pictor::Error;
    using pictor::ErrorInfo;
    using pictor::ErrorKind;
    try {
        body();
        slot.clear();
        return PICTOR_OK;
    } catch (const Error &e) {
        slot.set(e.info());
        return pictor_status(e.kind());
    } catch (const std::bad_alloc &) {
        slot.set(ErrorInfo{ErrorKind::no_memory, "out of memory"});
        return PICTOR_ERR_NO_MEMORY;
    } catch (const std::exception &e) {
        slot.set(ErrorInfo{ErrorKind::internal, std::string("internal error: ") + e.what()});
        return PICTOR_ERR_INTERNAL;
    } catch (...) {
        slot.set(ErrorInfo{ErrorKind::internal, "internal error"});
        return PICTOR_ERR_INTERNAL;
    }
}

[[noreturn]] inline void invalid(const std::string &message) {
    throw pictor::Error(pictor::ErrorKind::invalid_argument, message);
}

inline bool abi_compatible(int abi_version) { return (abi_version >> 8) == (PICTOR_ABI_VERSION >> 8); }

inline std::string text_or_empty(const char *text) { return text ? text : ""; }

// The core's progress as the pictor_progress a host callback reads (request or job).
inline pictor_progress to_abi_progress(const pictor::Progress &p) noexcept {
    pictor_progress out{};
    out.struct_size = sizeof out;
    out.phase = pictor_phase(p.phase);
    out.elapsed_s = p.elapsed_s;
    out.bytes_sent = p.bytes_sent;
    out.bytes_to_send = p.bytes_to_send;
    out.bytes_received = p.bytes_received;
    out.bytes_to_receive = p.bytes_to_receive;
    out.requests_total = p.requests_total;
    out.requests_done = p.requests_done;
    out.attempt = p.attempt;
    out.retry_in_s = p.retry_in_s;
    return out;
}

// pictor_request -> the core's request (images, mask and the progress callback included).
// Throws Error(invalid_argument) for a request that breaks the API's rules.
pictor::ImageRequest to_core_request(const pictor_request *request);

} // namespace pictor_shim

struct pictor_client {
    std::unique_ptr<pictor::ImageClient> impl;
    pictor_shim::ErrorSlot error;
    std::string profile_json;
    pictor_log_fn log = nullptr;
    void *log_user_data = nullptr;
    // pictor_client_config.run_in_helper / abandon_on_cancel (request_runner_host.cpp).
    bool run_in_helper = false;
    std::atomic<bool> abandon_on_cancel{false}; // pictor_job_abandon sets it while a job runs
    std::atomic<bool> runner_cancel{false};
};

namespace pictor_shim {
// The request run by pictor-request-runner (request_runner_host.cpp); the images come back
// from history. Throws Error like ImageClient::run.
pictor::ImageResult run_in_request_runner(pictor_client &client, pictor::ImageRequest &request, bool edit);
// Whether there is a runner to start (else run_in_request_runner runs the request in-process).
bool request_runner_found();
} // namespace pictor_shim
