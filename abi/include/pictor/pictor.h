/*
 * pictor — gpt-image-2 image generation and editing for hosts (GIMP, OBS, the command line).
 *
 * The one public header. Its rules, kept for the life of the library:
 *  - Handles are opaque: pictor_client, pictor_result, pictor_image, pictor_job. What the library
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
 *    Callbacks fire on the thread that made the call (jobs: see "the host seam").
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
#define PICTOR_ABI_VERSION 0x0103

/* The library's own version, to compare against the PICTOR_VERSION_* the host was built with. */
PICTOR_API int pictor_version_number(void);
PICTOR_API const char *pictor_version_string(void);
PICTOR_API int pictor_abi_version(void);

/* 1 when this library can serve a host built with the given PICTOR_VERSION_NUMBER and
 * PICTOR_ABI_VERSION: the same ABI high byte, and the same release major (while the major is 0,
 * the same minor too, as the SONAME says); else 0. Hosts call the inline wrapper once, when they
 * load, and refuse to go on (saying to install the host and the library from the same release)
 * rather than crash later. Bindings that cannot use the header (ctypes) pass their numbers. */
PICTOR_API int pictor_library_accepts(int host_version_number, int host_abi_version);
static inline int pictor_library_is_compatible(void) {
    return pictor_library_accepts(PICTOR_VERSION_NUMBER, PICTOR_ABI_VERSION);
}

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

/* ---- limits ---------------------------------------------------------------------------- */

/* The library's limits and defaults, for hosts to show and check the same numbers (a spin
 * button's range, a prompt field's length) instead of copies of them. */
typedef struct pictor_limits {
    uint32_t struct_size;
    uint64_t max_response_bytes;   /* a larger answer is refused (pictor_client_config's 0) */
    uint64_t max_pixels;           /* images declaring more are refused (max_pixels 0) */
    int max_retries;               /* pictor_client_config's -1 */
    double connect_timeout_s;      /* pictor_client_config's 0 */
    uint32_t max_prompt_chars;     /* pictor_request.prompt, in characters */
    uint32_t max_edit_images;      /* image[] parts of an edit (a profile may allow fewer:
                                      "max_edit_images" in pictor_client_profile_json) */
    uint32_t max_reference_layers; /* pictor_command_options.reference_count */
    int default_grow_px;           /* what -1 means in pictor_command_options */
    int default_feather_px;
    int default_context_px;
    int max_grow_px;               /* the largest value pictor_command_options takes */
    int max_feather_px;
    int max_context_px;
    int upload_jpeg_quality;       /* the "visually lossless" JPEG quality of FAST uploads
                                      (pictor_upload_quality), for hosts that encode a frame
                                      themselves (pictor_image_encode) */
    int max_partial_images;        /* the most pictor_request.partial_images takes */
} pictor_limits;

/* Fills the fields struct_size covers. Use the inline wrapper. */
PICTOR_API pictor_status pictor_get_limits_abi(pictor_limits *limits, size_t struct_size, int abi_version);
static inline pictor_status pictor_get_limits(pictor_limits *limits) {
    return pictor_get_limits_abi(limits, sizeof(*limits), PICTOR_ABI_VERSION);
}

/* The detail behind the last failure of a call on a client. Owned by the client; valid until
 * the next call on that client or its destruction. struct_size is set by the library: fields
 * past it (added in later versions) are absent. */
