// The host's side of pictor-request-runner: starts it (posix_spawn, its own session, an
// environment without the key), hands it the request over a pipe, relays its progress and
// previews, and builds the result from the images it wrote to history.
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/request_runner_protocol.hpp"
#include "image/image_decode.hpp"
#include "image/image_format.hpp"
#include "shim_support.hpp"

extern char **environ;

namespace pictor_shim {

namespace {

using pictor::Error;
using pictor::ErrorInfo;
using pictor::ErrorKind;

// PICTOR_REQUEST_RUNNER, else pictor/pictor-request-runner beside this library (installed and
// in the build tree alike). "" when there is none.
std::string runner_path() {
    if (const char *given = std::getenv("PICTOR_REQUEST_RUNNER"); given && *given) return given;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&run_in_request_runner), &info) == 0 || !info.dli_fname) return "";
    std::string library = info.dli_fname;
    const size_t slash = library.rfind('/');
    std::string path = (slash == std::string::npos ? std::string(".") : library.substr(0, slash)) +
                       "/pictor/pictor-request-runner";
    return access(path.c_str(), X_OK) == 0 ? path : "";
}

// The host's environment without any key: the runner gets its key through the pipe only.
std::vector<std::string> runner_environment(const std::string &key) {
    std::vector<std::string> out;
    for (char **e = environ; e && *e; ++e) {
        std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        if (name == "PICTOR_API_KEY" || name == "OPENAI_API_KEY") continue;
        if (!key.empty() && entry.find(key) != std::string::npos) continue;
        out.push_back(std::move(entry));
    }
    return out;
}

std::string read_whole(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) throw Error(ErrorKind::io, "cannot read " + path);
    return text.str();
}

struct Pipes {
    int to_runner = -1, from_runner = -1;
    ~Pipes() {
        if (to_runner >= 0) close(to_runner);
        if (from_runner >= 0) close(from_runner);
    }
};

// A host that dies mid-write must not be killed by SIGPIPE before it can report.
struct SigpipeIgnored {
    struct sigaction old {};
    SigpipeIgnored() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ignore, &old);
    }
    ~SigpipeIgnored() { sigaction(SIGPIPE, &old, nullptr); }
    SigpipeIgnored(const SigpipeIgnored &) = delete;
    SigpipeIgnored &operator=(const SigpipeIgnored &) = delete;
};

void make_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) throw Error(ErrorKind::internal, "cannot make a pipe for the request runner");
}

// The spooled parts' files, duplicated above the runner's part descriptors (so that no dup2 at
// spawn overwrites a source still to be duplicated); closed here once the runner has them.
struct PartSources {
    std::vector<int> fds;
    explicit PartSources(const std::vector<int> &part_fds) {
        const int above = pictor::runner::kFirstPartFd + int(part_fds.size());
        for (int fd : part_fds) {
            const int high = fcntl(fd, F_DUPFD_CLOEXEC, above);
            if (high < 0) throw Error(ErrorKind::internal, std::string("cannot hand an upload to the request runner: ") +
                                                              std::strerror(errno) + ". Nothing was sent.");
            fds.push_back(high);
        }
    }
    ~PartSources() {
        for (int fd : fds) close(fd);
    }
    PartSources(const PartSources &) = delete;
    PartSources &operator=(const PartSources &) = delete;
};

