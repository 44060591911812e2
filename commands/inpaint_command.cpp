// inpaint_selection: selection -> grown, feathered coverage -> the crop the route accepts at the
// best resolution -> crop + mask sent -> the result resized to the crop and blended back through
// the feathered selection, so every pixel outside it stays the source's, byte for byte.
#include "prepared_command.hpp"

#include "api/request_size_choice.hpp"
#include "document_regions.hpp"
#include "error.hpp"
#include "image/composite.hpp"
#include "image/resample.hpp"
#include "image/selection_mask.hpp"
#include "upload_image.hpp"

namespace pictor::plugin {

namespace {

[[noreturn]] void nothing_selected() {
    throw Error(ErrorKind::invalid_request, "nothing is selected: select the area to repaint first");
}

nlohmann::json rect_json(const PixelRect &r) {
    return {{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
}

} // namespace

PreparedCommand prepare_inpaint(HostDocument &document, const CommandOptions &options, const GatewayProfile &profile) {
    const ImageSize canvas = document.canvas_size();
    const LayerInfo layer = document.describe_layer(options.layer);
    if (!document.has_selection())
        nothing_selected();
    SelectionInfo selection = document.describe_selection();
    PixelRect bounds = selection.bounds.intersect(canvas_rect(canvas));
    if (selection.empty || bounds.empty())
        nothing_selected();

    // Read enough around the bounds that grow + feather are exact, and the context besides.
    SelectionArea area = read_selection_around(document, canvas, bounds,
                                               selection_reach(options.grow_px, options.feather_px) + options.context_px);
    GrayImage feathered = feather_coverage(grow_coverage(area.coverage, options.grow_px), options.feather_px);
    PixelRect touched = coverage_bounds(feathered);
    if (touched.empty())
        nothing_selected(); // the host described a selection whose coverage is all zero
    touched.x += area.rect.x;
    touched.y += area.rect.y;
    PixelRect needed = touched.inflate(options.context_px).intersect(canvas_rect(canvas));

    CropChoice choice = choose_inpaint_crop(profile, needed, canvas);
    const PixelRect crop = choice.crop;
    if (crop.empty() || crop.intersect(canvas_rect(canvas)).width != crop.width ||
        crop.intersect(canvas_rect(canvas)).height != crop.height)
        throw Error(ErrorKind::internal, "the crop chosen for the selection lies outside the canvas");

    RgbaImage source = read_layer_over(document, options.layer, layer, crop);
    GrayImage mask = place_gray(feathered, area.rect.x - crop.x, area.rect.y - crop.y, uint32_t(crop.width),
                                uint32_t(crop.height));

    // The crop goes out at the size the route accepts (scale 1 where custom sizes allow it).
    ImageSize sent = choice.request_size.width ? choice.request_size : ImageSize{uint32_t(crop.width), uint32_t(crop.height)};
    RgbaImage sent_pixels = resize_rgba(source, sent.width, sent.height);
    GrayImage sent_coverage = resize_gray(mask, sent.width, sent.height);

    PreparedCommand prepared;
    prepared.kind = CommandKind::inpaint_selection;
    prepared.edit = true;
    prepared.above_layer = options.layer;
    prepared.request = options.request;
    // Encoded to fit the route's per-image limit; a downscale scales the mask with the crop.
    UploadBatch uploads = encode_uploads(sent_pixels, "layer", sent_coverage, 0, {}, {}, profile,
                                         options.request.upload_quality);
    prepared.request.images = std::move(uploads.images);
    prepared.request.has_mask = uploads.has_mask;
    prepared.request.mask = std::move(uploads.mask);
    // The crop decides the size; a size the host passed would only distort it.
    prepared.request.size = choice.size_field && choice.request_size.width ? choice.request_size.text() : std::string();
    prepared.metadata = {{"crop", rect_json(crop)},
                         {"request_size", sent.text()},
                         {"crop_scale", choice.scale},
                         {"selection", rect_json(touched)},
                       {"uploads", std::move(uploads.report)}};

    prepared.make_layer = [crop, mask = std::move(mask), source = std::move(source)](const RgbaImage &model) {
        return masked_layer(model, crop, mask, source);
    };
    return prepared;
}

} // namespace pictor::plugin