typedef struct pictor_error {
    uint32_t struct_size;
    pictor_status status;     /* PICTOR_OK if the last call succeeded */
    const char *kind;         /* pictor_status_string(status) */
    const char *message;      /* what happened and what to do, ending with "This request may
                                 still be billed." when may_be_billed and "(request id ...)"
                                 when request_id is set: worded once by the library, so a host
                                 shows it as is and decides from the fields, never the text.
                                 Never contains the API key. */
    const char *code;         /* the server's error code, e.g. "moderation_blocked"; "" if none */
    const char *request_id;   /* x-request-id / x-api-request-id; "" if none */
    int http_status;          /* 0 when no HTTP answer was read */
    int request_sent;         /* 0: nothing left this machine, so nothing can be billed */
    int may_be_billed;        /* 1: the server may have generated (and billed) an image */
    /* Appended (read only when struct_size covers it): */
    const char *history_path; /* an image of this request kept in history although the call
                                 failed (e.g. it would not decode); "" if none */
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
     *   key:      PICTOR_API_KEY, else OPENAI_API_KEY, else the desktop keyring (see
     *             pictor_store_api_key), else the config file's "api_key"
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
    const char *ca_file;        /* NULL: $PICTOR_CA_FILE, the config file's "ca_file", else the
                                   system's certificate authorities. Never a fallback to
                                   unverified TLS. */
    /* The limits below: 0 / -1 means "resolve it": with use_environment, from
     * PICTOR_CONNECT_TIMEOUT, PICTOR_MAX_RESPONSE_BYTES, PICTOR_MAX_PIXELS, PICTOR_MAX_RETRIES,
     * else the config file's connect_timeout_s, max_response_bytes, max_pixels, max_retries;
     * else the default given. A bad value there fails pictor_client_create (invalid_request). */
    double connect_timeout_s;   /* 0: 10 s */
    uint64_t max_response_bytes;/* 0: 512 MiB; a larger body is cut and refused (too_large) */
    uint64_t max_pixels;        /* 0: 64 Mpx; images declaring more are refused before decoding */
    int max_retries;            /* -1: 2; retries happen only where nothing can be billed twice */
    int use_environment;        /* 1 after init */
    pictor_log_fn log;          /* NULL: no log */
    void *log_user_data;
    /* Appended (read only when struct_size covers them): */
    /* 1: pictor_generate, pictor_edit and jobs run the request in pictor-request-runner, a helper
     * process installed with the library (in the "pictor" folder beside it; the environment
     * variable PICTOR_REQUEST_RUNNER names another), which owns the HTTP exchange and writes
     * every image to history as usual. If the host goes away (closed, killed, the terminal
     * closed) the helper finishes alone, bounded by the request's timeout, and marks its images
     * "not yet delivered" in history ("delivered": false in pictor_history_list). The key
     * reaches it through a pipe, never a command line or an environment. pictor_client_cancel
     * then means "stop waiting": the call returns PICTOR_ERR_CANCELLED at once and the request
     * goes on; its image lands in history, not yet delivered (a job's pictor_job_cancel alike:
     * the job ends PICTOR_ERR_CANCELLED at once). 0 (the default): in-process. */
    int run_in_helper;
    /* With run_in_helper: 1 makes pictor_client_cancel (and pictor_job_cancel) stop the helper
     * too (the request is abandoned; a request already sent may still be billed). 0: the
     * user's config file decides ("abandon_on_cancel": true, with use_environment). */
    int abandon_on_cancel;
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

/* The resolved profile as JSON (name, base_url, model, size_rule, sizes, suggested_sizes (what a
 * size list offers: the sizes, or the API's presets on a route that takes custom sizes), qualities,
 * max_images_per_request, fields, ...), for dialogs. Valid until the client is destroyed.
 * The key is never part of it; "has_api_key" says whether one was found, "api_key_source" where
 * ("PICTOR_API_KEY", "OPENAI_API_KEY", "the desktop keyring", the config file's path, "the host",
 * or "" without a key), and "api_key_from_environment" is true when an environment variable
 * supplied it (it then wins over a key stored with pictor_store_api_key). */
PICTOR_API const char *pictor_client_profile_json(const pictor_client *client);

/* A check that costs nothing: GET {base_url}/models with the client's key, timeouts and
 * certificate authorities (never an image request, never retried). *json_out (free with
 * pictor_free): {"url": the address asked, "result": "ok" (reachable, key accepted) |
 * "key_refused" (401 / 403) | "unreachable" (no HTTP answer; "error" says why) |
 * "no_model_list" (the address answers but the route serves no model list, so the key could not
 * be checked) | "no_key" (nothing sent) | "unexpected" (another status), "status": the HTTP
 * status or 0, "error": the cause or "", "models": the ids listed ([] unless "ok")}. Returns
 * PICTOR_OK whenever the check ran (whatever it found); blocks up to the connect timeout plus
 * 30 s, cancellable with pictor_client_cancel. */
PICTOR_API pictor_status pictor_client_check_connection(pictor_client *client, char **json_out);

/* Every profile found (installed and the user's) as a JSON array of profile objects.
 * Free with pictor_free. profile_dir: as in pictor_client_config, may be NULL. */
PICTOR_API pictor_status pictor_list_profiles(const char *profile_dir, char **json_out);

/* The same list, and what it left out: a JSON object {"profiles": [as pictor_list_profiles],
 * "skipped": [{"file": PATH, "reason": TEXT}, ...]}, one entry for each *.json in the profile
 * folders that is not a profile (a folder, a symbolic link to nothing, a file that cannot be read,
 * is not valid JSON or not a valid profile). Show "skipped" to the user as a warning: such a file
 * is usually a profile they meant to add. Free with pictor_free. */
PICTOR_API pictor_status pictor_list_profiles_report(const char *profile_dir, char **json_out);

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
    uint64_t bytes_to_send;     /* 0 when unknown (later parts still being encoded as it goes) */
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

/* A preview while the image generates (pictor_request.partial_images > 0 on a route that
 * streams): the partial image decoded (RGBA and encoded bytes; no history path), its index
 * (0-based) of `total` per image. Fires on the calling thread; `partial` is valid only during
 * the callback (copy what you keep). */
typedef void (*pictor_partial_image_fn)(const pictor_image *partial, int index, int total,
                                        void *user_data);

/* An encoded input image (PNG, JPEG or WebP; its type is read from its bytes). Frozen: this
 * struct is used in arrays and will never grow. */
typedef struct pictor_input_image {
    const uint8_t *data;
    size_t size;
    const char *filename;       /* the part's filename; NULL: "image-<n>.<ext>" */
} pictor_input_image;

/* One field for pictor_request.extra_fields. Frozen: used in arrays, it will never grow. */
typedef struct pictor_extra_field {
    const char *name;
    const char *json_value; /* JSON text: 3, true, "text", {"a": 1}; generations send it as that
                               JSON value, edits as a form field (a string as is, else the JSON
                               text). Invalid JSON: PICTOR_ERR_INVALID_ARGUMENT. */
} pictor_extra_field;

typedef struct pictor_request {
    uint32_t struct_size;
    const char *prompt;         /* required, at most 32,000 characters */
    const char *size;           /* "auto" or "WxH"; NULL: the route's default */
    const char *quality;        /* "low" | "medium" | "high" | "auto", or another name the model's
                                   entry lists ("xhigh"); NULL: the route's default */
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
    /* Appended (read only when struct_size covers them; pictor_request_init zeroes them): */
    int partial_images;               /* previews while generating (stream: true), 0 (none) to
                                         pictor_limits.max_partial_images */
    pictor_partial_image_fn partial_image; /* optional: each preview as it arrives */
    void *partial_image_user_data;
    double max_cost_usd;              /* > 0: refuse (before sending) a request whose estimate is
                                         above; 0: the user's max_cost_usd setting, if any. A model
                                         whose profile entry states no price is then refused. */
    /* Appended: models and fields a profile describes (read only when struct_size covers
     * them; pictor_request_init zeroes them). */
    const char *model;                /* one of the profile's "models" (pictor_client_profile_json);
                                         NULL: the client's (its config's model, else the
                                         profile's default). The checks are that model's. */
    const char *complexity;           /* a name of the model's "complexities"; NULL: not sent */
    /* Fields pictor does not know, sent as given after everything else: pictor cannot check
     * them, and the route may reject them or bill them; a profile may refuse them all
     * ("extra_fields": "forbid"), before anything is sent. Fields pictor sets itself (model,
     * size, quality, ...) are refused here. */
    const pictor_extra_field *extra_fields;
    size_t extra_field_count;
    /* pictor_edit only, where the model's entry has "markup": true: a PNG with alpha, the size
     * of images[0], transparent but for what the user drew (arrows, notes) to say what to
     * change; sent as the part "markup". Never together with mask. NULL: none. */
    const pictor_input_image *markup;
    /* Appended: how pictor encodes what it sends (jobs: the layers; pictor_edit: images over
     * the route's per-image limit), always to fit the profile's limits (read only when
     * struct_size covers them; pictor_request_init zeroes them). The parts sent are listed in
     * the result JSON as "uploads" (name, format, bytes, width, height, downscaled). */
    int upload_quality;               /* pictor_upload_quality: DEFAULT (0): the user's setting
                                         (config "upload_quality", PICTOR_UPLOAD_QUALITY), else
                                         lossless. LOSSLESS: PNG when it fits, else visually
                                         lossless JPEG (opaque) / lossless WebP, else scaled down
                                         (a mask with it). FAST: that JPEG / WebP even when PNG
                                         fits; pictor_edit sends an opaque PNG image as that
                                         JPEG (one with transparency stays PNG) */
    int keep_uploads;                 /* pictor_edit: 1 = send images as given and refuse one over
                                         the route's limit; 0 = re-encode it to fit */
} pictor_request;

typedef enum pictor_upload_quality {
    PICTOR_UPLOAD_DEFAULT = 0,
    PICTOR_UPLOAD_LOSSLESS = 1,
    PICTOR_UPLOAD_FAST = 2
} pictor_upload_quality;


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
 * gateways bill 2K/4K by tokens), from the model's entry in the profile; -1 when that entry
 * states no price ("unknown": pictor does not guess). */