// Starts the runner at `path` in its own session, its stdin and stdout the two pipes, the
// spooled parts' files as fds kFirstPartFd, +1, ... (no copy through the pipe; a host that dies
// leaves the runner whole parts); the key stays out of its environment.
void spawn_runner(const std::string &path, const std::string &key, const std::vector<int> &part_fds, Pipes &pipes) {
    const PartSources sources(part_fds);
    int in_pipe[2], out_pipe[2];
    make_pipe(in_pipe);
    try {
        make_pipe(out_pipe);
    } catch (...) {
        close(in_pipe[0]);
        close(in_pipe[1]);
        throw;
    }
    pipes.to_runner = in_pipe[1];
    pipes.from_runner = out_pipe[0];

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    for (size_t k = 0; k < sources.fds.size(); ++k)
        posix_spawn_file_actions_adddup2(&actions, sources.fds[k], pictor::runner::kFirstPartFd + int(k));
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGHUP, SIGTERM, SIGCHLD}) sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    // Its own session: a closed terminal's SIGHUP and Ctrl-C's SIGINT are not sent to it.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<std::string> env = runner_environment(key);
    std::vector<char *> envp;
    for (auto &entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    char *argv[] = {const_cast<char *>("pictor-request-runner"), nullptr};
    pid_t child = -1;
    const int spawn_error = posix_spawn(&child, path.c_str(), &actions, &attributes, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (spawn_error != 0)
        throw Error(ErrorKind::internal, "cannot start " + path + ": " + std::strerror(spawn_error) + ". Nothing was sent.");
    // The runner forks once and its first process exits at once (the request lives on in the
    // second, adopted by init): reaping it now leaves no zombie behind.
    while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {}
}

// The request (request_to_json), the key and the bytes of each part held in memory down the
// pipe; the key is wiped from memory once written.
void hand_over(int to_runner, nlohmann::json request, const std::vector<const std::string *> &blobs,
               pictor::ClientOptions &options, bool edit) {
    nlohmann::json message = {{"type", "request"},
                              {"edit", edit},
                              {"options", pictor::runner::options_to_json(options)},
                              {"request", std::move(request)}};
    message["blobs"] = blobs.size();
    std::string text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    explicit_bzero(options.settings.api_key.data(), options.settings.api_key.size());
    message["options"]["api_key"] = "";
    bool sent = pictor::runner::write_frame(to_runner, 'J', text);
    explicit_bzero(text.data(), text.size());
    for (const std::string *blob : blobs) sent = sent && pictor::runner::write_frame(to_runner, 'B', *blob);
    if (!sent) throw Error(ErrorKind::internal, "the request runner stopped before it took the request. Nothing was sent.");
}

// An image the runner kept (or handed over inline), decoded for the host. A decode failure
// names the history file the paid image is kept in.
pictor::ReceivedImage received_image(std::string encoded, const std::string &history_path,
                                     const std::string &request_id, const pictor::DecodeLimits &limits) {
    pictor::ReceivedImage image;
    image.history_path = history_path;
    image.request_id = request_id;
    image.encoded = std::move(encoded);
    const auto *data = reinterpret_cast<const uint8_t *>(image.encoded.data());
    image.format = pictor::sniff_image_format(data, image.encoded.size());
    try {
        image.rgba = pictor::decode_image(data, image.encoded.size(), limits);
    } catch (const Error &e) {
        ErrorInfo info = e.info();
        info.request_sent = info.may_be_billed = true;
        info.request_id = image.request_id;
        info.history_path = image.history_path;
        info.message = std::string("The image arrived but cannot be used here: ") + e.what() +
                       (image.history_path.empty() ? "" : ". It is kept in " + image.history_path);
        throw Error(info);
    }
    return image;
}

// The host's half of one request while the runner has it: relays its messages until a result,
// an error, or the host's cancel.
class RunnerSession {
public:
    RunnerSession(pictor_client &client, pictor::ImageRequest &request, const pictor::ClientOptions &options,
                  Pipes &pipes, pictor::runner::UnsealedParts unsealed)
        : client_(client), request_(request), pipes_(pipes), unsealed_(std::move(unsealed)) {
        limits_.max_pixels = options.max_pixels;
        limits_.cancel = &client.runner_cancel; // a cancel stops the decode here too
    }

    pictor::ImageResult wait_for_result() {
        for (;;) {
            if (client_.runner_cancel.load()) return stop_waiting();
            forward_settled_parts();
            char kind = 0;
            std::string payload;
            bool timed_out = false;
            // A part being encoded is looked at often: the runner waits for it.
            const int wait_ms = unsealed_.empty() ? 100 : 10;
            if (!pictor::runner::read_frame(pipes_.from_runner, &kind, &payload, wait_ms, &timed_out)) {
                if (timed_out) continue;
                const bool sent = phase_ >= pictor::net::Phase::waiting;
                throw Error(ErrorInfo{ErrorKind::internal,
                                      "the request runner stopped unexpectedly. Any image it received is in history "
                                      "(pictor history list).",
                                      0, "", "", sent, sent, ""});
            }
            if (kind != 'J') continue;
            nlohmann::json m = nlohmann::json::parse(payload, nullptr, false);
            if (!m.is_object()) continue;
            if (std::optional<pictor::ImageResult> result = on_message(m)) return std::move(*result);
        }
    }

private:
    // Parts the host was still encoding when the runner started: each one sealed (or abandoned)
    // since is told to the runner, which sends it on (or cuts the upload short).
    void forward_settled_parts() {
        for (auto it = unsealed_.begin(); it != unsealed_.end();) {
            const auto &[fd, spool] = *it;
            const pictor::net::PartSpool::State state = spool->state();
            if (state == pictor::net::PartSpool::State::writing) {
                ++it;
                continue;
            }
            const nlohmann::json frame = state == pictor::net::PartSpool::State::sealed
                                             ? pictor::runner::part_sealed_to_json(fd, *spool)
                                             : nlohmann::json{{"type", "abandoned"}, {"fd", fd}};
            pictor::runner::write_frame(pipes_.to_runner, 'J', frame.dump());
            it = unsealed_.erase(it);
        }
    }

    std::optional<pictor::ImageResult> on_message(const nlohmann::json &m) {
        const std::string type = m.value("type", "");
        if (type == "started") {
            runner_pid_ = m.value("pid", 0);
        } else if (type == "saved") {
            saved_.emplace_back(m.value("history_path", ""), m.value("request_id", ""));
        } else if (type == "progress") {
            pictor::Progress p = pictor::runner::progress_from_json(m);
            phase_ = std::max(phase_, p.phase);
            if (request_.progress && !request_.progress(p)) client_.runner_cancel.store(true);
        } else if (type == "log") {
            client_.impl->log(pictor::LogLevel(m.value("level", 1)), m.value("line", ""));
        } else if (type == "partial") {
            on_partial(m);
        } else if (type == "error") {
            // The error (and any image it names in history) reached the host.
            pictor::runner::write_frame(pipes_.to_runner, 'J', "{\"type\":\"received\"}");
            throw Error(pictor::runner::error_from_json(m.value("error", nlohmann::json::object())));
        } else if (type == "result") {
            return take_result(m);
        }
        return std::nullopt;
    }

    void on_partial(const nlohmann::json &m) {
        char kind = 0;
        std::string bytes;
        if (!pictor::runner::read_frame(pipes_.from_runner, &kind, &bytes) || kind != 'B') return;
        if (!request_.on_partial_image) return;
        try {
            const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
            pictor::RgbaImage rgba = pictor::decode_image(data, bytes.size(), limits_);
            request_.on_partial_image(pictor::PartialImage{rgba, bytes, pictor::sniff_image_format(data, bytes.size()),
                                                           m.value("index", 0), m.value("total", 0),
                                                           m.value("variation", 0)});
        } catch (const Error &) {
            // a preview lost, nothing more
        }
    }

    pictor::ImageResult take_result(const nlohmann::json &m) {
        pictor::ImageResult result;
        result.metadata = m.value("metadata", nlohmann::json::object());
        for (const auto &entry : m.value("images", nlohmann::json::array())) {
            const std::string history_path = entry.value("history_path", "");
            std::string encoded;
            if (entry.value("inline", false)) {
                char kind = 0;
                if (!pictor::runner::read_frame(pipes_.from_runner, &kind, &encoded) || kind != 'B')
                    throw Error(ErrorKind::internal, "the request runner stopped while handing over an image");
            } else {
                encoded = read_whole(history_path);
            }
            result.images.push_back(
                received_image(std::move(encoded), history_path, entry.value("request_id", ""), limits_));
        }
        pictor::runner::write_frame(pipes_.to_runner, 'J', "{\"type\":\"received\"}");
        return result;
    }

    // The host's cancel: stop waiting (the runner finishes alone and keeps the image in history),
    // or with abandon_on_cancel, stop the runner too.
    pictor::ImageResult stop_waiting() {
        forward_settled_parts();
        const bool sent_already = phase_ >= pictor::net::Phase::waiting;
        ErrorInfo info{ErrorKind::cancelled, ""};
        info.request_sent = sent_already;
        info.may_be_billed = sent_already;
        // A part still being encoded here would never reach the runner: nothing whole was sent.
        if (client_.abandon_on_cancel || !unsealed_.empty()) {
            if (runner_pid_ > 0) kill(runner_pid_, SIGKILL);
            info.message = sent_already ? "Cancelled, and the request was abandoned: its image will not be kept."
                                        : "Cancelled before the request was sent. Nothing was billed.";
            throw Error(info);
        }
        // The runner has the request and sends it whatever happens now.
        info.request_sent = info.may_be_billed = true;
        // Closing the pipes (on return) tells the runner nobody waits: it finishes alone.
        info.message = "Stopped waiting. The request goes on in the background: its image will be in "
                       "history (pictor history list), marked not yet delivered.";
        if (saved_.empty()) throw Error(info);
        return with_images_saved_so_far(info);
    }

    // The images that came before the cancel are the host's now, as in-process; the rest goes on.
    pictor::ImageResult with_images_saved_so_far(const ErrorInfo &info) {
        pictor::ImageResult result;
        nlohmann::json paths = nlohmann::json::array();
        pictor::DecodeLimits own = limits_;
        own.cancel = nullptr; // the cancel that brought us here
        for (const auto &[path, request_id] : saved_) {
            result.images.push_back(received_image(read_whole(path), path, request_id, own));
            paths.push_back(path);
        }
        pictor::runner::write_frame(pipes_.to_runner, 'J',
                                    nlohmann::json{{"type", "taken"}, {"history_paths", paths}}.dump());
        result.metadata = {{"history", paths},
                           {"errors", nlohmann::json::array({pictor::runner::error_to_json(info)})},
                           {"warnings", nlohmann::json::array()}};
        result.metadata["errors"][0]["kind"] = pictor::error_kind_name(ErrorKind::cancelled);
        return result;
    }

    pictor_client &client_;
    pictor::ImageRequest &request_;
    Pipes &pipes_;
    pictor::DecodeLimits limits_;
    pid_t runner_pid_ = 0;
    pictor::net::Phase phase_ = pictor::net::Phase::preparing;
    std::vector<std::pair<std::string, std::string>> saved_; // history path, request id
    pictor::runner::UnsealedParts unsealed_; // not yet told to the runner
};

} // namespace

