/* What one run of a Pictor procedure was asked to do, and how it is remembered between runs
 * (gimp_get_data / gimp_set_data keep it for the rest of the GIMP session). */
#ifndef PICTOR_GIMP_COMMAND_SETTINGS_H
#define PICTOR_GIMP_COMMAND_SETTINGS_H

#include <libgimp/gimp.h>

/* The API's own limit; the buffer holds it in full so "last values" never cut a prompt. */
#define PICTOR_GIMP_PROMPT_MAX 32000

typedef enum {
    PICTOR_GIMP_GENERATE = 0,
    PICTOR_GIMP_INPAINT = 1,
    PICTOR_GIMP_EDIT = 2
} PictorGimpCommand;

typedef struct {
    gchar prompt[PICTOR_GIMP_PROMPT_MAX * 4 + 1]; /* UTF-8: up to 4 bytes a character */
    gchar profile[128];   /* "" = the environment / config file / "openai", as the CLI */
    gchar size[32];       /* "" = the route's default, "auto", "canvas" or "WxH" */
    gchar quality[32];    /* "" = the route's default */
    gint32 variations;    /* generate: images wanted */
    gint32 grow;          /* inpaint, pixels; -1 = the library's default */
    gint32 feather;
    gint32 context;
} PictorGimpSettings;

/* The defaults a first run starts from. */
void pictor_gimp_settings_defaults(PictorGimpSettings *settings, PictorGimpCommand command);

/* The last values of this procedure in this GIMP session; FALSE (settings untouched) if none. */
gboolean pictor_gimp_settings_load(PictorGimpSettings *settings, const gchar *procedure);
void pictor_gimp_settings_store(const PictorGimpSettings *settings, const gchar *procedure);

/* Copies a string parameter into a fixed field; FALSE when it does not fit. */
gboolean pictor_gimp_settings_copy(gchar *field, gsize field_size, const gchar *value);

#endif
