#include "history_browser.h"

#include "arrivals_notice.h"
#include "command_settings.h"
#include "document_glue.h"
#include "gateway_client.h"
#include "gimp_document.h"

#include <libgimp/gimp.h> /* before gimpui.h, which builds on it */
#include <libgimp/gimpui.h>
#include <json-glib/json-glib.h>
#include <pictor/pictor.h>
#include <string.h>

/* Layer names and the list show this much of a prompt. */
#define NAME_PROMPT_CHARS 60
#define LIST_PROMPT_CHARS 200

static gchar *library_error(void) {
    return pictor_gimp_host_words(pictor_thread_last_error()->message);
}

JsonNode *pictor_gimp_history_search(const gchar *text, gsize limit, gchar **error) {
    char *json = NULL;
    if (pictor_history_search(NULL, text, limit, &json) != PICTOR_OK) {
        *error = library_error();
        return NULL;
    }
    JsonNode *root = json_from_string(json, NULL);
    pictor_free(json);
    if (!root || !JSON_NODE_HOLDS_ARRAY(root)) {
        if (root)
            json_node_unref(root);
        *error = g_strdup("Pictor's history list could not be read.");
        return NULL;
    }
    return root;
}

static const gchar *member_text(JsonObject *entry, const gchar *name) {
    JsonNode *node = json_object_get_member(entry, name);
    return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
               ? json_node_get_string(node)
               : "";
}

static gchar *shortened(const gchar *text, glong chars) {
    if (g_utf8_strlen(text, -1) <= chars)
        return g_strdup(text);
    gchar *head = g_utf8_substring(text, 0, chars - 1);
    gchar *out = g_strconcat(head, "\xe2\x80\xa6", NULL); /* an ellipsis */
    g_free(head);
    return out;
}

/* The largest size of the same aspect inside the canvas (never 0), and where it is centred. */
static void fit_inside(gint width, gint height, gint canvas_w, gint canvas_h, gint *fit_w,
                       gint *fit_h, gint *x, gint *y) {
    gdouble scale = MIN((gdouble)canvas_w / width, (gdouble)canvas_h / height);
    *fit_w = MAX(1, (gint)(width * scale + 0.5));
    *fit_h = MAX(1, (gint)(height * scale + 0.5));
    *x = (canvas_w - *fit_w) / 2;
    *y = (canvas_h - *fit_h) / 2;
}

static gint32 insert_entry(gint32 image, gint32 above, const gchar *id, const gchar *prompt,
                           gboolean fit, gchar **error) {
    pictor_image *picture = NULL;
    if (pictor_history_load(NULL, id, 0, &picture) != PICTOR_OK) {
        *error = library_error();
        return -1;
    }
    gchar *short_prompt = shortened(*prompt ? prompt : id, NAME_PROMPT_CHARS);
    gchar *name = g_strdup_printf("Pictor: %s", short_prompt);
    const uint8_t *rgba = pictor_image_rgba(picture);
    pictor_new_layer layer;
    memset(&layer, 0, sizeof(layer));
    layer.struct_size = sizeof(layer);
    layer.name = name;
    layer.width = pictor_image_width(picture);
    layer.height = pictor_image_height(picture);
    layer.rgba = layer.masked_rgba = layer.composited_rgba = rgba;
    layer.above_layer = above;
    layer.variation_count = 1;
    layer.history_path = pictor_image_history_path(picture);
    layer.request_id = pictor_image_request_id(picture);

    /* The same insertion as a command's result: one undo group, above the active layer. */
    PictorGimpDocument document;
    pictor_gimp_document_init(&document, image);
    document.on_top = above < 0;
    pictor_host host;
    pictor_host_init(&host);
    pictor_gimp_document_bind(&document, &host);
    gint32 added = -1;
    if (host.add_layer(host.user_data, &layer) != 0) {
        *error = g_strdup(document.add_error ? document.add_error : PICTOR_GLUE_TEXT_NOT_INSERTED);
    } else {
        added = document.last_layer_added;
        /* Its layer has now arrived: a "Recover" mark no longer applies (a failure to clear it
         * costs nothing but the mark). */
        pictor_history_mark_delivered(NULL, id);
        gint canvas_w = 0, canvas_h = 0, w, h, x, y;
        if (fit && pictor_glue_image_size(image, &canvas_w, &canvas_h)) {
            fit_inside((gint)layer.width, (gint)layer.height, canvas_w, canvas_h, &w, &h, &x, &y);
            if (!pictor_glue_scale_layer(added, w, h, x, y))
                *error = g_strdup_printf("GIMP could not scale the layer to %dx%d; it stays at "
                                         "its own size.", w, h);
        }
    }
    pictor_gimp_document_finish(&document);
    g_free(name);
    g_free(short_prompt);
    pictor_image_free(picture);
    return *error ? -1 : added;
}

