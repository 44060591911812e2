#include "store/history_catalog.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "error.hpp"
#include "store/history_thumbnail.hpp"

namespace pictor {
namespace {

bool ends_with(const std::string &text, const std::string &suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// History ids are made of these only; anything else in the folder is not ours.
bool is_id_text(const std::string &text) {
    return !text.empty() && text.size() < 128 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    });
}

// "2026-11-21T15:30:12Z": the sidecar's, else read from an id "20261121-153012-...".
std::string sort_time(const HistoryRecord &record) {
    if (!record.sidecar.time.empty())
        return record.sidecar.time;
    const std::string &id = record.id;
    if (id.size() >= 15 && id[8] == '-')
        return id.substr(0, 4) + "-" + id.substr(4, 2) + "-" + id.substr(6, 2) + "T" + id.substr(9, 2) + ":" +
               id.substr(11, 2) + ":" + id.substr(13, 2) + "Z";
    return "";
}

char fold(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool contains_folded(const std::string &text, const std::string &needle) {
    return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                       [](char a, char b) { return fold(a) == fold(b); }) != text.end();
}

void remove_file(const std::string &path) {
    if (!path.empty() && std::remove(path.c_str()) != 0 && errno != ENOENT)
        throw Error(ErrorKind::io, "cannot delete " + path + ": " + std::strerror(errno));
}

} // namespace

std::vector<HistoryRecord> list_history(const std::string &directory) {
    DIR *dir = opendir(directory.c_str());
    if (!dir) {
        if (errno == ENOENT)
            return {};
        throw Error(ErrorKind::io, "cannot read the history folder " + directory + ": " + std::strerror(errno));
    }
    std::map<std::string, HistoryRecord> by_id;
    while (const dirent *item = readdir(dir)) {
        std::string name = item->d_name;
        if (name.find(".tmp-") != std::string::npos) // a write that never finished
            continue;
        auto dot = name.rfind('.');
        if (dot == std::string::npos || dot == 0)
            continue;
        std::string id = name.substr(0, dot);
        if (!is_id_text(id))
            continue;
        HistoryRecord &record = by_id[id];
        record.id = id;
        if (ends_with(name, ".json"))
            record.sidecar_path = directory + "/" + name;
        else
            record.image_path = directory + "/" + name;
    }
    closedir(dir);

    std::vector<HistoryRecord> records;
    for (auto &[id, record] : by_id) {
        // A broken sidecar is listed anyway, with what is known: it must not hide the image.
        if (!record.sidecar_path.empty()) {
            std::optional<HistorySidecar> sidecar = read_history_sidecar(record.sidecar_path);
            record.sidecar_read = sidecar.has_value();
            record.sidecar = sidecar.value_or(HistorySidecar{});
        }
        // A sidecar names its image; trust it over a stray file with the same stem.
        const std::string &image_file = record.sidecar.image_file;
        if (!image_file.empty() && image_file.find('/') == std::string::npos)
            record.image_path = directory + "/" + image_file;
        struct stat info {};
        const std::string &file = record.image_path.empty() ? record.sidecar_path : record.image_path;
        if (stat(file.c_str(), &info) == 0)
            record.written_ns = int64_t(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
        records.push_back(std::move(record));
    }
    // Oldest first, by the sidecar's time, else the time the id begins with; within one second
    // by when the file was written.
    std::stable_sort(records.begin(), records.end(), [](const HistoryRecord &a, const HistoryRecord &b) {
        std::string ta = sort_time(a), tb = sort_time(b);
        if (ta != tb)
            return ta < tb;
        return a.written_ns != b.written_ns ? a.written_ns < b.written_ns : a.id < b.id;
    });
    return records;
}

HistoryRecord find_history_entry(const std::string &directory, const std::string &id) {
    if (!is_id_text(id))
        throw Error(ErrorKind::invalid_request,
                    "\"" + id + "\" is not a history id; `pictor history list` shows them (first column)");
    std::vector<HistoryRecord> matches;
    for (auto &record : list_history(directory)) {
        if (record.id == id)
            return record;
        if (record.id.compare(0, id.size(), id) == 0)
            matches.push_back(std::move(record));
    }
    if (matches.size() == 1)
        return matches[0];
    throw Error(ErrorKind::invalid_request,
                matches.empty() ? "no history entry " + id + " in " + directory +
                                      "; `pictor history list` shows the entries there"
                                : "\"" + id + "\" matches " + std::to_string(matches.size()) +
                                      " history entries; give more of the id");
}

std::vector<HistoryRecord> search_history(const std::string &directory, const std::string &text, size_t limit) {
    std::vector<HistoryRecord> all = list_history(directory);
    std::vector<HistoryRecord> found;
    for (auto it = all.rbegin(); it != all.rend() && (limit == 0 || found.size() < limit); ++it)
        if (text.empty() || contains_folded(it->sidecar.prompt, text) || it->id.compare(0, text.size(), text) == 0)
            found.push_back(std::move(*it));
    return found;
}

HistoryRecord delete_history_entry(const std::string &directory, const std::string &id) {
    HistoryRecord record = find_history_entry(directory, id);
    remove_file(record.image_path);
    remove_file(history_thumbnail_path(directory, record.id));
    remove_file(record.sidecar_path);
    return record;
}

} // namespace pictor
