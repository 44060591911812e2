#include "command_dialog.h"

#include "gateway_client.h"

#include <libgimp/gimpui.h>
#include <string.h>

typedef struct {
    GimpProcedureConfig *config;
    PictorGimpCommand command;
    GtkWidget *note;    /* the profile, what it offers, where the key comes from */
    GtkWidget *problem; /* why the last OK was refused */
    GtkListStore *qualities; /* id, label: "" (the route's default) and what the model takes */
    GtkWidget *quality;
    GtkListStore *models;    /* the profile's models (edit with markup: those taking markup) */
    GtkWidget *model;
    GtkListStore *complexities; /* "" (none sent) and what the model takes */
    GtkWidget *complexity;
} CommandDialog;

enum { COLUMN_ID, COLUMN_LABEL };

static void add_choice(GtkListStore *store, const gchar *id, const gchar *label) {
    GtkTreeIter iter;
    gtk_list_store_append(store, &iter);
    gtk_list_store_set(store, &iter, COLUMN_ID, id, COLUMN_LABEL, label, -1);
}

/* A list of what the model offers for a string argument, "" (none_label) first; the current
 * value stays listed (and is refused on OK with the reason) when the model does not take it. */
static void fill_choices(CommandDialog *d, const gchar *property, GtkListStore *store,
                         GtkWidget *combo, const gchar *none_label, gchar **offered) {
    gchar *current = NULL;
    g_object_get(d->config, property, &current, NULL);
    gtk_list_store_clear(store);
    if (none_label)
        add_choice(store, "", none_label);
    gboolean listed = !current || !*current;
    for (gchar **q = offered; q && *q; q++) {
        add_choice(store, *q, *q);
        listed = listed || strcmp(*q, current) == 0;
    }
    if (!listed)
        add_choice(store, current, current);
    gimp_string_combo_box_set_active(GIMP_STRING_COMBO_BOX(combo), current ? current : "");
    g_free(current);
}

/* A labelled combo over a string argument, in a box the procedure dialog places by id. */
static GtkWidget *string_combo_row(GimpProcedureDialog *pd, GimpProcedureConfig *config,
                                   const gchar *box_id, const gchar *property, const gchar *label,
                                   GtkListStore *store) {
    gchar *title_id = g_strconcat(box_id, "-title", NULL);
    GtkWidget *title = gimp_procedure_dialog_get_label(pd, title_id, label, FALSE, TRUE);
    /* The box holds the title; the combo goes beside it. */
    GtkWidget *box = gimp_procedure_dialog_fill_box(pd, box_id, title_id, NULL);
    g_free(title_id);
    gtk_orientable_set_orientation(GTK_ORIENTABLE(box), GTK_ORIENTATION_HORIZONTAL);
    gtk_box_set_spacing(GTK_BOX(box), 8);
    GtkWidget *combo = gimp_prop_string_combo_box_new(G_OBJECT(config), property,
                                                      GTK_TREE_MODEL(store), COLUMN_ID, COLUMN_LABEL);
    gtk_label_set_mnemonic_widget(GTK_LABEL(title), combo);
    gtk_box_pack_start(GTK_BOX(box), combo, TRUE, TRUE, 0);
    gtk_widget_show(combo);
    return combo;
}

static gchar *joined(gchar **items, const gchar *fallback) {
    return items && items[0] ? g_strjoinv(", ", items) : g_strdup(fallback);
}

/* A client for the profile the dialog names now ("" = the default). */
static pictor_client *dialog_client(CommandDialog *d, gchar **error) {
    gchar *profile = NULL;
    g_object_get(d->config, "profile", &profile, NULL);
    pictor_client *client = pictor_gimp_client_create(profile ? g_strstrip(profile) : "", error);
    g_free(profile);
    return client;
}

