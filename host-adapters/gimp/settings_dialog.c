#include "settings_dialog.h"

#include "gateway_client.h"

#include <libgimp/gimp.h> /* before gimpui.h, which builds on it */
#include <libgimp/gimpui.h>
#include <string.h>


typedef struct {
    PictorGimpCommand command;
    gint32 image;
    GtkWidget *dialog;
    GtkWidget *prompt;        /* GtkTextView */
    GtkWidget *profile;       /* GtkComboBoxText; row 0 = from the environment */
    gchar **profile_names;
    GtkWidget *profile_note;
    GtkWidget *size;          /* GtkComboBoxText with entry */
    GtkWidget *quality;       /* GtkComboBoxText; row 0 = the route's default */
    GtkWidget *model;         /* GtkComboBoxText: the profile's models (edit with markup: those
                                 taking markup) */
    GtkWidget *complexity;    /* GtkComboBoxText; row 0 = none sent; insensitive when the model
                                 takes none */
    GtkWidget *markup;        /* GimpLayerComboBox (edit with markup) */
    gboolean loading;         /* the combos are being refilled: their signals are ours */
    GtkWidget *variations;
    GtkWidget *grow, *feather, *context;
    GArray *reference_ids;    /* gint32 per check button */
    GPtrArray *reference_checks;
    GtkWidget *cost;
    pictor_client *client;    /* for the chosen profile: what it offers, what it costs */
    PictorGimpProfileInfo *info;
} SettingsDialog;

static const gchar *combo_text(GtkWidget *combo) {
    /* GTK 2: the entry of a combo-with-entry holds the text, typed or chosen. */
    if (gtk_combo_box_get_has_entry(GTK_COMBO_BOX(combo)))
        return gtk_entry_get_text(GTK_ENTRY(gtk_bin_get_child(GTK_BIN(combo))));
    return NULL;
}

static gchar *prompt_text(SettingsDialog *d) {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer(GTK_TEXT_VIEW(d->prompt));
    GtkTextIter start, end;
    gtk_text_buffer_get_bounds(buffer, &start, &end);
    return gtk_text_buffer_get_text(buffer, &start, &end, FALSE);
}

static const gchar *chosen_profile(SettingsDialog *d) {
    gint row = gtk_combo_box_get_active(GTK_COMBO_BOX(d->profile));
    return row > 0 ? d->profile_names[row - 1] : "";
}

static const gchar *chosen_quality(SettingsDialog *d) {
    gint row = gtk_combo_box_get_active(GTK_COMBO_BOX(d->quality));
    if (row <= 0 || !d->info || !d->info->qualities[0])
        return "";
    return d->info->qualities[row - 1];
}

static const gchar *chosen_complexity(SettingsDialog *d) {
    gint row = gtk_combo_box_get_active(GTK_COMBO_BOX(d->complexity));
    if (row <= 0 || !d->info || !d->info->complexities[0])
        return "";
    return d->info->complexities[row - 1];
}

/* The model row's text: what the combo shows is the model's name. */
static gchar *chosen_model(SettingsDialog *d) {
    gchar *model = gtk_combo_box_text_get_active_text(GTK_COMBO_BOX_TEXT(d->model));
    return model ? model : g_strdup("");
}

