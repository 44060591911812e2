#include "procedure_table.h"

#include <string.h>

/* The exact signatures scripts call; changing one breaks every script using it (Script-Fu in
 * GIMP 2.10 refuses a call with fewer arguments than the procedure has). So, as GIMP's own
 * file-png-save2 did, the arguments added later (model_args) make a second procedure,
 * "<name>2": the original's arguments, then these. */
static const GimpParamDef model_args[] = {
    {GIMP_PDB_STRING, "model", PICTOR_GIMP_MODEL_BLURB},
    {GIMP_PDB_STRING, "complexity", PICTOR_GIMP_COMPLEXITY_BLURB},
    {GIMP_PDB_STRING, "upload-quality", PICTOR_GIMP_UPLOAD_QUALITY_BLURB},
};
#define MODEL_ARGS_COUNT ((gint)G_N_ELEMENTS(model_args))
static const GimpParamDef generate_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_IMAGE, "image", "Input image"},
    {GIMP_PDB_DRAWABLE, "drawable", "The layer the new layers go above"},
    {GIMP_PDB_STRING, "prompt", "What to draw (at most {max_prompt_chars} characters)"},
    {GIMP_PDB_STRING, "size", "\"canvas\", \"auto\", \"WIDTHxHEIGHT\" or \"\" for the route's default"},
    {GIMP_PDB_STRING, "quality", "\"low\", \"medium\", \"high\", \"auto\" or \"\" for the route's default"},
    {GIMP_PDB_INT32, "variations", "How many images (one layer each), 1 or more"},
};
static const GimpParamDef inpaint_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_IMAGE, "image", "Input image"},
    {GIMP_PDB_DRAWABLE, "drawable", "The layer whose selected part is repainted"},
    {GIMP_PDB_STRING, "prompt", "What to paint into the selection"},
    {GIMP_PDB_INT32, "grow", "Pixels the selection grows by before it is sent (-1: {default_grow_px})"},
    {GIMP_PDB_INT32, "feather", "Width in pixels of the soft edge (-1: {default_feather_px})"},
    {GIMP_PDB_INT32, "context", "Pixels of the image around the selection sent along (-1: {default_context_px})"},
    {GIMP_PDB_STRING, "quality", "\"low\", \"medium\", \"high\", \"auto\" or \"\" for the route's default"},
};
static const GimpParamDef edit_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_IMAGE, "image", "Input image"},
    {GIMP_PDB_DRAWABLE, "drawable", "The layer to edit; the other visible layers are references"},
    {GIMP_PDB_STRING, "prompt", "How to edit it"},
    {GIMP_PDB_STRING, "size", "\"canvas\", \"auto\", \"WIDTHxHEIGHT\" or \"\" for the route's default"},
    {GIMP_PDB_STRING, "quality", "\"low\", \"medium\", \"high\", \"auto\" or \"\" for the route's default"},
};
/* New with the model arguments: one procedure, model_args at its end. */
static const GimpParamDef markup_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_IMAGE, "image", "Input image"},
    {GIMP_PDB_DRAWABLE, "drawable", "The layer to edit"},
    {GIMP_PDB_STRING, "prompt", "How to edit it (the markup shows where)"},
    {GIMP_PDB_LAYER, "markup-layer", "The layer with the arrows and notes, on transparency"},
    {GIMP_PDB_STRING, "size", "\"canvas\", \"auto\", \"WIDTHxHEIGHT\" or \"\" for the route's default"},
    {GIMP_PDB_STRING, "quality", "\"low\", \"medium\", \"high\", \"auto\" or \"\" for the route's default"},
};
/* GIMP 2.10's way to hand a failure's text to the caller (Script-Fu prints it). */
static const GimpParamDef error_return[] = {
    {GIMP_PDB_STRING, "error-message", "What went wrong and what to do, when the call failed"},
};

/* Pictor Settings: the key is read from a file, never passed (GIMP logs arguments). */
static const GimpParamDef settings_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_STRING, "key-file", "A file whose first line is the API key to store; \"\": keep"},
    {GIMP_PDB_STRING, "default-profile", "The profile to make the default; \"\": keep"},
};
/* On failure the first value is the error message instead (GIMP 2.10 reads it there). */
static const GimpParamDef settings_return[] = {
    {GIMP_PDB_STRING, "key-source", "Where the key in use comes from; \"\": no key"},
    {GIMP_PDB_STRING, "key-stored-in", "Where this call stored a key; \"\": it stored none"},
    {GIMP_PDB_STRING, "profile", "The profile a command uses now"},
};

