#include "last_values.h"

#include <libgimp/gimp.h>

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
