/* The GIMP 2.10 plug-in: registers the Pictor procedures and runs them. The work itself
 * (selection to mask, the request, compositing) is the library's, behind <pictor/pictor.h>. */
#include "command_settings.h"
#include "gateway_client.h"
#include "gimp_document.h"
#include "history_browser.h"
#include "job_session.h"
#include "last_values.h"
#include "pictor_settings.h"
#include "procedure_table.h"
#include "settings_dialog.h"

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <string.h>

static void query(void);
static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals);

const GimpPlugInInfo PLUG_IN_INFO = {NULL, NULL, query, run};

MAIN()

static void query(void) { pictor_gimp_register_procedures(); }

/* The other visible layers, top first, for an edit called from a script. */
static void visible_references(gint32 image, gint32 layer, GArray *references) {
    gint n = 0;
    gint *layers = gimp_image_get_layers(image, &n);
    for (gint i = 0; i < n && references->len < PICTOR_GIMP_MAX_REFERENCES; i++)
        if (layers[i] != layer && gimp_item_get_visible(layers[i]))
            g_array_append_val(references, layers[i]);
    g_free(layers);
}

/* Fills settings and references for the run mode; FALSE with *error (or a NULL error when the
 * user pressed Cancel in the dialog). */
static gboolean collect_settings(const gchar *name, PictorGimpCommand command, GimpRunMode mode,
                                 gint nparams, const GimpParam *param, gint32 image, gint32 layer,
                                 PictorGimpSettings *settings, GArray *references,
                                 gchar **error) {
    pictor_gimp_settings_defaults(settings, command);
    switch (mode) {
    case GIMP_RUN_INTERACTIVE:
        pictor_gimp_settings_load(settings, name);
        gimp_ui_init("pictor", FALSE);
        if (!pictor_gimp_settings_dialog_run(command, image, layer, settings, references))
            return FALSE;
        pictor_gimp_settings_store(settings, name);
        return TRUE;
    case GIMP_RUN_WITH_LAST_VALS:
        if (!pictor_gimp_settings_load(settings, name)) {
            *error = g_strdup("Pictor has no last values in this session yet: run it from the "
                              "Filters > Pictor menu first.");
            return FALSE;
        }
        /* No dialog to pick references: the visible ones, as from a script. */
        if (command == PICTOR_GIMP_EDIT)
            visible_references(image, layer, references);
        return TRUE;
    case GIMP_RUN_NONINTERACTIVE:
    default:
        if (!pictor_gimp_settings_from_params(command, nparams, param, settings, error))
            return FALSE;
        if (command == PICTOR_GIMP_EDIT)
            visible_references(image, layer, references);
        /* So that "Repeat" in the Filters menu repeats what the script did. */
        pictor_gimp_settings_store(settings, name);
        return TRUE;
    }
}

