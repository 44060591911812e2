/* The GIMP 3 plug-in: a GimpPlugIn with the Pictor image procedures, Pictor Settings and
 * Pictor History.
 * The work itself (selection to mask, the request, compositing) is the library's, behind
 * <pictor/pictor.h>; what both GIMP adapters share lives in ../gimp-common. */
#include "command_dialog.h"
#include "command_settings.h"
#include "gateway_client.h"
#include "gimp_document.h"
#include "history_browser.h"
#include "job_session.h"
#include "pictor_settings.h"

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <string.h>

#define PLUG_IN_BINARY "pictor"

typedef struct _Pictor {
    GimpPlugIn parent_instance;
} Pictor;
typedef struct _PictorClass {
    GimpPlugInClass parent_class;
} PictorClass;

#define PICTOR_TYPE (pictor_get_type())
GType pictor_get_type(void) G_GNUC_CONST;
G_DEFINE_TYPE(Pictor, pictor, GIMP_TYPE_PLUG_IN)

static GList *query_procedures(GimpPlugIn *plug_in) {
    (void)plug_in;
    GList *names = NULL;
    for (gint i = 0; i < PICTOR_GIMP_COMMAND_COUNT; i++)
        names = g_list_append(names, g_strdup(pictor_gimp_command_info((PictorGimpCommand)i)->procedure));
    names = g_list_append(names, g_strdup(PICTOR_GIMP_PROC_SETTINGS));
    return g_list_append(names, g_strdup(PICTOR_GIMP_PROC_HISTORY));
}

static GimpValueArray *run_command(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                                   GimpDrawable **drawables, GimpProcedureConfig *config,
                                   gpointer run_data);
static GimpValueArray *run_settings(GimpProcedure *procedure, GimpProcedureConfig *config,
                                    gpointer run_data);
static GimpValueArray *run_history(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                                   GimpDrawable **drawables, GimpProcedureConfig *config,
                                   gpointer run_data);

static const gchar *const SIZE_BLURB =
    "\"canvas\", \"auto\", \"WIDTHxHEIGHT\" or \"\" for the route's default";
static const gchar *const QUALITY_BLURB =
    "\"low\", \"medium\", \"high\", \"auto\" or \"\" for the route's default";

static void add_size(GimpProcedure *procedure, const PictorGimpSettings *defaults) {
    gimp_procedure_add_string_argument(procedure, "size", "_Size", SIZE_BLURB, defaults->size,
                                       G_PARAM_READWRITE);
}
static void add_quality(GimpProcedure *procedure, const PictorGimpSettings *defaults) {
    gimp_procedure_add_string_argument(procedure, "quality", "_Quality", QUALITY_BLURB,
                                       defaults->quality, G_PARAM_READWRITE);
}
/* nick and blurb: with the library's numbers in them (pictor_gimp_with_limits). */
static void add_pixels(GimpProcedure *procedure, const gchar *name, const gchar *nick,
                       const gchar *blurb, gint upper, gint value) {
    gchar *nick_text = pictor_gimp_with_limits(nick), *blurb_text = pictor_gimp_with_limits(blurb);
    gimp_procedure_add_int_argument(procedure, name, nick_text, blurb_text, -1, upper, value, G_PARAM_READWRITE);
    g_free(nick_text);
    g_free(blurb_text);
}