static void update_cost(SettingsDialog *d) {
    if (!d->client) {
        gtk_label_set_text(GTK_LABEL(d->cost), "Estimated cost: unknown (the profile did not load)");
        return;
    }
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "cost estimate";
    const gchar *size = d->size ? combo_text(d->size) : "";
    /* "canvas" becomes a real size only once the job knows the canvas; estimate the default. */
    request.size = (size && *size && strcmp(size, "canvas") != 0) ? size : NULL;
    const gchar *quality = chosen_quality(d), *complexity = chosen_complexity(d);
    request.quality = *quality ? quality : NULL;
    request.complexity = *complexity ? complexity : NULL;
    gchar *model = chosen_model(d);
    request.model = *model ? model : NULL;
    request.n = d->variations ? gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(d->variations)) : 1;
    double usd = 0;
    gchar *text;
    /* Estimated as the image made: an edit's input images are only read once the job starts
     * (they add input tokens, a small part of the price). */
    pictor_status estimated = pictor_estimate_cost(d->client, &request, 0, &usd);
    g_free(model);
    if (estimated == PICTOR_OK && usd < 0)
        text = g_strdup("Estimated cost: unknown (the model's profile entry states no price)");
    else if (estimated == PICTOR_OK)
        text = g_strdup_printf("Estimated cost: about $%.3f%s (reference price; large sizes are "
                               "billed by tokens)",
                               usd, d->command == PICTOR_GIMP_GENERATE ? "" : " plus the images sent");
    else
        text = g_strdup_printf("Estimated cost: unknown - %s",
                               pictor_client_last_error(d->client)->message);
    gtk_label_set_text(GTK_LABEL(d->cost), text);
    g_free(text);
}

static void fill_combo(GtkWidget *combo, gchar **items) {
    gtk_list_store_clear(GTK_LIST_STORE(gtk_combo_box_get_model(GTK_COMBO_BOX(combo))));
    for (gchar **item = items; item && *item; item++)
        gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(combo), *item);
}

/* Refills the size, quality and complexity lists with what the chosen model takes, keeping the
 * current choice when the model has it. */
static void load_model(SettingsDialog *d, const gchar *keep_size, const gchar *keep_quality,
                       const gchar *keep_complexity) {
    gchar *model = chosen_model(d);
    pictor_gimp_profile_info_free(d->info);
    d->info = pictor_gimp_profile_info_for_model(d->client, model);
    g_free(model);
    d->loading = TRUE;
    if (d->size) {
        gchar *size = g_strdup(keep_size);
        fill_combo(d->size, NULL);
        gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->size), "canvas");
        gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->size), "auto");
        for (gchar **s = d->info->sizes; *s; s++)
            gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->size), *s);
        gtk_entry_set_text(GTK_ENTRY(gtk_bin_get_child(GTK_BIN(d->size))), size);
        gtk_widget_set_sensitive(d->size, d->info->takes_size);
        g_free(size);
    }
    const struct {
        GtkWidget *combo;
        gchar **offered;
        const gchar *keep, *none;
    } lists[] = {{d->quality, d->info->qualities, keep_quality, "(the route's default)"},
                 {d->complexity, d->info->complexities, keep_complexity, "(none sent)"}};
    for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
        gchar *keep = g_strdup(lists[l].keep);
        fill_combo(lists[l].combo, NULL);
        gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(lists[l].combo), lists[l].none);
        gint active = 0;
        for (gint i = 0; lists[l].offered[i]; i++) {
            gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(lists[l].combo), lists[l].offered[i]);
            if (strcmp(lists[l].offered[i], keep) == 0)
                active = i + 1;
        }
        gtk_combo_box_set_active(GTK_COMBO_BOX(lists[l].combo), active);
        gtk_widget_set_sensitive(lists[l].combo, lists[l].offered[0] != NULL);
        g_free(keep);
    }
    d->loading = FALSE;
    update_cost(d);
}

/* Loads the chosen profile, lists its models (for Edit with Markup those taking markup) with
 * keep_model or the profile's default chosen, then the model's lists. */
