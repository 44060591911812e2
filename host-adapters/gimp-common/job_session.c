#include "job_session.h"

#include "arrivals_notice.h"
#include "gateway_client.h"
#include "gimp_document.h"
#include "progress_window.h"

#include <libgimp/gimpui.h>
#include <string.h>

typedef struct {
    /* First member: the document's callbacks receive a pointer to the session as theirs. */
    PictorGimpDocument document;
    const PictorGimpJobSpec *spec;
    pictor_job *job;
    PictorGimpProgressWindow *window;
    gchar *status_text;       /* what the progress bar says now */
    GString *notes;           /* warnings to show once the job is over */
    gboolean cancel_requested;
} JobSession;

static gchar *megabytes(uint64_t bytes) {
    return g_strdup_printf("%.1f MB", bytes / 1e6);
}

/* What the bar says; *fraction gets how far the current phase is, or -1 when unknown. */
static gchar *describe_progress(const pictor_progress *p, gdouble *fraction) {
    gchar *what = NULL;
    *fraction = -1;
    switch (p->phase) {
    case PICTOR_PHASE_PREPARING:
        what = g_strdup("preparing the request");
        break;
    case PICTOR_PHASE_CONNECTING:
        what = g_strdup("connecting to the gateway");
        break;
    case PICTOR_PHASE_UPLOADING: {
        gchar *sent = megabytes(p->bytes_sent), *total = megabytes(p->bytes_to_send);
        /* No total while the later references are still being encoded (they go up as they come). */
        if (p->bytes_to_send > 0) {
            what = g_strdup_printf("uploading %s of %s", sent, total);
            *fraction = (gdouble)p->bytes_sent / p->bytes_to_send;
        } else {
            what = g_strdup_printf("uploading %s", sent);
        }
        g_free(sent);
        g_free(total);
        break;
    }
    case PICTOR_PHASE_WAITING:
        /* The server sends nothing while it paints: say how long so far, and that it is normal. */
        what = g_strdup_printf("the model is painting (%.0f s; 30 s to 5 min is normal)",
                               p->elapsed_s);
        break;
    case PICTOR_PHASE_DOWNLOADING: {
        gchar *got = megabytes(p->bytes_received);
        what = g_strdup_printf("downloading the image (%s)", got);
        if (p->bytes_to_receive > 0)
            *fraction = (gdouble)p->bytes_received / p->bytes_to_receive;
        g_free(got);
        break;
    }
    case PICTOR_PHASE_DECODING:
        what = g_strdup("decoding the image");
        break;
    case PICTOR_PHASE_RETRY_WAIT:
        what = g_strdup_printf("the gateway is busy: trying again in %.0f s (attempt %d)",
                               p->retry_in_s, p->attempt + 1);
        break;
    case PICTOR_PHASE_SAVING:
        what = g_strdup("saving the image to Pictor's history");
        break;
    default:
        what = g_strdup("working");
        break;
    }
    gchar *text = p->requests_total > 1
                      ? g_strdup_printf("Pictor: %s - %d of %d images done", what,
                                        p->requests_done, p->requests_total)
                      : g_strdup_printf("Pictor: %s", what);
    g_free(what);
    return text;
}

static int on_progress(void *user_data, const pictor_progress *progress) {
    JobSession *session = user_data;
    gdouble fraction;
    gchar *text = describe_progress(progress, &fraction);
    if (g_strcmp0(text, session->status_text) != 0) {
        gimp_progress_set_text(text);
        g_free(session->status_text);
        session->status_text = text;
    } else {
        g_free(text);
    }
    if (fraction >= 0)
        gimp_progress_update(fraction);
    else
        gimp_progress_pulse();
    if (session->window)
        pictor_gimp_progress_window_set_status(session->window, session->status_text, fraction);
    return session->cancel_requested ? 1 : 0;
}

static void on_preview(void *user_data, const pictor_image *partial, int index, int total) {
    JobSession *session = user_data;
    if (session->window)
        pictor_gimp_progress_window_show_preview(session->window, partial, index, total);
}

static void on_message(void *user_data, pictor_message_level level, const char *text) {
    JobSession *session = user_data;
    /* The final error comes back through pictor_job_error; only the rest is collected here. */
    if (level == PICTOR_MESSAGE_ERROR || !text || !*text)
        return;
    if (session->notes->len)
        g_string_append_c(session->notes, '\n');
    g_string_append(session->notes, text);
}

