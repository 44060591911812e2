/* What the shared document (gimp_document.c) needs from one libgimp version, by item id: the
 * 2.10 adapter implements it on ids, the GIMP 3 adapter on the objects it looks up by id. Each
 * call fails softly (FALSE, -1, NULL) on an item deleted while Pictor waited. */
#ifndef PICTOR_GIMP_DOCUMENT_GLUE_H
#define PICTOR_GIMP_DOCUMENT_GLUE_H

#include <libgimp/gimp.h>

gboolean pictor_glue_image_valid(gint32 image);
gboolean pictor_glue_image_size(gint32 image, gint *width, gint *height);
/* GIMP_RGB, GIMP_GRAY or GIMP_INDEXED. */
GimpImageBaseType pictor_glue_image_base_type(gint32 image);
/* The layer a layer mask belongs to; the drawable itself for a layer; -1 for anything else. */
gint32 pictor_glue_layer_of(gint32 drawable);
/* Size, offsets and name (g_free) of a drawable. */
gboolean pictor_glue_describe(gint32 drawable, gint *width, gint *height, gint *offset_x,
                              gint *offset_y, gchar **name);
GeglBuffer *pictor_glue_buffer(gint32 drawable);
GeglBuffer *pictor_glue_selection_buffer(gint32 image);
gboolean pictor_glue_selection_bounds(gint32 image, gboolean *non_empty, gint *x1, gint *y1,
                                      gint *x2, gint *y2);
void pictor_glue_drawable_update(gint32 drawable, gint width, gint height);
void pictor_glue_undo_group(gint32 image, gboolean start);
/* Why pictor_glue_insert_layer failed. */
#define PICTOR_GLUE_TEXT_NO_LAYER "GIMP could not make a %dx%d layer."
#define PICTOR_GLUE_TEXT_NOT_INSERTED "GIMP refused to insert the new layer."

/* A new RGBA layer inserted directly above `above` (same parent), or on top of the stack
 * when on_top or when `above` is gone; its id, or -1 with *error set. */
gint32 pictor_glue_insert_layer(gint32 image, const gchar *name, gint width, gint height,
                                gint offset_x, gint offset_y, gint32 above, gboolean on_top,
                                gchar **error);
/* A white layer mask added to the layer; its id, or -1. */
gint32 pictor_glue_add_mask(gint32 layer);
/* Scales a layer to width x height (GIMP's default interpolation) and moves its top-left
 * corner to (offset_x, offset_y); FALSE when GIMP refused. */
gboolean pictor_glue_scale_layer(gint32 layer, gint width, gint height, gint offset_x,
                                 gint offset_y);
/* The layer, not its mask, becomes what the user works on. */
void pictor_glue_select_layer(gint32 image, gint32 layer);

#endif