static gboolean run_command(const gchar *name, PictorGimpCommand command, gint nparams,
                            const GimpParam *param, gchar **error) {
    GimpRunMode mode = (GimpRunMode)param[0].data.d_int32;
    gint32 image = param[1].data.d_image;
    gint32 drawable = param[2].data.d_drawable;
    if (!pictor_gimp_library_matches(error))
        return FALSE;
    gint32 layer = pictor_gimp_active_layer(image, drawable, error);
    if (layer < 0)
        return FALSE;

    /* ~128 KB with the prompt at its full length: on the heap. */
    PictorGimpSettings *settings = g_new0(PictorGimpSettings, 1);
    GArray *references = g_array_new(FALSE, FALSE, sizeof(gint32));
    gboolean ok = collect_settings(name, command, mode, nparams, param, image, layer, settings,
                                   references, error);
    if (ok) {
        PictorGimpJobSpec spec = {command,
                                  settings,
                                  image,
                                  layer,
                                  (const gint32 *)references->data,
                                  references->len,
                                  mode == GIMP_RUN_INTERACTIVE,
                                  NULL};
        ok = pictor_gimp_run_command(&spec, error);
    }
    if (mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush();
    g_array_free(references, TRUE);
    g_free(settings);
    return ok;
}

/* Pictor Settings: interactively the dialog, from a script the key file and profile named. */
static gboolean run_settings(gint nparams, const GimpParam *param, PictorGimpKeyReport *report,
                             gchar **error) {
    if (!pictor_gimp_library_matches(error))
        return FALSE;
    GimpRunMode mode = (GimpRunMode)param[0].data.d_int32;
    if (mode == GIMP_RUN_INTERACTIVE) {
        gimp_ui_init("pictor", FALSE);
        pictor_gimp_settings_dialog(report);
        return TRUE;
    }
    if (nparams < 3) {
        *error = g_strdup_printf("%s takes 3 parameters, got %d: see Help > Procedure Browser.",
                                 PICTOR_GIMP_PROC_SETTINGS, nparams);
        return FALSE;
    }
    return pictor_gimp_settings_apply(param[1].data.d_string, param[2].data.d_string, report,
                                      error);
}

/* Pictor History: interactively the browser, from a script the entry named inserted. */
static gboolean run_history(gint nparams, const GimpParam *param, gchar **error) {
    if (!pictor_gimp_library_matches(error))
        return FALSE;
    GimpRunMode mode = (GimpRunMode)param[0].data.d_int32;
    gint32 image = param[1].data.d_image;
    gint32 drawable = param[2].data.d_drawable;
    gchar *ignored = NULL;
    gint32 above = drawable > 0 ? pictor_gimp_active_layer(image, drawable, &ignored) : -1;
    g_free(ignored);
    if (mode == GIMP_RUN_INTERACTIVE) {
        gimp_ui_init("pictor", FALSE);
        pictor_gimp_history_browser(image, above, NULL);
        return TRUE;
    }
    if (nparams != pictor_gimp_history_param_count()) {
        *error = g_strdup_printf("%s takes %d parameters, got %d: see Help > Procedure Browser.",
                                 PICTOR_GIMP_PROC_HISTORY, pictor_gimp_history_param_count(), nparams);
        return FALSE;
    }
    gboolean ok = pictor_gimp_history_insert(image, above, param[3].data.d_string,
                                             param[4].data.d_int32 != 0, error) >= 0;
    if (ok && mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush();
    return ok;
}

static void run(const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals,
                GimpParam **return_vals) {
    static GimpParam values[4];
    *return_vals = values;
    *nreturn_vals = 1;
    values[0].type = GIMP_PDB_STATUS;
    values[0].data.d_status = GIMP_PDB_SUCCESS;

    if (strcmp(name, PICTOR_GIMP_PROC_SETTINGS) == 0 && nparams >= 1) {
        /* Lives until the process ends, after GIMP read the values. */
        static PictorGimpKeyReport report;
        gchar *error = NULL;
        if (run_settings(nparams, param, &report, &error)) {
            const gchar *texts[] = {report.key_source, report.key_stored_in, report.profile};
            for (gint i = 0; i < 3; i++) {
                values[i + 1].type = GIMP_PDB_STRING;
                values[i + 1].data.d_string = (gchar *)(texts[i] ? texts[i] : "");
            }
            *nreturn_vals = 4;
            return;
        }
        values[0].data.d_status = GIMP_PDB_EXECUTION_ERROR;
        values[1].type = GIMP_PDB_STRING;
        values[1].data.d_string = error;
        *nreturn_vals = 2;
        return;
    }

    gegl_init(NULL, NULL); /* drawable buffers are GEGL buffers */

    PictorGimpCommand command;
    gchar *error = NULL;
    if (strcmp(name, PICTOR_GIMP_PROC_HISTORY) == 0 && nparams >= 3) {
        if (run_history(nparams, param, &error))
            return;
        values[0].data.d_status = GIMP_PDB_EXECUTION_ERROR;
        values[1].type = GIMP_PDB_STRING;
        values[1].data.d_string = error; /* lives until the process ends, after GIMP read it */
        *nreturn_vals = 2;
        return;
    }
    if (!pictor_gimp_procedure_command(name, &command)) {
        values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        return;
    }
    if (nparams < 3) {
        values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        return;
    }
    if (run_command(name, command, nparams, param, &error))
        return;
    if (!error) {
        values[0].data.d_status = GIMP_PDB_CANCEL; /* the user closed the dialog */
        return;
    }
    /* GIMP shows this text as an error message when the user ran the menu entry, and
     * Script-Fu reports it to the script. */
    values[0].data.d_status = GIMP_PDB_EXECUTION_ERROR;
    values[1].type = GIMP_PDB_STRING;
    values[1].data.d_string = error; /* lives until the process ends, after GIMP read it */
    *nreturn_vals = 2;
}
