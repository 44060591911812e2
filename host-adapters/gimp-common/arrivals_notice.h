/* Paid images that reached Pictor's history after the plug-in stopped waiting for them (GIMP
 * closed or the plug-in killed mid-request, or Stop Waiting pressed): pictor_history_list's
 * "delivered": false. Both GIMP adapters tell the user about them when a Pictor command runs and
 * when the history browser opens, and offer to insert them or to show them. */
#ifndef PICTOR_GIMP_ARRIVALS_NOTICE_H
#define PICTOR_GIMP_ARRIVALS_NOTICE_H

#include <glib.h>

/* The ids of the entries not yet delivered, oldest first (g_strfreev); NULL with *error when
 * the history cannot be read. An empty vector when there are none. */
gchar **pictor_gimp_arrivals(gchar **error);

/* What the user is told, e.g. "1 paid image arrived while you were away." (g_free). */
gchar *pictor_gimp_arrivals_headline(guint count);

/* Inserts each arrival into image as a new layer at its own size, each above the previous one
 * (the first above `above`; on top when -1), and clears its mark. The ids of the layers added are
 * appended to added (NULL allowed). Returns how many were inserted; *error says why one was not
 * (the rest are still tried). */
guint pictor_gimp_arrivals_insert(gint32 image, gint32 above, gchar **ids, GArray *added,
                                  gchar **error);

/* Tells the user about arrivals, if there are any. Interactively a dialog: Insert (into image,
 * above `above`), Show (the history browser, showing only them) or Later; otherwise a GIMP
 * message naming them and how a script inserts one, so that a batch run never waits on a
 * dialog. added: as for pictor_gimp_arrivals_insert. */
void pictor_gimp_arrivals_notice(gint32 image, gint32 above, gboolean interactive, GArray *added);

/* For the history browser: the dialog only (no history browser behind Show). Returns TRUE when
 * the user chose Show; inserts on Insert. */
gboolean pictor_gimp_arrivals_ask(gint32 image, gint32 above, gchar **ids, GArray *added);

#endif
