/* Pictor History for both GIMP adapters: the images kept in Pictor's history folder, read
 * through the library (pictor_history_search / _load / _thumbnail), put back into an image as
 * new layers. */
#ifndef PICTOR_GIMP_HISTORY_BROWSER_H
#define PICTOR_GIMP_HISTORY_BROWSER_H

#include <glib.h>

/* Inserts a history entry into `image` as a new layer, in one undo step: directly above layer
 * `above` (on top of the stack when it is -1). entry: an id (or its start) or text of the
 * prompt, the newest match taken. fit: scaled to fit inside the canvas, keeping its aspect,
 * centred; else at its own size at the canvas's top-left corner. Returns the layer's id, or -1
 * with *error saying what to do. */
gint32 pictor_gimp_history_insert(gint32 image, gint32 above, const gchar *entry, gboolean fit,
                                  gchar **error);

/* The browser window (GTK 2 and 3); returns when the user closes it. The ids of the layers it
 * inserted are appended to added (gint32; NULL allowed). */
void pictor_gimp_history_browser(gint32 image, gint32 above, GArray *added);

#endif
