#include "failure_report.hpp"

#include <cstdio>

#include "json_output.hpp"

namespace pictor_cli {

namespace {
bool mentions(const std::string &text, const std::string &word) {
    return !word.empty() && text.find(word) != std::string::npos;
}

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
    // The server keeps generating after the client hangs up, and bills it: say so whenever the
    // request got out, however the waiting ended.
    const bool billable = failure.may_be_billed ||
                          (failure.status == PICTOR_ERR_CANCELLED && failure.request_sent);
    std::string line = "pictor: ";
    if (failure.status == PICTOR_ERR_CANCELLED) {
        // The request went on without pictor (pictor-request-runner), or its image was kept
        // before the cancel landed: the library's message says where the image is or will be.
        if (mentions(failure.message, "history")) {
            line += "interrupted: " + in_cli_words(failure.message);
            return line;
        }
        line += billable ? "interrupted: the request was abandoned, but the server may still bill it"
                         : "interrupted before the request was sent; nothing is billed";
        return line;
    }
    line += in_cli_words(failure.message);
    if (billable && !mentions(failure.message, "bill"))
        line += "; the server may still bill this request";
    // Support desks ask for it; the library's message may already carry it.
    if (!failure.request_id.empty() && !mentions(failure.message, failure.request_id))
        line += " (request id " + failure.request_id + ")";
    return line;
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
