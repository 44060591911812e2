#include "store/history_store.hpp"

#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <random>

#include "error.hpp"

#include "store/durable_file.hpp"

namespace pictor {
namespace {

std::string timestamp(const char *format, std::time_t now) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof text, format, &utc);
    return text;
}

std::string random_tag() {
    static thread_local std::mt19937 random{std::random_device{}()};
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string tag;
    for (int i = 0; i < 6; ++i)
        tag += digits[random() % 36];
    return tag;
}

} // namespace

HistoryStore::HistoryStore(std::string directory) : directory_(std::move(directory)) {}

HistoryEntry HistoryStore::save(const std::string &encoded_image, const std::string &extension,
                                HistorySidecar sidecar) {
    // 0700: prompts and images are private to the user.
    make_directories(directory_, 0700);
    std::time_t now = std::time(nullptr);
    HistoryEntry entry;
    entry.id = timestamp("%Y%m%d-%H%M%S", now) + "-" + random_tag() + "-" + std::to_string(sidecar.index);
    entry.image_path = directory_ + "/" + entry.id + extension;
    entry.sidecar_path = directory_ + "/" + entry.id + ".json";

    write_file_durably(entry.image_path, encoded_image, 0600);
    sidecar.id = entry.id;
    sidecar.image_file = entry.id + extension;
    sidecar.time = timestamp("%Y-%m-%dT%H:%M:%SZ", now);
    write_history_sidecar(entry.sidecar_path, sidecar);
    return entry;
}

void HistoryStore::check_writable() const {
    try {
        make_directories(directory_, 0700);
        // A real byte written: a full disk accepts an empty file.
        std::string probe = directory_ + "/.write-check-" + random_tag();
        write_file_durably(probe, "-", 0600);
        std::remove(probe.c_str());
    } catch (const Error &e) {
        ErrorInfo info;
        info.kind = ErrorKind::io;
        info.message = std::string("The history folder cannot be written (") + e.what() +
                       "), and every image is kept there before anything else. Nothing was sent, so "
                       "nothing is billed. Free some disk space, or set history_dir in the config (or "
                       "PICTOR_HISTORY_DIR) to a writable folder.";
        throw Error(info);
    }
}

} // namespace pictor
