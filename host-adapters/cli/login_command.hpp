// `pictor login`: keep the API key where later runs (and GIMP, OBS) find it, so it needs to
// be in no shell history, script or environment.
#pragma once

#include <string>
#include <vector>

namespace pictor_cli {

// Reads the key from stdin (a terminal: asked for without echo). Returns the exit status.
int run_login(const std::vector<std::string> &args);

} // namespace pictor_cli
