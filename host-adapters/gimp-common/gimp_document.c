#include "gimp_document.h"

#include "command_settings.h"
#include "document_glue.h"

#include <string.h>

/* Pixels cross the seam as 8-bit sRGB-encoded RGBA with straight alpha; babl converts from and
 * to whatever precision the image has. Coverage (selection, masks) is linear 8-bit. */
#define PIXEL_FORMAT "R'G'B'A u8"
#define COVERAGE_FORMAT "Y u8"

void pictor_gimp_document_init(PictorGimpDocument *document, gint32 image) {
    memset(document, 0, sizeof(*document));
    document->image = image;
    document->last_layer_added = -1;
    document->added_layers = g_array_new(FALSE, FALSE, sizeof(gint32));
}

void pictor_gimp_document_finish(PictorGimpDocument *document) {
    if (document->undo_group_open && pictor_glue_image_valid(document->image))
        pictor_glue_undo_group(document->image, FALSE);
    document->undo_group_open = FALSE;
    g_clear_pointer(&document->layer_name, g_free);
    g_clear_pointer(&document->add_error, g_free);
    if (document->added_layers)
        g_array_free(document->added_layers, TRUE);
    document->added_layers = NULL;
}

gint32 pictor_gimp_active_layer(gint32 image, gint32 drawable, gchar **error) {
    switch (pictor_glue_image_base_type(image)) {
    case GIMP_RGB:
        break;
    case GIMP_GRAY:
        *error = g_strdup(PICTOR_GIMP_TEXT_GRAYSCALE);
        return -1;
    default:
        *error = g_strdup(PICTOR_GIMP_TEXT_INDEXED);
        return -1;
    }
    gint32 layer = pictor_glue_layer_of(drawable);
    if (layer < 0)
        *error = g_strdup(PICTOR_GIMP_TEXT_CHANNEL);
    return layer;
}

static int canvas_size(void *user_data, uint32_t *width, uint32_t *height) {
    PictorGimpDocument *document = user_data;
    gint w = 0, h = 0;
    if (!pictor_glue_image_size(document->image, &w, &h) || w <= 0 || h <= 0)
        return 1;
    *width = (uint32_t)w;
    *height = (uint32_t)h;
    return 0;
}

static int describe_layer(void *user_data, int32_t layer, pictor_layer_desc *desc) {
    PictorGimpDocument *document = user_data;
    gint width = 0, height = 0, offset_x = 0, offset_y = 0;
    gchar *name = NULL;
    if (!pictor_glue_describe(layer, &width, &height, &offset_x, &offset_y, &name))
        return 1;
    desc->width = (uint32_t)width;
    desc->height = (uint32_t)height;
    desc->offset_x = offset_x;
    desc->offset_y = offset_y;
    /* The library copies the name; keep ours alive until the next call. */
    g_free(document->layer_name);
    document->layer_name = name;
    desc->name = document->layer_name;
    return 0;
}

static int read_buffer(GeglBuffer *buffer, int32_t x, int32_t y, uint32_t width, uint32_t height,
                       const char *format, uint8_t *pixels, size_t stride) {
    if (!buffer)
        return 1;
    gegl_buffer_get(buffer, GEGL_RECTANGLE(x, y, (gint)width, (gint)height), 1.0,
                    babl_format(format), pixels, (gint)stride, GEGL_ABYSS_NONE);
    g_object_unref(buffer);
    return 0;
}

static int read_layer(void *user_data, int32_t layer, int32_t x, int32_t y, uint32_t width,
                      uint32_t height, uint8_t *rgba, size_t stride) {
    (void)user_data;
    return read_buffer(pictor_glue_buffer(layer), x, y, width, height, PIXEL_FORMAT, rgba, stride);
}

static int describe_selection(void *user_data, pictor_selection_desc *desc) {
    PictorGimpDocument *document = user_data;
    gboolean non_empty = FALSE;
    gint x1 = 0, y1 = 0, x2 = 0, y2 = 0; /* x2, y2: one past the last selected pixel */
    if (!pictor_glue_selection_bounds(document->image, &non_empty, &x1, &y1, &x2, &y2))
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
    /* The selection channel covers the canvas, so canvas space is its own space. */
    return read_buffer(pictor_glue_selection_buffer(document->image), x, y, width, height,
                       COVERAGE_FORMAT, coverage, stride);
}

static gboolean write_pixels(gint32 drawable, const uint8_t *pixels, uint32_t width,
                             uint32_t height, const char *format) {
    GeglBuffer *buffer = pictor_glue_buffer(drawable);
    if (!buffer)
        return FALSE;
    gegl_buffer_set(buffer, GEGL_RECTANGLE(0, 0, (gint)width, (gint)height), 0,
                    babl_format(format), pixels, GEGL_AUTO_ROWSTRIDE);
    g_object_unref(buffer); /* sends the tiles back to GIMP */
    pictor_glue_drawable_update(drawable, (gint)width, (gint)height); /* thumbnails */
    return TRUE;
}

static int fail_add(PictorGimpDocument *document, gchar *message) {
    g_free(document->add_error);
    document->add_error = message;
    return 1;
}

static int add_layer(void *user_data, const pictor_new_layer *result) {
    PictorGimpDocument *document = user_data;
    gint32 image = document->image;
    if (!pictor_glue_image_valid(image))
        return fail_add(document, g_strdup("The image was closed while Pictor waited; the "
                                           "result is in Pictor's history folder."));
    if (!document->undo_group_open) {
        /* Opened at the first result, not before the wait, so that edits made while waiting
         * stay undo steps of their own. */
        pictor_glue_undo_group(image, TRUE);
        document->undo_group_open = TRUE;
    }
    gchar *error = NULL;
    gint32 layer = pictor_glue_insert_layer(image, result->name, (gint)result->width,
                                            (gint)result->height, result->offset_x,
                                            result->offset_y, result->above_layer,
                                            document->on_top, &error);
    if (layer < 0)
        return fail_add(document, error);
    if (!write_pixels(layer, result->rgba, result->width, result->height, PIXEL_FORMAT))
        return fail_add(document, g_strdup("GIMP gave no pixel buffer for the new layer."));
    if (result->mask) {
        /* The feathered selection as a real layer mask: the user can still paint on it. */
        gint32 mask = pictor_glue_add_mask(layer);
        if (mask < 0 || !write_pixels(mask, result->mask, result->width, result->height, COVERAGE_FORMAT))
            return fail_add(document, g_strdup("GIMP could not give the new layer its mask."));
        /* The layer, not its mask, stays active: the Pictor entries need a layer. */
        pictor_glue_select_layer(image, layer);
    }
    document->layers_added++;
    document->last_layer_added = layer;
    g_array_append_val(document->added_layers, layer);
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