/* Pictor History: from a script, the entry to insert and how. */
static const GimpParamDef history_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_IMAGE, "image", "Input image"},
    {GIMP_PDB_DRAWABLE, "drawable", "The layer the inserted layer goes above"},
    {GIMP_PDB_STRING, "entry", "A history id (or its start), or text of the prompt: the newest match"},
    {GIMP_PDB_INT32, "fit-to-canvas", "1: scaled to fit inside the canvas, centred; 0: its own size at the top-left"},
};

static const struct {
    const GimpParamDef *args;
    gint n_args;
} command_args[PICTOR_GIMP_COMMAND_COUNT] = {
    {generate_args, G_N_ELEMENTS(generate_args)},
    {inpaint_args, G_N_ELEMENTS(inpaint_args)},
    {edit_args, G_N_ELEMENTS(edit_args)},
    {markup_args, G_N_ELEMENTS(markup_args)},
};

/* The arguments of a command's procedure; with_model: those of its "<name>2" (the markup
 * command has only the one procedure, with them), their descriptions with the library's
 * numbers in them. Free with free_params. */
static GimpParamDef *command_params(gint command, gboolean with_model, gint *count) {
    gint base = command_args[command].n_args;
    with_model = with_model || command == PICTOR_GIMP_EDIT_MARKUP;
    *count = base + (with_model ? MODEL_ARGS_COUNT : 0);
    GimpParamDef *params = g_new(GimpParamDef, *count);
    memcpy(params, command_args[command].args, base * sizeof(GimpParamDef));
    if (with_model)
        memcpy(params + base, model_args, sizeof(model_args));
    for (gint i = 0; i < *count; i++)
        params[i].description = pictor_gimp_with_limits(params[i].description);
    return params;
}

static void free_params(GimpParamDef *params, gint count) {
    for (gint i = 0; i < count; i++)
        g_free(params[i].description);
    g_free(params);
}

static gchar *second_name(gint command) {
    return g_strconcat(pictor_gimp_command_info((PictorGimpCommand)command)->procedure, "2", NULL);
}

gboolean pictor_gimp_procedure_command(const gchar *name, PictorGimpCommand *command) {
    if (pictor_gimp_command_for_procedure(name, command))
        return TRUE;
    for (gint i = 0; i < PICTOR_GIMP_COMMAND_COUNT; i++) {
        gchar *second = second_name(i);
        gboolean match = i != PICTOR_GIMP_EDIT_MARKUP && strcmp(second, name) == 0;
        g_free(second);
        if (match) {
            *command = (PictorGimpCommand)i;
            return TRUE;
        }
    }
    return FALSE;
}

void pictor_gimp_register_procedures(void) {
    for (gint i = 0; i < PICTOR_GIMP_COMMAND_COUNT; i++) {
        const PictorGimpCommandInfo *p = pictor_gimp_command_info((PictorGimpCommand)i);
        gint count = 0;
        GimpParamDef *params = command_params(i, FALSE, &count);
        gchar *help = pictor_gimp_with_limits(p->help);
        gimp_install_procedure(p->procedure, p->blurb, help, PICTOR_GIMP_AUTHOR,
                               PICTOR_GIMP_AUTHOR, "2025", p->menu_label, "RGB*", GIMP_PLUGIN,
                               count, G_N_ELEMENTS(error_return), params, error_return);
        free_params(params, count);
        gimp_plugin_menu_register(p->procedure, PICTOR_GIMP_MENU_PATH);
        if (i == PICTOR_GIMP_EDIT_MARKUP) {
            g_free(help);
            continue;
        }
        /* For scripts only: the menu entry's dialog has these choices already. */
        gchar *second = second_name(i);
        gchar *second_help = g_strconcat(help, " As ", p->procedure, ", with the model, its "
                                         "complexity and the upload quality at the end.", NULL);
        g_free(help);
        help = second_help;
        params = command_params(i, TRUE, &count);
        gimp_install_procedure(second, p->blurb, help, PICTOR_GIMP_AUTHOR, PICTOR_GIMP_AUTHOR,
                               "2026", NULL, "RGB*", GIMP_PLUGIN, count,
                               G_N_ELEMENTS(error_return), params, error_return);
        free_params(params, count);
        g_free(help);
        g_free(second);
    }
    gimp_install_procedure(PICTOR_GIMP_PROC_SETTINGS,
                           "Store the API key and choose the default Pictor profile",
                           "Interactively: a dialog to paste the key (kept in the desktop keyring, "
                           "or in Pictor's config file readable only by you) and to choose the "
                           "default profile. From a script: key-file names a file whose first "
                           "line is the key, default-profile a profile to make the default; \"\" "
                           "leaves either as it is.",
                           PICTOR_GIMP_AUTHOR, PICTOR_GIMP_AUTHOR, "2026",
                           PICTOR_GIMP_SETTINGS_MENU_LABEL, "", GIMP_PLUGIN,
                           G_N_ELEMENTS(settings_args), G_N_ELEMENTS(settings_return),
                           settings_args, settings_return);
    gimp_plugin_menu_register(PICTOR_GIMP_PROC_SETTINGS, PICTOR_GIMP_MENU_PATH);
    gimp_install_procedure(PICTOR_GIMP_PROC_HISTORY, PICTOR_GIMP_HISTORY_BLURB,
                           PICTOR_GIMP_HISTORY_HELP, PICTOR_GIMP_AUTHOR, PICTOR_GIMP_AUTHOR, "2026",
                           PICTOR_GIMP_HISTORY_MENU_LABEL, "RGB*", GIMP_PLUGIN,
                           G_N_ELEMENTS(history_args), G_N_ELEMENTS(error_return), history_args,
                           error_return);
    gimp_plugin_menu_register(PICTOR_GIMP_PROC_HISTORY, PICTOR_GIMP_MENU_PATH);
}

