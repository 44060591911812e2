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
     "Sends the layer to edit first and up to 15 other layers as reference images (from a "
     "script: the further drawables given, else the other visible layers, top first); a "
     "selection, if there is one, becomes the mask. The result is added on top of the layer "
     "stack as a new layer the size of the canvas."},
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
