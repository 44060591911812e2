/* "Pictor Settings": the API key and the default profile without a terminal, for both GIMP
 * adapters. The key goes where `pictor login` puts it (the desktop keyring, else the config file
 * with mode 0600) and is never a procedure argument: GIMP keeps arguments in plain text. */
#ifndef PICTOR_GIMP_PICTOR_SETTINGS_H
#define PICTOR_GIMP_PICTOR_SETTINGS_H

#include <glib.h>

/* What scripts learn from the settings procedure. Free with pictor_gimp_key_report_clear. */
typedef struct {
    gchar *key_source;     /* where the key in use comes from; "" when there is none */
    gchar *key_stored_in;  /* where this call stored a key; "" when it stored none */
    gchar *profile;        /* the profile a command would use now */
} PictorGimpKeyReport;

void pictor_gimp_key_report_clear(PictorGimpKeyReport *report);

/* The non-interactive settings call. key_file: a file whose first line is the key ("" = keep
 * the stored key); default_profile: a profile name ("" = keep the default). Fills report;
 * FALSE with *error when something could not be stored. */
gboolean pictor_gimp_settings_apply(const gchar *key_file, const gchar *default_profile,
                                    PictorGimpKeyReport *report, gchar **error);

/* The dialog (GTK 2 and 3): shows where the key in use comes from, takes a pasted key and the
 * default profile, stores them on Save. Returns when the user closes it; fills report. */
void pictor_gimp_settings_dialog(PictorGimpKeyReport *report);

#endif
