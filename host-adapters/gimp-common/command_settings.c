#include "command_settings.h"

#include <string.h>

/* The names scripts call (issue 4's contract); changing one breaks every script using it. */
static const PictorGimpCommandInfo commands[PICTOR_GIMP_COMMAND_COUNT] = {
    {"plug-in-pictor-generate", "_Generate as New Layer...", "Generate as New Layer", "_Generate",
     "Make an image from a prompt with gpt-image-2, as new layers",
     "Sends the prompt to the gateway of the chosen Pictor profile and adds each image it "
     "returns as a new layer above the active one, in one undo step. Every image received is "
     "also kept in Pictor's history folder."},
    {"plug-in-pictor-inpaint", "_Inpaint Selection...", "Inpaint Selection", "_Inpaint",
     "Repaint the selection with gpt-image-2, as a new masked layer",
     "Sends the selected part of the active layer, with some context around it and a mask, and "
     "adds the result as a new layer whose layer mask is the feathered selection: outside the "
     "selection the image stays exactly as it was. Needs a selection."},
    {"plug-in-pictor-edit", "_Edit with Layers as References...", "Edit with Layers as References",
     "_Edit", "Edit the active layer with gpt-image-2, using other layers as references",
     "Sends the layer to edit first and up to {max_reference_layers} other layers as reference images (from a "
     "script: the further drawables given, else the other visible layers, top first); a "
     "selection, if there is one, becomes the mask. The result is added on top of the layer "
     "stack as a new layer the size of the canvas."},
    {"plug-in-pictor-edit-with-markup", "Edit with _Markup...", "Edit with Markup", "_Edit",
     "Edit the active layer with gpt-image-2, following arrows and notes drawn on another layer",
     "Sends the active layer with a markup: another layer, transparent but for what you drew "
     "on it (arrows, circles, notes) to say what to change, read over the canvas at the size "
     "of the active layer as sent, alpha kept. Only models whose profile entry takes markup "
     "offer it. A markup is never sent with a mask: with a selection the command refuses "
     "(Select > None first). The result is added on top of the layer stack as a new layer the "
     "size of the canvas."},
};

const PictorGimpCommandInfo *pictor_gimp_command_info(PictorGimpCommand command) {
    return &commands[command];
}

gboolean pictor_gimp_command_for_procedure(const gchar *procedure, PictorGimpCommand *command) {
    for (gint i = 0; i < PICTOR_GIMP_COMMAND_COUNT; i++)
        if (strcmp(commands[i].procedure, procedure) == 0) {
            *command = (PictorGimpCommand)i;
            return TRUE;
        }
    return FALSE;
}

gchar *pictor_gimp_with_limits(const gchar *text) {
    const struct {
        const gchar *name;
        gint value;
    } numbers[] = {
        {"{max_prompt_chars}", PICTOR_GIMP_PROMPT_MAX},
        {"{max_reference_layers}", (gint)PICTOR_GIMP_MAX_REFERENCES},
        {"{default_grow_px}", PICTOR_GIMP_DEFAULT_GROW},
        {"{default_feather_px}", PICTOR_GIMP_DEFAULT_FEATHER},
        {"{default_context_px}", PICTOR_GIMP_DEFAULT_CONTEXT},
    };
    GString *out = g_string_new(NULL);
    while (*text) {
        gsize i = 0;
        while (i < G_N_ELEMENTS(numbers) && !g_str_has_prefix(text, numbers[i].name))
            i++;
        if (i < G_N_ELEMENTS(numbers)) {
            g_string_append_printf(out, "%d", numbers[i].value);
            text += strlen(numbers[i].name);
        } else {
            g_string_append_c(out, *text++);
        }
    }
    return g_string_free(out, FALSE);
}

const gchar *pictor_gimp_command_title(PictorGimpCommand command) { return commands[command].title; }

void pictor_gimp_settings_defaults(PictorGimpSettings *settings, PictorGimpCommand command) {
    memset(settings, 0, sizeof(*settings));
    /* A layer that fits the canvas is what "new layer" means in an image editor; inpaint
     * picks its own size from the selection. */
    g_strlcpy(settings->size, command == PICTOR_GIMP_INPAINT ? "" : "canvas", sizeof(settings->size));
    g_strlcpy(settings->quality, "medium", sizeof(settings->quality));
    settings->variations = 1;
    settings->grow = -1;
    settings->feather = -1;
    settings->context = -1;
    settings->markup_layer = -1;
}

gint pictor_gimp_upload_quality_value(const gchar *name) {
    static const gchar *const names[] = {"", "lossless", "fast"}; /* pictor_upload_quality order */
    for (gint i = 0; i < (gint)G_N_ELEMENTS(names); i++)
        if (g_strcmp0(name ? name : "", names[i]) == 0)
            return i;
    return -1;
}

gboolean pictor_gimp_settings_copy(gchar *field, gsize field_size, const gchar *value) {
    if (!value)
        value = "";
    return g_strlcpy(field, value, field_size) < field_size;
}

gboolean pictor_gimp_settings_copy_argument(gchar *field, gsize field_size, const gchar *value,
                                            const gchar *what, gchar **error) {
    if (pictor_gimp_settings_copy(field, field_size, value))
        return TRUE;
    *error = g_strdup_printf("The %s argument is too long (at most %u bytes).", what,
                             (unsigned)(field_size - 1));
    return FALSE;
}
