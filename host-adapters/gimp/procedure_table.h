/* The three PDB procedures the plug-in registers: their names, signatures and menu places. */
#ifndef PICTOR_GIMP_PROCEDURE_TABLE_H
#define PICTOR_GIMP_PROCEDURE_TABLE_H

#include "command_settings.h"

#include <libgimp/gimp.h>

/* Registers the procedures with the PDB (the plug-in's query()): the three commands and
 * Pictor Settings (PICTOR_GIMP_PROC_SETTINGS) and History (PICTOR_GIMP_PROC_HISTORY). */
void pictor_gimp_register_procedures(void);

/* How many parameters plug-in-pictor-history takes. */
gint pictor_gimp_history_param_count(void);

/* Reads the non-interactive parameters (after run-mode, image, drawable) into settings.
 * On a bad value returns FALSE with *error set to a message saying which and what to pass. */
gboolean pictor_gimp_settings_from_params(PictorGimpCommand command, gint nparams,
                                          const GimpParam *param, PictorGimpSettings *settings,
                                          gchar **error);

#endif
