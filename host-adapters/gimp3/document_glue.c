/* document_glue.h on libgimp 3: the seam speaks in ids, libgimp 3 in objects; each call looks
 * its object up by id, so an item deleted while Pictor waited is simply gone. */
#include "document_glue.h"

static GimpImage *image_of(gint32 id) {
    GimpImage *image = gimp_image_get_by_id(id);
    return image && gimp_image_is_valid(image) ? image : NULL;
}

static GimpDrawable *drawable_of(gint32 id) {
    GimpItem *item = gimp_item_get_by_id(id);
    return item && GIMP_IS_DRAWABLE(item) && gimp_item_is_valid(item) ? GIMP_DRAWABLE(item) : NULL;
}

gboolean pictor_glue_image_valid(gint32 image) { return image_of(image) != NULL; }

gboolean pictor_glue_image_size(gint32 id, gint *width, gint *height) {
    GimpImage *image = image_of(id);
    if (!image)
        return FALSE;
    *width = gimp_image_get_width(image);
    *height = gimp_image_get_height(image);
    return TRUE;
}

GimpImageBaseType pictor_glue_image_base_type(gint32 id) {
    GimpImage *image = image_of(id);
    return image ? gimp_image_get_base_type(image) : GIMP_INDEXED;
}

gint32 pictor_glue_layer_of(gint32 drawable) {
    GimpItem *item = gimp_item_get_by_id(drawable);
    if (item && GIMP_IS_LAYER_MASK(item))
        return gimp_item_get_id(GIMP_ITEM(gimp_layer_from_mask(GIMP_LAYER_MASK(item))));
    return item && GIMP_IS_LAYER(item) ? drawable : -1;
}

gboolean pictor_glue_describe(gint32 id, gint *width, gint *height, gint *offset_x,
                              gint *offset_y, gchar **name) {
    GimpDrawable *drawable = drawable_of(id);
    if (!drawable)
        return FALSE;
    gimp_drawable_get_offsets(drawable, offset_x, offset_y);
    *width = gimp_drawable_get_width(drawable);
    *height = gimp_drawable_get_height(drawable);
    *name = g_strdup(gimp_item_get_name(GIMP_ITEM(drawable)));
    return TRUE;
}

GeglBuffer *pictor_glue_buffer(gint32 id) {
    GimpDrawable *drawable = drawable_of(id);
    return drawable ? gimp_drawable_get_buffer(drawable) : NULL;
}

GeglBuffer *pictor_glue_selection_buffer(gint32 id) {
    GimpImage *image = image_of(id);
    GimpSelection *selection = image ? gimp_image_get_selection(image) : NULL;
    return selection ? gimp_drawable_get_buffer(GIMP_DRAWABLE(selection)) : NULL;
}

gboolean pictor_glue_selection_bounds(gint32 id, gboolean *non_empty, gint *x1, gint *y1,
                                      gint *x2, gint *y2) {
    GimpImage *image = image_of(id);
    return image && gimp_selection_bounds(image, non_empty, x1, y1, x2, y2);
}

void pictor_glue_drawable_update(gint32 id, gint width, gint height) {
    GimpDrawable *drawable = drawable_of(id);
    if (drawable)
        gimp_drawable_update(drawable, 0, 0, width, height);
}

void pictor_glue_undo_group(gint32 id, gboolean start) {
    GimpImage *image = image_of(id);
    if (image && start)
        gimp_image_undo_group_start(image);
    else if (image)
        gimp_image_undo_group_end(image);
}

gint32 pictor_glue_insert_layer(gint32 id, const gchar *name, gint width, gint height,
                                gint offset_x, gint offset_y, gint32 above_id, gboolean on_top,
                                gchar **error) {
    GimpImage *image = image_of(id);
    GimpLayer *layer = image ? gimp_layer_new(image, name, width, height, GIMP_RGBA_IMAGE, 100.0,
                                              GIMP_LAYER_MODE_NORMAL)
                             : NULL;
    if (!layer) {
        *error = g_strdup_printf(PICTOR_GLUE_TEXT_NO_LAYER, width, height);
        return -1;
    }
    /* Directly above `above`: its parent (layer group or the image), at its position. */
    GimpItem *above = on_top ? NULL : gimp_item_get_by_id(above_id);
    GimpLayer *parent = NULL;
    gint position = 0;
    if (above && GIMP_IS_LAYER(above) && gimp_item_is_valid(above) &&
        gimp_item_get_image(above) == image) {
        GimpItem *above_parent = gimp_item_get_parent(above);
        parent = above_parent ? GIMP_LAYER(above_parent) : NULL;
        position = gimp_image_get_item_position(image, above);
    }
    if (!gimp_image_insert_layer(image, layer, parent, position)) {
        gimp_item_delete(GIMP_ITEM(layer));
        *error = g_strdup(PICTOR_GLUE_TEXT_NOT_INSERTED);
        return -1;
    }
    gimp_layer_set_offsets(layer, offset_x, offset_y);
    return gimp_item_get_id(GIMP_ITEM(layer));
}

gint32 pictor_glue_add_mask(gint32 id) {
    GimpLayer *layer = gimp_layer_get_by_id(id);
    GimpLayerMask *mask = layer ? gimp_layer_create_mask(layer, GIMP_ADD_MASK_WHITE) : NULL;
    return mask && gimp_layer_add_mask(layer, mask) ? gimp_item_get_id(GIMP_ITEM(mask)) : -1;
}

void pictor_glue_select_layer(gint32 image_id, gint32 id) {
    GimpImage *image = image_of(image_id);
    GimpLayer *layer = gimp_layer_get_by_id(id);
    if (!image || !layer)
        return;
    gimp_layer_set_edit_mask(layer, FALSE);
    const GimpLayer *selected[] = {layer, NULL};
    gimp_image_set_selected_layers(image, selected);
}

gboolean pictor_glue_scale_layer(gint32 id, gint width, gint height, gint offset_x,
                                 gint offset_y) {
    GimpLayer *layer = gimp_layer_get_by_id(id);
    return layer && gimp_layer_scale(layer, width, height, FALSE) &&
           gimp_layer_set_offsets(layer, offset_x, offset_y);
}