static GimpProcedure *create_command(GimpPlugIn *plug_in, const gchar *name, PictorGimpCommand command) {
    const PictorGimpCommandInfo *info = pictor_gimp_command_info(command);
    /* ~128 KB with room for the longest prompt: on the heap. */
    PictorGimpSettings *defaults = g_new0(PictorGimpSettings, 1);
    pictor_gimp_settings_defaults(defaults, command);
    GimpProcedure *procedure = gimp_image_procedure_new(plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                                        run_command, GINT_TO_POINTER(command), NULL);
    gimp_procedure_set_image_types(procedure, "RGB*");
    gimp_procedure_set_sensitivity_mask(procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE |
                                                       GIMP_PROCEDURE_SENSITIVE_DRAWABLES);
    gimp_procedure_set_menu_label(procedure, info->menu_label);
    gimp_procedure_add_menu_path(procedure, PICTOR_GIMP_MENU_PATH);
    gchar *help = pictor_gimp_with_limits(info->help);
    gimp_procedure_set_documentation(procedure, info->blurb, help, name);
    g_free(help);
    gimp_procedure_set_attribution(procedure, PICTOR_GIMP_AUTHOR, PICTOR_GIMP_AUTHOR, "2026");

    /* The exact arguments scripts pass, after run-mode, image and drawables. */
    gchar *prompt_blurb = pictor_gimp_with_limits(command == PICTOR_GIMP_GENERATE
                                                      ? "What to draw (at most {max_prompt_chars} characters)"
                                                      : "What to change (at most {max_prompt_chars} characters)");
    gimp_procedure_add_string_argument(procedure, "prompt", "_Prompt", prompt_blurb, "", G_PARAM_READWRITE);
    g_free(prompt_blurb);
    switch (command) {
    case PICTOR_GIMP_GENERATE:
        add_size(procedure, defaults);
        add_quality(procedure, defaults);
        gimp_procedure_add_int_argument(procedure, "variations", "_Variations",
                                        "How many images (one layer each; each is billed)", 1,
                                        100, defaults->variations, G_PARAM_READWRITE);
        break;
    case PICTOR_GIMP_INPAINT:
        add_pixels(procedure, "grow", "Gro_w selection (px; -1: {default_grow_px})",
                   "Pixels the selection grows by before it is sent (-1: {default_grow_px})", PICTOR_GIMP_MAX_GROW,
                   defaults->grow);
        add_pixels(procedure, "feather", "_Feather edge (px; -1: {default_feather_px})",
                   "Width in pixels of the soft edge (-1: {default_feather_px})", PICTOR_GIMP_MAX_FEATHER,
                   defaults->feather);
        add_pixels(procedure, "context", "Conte_xt around it (px; -1: {default_context_px})",
                   "Pixels of the image around the selection sent along (-1: {default_context_px})",
                   PICTOR_GIMP_MAX_CONTEXT, defaults->context);
        add_quality(procedure, defaults);
        break;
    case PICTOR_GIMP_EDIT:
        add_size(procedure, defaults);
        add_quality(procedure, defaults);
        break;
    case PICTOR_GIMP_EDIT_MARKUP:
        gimp_procedure_add_layer_argument(procedure, "markup-layer", "_Markup layer",
                                          "The layer with the arrows and notes, on transparency",
                                          TRUE, G_PARAM_READWRITE);
        add_size(procedure, defaults);
        add_quality(procedure, defaults);
        break;
    }
    gimp_procedure_add_string_argument(procedure, "profile", "Profi_le",
                                       "Pictor profile (gateway route); \"\": the default from "
                                       "PICTOR_PROFILE or Pictor Settings",
                                       "", G_PARAM_READWRITE);
    /* Added after the first release: at the end, so positional calls keep working. */
    gimp_procedure_add_string_argument(procedure, "model", "_Model", PICTOR_GIMP_MODEL_BLURB, "",
                                       G_PARAM_READWRITE);
    gimp_procedure_add_string_argument(procedure, "complexity", "Comple_xity",
                                       PICTOR_GIMP_COMPLEXITY_BLURB, "", G_PARAM_READWRITE);
    gimp_procedure_add_string_argument(procedure, "upload-quality", "_Upload quality",
                                       PICTOR_GIMP_UPLOAD_QUALITY_BLURB, "", G_PARAM_READWRITE);
    gimp_procedure_add_core_object_array_return_value(procedure, "layers", "Layers",
                                                      "The layers added, in the order added",
                                                      GIMP_TYPE_LAYER, G_PARAM_READWRITE);
    g_free(defaults);
    return procedure;
}

