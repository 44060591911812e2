// The whole way of one request: validate against the profile, send (with honest retries and
// parallel variations), read the answer, fetch url images, write every image to history,
// decode. The C ABI's pictor_client wraps one of these.
#pragma once

#include <string.h> // explicit_bzero

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http_exchange.hpp"

#include "api/gateway_profile.hpp"
#include "api/image_request.hpp"
#include "api/paid_image.hpp"
#include "api/request_plan.hpp"
#include "image/image_format.hpp"
#include "library_limits.hpp"
#include "image/rgba_image.hpp"
#include "store/client_settings.hpp"

namespace pictor {

enum class LogLevel { error = 0, warning = 1, info = 2, trace = 3 };
using LogFn = std::function<void(LogLevel, const std::string &)>;

struct ClientOptions {
    ClientSettings settings; // as given by the host; resolved by the client
    bool use_environment = true;
    std::string profile_dir;
    // Non-empty: exactly these profile folders (pictor-request-runner gets its host's, found
    // from the host's library and environment), instead of ProfileCatalog::standard.
    std::vector<std::string> profile_folders;
    double connect_timeout_s = library_limits::connect_timeout_s;
    uint64_t max_response_bytes = library_limits::max_response_bytes;
    uint64_t max_pixels = library_limits::max_pixels;
    int max_retries = library_limits::max_retries;
    LogFn log;
};

struct ImageResult {
    std::vector<ReceivedImage> images;
    nlohmann::json metadata; // see pictor_result_json in pictor.h
};

class ImageClient {
public:
    // Throws Error(invalid_request) for an unknown or broken profile or config.
    explicit ImageClient(ClientOptions options);

    const GatewayProfile &profile() const { return profile_; }
    const std::string &base_url() const { return base_url_; }
    const std::string &model() const { return model_; }
    bool has_api_key() const { return !settings_.api_key.empty(); }
    // Where the key came from ("PICTOR_API_KEY", "the desktop keyring", ...); "" without one.
    const std::string &api_key_source() const { return settings_.api_key_source; }
    const std::string &history_dir() const { return settings_.history_dir; }
    // The options with the settings as resolved (key included), to run the same request in
    // pictor-request-runner; without the log function.
    ClientOptions resolved_options() const {
        ClientOptions o = options_;
        o.settings = settings_;
        if (o.profile_folders.empty())
            o.profile_folders = ProfileCatalog::standard(o.profile_dir).folders();
        o.log = nullptr;
        return o;
    }

    // Validation only; throws Error(invalid_request).
    RequestPlan plan(const ImageRequest &request, bool edit) const;
    // nullopt: the profile states no price for the model.
    std::optional<double> estimate_cost(const ImageRequest &request, bool edit) const;
    // The route with `model`'s entry ("" = the client's model); throws for a model not listed.
    GatewayProfile profile_for(const std::string &model) const { return profile_.for_model(model); }

    // Throws Error when no image arrived. With some of several variations failed, returns the
    // images that came and lists the failures in metadata["errors"].
    ImageResult run(const ImageRequest &request, bool edit);

    // From any thread (or a signal handler): a running call stops within ~100 ms.
    void cancel() noexcept { cancel_.store(true); }

    // The text with the API key (and any credentials in the base URL) replaced by "[redacted]".
    std::string redact(std::string text) const;
    // To the host's log function, redacted.
    void log(LogLevel level, const std::string &line) const;

    ~ImageClient() { explicit_bzero(settings_.api_key.data(), settings_.api_key.size()); }
    ImageClient(const ImageClient &) = delete;
    ImageClient &operator=(const ImageClient &) = delete;

private:
    class PaidRun; // the stages of run(), in image_client.cpp

    // Redacts the secrets from everything a server sent back (headers, body, error text).
    void scrub(net::HttpResponse &response) const;

    ClientOptions options_;
    ClientSettings settings_;
    GatewayProfile profile_;
    std::string base_url_;
    std::string model_;
    std::string url_credentials_; // "user:pass" of the base URL, or ""
    std::atomic<bool> cancel_{false};
};

} // namespace pictor
