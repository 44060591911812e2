// edit_with_references: the active layer (over the whole canvas) first, then up to 15 other
// layers as they are, sent as image[]; a selection, grown and feathered, becomes the mask, or a
// markup layer (never both) becomes the markup. The result is scaled to the canvas and, with a
// selection, blended back through it.
#include "prepared_command.hpp"

#include "api/upload_plan.hpp"
#include "document_regions.hpp"
#include "error.hpp"
#include "image/composite.hpp"
#include "image/image_encode.hpp"
#include "image/resample.hpp"
#include "image/selection_mask.hpp"
#include "requested_size.hpp"
#include "upload_image.hpp"

namespace pictor::plugin {

namespace {

// The feathered selection over the whole canvas; empty when nothing is selected.
GrayImage canvas_selection(HostDocument &document, ImageSize canvas, const CommandOptions &options) {
    if (!document.has_selection())
        return {};
    SelectionInfo selection = document.describe_selection();
    PixelRect bounds = selection.bounds.intersect(canvas_rect(canvas));
    if (selection.empty || bounds.empty())
        return {};
    SelectionArea area =
        read_selection_around(document, canvas, bounds, selection_reach(options.grow_px, options.feather_px));
    GrayImage feathered = feather_coverage(grow_coverage(area.coverage, options.grow_px), options.feather_px);
    if (coverage_bounds(feathered).empty())
        return {};
    return place_gray(feathered, area.rect.x, area.rect.y, canvas.width, canvas.height);
}

// The markup layer over the canvas (aligned with the edited layer, as the user drew it), at the
// size the first image is sent (it may have been scaled down to fit the route), as PNG with alpha.
EncodedUpload encode_markup(HostDocument &document, int32_t layer, ImageSize canvas, const nlohmann::json &first) {
    const LayerInfo info = document.describe_layer(layer);
    RgbaImage pixels = read_layer_over(document, layer, info, canvas_rect(canvas));
    EncodedUpload out;
    out.source_width = pixels.width;
    out.source_height = pixels.height;
    out.width = first.at("width").get<uint32_t>();
    out.height = first.at("height").get<uint32_t>();
    if (pixels.width != out.width || pixels.height != out.height)
        pixels = resize_rgba(pixels, out.width, out.height);
    EncodeOptions png;
    png.keep_alpha = true; // the model reads the transparent parts as "leave this alone"
    std::vector<uint8_t> bytes = encode_image(pixels, ImageFormat::png, png);
    out.bytes.assign(bytes.begin(), bytes.end());
    out.encoding = "png with alpha";
    return out;
}

} // namespace

PreparedCommand prepare_reference_edit(HostDocument &document, const CommandOptions &options,
                                       const GatewayProfile &profile) {
    if (options.reference_layers.size() > max_reference_layers)
        throw Error(ErrorKind::invalid_request,
                    "edit_with_references takes at most " + std::to_string(max_reference_layers) +
                        " reference layers besides the active one (16 images in all); " +
                        std::to_string(options.reference_layers.size()) + " were given. Nothing was sent.");
    const ImageSize canvas = document.canvas_size();
    const LayerInfo active = document.describe_layer(options.layer);
    RgbaImage first = read_layer_over(document, options.layer, active, canvas_rect(canvas));

    PreparedCommand prepared;
    prepared.kind = CommandKind::edit_with_references;
    prepared.edit = true;
    prepared.above_layer = options.layer;
    prepared.request = options.request;
    // Every part encoded to fit the route (references on all cores, a few held at a time); a
    // downscaled layer takes the mask with it.
    std::vector<LayerInfo> infos;
    for (size_t k = 0; k < options.reference_layers.size(); ++k) {
        int32_t id = options.reference_layers[k];
        LayerInfo info = document.describe_layer(id);
        if (info.width == 0 || info.height == 0)
            throw Error(ErrorKind::invalid_request, "reference layer " + std::to_string(id) +
                                                        (info.name.empty() ? "" : " (\"" + info.name + "\")") +
                                                        " is empty: pick layers with pixels. Nothing was sent.");
        infos.push_back(info);
    }
    GrayImage mask = canvas_selection(document, canvas, options);
    if (options.markup_layer && !mask.empty())
        throw Error(ErrorKind::invalid_request,
                    "a markup layer cannot be sent with a selection (a request takes a markup or a mask, "
                    "not both): remove the selection, then run it again. Nothing was sent.");
    // The references are read and encoded after the request starts (PendingUploads, on this
    // thread): the lambda outlives this function, so it holds its own copies.
    UploadBatch uploads = encode_uploads(
        first, "layer", mask, infos.size(),
        [&document, layers = options.reference_layers, infos](size_t k) {
            return document.read_layer(layers[k], {0, 0, int32_t(infos[k].width), int32_t(infos[k].height)});
        },
        [](size_t k) { return "reference-" + std::to_string(k + 1); }, profile, options.request.upload_quality);
    prepared.request.images = std::move(uploads.images);
    prepared.request.has_mask = uploads.has_mask;
    prepared.request.mask = std::move(uploads.mask);
    if (options.markup_layer) {
        EncodedUpload markup = encode_markup(document, *options.markup_layer, canvas, uploads.report.at(0));
        prepared.request.has_markup = true;
        prepared.request.markup = upload_part(markup, "markup");
        uploads.report.push_back(upload_entry(prepared.request.markup.filename, markup));
        if (uploads.pending)
            uploads.pending->add_trailing(uploads.report.back());
    }

    RequestedSize size = resolve_requested_size(profile, options.request.size, canvas);
    prepared.request.size = size.size_field;
    prepared.metadata = {{"reference_layers", options.reference_layers.size()},
                         {"mask", !mask.empty()},
                         {"markup", options.markup_layer.has_value()},
                         {"uploads", std::move(uploads.report)}};
    prepared.pending_uploads = std::move(uploads.pending);

    prepared.make_layer = [canvas, mask = std::move(mask), first = std::move(first)](const RgbaImage &model) {
        return masked_layer(model, {0, 0, int32_t(canvas.width), int32_t(canvas.height)}, mask, first);
    };
    return prepared;
}

} // namespace pictor::plugin
