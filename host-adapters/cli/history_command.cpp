#include "history_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>
#include <pictor/pictor.hpp>

#include "exit_status.hpp"
#include "failure_report.hpp"
#include "output_files.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

namespace {

const char kHistoryHelp[] =
    "usage: pictor history list [--search TEXT] [--limit N] [--json] [--dir DIR]\n"
    "       pictor history show ID [--json] [--dir DIR]\n"
    "       pictor history export ID -o FILE [--dir DIR]\n"
    "       pictor history deliver ID -o FILE [--dir DIR]\n"
    "       pictor history delete ID [--yes] [--dir DIR]\n"
    "\n"
    "Every image a gateway sent is kept in the history folder before anything else happens\n"
    "($PICTOR_HISTORY_DIR, else $XDG_DATA_HOME/pictor/history), so a crash or a failed -o\n"
    "loses nothing.\n"
    "\n"
    "  list     one entry per line, oldest first: id, time (UTC), profile, size, prompt,\n"
    "           separated by tabs; --json prints the entries as one JSON array\n"
    "  --search only the entries whose prompt contains TEXT (any case), or whose id starts\n"
    "           with it\n"
    "  --limit  only the N newest entries (still printed oldest first)\n"
    "  show     everything known about entry ID: its files, and all that was asked and\n"
    "           answered (profile, model, size, quality, cost estimate, request id...)\n"
    "  export   writes entry ID (or a unique start of it) to FILE: the bytes as received, or\n"
    "           converted when FILE's extension names another format\n"
    "  deliver  as export, for an image that arrived after pictor stopped waiting (the\n"
    "           terminal closed, Ctrl-C, pictor killed): list shows those with a sixth\n"
    "           column, \"not yet delivered\"; deliver (and export) clears it\n"
    "  delete   removes entry ID (image, thumbnail and metadata) for good, after asking;\n"
    "           --yes deletes without asking (needed when stdin is not a terminal)\n"
    "  --dir    another history folder\n";

int usage_error(const std::string &message) {
    std::fprintf(stderr, "pictor: %s\n", message.c_str());
    std::fputs("usage: pictor history list|show|export|delete ... (see pictor history --help)\n", stderr);
    return kExitUsage;
}

int library_failure(pictor_status status) {
    ProgressLine line(stderr, false);
    Failure failure = Failure::from_library(status, *pictor_thread_last_error());
    // Reading local files never sends anything: a missing entry is a usage problem, not a bill.
    return report_failure(failure, false, line);
}

// Tabs and line breaks inside a prompt would break the one-entry-per-line promise.
std::string one_line(std::string text) {
    for (char &c : text)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return text;
}

std::string field(const nlohmann::json &entry, const char *key) {
    auto it = entry.find(key);
    std::string value = it != entry.end() && it->is_string() ? it->get<std::string>() : "";
    return value.empty() ? "-" : one_line(value);
}

// --search / --limit: the newest matches, turned back to oldest first like the whole list.
int list_entries(const char *dir, bool json, const std::string *search, size_t limit) {
    char *raw = nullptr;
    pictor_status status = search || limit ? pictor_history_search(dir, search ? search->c_str() : "", limit, &raw)
                                           : pictor_history_list(dir, &raw);
    if (status != PICTOR_OK) return library_failure(status);
    pictor::string_ptr text(raw);
    nlohmann::json entries = nlohmann::json::parse(text.get());
    if (search || limit)
        std::reverse(entries.begin(), entries.end());
    if (json) {
        std::printf("%s\n", entries.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return kExitSuccess;
    }
    size_t undelivered = 0;
    for (const auto &entry : entries) {
        const bool delivered = entry.value("delivered", true);
        undelivered += delivered ? 0 : 1;
        std::printf("%s\t%s\t%s\t%s\t%s%s\n", field(entry, "id").c_str(), field(entry, "time").c_str(),
                    field(entry, "profile").c_str(), field(entry, "size").c_str(),
                    field(entry, "prompt").c_str(), delivered ? "" : "\tnot yet delivered");
    }
    if (undelivered > 0)
        std::fprintf(stderr, "pictor: %zu paid image(s) arrived after pictor stopped waiting: "
                             "pictor history deliver ID -o FILE\n", undelivered);
    if (entries.empty())
        std::fprintf(stderr, search || limit ? "pictor: no history entry matches\n" : "pictor: the history is empty\n");
    return kExitSuccess;
}

std::string shown_value(const nlohmann::json &value) {
    if (value.is_string()) return one_line(value.get<std::string>());
    if (value.is_null()) return "-";
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Every key of the entry, then what its sidecar holds besides: one "key: value" a line.
int show_entry(const char *dir, const std::string &id, bool json) {
    char *raw = nullptr;
    pictor_status status = pictor_history_entry(dir, id.c_str(), &raw);
    if (status != PICTOR_OK) return library_failure(status);
    pictor::string_ptr text(raw);
    if (json) {
        std::printf("%s\n", text.get());
        return kExitSuccess;
    }
    nlohmann::json entry = nlohmann::json::parse(text.get());
    nlohmann::json sidecar = entry["sidecar"];
    entry.erase("sidecar");
    for (const auto &[key, value] : entry.items())
        std::printf("%s: %s\n", key.c_str(), shown_value(value).c_str());
    for (const auto &[key, value] : sidecar.items())
        if (!entry.contains(key))
            std::printf("%s: %s\n", key.c_str(), shown_value(value).c_str());
    return kExitSuccess;
}

int delete_entry(const char *dir, const std::string &id, bool yes) {
    if (!yes) {
        if (!isatty(STDIN_FILENO))
            return usage_error("history delete asks before it deletes a paid image, and stdin is not a "
                               "terminal: add --yes to delete " + id);
        char *raw = nullptr;
        pictor_status status = pictor_history_entry(dir, id.c_str(), &raw);
        if (status != PICTOR_OK) return library_failure(status);
        nlohmann::json entry = nlohmann::json::parse(pictor::string_ptr(raw).get());
        std::fprintf(stderr, "Delete history entry %s (\"%s\")? Its image was paid for and cannot be "
                             "brought back. [y/N] ",
                     entry.value("id", id).c_str(), one_line(entry.value("prompt", "")).c_str());
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "y" && answer != "Y" && answer != "yes") {
            std::fprintf(stderr, "pictor: nothing deleted\n");
            return kExitSuccess;
        }
    }
    pictor_status status = pictor_history_delete(dir, id.c_str());
    if (status != PICTOR_OK) return library_failure(status);
    std::printf("deleted %s\n", id.c_str());
    return kExitSuccess;
}

int export_entry(const char *dir, const std::string &id, const std::string &output) {
    std::string folder_error = check_output_folder(output);
    if (!folder_error.empty()) return usage_error("cannot write -o " + output + ": " + folder_error);
    pictor_image *raw = nullptr;
    pictor_status status = pictor_history_load(dir, id.c_str(), 0, &raw);
    if (status != PICTOR_OK) return library_failure(status);
    pictor::image_ptr image(raw);
    std::string error = write_image(image.get(), output, -1, &status);
    if (!error.empty()) {
        ProgressLine line(stderr, false);
        return report_failure(Failure::local(status, error), false, line);
    }
    // Written where the user asked: no longer waiting for delivery.
    if (pictor_history_mark_delivered(dir, id.c_str()) != PICTOR_OK)
        std::fprintf(stderr, "pictor: warning: %s\n", pictor_thread_last_error()->message);
    std::printf("%s\n", output.c_str());
    return kExitSuccess;
}

} // namespace

int run_history(const std::vector<std::string> &args) {
    if (args.empty()) return usage_error("history needs a subcommand: list, show, export or delete");
    std::string action = args[0];
    if (action == "--help" || action == "-h") {
        std::fputs(kHistoryHelp, stdout);
        return kExitSuccess;
    }
    std::string dir, output, id, search;
    bool json = false, yes = false, searching = false;
    size_t limit = 0;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string &arg = args[i];
        auto value = [&]() -> const std::string * { return i + 1 < args.size() ? &args[++i] : nullptr; };
        if (arg == "--help" || arg == "-h") {
            std::fputs(kHistoryHelp, stdout);
            return kExitSuccess;
        } else if (arg == "--json") {
            json = true;
        } else if (arg == "--yes" || arg == "-y") {
            yes = true;
        } else if (arg == "--search" || arg == "--limit") {
            const std::string *v = value();
            if (!v) return usage_error(arg + " needs a value");
            if (arg == "--search") {
                search = *v;
                searching = true;
            } else {
                char *end = nullptr;
                long n = std::strtol(v->c_str(), &end, 10);
                if (v->empty() || *end || n < 1) return usage_error("--limit takes a whole number of 1 or more, not " + *v);
                limit = size_t(n);
            }
        } else if (arg == "--dir" || arg == "-o" || arg == "--output") {
            const std::string *v = value();
            if (!v) return usage_error(arg + " needs a value");
            (arg == "--dir" ? dir : output) = *v;
        } else if (!arg.empty() && arg[0] == '-') {
            return usage_error("unknown option " + arg + " for history " + action);
        } else if (id.empty()) {
            id = arg;
        } else {
            return usage_error("unexpected argument " + arg);
        }
    }
    const char *dir_or_default = dir.empty() ? nullptr : dir.c_str();
    if (action == "list") {
        if (!id.empty()) return usage_error("history list takes no id");
        return list_entries(dir_or_default, json, searching ? &search : nullptr, limit);
    }
    if (action == "show") {
        if (id.empty()) return usage_error("history show needs an ID");
        return show_entry(dir_or_default, id, json);
    }
    if (action == "delete") {
        if (id.empty()) return usage_error("history delete needs an ID");
        return delete_entry(dir_or_default, id, yes);
    }
    if (action == "export" || action == "deliver") {
        if (id.empty() || output.empty()) return usage_error("history " + action + " needs an ID and -o FILE");
        return export_entry(dir_or_default, id, output);
    }
    return usage_error("unknown history subcommand " + action + " (list, show, export or delete)");
}

} // namespace pictor_cli