PICTOR_API pictor_status pictor_estimate_cost(pictor_client *client, const pictor_request *request,
                                              int edit, double *usd_out);

/* The size a request with size "canvas" sends for a canvas of canvas_width x canvas_height
 * (see PICTOR_COMMAND_GENERATE_AS_NEW_LAYER): the allowed size nearest the canvas's aspect;
 * 0 x 0 when the route takes no size. Local: for showing that size and its price before a
 * request (pictor_estimate_cost with it as request->size). */
PICTOR_API pictor_status pictor_canvas_request_size(pictor_client *client, uint32_t canvas_width,
                                                    uint32_t canvas_height, uint32_t *width_out,
                                                    uint32_t *height_out);

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
/* 1 when the encoded bytes declare an alpha channel (PNG colour type gray+alpha or RGBA, a tRNS
 * chunk, WebP alpha), even if every pixel is opaque; 0 otherwise, and for an image made from
 * pixels. A host reading a file as a selection takes its alpha when the file says it is meant. */
PICTOR_API int pictor_image_has_alpha(const pictor_image *image);

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

/* ---- the host seam: commands that read and write a host's layers -------------------------
 *
 * A host with layers (GIMP, Krita, the command line's inpaint, a test) describes its
 * document through a pictor_host table of callbacks and starts a command as a job. (The OBS
 * module has no layers: it sends a source's frame with pictor_edit and a prompt with
 * pictor_generate, on a thread of its own.) The library reads the layers and the
 * selection it needs, sends the request on a worker thread, and hands the finished layers back.
 *
 * Coordinates: "canvas space" is the image's pixel grid (GIMP's image).
 * A layer has its own size and an offset in canvas space (GIMP layers may be smaller than the
 * canvas or hang over its edge); "layer space" is that layer's own pixel grid.
 *
 * Threads (pictor_job_callback_thread() reports the mode of a job):
 *  - The read callbacks (canvas_size, describe_layer, read_layer, describe_selection,
 *    read_selection) fire only inside pictor_job_start, on the thread that called it, so a host
 *    whose API is single-threaded (libgimp) reads its document on its own thread.
 *  - The write callbacks (add_layer, progress, preview, message) fire
 *      PICTOR_CALLBACKS_ON_DISPATCH (default): inside pictor_job_dispatch() / pictor_job_wait(),
 *        on the thread that calls them — the host's own thread, never the worker;
 *      PICTOR_CALLBACKS_ON_WORKER: on the job's worker thread, as soon as they happen; the host
 *        marshals them itself (onto its UI thread's own queue).
 *  - Pointers passed to a callback are valid only during that call.
 *  - A callback's int return: 0 = go on; non-zero = failure (read/add) or cancel (progress).
 */

