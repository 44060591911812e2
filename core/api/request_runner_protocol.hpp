// The pipe between a host's libpictor and pictor-request-runner, the helper process that owns
// a paid request so that it outlives the host (see docs/ARCHITECTURE.md, Money and data
// safety). Frames: a 4-byte little-endian length, then one kind byte ('J': JSON text, 'B': the
// bytes of a blob announced by the JSON frame before it), then the payload.
//
// Host -> runner: {"type":"request", "edit", "options", "request"} + one blob per input image,
//                 mask and markup held in memory (parts in spool files are not copied: the
//                 runner inherits their descriptors at spawn, as fds 3, 4, ...); then a
//                 {"type":"part"} for each spooled part that was still being encoded; later
//                 {"type":"received"} once the result was taken.
// Runner -> host: {"type":"started","pid"}, {"type":"progress",...}, {"type":"partial",...}+blob,
//                 {"type":"log",...}, then {"type":"result",...} (+ a blob for each image
//                 history could not keep) or {"type":"error","error":{...}}.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/image_client.hpp"
#include "error.hpp"

namespace pictor::runner {

// Writes one frame; false when the peer is gone (EPIPE) or the write failed.
bool write_frame(int fd, char kind, const std::string &payload);
// Reads one frame; false at EOF or on a broken frame. `timeout_ms` < 0 waits for ever; on a
// timeout *timed_out is set and false returned.
bool read_frame(int fd, char *kind, std::string *payload, int timeout_ms = -1, bool *timed_out = nullptr);

// ClientOptions as resolved by a client (key included: it goes only through the pipe).
nlohmann::json options_to_json(const ClientOptions &options);
ClientOptions options_from_json(const nlohmann::json &j);

// The runner's descriptor of the first spooled part; the k-th is kFirstPartFd + k.
inline constexpr int kFirstPartFd = 3;

// A spooled part still being encoded when the request was handed over, by the runner's
// descriptor for it: a {"type":"part"} frame seals it later (or the host's end of the pipe
// closing abandons it).
using UnsealedParts = std::vector<std::pair<int, std::shared_ptr<net::PartSpool>>>;

// The request without its callbacks; the bytes of parts in memory are appended to *blobs in
// order, the descriptors of spooled parts to *part_fds (the host hands the k-th to the runner
// as kFirstPartFd + k, which the JSON names), the parts not yet sealed to *unsealed.
nlohmann::json request_to_json(const ImageRequest &request, std::vector<const std::string *> *blobs,
                               std::vector<int> *part_fds, UnsealedParts *unsealed = nullptr);
// `blobs` in the order request_to_json listed them; spooled parts adopt the inherited
// descriptors the JSON names (Error(io) when one holds fewer bytes than announced); the ones
// still being encoded are listed in *unsealed.
ImageRequest request_from_json(const nlohmann::json &j, std::vector<std::string> blobs,
                               UnsealedParts *unsealed = nullptr);

// {"type":"part","fd","size","filename","content_type"}: the part the runner has as `fd` is
// whole (its spool sealed).
nlohmann::json part_sealed_to_json(int fd, const net::PartSpool &spool);
// Seals the part a "part" frame names; false when the frame names none of `unsealed`.
// Throws Error(io) when its file is shorter than announced.
bool seal_from_json(const nlohmann::json &j, const UnsealedParts &unsealed);

nlohmann::json progress_to_json(const Progress &p);
Progress progress_from_json(const nlohmann::json &j);

nlohmann::json error_to_json(const ErrorInfo &e);
ErrorInfo error_from_json(const nlohmann::json &j);

// The history sidecar of an image file (<dir>/<id>.<ext> -> <dir>/<id>.json) gets
// "delivered": `delivered`, rewritten durably. Throws Error(io).
void mark_history_delivered(const std::string &image_path, bool delivered);

} // namespace pictor::runner