static void load_profile(SettingsDialog *d, const gchar *keep_model, const gchar *keep_size,
                         const gchar *keep_quality, const gchar *keep_complexity) {
    if (d->client)
        pictor_client_destroy(d->client);
    pictor_gimp_profile_info_free(d->info);
    d->info = NULL;
    gchar *error = NULL;
    d->client = pictor_gimp_client_create(chosen_profile(d), &error);
    if (!d->client) {
        gtk_label_set_text(GTK_LABEL(d->profile_note), error);
        g_free(error);
        update_cost(d);
        return;
    }
    PictorGimpProfileInfo *info = pictor_gimp_profile_info(d->client);
    gchar *key = pictor_gimp_key_note(info);
    gchar *note = g_strdup_printf("%s: %s\n%s", info->name, info->description, key);
    gtk_label_set_text(GTK_LABEL(d->profile_note), note);
    g_free(note);
    g_free(key);

    gchar *model = g_strdup(keep_model && *keep_model ? keep_model : info->default_model);
    d->loading = TRUE;
    fill_combo(d->model, NULL);
    gint rows = 0, active = -1, fallback = -1;
    for (gchar **m = info->models; *m; m++) {
        if (d->command == PICTOR_GIMP_EDIT_MARKUP) {
            PictorGimpProfileInfo *entry = pictor_gimp_profile_info_for_model(d->client, *m);
            gboolean takes = entry->markup;
            pictor_gimp_profile_info_free(entry);
            if (!takes)
                continue;
        }
        gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->model), *m);
        if (strcmp(*m, model) == 0)
            active = rows;
        if (strcmp(*m, info->default_model) == 0)
            fallback = rows;
        rows++;
    }
    gtk_combo_box_set_active(GTK_COMBO_BOX(d->model), active >= 0 ? active : MAX(fallback, 0));
    d->loading = FALSE;
    if (rows == 0) /* refused on OK, with the reason */
        gtk_label_set_text(GTK_LABEL(d->profile_note), "No model of this profile takes markup.");
    g_free(model);
    pictor_gimp_profile_info_free(info);
    load_model(d, keep_size, keep_quality, keep_complexity);
}

/* A new profile or model: its lists, keeping what the user chose where it has it. */
static void on_route_changed(GtkComboBox *combo, gpointer data) {
    SettingsDialog *d = data;
    if (d->loading)
        return;
    gchar *size = g_strdup(d->size ? combo_text(d->size) : "");
    gchar *quality = g_strdup(chosen_quality(d)), *complexity = g_strdup(chosen_complexity(d));
    gchar *model = chosen_model(d);
    if (GTK_WIDGET(combo) == d->profile)
        load_profile(d, model, size, quality, complexity);
    else
        load_model(d, size, quality, complexity);
    g_free(model);
    g_free(size);
    g_free(quality);
    g_free(complexity);
}

static void on_estimate_input_changed(GtkWidget *widget, gpointer data) {
    (void)widget;
    if (!((SettingsDialog *)data)->loading)
        update_cost(data);
}

static GtkWidget *add_row(GtkWidget *table, gint row, const gchar *label, GtkWidget *widget) {
    gimp_table_attach_aligned(GTK_TABLE(table), 0, row, label, 0.0, 0.5, widget, 1, FALSE);
    return widget;
}

static GtkWidget *spin(gint value, gint lower, gint upper) {
    GtkObject *adjustment = gtk_adjustment_new(value, lower, upper, 1, 8, 0);
    return gtk_spin_button_new(GTK_ADJUSTMENT(adjustment), 1, 0);
}