typedef struct pictor_job pictor_job;

/* A layer as the host sees it. */
typedef struct pictor_layer_desc {
    uint32_t struct_size;       /* set by the library before the call */
    uint32_t width, height;     /* the layer's own size in pixels */
    int32_t offset_x, offset_y; /* its top-left corner in canvas space */
    const char *name;           /* optional, for messages; copied by the library */
} pictor_layer_desc;

/* The selection's extent in canvas space. */
typedef struct pictor_selection_desc {
    uint32_t struct_size;       /* set by the library before the call */
    int is_empty;               /* 1: nothing is selected */
    int32_t x, y;               /* bounds of the non-zero coverage, clipped to the canvas */
    uint32_t width, height;
} pictor_selection_desc;

/* A new layer the job made, for the host to insert. */
typedef struct pictor_new_layer {
    uint32_t struct_size;
    const char *name;           /* "Pictor: <prompt, shortened>" (+ " (k/n)" for variations) */
    int32_t offset_x, offset_y; /* where it goes, in canvas space */
    uint32_t width, height;
    const uint8_t *rgba;        /* the model's pixels, straight alpha, stride = width * 4 */
    /* inpaint (and an edit with a selection): the feathered selection over this layer's rect,
     * 8-bit, stride = width (255 = show the model's pixel); NULL when the layer needs no mask. */
    const uint8_t *mask;
    /* rgba with its alpha multiplied by mask, for hosts without layer masks; == rgba when
     * mask is NULL. */
    const uint8_t *masked_rgba;
    /* rgba blended through mask over the source layer's pixels at this rect: what the canvas
     * shows once the new layer is merged down. Outside the mask it is the source, byte for
     * byte. == rgba when mask is NULL. */
    const uint8_t *composited_rgba;
    int32_t above_layer;        /* the host's id of the layer it goes above (the active one) */
    int variation;              /* 0-based index among the images of this job */
    int variation_count;
    const char *history_path;   /* the image as received, in history; "" if none */
    const char *request_id;
} pictor_new_layer;

