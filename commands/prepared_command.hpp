// A command after its reading phase: the request, ready to validate and send, and how each
// received image becomes a layer. Preparing happens on the host's thread (it reads the
// document); the request and make_layer run on the job's worker and touch no host state.
#pragma once

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api/image_request.hpp"
#include "command_options.hpp"
#include "host_document.hpp"
#include "job_sink.hpp"
#include "upload_image.hpp"

namespace pictor::plugin {

struct PreparedCommand {
    CommandKind kind = CommandKind::generate_as_new_layer;
    ImageRequest request;
    bool edit = false;
    nlohmann::json metadata = nlohmann::json::object(); // keys added to the job's result JSON
    int32_t above_layer = 0;
    // The model's pixels of one image -> the layer (rect, rgba, mask, masked, composited). The
    // engine fills name, variation, history path and request id.
    std::function<NewLayer(const RgbaImage &model_pixels)> make_layer;
    // Parts encoded on the host's thread once the request has started (so they overlap the
    // upload); metadata["uploads"] is then completed from it.
    std::shared_ptr<PendingUploads> pending_uploads;
};

// The layer of an edit or inpaint: the model's pixels scaled to rect; with a mask (rect-sized,
// may be empty), also masked and composited through it over source (the pixels sent).
NewLayer masked_layer(const RgbaImage &model, PixelRect rect, const GrayImage &mask, const RgbaImage &source);

// Reads what the command needs; throws Error (nothing sent) when the document or the options
// do not allow it.
PreparedCommand prepare_command(HostDocument &document, const CommandOptions &options,
                                const GatewayProfile &profile);

PreparedCommand prepare_generate(HostDocument &document, const CommandOptions &options,
                                 const GatewayProfile &profile);
PreparedCommand prepare_inpaint(HostDocument &document, const CommandOptions &options,
                                const GatewayProfile &profile);
PreparedCommand prepare_reference_edit(HostDocument &document, const CommandOptions &options,
                                       const GatewayProfile &profile);

} // namespace pictor::plugin
