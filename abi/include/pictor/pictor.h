/*
 * pictor — gpt-image-2 image generation and editing for hosts (GIMP, OBS, the command line).
 *
 * The one public header. Its rules, kept for the life of the library:
 *  - Handles are opaque: pictor_client, pictor_result, pictor_image. What the library
 *    allocates, the library frees (pictor_*_free / pictor_*_destroy; all accept NULL).
 *  - Every function that can fail returns a pictor_status. The enum is append-only; a value is
 *    never reused. Out-parameters are set to NULL / 0 on failure.
 *  - Structs the host passes in start with `uint32_t struct_size` and are set up by an
 *    *_init() inline wrapper that also checks the header against the library (PICTOR_ABI_VERSION),
 *    so a struct can grow at its end without breaking hosts built against an older header.
 *  - No C++ exception crosses this boundary.
 *  - Strings are UTF-8 and NUL-terminated. Returned `const char *` stay valid as documented
 *    (usually: until the handle is freed or the next call on it).
 *  - Threads: a pictor_client may be used by one thread at a time; use one client per thread
 *    for concurrent calls. Results and images are immutable and may be read from any thread.
 *    Callbacks fire on the thread that made the call, never on another one.
 */
#ifndef PICTOR_PICTOR_H
#define PICTOR_PICTOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define PICTOR_API __declspec(dllimport)
#elif defined(__GNUC__)
#  define PICTOR_API __attribute__((visibility("default")))
#else
#  define PICTOR_API
#endif

/* ---- versions ------------------------------------------------------------------------- */

#define PICTOR_VERSION_MAJOR 0
#define PICTOR_VERSION_MINOR 1
#define PICTOR_VERSION_PATCH 0
/* major * 10000 + minor * 100 + patch */
#define PICTOR_VERSION_NUMBER \
    (PICTOR_VERSION_MAJOR * 10000 + PICTOR_VERSION_MINOR * 100 + PICTOR_VERSION_PATCH)

/* Bumped when a struct below gains fields or a rule changes in a way the library must know
 * about. High byte: incompatible (the library refuses a different one); low byte: additions. */
#define PICTOR_ABI_VERSION 0x0100

/* The library's own version, to compare against the PICTOR_VERSION_* the host was built with. */
PICTOR_API int pictor_version_number(void);
PICTOR_API const char *pictor_version_string(void);
PICTOR_API int pictor_abi_version(void);

/* ---- status --------------------------------------------------------------------------- */

typedef enum pictor_status {
    PICTOR_OK = 0,
    PICTOR_ERR_INVALID_ARGUMENT = 1,   /* the caller broke an API rule (NULL, bad struct_size) */
    PICTOR_ERR_INVALID_REQUEST = 2,    /* refused by validation (nothing sent) or the server's 400 */
    PICTOR_ERR_AUTH = 3,               /* no API key, or the server's 401 */
    PICTOR_ERR_MODERATION_BLOCKED = 4, /* the safety system refused it (not billed) */
    PICTOR_ERR_RATE_LIMITED = 5,       /* 429: rate limit or no balance, after retries */
    PICTOR_ERR_SERVER = 6,             /* 5xx, after retries where retrying was safe */
    PICTOR_ERR_TIMEOUT = 7,
    PICTOR_ERR_NETWORK = 8,
    PICTOR_ERR_TLS = 9,
    PICTOR_ERR_BAD_RESPONSE = 10,      /* the server answered something unusable */
    PICTOR_ERR_TOO_LARGE = 11,         /* response bytes or image pixels over the limit */
    PICTOR_ERR_CANCELLED = 12,
    PICTOR_ERR_IO = 13,                /* a local file (history) could not be written */
    PICTOR_ERR_BAD_IMAGE = 14,         /* an image buffer that does not decode */
    PICTOR_ERR_INTERNAL = 15,
    PICTOR_ERR_NO_MEMORY = 16
} pictor_status;

/* A static English name: "ok", "invalid_request", "moderation_blocked", ... */
PICTOR_API const char *pictor_status_string(pictor_status status);

/* The detail behind the last failure of a call on a client. Owned by the client; valid until
 * the next call on that client or its destruction. struct_size is set by the library: fields
 * past it (added in later versions) are absent. */
