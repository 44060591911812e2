/* The dialog of a Pictor command in GIMP 3: a GimpProcedureDialog over the procedure's own
 * arguments (so GIMP remembers them), with what the profile offers, where the key comes from,
 * and a check of the settings before it closes. */
#ifndef PICTOR_GIMP3_COMMAND_DIALOG_H
#define PICTOR_GIMP3_COMMAND_DIALOG_H

#include "command_settings.h"

#include <libgimp/gimp.h>

/* TRUE when the user pressed the OK button with settings the route accepts; config holds
 * them. references (gint32 ids): the layers an edit sends after the one edited, for display. */
gboolean pictor_gimp3_command_dialog_run(GimpProcedure *procedure, GimpProcedureConfig *config,
                                         PictorGimpCommand command, const GArray *references);

#endif
