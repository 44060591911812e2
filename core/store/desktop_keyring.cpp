#include "store/desktop_keyring.hpp"

#include "store/user_dirs.hpp"

#ifdef PICTOR_HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

namespace pictor {
namespace {

#ifdef PICTOR_HAVE_LIBSECRET
// Without a session bus libsecret would try to autolaunch one (or wait on X11): say no first.
bool session_bus_present(std::string *problem) {
    if (!env_or_empty("DBUS_SESSION_BUS_ADDRESS").empty())
        return true;
    *problem = "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)";
    return false;
}

const SecretSchema *api_key_schema() {
    static const SecretSchema schema = {
        "org.pictor.ApiKey", SECRET_SCHEMA_NONE,
        {{"purpose", SECRET_SCHEMA_ATTRIBUTE_STRING}, {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING}},
        0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    return &schema;
}

std::string take_message(GError *error) {
    std::string text = error && error->message ? error->message : "unknown error";
    if (error)
        g_error_free(error);
    return "the desktop keyring refused: " + text;
}
#endif

} // namespace

bool keyring_supported() {
#ifdef PICTOR_HAVE_LIBSECRET
    return true;
#else
    return false;
#endif
}

KeyringAnswer keyring_lookup_api_key() {
    KeyringAnswer answer;
#ifdef PICTOR_HAVE_LIBSECRET
    if (!session_bus_present(&answer.problem))
        return answer;
    GError *error = nullptr;
    gchar *secret = secret_password_lookup_sync(api_key_schema(), nullptr, &error, "purpose", "gpt-image api key",
                                                nullptr);
    if (error) {
        answer.problem = take_message(error);
        return answer;
    }
    answer.reachable = true;
    if (secret) {
        answer.value = secret;
        secret_password_free(secret); // wipes the copy libsecret made
    }
#else
    answer.problem = "this build of pictor has no libsecret support";
#endif
    return answer;
}

KeyringAnswer keyring_store_api_key(const std::string &api_key) {
    KeyringAnswer answer;
#ifdef PICTOR_HAVE_LIBSECRET
    if (!session_bus_present(&answer.problem))
        return answer;
    GError *error = nullptr;
    gboolean stored = secret_password_store_sync(api_key_schema(), SECRET_COLLECTION_DEFAULT, "pictor API key",
                                                 api_key.c_str(), nullptr, &error, "purpose", "gpt-image api key",
                                                 nullptr);
    if (error || !stored) {
        answer.problem = error ? take_message(error) : "the desktop keyring did not store the key";
        return answer;
    }
    answer.reachable = true;
    answer.value = "stored";
#else
    (void)api_key;
    answer.problem = "this build of pictor has no libsecret support";
#endif
    return answer;
}

} // namespace pictor
