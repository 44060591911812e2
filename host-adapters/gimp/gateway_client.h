/* Making a pictor client the way the CLI does (profile, base URL and key from the environment
 * and the config file), and reading what its profile offers for the dialogs. */
#ifndef PICTOR_GIMP_GATEWAY_CLIENT_H
#define PICTOR_GIMP_GATEWAY_CLIENT_H

#include <glib.h>
#include <pictor/pictor.h>

/* profile "" or NULL: PICTOR_PROFILE, the config file, else "openai". NULL on failure with
 * *error set to the library's message (which says what to do). */
pictor_client *pictor_gimp_client_create(const gchar *profile, gchar **error);

/* FALSE with *error set when libpictor is not the one the plug-in was built against. */
gboolean pictor_gimp_library_matches(gchar **error);

typedef struct {
    gchar *name;
    gchar *description;
    gchar **sizes;          /* the sizes the route takes; NULL-terminated, maybe empty */
    gchar **qualities;      /* NULL-terminated, maybe empty (the route takes none) */
    gboolean custom_sizes;  /* any WxH within the rules */
    gboolean takes_size;    /* false: the route picks the size itself */
    gboolean has_api_key;
    gint max_images_per_request;
} PictorGimpProfileInfo;

/* What the client's profile offers. Free with pictor_gimp_profile_info_free. */
PictorGimpProfileInfo *pictor_gimp_profile_info(pictor_client *client);
void pictor_gimp_profile_info_free(PictorGimpProfileInfo *info);

/* The names of every installed and user profile, sorted; NULL-terminated (g_strfreev). */
gchar **pictor_gimp_profile_names(void);

#endif
