/* The three Pictor commands as both GIMP adapters (2.10 and 3) offer them: names, menu labels,
 * help texts, and what one run was asked to do. Plain GLib: no libgimp call lives here. */
#ifndef PICTOR_GIMP_COMMAND_SETTINGS_H
#define PICTOR_GIMP_COMMAND_SETTINGS_H

#include <glib.h>
#include <pictor/pictor.h>

/* The library's limits and defaults (pictor_get_limits), read once: the prompt's length, the
 * layer being edited plus the references an edit takes, and what -1 means for inpaint's grow,
 * feather and context (shown in the dialogs as numbers), with their largest values. */
const pictor_limits *pictor_gimp_limits(void);
#define PICTOR_GIMP_PROMPT_MAX \
    ((gint)MIN(pictor_gimp_limits()->max_prompt_chars, PICTOR_GIMP_PROMPT_STORE_CHARS))
/* GIMP keeps "last values" as a flat struct: room for a prompt this long. A longer prompt would
 * be cut there, so PICTOR_GIMP_PROMPT_MAX never exceeds it. */
#define PICTOR_GIMP_PROMPT_STORE_CHARS 32000
#define PICTOR_GIMP_MAX_REFERENCES ((guint)pictor_gimp_limits()->max_reference_layers)
#define PICTOR_GIMP_DEFAULT_GROW (pictor_gimp_limits()->default_grow_px)
#define PICTOR_GIMP_DEFAULT_FEATHER (pictor_gimp_limits()->default_feather_px)
#define PICTOR_GIMP_DEFAULT_CONTEXT (pictor_gimp_limits()->default_context_px)
#define PICTOR_GIMP_MAX_GROW (pictor_gimp_limits()->max_grow_px)
#define PICTOR_GIMP_MAX_FEATHER (pictor_gimp_limits()->max_feather_px)
#define PICTOR_GIMP_MAX_CONTEXT (pictor_gimp_limits()->max_context_px)
/* text with "{max_prompt_chars}" (PICTOR_GIMP_PROMPT_MAX), "{max_reference_layers}",
 * "{default_grow_px}", "{default_feather_px}" and "{default_context_px}" replaced by those
 * numbers, so that a changed limit changes every text that names it. Free with g_free. */
gchar *pictor_gimp_with_limits(const gchar *text);

/* Where the entries appear: Filters > Pictor, next to GIMP's other generators and filters. */
#define PICTOR_GIMP_MENU_PATH "<Image>/Filters/Pictor"
#define PICTOR_GIMP_PROC_SETTINGS "plug-in-pictor-settings"
#define PICTOR_GIMP_SETTINGS_MENU_LABEL "Pictor _Settings..."
#define PICTOR_GIMP_SETTINGS_TITLE "Pictor Settings"
#define PICTOR_GIMP_AUTHOR "Pictor contributors"
/* The history browser: every image Pictor received, to put back into an image. */
#define PICTOR_GIMP_PROC_HISTORY "plug-in-pictor-history"
#define PICTOR_GIMP_HISTORY_MENU_LABEL "_History..."
#define PICTOR_GIMP_HISTORY_TITLE "Pictor History"
#define PICTOR_GIMP_HISTORY_BLURB "Browse the images Pictor received and insert one as a new layer"
#define PICTOR_GIMP_HISTORY_HELP \
    "Interactively: a window with every image kept in Pictor's history folder, newest first, " \
    "with its prompt, profile, size, time, cost estimate and request id; search by prompt, insert " \
    "one as a new layer (at its own size or fitted to the canvas), copy its prompt, open the " \
    "folder. From a script: entry is an id (or its start) or text of the prompt (the newest " \
    "match is taken), fit-to-canvas 1 scales it to fit inside the canvas, centred; 0 puts it at " \
    "its own size at the top-left corner."

