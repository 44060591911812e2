// generate_as_new_layer: a text-to-image request whose images become layers; size "canvas"
// asks for the allowed size nearest the canvas's aspect and scales the result to the canvas.
#include "prepared_command.hpp"

#include "image/resample.hpp"
#include "requested_size.hpp"

namespace pictor::plugin {

PreparedCommand prepare_generate(HostDocument &document, const CommandOptions &options, const GatewayProfile &profile) {
    const ImageSize canvas = document.canvas_size();
    RequestedSize size = resolve_requested_size(profile, options.request.size, canvas);

    PreparedCommand prepared;
    prepared.kind = CommandKind::generate_as_new_layer;
    prepared.edit = false;
    prepared.above_layer = options.layer;
    prepared.request = options.request;
    prepared.request.images.clear();
    prepared.request.has_mask = false;
    prepared.request.size = size.size_field;
    prepared.metadata = {{"scaled_to_canvas", size.scale_to_canvas}};

    prepared.make_layer = [canvas, scale = size.scale_to_canvas](const RgbaImage &model) {
        NewLayer out;
        if (scale) {
            out.rgba = resize_rgba(model, canvas.width, canvas.height);
        } else {
            out.rgba = model; // the size asked for, at the canvas's top-left corner
        }
        out.rect = {0, 0, int32_t(out.rgba.width), int32_t(out.rgba.height)};
        return out;
    };
    return prepared;
}

} // namespace pictor::plugin
