#include "pictor_client_factory.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

#include <mutex>
#include <utility>

namespace pictor_obs {

namespace {

// The library's log goes to OBS's log. Its lines never contain the key (it redacts traces).
void forward_to_obs_log(pictor_log_level level, const char *line, void *) {
    int obs_level = LOG_DEBUG;
    switch (level) {
    case PICTOR_LOG_ERROR: obs_level = LOG_ERROR; break;
    case PICTOR_LOG_WARNING: obs_level = LOG_WARNING; break;
    case PICTOR_LOG_INFO: obs_level = LOG_INFO; break;
    case PICTOR_LOG_TRACE: obs_level = LOG_DEBUG; break;
    }
    blog(obs_level, "[pictor] %s", line);
}

const char *or_null(const std::string &value) { return value.empty() ? nullptr : value.c_str(); }

} // namespace

pictor_client *create_pictor_client(const RequestSpec &spec, std::string &error) {
    pictor_client_config config;
    if (pictor_client_config_init(&config) != PICTOR_OK) {
        error = pictor_thread_last_error()->message;
        return nullptr;
    }
    config.profile = or_null(spec.profile);
    config.base_url = or_null(spec.base_url);
    config.model = or_null(spec.model); // its sizes, qualities and prices in the profile JSON
    config.api_key = nullptr; // always from the shared configuration, never from OBS
    config.use_environment = 1;
    config.log = forward_to_obs_log;
    config.run_in_helper = 1; // a request outlives OBS closing: its image lands in history
    pictor_client *client = nullptr;
    if (pictor_client_create(&config, &client) != PICTOR_OK) {
        error = pictor_thread_last_error()->message;
        return nullptr;
    }
    blog(LOG_DEBUG, "[pictor] client made for profile '%s'", spec.profile.c_str());
    return client;
}

namespace {

// Long enough for one rebuild and its callbacks; short enough that a key stored elsewhere (the
// command line, GIMP) shows in the next rebuild or so.
constexpr std::chrono::seconds route_client_lifetime{3};

std::mutex kept_mutex;
pictor_client *kept_client = nullptr; // guarded by kept_mutex, as the two below
std::string kept_route;
std::chrono::steady_clock::time_point kept_made;

std::string route_of(const RequestSpec &spec) {
    return spec.profile + '\n' + spec.base_url + '\n' + spec.model;
}

} // namespace

RouteClient::RouteClient(const RequestSpec &spec) : route_(route_of(spec)) {
    {
        std::lock_guard<std::mutex> lock(kept_mutex);
        if (kept_client && kept_route == route_ &&
            std::chrono::steady_clock::now() - kept_made < route_client_lifetime) {
            client_ = kept_client;
            made_ = kept_made;
            kept_client = nullptr; // this holder's alone until it gives it back
            return;
        }
    }
    std::string error;
    client_ = create_pictor_client(spec, error);
    made_ = std::chrono::steady_clock::now();
}

RouteClient::~RouteClient() {
    if (!client_)
        return;
    pictor_client *dropped = client_;
    {
        std::lock_guard<std::mutex> lock(kept_mutex);
        if (!kept_client || kept_made < made_) { // the newest stays
            std::swap(dropped, kept_client);
            kept_route = route_;
            kept_made = made_;
        }
    }
    pictor_client_destroy(dropped); // NULL or the older one
}

void forget_route_client() {
    pictor_client *dropped = nullptr;
    {
        std::lock_guard<std::mutex> lock(kept_mutex);
        std::swap(dropped, kept_client);
    }
    pictor_client_destroy(dropped);
}

} // namespace pictor_obs