typedef struct pictor_error {
    uint32_t struct_size;
    pictor_status status;     /* PICTOR_OK if the last call succeeded */
    const char *kind;         /* pictor_status_string(status) */
    const char *message;      /* what happened and what to do; never contains the API key */
    const char *code;         /* the server's error code, e.g. "moderation_blocked"; "" if none */
    const char *request_id;   /* x-request-id / x-api-request-id; "" if none */
    int http_status;          /* 0 when no HTTP answer was read */
    int request_sent;         /* 0: nothing left this machine, so nothing can be billed */
    int may_be_billed;        /* 1: the server may have generated (and billed) an image */
} pictor_error;


typedef struct pictor_client pictor_client; /* a profile, a key, limits, a last error */
typedef struct pictor_result pictor_result; /* the images one request brought, with metadata */
typedef struct pictor_image pictor_image;   /* one image: encoded bytes as received + RGBA8 */

/* The last failure of a call on this client. Never NULL (a NULL client gets a static error). */
PICTOR_API const pictor_error *pictor_client_last_error(const pictor_client *client);

/* The last failure of a call that takes no client (pictor_client_create, pictor_decode_image,
 * pictor_list_profiles, ...) on the calling thread, like dlerror(). Never NULL. */
PICTOR_API const pictor_error *pictor_thread_last_error(void);

/* ---- logging ---------------------------------------------------------------------------- */

typedef enum pictor_log_level {
    PICTOR_LOG_ERROR = 0,
    PICTOR_LOG_WARNING = 1,
    PICTOR_LOG_INFO = 2,
    PICTOR_LOG_TRACE = 3 /* requests and responses, the key redacted */
} pictor_log_level;

/* One line without a trailing newline, valid only during the call; fires on the calling thread. */
typedef void (*pictor_log_fn)(pictor_log_level level, const char *line, void *user_data);

/* ---- client ----------------------------------------------------------------------------- */

typedef struct pictor_client_config {
    uint32_t struct_size;
    /* Each NULL / 0 below means "resolve it": when use_environment is set, from the environment
     * and the config file ($XDG_CONFIG_HOME/pictor/config.json), then the profile's default.
     *   key:      PICTOR_API_KEY, else OPENAI_API_KEY, else the config file's "api_key"
     *   base URL: PICTOR_BASE_URL, else OPENAI_BASE_URL, else the config file, else the profile's
     *   profile:  PICTOR_PROFILE, else the config file, else "openai"
     * A missing key is not an error here: a request without one fails with PICTOR_ERR_AUTH
     * before anything is sent. */
    const char *profile;
    const char *base_url;
    const char *api_key;
    const char *model;          /* NULL: the profile's model */
    const char *history_dir;    /* NULL: $PICTOR_HISTORY_DIR, else $XDG_DATA_HOME/pictor/history */
    const char *profile_dir;    /* NULL: user then installed profiles; else searched first */
    const char *ca_file;        /* NULL: the system's certificate authorities */
    double connect_timeout_s;   /* 0: 10 s */
    uint64_t max_response_bytes;/* 0: 512 MiB; a larger body is cut and refused (too_large) */
    uint64_t max_pixels;        /* 0: 64 Mpx; images declaring more are refused before decoding */
    int max_retries;            /* -1: 2; retries happen only where nothing can be billed twice */
    int use_environment;        /* 1 after init */
    pictor_log_fn log;          /* NULL: no log */
    void *log_user_data;
} pictor_client_config;

/* Sets every field to its default and struct_size to the caller's size. Use the inline wrapper:
 * it passes the size and ABI version the host was compiled with. */
PICTOR_API pictor_status pictor_client_config_init_abi(pictor_client_config *config, size_t struct_size,
                                                       int abi_version);
static inline pictor_status pictor_client_config_init(pictor_client_config *config) {
    return pictor_client_config_init_abi(config, sizeof(*config), PICTOR_ABI_VERSION);
}

/* On failure (unknown profile, unreadable profile file, bad URL), *out is NULL and the reason is
 * in pictor_thread_last_error(). */
PICTOR_API pictor_status pictor_client_create(const pictor_client_config *config, pictor_client **out);
PICTOR_API void pictor_client_destroy(pictor_client *client);

/* Asks a call running on this client to stop, from any thread (also from a signal handler: it
 * only sets a flag). The call returns PICTOR_ERR_CANCELLED within about 100 ms. A request that
 * was already sent may still be billed by the server. */