gint32 pictor_gimp_history_insert(gint32 image, gint32 above, const gchar *entry, gboolean fit,
                                  gchar **error) {
    gchar *text = g_strstrip(g_strdup(entry ? entry : ""));
    if (!*text) {
        g_free(text);
        *error = g_strdup("Name the history entry to insert: its id, or text of its prompt.");
        return -1;
    }
    JsonNode *found = pictor_gimp_history_search(text, 1, error);
    gint32 layer = -1;
    if (found && json_array_get_length(json_node_get_array(found)) == 0) {
        *error = g_strdup_printf("No image in Pictor's history matches \"%s\": Filters > Pictor > "
                                 "History shows what is there.", text);
    } else if (found) {
        JsonObject *object = json_array_get_object_element(json_node_get_array(found), 0);
        layer = insert_entry(image, above, member_text(object, "id"), member_text(object, "prompt"),
                             fit, error);
    }
    if (found)
        json_node_unref(found);
    g_free(text);
    return layer;
}

gint32 pictor_gimp_history_insert_id(gint32 image, gint32 above, const gchar *id, gboolean fit,
                                     gchar **error) {
    char *json = NULL;
    if (pictor_history_entry(NULL, id, &json) != PICTOR_OK) {
        *error = library_error();
        return -1;
    }
    JsonNode *root = json_from_string(json, NULL);
    pictor_free(json);
    const gchar *prompt = root && JSON_NODE_HOLDS_OBJECT(root)
                              ? member_text(json_node_get_object(root), "prompt")
                              : "";
    gint32 layer = insert_entry(image, above, id, prompt, fit, error);
    if (root)
        json_node_unref(root);
    return layer;
}

/* ---- the window ------------------------------------------------------------------------- */

enum { COL_THUMBNAIL, COL_TEXT, COL_ID, COL_PROMPT, COL_FOLDER, COL_COUNT };
enum { RESPONSE_INSERT = 1, RESPONSE_COPY = 2, RESPONSE_FOLDER = 3 };

typedef struct {
    GtkWidget *dialog;
    GtkWidget *search;
    GtkWidget *view;
    GtkWidget *fit;
    GtkWidget *arrived_only; /* shows only the entries not yet delivered; NULL when there are none */
    GtkWidget *status;
    GtkListStore *store;
    guint thumbnail_source;   /* the idle source filling in thumbnails, 0 when none */
    GtkTreeIter next_thumbnail;
    gboolean thumbnails_left;
    gint32 image, above;
    GArray *added;
} Browser;

static void set_status(Browser *b, const gchar *text) { gtk_label_set_text(GTK_LABEL(b->status), text); }

/* "2026-11-21T15:30:12Z" -> "2026-11-21 15:30 UTC"; anything else as it is. */
static gchar *shown_time(const gchar *time) {
    if (strlen(time) >= 16 && time[10] == 'T')
        return g_strdup_printf("%.10s %.5s UTC", time, time + 11);
    return g_strdup(*time ? time : "time unknown");
}

gboolean pictor_gimp_history_not_delivered(JsonObject *entry) {
    JsonNode *delivered = json_object_get_member(entry, "delivered");
    return delivered && JSON_NODE_HOLDS_VALUE(delivered) &&
           json_node_get_value_type(delivered) == G_TYPE_BOOLEAN && !json_node_get_boolean(delivered);
}

static gchar *entry_markup(JsonObject *entry) {
    gchar *prompt = shortened(*member_text(entry, "prompt") ? member_text(entry, "prompt")
                                                             : "(no prompt recorded)",
                              LIST_PROMPT_CHARS);
    gchar *time = shown_time(member_text(entry, "time"));
    JsonNode *cost_node = json_object_get_member(entry, "cost_usd_estimate");
    gchar *cost = cost_node && JSON_NODE_HOLDS_VALUE(cost_node)
                      ? g_strdup_printf("about $%.3f", json_node_get_double(cost_node))
                      : g_strdup("cost unknown");
    const gchar *request_id = member_text(entry, "request_id");
    gboolean recover = pictor_gimp_history_not_delivered(entry);
    gchar *markup = g_markup_printf_escaped(
        "%s<b>%s</b>\n<small>%s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s\nrequest id %s \xc2\xb7 %s</small>",
        recover ? "<span foreground=\"#b00000\"><b>Recover</b></span> " : "", prompt,
        *member_text(entry, "profile") ? member_text(entry, "profile") : "profile unknown",
        *member_text(entry, "size") ? member_text(entry, "size") : "size unknown",
        *member_text(entry, "quality") ? member_text(entry, "quality") : "quality unknown", time,
        cost, *request_id ? request_id : "unknown", member_text(entry, "id"));
    g_free(prompt);
    g_free(time);
    g_free(cost);
    return markup;
}