/* The models of the client's profile the command can use (Edit with Markup: those taking it). */
static gchar **usable_models(CommandDialog *d, pictor_client *client, const PictorGimpProfileInfo *info) {
    GPtrArray *out = g_ptr_array_new();
    for (gchar **m = info->models; *m; m++) {
        PictorGimpProfileInfo *entry = pictor_gimp_profile_info_for_model(client, *m);
        if (d->command != PICTOR_GIMP_EDIT_MARKUP || entry->markup)
            g_ptr_array_add(out, g_strdup(*m));
        pictor_gimp_profile_info_free(entry);
    }
    g_ptr_array_add(out, NULL);
    return (gchar **)g_ptr_array_free(out, FALSE);
}

/* What the chosen model costs with the dialog's choices, in a line. */
static gchar *cost_line(CommandDialog *d, pictor_client *client) {
    PictorGimpSettings *settings = g_new0(PictorGimpSettings, 1);
    pictor_gimp_settings_defaults(settings, d->command);
    gchar *size = NULL, *quality = NULL, *model = NULL, *complexity = NULL;
    g_object_get(d->config, "quality", &quality, "model", &model, "complexity", &complexity, NULL);
    if (d->command != PICTOR_GIMP_INPAINT)
        g_object_get(d->config, "size", &size, NULL);
    if (d->command == PICTOR_GIMP_GENERATE)
        g_object_get(d->config, "variations", &settings->variations, NULL);
    pictor_gimp_settings_copy(settings->size, sizeof(settings->size), size ? g_strstrip(size) : "");
    pictor_gimp_settings_copy(settings->quality, sizeof(settings->quality), quality);
    pictor_gimp_settings_copy(settings->model, sizeof(settings->model), model);
    pictor_gimp_settings_copy(settings->complexity, sizeof(settings->complexity), complexity);
    pictor_request request;
    pictor_gimp_fill_request(d->command, settings, &request);
    request.prompt = "cost estimate";
    /* "canvas" becomes a real size only once the job knows the canvas; estimate the default. */
    if (request.size && strcmp(request.size, "canvas") == 0)
        request.size = NULL;
    double usd = 0;
    gchar *text;
    if (pictor_estimate_cost(client, &request, 0, &usd) != PICTOR_OK)
        text = g_strdup_printf("Estimated cost: unknown - %s", pictor_client_last_error(client)->message);
    else if (usd < 0)
        text = g_strdup("Estimated cost: unknown (the model's profile entry states no price)");
    else
        text = g_strdup_printf("Estimated cost: about $%.3f%s (reference price; large sizes are "
                               "billed by tokens)",
                               usd, d->command == PICTOR_GIMP_GENERATE ? "" : " plus the images sent");
    g_free(size);
    g_free(quality);
    g_free(model);
    g_free(complexity);
    g_free(settings);
    return text;
}