static void add_reference_list(SettingsDialog *d, GtkWidget *box, gint32 layer) {
    GtkWidget *frame = gimp_frame_new("Reference layers (sent after the active layer, top first)");
    gtk_box_pack_start(GTK_BOX(box), frame, TRUE, TRUE, 0);
    GtkWidget *scrolled = gtk_scrolled_window_new(NULL, NULL);
    gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scrolled), GTK_POLICY_NEVER,
                                   GTK_POLICY_AUTOMATIC);
    gtk_widget_set_size_request(scrolled, -1, 120);
    gtk_container_add(GTK_CONTAINER(frame), scrolled);
    GtkWidget *list = gtk_vbox_new(FALSE, 2);
    gtk_scrolled_window_add_with_viewport(GTK_SCROLLED_WINDOW(scrolled), list);
    d->reference_ids = g_array_new(FALSE, FALSE, sizeof(gint32));
    d->reference_checks = g_ptr_array_new();
    gint n = 0;
    gint *layers = gimp_image_get_layers(d->image, &n);
    for (gint i = 0; i < n; i++) {
        if (layers[i] == layer)
            continue;
        gchar *name = gimp_item_get_name(layers[i]);
        GtkWidget *check = gtk_check_button_new_with_label(name);
        g_free(name);
        /* Visible layers are the ones the user is looking at: the likely references. */
        gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check),
                                     gimp_item_get_visible(layers[i]) &&
                                         d->reference_ids->len < PICTOR_GIMP_MAX_REFERENCES);
        gtk_box_pack_start(GTK_BOX(list), check, FALSE, FALSE, 0);
        g_array_append_val(d->reference_ids, layers[i]);
        g_ptr_array_add(d->reference_checks, check);
    }
    g_free(layers);
    if (n <= 1)
        gtk_box_pack_start(GTK_BOX(list), gtk_label_new("(the image has no other layer)"), FALSE,
                           FALSE, 0);
}

