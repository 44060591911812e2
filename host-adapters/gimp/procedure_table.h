/* The PDB procedures the plug-in registers: their names, signatures and menu places. */
#ifndef PICTOR_GIMP_PROCEDURE_TABLE_H
#define PICTOR_GIMP_PROCEDURE_TABLE_H

#include "command_settings.h"

#include <libgimp/gimp.h>

/* Registers the procedures with the PDB (the plug-in's query()): the commands (and, for scripts,
 * their "<name>2" with the model arguments), Pictor Settings (PICTOR_GIMP_PROC_SETTINGS) and History (PICTOR_GIMP_PROC_HISTORY). */
void pictor_gimp_register_procedures(void);

/* The command a procedure name stands for: a command's own or its "<name>2" (with the model
 * arguments); FALSE for a name this plug-in does not own. */
gboolean pictor_gimp_procedure_command(const gchar *name, PictorGimpCommand *command);

/* How many parameters plug-in-pictor-history takes. */
gint pictor_gimp_history_param_count(void);

/* Reads the non-interactive parameters (after run-mode, image, drawable) into settings.
 * On a bad value returns FALSE with *error set to a message saying which and what to pass. */
gboolean pictor_gimp_settings_from_params(PictorGimpCommand command, gint nparams,
                                          const GimpParam *param, PictorGimpSettings *settings,
                                          gchar **error);

#endif
