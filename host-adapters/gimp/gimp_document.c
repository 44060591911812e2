#include "gimp_document.h"

#include <string.h>

/* Pixels cross the seam as 8-bit sRGB-encoded RGBA with straight alpha; babl converts from and
 * to whatever precision the image has. Coverage (selection, masks) is linear 8-bit. */
#define PIXEL_FORMAT "R'G'B'A u8"
#define COVERAGE_FORMAT "Y u8"

void pictor_gimp_document_init(PictorGimpDocument *document, gint32 image) {
    memset(document, 0, sizeof(*document));
    document->image = image;
    document->last_layer_added = -1;
}

void pictor_gimp_document_finish(PictorGimpDocument *document) {
    if (document->undo_group_open && gimp_image_is_valid(document->image))
        gimp_image_undo_group_end(document->image);
    document->undo_group_open = FALSE;
    g_clear_pointer(&document->layer_name, g_free);
    g_clear_pointer(&document->add_error, g_free);
}

gint32 pictor_gimp_active_layer(gint32 image, gint32 drawable, gchar **error) {
    switch (gimp_image_base_type(image)) {
    case GIMP_RGB:
        break;
    case GIMP_GRAY:
        *error = g_strdup("Pictor works on RGB images and this one is grayscale: choose "
                          "Image > Mode > RGB, then run it again.");
        return -1;
    default:
        *error = g_strdup("Pictor works on RGB images and this one is indexed: choose "
                          "Image > Mode > RGB, then run it again.");
        return -1;
    }
    if (gimp_item_is_layer_mask(drawable))
        return gimp_layer_from_mask(drawable);
    if (gimp_item_is_layer(drawable))
        return drawable;
    *error = g_strdup("The active drawable is a channel, not a layer: click a layer in the "
                      "Layers dialog, then run it again.");
    return -1;
}

static int canvas_size(void *user_data, uint32_t *width, uint32_t *height) {
    PictorGimpDocument *document = user_data;
    gint w = gimp_image_width(document->image), h = gimp_image_height(document->image);
    if (w <= 0 || h <= 0)
        return 1;
    *width = (uint32_t)w;
    *height = (uint32_t)h;
    return 0;
}

static int describe_layer(void *user_data, int32_t layer, pictor_layer_desc *desc) {
    PictorGimpDocument *document = user_data;
    if (!gimp_item_is_valid(layer) || !gimp_item_is_drawable(layer))
        return 1;
    gint offset_x = 0, offset_y = 0;
    gimp_drawable_offsets(layer, &offset_x, &offset_y);
    desc->width = (uint32_t)gimp_drawable_width(layer);
    desc->height = (uint32_t)gimp_drawable_height(layer);
    desc->offset_x = offset_x;
    desc->offset_y = offset_y;
    /* The library copies the name; keep ours alive until the next call. */
    g_free(document->layer_name);
    document->layer_name = gimp_item_get_name(layer);
    desc->name = document->layer_name;
    return 0;
}

static int read_layer(void *user_data, int32_t layer, int32_t x, int32_t y, uint32_t width,
                      uint32_t height, uint8_t *rgba, size_t stride) {
    (void)user_data;
    GeglBuffer *buffer = gimp_drawable_get_buffer(layer);
    if (!buffer)
        return 1;
    gegl_buffer_get(buffer, GEGL_RECTANGLE(x, y, (gint)width, (gint)height), 1.0,
                    babl_format(PIXEL_FORMAT), rgba, (gint)stride, GEGL_ABYSS_NONE);
    g_object_unref(buffer);
    return 0;
}

static int describe_selection(void *user_data, pictor_selection_desc *desc) {
    PictorGimpDocument *document = user_data;
    gboolean non_empty = FALSE;
    gint x1 = 0, y1 = 0, x2 = 0, y2 = 0; /* x2, y2: one past the last selected pixel */
    if (!gimp_selection_bounds(document->image, &non_empty, &x1, &y1, &x2, &y2))
        return 1;
    desc->is_empty = non_empty ? 0 : 1;
    desc->x = x1;
    desc->y = y1;
    desc->width = non_empty ? (uint32_t)(x2 - x1) : 0;
    desc->height = non_empty ? (uint32_t)(y2 - y1) : 0;
    return 0;
}