/* The one place a job is stopped: Stop Waiting (the request goes on in the helper), or Abandon
 * (the helper stops too; a request already sent may still be billed). */
static void stop_job(pictor_job *job, gboolean abandon) {
    if (abandon)
        pictor_job_abandon(job);
    else
        pictor_job_cancel(job);
}

static void on_cancel_clicked(gpointer data, gboolean abandon) {
    JobSession *session = data;
    session->cancel_requested = TRUE;
    stop_job(session->job, abandon);
}

/* Previews while it paints, in the progress window, where the route streams. Each partial image
 * is billed as a little output, so a couple, and only when someone watches. */
#define PREVIEWS_WANTED 2

static void fill_request(const PictorGimpJobSpec *spec, gboolean streams, pictor_request *request) {
    pictor_gimp_fill_request(spec->command, spec->settings, request);
    request->partial_images = spec->interactive && streams ? PREVIEWS_WANTED : 0;
}

static void fill_options(const PictorGimpJobSpec *spec, const pictor_request *request,
                         pictor_command_options *options) {
    static const pictor_command commands[] = {PICTOR_COMMAND_GENERATE_AS_NEW_LAYER,
                                              PICTOR_COMMAND_INPAINT_SELECTION,
                                              PICTOR_COMMAND_EDIT_WITH_REFERENCES,
                                              PICTOR_COMMAND_EDIT_WITH_REFERENCES};
    pictor_command_options_init(options);
    options->command = commands[spec->command];
    options->request = request;
    options->layer = spec->layer;
    options->reference_layers = spec->references;
    options->reference_count = spec->reference_count;
    if (spec->command == PICTOR_GIMP_INPAINT) {
        options->grow_px = spec->settings->grow;
        options->feather_px = spec->settings->feather;
        options->context_px = spec->settings->context;
    }
    if (spec->command == PICTOR_GIMP_EDIT_MARKUP)
        options->markup_layer = spec->settings->markup_layer;
    /* libgimp may be called from this thread only. */
    options->callback_thread = PICTOR_CALLBACKS_ON_DISPATCH;
}

/* Failures the same request may well not meet again: the gateway's or the network's. */
static gboolean worth_retrying(pictor_status status) {
    switch (status) {
    case PICTOR_ERR_RATE_LIMITED:
    case PICTOR_ERR_SERVER:
    case PICTOR_ERR_TIMEOUT:
    case PICTOR_ERR_NETWORK:
    case PICTOR_ERR_BAD_RESPONSE:
        return TRUE;
    default:
        return FALSE;
    }
}

/* The job's failure as the user should read it. */
/* The library's message already ends with whether the request may still be billed and its
 * request id (worded once, from the error's fields). */
static gchar *failure_text(const pictor_error *error, pictor_status status) {
    return pictor_gimp_host_words((error->message && *error->message) ? error->message
                                                                      : pictor_status_string(status));
}

