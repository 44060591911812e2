#include "progress_line.hpp"

#include <unistd.h>

#include "interrupt.hpp"

namespace pictor_cli {

namespace {

std::string format(const char *pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string percent(uint64_t done, uint64_t total) {
    if (total == 0) return "";
    double share = done >= total ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total);
    return format(" %.0f%%", share);
}

std::string megabytes(uint64_t bytes) {
    return format(" %.1f MB", static_cast<double>(bytes) / 1e6);
}

} // namespace

std::string describe_progress(const pictor_progress &p) {
    std::string words;
    switch (p.phase) {
    case PICTOR_PHASE_PREPARING: words = "preparing"; break;
    case PICTOR_PHASE_CONNECTING: words = "connecting"; break;
    case PICTOR_PHASE_UPLOADING: words = "uploading" + percent(p.bytes_sent, p.bytes_to_send); break;
    case PICTOR_PHASE_WAITING: words = "waiting for the server"; break;
    case PICTOR_PHASE_DOWNLOADING:
        words = "downloading" + (p.bytes_to_receive ? percent(p.bytes_received, p.bytes_to_receive)
                                                    : megabytes(p.bytes_received));
        break;
    case PICTOR_PHASE_DECODING: words = "decoding"; break;
    case PICTOR_PHASE_RETRY_WAIT:
        words = format("retrying in %.0fs", p.retry_in_s < 0 ? 0 : p.retry_in_s);
        if (p.attempt > 0) words += " (try " + std::to_string(p.attempt + 1) + ")";
        break;
    case PICTOR_PHASE_SAVING: words = "saving to history"; break;
    default: words = "working"; break;  // a phase added after this program was built
    }
    if (p.requests_total > 1)
        words += ", " + std::to_string(p.requests_done) + "/" + std::to_string(p.requests_total) + " done";
    return words;
}

ProgressLine::ProgressLine(std::FILE *out, bool enabled)
    : out_(out), enabled_(enabled), terminal_(isatty(fileno(out)) == 1) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(const pictor_progress &progress) {
    if (!enabled_) return;
    std::string words = describe_progress(progress);
    if (terminal_) {
        draw(format("pictor: %5.1fs ", progress.elapsed_s) + words);
        return;
    }
    // Not a terminal: the countdown and byte counts would repeat every 250 ms, so a line is
    // printed only when the phase (or the done count) changes.
    pictor_progress coarse = progress;
    coarse.bytes_sent = coarse.bytes_received = 0;
    coarse.retry_in_s = 0;
    std::string key = describe_progress(coarse);
    if (key == last_printed_) return;
    last_printed_ = key;
    std::fprintf(out_, "pictor: %5.1fs %s\n", progress.elapsed_s, words.c_str());
    std::fflush(out_);
}

void ProgressLine::print_above(const std::string &line) {
    std::string shown = drawn_;
    erase();
    // One line, and inert: no escape sequence from a server or a file name reaches the terminal.
    std::string safe = line;
    for (char &c : safe)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    std::fprintf(out_, "%s\n", safe.c_str());
    if (!shown.empty()) draw(shown);
    std::fflush(out_);
}

void ProgressLine::finish() { erase(); }

int ProgressLine::callback(const pictor_progress *progress, void *user_data) {
    if (progress && user_data) static_cast<ProgressLine *>(user_data)->update(*progress);
    return interrupt_requested() ? 1 : 0;
}

void ProgressLine::draw(const std::string &text) {
    // Pad with spaces over a longer previous text instead of an erase-line escape, which a
    // dumb terminal would print literally.
    std::string padded = text;
    if (drawn_.size() > padded.size()) padded.append(drawn_.size() - padded.size(), ' ');
    std::fprintf(out_, "\r%s", padded.c_str());
    std::fflush(out_);
    drawn_ = text;
}

void ProgressLine::erase() {
    if (drawn_.empty()) return;
    std::fprintf(out_, "\r%s\r", std::string(drawn_.size(), ' ').c_str());
    std::fflush(out_);
    drawn_.clear();
}

} // namespace pictor_cli