typedef enum pictor_message_level {
    PICTOR_MESSAGE_INFO = 0,
    PICTOR_MESSAGE_WARNING = 1,
    PICTOR_MESSAGE_ERROR = 2
} pictor_message_level;

/* The bounds of the non-zero pixels of an 8-bit coverage (width x height, stride bytes per row)
 * as a selection_desc (struct_size set by the caller, as for describe_selection): what a host's
 * describe_selection answers when its selection is a plain coverage buffer. */
PICTOR_API pictor_status pictor_coverage_bounds(const uint8_t *coverage, uint32_t width, uint32_t height,
                                                size_t stride, pictor_selection_desc *desc);

typedef struct pictor_host {
    uint32_t struct_size;
    void *user_data;
    /* Required by every command. */
    int (*canvas_size)(void *user_data, uint32_t *width, uint32_t *height);
    int (*describe_layer)(void *user_data, int32_t layer, pictor_layer_desc *desc);
    /* Copies the rectangle (x, y, width, height) in LAYER space, which the library keeps inside
     * the layer, as RGBA8 straight alpha into rgba (stride bytes per row). */
    int (*read_layer)(void *user_data, int32_t layer, int32_t x, int32_t y, uint32_t width,
                      uint32_t height, uint8_t *rgba, size_t stride);
    /* Optional (NULL: the host has no selection). */
    int (*describe_selection)(void *user_data, pictor_selection_desc *desc);
    /* Copies the coverage (0 = not selected, 255 = selected, soft in between) of the rectangle
     * in CANVAS space, inside the canvas, into coverage (stride bytes per row). */
    int (*read_selection)(void *user_data, int32_t x, int32_t y, uint32_t width, uint32_t height,
                          uint8_t *coverage, size_t stride);
    /* Required for results. A failure is reported, and the image stays in history. */
    int (*add_layer)(void *user_data, const pictor_new_layer *layer);
    /* Optional. Return non-zero to cancel the job. */
    int (*progress)(void *user_data, const pictor_progress *progress);
    /* Optional: a partial image while the route streams (index 0-based, of `total`). */
    void (*preview)(void *user_data, const pictor_image *partial, int index, int total);
    /* Optional: things the user should read (warnings, "may still be billed", the error). */
    void (*message)(void *user_data, pictor_message_level level, const char *text);
} pictor_host;