PICTOR_API void pictor_client_cancel(pictor_client *client);

/* The resolved profile as JSON (name, base_url, model, size_rule, sizes, qualities,
 * max_images_per_request, fields, ...), for dialogs. Valid until the client is destroyed.
 * The key is never part of it; "has_api_key" says whether one was found. */
PICTOR_API const char *pictor_client_profile_json(const pictor_client *client);

/* Every profile found (installed and the user's) as a JSON array of profile objects.
 * Free with pictor_free. profile_dir: as in pictor_client_config, may be NULL. */
PICTOR_API pictor_status pictor_list_profiles(const char *profile_dir, char **json_out);

/* ---- requests --------------------------------------------------------------------------- */

typedef enum pictor_phase {
    PICTOR_PHASE_PREPARING = 0,   /* validating, reading inputs */
    PICTOR_PHASE_CONNECTING = 1,
    PICTOR_PHASE_UPLOADING = 2,
    PICTOR_PHASE_WAITING = 3,     /* the request is sent; the server is generating */
    PICTOR_PHASE_DOWNLOADING = 4,
    PICTOR_PHASE_DECODING = 5,
    PICTOR_PHASE_RETRY_WAIT = 6,  /* backing off before a retry that cannot be billed twice */
    PICTOR_PHASE_SAVING = 7       /* writing to history: comes BEFORE decoding, so a paid image
                                     is on disk before anything else can fail */
} pictor_phase;

typedef struct pictor_progress {
    uint32_t struct_size;
    pictor_phase phase;         /* of the least advanced request still running */
    double elapsed_s;           /* since the call began */
    uint64_t bytes_sent;        /* summed over the requests of this call */
    uint64_t bytes_to_send;
    uint64_t bytes_received;
    uint64_t bytes_to_receive;  /* 0 when unknown (chunked) */
    int requests_total;         /* > 1 when variations fan out into parallel requests */
    int requests_done;
    int attempt;                /* 1 on the first try of the request that is furthest behind */
    double retry_in_s;          /* in PICTOR_PHASE_RETRY_WAIT: seconds left */
} pictor_progress;

/* Fires on the calling thread at least every 250 ms while a call runs, and at each phase change.
 * Return non-zero to cancel (the call returns PICTOR_ERR_CANCELLED). `progress` is valid only
 * during the callback. */
typedef int (*pictor_progress_fn)(const pictor_progress *progress, void *user_data);

/* An encoded input image (PNG, JPEG or WebP; its type is read from its bytes). Frozen: this
 * struct is used in arrays and will never grow. */
typedef struct pictor_input_image {
    const uint8_t *data;
    size_t size;
    const char *filename;       /* the part's filename; NULL: "image-<n>.<ext>" */
} pictor_input_image;

typedef struct pictor_request {
    uint32_t struct_size;
    const char *prompt;         /* required, at most 32,000 characters */
    const char *size;           /* "auto" or "WxH"; NULL: the route's default */
    const char *quality;        /* "low" | "medium" | "high" | "auto"; NULL: the route's default */
    const char *output_format;  /* "png" | "jpeg" | "webp"; NULL: png */
    int output_compression;     /* 0-100, jpeg / webp only; -1: not sent */
    const char *background;     /* "auto" | "opaque" | "transparent"; NULL: not sent */
    const char *moderation;     /* "auto" | "low"; NULL: not sent; generations only */
    int n;                      /* images wanted (variations); 0: 1 */
    double timeout_s;           /* 0: by quality: low 120 s, medium 240 s, high and auto 600 s */
    /* pictor_edit only: */
    const pictor_input_image *images; /* 1-16; the first is the one the mask applies to */
    size_t image_count;
    const pictor_input_image *mask;   /* optional: PNG with alpha, the size of images[0] */
    pictor_progress_fn progress;      /* optional */
    void *progress_user_data;
} pictor_request;

PICTOR_API pictor_status pictor_request_init_abi(pictor_request *request, size_t struct_size,
                                                int abi_version);
/* Zeroes the request, sets output_compression to -1 and struct_size to the caller's size. */
static inline pictor_status pictor_request_init(pictor_request *request) {
    return pictor_request_init_abi(request, sizeof(*request), PICTOR_ABI_VERSION);
}