/* One thumbnail per idle call: the list shows at once, the pictures follow; a thumbnail not
 * yet made is made once by the library and kept for the next time. */
static gboolean load_next_thumbnail(gpointer data) {
    Browser *b = data;
    GtkTreeModel *model = GTK_TREE_MODEL(b->store);
    if (!b->thumbnails_left) {
        b->thumbnail_source = 0;
        return G_SOURCE_REMOVE;
    }
    gchar *id = NULL;
    gtk_tree_model_get(model, &b->next_thumbnail, COL_ID, &id, -1);
    char *path = NULL;
    if (pictor_history_thumbnail(NULL, id, &path) == PICTOR_OK) {
        GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file(path, NULL);
        if (pixbuf) {
            gtk_list_store_set(b->store, &b->next_thumbnail, COL_THUMBNAIL, pixbuf, -1);
            g_object_unref(pixbuf);
        }
    }
    pictor_free(path);
    g_free(id);
    b->thumbnails_left = gtk_tree_model_iter_next(model, &b->next_thumbnail);
    return G_SOURCE_CONTINUE;
}

static void stop_thumbnails(Browser *b) {
    if (b->thumbnail_source)
        g_source_remove(b->thumbnail_source);
    b->thumbnail_source = 0;
    b->thumbnails_left = FALSE;
}

static void fill(Browser *b) {
    stop_thumbnails(b);
    gtk_list_store_clear(b->store);
    gchar *error = NULL;
    JsonNode *found = pictor_gimp_history_search(gtk_entry_get_text(GTK_ENTRY(b->search)), 0, &error);
    if (!found) {
        set_status(b, error);
        g_free(error);
        return;
    }
    JsonArray *entries = json_node_get_array(found);
    gboolean arrived_only = b->arrived_only &&
                            gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(b->arrived_only));
    guint n = 0;
    for (guint i = 0; i < json_array_get_length(entries); i++) {
        JsonObject *entry = json_array_get_object_element(entries, i);
        if (!entry || (arrived_only && !pictor_gimp_history_not_delivered(entry)))
            continue;
        n++;
        gchar *markup = entry_markup(entry);
        gchar *folder = g_path_get_dirname(*member_text(entry, "image_path")
                                               ? member_text(entry, "image_path")
                                               : member_text(entry, "sidecar_path"));
        GtkTreeIter row;
        gtk_list_store_append(b->store, &row);
        gtk_list_store_set(b->store, &row, COL_TEXT, markup, COL_ID, member_text(entry, "id"),
                           COL_PROMPT, member_text(entry, "prompt"), COL_FOLDER, folder, -1);
        g_free(markup);
        g_free(folder);
    }
    json_node_unref(found);
    const gchar *text = gtk_entry_get_text(GTK_ENTRY(b->search));
    gchar *said = n == 0 && arrived_only && !*text
                      ? g_strdup("Every image that arrived while you were away has been inserted.")
                  : n == 0 ? g_strdup(*text ? "No image's prompt contains this text."
                                          : "No image in Pictor's history yet: what Generate, "
                                            "Inpaint and Edit receive is kept there.")
                         : g_strdup_printf("%u image%s, newest first.", n, n == 1 ? "" : "s");
    set_status(b, said);
    g_free(said);
    b->thumbnails_left = gtk_tree_model_get_iter_first(GTK_TREE_MODEL(b->store), &b->next_thumbnail);
    if (b->thumbnails_left)
        b->thumbnail_source = g_idle_add(load_next_thumbnail, b);
}

/* The selected row's column, or NULL (g_free). */
static gchar *selected(Browser *b, gint column) {
    GtkTreeModel *model = NULL;
    GtkTreeIter row;
    gchar *value = NULL;
    if (gtk_tree_selection_get_selected(gtk_tree_view_get_selection(GTK_TREE_VIEW(b->view)), &model, &row))
        gtk_tree_model_get(model, &row, column, &value, -1);
    return value;
}

