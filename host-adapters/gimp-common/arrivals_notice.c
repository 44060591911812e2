#include "arrivals_notice.h"

#include "command_settings.h"
#include "history_browser.h"

#include <libgimp/gimp.h> /* before gimpui.h, which builds on it */
#include <libgimp/gimpui.h>
#include <json-glib/json-glib.h>

#define ARRIVALS_TITLE "Pictor: Images Arrived"
enum { RESPONSE_SHOW = 1, RESPONSE_INSERT = 2 };

gchar **pictor_gimp_arrivals(gchar **error) {
    JsonNode *root = pictor_gimp_history_search(NULL, 0, error);
    if (!root)
        return NULL;
    GPtrArray *ids = g_ptr_array_new();
    JsonArray *entries = json_node_get_array(root);
    for (guint i = json_array_get_length(entries); i-- > 0;) { /* newest first: oldest first here */
        JsonObject *entry = json_array_get_object_element(entries, i);
        if (entry && pictor_gimp_history_not_delivered(entry) && json_object_has_member(entry, "id"))
            g_ptr_array_add(ids, g_strdup(json_object_get_string_member(entry, "id")));
    }
    g_ptr_array_add(ids, NULL);
    json_node_unref(root);
    return (gchar **)g_ptr_array_free(ids, FALSE);
}

gchar *pictor_gimp_arrivals_headline(guint count) {
    return count == 1 ? g_strdup("1 paid image arrived while you were away.")
                      : g_strdup_printf("%u paid images arrived while you were away.", count);
}

guint pictor_gimp_arrivals_insert(gint32 image, gint32 above, gchar **ids, GArray *added,
                                  gchar **error) {
    guint inserted = 0;
    for (guint i = 0; ids && ids[i]; i++) {
        gchar *failed = NULL;
        gint32 layer = pictor_gimp_history_insert_id(image, above, ids[i], FALSE, &failed);
        if (layer < 0) {
            if (!*error)
                *error = g_strdup_printf("%s (history entry %s)", failed, ids[i]);
            g_free(failed);
            continue;
        }
        inserted++;
        above = layer; /* in the order they arrived, the newest on top */
        if (added)
            g_array_append_val(added, layer);
    }
    return inserted;
}

gboolean pictor_gimp_arrivals_ask(gint32 image, gint32 above, gchar **ids, GArray *added) {
    guint count = g_strv_length(ids);
    gchar *headline = pictor_gimp_arrivals_headline(count);
    GtkWidget *dialog = gtk_message_dialog_new(NULL, GTK_DIALOG_MODAL, GTK_MESSAGE_INFO,
                                               GTK_BUTTONS_NONE, "%s", headline);
    gtk_window_set_title(GTK_WINDOW(dialog), ARRIVALS_TITLE);
    gimp_window_set_transient(GTK_WINDOW(dialog));
    gtk_message_dialog_format_secondary_text(
        GTK_MESSAGE_DIALOG(dialog),
        count == 1 ? "It was paid for, and came after Pictor had stopped waiting (GIMP was closed, "
                     "or you pressed Stop Waiting). It is in Pictor's history, marked \"Recover\". "
                     "Insert puts it into this image as a new layer; Show opens the history."
                   : "They were paid for, and came after Pictor had stopped waiting (GIMP was "
                     "closed, or you pressed Stop Waiting). They are in Pictor's history, marked "
                     "\"Recover\". Insert puts them into this image as new layers; Show opens the "
                     "history.");
    gtk_dialog_add_buttons(GTK_DIALOG(dialog), "_Later", GTK_RESPONSE_CLOSE, "_Show",
                           RESPONSE_SHOW, "_Insert", RESPONSE_INSERT, NULL);
    gtk_dialog_set_default_response(GTK_DIALOG(dialog), RESPONSE_INSERT);
    gint response = gtk_dialog_run(GTK_DIALOG(dialog));
    gtk_widget_destroy(dialog);
    g_free(headline);
    if (response == RESPONSE_INSERT) {
        gchar *error = NULL;
        pictor_gimp_arrivals_insert(image, above, ids, added, &error);
        gimp_displays_flush();
        if (error)
            gimp_message(error);
        g_free(error);
    }
    return response == RESPONSE_SHOW;
}

/* For a script: the headline, and how to insert them without a dialog. */
static gchar *batch_text(gchar **ids) {
    guint count = g_strv_length(ids);
    gchar *headline = pictor_gimp_arrivals_headline(count);
    gchar *listed = g_strjoinv(", ", ids);
    gchar *text = g_strdup_printf(
        "Pictor: %s %s in Pictor's history, marked \"Recover\" in Filters > Pictor > History; a "
        "script inserts %s with %s and the id: %s",
        headline, count == 1 ? "It is" : "They are", count == 1 ? "it" : "each one",
        PICTOR_GIMP_PROC_HISTORY, listed);
    g_free(listed);
    g_free(headline);
    return text;
}

void pictor_gimp_arrivals_notice(gint32 image, gint32 above, gboolean interactive, GArray *added) {
    gchar *error = NULL;
    gchar **ids = pictor_gimp_arrivals(&error);
    /* An unreadable history is the command's own business: it checks the folder before sending. */
    g_free(error);
    if (ids && ids[0]) {
        if (!interactive) {
            gchar *text = batch_text(ids);
            gimp_message(text);
            g_free(text);
        } else if (pictor_gimp_arrivals_ask(image, above, ids, added)) {
            pictor_gimp_history_browser_arrivals(image, above, added);
        }
    }
    g_strfreev(ids);
}