PICTOR_API pictor_status pictor_host_init_abi(pictor_host *host, size_t struct_size, int abi_version);
/* Sets every callback and user_data to NULL and struct_size to the caller's size. */
static inline pictor_status pictor_host_init(pictor_host *host) {
    return pictor_host_init_abi(host, sizeof(*host), PICTOR_ABI_VERSION);
}

typedef enum pictor_command {
    /* The request's size may be "auto", "WxH", or "canvas": the valid size closest to the
     * canvas's aspect, the result scaled to the canvas. n > 1: one layer per image. */
    PICTOR_COMMAND_GENERATE_AS_NEW_LAYER = 1,
    /* The selection of `layer`, grown, feathered and padded with context, is sent at the
     * best size the route accepts, with a mask; the result is composited back through the
     * feathered selection. Fails with PICTOR_ERR_INVALID_REQUEST (nothing sent) when the
     * selection is empty. */
    PICTOR_COMMAND_INPAINT_SELECTION = 2,
    /* `layer` first, then up to 15 reference_layers, sent as image[]; the selection, when
     * there is one, as the mask. The result is scaled to the canvas. */
    PICTOR_COMMAND_EDIT_WITH_REFERENCES = 3
} pictor_command;

typedef enum pictor_callback_thread {
    PICTOR_CALLBACKS_ON_DISPATCH = 0,
    PICTOR_CALLBACKS_ON_WORKER = 1
} pictor_callback_thread;

typedef struct pictor_command_options {
    uint32_t struct_size;
    pictor_command command;
    /* prompt, size, quality, output_format, n, timeout... as for pictor_generate. Its
     * images, mask and progress fields are ignored: the layers are read from the host and
     * progress goes to host->progress. Copied by pictor_job_start. */
    const pictor_request *request;
    int32_t layer;                     /* the host's id of the active layer */
    const int32_t *reference_layers;   /* edit_with_references: other layers, in order */
    size_t reference_count;            /* at most 15 */
    int grow_px;                       /* -1: default 4. The selection grows by this much. */
    int feather_px;                    /* -1: default 8. Soft edge width, outside the grown one. */
    int context_px;                    /* -1: default 64. Image around the selection sent. */
    pictor_callback_thread callback_thread;
    /* Appended (read only when struct_size covers it; pictor_command_options_init sets -1):
     * edit_with_references only: the host's id of a layer holding what the user drew to say
     * what to change (arrows, notes, on transparency). Read over the canvas like `layer`, at the
     * size the first image is sent, and sent as the request's markup (PNG with alpha), where
     * the model's profile entry has "markup": true. Refused (nothing sent) with a selection:
     * a request takes a markup or a mask, not both. -1: none. */
    int32_t markup_layer;
} pictor_command_options;

PICTOR_API pictor_status pictor_command_options_init_abi(pictor_command_options *options,
                                                         size_t struct_size, int abi_version);
/* Zeroes the options, sets grow/feather/context and markup_layer to -1 and struct_size to the
 * caller's size. */
static inline pictor_status pictor_command_options_init(pictor_command_options *options) {
    return pictor_command_options_init_abi(options, sizeof(*options), PICTOR_ABI_VERSION);
}

/* Reads what the command needs from the host (on this thread), validates it against the
 * client's profile, and starts the request on a worker thread. On failure nothing was sent,
 * *out is NULL and the client's last error says why. The client belongs to the job until
 * pictor_job_destroy; host must stay valid until then too. */
PICTOR_API pictor_status pictor_job_start(pictor_client *client, const pictor_host *host,
                                          const pictor_command_options *options, pictor_job **out);

/* ON_DISPATCH jobs: delivers queued callbacks on the calling thread, waiting up to timeout_ms
 * for one to arrive (0: do not wait). Returns 1 while the job runs or has undelivered
 * callbacks, 0 once it is finished and everything was delivered. ON_WORKER jobs: waits up to
 * timeout_ms for the end; same return values. */
