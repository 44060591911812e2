#include "exit_status.hpp"

#include <utility>

namespace pictor_cli {

namespace {
std::string or_empty(const char *text) { return text ? text : ""; }
} // namespace

Failure Failure::from_library(pictor_status returned, const pictor_error &error) {
    Failure failure;
    failure.status = error.status != PICTOR_OK ? error.status : returned;
    failure.message = or_empty(error.message);
    if (failure.message.empty()) failure.message = or_empty(pictor_status_string(failure.status));
    failure.code = or_empty(error.code);
    failure.request_id = or_empty(error.request_id);
    failure.http_status = error.http_status;
    failure.request_sent = error.request_sent != 0;
    failure.may_be_billed = error.may_be_billed != 0;
    return failure;
}

Failure Failure::local(pictor_status status, std::string message) {
    Failure failure;
    failure.status = status;
    failure.message = std::move(message);
    return failure;
}

int exit_status_for(const Failure &failure) {
    if (failure.status == PICTOR_ERR_CANCELLED) return kExitInterrupted;
    if (failure.status == PICTOR_ERR_INVALID_ARGUMENT) return kExitUsage;
    // Refused before anything left this machine: the user must change the command, and a retry
    // as-is would fail the same way. The same status after sending is the server's answer.
    if (!failure.request_sent &&
        (failure.status == PICTOR_ERR_INVALID_REQUEST || failure.status == PICTOR_ERR_AUTH)) {
        return kExitUsage;
    }
    return kExitFailure;
}

} // namespace pictor_cli