bool request_runner_found() { return !runner_path().empty(); }

pictor::ImageResult run_in_request_runner(pictor_client &client, pictor::ImageRequest &request, bool edit) {
    pictor::ImageClient &core = *client.impl;
    const std::string path = runner_path();
    if (path.empty()) {
        // Better an in-process request than none; the log says why the safety net is missing.
        core.log(pictor::LogLevel::warning, "pictor-request-runner was not found beside libpictor (or in "
                                            "PICTOR_REQUEST_RUNNER): the request runs inside this program");
        return core.run(request, edit);
    }
    // What can be refused is refused here, before a process starts (and with no key, at once).
    core.plan(request, edit);
    pictor::ClientOptions options = core.resolved_options();
    std::vector<const std::string *> blobs;
    std::vector<int> part_fds;
    pictor::runner::UnsealedParts unsealed;
    nlohmann::json request_json = pictor::runner::request_to_json(request, &blobs, &part_fds, &unsealed);
    Pipes pipes;
    spawn_runner(path, options.settings.api_key, part_fds, pipes);
    SigpipeIgnored sigpipe_ignored;
    hand_over(pipes.to_runner, std::move(request_json), blobs, options, edit);
    return RunnerSession(client, request, options, pipes, std::move(unsealed)).wait_for_result();
}

} // namespace pictor_shim