static void update_note(CommandDialog *d) {
    gchar *error = NULL;
    pictor_client *client = dialog_client(d, &error);
    gchar *text;
    if (!client) {
        text = error;
        error = NULL;
    } else {
        PictorGimpProfileInfo *profile = pictor_gimp_profile_info(client);
        gchar **models = usable_models(d, client, profile);
        fill_choices(d, "model", d->models, d->model, NULL, models);
        gchar *model = NULL;
        g_object_get(d->config, "model", &model, NULL);
        if (!model || !*model) { /* the profile's default, shown as chosen */
            g_free(model);
            model = g_strdup(g_strv_contains((const gchar *const *)models, profile->default_model)
                                 ? profile->default_model
                                 : models[0] ? models[0] : "");
            g_object_set(d->config, "model", model, NULL);
            gimp_string_combo_box_set_active(GIMP_STRING_COMBO_BOX(d->model), model);
        }
        PictorGimpProfileInfo *info = pictor_gimp_profile_info_for_model(client, model);
        g_free(model);
        gchar *key = pictor_gimp_key_note(info);
        gchar *sizes = joined(info->sizes, info->custom_sizes ? "any WIDTHxHEIGHT" : "(the route's own)");
        gchar *qualities = joined(info->qualities, "(none: leave Quality at the route's default)");
        fill_choices(d, "quality", d->qualities, d->quality, "(the route's default)", info->qualities);
        fill_choices(d, "complexity", d->complexities, d->complexity, "(none sent)", info->complexities);
        gtk_widget_set_sensitive(d->complexity, info->complexities[0] != NULL);
        gchar *cost = cost_line(d, client);
        gchar *markup = d->command == PICTOR_GIMP_EDIT_MARKUP && !models[0]
                            ? g_strdup("No model of this profile takes markup.\n")
                            : g_strdup("");
        /* Inpaint picks its size from the selection: no sizes to list. */
        gchar *size_line = d->command == PICTOR_GIMP_INPAINT ? g_strdup("")
                           : !info->takes_size
                               ? g_strdup("Sizes: the route picks its own (canvas scales it to the "
                                          "image)\n")
                               : g_strdup_printf("Sizes: canvas, auto, %s%s\n", sizes,
                                                 info->custom_sizes
                                                     ? " (or any WIDTHxHEIGHT the model takes)"
                                                     : "");
        text = g_strdup_printf("Profile %s: %s\n%s%s%sQualities: %s\n%s\n%s", info->name,
                               info->description, markup,
                               info->streams ? "Shows previews while it paints.\n" : "", size_line,
                               qualities, cost, key);
        g_free(markup);
        g_free(cost);
        g_strfreev(models);
        pictor_gimp_profile_info_free(profile);
        g_free(size_line);
        g_free(qualities);
        g_free(sizes);
        g_free(key);
        pictor_gimp_profile_info_free(info);
        pictor_client_destroy(client);
    }
    gtk_label_set_text(GTK_LABEL(d->note), text);
    g_free(text);
    g_free(error);
}

static gboolean refreshing; /* update_note sets properties it listens to */

/* A new profile, model, quality, size or complexity: the lists, the note and the cost again. */
static void on_choice_changed(GObject *config, GParamSpec *pspec, gpointer data) {
    (void)config;
    static const gchar *const watched[] = {"profile", "model", "quality", "complexity", "size",
                                           "variations", NULL};
    if (refreshing || !g_strv_contains(watched, pspec->name))
        return;
    refreshing = TRUE;
    /* Another profile lists other models: its default until the user picks one. */
    if (strcmp(pspec->name, "profile") == 0)
        g_object_set(((CommandDialog *)data)->config, "model", "", "complexity", "", NULL);
    update_note(data);
    refreshing = FALSE;
}

/* NULL when the settings in config can be sent; else why not. */
static gchar *refusal(CommandDialog *d) {
    PictorGimpSettings *settings = g_new0(PictorGimpSettings, 1);
    pictor_gimp_settings_defaults(settings, d->command);
    gchar *prompt = NULL, *size = NULL, *quality = NULL, *model = NULL, *complexity = NULL;
    g_object_get(d->config, "prompt", &prompt, "quality", &quality, "model", &model, "complexity",
                 &complexity, NULL);
    if (d->command == PICTOR_GIMP_EDIT_MARKUP) {
        GimpLayer *markup = NULL;
        g_object_get(d->config, "markup-layer", &markup, NULL);
        settings->markup_layer = markup ? gimp_item_get_id(GIMP_ITEM(markup)) : -1;
        g_clear_object(&markup);
    }
    if (d->command != PICTOR_GIMP_INPAINT)
        g_object_get(d->config, "size", &size, NULL);
    if (d->command == PICTOR_GIMP_GENERATE)
        g_object_get(d->config, "variations", &settings->variations, NULL);
    gchar *why = NULL;
    if (!pictor_gimp_settings_copy(settings->prompt, sizeof(settings->prompt), prompt) ||
        !pictor_gimp_settings_copy(settings->size, sizeof(settings->size), size ? g_strstrip(size) : "") ||
        !pictor_gimp_settings_copy(settings->quality, sizeof(settings->quality), quality) ||
        !pictor_gimp_settings_copy(settings->model, sizeof(settings->model), model) ||
        !pictor_gimp_settings_copy(settings->complexity, sizeof(settings->complexity), complexity))
        why = g_strdup("A field is longer than Pictor takes: shorten it.");
    if (!why) {
        pictor_client *client = dialog_client(d, &why);
        if (client) {
            why = pictor_gimp_check_settings(client, d->command, settings);
            pictor_client_destroy(client);
        }
    }
    g_free(prompt);
    g_free(size);
    g_free(quality);
    g_free(model);
    g_free(complexity);
    g_free(settings);
    return why;
}

