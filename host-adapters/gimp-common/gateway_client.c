#include "gateway_client.h"

#include <json-glib/json-glib.h>
#include <string.h>

pictor_client *pictor_gimp_client_create(const gchar *profile, gchar **error) {
    pictor_client_config config;
    pictor_client_config_init(&config);
    config.profile = (profile && *profile) ? profile : NULL;
    /* GIMP kills the plug-in when its progress is cancelled: the request lives in a helper
     * process so that what the gateway bills reaches history anyway. */
    config.run_in_helper = PICTOR_GIMP_RUN_IN_HELPER;
    pictor_client *client = NULL;
    if (pictor_client_create(&config, &client) != PICTOR_OK) {
        *error = pictor_gimp_host_words(pictor_thread_last_error()->message);
        return NULL;
    }
    return client;
}

const pictor_limits *pictor_gimp_limits(void) {
    static pictor_limits limits;
    static gsize done = 0;
    if (g_once_init_enter(&done)) {
        pictor_get_limits(&limits);
        g_once_init_leave(&done, 1);
    }
    return &limits;
}

gboolean pictor_gimp_library_matches(gchar **error) {
    if (pictor_library_is_compatible())
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

/* What one model takes: the profile's top level (its current model) or an entry of "models",
 * which have the same keys. */
static void read_model(PictorGimpProfileInfo *info, JsonObject *model) {
    info->model = g_strdup(string_member(model, "model"));
    info->custom_sizes = strcmp(string_member(model, "size_rule"), "custom") == 0;
    info->takes_size = strcmp(string_member(model, "size_rule"), "none") != 0;
    info->qualities = string_array(model, "qualities");
    info->complexities = string_array(model, "complexities");
    info->markup = bool_member(model, "markup", FALSE);
    if (json_object_has_member(model, "fields") &&
        JSON_NODE_HOLDS_OBJECT(json_object_get_member(model, "fields")))
        info->streams = bool_member(json_object_get_object_member(model, "fields"), "stream", FALSE);
    /* The route's sizes, or its presets when it takes custom sizes: the library's one list. */
    info->sizes = string_array(model, "suggested_sizes");
    info->max_images_per_request = json_object_has_member(model, "max_images_per_request")
                                       ? (gint)json_object_get_int_member(model, "max_images_per_request")
                                       : 1;
}

/* The names of the profile's "models" entries, in its order. */
static gchar **model_names(JsonObject *profile, JsonObject **chosen, const gchar *wanted) {
    GPtrArray *out = g_ptr_array_new();
    JsonNode *node = json_object_has_member(profile, "models") ? json_object_get_member(profile, "models") : NULL;
    if (node && JSON_NODE_HOLDS_ARRAY(node)) {
        JsonArray *array = json_node_get_array(node);
        for (guint i = 0; i < json_array_get_length(array); i++) {
            JsonNode *item = json_array_get_element(array, i);
            if (!JSON_NODE_HOLDS_OBJECT(item))
                continue;
            const gchar *name = string_member(json_node_get_object(item), "model");
            g_ptr_array_add(out, g_strdup(name));
            if (wanted && strcmp(name, wanted) == 0)
                *chosen = json_node_get_object(item);
        }
    }
    g_ptr_array_add(out, NULL);
    return (gchar **)g_ptr_array_free(out, FALSE);
}

PictorGimpProfileInfo *pictor_gimp_profile_info_for_model(pictor_client *client, const gchar *model) {
    PictorGimpProfileInfo *info = g_new0(PictorGimpProfileInfo, 1);
    JsonParser *parser = json_parser_new();
    JsonObject *profile = NULL;
    if (json_parser_load_from_data(parser, pictor_client_profile_json(client), -1, NULL) &&
        JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
        profile = json_node_get_object(json_parser_get_root(parser));
    if (!profile) {
        info->name = g_strdup("");
        info->description = g_strdup("");
        info->api_key_source = g_strdup("");
        info->model = g_strdup("");
        info->default_model = g_strdup("");
        info->sizes = g_new0(gchar *, 1);
        info->qualities = g_new0(gchar *, 1);
        info->complexities = g_new0(gchar *, 1);
        info->models = g_new0(gchar *, 1);
        info->takes_size = TRUE;
        g_object_unref(parser);
        return info;
    }
    info->name = g_strdup(string_member(profile, "name"));
    info->description = g_strdup(string_member(profile, "description"));
    info->has_api_key = bool_member(profile, "has_api_key", FALSE);
    info->api_key_source = g_strdup(string_member(profile, "api_key_source"));
    info->api_key_from_environment = bool_member(profile, "api_key_from_environment", FALSE);
    info->default_model = g_strdup(string_member(profile, "default_model"));
    /* A model the profile does not list: its current one (the request is refused on OK). */
    JsonObject *entry = profile;
    info->models = model_names(profile, &entry, model && *model ? model : NULL);
    read_model(info, entry);
    g_object_unref(parser);
    return info;
}

PictorGimpProfileInfo *pictor_gimp_profile_info(pictor_client *client) {
    return pictor_gimp_profile_info_for_model(client, NULL);
}

void pictor_gimp_profile_info_free(PictorGimpProfileInfo *info) {
    if (!info)
        return;
    g_free(info->name);
    g_free(info->description);
    g_free(info->api_key_source);
    g_strfreev(info->sizes);
    g_strfreev(info->qualities);
    g_strfreev(info->complexities);
    g_strfreev(info->models);
    g_free(info->model);
    g_free(info->default_model);
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

#define SETTINGS_ENTRY "Filters > Pictor > Pictor Settings"

gchar *pictor_gimp_key_note(const PictorGimpProfileInfo *info) {
    if (!info->has_api_key)
        return g_strdup("No API key yet: paste one in " SETTINGS_ENTRY ".");
    if (info->api_key_from_environment)
        return g_strdup_printf("API key: from %s in GIMP's environment. While it is set, a key "
                               "stored in " SETTINGS_ENTRY " is not used.",
                               info->api_key_source);
    return g_strdup_printf("API key: from %s.", info->api_key_source);
}

/* Whole phrases, so the sentence still reads well; the first match of each is replaced. */
static const gchar *const host_phrases[][2] = {
    {"set PICTOR_API_KEY (or OPENAI_API_KEY), or put \"api_key\" in", "paste one in " SETTINGS_ENTRY
                                                                      " (it goes to the desktop keyring or to"},
    {" (chmod 600). Nothing was sent.", "). Nothing was sent."},
    {"Check PICTOR_API_KEY (or OPENAI_API_KEY)", "Paste the right key in " SETTINGS_ENTRY},
    {"leave --size out", "set Size to the route's default"},
    {"leave --quality out or use auto", "choose the route's default or auto as Quality"},
    {" (--image FILE)", ""},
    {"; on generations --moderation low may help.", "."},
    {" (pictor generate --help)", ": Size and Quality offer what the profile takes"},
    {"raise --timeout.", "try a lower quality or a smaller size."},
    {" Run without --keyring to use the config file.", ""},
};

gchar *pictor_gimp_host_words(const gchar *message) {
    GString *text = g_string_new(message ? message : "");
    for (gsize i = 0; i < G_N_ELEMENTS(host_phrases); i++) {
        const gchar *at = strstr(text->str, host_phrases[i][0]);
        if (!at)
            continue;
        gsize pos = (gsize)(at - text->str);
        g_string_erase(text, (gssize)pos, (gssize)strlen(host_phrases[i][0]));
        g_string_insert(text, (gssize)pos, host_phrases[i][1]);
    }
    return g_string_free(text, FALSE);
}

gchar *pictor_gimp_check_settings(pictor_client *client, PictorGimpCommand command,
                                  const PictorGimpSettings *settings) {
    gchar *prompt = g_strstrip(g_strdup(settings->prompt));
    gboolean has_prompt = *prompt != '\0';
    g_free(prompt);
    if (!has_prompt)
        return g_strdup("Write a prompt first: it says what the model should draw.");
    if (g_utf8_strlen(settings->prompt, -1) > PICTOR_GIMP_PROMPT_MAX)
        return g_strdup_printf("The prompt is longer than %d characters: shorten it.",
                               PICTOR_GIMP_PROMPT_MAX);
    PictorGimpProfileInfo *info = pictor_gimp_profile_info_for_model(client, settings->model);
    gchar *why = info->has_api_key ? NULL : pictor_gimp_key_note(info);
    pictor_request request;
    pictor_gimp_fill_request(command, settings, &request);
    /* "canvas" becomes a real size once the job knows the canvas. */
    if (request.size && strcmp(request.size, "canvas") == 0)
        request.size = NULL;
    if (why)
        ; /* how to add a key comes first */
    else if (pictor_gimp_upload_quality_value(settings->upload_quality) < 0)
        why = g_strdup_printf("Upload quality \"%s\" is not one Pictor knows: choose lossless or fast.",
                              settings->upload_quality);
    /* Sizes, qualities and the model follow the same rules for edits; checked as a generation,
     * since the layers an edit sends are read only when it starts. */
    else if (pictor_check_request(client, &request, 0) != PICTOR_OK)
        why = pictor_gimp_host_words(pictor_client_last_error(client)->message);
    else if (command == PICTOR_GIMP_EDIT_MARKUP && !info->markup)
        why = g_strdup_printf(PICTOR_GIMP_TEXT_NO_MARKUP, info->model);
    else if (command == PICTOR_GIMP_EDIT_MARKUP && settings->markup_layer <= 0)
        why = g_strdup("Choose the layer with your arrows and notes as the Markup layer.");
    pictor_gimp_profile_info_free(info);
    return why;
}

void pictor_gimp_fill_request(PictorGimpCommand command, const PictorGimpSettings *settings,
                              pictor_request *request) {
    pictor_request_init(request);
    request->prompt = settings->prompt;
    /* Inpaint sends the size that fits the selection; the library picks it. */
    request->size = (command != PICTOR_GIMP_INPAINT && settings->size[0]) ? settings->size : NULL;
    request->quality = settings->quality[0] ? settings->quality : NULL;
    request->n = command == PICTOR_GIMP_GENERATE ? settings->variations : 1;
    request->model = settings->model[0] ? settings->model : NULL;
    request->complexity = settings->complexity[0] ? settings->complexity : NULL;
    request->upload_quality = MAX(pictor_gimp_upload_quality_value(settings->upload_quality), 0);
}
