// The client an image command talks through: the user's --profile / --base-url / --model, and
// --verbose's trace. Key, URL and profile otherwise come from the library's own resolution
// (environment, config file, profile defaults), the same for every host.
#pragma once

#include <pictor/pictor.hpp>

#include "cli_options.hpp"
#include "exit_status.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

// log_sink receives the trace lines when options.verbose; it must outlive the client.
// On failure returns nullptr and fills *failure.
pictor::client_ptr create_client(const ImageOptions &options, ProgressLine *log_sink, Failure *failure);

} // namespace pictor_cli