PICTOR_API int pictor_job_dispatch(pictor_job *job, int timeout_ms);

/* Dispatches until the job ends; returns its status. */
PICTOR_API pictor_status pictor_job_wait(pictor_job *job);

/* From any thread: the job stops waiting within about 100 ms and ends with
 * PICTOR_ERR_CANCELLED (a request already sent may still be billed; the message says so). */
PICTOR_API void pictor_job_cancel(pictor_job *job);

/* From any thread: like pictor_job_cancel, and on a client with run_in_helper the helper process
 * stops too, as with abandon_on_cancel: the request is thrown away and its image, if the server
 * makes one, is not kept (a request already sent may still be billed; the message says so).
 * Hosts offer it as a second button beside "Stop waiting". */
PICTOR_API void pictor_job_abandon(pictor_job *job);

/* 1 once the worker has finished (callbacks may still be queued). */
PICTOR_API int pictor_job_is_finished(const pictor_job *job);
/* The job's status once finished (PICTOR_OK while it runs). */
PICTOR_API pictor_status pictor_job_status(const pictor_job *job);
/* The job's error once finished; never NULL. Valid until pictor_job_destroy. */
PICTOR_API const pictor_error *pictor_job_error(const pictor_job *job);
/* Metadata once finished: pictor_result_json's keys plus "command", "layers_added",
 * "crop" {x, y, width, height} and "request_size" for inpaint. NULL while running. */
PICTOR_API const char *pictor_job_result_json(const pictor_job *job);
PICTOR_API pictor_callback_thread pictor_job_callback_thread(const pictor_job *job);

/* Cancels a running job and waits for its worker (at most about 100 ms), then frees it.
 * Undelivered callbacks are dropped; images received are in history. Accepts NULL. */
PICTOR_API void pictor_job_destroy(pictor_job *job);

/* ---- history and the stored key -----------------------------------------------------------
 *
 * Every image a request brought is in the history folder before the host sees it (see
 * pictor_client_config.history_dir). These calls read it back: a "recent images" menu, or
 * re-inserting an image after the host crashed or was closed mid-job. They take no client,
 * may be called from any thread, and report failures through pictor_thread_last_error().
 * history_dir NULL: $PICTOR_HISTORY_DIR, else $XDG_DATA_HOME/pictor/history.
 */

/* Every entry, oldest first, as a JSON array of objects: id, time (UTC, ISO 8601), profile,
 * model, size ("WxH"), quality, prompt, request_id, cost_usd_estimate (a number, or null when
 * unknown), format, image_path, sidecar_path, delivered (false: the image arrived after its
 * host had gone, see pictor_client_config.run_in_helper; offer to insert or export it, then call
 * pictor_history_mark_delivered). An image whose sidecar was never written (the
 * process died between the two) is listed with "" for what only the sidecar knows. A missing
 * folder is an empty array. New keys may appear. Free *json_out with pictor_free. */
PICTOR_API pictor_status pictor_history_list(const char *history_dir, char **json_out);

/* The entries whose prompt contains text (ASCII letters in any case) or whose id starts with
 * it, NEWEST first, as pictor_history_list's objects; text NULL or "" matches every entry.
 * limit 0: all of them. Free *json_out with pictor_free. */
PICTOR_API pictor_status pictor_history_search(const char *history_dir, const char *text, size_t limit,
                                               char **json_out);

/* One entry (id as for pictor_history_load) as pictor_history_list's object plus "sidecar":
 * everything its sidecar holds ({} without one). Free *json_out with pictor_free. */
PICTOR_API pictor_status pictor_history_entry(const char *history_dir, const char *id, char **json_out);

/* The path of a PNG thumbnail of the entry's image, 128 pixels on its longest side (smaller
 * images keep their size), kept in <history_dir>/thumbnails/. Made the first time it is asked
 * for (the only time the image is decoded), then reused as it is. Decode it with
 * pictor_decode_image or the host's toolkit. Free *path_out with pictor_free.
 * PICTOR_ERR_IO: the entry has no image file; PICTOR_ERR_BAD_IMAGE: its image does not decode. */
