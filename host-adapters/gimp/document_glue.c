/* document_glue.h on libgimp 2.10, whose API speaks in ids already. */
#include "document_glue.h"

gboolean pictor_glue_image_valid(gint32 image) { return gimp_image_is_valid(image); }

gboolean pictor_glue_image_size(gint32 image, gint *width, gint *height) {
    if (!gimp_image_is_valid(image))
        return FALSE;
    *width = gimp_image_width(image);
    *height = gimp_image_height(image);
    return TRUE;
}

GimpImageBaseType pictor_glue_image_base_type(gint32 image) { return gimp_image_base_type(image); }

gint32 pictor_glue_layer_of(gint32 drawable) {
    if (gimp_item_is_layer_mask(drawable))
        return gimp_layer_from_mask(drawable);
    return gimp_item_is_layer(drawable) ? drawable : -1;
}

gboolean pictor_glue_describe(gint32 drawable, gint *width, gint *height, gint *offset_x,
                              gint *offset_y, gchar **name) {
    if (!gimp_item_is_valid(drawable) || !gimp_item_is_drawable(drawable))
        return FALSE;
    gimp_drawable_offsets(drawable, offset_x, offset_y);
    *width = gimp_drawable_width(drawable);
    *height = gimp_drawable_height(drawable);
    *name = gimp_item_get_name(drawable);
    return TRUE;
}

GeglBuffer *pictor_glue_buffer(gint32 drawable) {
    return gimp_item_is_valid(drawable) ? gimp_drawable_get_buffer(drawable) : NULL;
}

GeglBuffer *pictor_glue_selection_buffer(gint32 image) {
    gint32 selection = gimp_image_get_selection(image);
    return selection > 0 ? gimp_drawable_get_buffer(selection) : NULL;
}

gboolean pictor_glue_selection_bounds(gint32 image, gboolean *non_empty, gint *x1, gint *y1,
                                      gint *x2, gint *y2) {
    return gimp_selection_bounds(image, non_empty, x1, y1, x2, y2);
}

void pictor_glue_drawable_update(gint32 drawable, gint width, gint height) {
    gimp_drawable_update(drawable, 0, 0, width, height);
}

void pictor_glue_undo_group(gint32 image, gboolean start) {
    if (start)
        gimp_image_undo_group_start(image);
    else
        gimp_image_undo_group_end(image);
}

gint32 pictor_glue_insert_layer(gint32 image, const gchar *name, gint width, gint height,
                                gint offset_x, gint offset_y, gint32 above, gboolean on_top,
                                gchar **error) {
    gint32 layer = gimp_layer_new(image, name, width, height, GIMP_RGBA_IMAGE, 100.0,
                                  GIMP_LAYER_MODE_NORMAL);
    if (layer <= 0) {
        *error = g_strdup_printf(PICTOR_GLUE_TEXT_NO_LAYER, width, height);
        return -1;
    }
    /* Directly above `above`: its parent (layer group or the image), at its position. */
    gint32 parent = -1;
    gint position = 0;
    if (!on_top && gimp_item_is_valid(above) && gimp_item_is_layer(above) &&
        gimp_item_get_image(above) == image) {
        gint32 above_parent = gimp_item_get_parent(above);
        parent = above_parent > 0 ? above_parent : -1;
        position = gimp_image_get_item_position(image, above);
    }
    if (!gimp_image_insert_layer(image, layer, parent, position)) {
        gimp_item_delete(layer);
        *error = g_strdup(PICTOR_GLUE_TEXT_NOT_INSERTED);
        return -1;
    }
    gimp_layer_set_offsets(layer, offset_x, offset_y);
    return layer;
}

gint32 pictor_glue_add_mask(gint32 layer) {
    gint32 mask = gimp_layer_create_mask(layer, GIMP_ADD_MASK_WHITE);
    return mask > 0 && gimp_layer_add_mask(layer, mask) ? mask : -1;
}

void pictor_glue_select_layer(gint32 image, gint32 layer) {
    gimp_layer_set_edit_mask(layer, FALSE);
    gimp_image_set_active_layer(image, layer);
}

gboolean pictor_glue_scale_layer(gint32 layer, gint width, gint height, gint offset_x,
                                 gint offset_y) {
    return gimp_layer_scale(layer, width, height, FALSE) &&
           gimp_layer_set_offsets(layer, offset_x, offset_y);
}
