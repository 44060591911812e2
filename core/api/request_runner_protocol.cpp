#include "api/request_runner_protocol.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "store/history_sidecar.hpp"

namespace pictor::runner {

namespace {

// Far above any request (16 images of 50 MB, base64-free): a broken or hostile frame must not
// make the reader allocate gigabytes.
constexpr uint32_t kMaxFrame = 1024u << 20;

bool write_all(int fd, const char *data, size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

bool read_all(int fd, char *data, size_t size) {
    while (size > 0) {
        ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

// {"filename"} with a blob to follow, or {"filename", "fd", "size", "sealed"} for a spooled
// part whose descriptor the runner inherits as fd.
nlohmann::json part_to_json(const InputImage &image, std::vector<const std::string *> *blobs,
                            std::vector<int> *part_fds, UnsealedParts *unsealed) {
    const bool sealed = image.spool && image.spool->sealed(); // before the size, final once sealed
    nlohmann::json j = {{"filename", image.sent_name()}};
    if (image.spool) {
        const int fd = kFirstPartFd + int(part_fds->size());
        j["fd"] = fd;
        j["size"] = sealed ? image.spool->size() : 0;
        j["sealed"] = sealed;
        part_fds->push_back(image.spool->fd());
        if (!sealed && unsealed)
            unsealed->emplace_back(fd, image.spool);
    } else {
        blobs->push_back(&image.bytes);
    }
    return j;
}

InputImage input_from(const nlohmann::json &j, std::vector<std::string> &blobs, size_t &next,
                      UnsealedParts *unsealed) {
    InputImage image;
    image.filename = j.value("filename", "");
    if (j.contains("fd")) {
        const int fd = j.value("fd", -1);
        if (j.value("sealed", true)) {
            image.spool = net::PartSpool::adopt(fd, j.value("size", uint64_t(0)));
        } else {
            image.spool = net::PartSpool::adopt_unsealed(fd);
            if (unsealed)
                unsealed->emplace_back(fd, image.spool);
        }
    } else if (next < blobs.size()) {
        image.bytes = std::move(blobs[next++]);
    }
    return image;
}

} // namespace

bool write_frame(int fd, char kind, const std::string &payload) {
    if (payload.size() >= kMaxFrame) return false;
    const uint32_t length = uint32_t(payload.size()) + 1;
    char head[5] = {char(length & 0xff), char((length >> 8) & 0xff), char((length >> 16) & 0xff),
                    char((length >> 24) & 0xff), kind};
    return write_all(fd, head, sizeof head) && write_all(fd, payload.data(), payload.size());
}

bool read_frame(int fd, char *kind, std::string *payload, int timeout_ms, bool *timed_out) {
    if (timed_out) *timed_out = false;
    if (timeout_ms >= 0) {
        pollfd p{fd, POLLIN, 0};
        int rc;
        do rc = poll(&p, 1, timeout_ms);
        while (rc < 0 && errno == EINTR);
        if (rc == 0) {
            if (timed_out) *timed_out = true;
            return false;
        }
        if (rc < 0) return false;
    }
    unsigned char head[4];
    if (!read_all(fd, reinterpret_cast<char *>(head), 4)) return false;
    const uint32_t length = uint32_t(head[0]) | uint32_t(head[1]) << 8 | uint32_t(head[2]) << 16 |
                            uint32_t(head[3]) << 24;
    if (length == 0 || length > kMaxFrame) return false;
    if (!read_all(fd, kind, 1)) return false;
    payload->resize(length - 1);
    return read_all(fd, payload->data(), length - 1);
}

nlohmann::json options_to_json(const ClientOptions &o) {
    const ClientSettings &s = o.settings;
    return {{"profile", s.profile},       {"base_url", s.base_url},
            {"api_key", s.api_key},       {"api_key_source", s.api_key_source},
            {"model", s.model},           {"history_dir", s.history_dir},
            {"ca_file", s.ca_file},       {"max_cost_usd", s.max_cost_usd},
            {"profile_dir", o.profile_dir}, {"profile_folders", o.profile_folders},
            {"connect_timeout_s", o.connect_timeout_s},
            {"max_response_bytes", o.max_response_bytes}, {"max_pixels", o.max_pixels},
            {"max_retries", o.max_retries}};
}

ClientOptions options_from_json(const nlohmann::json &j) {
    ClientOptions o;
    o.settings.profile = j.value("profile", "");
    o.settings.base_url = j.value("base_url", "");
    o.settings.api_key = j.value("api_key", "");
    o.settings.api_key_source = j.value("api_key_source", "");
    o.settings.model = j.value("model", "");
    o.settings.history_dir = j.value("history_dir", "");
    o.settings.ca_file = j.value("ca_file", "");
    o.settings.max_cost_usd = j.value("max_cost_usd", 0.0);
    o.profile_dir = j.value("profile_dir", "");
    o.profile_folders = j.value("profile_folders", std::vector<std::string>());
    o.connect_timeout_s = j.value("connect_timeout_s", o.connect_timeout_s);
    o.max_response_bytes = j.value("max_response_bytes", o.max_response_bytes);
    o.max_pixels = j.value("max_pixels", o.max_pixels);
    o.max_retries = j.value("max_retries", o.max_retries);
    // Everything was resolved by the host's client: the runner reads no environment or config.
    o.use_environment = false;
    return o;
}

nlohmann::json request_to_json(const ImageRequest &r, std::vector<const std::string *> *blobs,
                               std::vector<int> *part_fds, UnsealedParts *unsealed) {
    nlohmann::json images = nlohmann::json::array();
    for (const auto &image : r.images) images.push_back(part_to_json(image, blobs, part_fds, unsealed));
    nlohmann::json mask = r.has_mask ? part_to_json(r.mask, blobs, part_fds, unsealed) : nlohmann::json::object();
    nlohmann::json markup = r.has_markup ? part_to_json(r.markup, blobs, part_fds, unsealed) : nlohmann::json::object();
    nlohmann::json extra = nlohmann::json::array();
    for (const auto &field : r.extra_fields) extra.push_back({{"name", field.name}, {"value", field.value}});
    return {{"prompt", r.prompt},
            {"model", r.model},
            {"size", r.size},
            {"quality", r.quality},
            {"complexity", r.complexity},
            {"output_format", r.output_format},
            {"output_compression", r.output_compression},
            {"background", r.background},
            {"moderation", r.moderation},
            {"n", r.n},
            {"timeout_s", r.timeout_s},
            {"max_cost_usd", r.max_cost_usd},
            {"images", images},
            {"has_mask", r.has_mask},
            {"mask", mask},
            {"has_markup", r.has_markup},
            {"markup", markup},
            {"extra_fields", extra},
            {"partial_images", r.partial_images},
            {"upload_quality", int(r.upload_quality)},
            {"keep_uploads", r.keep_uploads}};
}

ImageRequest request_from_json(const nlohmann::json &j, std::vector<std::string> blobs, UnsealedParts *unsealed) {
    ImageRequest r;
    r.prompt = j.value("prompt", "");
    r.model = j.value("model", "");
    r.size = j.value("size", "");
    r.quality = j.value("quality", "");
    r.complexity = j.value("complexity", "");
    r.output_format = j.value("output_format", "");
    r.output_compression = j.value("output_compression", -1);
    r.background = j.value("background", "");
    r.moderation = j.value("moderation", "");
    r.n = j.value("n", 1);
    r.timeout_s = j.value("timeout_s", 0.0);
    r.max_cost_usd = j.value("max_cost_usd", 0.0);
    size_t next = 0;
    for (const auto &image : j.value("images", nlohmann::json::array()))
        r.images.push_back(input_from(image, blobs, next, unsealed));
    r.has_mask = j.value("has_mask", false);
    if (r.has_mask) r.mask = input_from(j.value("mask", nlohmann::json::object()), blobs, next, unsealed);
    r.has_markup = j.value("has_markup", false);
    if (r.has_markup) r.markup = input_from(j.value("markup", nlohmann::json::object()), blobs, next, unsealed);
    for (const auto &field : j.value("extra_fields", nlohmann::json::array()))
        r.extra_fields.push_back({field.value("name", ""), field.value("value", nlohmann::json())});
    r.partial_images = j.value("partial_images", 0);
    r.upload_quality = UploadQuality(j.value("upload_quality", int(UploadQuality::lossless)));
    r.keep_uploads = j.value("keep_uploads", false);
    return r;
}

nlohmann::json part_sealed_to_json(int fd, const net::PartSpool &spool) {
    return {{"type", "part"},
            {"fd", fd},
            {"size", spool.size()},
            {"filename", spool.filename()},
            {"content_type", spool.content_type()}};
}

bool seal_from_json(const nlohmann::json &j, const UnsealedParts &unsealed) {
    const int fd = j.value("fd", -1);
    for (const auto &[part_fd, spool] : unsealed)
        if (part_fd == fd) {
            spool->seal_at(j.value("size", uint64_t(0)), j.value("filename", ""), j.value("content_type", ""));
            return true;
        }
    return false;
}

nlohmann::json progress_to_json(const Progress &p) {
    return {{"type", "progress"},         {"phase", int(p.phase)},
            {"elapsed_s", p.elapsed_s},   {"bytes_sent", p.bytes_sent},
            {"bytes_to_send", p.bytes_to_send}, {"bytes_received", p.bytes_received},
            {"bytes_to_receive", p.bytes_to_receive}, {"requests_total", p.requests_total},
            {"requests_done", p.requests_done}, {"attempt", p.attempt},
            {"retry_in_s", p.retry_in_s}};
}

Progress progress_from_json(const nlohmann::json &j) {
    Progress p;
    p.phase = net::Phase(j.value("phase", 0));
    p.elapsed_s = j.value("elapsed_s", 0.0);
    p.bytes_sent = j.value("bytes_sent", uint64_t(0));
    p.bytes_to_send = j.value("bytes_to_send", uint64_t(0));
    p.bytes_received = j.value("bytes_received", uint64_t(0));
    p.bytes_to_receive = j.value("bytes_to_receive", uint64_t(0));
    p.requests_total = j.value("requests_total", 1);
    p.requests_done = j.value("requests_done", 0);
    p.attempt = j.value("attempt", 1);
    p.retry_in_s = j.value("retry_in_s", 0.0);
    return p;
}

nlohmann::json error_to_json(const ErrorInfo &e) {
    return {{"kind", int(e.kind)},         {"message", e.message},
            {"http_status", e.http_status}, {"code", e.code},
            {"request_id", e.request_id},   {"request_sent", e.request_sent},
            {"may_be_billed", e.may_be_billed}, {"history_path", e.history_path}};
}

ErrorInfo error_from_json(const nlohmann::json &j) {
    ErrorInfo e;
    e.kind = ErrorKind(j.value("kind", int(ErrorKind::internal)));
    e.message = j.value("message", "");
    e.http_status = j.value("http_status", 0);
    e.code = j.value("code", "");
    e.request_id = j.value("request_id", "");
    e.request_sent = j.value("request_sent", false);
    e.may_be_billed = j.value("may_be_billed", false);
    e.history_path = j.value("history_path", "");
    return e;
}

void mark_history_delivered(const std::string &image_path, bool delivered) {
    set_history_delivered(image_path, delivered); // the sidecar's schema lives in store/history_sidecar
}

} // namespace pictor::runner
