// The one JSON object --json prints on stdout.
#pragma once

#include <string>
#include <vector>

#include "exit_status.hpp"

namespace pictor_cli {

// {"files": [...], then every field of pictor_result_json() (profile, model, size, usage,
// request_ids, cost_usd_estimate, history, timings_ms, errors)}.
std::string success_json(const std::vector<std::string> &files, const char *result_json);

// The messages of the variations that failed, from pictor_result_json()'s "errors".
std::vector<std::string> result_error_messages(const char *result_json);
// The result's "warnings" (e.g. the history folder could not be written).
std::vector<std::string> result_warnings(const char *result_json);

// {"error": {"kind", "status", "code", "message", "request_id", "may_be_billed", "history"}};
// status is the HTTP status, 0 when there was none; history lists the received images' files.
std::string failure_json(const Failure &failure);

} // namespace pictor_cli
