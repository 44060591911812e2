#include "progress_window.h"

#include <libgimp/gimp.h> /* before gimpui.h, which builds on it */
#include <libgimp/gimpui.h>
#include <string.h>

/* Previews are shown at most this many pixels on their longer side. */
#define PREVIEW_SIDE 256
enum { RESPONSE_ABANDON = 1 };

/* What the buttons do, said before and after they are pressed. */
#define TEXT_STOP_WAITING                                                                          \
    "Stop Waiting: the request goes on, and its image will be in Pictor's history (Filters > "     \
    "Pictor > History)."
#define TEXT_ABANDON " Abandon: stops the request too; the gateway may still bill it."
#define TEXT_STOPPED_WAITING                                                                       \
    "Stopped waiting. The request goes on; its image will be in Pictor's history, marked "        \
    "\"Recover\"."
#define TEXT_ABANDONING "Abandoning... The gateway may still bill a request it already received."
#define TEXT_CANCELLING "Cancelling... A request the server already received may still be billed."

struct PictorGimpProgressWindow {
    GtkWidget *dialog;
    GtkWidget *status;
    GtkWidget *bar;
    GtkWidget *preview;
    GtkWidget *preview_caption;
    gboolean request_outlives;
    gboolean can_abandon;
    void (*on_cancel)(gpointer data, gboolean abandon);
    gpointer data;
    gboolean cancelled;
};

static void cancel_once(PictorGimpProgressWindow *window, gboolean abandon) {
    if (window->cancelled)
        return;
    window->cancelled = TRUE;
    gtk_dialog_set_response_sensitive(GTK_DIALOG(window->dialog), GTK_RESPONSE_CANCEL, FALSE);
    if (window->can_abandon)
        gtk_dialog_set_response_sensitive(GTK_DIALOG(window->dialog), RESPONSE_ABANDON, FALSE);
    gtk_label_set_text(GTK_LABEL(window->status),
                       !window->request_outlives             ? TEXT_CANCELLING
                       : abandon && window->can_abandon      ? TEXT_ABANDONING
                                                             : TEXT_STOPPED_WAITING);
    window->on_cancel(window->data, window->can_abandon && abandon);
}

static void on_response(GtkDialog *dialog, gint response, gpointer user_data) {
    (void)dialog;
    /* Stop Waiting (Cancel), Escape or the window's close button keep what was paid for. */
    cancel_once(user_data, response == RESPONSE_ABANDON);
}

static gboolean on_delete(GtkWidget *widget, GdkEvent *event, gpointer user_data) {
    (void)widget;
    (void)event;
    cancel_once(user_data, FALSE);
    return TRUE; /* the window stays until the job has really stopped */
}