static void build(SettingsDialog *d, gint32 layer, const PictorGimpSettings *s) {
    gchar *title = g_strdup_printf("Pictor: %s", pictor_gimp_command_title(d->command));
    const gchar *ok_label = pictor_gimp_command_info(d->command)->ok_label;
    d->dialog = gimp_dialog_new(title, "pictor", NULL, 0, NULL, NULL,
                                "_Cancel", GTK_RESPONSE_CANCEL, ok_label, GTK_RESPONSE_OK, NULL);
    g_free(title);
    gimp_window_set_transient(GTK_WINDOW(d->dialog));
    GtkWidget *box = gtk_vbox_new(FALSE, 8);
    gtk_container_set_border_width(GTK_CONTAINER(box), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(d->dialog))), box, TRUE,
                       TRUE, 0);

    GtkWidget *prompt_frame = gimp_frame_new(d->command == PICTOR_GIMP_GENERATE
                                                 ? "Prompt: what to draw"
                                                 : "Prompt: what to change");
    gtk_box_pack_start(GTK_BOX(box), prompt_frame, TRUE, TRUE, 0);
    GtkWidget *scrolled = gtk_scrolled_window_new(NULL, NULL);
    gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scrolled), GTK_POLICY_AUTOMATIC,
                                   GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_shadow_type(GTK_SCROLLED_WINDOW(scrolled), GTK_SHADOW_IN);
    gtk_widget_set_size_request(scrolled, 440, 120);
    gtk_container_add(GTK_CONTAINER(prompt_frame), scrolled);
    d->prompt = gtk_text_view_new();
    gtk_text_view_set_wrap_mode(GTK_TEXT_VIEW(d->prompt), GTK_WRAP_WORD_CHAR);
    gtk_text_buffer_set_text(gtk_text_view_get_buffer(GTK_TEXT_VIEW(d->prompt)), s->prompt, -1);
    gtk_container_add(GTK_CONTAINER(scrolled), d->prompt);

    GtkWidget *table = gtk_table_new(10, 2, FALSE);
    gtk_table_set_row_spacings(GTK_TABLE(table), 4);
    gtk_table_set_col_spacings(GTK_TABLE(table), 8);
    gtk_box_pack_start(GTK_BOX(box), table, FALSE, FALSE, 0);
    gint row = 0;

    d->profile = gtk_combo_box_text_new();
    gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->profile),
                                   "From PICTOR_PROFILE / config file");
    d->profile_names = pictor_gimp_profile_names();
    gint active_profile = 0;
    for (gint i = 0; d->profile_names[i]; i++) {
        gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(d->profile), d->profile_names[i]);
        if (strcmp(d->profile_names[i], s->profile) == 0)
            active_profile = i + 1;
    }
    gtk_combo_box_set_active(GTK_COMBO_BOX(d->profile), active_profile);
    add_row(table, row++, "Profile:", d->profile);
    d->profile_note = gtk_label_new("");
    gtk_label_set_line_wrap(GTK_LABEL(d->profile_note), TRUE);
    gtk_misc_set_alignment(GTK_MISC(d->profile_note), 0.0, 0.5);
    gtk_table_attach(GTK_TABLE(table), d->profile_note, 1, 2, row, row + 1, GTK_FILL, GTK_FILL, 0, 0);
    row++;

    if (d->command != PICTOR_GIMP_INPAINT) {
        d->size = gtk_combo_box_text_new_with_entry();
        gtk_widget_set_tooltip_text(d->size, "canvas: the size closest to the image's shape, "
                                             "scaled to the canvas; auto: the model chooses; "
                                             "or WIDTHxHEIGHT");
        add_row(table, row++, "Size:", d->size);
    }
    d->model = add_row(table, row++, "Model:", gtk_combo_box_text_new());
    gtk_widget_set_tooltip_text(d->model, "The models this profile's route serves; sizes, "
                                          "qualities and the cost follow the one chosen");
    if (d->command == PICTOR_GIMP_EDIT_MARKUP) {
        d->markup = gimp_layer_combo_box_new(NULL, NULL);
        if (s->markup_layer > 0 && gimp_item_is_valid(s->markup_layer) &&
            gimp_item_get_image(s->markup_layer) == d->image)
            gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(d->markup), s->markup_layer);
        gtk_widget_set_tooltip_text(d->markup, "A transparent layer with what you drew to say what "
                                               "to change; sent at the edited layer's size. A "
                                               "selection cannot be sent with it.");
        add_row(table, row++, "Markup layer:", d->markup);
    }
    d->quality = gtk_combo_box_text_new();
    add_row(table, row++, "Quality:", d->quality);
    d->complexity = add_row(table, row++, "Complexity:", gtk_combo_box_text_new());
    if (d->command == PICTOR_GIMP_GENERATE) {
        d->variations = spin(CLAMP(s->variations, 1, 10), 1, 10);
        gtk_widget_set_tooltip_text(d->variations, "One layer per image; each image is billed");
        add_row(table, row++, "Variations:", d->variations);
    }
    if (d->command == PICTOR_GIMP_INPAINT) {
        d->grow = add_row(table, row++, "Grow selection (px):",
                          spin(s->grow >= 0 ? s->grow : PICTOR_GIMP_DEFAULT_GROW, 0, PICTOR_GIMP_MAX_GROW));
        d->feather = add_row(table, row++, "Feather edge (px):",
                             spin(s->feather >= 0 ? s->feather : PICTOR_GIMP_DEFAULT_FEATHER, 0, PICTOR_GIMP_MAX_FEATHER));
        d->context = add_row(table, row++, "Context around it (px):",
                             spin(s->context >= 0 ? s->context : PICTOR_GIMP_DEFAULT_CONTEXT, 0, PICTOR_GIMP_MAX_CONTEXT));
    }
    if (d->command == PICTOR_GIMP_EDIT)
        add_reference_list(d, box, layer);

    d->cost = gtk_label_new("");
    gtk_misc_set_alignment(GTK_MISC(d->cost), 0.0, 0.5);
    gtk_label_set_line_wrap(GTK_LABEL(d->cost), TRUE);
    gtk_box_pack_start(GTK_BOX(box), d->cost, FALSE, FALSE, 0);

    load_profile(d, s->model, s->size, s->quality, s->complexity);
    g_signal_connect(d->profile, "changed", G_CALLBACK(on_route_changed), d);
    g_signal_connect(d->model, "changed", G_CALLBACK(on_route_changed), d);
    g_signal_connect(d->quality, "changed", G_CALLBACK(on_estimate_input_changed), d);
    g_signal_connect(d->complexity, "changed", G_CALLBACK(on_estimate_input_changed), d);
    if (d->size)
        g_signal_connect(d->size, "changed", G_CALLBACK(on_estimate_input_changed), d);
    if (d->variations)
        g_signal_connect(d->variations, "value-changed", G_CALLBACK(on_estimate_input_changed), d);
    gtk_widget_show_all(d->dialog);
}

