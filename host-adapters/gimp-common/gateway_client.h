/* Making a pictor client the way the CLI does (profile, base URL and key from the environment
 * and the config file), and reading what its profile offers for the dialogs. */
#ifndef PICTOR_GIMP_GATEWAY_CLIENT_H
#define PICTOR_GIMP_GATEWAY_CLIENT_H

#include "command_settings.h"

#include <glib.h>
#include <pictor/pictor.h>

/* profile "" or NULL: PICTOR_PROFILE, the config file, else "openai". NULL on failure with
 * *error set to the library's message (which says what to do). */
pictor_client *pictor_gimp_client_create(const gchar *profile, gchar **error);
/* The clients above run requests in Pictor's helper process (run_in_helper): a request
 * outlives the plug-in, and Cancel means "stop waiting". */
#define PICTOR_GIMP_RUN_IN_HELPER 1

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
    gchar *api_key_source;          /* "PICTOR_API_KEY", "the desktop keyring", a path, or "" */
    gboolean api_key_from_environment; /* it then wins over a key stored in Pictor Settings */
    gint max_images_per_request;
    gboolean streams;       /* the route sends partial images while it paints */
    /* The model these describe, and the choice of models: */
    gchar *model;
    gchar **complexities;   /* NULL-terminated, maybe empty (the model takes none) */
    gboolean markup;        /* edits take a markup overlay */
    gchar **models;         /* every model the profile lists, in its order; NULL-terminated */
    gchar *default_model;   /* the profile's own choice among them */
} PictorGimpProfileInfo;

/* What the client's profile offers with its current model. Free with
 * pictor_gimp_profile_info_free. */
PictorGimpProfileInfo *pictor_gimp_profile_info(pictor_client *client);
/* The same for one of the profile's models ("" or NULL: the current one; a name the profile does
 * not list: the current one too, and the request is refused when checked). */
PictorGimpProfileInfo *pictor_gimp_profile_info_for_model(pictor_client *client, const gchar *model);
void pictor_gimp_profile_info_free(PictorGimpProfileInfo *info);

/* The names of every installed and user profile, sorted; NULL-terminated (g_strfreev). */
gchar **pictor_gimp_profile_names(void);

/* One line for the dialogs: where the key in use came from, a warning when the environment
 * overrides the stored one, or how to add one when there is none. */
gchar *pictor_gimp_key_note(const PictorGimpProfileInfo *info);

/* Why these settings cannot be sent (an empty prompt, no API key, a size or quality the route
 * does not take), in GIMP's words; NULL when they can be. Nothing is sent: the dialogs ask this before
 * they close. The images of an edit are checked when the job starts. */
gchar *pictor_gimp_check_settings(pictor_client *client, PictorGimpCommand command,
                                  const PictorGimpSettings *settings);

/* The request these settings make (prompt, size, quality, n, model, complexity, upload
 * quality), pointing into settings; the job adds what it reads from the image. */
void pictor_gimp_fill_request(PictorGimpCommand command, const PictorGimpSettings *settings,
                              pictor_request *request);

/* Edit with Markup on a model whose profile entry takes none (%s: the model). */
#define PICTOR_GIMP_TEXT_NO_MARKUP \
    "Model %s takes no markup (its profile entry says so): choose a Model that does, or use " \
    "Edit with Layers as References. Nothing was sent."

/* The library's message in GIMP's words: the command line's flags and commands become the
 * dialog fields and menu entries a GIMP user has. */
gchar *pictor_gimp_host_words(const gchar *message);

#endif
