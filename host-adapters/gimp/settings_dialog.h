/* The dialog of an interactive run: prompt, profile, size, quality, variations or the
 * inpaint edge settings, the reference layers of an edit, and the estimated cost. */
#ifndef PICTOR_GIMP_SETTINGS_DIALOG_H
#define PICTOR_GIMP_SETTINGS_DIALOG_H

#include "command_settings.h"

/* Shows the dialog filled from settings; on OK writes the choices back into settings (and, for
 * an edit, the chosen reference layers into references, an array of gint32) and returns TRUE.
 * gimp_ui_init must have run. */
gboolean pictor_gimp_settings_dialog_run(PictorGimpCommand command, gint32 image, gint32 layer,
                                         PictorGimpSettings *settings, GArray *references);

#endif