static GimpProcedure *create_settings(GimpPlugIn *plug_in, const gchar *name) {
    GimpProcedure *procedure = gimp_procedure_new(plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                                  run_settings, NULL, NULL);
    gimp_procedure_set_sensitivity_mask(procedure, GIMP_PROCEDURE_SENSITIVE_ALWAYS);
    gimp_procedure_set_menu_label(procedure, PICTOR_GIMP_SETTINGS_MENU_LABEL);
    gimp_procedure_add_menu_path(procedure, PICTOR_GIMP_MENU_PATH);
    gimp_procedure_set_documentation(
        procedure, "Store the API key and choose the default Pictor profile",
        "Interactively: a dialog to paste the key (kept in the desktop keyring, or in Pictor's "
        "config file readable only by you) and to choose the default profile. From a script: "
        "key-file names a file whose first line is the key (the key itself is never an "
        "argument), default-profile a profile to make the default; \"\" leaves either as it is. "
        "Returns where the key in use comes from, where a key was stored, and the profile in use.",
        name);
    gimp_procedure_set_attribution(procedure, PICTOR_GIMP_AUTHOR, PICTOR_GIMP_AUTHOR, "2026");
    gimp_procedure_add_enum_argument(procedure, "run-mode", "Run mode", "The run mode",
                                     GIMP_TYPE_RUN_MODE, GIMP_RUN_INTERACTIVE, G_PARAM_READWRITE);
    gimp_procedure_add_string_argument(procedure, "key-file", "Key file",
                                       "A file whose first line is the API key to store; \"\": keep",
                                       "", G_PARAM_READWRITE);
    gimp_procedure_add_string_argument(procedure, "default-profile", "Default profile",
                                       "The profile to make the default; \"\": keep", "",
                                       G_PARAM_READWRITE);
    gimp_procedure_add_string_return_value(procedure, "key-source", "Key source",
                                           "Where the key in use comes from; \"\": no key", "",
                                           G_PARAM_READWRITE);
    gimp_procedure_add_string_return_value(procedure, "key-stored-in", "Key stored in",
                                           "Where this call stored a key; \"\": it stored none", "",
                                           G_PARAM_READWRITE);
    gimp_procedure_add_string_return_value(procedure, "profile", "Profile",
                                           "The profile a command uses now", "", G_PARAM_READWRITE);
    return procedure;
}

static GimpProcedure *create_history(GimpPlugIn *plug_in, const gchar *name) {
    GimpProcedure *procedure = gimp_image_procedure_new(plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN,
                                                        run_history, NULL, NULL);
    gimp_procedure_set_image_types(procedure, "RGB*");
    gimp_procedure_set_sensitivity_mask(procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE |
                                                       GIMP_PROCEDURE_SENSITIVE_DRAWABLES |
                                                       GIMP_PROCEDURE_SENSITIVE_NO_DRAWABLES);
    gimp_procedure_set_menu_label(procedure, PICTOR_GIMP_HISTORY_MENU_LABEL);
    gimp_procedure_add_menu_path(procedure, PICTOR_GIMP_MENU_PATH);
    gimp_procedure_set_documentation(procedure, PICTOR_GIMP_HISTORY_BLURB, PICTOR_GIMP_HISTORY_HELP, name);
    gimp_procedure_set_attribution(procedure, PICTOR_GIMP_AUTHOR, PICTOR_GIMP_AUTHOR, "2026");
    gimp_procedure_add_string_argument(procedure, "entry", "Entry",
                                       "A history id (or its start), or text of the prompt: the newest match",
                                       "", G_PARAM_READWRITE);
    gimp_procedure_add_boolean_argument(procedure, "fit-to-canvas", "Fit to canvas",
                                        "Scaled to fit inside the canvas, centred; else its own size at the top-left",
                                        FALSE, G_PARAM_READWRITE);
    gimp_procedure_add_core_object_array_return_value(procedure, "layers", "Layers",
                                                      "The layers inserted, in the order inserted",
                                                      GIMP_TYPE_LAYER, G_PARAM_READWRITE);
    return procedure;
}

