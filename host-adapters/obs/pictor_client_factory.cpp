#include "pictor_client_factory.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

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
    return client;
}

} // namespace pictor_obs