static int read_selection(void *user_data, int32_t x, int32_t y, uint32_t width, uint32_t height,
                          uint8_t *coverage, size_t stride) {
    PictorGimpDocument *document = user_data;
    gint32 selection = gimp_image_get_selection(document->image);
    GeglBuffer *buffer = selection > 0 ? gimp_drawable_get_buffer(selection) : NULL;
    if (!buffer)
        return 1;
    /* The selection channel covers the canvas, so canvas space is its own space. */
    gegl_buffer_get(buffer, GEGL_RECTANGLE(x, y, (gint)width, (gint)height), 1.0,
                    babl_format(COVERAGE_FORMAT), coverage, (gint)stride, GEGL_ABYSS_NONE);
    g_object_unref(buffer);
    return 0;
}

static gboolean write_pixels(gint32 drawable, const uint8_t *pixels, uint32_t width,
                             uint32_t height, const char *format) {
    GeglBuffer *buffer = gimp_drawable_get_buffer(drawable);
    if (!buffer)
        return FALSE;
    gegl_buffer_set(buffer, GEGL_RECTANGLE(0, 0, (gint)width, (gint)height), 0,
                    babl_format(format), pixels, GEGL_AUTO_ROWSTRIDE);
    g_object_unref(buffer); /* sends the tiles back to GIMP */
    return TRUE;
}

static int fail_add(PictorGimpDocument *document, gchar *message) {
    g_free(document->add_error);
    document->add_error = message;
    return 1;
}

/* Where a layer goes so that it sits directly above `above`: the same parent (layer group or
 * the image), at `above`'s position (0 is the top of a stack). */
static void insertion_point(gint32 image, gint32 above, gint32 *parent, gint *position) {
    if (gimp_item_is_valid(above) && gimp_item_is_layer(above) &&
        gimp_item_get_image(above) == image) {
        gint32 above_parent = gimp_item_get_parent(above);
        *parent = above_parent > 0 ? above_parent : -1;
        *position = gimp_image_get_item_position(image, above);
    } else {
        /* The layer was deleted during the wait: GIMP's "above the active layer". */
        *parent = -1;
        *position = -1;
    }
}

static int add_layer(void *user_data, const pictor_new_layer *result) {
    PictorGimpDocument *document = user_data;
    gint32 image = document->image;
    if (!gimp_image_is_valid(image))
        return fail_add(document, g_strdup("The image was closed while Pictor waited; the "
                                           "result is in Pictor's history folder."));
    if (!document->undo_group_open) {
        /* Opened at the first result, not before the wait, so that edits made while waiting
         * stay undo steps of their own. */
        gimp_image_undo_group_start(image);
        document->undo_group_open = TRUE;
    }
    gint32 layer = gimp_layer_new(image, result->name, (gint)result->width, (gint)result->height,
                                  GIMP_RGBA_IMAGE, 100.0, GIMP_LAYER_MODE_NORMAL);
    if (layer <= 0)
        return fail_add(document, g_strdup_printf("GIMP could not make a %ux%u layer.",
                                                  result->width, result->height));
    gint32 parent;
    gint position;
    insertion_point(image, result->above_layer, &parent, &position);
    if (!gimp_image_insert_layer(image, layer, parent, position)) {
        gimp_item_delete(layer);
        return fail_add(document, g_strdup("GIMP refused to insert the new layer."));
    }
    gimp_layer_set_offsets(layer, result->offset_x, result->offset_y);
    if (!write_pixels(layer, result->rgba, result->width, result->height, PIXEL_FORMAT))
        return fail_add(document, g_strdup("GIMP gave no pixel buffer for the new layer."));
    if (result->mask) {
        /* The feathered selection as a real layer mask: the user can still paint on it. */
        gint32 mask = gimp_layer_create_mask(layer, GIMP_ADD_MASK_WHITE);
        if (mask <= 0 || !gimp_layer_add_mask(layer, mask) ||
            !write_pixels(mask, result->mask, result->width, result->height, COVERAGE_FORMAT))
            return fail_add(document, g_strdup("GIMP could not give the new layer its mask."));
    }
    document->layers_added++;
    document->last_layer_added = layer;
    return 0;
}

void pictor_gimp_document_bind(PictorGimpDocument *document, pictor_host *host) {
    host->user_data = document;
    host->canvas_size = canvas_size;
    host->describe_layer = describe_layer;
    host->read_layer = read_layer;
    host->describe_selection = describe_selection;
    host->read_selection = read_selection;
    host->add_layer = add_layer;
}