PictorGimpJobOutcome pictor_gimp_run_job(pictor_client *client, const PictorGimpJobSpec *spec,
                                         gchar **error) {
    JobSession session;
    memset(&session, 0, sizeof(session));
    pictor_gimp_document_init(&session.document, spec->image);
    session.spec = spec;
    /* An edit's result goes on top, where it is seen, not under the references. */
    session.document.on_top = spec->command == PICTOR_GIMP_EDIT || spec->command == PICTOR_GIMP_EDIT_MARKUP;
    session.notes = g_string_new(NULL);

    pictor_host host;
    pictor_host_init(&host);
    pictor_gimp_document_bind(&session.document, &host);
    host.user_data = &session;
    host.progress = on_progress;
    host.preview = on_preview;
    host.message = on_message;

    PictorGimpProfileInfo *info = pictor_gimp_profile_info_for_model(client, spec->settings->model);
    pictor_request request;
    fill_request(spec, info->streams, &request);
    pictor_gimp_profile_info_free(info);
    pictor_command_options options;
    fill_options(spec, &request, &options);

    gchar *title = g_strdup_printf("Pictor: %s", pictor_gimp_command_title(spec->command));
    gimp_progress_init(title);

    PictorGimpJobOutcome outcome = PICTOR_GIMP_JOB_FAILED;
    if (pictor_job_start(client, &host, &options, &session.job) != PICTOR_OK) {
        /* Nothing was sent. */
        *error = pictor_gimp_host_words(pictor_client_last_error(client)->message);
        pictor_client_destroy(client);
    } else {
        if (spec->interactive)
            session.window = pictor_gimp_progress_window_new(
                title, PICTOR_GIMP_RUN_IN_HELPER, PICTOR_GIMP_RUN_IN_HELPER, on_cancel_clicked, &session);
        /* The job's callbacks (progress, layers) run inside dispatch, here on GIMP's thread;
         * between them GTK gets its turn so the window redraws and Cancel can be clicked. */
        while (pictor_job_dispatch(session.job, spec->interactive ? 20 : 100)) {
            while (spec->interactive && gtk_events_pending())
                gtk_main_iteration();
        }
        pictor_status status = pictor_job_status(session.job);
        if (status != PICTOR_OK) {
            *error = failure_text(pictor_job_error(session.job), status);
            outcome = pictor_job_error(session.job)->request_sent && worth_retrying(status)
                          ? PICTOR_GIMP_JOB_RETRYABLE
                          : PICTOR_GIMP_JOB_FAILED;
        } else if (session.document.add_error) {
            *error = g_strdup_printf("%s The image is in Pictor's history folder.",
                                     session.document.add_error);
        } else if (session.document.layers_added == 0) {
            *error = g_strdup("The gateway answered without an image; nothing was added.");
        } else {
            outcome = PICTOR_GIMP_JOB_DONE;
        }
        pictor_job_destroy(session.job);
        pictor_client_destroy(client); /* the job held it until now */
        pictor_gimp_progress_window_destroy(session.window);
    }
    gimp_progress_end();
    if (session.notes->len)
        gimp_message(session.notes->str);
    g_string_free(session.notes, TRUE);
    g_free(session.status_text);
    if (spec->added_layers && session.document.added_layers)
        g_array_append_vals(spec->added_layers, session.document.added_layers->data,
                            session.document.added_layers->len);
    pictor_gimp_document_finish(&session.document);
    g_free(title);
    return outcome;
}

gboolean pictor_gimp_offer_retry(const gchar *title, const gchar *error) {
    GtkWidget *dialog = gtk_message_dialog_new(NULL, GTK_DIALOG_MODAL, GTK_MESSAGE_ERROR,
                                               GTK_BUTTONS_NONE, "%s", error);
    gtk_window_set_title(GTK_WINDOW(dialog), title);
    gimp_window_set_transient(GTK_WINDOW(dialog));
    gtk_message_dialog_format_secondary_text(
        GTK_MESSAGE_DIALOG(dialog), "Send the same request again? It is billed again if the "
                                    "gateway makes an image.");
    gtk_dialog_add_buttons(GTK_DIALOG(dialog), "_Close", GTK_RESPONSE_CLOSE, "_Try Again",
                           GTK_RESPONSE_OK, NULL);
    gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CLOSE);
    gboolean again = gtk_dialog_run(GTK_DIALOG(dialog)) == GTK_RESPONSE_OK;
    gtk_widget_destroy(dialog);
    return again;
}

gboolean pictor_gimp_run_command(const PictorGimpJobSpec *spec, gchar **error) {
    /* Before the new request: what earlier ones paid for and never delivered. */
    pictor_gimp_arrivals_notice(spec->image, spec->layer, spec->interactive, spec->added_layers);
    for (;;) {
        pictor_client *client = pictor_gimp_client_create(spec->settings->profile, error);
        if (!client)
            return FALSE;
        /* A model without markup, or no markup layer: said in GIMP's words, before any pixel is
         * read (the dialogs ask the same before they close). */
        if (spec->command == PICTOR_GIMP_EDIT_MARKUP &&
            (*error = pictor_gimp_check_settings(client, spec->command, spec->settings))) {
            pictor_client_destroy(client);
            return FALSE;
        }
        PictorGimpJobOutcome outcome = pictor_gimp_run_job(client, spec, error);
        if (outcome == PICTOR_GIMP_JOB_DONE)
            return TRUE;
        if (outcome != PICTOR_GIMP_JOB_RETRYABLE || !spec->interactive ||
            !pictor_gimp_offer_retry(pictor_gimp_command_title(spec->command), *error))
            return FALSE;
        g_clear_pointer(error, g_free);
    }
}
