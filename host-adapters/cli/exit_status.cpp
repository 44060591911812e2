#include "exit_status.hpp"

#include <utility>

#include <pictor/pictor.hpp>

namespace pictor_cli {

Failure Failure::from_library(pictor_status returned, const pictor_error &detail) {
    // pictor::error reads only the fields the library's struct_size says it filled.
    const pictor::error error(detail.status != PICTOR_OK ? detail.status : returned, &detail);
    Failure failure;
    failure.status = error.status();
    failure.message = error.message().empty() ? error.kind() : error.message();
    failure.code = error.code();
    failure.request_id = error.request_id();
    failure.http_status = error.http_status();
    failure.request_sent = error.request_sent();
    failure.may_be_billed = error.may_be_billed();
    if (!error.history_path().empty()) failure.history.push_back(error.history_path());
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
