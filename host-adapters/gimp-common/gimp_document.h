/* A GIMP image as the library's host seam sees it: the read callbacks (canvas, layers,
 * selection) and add_layer, which inserts results above the active layer (an edit's on top) in
 * one undo group. Every callback runs on the plug-in's main thread (libgimp is single-threaded).
 * Written once over document_glue.h, which each adapter implements for its libgimp. */
#ifndef PICTOR_GIMP_DOCUMENT_H
#define PICTOR_GIMP_DOCUMENT_H

#include <libgimp/gimp.h>
#include <pictor/pictor.h>

typedef struct {
    gint32 image;
    gchar *layer_name;        /* the last name handed to the library by describe_layer */
    gboolean undo_group_open; /* opened by the first add_layer, closed by ..._finish */
    gint layers_added;
    gint32 last_layer_added;
    GArray *added_layers;     /* gint32 ids, in the order added */
    gboolean on_top;          /* results go on top of the stack instead of above the active one */
    gchar *add_error;         /* why inserting a layer failed, if it did */
} PictorGimpDocument;

void pictor_gimp_document_init(PictorGimpDocument *document, gint32 image);
/* Closes the undo group (if a layer was added) and frees what the document holds. */
void pictor_gimp_document_finish(PictorGimpDocument *document);

/* Fills the document's callbacks into host (progress, preview and message are left alone). */
void pictor_gimp_document_bind(PictorGimpDocument *document, pictor_host *host);

/* The layer a command works on: the drawable itself, the layer owning a layer mask, or -1 with
 * *error set when the drawable is a channel or the image is not RGB. */
gint32 pictor_gimp_active_layer(gint32 image, gint32 drawable, gchar **error);

#endif
