#include "client_setup.hpp"

#include <string>

namespace pictor_cli {

namespace {

const char *level_name(pictor_log_level level) {
    switch (level) {
    case PICTOR_LOG_ERROR: return "error";
    case PICTOR_LOG_WARNING: return "warning";
    case PICTOR_LOG_INFO: return "info";
    case PICTOR_LOG_TRACE: return "trace";
    }
    return "log";
}

// The library redacts the key from every line it logs; nothing is added here that could hold it.
void print_log_line(pictor_log_level level, const char *line, void *user_data) {
    static_cast<ProgressLine *>(user_data)->print_above(std::string("pictor: ") + level_name(level) +
                                                        ": " + (line ? line : ""));
}

} // namespace

pictor::client_ptr create_client(const ImageOptions &options, ProgressLine *log_sink, Failure *failure) {
    pictor_client_config config;
    pictor_status status = pictor_client_config_init(&config);
    if (status != PICTOR_OK) {
        *failure = Failure::from_library(status, *pictor_thread_last_error());
        return nullptr;
    }
    config.use_environment = 1;
    config.profile = or_null(options.profile);
    config.base_url = or_null(options.base_url);
    config.model = or_null(options.model);
    // A paid request runs in pictor-request-runner: closing the terminal, Ctrl-C or a kill of
    // pictor does not lose the image the gateway bills (it lands in history, not yet delivered).
    config.run_in_helper = 1;
    config.abandon_on_cancel = options.abandon_on_cancel ? 1 : 0;
    if (options.verbose && log_sink) {
        config.log = print_log_line;
        config.log_user_data = log_sink;
    }
    pictor_client *client = nullptr;
    status = pictor_client_create(&config, &client);
    if (status != PICTOR_OK || !client) {
        *failure = Failure::from_library(status != PICTOR_OK ? status : PICTOR_ERR_INTERNAL,
                                         *pictor_thread_last_error());
        return nullptr;
    }
    return pictor::client_ptr(client);
}

} // namespace pictor_cli
