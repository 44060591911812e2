/* One command run as a pictor job on the plug-in's main thread: starts it, shows its progress in
 * GIMP (and, interactively, in a window with Cancel), inserts the layers it delivers. */
#ifndef PICTOR_GIMP_JOB_SESSION_H
#define PICTOR_GIMP_JOB_SESSION_H

#include "command_settings.h"

#include <pictor/pictor.h>

typedef struct {
    PictorGimpCommand command;
    const PictorGimpSettings *settings;
    gint32 image;
    gint32 layer;                /* the active layer */
    const gint32 *references;    /* edit: the reference layers, in order */
    gsize reference_count;
    gboolean interactive;        /* show the progress window, keep GTK running */
} PictorGimpJobSpec;

/* Runs the job to its end; the client is destroyed before this returns. Returns TRUE when the
 * layers were added; otherwise *error says what happened and what to do (and whether it may be billed). */
gboolean pictor_gimp_run_job(pictor_client *client, const PictorGimpJobSpec *spec, gchar **error);

#endif
