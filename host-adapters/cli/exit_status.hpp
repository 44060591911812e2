// The exit statuses users' scripts branch on, and the rule that picks one for a failure.
#pragma once

#include <string>
#include <vector>

#include <pictor/pictor.h>

namespace pictor_cli {

enum ExitStatus : int {
    kExitSuccess = 0,
    kExitFailure = 1,     // anything that went wrong after the request could have been sent
    kExitUsage = 2,       // bad options, missing key, refused by validation: nothing was sent
    kExitInterrupted = 130 // Ctrl-C, as a shell reports a process killed by SIGINT
};

// One failure, from the library (pictor_error) or from the CLI itself (options, files).
struct Failure {
    pictor_status status = PICTOR_ERR_INTERNAL;
    std::string message;     // what happened and what to do, without the "pictor: " prefix
    std::string code;        // the server's error code, "" if none
    std::string request_id;  // "" if none
    int http_status = 0;     // 0 when no HTTP answer was read
    bool request_sent = false;
    bool may_be_billed = false;
    std::vector<std::string> history; // where received images are kept, when any came
    double cost_usd_estimate = -1;    // what the request was estimated to cost; < 0: not known

    // `returned` is what the failed call returned; it stands in should the error record lack it.
    static Failure from_library(pictor_status returned, const pictor_error &error);
    // A failure found before any request existed: nothing was sent.
    static Failure local(pictor_status status, std::string message);
};

int exit_status_for(const Failure &failure);

} // namespace pictor_cli
