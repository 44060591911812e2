// pictor-request-runner: runs one paid request for a host (libpictor starts it with
// posix_spawn and talks to it over stdin/stdout, see core/api/request_runner_protocol.hpp), so
// that what the gateway bills reaches history even when the host goes away: GIMP closed, the
// plug-in killed, the terminal closed. When the host is gone (a write fails, or the result is
// not acknowledged), the runner finishes alone, bounded by the request's timeout, marks the
// images "not yet delivered" in their history sidecars, and exits.
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/image_client.hpp"
#include "api/request_runner_protocol.hpp"
#include "error.hpp"

namespace {

using pictor::runner::read_frame;
using pictor::runner::write_frame;

constexpr int kHostIn = 0, kHostOut = 1;
// How long the runner waits for the host to take the result before calling it undelivered.
constexpr int kReceiptWaitMs = 30000;

struct Runner {
    std::atomic<bool> host_gone{false};
    std::vector<std::string> taken; // images the host took before it stopped waiting
    std::string log_path;

    void send(const nlohmann::json &message) {
        if (host_gone) return;
        if (!write_frame(kHostOut, 'J', message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)))
            host_gone = true;
    }
    void send_blob(const std::string &bytes) {
        if (!host_gone && !write_frame(kHostOut, 'B', bytes)) host_gone = true;
    }
    // Problems nobody is left to see go to a log file beside history.
    void note(const std::string &line) {
        if (log_path.empty()) return;
        if (std::FILE *f = std::fopen(log_path.c_str(), "a")) {
            char stamp[32];
            std::time_t now = std::time(nullptr);
            std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
            std::fprintf(f, "%s pictor-request-runner[%d]: %s\n", stamp, int(getpid()), line.c_str());
            std::fclose(f);
        }
    }
    void mark_undelivered(const std::vector<std::string> &paths) {
        for (const auto &path : paths) {
            if (path.empty()) continue;
            try {
                pictor::runner::mark_history_delivered(path, false);
                note("the host was gone; " + path + " is in history, not yet delivered");
            } catch (const std::exception &e) {
                note(std::string("could not mark ") + path + " as not yet delivered: " + e.what());
            }
        }
    }
};

// Reads the host's "part" (and "abandoned") frames on a thread of its own while the request
// goes out, until every unsealed part is settled; the first other frame is kept for main.
class PartsReader {
public:
    explicit PartsReader(const pictor::runner::UnsealedParts &unsealed) : unsealed_(unsealed) {
        if (!unsealed_.empty())
            thread_ = std::thread([this] { read(); });
    }
    ~PartsReader() { stop(); }
    // Ends the reading (parts not settled by then are abandoned); returns a frame that was not
    // about parts, or "".
    std::string stop() {
        stopping_ = true;
        if (thread_.joinable())
            thread_.join();
        return std::move(other_);
    }

private:
    bool settled() const {
        for (const auto &[fd, spool] : unsealed_)
            if (spool->state() == pictor::net::PartSpool::State::writing) return false;
        return true;
    }
    void abandon_all() {
        for (const auto &[fd, spool] : unsealed_) spool->abandon();
    }
    void read() {
        while (!settled()) {
            char kind = 0;
            std::string frame;
            bool timed_out = false;
            if (!read_frame(kHostIn, &kind, &frame, 100, &timed_out)) {
                if (timed_out && !stopping_) continue;
                break; // the host is gone (or the request ended): what is not whole never will be
            }
            nlohmann::json j = nlohmann::json::parse(frame, nullptr, false);
            const std::string type = kind == 'J' && j.is_object() ? j.value("type", "") : "";
            try {
                if (type == "part" && pictor::runner::seal_from_json(j, unsealed_)) continue;
            } catch (const pictor::Error &) {
                continue; // seal_at abandoned it: the upload is cut short
            }
            if (type == "abandoned") {
                for (const auto &[fd, spool] : unsealed_)
                    if (fd == j.value("fd", -1)) spool->abandon();
                continue;
            }
            other_ = std::move(frame);
            break;
        }
        abandon_all(); // no-op for the sealed ones
    }

    const pictor::runner::UnsealedParts &unsealed_;
    std::atomic<bool> stopping_{false};
    std::string other_;
    std::thread thread_;
};

void wipe(std::string &secret) {
    explicit_bzero(secret.data(), secret.size());
    secret.clear();
}

} // namespace