static GimpProcedure *create_procedure(GimpPlugIn *plug_in, const gchar *name) {
    PictorGimpCommand command;
    if (pictor_gimp_command_for_procedure(name, &command))
        return create_command(plug_in, name, command);
    if (strcmp(name, PICTOR_GIMP_PROC_SETTINGS) == 0)
        return create_settings(plug_in, name);
    if (strcmp(name, PICTOR_GIMP_PROC_HISTORY) == 0)
        return create_history(plug_in, name);
    return NULL;
}

static void pictor_class_init(PictorClass *klass) {
    GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS(klass);
    plug_in_class->query_procedures = query_procedures;
    plug_in_class->create_procedure = create_procedure;
    plug_in_class->set_i18n = NULL; /* no translations */
}

static void pictor_init(Pictor *pictor) { (void)pictor; }

static GimpValueArray *fail(GimpProcedure *procedure, GimpPDBStatusType status, const gchar *text) {
    /* GIMP shows the text in its error console; a script gets it as the call's error. */
    return gimp_procedure_new_return_values(procedure, status,
                                            g_error_new_literal(GIMP_PLUG_IN_ERROR, 0, text));
}

static gboolean read_config(GimpProcedureConfig *config, PictorGimpCommand command,
                            PictorGimpSettings *settings, gchar **error) {
    gchar *prompt = NULL, *size = NULL, *quality = NULL, *profile = NULL, *model = NULL,
          *complexity = NULL, *upload = NULL;
    g_object_get(config, "prompt", &prompt, "quality", &quality, "profile", &profile, "model",
                 &model, "complexity", &complexity, "upload-quality", &upload, NULL);
    if (command == PICTOR_GIMP_EDIT_MARKUP) {
        GimpLayer *markup = NULL;
        g_object_get(config, "markup-layer", &markup, NULL);
        settings->markup_layer = markup ? gimp_item_get_id(GIMP_ITEM(markup)) : -1;
        g_clear_object(&markup);
    }
    if (command != PICTOR_GIMP_INPAINT)
        g_object_get(config, "size", &size, NULL);
    if (command == PICTOR_GIMP_GENERATE)
        g_object_get(config, "variations", &settings->variations, NULL);
    if (command == PICTOR_GIMP_INPAINT)
        g_object_get(config, "grow", &settings->grow, "feather", &settings->feather, "context",
                     &settings->context, NULL);
    gboolean ok =
        pictor_gimp_settings_copy_argument(settings->prompt, sizeof(settings->prompt), prompt,
                                           "prompt", error) &&
        pictor_gimp_settings_copy_argument(settings->quality, sizeof(settings->quality), quality,
                                           "quality", error) &&
        pictor_gimp_settings_copy_argument(settings->profile, sizeof(settings->profile), profile,
                                           "profile", error) &&
        pictor_gimp_settings_copy_argument(settings->size, sizeof(settings->size), size, "size",
                                           error) &&
        pictor_gimp_settings_copy_argument(settings->model, sizeof(settings->model), model, "model",
                                           error) &&
        pictor_gimp_settings_copy_argument(settings->complexity, sizeof(settings->complexity),
                                           complexity, "complexity", error) &&
        pictor_gimp_settings_copy_argument(settings->upload_quality, sizeof(settings->upload_quality),
                                           upload, "upload-quality", error);
    g_strstrip(settings->size);
    if (ok && pictor_gimp_upload_quality_value(settings->upload_quality) < 0) {
        *error = g_strdup_printf("upload-quality is \"%s\": pass \"lossless\", \"fast\" or \"\".",
                                 settings->upload_quality);
        ok = FALSE;
    }
    g_free(model);
    g_free(complexity);
    g_free(upload);
    g_free(prompt);
    g_free(size);
    g_free(quality);
    g_free(profile);
    return ok;
}

/* The references of an edit: the further drawables given, in order (layers only, masks stand
 * for their layer); with one drawable, the other visible top-level layers, top first (the
 * first PICTOR_GIMP_MAX_REFERENCES). FALSE with *error when more were given. */