PICTOR_API pictor_status pictor_history_thumbnail(const char *history_dir, const char *id, char **path_out);

/* Deletes an entry for good: its image, its thumbnail and its sidecar. The image was paid for:
 * hosts ask the user first. PICTOR_ERR_INVALID_REQUEST: no such entry. */
PICTOR_API pictor_status pictor_history_delete(const char *history_dir, const char *id);

/* Decodes one entry's image. id: as listed, or a prefix that matches exactly one entry.
 * pictor_image_encoded gives the bytes as received, pictor_image_history_path the file,
 * pictor_image_request_id the request id. max_pixels 0: 64 Mpx. Free with pictor_image_free.
 * PICTOR_ERR_INVALID_REQUEST: no such entry; PICTOR_ERR_BAD_IMAGE / PICTOR_ERR_TOO_LARGE: its
 * bytes do not decode (they stay on disk). */
PICTOR_API pictor_status pictor_history_load(const char *history_dir, const char *id, uint64_t max_pixels,
                                             pictor_image **out);

/* Clears entry id's "not yet delivered" mark (pictor_history_list's delivered: false), once the
 * host has inserted or exported its image. PICTOR_ERR_IO when its sidecar cannot be rewritten. */
PICTOR_API pictor_status pictor_history_mark_delivered(const char *history_dir, const char *id);

typedef enum pictor_key_store {
    PICTOR_KEY_STORE_AUTO = 0,       /* the desktop keyring when reachable, else the config file */
    PICTOR_KEY_STORE_KEYRING = 1,    /* the desktop keyring, or fail (PICTOR_ERR_IO) */
    PICTOR_KEY_STORE_CONFIG_FILE = 2 /* "api_key" in $XDG_CONFIG_HOME/pictor/config.json, mode 0600 */
} pictor_key_store;

/* Keeps an API key for later clients (`pictor login`). Clients resolve the key in this order:
 * the host's pictor_client_config.api_key, PICTOR_API_KEY, OPENAI_API_KEY, the desktop keyring,
 * the config file. *where_json_out (NULL allowed; free with pictor_free) says where it went:
 * {"keyring": true|false, "where": "the desktop keyring (libsecret)" or the file's path,
 *  "keyring_problem": why the keyring was not used, or ""}. The key itself is never part of
 * it nor of any error message. The desktop may show its unlock prompt: call it off the UI
 * thread. The keyring is reached only over an existing D-Bus session, never autolaunched. */
PICTOR_API pictor_status pictor_store_api_key(const char *api_key, pictor_key_store where,
                                              char **where_json_out);

/* Makes `profile` the default profile of later clients: the config file's "profile" (used when
 * neither the host nor PICTOR_PROFILE names one). NULL or "" removes it (the default is then
 * "openai"). Other settings of the file are kept; it stays mode 0600. A name no installed or
 * user profile has fails with PICTOR_ERR_INVALID_REQUEST listing the known names.
 * *where_out (NULL allowed; free with pictor_free): the config file's path. */
PICTOR_API pictor_status pictor_store_default_profile(const char *profile, char **where_out);

/* The user's upload quality (pictor_request.upload_quality DEFAULT uses it): the config file's
 * "upload_quality", kept as pictor_store_default_profile keeps "profile". PICTOR_UPLOAD_DEFAULT
 * removes it (lossless, unless PICTOR_UPLOAD_QUALITY says otherwise). *where_out as there. */
PICTOR_API pictor_status pictor_store_upload_quality(int quality, char **where_out);
/* What DEFAULT means now: PICTOR_UPLOAD_QUALITY, else the config file's, else LOSSLESS.
 * *from_environment_out (NULL allowed): 1 when PICTOR_UPLOAD_QUALITY decided it (it then wins
 * over the stored setting). An unreadable value is reported as LOSSLESS. */
PICTOR_API pictor_upload_quality pictor_upload_quality_setting(int *from_environment_out);

/* Frees memory the library returned to the caller (strings, encoded buffers). */
PICTOR_API void pictor_free(void *memory);

#ifdef __cplusplus
}
#endif

#endif /* PICTOR_PICTOR_H */