int main() {
    // The host's end of the terminal and its signals are not ours: a closed terminal (SIGHUP),
    // Ctrl-C in it, or a closed pipe must not stop a paid request.
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    // A grandchild of the host, adopted by init at once: the host reaps its child right away and
    // never leaves a zombie when it stops waiting.
    const pid_t child = fork();
    if (child < 0) return 1;
    if (child > 0) _exit(0);

    Runner runner;
    char kind = 0;
    std::string payload;
    if (!read_frame(kHostIn, &kind, &payload) || kind != 'J') return 2;
    nlohmann::json message = nlohmann::json::parse(payload, nullptr, false);
    wipe(payload); // held the key
    if (!message.is_object() || message.value("type", "") != "request") return 2;
    pictor::ClientOptions options = pictor::runner::options_from_json(message["options"]);
    message["options"]["api_key"] = "";
    const bool edit = message.value("edit", false);
    const size_t blob_count = message.value("blobs", size_t(0));
    std::vector<std::string> blobs;
    for (size_t i = 0; i < blob_count; ++i) {
        std::string blob;
        if (!read_frame(kHostIn, &kind, &blob) || kind != 'B') return 2;
        blobs.push_back(std::move(blob));
    }
    pictor::ImageRequest request;
    pictor::runner::UnsealedParts unsealed;
    try {
        // Spooled parts: the files inherited as fds 3, 4, ..., held open until the request ends.
        request = pictor::runner::request_from_json(message["request"], std::move(blobs), &unsealed);
    } catch (const pictor::Error &e) {
        runner.send({{"type", "error"}, {"error", pictor::runner::error_to_json(e.info())}}); // nothing was sent
        return 2;
    }
    // Beside the history folder, not in it: history lists every file it holds.
    const std::string &history = options.settings.history_dir;
    const size_t slash = history.find_last_of('/', history.size() > 1 ? history.size() - 2 : 0);
    runner.log_path = history.empty() ? "" : (slash == std::string::npos ? "." : history.substr(0, slash)) +
                                                 "/request-runner.log";

    runner.send({{"type", "started"}, {"pid", int(getpid())}});
    // The host stops waiting by going away; the runner never cancels a sent request itself.
    request.progress = [&](const pictor::Progress &p) {
        runner.send(pictor::runner::progress_to_json(p));
        return true;
    };
    if (request.partial_images > 0)
        request.on_partial_image = [&](const pictor::PartialImage &p) {
            runner.send({{"type", "partial"}, {"index", p.index}, {"total", p.total}, {"variation", p.variation}});
            runner.send_blob(p.encoded);
        };
    request.on_saved = [&](const std::string &path, const std::string &request_id) {
        runner.send({{"type", "saved"}, {"history_path", path}, {"request_id", request_id}});
    };
    options.log = [&](pictor::LogLevel level, const std::string &line) {
        runner.send({{"type", "log"}, {"level", int(level)}, {"line", line}});
        if (runner.host_gone && level <= pictor::LogLevel::warning) runner.note(line); // lines come redacted
    };

    // Parts the host is still encoding are sealed by its "part" frames while the request goes
    // out; a host gone before they are whole abandons them, so nothing whole is sent.
    PartsReader parts_reader(unsealed);
    std::vector<std::string> kept;
    int status = 0;
    std::unique_ptr<pictor::ImageClient> client;
    try {
        client = std::make_unique<pictor::ImageClient>(options);
        wipe(options.settings.api_key);
        // A backstop past the request's own bound (its timeout covers retries and waits).
        alarm(unsigned(client->plan(request, edit).timeout_s) + 120);
        pictor::ImageResult result = client->run(request, edit);
        nlohmann::json images = nlohmann::json::array();
        for (const auto &image : result.images) {
            images.push_back({{"history_path", image.history_path},
                              {"request_id", image.request_id},
                              {"inline", image.history_path.empty()}});
            kept.push_back(image.history_path);
        }
        runner.send({{"type", "result"}, {"metadata", result.metadata}, {"images", images}});
        for (const auto &image : result.images)
            if (image.history_path.empty()) runner.send_blob(image.encoded); // history could not keep it
    } catch (const pictor::Error &e) {
        pictor::ErrorInfo info = e.info();
        kept.push_back(info.history_path);
        runner.send({{"type", "error"}, {"error", pictor::runner::error_to_json(info)}});
        if (runner.host_gone) runner.note(info.message);
        status = 1;
    } catch (const std::exception &e) {
        runner.send({{"type", "error"},
                     {"error", pictor::runner::error_to_json({pictor::ErrorKind::internal, e.what()})}});
        runner.note(e.what());
        status = 1;
    }
    wipe(options.settings.api_key);
    client.reset(); // wipes its copy of the key
    std::string next_reply = parts_reader.stop();
    // Delivered only when the host says it took the result.
    // What the host left in the pipe: its receipt, or the images it took before it stopped
    // waiting. Waited for only while the host is there.
    bool received = false;
    for (std::string reply; !received;) {
        if (!next_reply.empty())
            reply = std::move(next_reply);
        else if (!read_frame(kHostIn, &kind, &reply, runner.host_gone ? 0 : kReceiptWaitMs) || kind != 'J')
            break;
        nlohmann::json j = nlohmann::json::parse(reply, nullptr, false);
        if (!j.is_object()) break;
        received = j.value("type", "") == "received";
        if (j.value("type", "") == "taken")
            runner.taken = j.value("history_paths", std::vector<std::string>());
    }
    if (!received) {
        // A host that stopped waiting took the images that had come by then.
        std::vector<std::string> left;
        for (const auto &path : kept)
            if (std::find(runner.taken.begin(), runner.taken.end(), path) == runner.taken.end()) left.push_back(path);
        runner.mark_undelivered(left);
    }
    return status;
}
