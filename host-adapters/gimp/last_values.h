/* GIMP 2.10's "last values": a procedure's settings kept for the rest of the GIMP session
 * (gimp_get_data / gimp_set_data). GIMP 3 keeps them in its GimpProcedureConfig instead. */
#ifndef PICTOR_GIMP_LAST_VALUES_H
#define PICTOR_GIMP_LAST_VALUES_H

#include "command_settings.h"

/* The last values of this procedure in this GIMP session; FALSE (settings untouched) if none. */
gboolean pictor_gimp_settings_load(PictorGimpSettings *settings, const gchar *procedure);
void pictor_gimp_settings_store(const PictorGimpSettings *settings, const gchar *procedure);

#endif
