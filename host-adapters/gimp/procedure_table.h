/* The three PDB procedures the plug-in registers: their names, signatures and menu places. */
#ifndef PICTOR_GIMP_PROCEDURE_TABLE_H
#define PICTOR_GIMP_PROCEDURE_TABLE_H

#include "command_settings.h"

#define PICTOR_GIMP_PROC_GENERATE "plug-in-pictor-generate"
#define PICTOR_GIMP_PROC_INPAINT "plug-in-pictor-inpaint"
#define PICTOR_GIMP_PROC_EDIT "plug-in-pictor-edit"

/* Where the entries appear: Filters > Pictor, next to GIMP's other generators and filters. */
#define PICTOR_GIMP_MENU_PATH "<Image>/Filters/Pictor"

/* Registers the procedures with the PDB (the plug-in's query()). */
void pictor_gimp_register_procedures(void);

/* The command a procedure name stands for; FALSE for a name this plug-in does not own. */
gboolean pictor_gimp_command_for_procedure(const gchar *procedure, PictorGimpCommand *command);

/* The menu label without mnemonic, for titles: "Generate as New Layer". */
const gchar *pictor_gimp_command_title(PictorGimpCommand command);

/* Reads the non-interactive parameters (after run-mode, image, drawable) into settings.
 * On a bad value returns FALSE with *error set to a message saying which and what to pass. */
gboolean pictor_gimp_settings_from_params(PictorGimpCommand command, gint nparams,
                                          const GimpParam *param, PictorGimpSettings *settings,
                                          gchar **error);

#endif
