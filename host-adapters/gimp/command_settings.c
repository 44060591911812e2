#include "command_settings.h"

#include <string.h>

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

gboolean pictor_gimp_settings_load(PictorGimpSettings *settings, const gchar *procedure) {
    /* A size from an older build of the plug-in would be garbage: ignore it. */
    if (gimp_get_data_size(procedure) != (gint)sizeof(*settings))
        return FALSE;
    gimp_get_data(procedure, settings);
    settings->prompt[sizeof(settings->prompt) - 1] = '\0';
    settings->profile[sizeof(settings->profile) - 1] = '\0';
    settings->size[sizeof(settings->size) - 1] = '\0';
    settings->quality[sizeof(settings->quality) - 1] = '\0';
    return TRUE;
}

void pictor_gimp_settings_store(const PictorGimpSettings *settings, const gchar *procedure) {
    gimp_set_data(procedure, settings, sizeof(*settings));
}

gboolean pictor_gimp_settings_copy(gchar *field, gsize field_size, const gchar *value) {
    if (!value)
        value = "";
    return g_strlcpy(field, value, field_size) < field_size;
}