static gboolean collect_references(GimpImage *image, GimpDrawable **drawables, gint32 layer,
                                   GArray *references, gchar **error) {
    gboolean given = FALSE;
    for (gint i = 1; drawables[i]; i++) {
        gchar *ignored = NULL;
        gint32 id = pictor_gimp_active_layer(gimp_image_get_id(image),
                                             gimp_item_get_id(GIMP_ITEM(drawables[i])), &ignored);
        g_free(ignored);
        given = TRUE;
        if (id >= 0 && id != layer)
            g_array_append_val(references, id);
    }
    if (references->len > PICTOR_GIMP_MAX_REFERENCES) {
        *error = g_strdup_printf("%u reference layers are selected and at most %d can be sent: "
                                 "select fewer layers.",
                                 references->len, PICTOR_GIMP_MAX_REFERENCES);
        return FALSE;
    }
    if (given)
        return TRUE;
    GimpLayer **layers = gimp_image_get_layers(image);
    for (gint i = 0; layers && layers[i] && references->len < PICTOR_GIMP_MAX_REFERENCES; i++) {
        gint32 id = gimp_item_get_id(GIMP_ITEM(layers[i]));
        if (id != layer && gimp_item_get_visible(GIMP_ITEM(layers[i])))
            g_array_append_val(references, id);
    }
    g_free(layers);
    return TRUE;
}

static GimpValueArray *layers_added(GimpProcedure *procedure, GArray *ids) {
    GimpValueArray *values = gimp_procedure_new_return_values(procedure, GIMP_PDB_SUCCESS, NULL);
    GimpLayer **layers = g_new0(GimpLayer *, ids->len + 1);
    for (guint i = 0; i < ids->len; i++)
        layers[i] = gimp_layer_get_by_id(g_array_index(ids, gint32, i));
    g_value_set_boxed(gimp_value_array_index(values, 1), layers);
    g_free(layers);
    return values;
}

/* An execution error with error's text, freeing it. */
static GimpValueArray *fail_freeing(GimpProcedure *procedure, gchar *error) {
    GimpValueArray *values = fail(procedure, GIMP_PDB_EXECUTION_ERROR, error);
    g_free(error);
    return values;
}

/* The end of every run: the displays updated (unless a script runs it), the layers added or
 * the failure returned; error is freed. */