typedef enum {
    PICTOR_GIMP_GENERATE = 0,
    PICTOR_GIMP_INPAINT = 1,
    PICTOR_GIMP_EDIT = 2,
    PICTOR_GIMP_EDIT_MARKUP = 3 /* the active layer and a layer of arrows and notes */
} PictorGimpCommand;
#define PICTOR_GIMP_COMMAND_COUNT 4

typedef struct {
    const gchar *procedure;  /* "plug-in-pictor-generate": the name scripts call */
    const gchar *menu_label; /* with mnemonic */
    const gchar *title;      /* without: "Generate as New Layer" */
    const gchar *ok_label;   /* the dialog's button that sends the request */
    const gchar *blurb;
    const gchar *help;
} PictorGimpCommandInfo;

const PictorGimpCommandInfo *pictor_gimp_command_info(PictorGimpCommand command);
/* The command a procedure name stands for; FALSE for a name this plug-in does not own. */
gboolean pictor_gimp_command_for_procedure(const gchar *procedure, PictorGimpCommand *command);
/* The menu label without mnemonic, for titles: "Generate as New Layer". */
const gchar *pictor_gimp_command_title(PictorGimpCommand command);

typedef struct {
    gchar prompt[PICTOR_GIMP_PROMPT_STORE_CHARS * 4 + 1]; /* UTF-8: up to 4 bytes a character */
    gchar profile[128];   /* "" = the environment / config file / "openai", as the CLI */
    gchar size[32];       /* "" = the route's default, "auto", "canvas" or "WxH" */
    gchar quality[32];    /* "" = the route's default */
    gint32 variations;    /* generate: images wanted */
    gint32 grow;          /* inpaint, pixels; -1 = the library's default */
    gint32 feather;
    gint32 context;
    gchar model[128];     /* "" = the profile's default model */
    gchar complexity[32]; /* "" = not sent */
    gchar upload_quality[16]; /* "" = the one saved in Pictor Settings, "lossless", "fast" */
    gint32 markup_layer;  /* edit with markup: the layer of arrows and notes; -1 = none chosen */
} PictorGimpSettings;

/* The defaults a first run starts from. */
void pictor_gimp_settings_defaults(PictorGimpSettings *settings, PictorGimpCommand command);
/* Copies a string parameter into a fixed field; FALSE when it does not fit. */
gboolean pictor_gimp_settings_copy(gchar *field, gsize field_size, const gchar *value);
/* Copies the named string into its field, or returns FALSE with *error naming the argument. */
gboolean pictor_gimp_settings_copy_argument(gchar *field, gsize field_size, const gchar *value,
                                            const gchar *what, gchar **error);

/* "" -> PICTOR_UPLOAD_DEFAULT (0), "lossless" -> 1, "fast" -> 2; -1 for anything else. */
gint pictor_gimp_upload_quality_value(const gchar *name);
#define PICTOR_GIMP_UPLOAD_QUALITY_BLURB \
    "\"lossless\" (PNG when it fits the route), \"fast\" (visually lossless JPEG, or WebP with " \
    "alpha: smaller, sent sooner) or \"\" for the one saved in Pictor Settings"
#define PICTOR_GIMP_MODEL_BLURB "One of the profile's models (Pictor Settings lists them); \"\": its default"
#define PICTOR_GIMP_COMPLEXITY_BLURB \
    "\"low\", \"medium\", \"high\" where the model takes a complexity, or \"\" to send none"

/* Why a command cannot run on an image that is not RGB, or on a channel. */
#define PICTOR_GIMP_TEXT_GRAYSCALE \
    "Pictor works on RGB images and this one is grayscale: choose Image > Mode > RGB, then run it again."
#define PICTOR_GIMP_TEXT_INDEXED \
    "Pictor works on RGB images and this one is indexed: choose Image > Mode > RGB, then run it again."
#define PICTOR_GIMP_TEXT_CHANNEL \
    "The active drawable is a channel, not a layer: click a layer in the Layers dialog, then run it again."

#endif
