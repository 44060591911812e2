#include "pictor_settings.h"

#include "command_settings.h"
#include "gateway_client.h"

#include <libgimp/gimp.h> /* before gimpui.h, which builds on it */
#include <libgimp/gimpui.h>
#include <json-glib/json-glib.h>
#include <string.h>

void pictor_gimp_key_report_clear(PictorGimpKeyReport *report) {
    g_clear_pointer(&report->key_source, g_free);
    g_clear_pointer(&report->key_stored_in, g_free);
    g_clear_pointer(&report->profile, g_free);
}

/* What a command would use now: a client made the way the commands make theirs. */
static PictorGimpProfileInfo *current_info(gchar **error) {
    pictor_client *client = pictor_gimp_client_create(NULL, error);
    if (!client)
        return NULL;
    PictorGimpProfileInfo *info = pictor_gimp_profile_info(client);
    pictor_client_destroy(client);
    return info;
}

static void fill_report(PictorGimpKeyReport *report) {
    gchar *error = NULL;
    PictorGimpProfileInfo *info = current_info(&error);
    g_free(report->key_source);
    g_free(report->profile);
    report->key_source = g_strdup(info ? info->api_key_source : "");
    report->profile = g_strdup(info ? info->name : "");
    if (!report->key_stored_in)
        report->key_stored_in = g_strdup("");
    pictor_gimp_profile_info_free(info);
    g_free(error);
}

/* The desktop may show its unlock prompt while the key is stored: off GIMP's thread. */
typedef struct {
    gchar *key;
    gchar *where;     /* out: where it went */
    gchar *error;     /* out */
    gint done;
} StoreTask;

static gchar *where_from_json(const char *json) {
    gchar *where = NULL;
    JsonParser *parser = json_parser_new();
    if (json && json_parser_load_from_data(parser, json, -1, NULL) &&
        JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        JsonObject *object = json_node_get_object(json_parser_get_root(parser));
        if (json_object_has_member(object, "where"))
            where = g_strdup(json_object_get_string_member(object, "where"));
    }
    g_object_unref(parser);
    return where ? where : g_strdup("");
}

static gpointer store_key_thread(gpointer data) {
    StoreTask *task = data;
    char *json = NULL;
    if (pictor_store_api_key(task->key, PICTOR_KEY_STORE_AUTO, &json) == PICTOR_OK)
        task->where = where_from_json(json);
    else
        task->error = pictor_gimp_host_words(pictor_thread_last_error()->message);
    pictor_free(json);
    g_atomic_int_set(&task->done, 1);
    return NULL;
}

/* Stores the key; with a GTK main loop running (the dialog), keeps it responsive meanwhile. */
static gboolean store_key(const gchar *key, gboolean pump_gtk, gchar **where, gchar **error) {
    StoreTask task = {g_strdup(key), NULL, NULL, 0};
    GThread *thread = g_thread_new("pictor-store-key", store_key_thread, &task);
    while (pump_gtk && !g_atomic_int_get(&task.done)) {
        while (gtk_events_pending())
            gtk_main_iteration();
        g_usleep(20000);
    }
    g_thread_join(thread);
    memset(task.key, 0, strlen(task.key));
    g_free(task.key);
    *where = task.where;
    *error = task.error;
    return task.error == NULL;
}

static gboolean store_profile(const gchar *profile, gchar **error) {
    if (pictor_store_default_profile(profile, NULL) == PICTOR_OK)
        return TRUE;
    *error = pictor_gimp_host_words(pictor_thread_last_error()->message);
    return FALSE;
}

gboolean pictor_gimp_settings_apply(const gchar *key_file, const gchar *default_profile,
                                    PictorGimpKeyReport *report, gchar **error) {
    if (key_file && *key_file) {
        gchar *contents = NULL;
        GError *read_error = NULL;
        if (!g_file_get_contents(key_file, &contents, NULL, &read_error)) {
            *error = g_strdup_printf("Pictor could not read the key file: %s", read_error->message);
            g_error_free(read_error);
            return FALSE;
        }
        gchar *newline = strpbrk(contents, "\r\n");
        if (newline)
            *newline = '\0';
        gchar *where = NULL;
        gboolean stored = store_key(g_strstrip(contents), FALSE, &where, error);
        memset(contents, 0, strlen(contents));
        g_free(contents);
        if (!stored)
            return FALSE;
        g_free(report->key_stored_in);
        report->key_stored_in = where;
    }
    if (default_profile && *default_profile && !store_profile(default_profile, error))
        return FALSE;
    fill_report(report);
    return TRUE;
}

