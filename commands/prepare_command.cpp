#include "prepared_command.hpp"

#include <string>

#include "error.hpp"
#include "image/composite.hpp"
#include "image/resample.hpp"

namespace pictor::plugin {

NewLayer masked_layer(const RgbaImage &model, PixelRect rect, const GrayImage &mask, const RgbaImage &source) {
    NewLayer out;
    out.rect = rect;
    out.rgba = resize_rgba(model, uint32_t(rect.width), uint32_t(rect.height));
    if (!mask.empty()) {
        out.masked_rgba = apply_mask_to_alpha(out.rgba, mask);
        out.composited_rgba = blend_through_mask(source, out.rgba, mask);
        out.mask = mask;
    }
    return out;
}

const char *command_name(CommandKind kind) {
    switch (kind) {
    case CommandKind::generate_as_new_layer: return "generate_as_new_layer";
    case CommandKind::inpaint_selection: return "inpaint_selection";
    case CommandKind::edit_with_references: return "edit_with_references";
    }
    return "unknown";
}

namespace {

void check_range(const char *name, int value, int max) {
    if (value < 0 || value > max)
        throw Error(ErrorKind::invalid_argument, std::string(name) + " is " + std::to_string(value) +
                                                     ": use 0 to " + std::to_string(max) + " pixels, or -1 for the default");
}

} // namespace

PreparedCommand prepare_command(HostDocument &document, const CommandOptions &options, const GatewayProfile &profile) {
    check_range("grow_px", options.grow_px, max_grow_px);
    check_range("feather_px", options.feather_px, max_feather_px);
    check_range("context_px", options.context_px, max_context_px);
    ImageSize canvas = document.canvas_size();
    if (canvas.width == 0 || canvas.height == 0)
        throw Error(ErrorKind::invalid_argument, "the host reported an empty canvas (" + canvas.text() + ")");
    switch (options.kind) {
    case CommandKind::generate_as_new_layer: return prepare_generate(document, options, profile);
    case CommandKind::inpaint_selection: return prepare_inpaint(document, options, profile);
    case CommandKind::edit_with_references: return prepare_reference_edit(document, options, profile);
    }
    throw Error(ErrorKind::invalid_argument,
                "unknown command " + std::to_string(int(options.kind)) +
                    ": use PICTOR_COMMAND_GENERATE_AS_NEW_LAYER, _INPAINT_SELECTION or _EDIT_WITH_REFERENCES");
}

} // namespace pictor::plugin
