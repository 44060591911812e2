// Telling the user a command failed: one line on stderr saying what happened and what to do,
// and with --json the error object on stdout.
#pragma once

#include "exit_status.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

// Prints the failure and returns the exit status for it.
int report_failure(const Failure &failure, bool json, ProgressLine &line);

// A library message in the command line's words: the request fields it names become options.
std::string in_cli_words(std::string message);

// The stderr line, "pictor: ..." without a newline.
std::string failure_line(const Failure &failure);

} // namespace pictor_cli