/* Checks a request against the client's profile without sending anything. edit: 0 for
 * generations, 1 for edits. On failure the client's last error says what to change. */
PICTOR_API pictor_status pictor_check_request(pictor_client *client, const pictor_request *request,
                                              int edit);

/* The expected price in US dollars of the request as it would be sent (a reference price:
 * gateways bill 2K/4K by tokens). */
PICTOR_API pictor_status pictor_estimate_cost(pictor_client *client, const pictor_request *request,
                                              int edit, double *usd_out);

/* Text to image: POST {base}/images/generations. Blocks until done, failed or cancelled;
 * call it off the host's UI thread. Every image received is written to history before this
 * returns it. When some of several parallel variations failed, the call still succeeds with
 * the images that arrived; pictor_result_json() lists the failures. */
PICTOR_API pictor_status pictor_generate(pictor_client *client, const pictor_request *request,
                                         pictor_result **out);

/* Edit / fuse / inpaint: POST {base}/images/edits (multipart) with request->images and mask. */
PICTOR_API pictor_status pictor_edit(pictor_client *client, const pictor_request *request,
                                     pictor_result **out);

/* ---- results and images ----------------------------------------------------------------- */

PICTOR_API size_t pictor_result_image_count(const pictor_result *result);
/* Borrowed: valid until pictor_result_free; do not pass it to pictor_image_free. */
PICTOR_API const pictor_image *pictor_result_image(const pictor_result *result, size_t index);
/* Metadata as a JSON object, valid until pictor_result_free:
 *   profile, model, endpoint ("generations" | "edits"), size ("WxH" of the first image),
 *   parameters (the fields sent, prompt excluded), usage (summed over calls, or null),
 *   request_ids, cost_usd_estimate (what may be billed), history (paths), images_requested,
 *   timings_ms {connect, upload, wait, download, after_last_byte, total},
 *   errors (variations that failed: {kind, status, code, message, request_id, may_be_billed}),
 *   warnings (strings, e.g. history could not be written). New keys may appear. */
PICTOR_API const char *pictor_result_json(const pictor_result *result);
PICTOR_API void pictor_result_free(pictor_result *result);

PICTOR_API uint32_t pictor_image_width(const pictor_image *image);
PICTOR_API uint32_t pictor_image_height(const pictor_image *image);
/* width * height * 4 bytes, rows top to bottom without padding, straight (not premultiplied)
 * alpha. */
PICTOR_API const uint8_t *pictor_image_rgba(const pictor_image *image);
/* The encoded bytes as the server sent them (or as given to pictor_decode_image); *size 0 and
 * NULL for an image made from pixels. */
PICTOR_API const uint8_t *pictor_image_encoded(const pictor_image *image, size_t *size);
/* "png", "jpeg", "webp" as sniffed from the bytes; "" for an image made from pixels. */
PICTOR_API const char *pictor_image_format(const pictor_image *image);
/* The history file holding this image; "" if it has none. */
PICTOR_API const char *pictor_image_history_path(const pictor_image *image);
PICTOR_API const char *pictor_image_request_id(const pictor_image *image);

/* Decodes a PNG / JPEG / WebP buffer. max_pixels 0: 64 Mpx. Free with pictor_image_free. */
PICTOR_API pictor_status pictor_decode_image(const uint8_t *data, size_t size, uint64_t max_pixels,
                                             pictor_image **out);
/* Copies RGBA8 pixels (stride bytes per row, >= width * 4) into a new image. */
PICTOR_API pictor_status pictor_image_from_rgba(uint32_t width, uint32_t height, const uint8_t *rgba,
                                                size_t stride, pictor_image **out);
/* Encodes to "png" | "jpeg" | "webp". quality 0-100 for jpeg / webp (100 = lossless WebP), -1 for
 * the default (90); PNG uses fast compression. Free *data_out with pictor_free. */
PICTOR_API pictor_status pictor_image_encode(const pictor_image *image, const char *format,
                                             int quality, uint8_t **data_out, size_t *size_out);
PICTOR_API void pictor_image_free(pictor_image *image);

/* Frees memory the library returned to the caller (strings, encoded buffers). */
PICTOR_API void pictor_free(void *memory);

#ifdef __cplusplus
}
#endif

#endif /* PICTOR_PICTOR_H */
