#include "procedure_table.h"

#include <string.h>

/* The exact signatures scripts call (issue 4); changing one breaks every script using it. */
static const GimpParamDef generate_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_IMAGE, "image", "Input image"},
    {GIMP_PDB_DRAWABLE, "drawable", "The layer the new layers go above"},
    {GIMP_PDB_STRING, "prompt", "What to draw (at most 32000 characters)"},
    {GIMP_PDB_STRING, "size", "\"canvas\", \"auto\", \"WIDTHxHEIGHT\" or \"\" for the route's default"},
    {GIMP_PDB_STRING, "quality", "\"low\", \"medium\", \"high\", \"auto\" or \"\" for the route's default"},
    {GIMP_PDB_INT32, "variations", "How many images (one layer each), 1 or more"},
};
static const GimpParamDef inpaint_args[] = {
    {GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }"},
    {GIMP_PDB_IMAGE, "image", "Input image"},
    {GIMP_PDB_DRAWABLE, "drawable", "The layer whose selected part is repainted"},
    {GIMP_PDB_STRING, "prompt", "What to paint into the selection"},
    {GIMP_PDB_INT32, "grow", "Pixels the selection grows by before it is sent (-1: 4)"},
    {GIMP_PDB_INT32, "feather", "Width in pixels of the soft edge (-1: 8)"},
    {GIMP_PDB_INT32, "context", "Pixels of the image around the selection sent along (-1: 64)"},
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
/* GIMP 2.10's way to hand a failure's text to the caller (Script-Fu prints it). */
static const GimpParamDef error_return[] = {
    {GIMP_PDB_STRING, "error-message", "What went wrong and what to do, when the call failed"},
};

typedef struct {
    const gchar *name;
    PictorGimpCommand command;
    const gchar *menu_label;
    const gchar *title;
    const gchar *blurb;
    const gchar *help;
    const GimpParamDef *args;
    gint n_args;
} ProcedureEntry;

static const ProcedureEntry procedures[] = {
    {PICTOR_GIMP_PROC_GENERATE, PICTOR_GIMP_GENERATE, "_Generate as New Layer...",
     "Generate as New Layer", "Make an image from a prompt with gpt-image-2, as new layers",
     "Sends the prompt to the gateway of the chosen Pictor profile and adds each image it "
     "returns as a new layer above the active one, in one undo step. Every image received is "
     "also kept in Pictor's history folder.",
     generate_args, G_N_ELEMENTS(generate_args)},
    {PICTOR_GIMP_PROC_INPAINT, PICTOR_GIMP_INPAINT, "_Inpaint Selection...", "Inpaint Selection",
     "Repaint the selection with gpt-image-2, as a new masked layer",
     "Sends the selected part of the active layer, with some context around it and a mask, and "
     "adds the result as a new layer whose layer mask is the feathered selection: outside the "
     "selection the image stays exactly as it was. Needs a selection.",
     inpaint_args, G_N_ELEMENTS(inpaint_args)},
    {PICTOR_GIMP_PROC_EDIT, PICTOR_GIMP_EDIT, "_Edit with Layers as References...",
     "Edit with Layers as References",
     "Edit the active layer with gpt-image-2, using other layers as references",
     "Sends the active layer first and up to 15 other layers as reference images (from a script: "
     "the other visible layers, top first); a selection, if there is one, becomes the mask. The "
     "result is added as a new layer the size of the canvas.",
     edit_args, G_N_ELEMENTS(edit_args)},
};

void pictor_gimp_register_procedures(void) {
    for (gsize i = 0; i < G_N_ELEMENTS(procedures); i++) {
        const ProcedureEntry *p = &procedures[i];
        gimp_install_procedure(p->name, p->blurb, p->help, "Pictor contributors",
                               "Pictor contributors", "2025", p->menu_label, "RGB*", GIMP_PLUGIN,
                               p->n_args, G_N_ELEMENTS(error_return), p->args, error_return);
        gimp_plugin_menu_register(p->name, PICTOR_GIMP_MENU_PATH);
    }
}

static const ProcedureEntry *find_procedure(const gchar *name) {
    for (gsize i = 0; i < G_N_ELEMENTS(procedures); i++)
        if (strcmp(procedures[i].name, name) == 0)
            return &procedures[i];
    return NULL;
}

gboolean pictor_gimp_command_for_procedure(const gchar *procedure, PictorGimpCommand *command) {
    const ProcedureEntry *p = find_procedure(procedure);
    if (!p)
        return FALSE;
    *command = p->command;
    return TRUE;
}

const gchar *pictor_gimp_command_title(PictorGimpCommand command) {
    for (gsize i = 0; i < G_N_ELEMENTS(procedures); i++)
        if (procedures[i].command == command)
            return procedures[i].title;
    return "Pictor";
}

static gboolean copy_string_param(gchar *field, gsize size, const GimpParam *param,
                                  const gchar *what, gchar **error) {
    if (pictor_gimp_settings_copy(field, size, param->data.d_string))
        return TRUE;
    *error = g_strdup_printf("The %s parameter is too long (at most %u bytes).", what,
                             (unsigned)(size - 1));
    return FALSE;
}

gboolean pictor_gimp_settings_from_params(PictorGimpCommand command, gint nparams,
                                          const GimpParam *param, PictorGimpSettings *settings,
                                          gchar **error) {
    static const gint expected[] = {G_N_ELEMENTS(generate_args), G_N_ELEMENTS(inpaint_args),
                                    G_N_ELEMENTS(edit_args)};
    if (nparams != expected[command]) {
        *error = g_strdup_printf("%s takes %d parameters, got %d: see Help > Procedure Browser.",
                                 procedures[command].name, expected[command], nparams);
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
    }
    /* A script's profile comes from the environment and config file, as for the CLI. */
    settings->profile[0] = '\0';
    return TRUE;
}