static void insert_selected(Browser *b) {
    gchar *id = selected(b, COL_ID), *prompt = selected(b, COL_PROMPT);
    if (!id) {
        set_status(b, "Select an image first.");
        return;
    }
    gchar *error = NULL;
    gboolean fit = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(b->fit));
    gint32 layer = insert_entry(b->image, b->above, id, prompt ? prompt : "", fit, &error);
    if (layer >= 0) {
        if (b->added)
            g_array_append_val(b->added, layer);
        b->above = layer; /* the next one goes above it, as the user sees them arrive */
        gimp_displays_flush();
        set_status(b, fit ? "Inserted as a new layer, fitted to the canvas."
                          : "Inserted as a new layer at its own size.");
    } else {
        set_status(b, error);
    }
    g_free(error);
    g_free(id);
    g_free(prompt);
}

static void copy_prompt(Browser *b) {
    gchar *prompt = selected(b, COL_PROMPT);
    if (prompt && *prompt) {
        GtkClipboard *clipboard = gtk_clipboard_get(GDK_SELECTION_CLIPBOARD);
        gtk_clipboard_set_text(clipboard, prompt, -1);
        gtk_clipboard_store(clipboard); /* outlives the plug-in's process */
        set_status(b, "The prompt is on the clipboard.");
    } else {
        set_status(b, prompt ? "This image has no prompt recorded." : "Select an image first.");
    }
    g_free(prompt);
}

static void open_folder(Browser *b) {
    gchar *folder = selected(b, COL_FOLDER);
    if (!folder) {
        /* Nothing listed or selected: the folder the library reads. */
        char *json = NULL;
        if (pictor_history_search(NULL, NULL, 1, &json) == PICTOR_OK && json) {
            JsonNode *root = json_from_string(json, NULL);
            if (root && JSON_NODE_HOLDS_ARRAY(root) && json_array_get_length(json_node_get_array(root)))
                folder = g_path_get_dirname(member_text(
                    json_array_get_object_element(json_node_get_array(root), 0), "sidecar_path"));
            if (root)
                json_node_unref(root);
        }
        pictor_free(json);
    }
    if (!folder) {
        set_status(b, "Pictor's history folder is still empty.");
        return;
    }
    gchar *uri = g_filename_to_uri(folder, NULL, NULL);
    GError *launch_error = NULL;
    if (!uri || !g_app_info_launch_default_for_uri(uri, NULL, &launch_error)) {
        gchar *text = g_strdup_printf("No file manager opened the folder %s%s%s", folder,
                                      launch_error ? ": " : "", launch_error ? launch_error->message : "");
        set_status(b, text);
        g_free(text);
    }
    g_clear_error(&launch_error);
    g_free(uri);
    g_free(folder);
}

static void on_search_changed(GtkEditable *editable, gpointer data) {
    (void)editable;
    fill(data);
}

static void on_arrived_only_toggled(GtkToggleButton *button, gpointer data) {
    (void)button;
    fill(data);
}

static void on_row_activated(GtkTreeView *view, GtkTreePath *path, GtkTreeViewColumn *column,
                             gpointer data) {
    (void)view;
    (void)path;
    (void)column;
    insert_selected(data);
}

