#include "failure_report.hpp"

#include <cstdio>

#include "json_output.hpp"

namespace pictor_cli {

namespace {
// The library names the request field to change, in quotes ("output_format"); the command line
// says it with its own option.
struct FieldFlag {
    const char *field;
    const char *flag;
};
constexpr FieldFlag kFieldFlags[] = {
    {"\"size\"", "--size"},
    {"\"quality\"", "--quality"},
    {"\"output_format\"", "--format"},
    {"\"output_compression\"", "--compression"},
    {"\"moderation\"", "--moderation"},
    {"\"background\"", "--background"},
    {"\"timeout_s\"", "--timeout"},
    {"\"max_cost_usd\"", "--max-cost or max_cost_usd in the config file"},
};
} // namespace

std::string in_cli_words(std::string message) {
    for (const FieldFlag &entry : kFieldFlags) {
        const std::string field = entry.field;
        for (size_t at = message.find(field); at != std::string::npos; at = message.find(field, at))
            message.replace(at, field.size(), entry.flag);
    }
    return message;
}

std::string failure_line(const Failure &failure) {
    // The library's message already ends with whether the request may still be billed and its
    // request id (pictor_error.message, worded from the fields once); the command line's own
    // failures say what applies in their text.
    return "pictor: " + in_cli_words(failure.message);
}

int report_failure(const Failure &failure, bool json, ProgressLine &line) {
    line.print_above(failure_line(failure));
    if (json) {
        std::fputs((failure_json(failure) + "\n").c_str(), stdout);
        std::fflush(stdout);
    }
    return exit_status_for(failure);
}

} // namespace pictor_cli
