/* The small window an interactive run shows while it waits: what is happening, a bar, the
 * partial images a streaming route sends, and what stopping means. A request that runs in
 * Pictor's helper process outlives the plug-in: then the window offers Stop Waiting (the request
 * goes on and its image lands in Pictor's history) and, where the library can, Abandon (the
 * request is stopped too; the gateway may still bill it); otherwise one Cancel button. */
#ifndef PICTOR_GIMP_PROGRESS_WINDOW_H
#define PICTOR_GIMP_PROGRESS_WINDOW_H

#include <gtk/gtk.h>
#include <pictor/pictor.h>

typedef struct PictorGimpProgressWindow PictorGimpProgressWindow;

/* on_cancel fires (once) when the user presses a button or closes the window; abandon is TRUE
 * for Abandon only (closing the window means Stop Waiting). request_outlives: the request runs
 * in the helper process (pictor_client_config.run_in_helper); can_abandon: the Abandon button is
 * offered (the job can be abandoned on its own). */
PictorGimpProgressWindow *pictor_gimp_progress_window_new(const gchar *title,
                                                          gboolean request_outlives,
                                                          gboolean can_abandon,
                                                          void (*on_cancel)(gpointer data,
                                                                            gboolean abandon),
                                                          gpointer data);
/* fraction in [0, 1], or < 0 for "no idea how far": the bar pulses. */
void pictor_gimp_progress_window_set_status(PictorGimpProgressWindow *window, const gchar *text,
                                            gdouble fraction);
void pictor_gimp_progress_window_show_preview(PictorGimpProgressWindow *window,
                                              const pictor_image *partial, int index, int total);
void pictor_gimp_progress_window_destroy(PictorGimpProgressWindow *window);

#endif