static void build(Browser *b, guint arrivals, gboolean arrived_only) {
    b->dialog = gimp_dialog_new(PICTOR_GIMP_HISTORY_TITLE, "pictor-history", NULL, 0, NULL, NULL,
                                "Copy _Prompt", RESPONSE_COPY, "Open _Folder", RESPONSE_FOLDER,
                                "_Close", GTK_RESPONSE_CLOSE, "_Insert as Layer", RESPONSE_INSERT,
                                NULL);
    gimp_window_set_transient(GTK_WINDOW(b->dialog));
    gtk_window_set_default_size(GTK_WINDOW(b->dialog), 720, 560);
    GtkWidget *box = gtk_vbox_new(FALSE, 8);
    gtk_container_set_border_width(GTK_CONTAINER(box), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(b->dialog))), box, TRUE,
                       TRUE, 0);

    GtkWidget *row = gtk_hbox_new(FALSE, 8);
    GtkWidget *label = gtk_label_new_with_mnemonic("_Search prompts:");
    b->search = gtk_entry_new();
    gtk_label_set_mnemonic_widget(GTK_LABEL(label), b->search);
    gtk_box_pack_start(GTK_BOX(row), label, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(row), b->search, TRUE, TRUE, 0);
    gtk_box_pack_start(GTK_BOX(box), row, FALSE, FALSE, 0);

    b->store = gtk_list_store_new(COL_COUNT, GDK_TYPE_PIXBUF, G_TYPE_STRING, G_TYPE_STRING,
                                  G_TYPE_STRING, G_TYPE_STRING);
    b->view = gtk_tree_view_new_with_model(GTK_TREE_MODEL(b->store));
    gtk_tree_view_set_headers_visible(GTK_TREE_VIEW(b->view), FALSE);
    GtkCellRenderer *picture = gtk_cell_renderer_pixbuf_new();
    gtk_cell_renderer_set_fixed_size(picture, 136, 136); /* rows keep their height while loading */
    gtk_tree_view_insert_column_with_attributes(GTK_TREE_VIEW(b->view), -1, "", picture, "pixbuf",
                                                COL_THUMBNAIL, NULL);
    GtkCellRenderer *text = gtk_cell_renderer_text_new();
    g_object_set(text, "wrap-mode", PANGO_WRAP_WORD_CHAR, "wrap-width", 520, NULL);
    gtk_tree_view_insert_column_with_attributes(GTK_TREE_VIEW(b->view), -1, "", text, "markup",
                                                COL_TEXT, NULL);
    GtkWidget *scroller = gtk_scrolled_window_new(NULL, NULL);
    gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scroller), GTK_POLICY_AUTOMATIC,
                                   GTK_POLICY_AUTOMATIC);
    gtk_container_add(GTK_CONTAINER(scroller), b->view);
    gtk_box_pack_start(GTK_BOX(box), scroller, TRUE, TRUE, 0);

    b->fit = gtk_check_button_new_with_mnemonic("_Fit to the canvas (else at its own size)");
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(b->fit), TRUE);
    gtk_box_pack_start(GTK_BOX(box), b->fit, FALSE, FALSE, 0);
    if (arrivals) {
        gchar *headline = pictor_gimp_arrivals_headline(arrivals);
        gchar *label = g_strdup_printf("Show _only them (%s)", headline);
        b->arrived_only = gtk_check_button_new_with_mnemonic(label);
        gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(b->arrived_only), arrived_only);
        gtk_box_pack_start(GTK_BOX(box), b->arrived_only, FALSE, FALSE, 0);
        g_signal_connect(b->arrived_only, "toggled", G_CALLBACK(on_arrived_only_toggled), b);
        g_free(label);
        g_free(headline);
    }
    b->status = gtk_label_new("");
    gtk_misc_set_alignment(GTK_MISC(b->status), 0.0, 0.5);
    gtk_label_set_line_wrap(GTK_LABEL(b->status), TRUE);
    gtk_box_pack_start(GTK_BOX(box), b->status, FALSE, FALSE, 0);

    g_signal_connect(b->search, "changed", G_CALLBACK(on_search_changed), b);
    g_signal_connect(b->view, "row-activated", G_CALLBACK(on_row_activated), b);
    fill(b);
    GtkTreeIter first;
    if (gtk_tree_model_get_iter_first(GTK_TREE_MODEL(b->store), &first))
        gtk_tree_selection_select_iter(gtk_tree_view_get_selection(GTK_TREE_VIEW(b->view)), &first);
    gtk_widget_show_all(b->dialog);
}

static void browse(gint32 image, gint32 above, GArray *added, gboolean arrived_only) {
    gchar *error = NULL;
    gchar **arrivals = pictor_gimp_arrivals(&error);
    g_free(error); /* the list below says it again */
    Browser b;
    memset(&b, 0, sizeof(b));
    b.image = image;
    b.above = above;
    b.added = added;
    build(&b, arrivals ? g_strv_length(arrivals) : 0, arrived_only);
    g_strfreev(arrivals);
    for (;;) {
        gint response = gimp_dialog_run(GIMP_DIALOG(b.dialog));
        if (response == RESPONSE_INSERT)
            insert_selected(&b);
        else if (response == RESPONSE_COPY)
            copy_prompt(&b);
        else if (response == RESPONSE_FOLDER)
            open_folder(&b);
        else
            break;
    }
    stop_thumbnails(&b);
    gtk_widget_destroy(b.dialog);
    g_object_unref(b.store);
}

void pictor_gimp_history_browser_arrivals(gint32 image, gint32 above, GArray *added) {
    browse(image, above, added, TRUE);
}

void pictor_gimp_history_browser(gint32 image, gint32 above, GArray *added) {
    gchar *error = NULL;
    gchar **arrivals = pictor_gimp_arrivals(&error);
    g_free(error);
    gboolean show = FALSE;
    if (arrivals && arrivals[0]) {
        GArray *inserted = g_array_new(FALSE, FALSE, sizeof(gint32));
        show = pictor_gimp_arrivals_ask(image, above, arrivals, inserted);
        /* What the notice inserted stays below what the browser inserts next. */
        if (inserted->len)
            above = g_array_index(inserted, gint32, inserted->len - 1);
        if (added)
            g_array_append_vals(added, inserted->data, inserted->len);
        g_array_free(inserted, TRUE);
    }
    g_strfreev(arrivals);
    browse(image, above, added, show);
}