PictorGimpProgressWindow *pictor_gimp_progress_window_new(const gchar *title,
                                                          gboolean request_outlives,
                                                          gboolean can_abandon,
                                                          void (*on_cancel)(gpointer data,
                                                                            gboolean abandon),
                                                          gpointer data) {
    PictorGimpProgressWindow *window = g_new0(PictorGimpProgressWindow, 1);
    window->request_outlives = request_outlives;
    window->can_abandon = request_outlives && can_abandon;
    window->on_cancel = on_cancel;
    window->data = data;
    window->dialog = gimp_dialog_new(title, "pictor-progress", NULL, 0, NULL, NULL, NULL);
    if (window->can_abandon)
        gtk_dialog_add_button(GTK_DIALOG(window->dialog), "_Abandon", RESPONSE_ABANDON);
    gtk_dialog_add_button(GTK_DIALOG(window->dialog), request_outlives ? "_Stop Waiting" : "_Cancel",
                          GTK_RESPONSE_CANCEL);
    gimp_window_set_transient(GTK_WINDOW(window->dialog));
    GtkWidget *box = gtk_vbox_new(FALSE, 8);
    gtk_container_set_border_width(GTK_CONTAINER(box), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(window->dialog))), box,
                       TRUE, TRUE, 0);
    window->status = gtk_label_new("Preparing...");
    gtk_misc_set_alignment(GTK_MISC(window->status), 0.0, 0.5);
    gtk_label_set_line_wrap(GTK_LABEL(window->status), TRUE);
    gtk_widget_set_size_request(window->status, 360, -1);
    gtk_box_pack_start(GTK_BOX(box), window->status, FALSE, FALSE, 0);
    window->bar = gtk_progress_bar_new();
    gtk_box_pack_start(GTK_BOX(box), window->bar, FALSE, FALSE, 0);
    window->preview = gtk_image_new();
    gtk_box_pack_start(GTK_BOX(box), window->preview, FALSE, FALSE, 0);
    window->preview_caption = gtk_label_new("");
    gtk_box_pack_start(GTK_BOX(box), window->preview_caption, FALSE, FALSE, 0);
    if (request_outlives) {
        GtkWidget *choices = gtk_label_new(window->can_abandon ? TEXT_STOP_WAITING TEXT_ABANDON
                                                               : TEXT_STOP_WAITING);
        gtk_misc_set_alignment(GTK_MISC(choices), 0.0, 0.5);
        gtk_label_set_line_wrap(GTK_LABEL(choices), TRUE);
        gtk_widget_set_size_request(choices, 360, -1);
        gtk_box_pack_end(GTK_BOX(box), choices, FALSE, FALSE, 0);
    }
    g_signal_connect(window->dialog, "response", G_CALLBACK(on_response), window);
    g_signal_connect(window->dialog, "delete-event", G_CALLBACK(on_delete), window);
    gtk_widget_show_all(window->dialog);
    gtk_widget_hide(window->preview_caption);
    return window;
}

void pictor_gimp_progress_window_set_status(PictorGimpProgressWindow *window, const gchar *text,
                                            gdouble fraction) {
    if (!window->cancelled)
        gtk_label_set_text(GTK_LABEL(window->status), text);
    if (fraction < 0)
        gtk_progress_bar_pulse(GTK_PROGRESS_BAR(window->bar));
    else
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(window->bar), CLAMP(fraction, 0.0, 1.0));
}

void pictor_gimp_progress_window_show_preview(PictorGimpProgressWindow *window,
                                              const pictor_image *partial, int index, int total) {
    guint width = pictor_image_width(partial), height = pictor_image_height(partial);
    const guint8 *rgba = pictor_image_rgba(partial);
    if (!rgba || width == 0 || height == 0)
        return;
    GdkPixbuf *full = gdk_pixbuf_new(GDK_COLORSPACE_RGB, TRUE, 8, (int)width, (int)height);
    if (!full)
        return;
    guint8 *pixels = gdk_pixbuf_get_pixels(full);
    int rowstride = gdk_pixbuf_get_rowstride(full);
    for (guint y = 0; y < height; y++)
        memcpy(pixels + (gsize)y * rowstride, rgba + (gsize)y * width * 4, (gsize)width * 4);
    gdouble scale = MIN(1.0, (gdouble)PREVIEW_SIDE / MAX(width, height));
    GdkPixbuf *shown = gdk_pixbuf_scale_simple(full, MAX(1, (int)(width * scale)),
                                               MAX(1, (int)(height * scale)), GDK_INTERP_BILINEAR);
    gtk_image_set_from_pixbuf(GTK_IMAGE(window->preview), shown);
    gchar *caption = g_strdup_printf("Partial image %d of %d", index + 1, total);
    gtk_label_set_text(GTK_LABEL(window->preview_caption), caption);
    gtk_widget_show(window->preview_caption);
    g_free(caption);
    g_object_unref(shown);
    g_object_unref(full);
}

void pictor_gimp_progress_window_destroy(PictorGimpProgressWindow *window) {
    if (!window)
        return;
    gtk_widget_destroy(window->dialog);
    g_free(window);
}