/* A paragraph of the dialog, wrapped at a readable width. */
static GtkWidget *text_label(GimpProcedureDialog *pd, const gchar *id, const gchar *text) {
    GtkWidget *label = gimp_procedure_dialog_get_label(pd, id, text, FALSE, FALSE);
    gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
    gtk_label_set_max_width_chars(GTK_LABEL(label), 60);
    gtk_label_set_xalign(GTK_LABEL(label), 0.0);
    return label;
}

static gchar *references_text(const GArray *references) {
    if (!references->len)
        return g_strdup("References: none (select more layers, or show other layers, to send them "
                        "along).");
    GString *text = g_string_new("References, in this order: ");
    for (guint i = 0; i < references->len; i++) {
        GimpItem *item = gimp_item_get_by_id(g_array_index(references, gint32, i));
        g_string_append_printf(text, "%s%s", i ? ", " : "", item ? gimp_item_get_name(item) : "?");
    }
    g_string_append(text, " (the further layers selected, else the other visible layers, top first).");
    return g_string_free(text, FALSE);
}

gboolean pictor_gimp3_command_dialog_run(GimpProcedure *procedure, GimpProcedureConfig *config,
                                         PictorGimpCommand command, const GArray *references) {
    const PictorGimpCommandInfo *info = pictor_gimp_command_info(command);
    CommandDialog d = {config, command, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    gchar *title = g_strdup_printf("Pictor: %s", info->title);
    GtkWidget *dialog = gimp_procedure_dialog_new(procedure, config, title);
    g_free(title);
    GimpProcedureDialog *pd = GIMP_PROCEDURE_DIALOG(dialog);
    /* A string argument never set is NULL, which the lists would show as no choice at all. */
    for (const gchar *const *name = (const gchar *const[]){"profile", "quality", "model", "complexity", NULL}; *name; name++) {
        gchar *value = NULL;
        g_object_get(config, *name, &value, NULL);
        if (!value)
            g_object_set(config, *name, "", NULL);
        g_free(value);
    }
    gimp_procedure_dialog_set_ok_label(pd, info->ok_label);

    /* A prompt is often a paragraph: a text box rather than a one-line entry, under a title. */
    GtkWidget *prompt = gimp_procedure_dialog_get_widget(pd, "prompt", GTK_TYPE_TEXT_VIEW);
    gtk_text_view_set_wrap_mode(GTK_TEXT_VIEW(prompt), GTK_WRAP_WORD_CHAR);
    gtk_widget_set_size_request(prompt, 420, 100);
    GtkWidget *prompt_title = gimp_procedure_dialog_get_label(
        pd, "pictor-prompt-title",
        command == PICTOR_GIMP_GENERATE ? "_Prompt: what to draw" : "_Prompt: what to change",
        FALSE, TRUE);
    gtk_label_set_mnemonic_widget(GTK_LABEL(prompt_title), prompt);
    gimp_procedure_dialog_fill_frame(pd, "pictor-prompt-frame", "pictor-prompt-title", FALSE, "prompt");

    /* Profile and quality as lists of what is installed and what the profile takes. */
    GtkListStore *profiles = gtk_list_store_new(2, G_TYPE_STRING, G_TYPE_STRING);
    gchar **names = pictor_gimp_profile_names();
    add_choice(profiles, "", "(the default: PICTOR_PROFILE or Pictor Settings)");
    gchar *current_profile = NULL;
    g_object_get(config, "profile", &current_profile, NULL);
    gboolean listed = !current_profile || !*current_profile;
    for (gchar **name = names; *name; name++) {
        add_choice(profiles, *name, *name);
        listed = listed || strcmp(*name, current_profile) == 0;
    }
    if (!listed) /* refused on OK, with the known names */
        add_choice(profiles, current_profile, current_profile);
    g_free(current_profile);
    g_strfreev(names);
    string_combo_row(pd, config, "pictor-profile-box", "profile", "Profi_le", profiles);
    g_object_unref(profiles);
    d.qualities = gtk_list_store_new(2, G_TYPE_STRING, G_TYPE_STRING);
    d.models = gtk_list_store_new(2, G_TYPE_STRING, G_TYPE_STRING);
    d.model = string_combo_row(pd, config, "pictor-model-box", "model", "_Model", d.models);
    gtk_widget_set_tooltip_text(d.model, "The models this profile's route serves; sizes, qualities "
                                         "and the cost follow the one chosen");
    d.quality = string_combo_row(pd, config, "pictor-quality-box", "quality", "_Quality", d.qualities);
    d.complexities = gtk_list_store_new(2, G_TYPE_STRING, G_TYPE_STRING);
    d.complexity = string_combo_row(pd, config, "pictor-complexity-box", "complexity", "Comple_xity",
                                    d.complexities);
    d.note = text_label(pd, "pictor-note", "");
    d.problem = text_label(pd, "pictor-problem", "");

    GList *fields = g_list_append(NULL, "pictor-prompt-frame");
    fields = g_list_append(fields, "pictor-profile-box");
    fields = g_list_append(fields, "pictor-model-box");
    if (command == PICTOR_GIMP_EDIT_MARKUP)
        fields = g_list_append(fields, "markup-layer");
    if (command != PICTOR_GIMP_INPAINT)
        fields = g_list_append(fields, "size");
    fields = g_list_append(fields, "pictor-quality-box");
    fields = g_list_append(fields, "pictor-complexity-box");
    if (command == PICTOR_GIMP_GENERATE)
        fields = g_list_append(fields, "variations");
    if (command == PICTOR_GIMP_INPAINT) {
        fields = g_list_append(fields, "grow");
        fields = g_list_append(fields, "feather");
        fields = g_list_append(fields, "context");
    }
    if (command == PICTOR_GIMP_EDIT) {
        gchar *text = references_text(references);
        text_label(pd, "pictor-references", text);
        g_free(text);
        fields = g_list_append(fields, "pictor-references");
    }
    fields = g_list_append(fields, "pictor-note");
    fields = g_list_append(fields, "pictor-problem");
    gimp_procedure_dialog_fill_list(pd, fields);
    g_list_free(fields);

    refreshing = TRUE;
    update_note(&d);
    refreshing = FALSE;
    gulong handler = g_signal_connect(config, "notify", G_CALLBACK(on_choice_changed), &d);
    gboolean accepted = FALSE;
    /* A setting the route refuses keeps the dialog open with the reason. */
    while (gimp_procedure_dialog_run(pd)) {
        gchar *why = refusal(&d);
        if (!why) {
            accepted = TRUE;
            break;
        }
        gchar *markup = g_markup_printf_escaped("<b>Not sent:</b> %s", why);
        gtk_label_set_markup(GTK_LABEL(d.problem), markup);
        g_free(markup);
        g_free(why);
    }
    g_signal_handler_disconnect(config, handler);
    gtk_widget_destroy(dialog);
    g_object_unref(d.qualities);
    g_object_unref(d.models);
    g_object_unref(d.complexities);
    return accepted;
}
