#include "gateway_client.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Offered in the size list of routes that take custom sizes (the API's presets). */
static const gchar *const preset_sizes[] = {"1024x1024", "1536x1024", "1024x1536", "2048x2048",
                                            "2048x1152", "3840x2160", "2160x3840", NULL};

pictor_client *pictor_gimp_client_create(const gchar *profile, gchar **error) {
    pictor_client_config config;
    pictor_client_config_init(&config);
    config.profile = (profile && *profile) ? profile : NULL;
    pictor_client *client = NULL;
    if (pictor_client_create(&config, &client) != PICTOR_OK) {
        *error = g_strdup(pictor_thread_last_error()->message);
        return NULL;
    }
    return client;
}

gboolean pictor_gimp_library_matches(gchar **error) {
    /* The high byte of the ABI version changes only on incompatible changes. */
    if ((pictor_abi_version() >> 8) == (PICTOR_ABI_VERSION >> 8))
        return TRUE;
    *error = g_strdup_printf("The installed libpictor %s does not match this plug-in (built "
                             "for %d.%d.%d): install the plug-in and the library from the same "
                             "build.",
                             pictor_version_string(), PICTOR_VERSION_MAJOR, PICTOR_VERSION_MINOR,
                             PICTOR_VERSION_PATCH);
    return FALSE;
}

static gchar **string_array(JsonObject *object, const gchar *member) {
    GPtrArray *out = g_ptr_array_new();
    if (json_object_has_member(object, member)) {
        JsonNode *node = json_object_get_member(object, member);
        if (JSON_NODE_HOLDS_ARRAY(node)) {
            JsonArray *array = json_node_get_array(node);
            for (guint i = 0; i < json_array_get_length(array); i++) {
                JsonNode *item = json_array_get_element(array, i);
                if (JSON_NODE_HOLDS_VALUE(item) && json_node_get_value_type(item) == G_TYPE_STRING)
                    g_ptr_array_add(out, g_strdup(json_node_get_string(item)));
            }
        }
    }
    g_ptr_array_add(out, NULL);
    return (gchar **)g_ptr_array_free(out, FALSE);
}

static const gchar *string_member(JsonObject *object, const gchar *member) {
    if (!json_object_has_member(object, member))
        return "";
    JsonNode *node = json_object_get_member(object, member);
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
        return "";
    return json_node_get_string(node);
}

static gboolean bool_member(JsonObject *object, const gchar *member, gboolean fallback) {
    if (!json_object_has_member(object, member))
        return fallback;
    JsonNode *node = json_object_get_member(object, member);
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN)
        return fallback;
    return json_node_get_boolean(node);
}

PictorGimpProfileInfo *pictor_gimp_profile_info(pictor_client *client) {
    PictorGimpProfileInfo *info = g_new0(PictorGimpProfileInfo, 1);
    JsonParser *parser = json_parser_new();
    JsonObject *profile = NULL;
    if (json_parser_load_from_data(parser, pictor_client_profile_json(client), -1, NULL) &&
        JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
        profile = json_node_get_object(json_parser_get_root(parser));
    if (!profile) {
        info->name = g_strdup("");
        info->description = g_strdup("");
        info->sizes = g_new0(gchar *, 1);
        info->qualities = g_new0(gchar *, 1);
        info->takes_size = TRUE;
        g_object_unref(parser);
        return info;
    }
    info->name = g_strdup(string_member(profile, "name"));
    info->description = g_strdup(string_member(profile, "description"));
    info->custom_sizes = strcmp(string_member(profile, "size_rule"), "custom") == 0;
    info->takes_size = strcmp(string_member(profile, "size_rule"), "none") != 0;
    info->has_api_key = bool_member(profile, "has_api_key", FALSE);
    info->qualities = string_array(profile, "qualities");
    info->sizes = string_array(profile, "sizes");
    if (info->custom_sizes && !info->sizes[0]) {
        g_strfreev(info->sizes);
        info->sizes = g_strdupv((gchar **)preset_sizes);
    }
    info->max_images_per_request = json_object_has_member(profile, "max_images_per_request")
                                       ? (gint)json_object_get_int_member(profile, "max_images_per_request")
                                       : 1;
    g_object_unref(parser);
    return info;
}

void pictor_gimp_profile_info_free(PictorGimpProfileInfo *info) {
    if (!info)
        return;
    g_free(info->name);
    g_free(info->description);
    g_strfreev(info->sizes);
    g_strfreev(info->qualities);
    g_free(info);
}

static gint compare_names(gconstpointer a, gconstpointer b) {
    return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

gchar **pictor_gimp_profile_names(void) {
    GPtrArray *names = g_ptr_array_new();
    char *json = NULL;
    if (pictor_list_profiles(NULL, &json) == PICTOR_OK) {
        JsonParser *parser = json_parser_new();
        if (json_parser_load_from_data(parser, json, -1, NULL) &&
            JSON_NODE_HOLDS_ARRAY(json_parser_get_root(parser))) {
            JsonArray *list = json_node_get_array(json_parser_get_root(parser));
            for (guint i = 0; i < json_array_get_length(list); i++) {
                JsonNode *item = json_array_get_element(list, i);
                if (!JSON_NODE_HOLDS_OBJECT(item))
                    continue;
                const gchar *name = string_member(json_node_get_object(item), "name");
                if (*name)
                    g_ptr_array_add(names, g_strdup(name));
            }
        }
        g_object_unref(parser);
        pictor_free(json);
    }
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return (gchar **)g_ptr_array_free(names, FALSE);
}