/* ---- the dialog --------------------------------------------------------------------------- */

typedef struct {
    GtkWidget *dialog;
    GtkWidget *status;   /* where the key in use comes from */
    GtkWidget *key;      /* GtkEntry, hidden text */
    GtkWidget *profile;  /* GtkComboBoxText */
    GtkWidget *upload;   /* GtkComboBoxText: rows in pictor_upload_quality order from LOSSLESS */
    GtkWidget *result;   /* what Save did */
    gchar **profile_names;
    gchar *saved_profile; /* the profile shown when the dialog opened or last saved */
} SettingsDialog;

static void show_status(SettingsDialog *d) {
    gchar *error = NULL;
    PictorGimpProfileInfo *info = current_info(&error);
    gchar *text;
    if (info) {
        gchar *note = info->has_api_key ? pictor_gimp_key_note(info)
                                        : g_strdup("No API key yet: paste the key your gateway "
                                                   "gave you below, then Save.");
        const gchar *profile_env = g_getenv("PICTOR_PROFILE");
        text = g_strdup_printf("%s\nProfile in use: %s%s", note, info->name,
                               profile_env && *profile_env
                                   ? " (from PICTOR_PROFILE in GIMP's environment, which "
                                     "overrides the default chosen here)"
                                   : "");
        g_free(note);
        g_free(d->saved_profile);
        d->saved_profile = g_strdup(info->name);
    } else {
        text = g_strdup(error);
    }
    gtk_label_set_text(GTK_LABEL(d->status), text);
    g_free(text);
    g_free(error);
    pictor_gimp_profile_info_free(info);
}

static GtkWidget *left_label(const gchar *text) {
    GtkWidget *label = gtk_label_new(text);
    gtk_misc_set_alignment(GTK_MISC(label), 0.0, 0.5);
    gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
#if GTK_CHECK_VERSION(3, 0, 0)
    gtk_label_set_max_width_chars(GTK_LABEL(label), 60); /* GTK 3 wraps at this, not the request */
#endif
    gtk_widget_set_size_request(label, 420, -1);
    return label;
}

static GtkWidget *labelled_row(GtkWidget *box, const gchar *mnemonic, GtkWidget *widget) {
    GtkWidget *row = gtk_hbox_new(FALSE, 8);
    GtkWidget *label = gtk_label_new_with_mnemonic(mnemonic);
    gtk_label_set_mnemonic_widget(GTK_LABEL(label), widget);
    gtk_box_pack_start(GTK_BOX(row), label, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(row), widget, TRUE, TRUE, 0);
    gtk_box_pack_start(GTK_BOX(box), row, FALSE, FALSE, 0);
    return widget;
}

static void build(SettingsDialog *d) {
    d->dialog = gimp_dialog_new(PICTOR_GIMP_SETTINGS_TITLE, "pictor-settings", NULL, 0, NULL, NULL,
                                "_Close", GTK_RESPONSE_CLOSE, "_Save", GTK_RESPONSE_APPLY, NULL);
    gimp_window_set_transient(GTK_WINDOW(d->dialog));
    GtkWidget *box = gtk_vbox_new(FALSE, 8);
    gtk_container_set_border_width(GTK_CONTAINER(box), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(d->dialog))), box, TRUE,
                       TRUE, 0);
    d->status = left_label("");
    gtk_box_pack_start(GTK_BOX(box), d->status, FALSE, FALSE, 0);

    d->key = gtk_entry_new();
    gtk_entry_set_visibility(GTK_ENTRY(d->key), FALSE);
    gtk_entry_set_width_chars(GTK_ENTRY(d->key), 40);
    gtk_widget_set_tooltip_text(d->key, "Paste the key your gateway gave you. It is kept in the "
                                        "desktop keyring (or, without one, in Pictor's config "
                                        "file, readable only by you), never in GIMP's files.");
    labelled_row(box, "API _key:", d->key);
    gtk_box_pack_start(GTK_BOX(box),
                       left_label("Leave the key empty to keep the one stored now."), FALSE,
                       FALSE, 0);

    d->profile = gtk_combo_box_text_new();
    d->profile_names = pictor_gimp_profile_names();
    for (gint i = 0; d->profile_names[i]; i++)
        gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->profile), d->profile_names[i]);
    labelled_row(box, "Default _profile:", d->profile);
    d->upload = gtk_combo_box_text_new();
    gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->upload), "lossless (PNG when it fits the route)");
    gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->upload),
                                   "fast (visually lossless JPEG or WebP: smaller, sent sooner)");
    gint from_environment = 0;
    gtk_combo_box_set_active(GTK_COMBO_BOX(d->upload),
                             pictor_upload_quality_setting(&from_environment) - PICTOR_UPLOAD_LOSSLESS);
    gtk_widget_set_tooltip_text(d->upload, from_environment
                                               ? "PICTOR_UPLOAD_QUALITY in GIMP's environment "
                                                 "decides it while it is set."
                                               : "How the layers a command sends are encoded.");
    labelled_row(box, "_Upload quality:", d->upload);
    d->result = left_label("");
    gtk_box_pack_start(GTK_BOX(box), d->result, FALSE, FALSE, 0);

    show_status(d);
    for (gint i = 0; d->profile_names[i]; i++)
        if (g_strcmp0(d->profile_names[i], d->saved_profile) == 0)
            gtk_combo_box_set_active(GTK_COMBO_BOX(d->profile), i);
    gtk_widget_show_all(d->dialog);
}

