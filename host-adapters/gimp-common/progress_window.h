/* The small window an interactive run shows while it waits: what is happening, a bar, the
 * partial images a streaming route sends, and a Cancel button. */
#ifndef PICTOR_GIMP_PROGRESS_WINDOW_H
#define PICTOR_GIMP_PROGRESS_WINDOW_H

#include <gtk/gtk.h>
#include <pictor/pictor.h>

typedef struct PictorGimpProgressWindow PictorGimpProgressWindow;

/* on_cancel fires (once) when the user presses Cancel or closes the window. */
PictorGimpProgressWindow *pictor_gimp_progress_window_new(const gchar *title,
                                                          void (*on_cancel)(gpointer data),
                                                          gpointer data);
/* fraction in [0, 1], or < 0 for "no idea how far": the bar pulses. */
void pictor_gimp_progress_window_set_status(PictorGimpProgressWindow *window, const gchar *text,
                                            gdouble fraction);
void pictor_gimp_progress_window_show_preview(PictorGimpProgressWindow *window,
                                              const pictor_image *partial, int index, int total);
void pictor_gimp_progress_window_destroy(PictorGimpProgressWindow *window);

#endif