static GimpValueArray *finish_run(GimpProcedure *procedure, GimpRunMode run_mode, gboolean ok,
                                  gchar *error, GArray *added) {
    if (run_mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush();
    if (!ok)
        return fail_freeing(procedure, error);
    g_free(error);
    return layers_added(procedure, added);
}

static GimpValueArray *run_command(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                                   GimpDrawable **drawables, GimpProcedureConfig *config,
                                   gpointer run_data) {
    PictorGimpCommand command = (PictorGimpCommand)GPOINTER_TO_INT(run_data);
    gchar *error = NULL;
    gegl_init(NULL, NULL); /* drawable buffers are GEGL buffers */
    if (!pictor_gimp_library_matches(&error))
        return fail_freeing(procedure, error);
    if (!drawables || !drawables[0])
        return fail(procedure, GIMP_PDB_CALLING_ERROR,
                    "Pictor needs a layer: select one in the Layers dialog, then run it again.");
    gint32 layer = pictor_gimp_active_layer(gimp_image_get_id(image),
                                            gimp_item_get_id(GIMP_ITEM(drawables[0])), &error);
    if (layer < 0)
        return fail_freeing(procedure, error);
    GArray *references = g_array_new(FALSE, FALSE, sizeof(gint32));
    if (command == PICTOR_GIMP_EDIT && !collect_references(image, drawables, layer, references, &error)) {
        g_array_free(references, TRUE);
        return fail_freeing(procedure, error);
    }

    gboolean interactive = run_mode == GIMP_RUN_INTERACTIVE;
    if (interactive) {
        gimp_ui_init(PLUG_IN_BINARY);
        if (!pictor_gimp3_command_dialog_run(procedure, config, command, references)) {
            g_array_free(references, TRUE);
            return gimp_procedure_new_return_values(procedure, GIMP_PDB_CANCEL, NULL);
        }
    }
    /* ~128 KB with the prompt at its full length: on the heap. */
    PictorGimpSettings *settings = g_new0(PictorGimpSettings, 1);
    pictor_gimp_settings_defaults(settings, command);
    GArray *added = g_array_new(FALSE, FALSE, sizeof(gint32));
    gboolean ok = read_config(config, command, settings, &error);
    if (ok && command == PICTOR_GIMP_GENERATE && settings->variations < 1) {
        error = g_strdup_printf("variations is %d: pass 1 or more.", settings->variations);
        ok = FALSE;
    }
    if (ok) {
        PictorGimpJobSpec spec = {command,
                                  settings,
                                  gimp_image_get_id(image),
                                  layer,
                                  (const gint32 *)references->data,
                                  references->len,
                                  interactive,
                                  added};
        ok = pictor_gimp_run_command(&spec, &error);
    }
    GimpValueArray *values = finish_run(procedure, run_mode, ok, error, added);
    g_array_free(added, TRUE);
    g_array_free(references, TRUE);
    g_free(settings);
    return values;
}

static GimpValueArray *run_settings(GimpProcedure *procedure, GimpProcedureConfig *config,
                                    gpointer run_data) {
    (void)run_data;
    GimpRunMode run_mode = GIMP_RUN_INTERACTIVE;
    gchar *key_file = NULL, *default_profile = NULL, *error = NULL;
    g_object_get(config, "run-mode", &run_mode, "key-file", &key_file, "default-profile",
                 &default_profile, NULL);
    PictorGimpKeyReport report = {NULL, NULL, NULL};
    gboolean ok = pictor_gimp_library_matches(&error);
    if (ok && run_mode == GIMP_RUN_INTERACTIVE) {
        gimp_ui_init(PLUG_IN_BINARY);
        pictor_gimp_settings_dialog(&report);
    } else if (ok) {
        ok = pictor_gimp_settings_apply(key_file, default_profile, &report, &error);
    }
    GimpValueArray *values;
    if (ok) {
        values = gimp_procedure_new_return_values(procedure, GIMP_PDB_SUCCESS, NULL);
        g_value_set_string(gimp_value_array_index(values, 1), report.key_source);
        g_value_set_string(gimp_value_array_index(values, 2), report.key_stored_in);
        g_value_set_string(gimp_value_array_index(values, 3), report.profile);
    } else {
        values = fail(procedure, GIMP_PDB_EXECUTION_ERROR, error);
    }
    pictor_gimp_key_report_clear(&report);
    g_free(error);
    g_free(key_file);
    g_free(default_profile);
    return values;
}

/* Pictor History: interactively the browser, from a script the entry named inserted. */
static GimpValueArray *run_history(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                                   GimpDrawable **drawables, GimpProcedureConfig *config,
                                   gpointer run_data) {
    (void)run_data;
    gchar *error = NULL;
    gegl_init(NULL, NULL); /* drawable buffers are GEGL buffers */
    gint32 image_id = gimp_image_get_id(image);
    gint32 above = -1;
    if (drawables && drawables[0]) {
        gchar *ignored = NULL;
        above = pictor_gimp_active_layer(image_id, gimp_item_get_id(GIMP_ITEM(drawables[0])), &ignored);
        g_free(ignored);
    }
    GArray *added = g_array_new(FALSE, FALSE, sizeof(gint32));
    gboolean ok = pictor_gimp_library_matches(&error);
    if (ok && run_mode == GIMP_RUN_INTERACTIVE) {
        gimp_ui_init(PLUG_IN_BINARY);
        pictor_gimp_history_browser(image_id, above, added);
    } else if (ok) {
        gchar *entry = NULL;
        gboolean fit = FALSE;
        g_object_get(config, "entry", &entry, "fit-to-canvas", &fit, NULL);
        gint32 layer = pictor_gimp_history_insert(image_id, above, entry, fit, &error);
        ok = layer >= 0;
        if (ok)
            g_array_append_val(added, layer);
        g_free(entry);
    }
    GimpValueArray *values = finish_run(procedure, run_mode, ok, error, added);
    g_array_free(added, TRUE);
    return values;
}

GIMP_MAIN(PICTOR_TYPE)