static void save(SettingsDialog *d, PictorGimpKeyReport *report) {
    GString *said = g_string_new(NULL);
    gchar *error = NULL;
    gchar *key = g_strstrip(g_strdup(gtk_entry_get_text(GTK_ENTRY(d->key))));
    if (*key) {
        gtk_label_set_text(GTK_LABEL(d->result), "Storing the key...");
        gtk_widget_set_sensitive(d->dialog, FALSE);
        gchar *where = NULL;
        if (store_key(key, TRUE, &where, &error)) {
            g_string_append_printf(said, "The key was stored in %s.", where);
            g_free(report->key_stored_in);
            report->key_stored_in = where;
            gtk_entry_set_text(GTK_ENTRY(d->key), "");
        }
        gtk_widget_set_sensitive(d->dialog, TRUE);
    }
    memset(key, 0, strlen(key));
    g_free(key);
    gint row = gtk_combo_box_get_active(GTK_COMBO_BOX(d->profile));
    const gchar *profile = row >= 0 ? d->profile_names[row] : NULL;
    if (!error && profile && g_strcmp0(profile, d->saved_profile) != 0) {
        gchar *where = NULL;
        if (pictor_store_default_profile(profile, &where) == PICTOR_OK)
            g_string_append_printf(said, "%sThe default profile is now %s (kept in %s).",
                                   said->len ? " " : "", profile, where);
        else
            error = pictor_gimp_host_words(pictor_thread_last_error()->message);
        pictor_free(where);
    }
    gint upload = gtk_combo_box_get_active(GTK_COMBO_BOX(d->upload)) + PICTOR_UPLOAD_LOSSLESS;
    if (!error && upload != (gint)pictor_upload_quality_setting(NULL)) {
        gchar *where = NULL;
        if (pictor_store_upload_quality(upload, &where) == PICTOR_OK)
            g_string_append_printf(said, "%sUploads are now %s (kept in %s).", said->len ? " " : "",
                                   upload == PICTOR_UPLOAD_FAST ? "fast" : "lossless", where);
        else
            error = pictor_gimp_host_words(pictor_thread_last_error()->message);
        pictor_free(where);
    }
    if (error)
        g_string_append_printf(said, "%sNot saved: %s", said->len ? " " : "", error);
    else if (!said->len)
        g_string_append(said, "Nothing to save: paste a key or choose another profile.");
    gtk_label_set_text(GTK_LABEL(d->result), said->str);
    g_string_free(said, TRUE);
    g_free(error);
    show_status(d);
}

void pictor_gimp_settings_dialog(PictorGimpKeyReport *report) {
    SettingsDialog d;
    memset(&d, 0, sizeof(d));
    build(&d);
    while (gimp_dialog_run(GIMP_DIALOG(d.dialog)) == GTK_RESPONSE_APPLY)
        save(&d, report);
    gtk_widget_destroy(d.dialog);
    g_strfreev(d.profile_names);
    g_free(d.saved_profile);
    fill_report(report);
}