gint pictor_gimp_history_param_count(void) { return G_N_ELEMENTS(history_args); }

static gboolean copy_string_param(gchar *field, gsize size, const GimpParam *param,
                                  const gchar *what, gchar **error) {
    return pictor_gimp_settings_copy_argument(field, size, param->data.d_string, what, error);
}

gboolean pictor_gimp_settings_from_params(PictorGimpCommand command, gint nparams,
                                          const GimpParam *param, PictorGimpSettings *settings,
                                          gchar **error) {
    /* "<name>" or "<name>2" (model arguments at the end); the markup command has them always. */
    const gint base = command_args[command].n_args, all = base + MODEL_ARGS_COUNT;
    if (nparams != all && (nparams != base || command == PICTOR_GIMP_EDIT_MARKUP)) {
        *error = g_strdup_printf("%s takes %d parameters, got %d: see Help > Procedure Browser.",
                                 pictor_gimp_command_info(command)->procedure, all, nparams);
        return FALSE;
    }
    if (!copy_string_param(settings->prompt, sizeof(settings->prompt), &param[3], "prompt", error))
        return FALSE;
    switch (command) {
    case PICTOR_GIMP_GENERATE:
        if (!copy_string_param(settings->size, sizeof(settings->size), &param[4], "size", error) ||
            !copy_string_param(settings->quality, sizeof(settings->quality), &param[5], "quality",
                               error))
            return FALSE;
        settings->variations = param[6].data.d_int32;
        if (settings->variations < 1) {
            *error = g_strdup_printf("variations is %d: pass 1 or more.", settings->variations);
            return FALSE;
        }
        break;
    case PICTOR_GIMP_INPAINT:
        settings->grow = param[4].data.d_int32;
        settings->feather = param[5].data.d_int32;
        settings->context = param[6].data.d_int32;
        if (!copy_string_param(settings->quality, sizeof(settings->quality), &param[7], "quality",
                               error))
            return FALSE;
        break;
    case PICTOR_GIMP_EDIT:
        if (!copy_string_param(settings->size, sizeof(settings->size), &param[4], "size", error) ||
            !copy_string_param(settings->quality, sizeof(settings->quality), &param[5], "quality",
                               error))
            return FALSE;
        break;
    case PICTOR_GIMP_EDIT_MARKUP:
        settings->markup_layer = param[4].data.d_layer;
        if (!copy_string_param(settings->size, sizeof(settings->size), &param[5], "size", error) ||
            !copy_string_param(settings->quality, sizeof(settings->quality), &param[6], "quality",
                               error))
            return FALSE;
        break;
    }
    if (nparams == all) {
        const GimpParam *model = &param[base];
        if (!copy_string_param(settings->model, sizeof(settings->model), &model[0], "model", error) ||
            !copy_string_param(settings->complexity, sizeof(settings->complexity), &model[1],
                               "complexity", error) ||
            !copy_string_param(settings->upload_quality, sizeof(settings->upload_quality),
                               &model[2], "upload-quality", error))
            return FALSE;
        if (pictor_gimp_upload_quality_value(settings->upload_quality) < 0) {
            *error = g_strdup_printf("upload-quality is \"%s\": pass \"lossless\", \"fast\" or \"\".",
                                     settings->upload_quality);
            return FALSE;
        }
    }
    /* A script's profile comes from the environment and config file, as for the CLI. */
    settings->profile[0] = '\0';
    return TRUE;
}