static void read_choices(SettingsDialog *d, PictorGimpSettings *s, GArray *references);

/* FALSE (and a message) when the choices cannot be sent as they are: the dialog stays open. */
static gboolean choices_valid(SettingsDialog *d) {
    if (d->reference_checks) {
        guint chosen = 0;
        for (guint i = 0; i < d->reference_checks->len; i++)
            chosen += gtk_toggle_button_get_active(g_ptr_array_index(d->reference_checks, i));
        if (chosen > PICTOR_GIMP_MAX_REFERENCES) {
            gchar *text = g_strdup_printf("At most %u reference layers can be sent: untick some.",
                                          PICTOR_GIMP_MAX_REFERENCES);
            gimp_message(text);
            g_free(text);
            return FALSE;
        }
    }
    if (!d->client) {
        gimp_message(gtk_label_get_text(GTK_LABEL(d->profile_note)));
        return FALSE;
    }
    PictorGimpSettings *chosen = g_new0(PictorGimpSettings, 1);
    pictor_gimp_settings_defaults(chosen, d->command);
    read_choices(d, chosen, NULL);
    gchar *why = pictor_gimp_check_settings(d->client, d->command, chosen);
    g_free(chosen);
    if (why)
        gimp_message(why);
    g_free(why);
    return why == NULL;
}

static void read_choices(SettingsDialog *d, PictorGimpSettings *s, GArray *references) {
    gchar *prompt = prompt_text(d);
    pictor_gimp_settings_copy(s->prompt, sizeof(s->prompt), prompt);
    g_free(prompt);
    pictor_gimp_settings_copy(s->profile, sizeof(s->profile), chosen_profile(d));
    if (d->size) {
        gchar *size = g_strstrip(g_strdup(combo_text(d->size)));
        pictor_gimp_settings_copy(s->size, sizeof(s->size), size);
        g_free(size);
    }
    pictor_gimp_settings_copy(s->quality, sizeof(s->quality), chosen_quality(d));
    pictor_gimp_settings_copy(s->complexity, sizeof(s->complexity), chosen_complexity(d));
    gchar *model = chosen_model(d);
    pictor_gimp_settings_copy(s->model, sizeof(s->model), model);
    g_free(model);
    if (d->markup && !gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(d->markup), &s->markup_layer))
        s->markup_layer = -1;
    if (d->variations)
        s->variations = gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(d->variations));
    if (d->grow) {
        s->grow = gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(d->grow));
        s->feather = gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(d->feather));
        s->context = gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(d->context));
    }
    if (d->reference_checks && references)
        for (guint i = 0; i < d->reference_checks->len; i++)
            if (gtk_toggle_button_get_active(g_ptr_array_index(d->reference_checks, i)))
                g_array_append_val(references, g_array_index(d->reference_ids, gint32, i));
}

gboolean pictor_gimp_settings_dialog_run(PictorGimpCommand command, gint32 image, gint32 layer,
                                         PictorGimpSettings *settings, GArray *references) {
    SettingsDialog d;
    memset(&d, 0, sizeof(d));
    d.command = command;
    d.image = image;
    build(&d, layer, settings);
    gboolean accepted = FALSE;
    for (;;) {
        if (gimp_dialog_run(GIMP_DIALOG(d.dialog)) != GTK_RESPONSE_OK)
            break;
        if (choices_valid(&d)) {
            read_choices(&d, settings, references);
            accepted = TRUE;
            break;
        }
    }
    gtk_widget_destroy(d.dialog);
    if (d.client)
        pictor_client_destroy(d.client);
    pictor_gimp_profile_info_free(d.info);
    g_strfreev(d.profile_names);
    if (d.reference_ids)
        g_array_free(d.reference_ids, TRUE);
    if (d.reference_checks)
        g_ptr_array_free(d.reference_checks, TRUE);
    return accepted;
}
