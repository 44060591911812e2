/* Pictor History for both GIMP adapters: the images kept in Pictor's history folder, read
 * through the library (pictor_history_search / _load / _thumbnail), put back into an image as
 * new layers. */
#ifndef PICTOR_GIMP_HISTORY_BROWSER_H
#define PICTOR_GIMP_HISTORY_BROWSER_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* The entries whose prompt contains text or whose id starts with it (NULL: all), newest first,
 * as a JSON array node (json_node_unref); NULL with *error. limit 0: all of them. */
JsonNode *pictor_gimp_history_search(const gchar *text, gsize limit, gchar **error);
/* An entry of that array whose image arrived after the plug-in had stopped waiting for it. */
gboolean pictor_gimp_history_not_delivered(JsonObject *entry);

/* Inserts a history entry into `image` as a new layer, in one undo step: directly above layer
 * `above` (on top of the stack when it is -1). entry: an id (or its start) or text of the
 * prompt, the newest match taken. fit: scaled to fit inside the canvas, keeping its aspect,
 * centred; else at its own size at the canvas's top-left corner. Returns the layer's id, or -1
 * with *error saying what to do. */
gint32 pictor_gimp_history_insert(gint32 image, gint32 above, const gchar *entry, gboolean fit,
                                  gchar **error);

/* The same for one entry by its exact id, named by its prompt; it is also marked delivered. */
gint32 pictor_gimp_history_insert_id(gint32 image, gint32 above, const gchar *id, gboolean fit,
                                     gchar **error);

/* The browser window (GTK 2 and 3); returns when the user closes it. The ids of the layers it
 * inserted are appended to added (gint32; NULL allowed). When paid images arrived while the
 * user was away, it first says so (arrivals_notice.h). */
void pictor_gimp_history_browser(gint32 image, gint32 above, GArray *added);
/* The browser showing only those images (the notice's Show). */
void pictor_gimp_history_browser_arrivals(gint32 image, gint32 above, GArray *added);

#endif
