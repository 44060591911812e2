/* One command run as a pictor job on the plug-in's main thread: starts it, shows its progress in
 * GIMP (and, interactively, in a window with Cancel), inserts the layers it delivers. */
#ifndef PICTOR_GIMP_JOB_SESSION_H
#define PICTOR_GIMP_JOB_SESSION_H

#include "command_settings.h"

#include <libgimp/gimp.h>

#include <pictor/pictor.h>

typedef struct {
    PictorGimpCommand command;
    const PictorGimpSettings *settings;
    gint32 image;
    gint32 layer;                /* the active layer */
    const gint32 *references;    /* edit: the reference layers, in order */
    gsize reference_count;
    gboolean interactive;        /* show the progress window, keep GTK running */
    GArray *added_layers;        /* optional out: the ids (gint32) of the layers added */
} PictorGimpJobSpec;

/* How a run ended, for the dialogs: after a failure that happened once the request was sent,
 * the user is offered to try again with the same settings. */
typedef enum {
    PICTOR_GIMP_JOB_DONE = 0,
    PICTOR_GIMP_JOB_FAILED = 1,    /* nothing sent, cancelled, or what the same request would get
                                      again (a refusal, a moderation block, a bad key) */
    PICTOR_GIMP_JOB_RETRYABLE = 2, /* sent, then the gateway or the network failed */
} PictorGimpJobOutcome;

/* Runs the job to its end; the client is destroyed before this returns. Returns DONE when the
 * layers were added; otherwise *error says what happened and what to do (and whether it may be
 * billed), in GIMP's words. */
PictorGimpJobOutcome pictor_gimp_run_job(pictor_client *client, const PictorGimpJobSpec *spec,
                                         gchar **error);

/* Makes the client for spec->settings->profile and runs the job; interactively, after a
 * failure once the request was sent, offers to send it again. TRUE when layers were added. */
gboolean pictor_gimp_run_command(const PictorGimpJobSpec *spec, gchar **error);

/* Interactive runs: shows the failure and asks whether to send the same request again.
 * TRUE: try again. */
gboolean pictor_gimp_offer_retry(const gchar *title, const gchar *error);

#endif
