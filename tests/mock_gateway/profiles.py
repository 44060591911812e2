"""The routes the mock serves, as data: which model each expects and how each behaves.

The rules themselves live in validation.py; this module only says which rule set,
limits and response habits apply to a profile (the routes as their own documentation describes them: see README.md beside this file).
"""

from dataclasses import dataclass

# Rule sets, one per family of real routes.
OFFICIAL = "official"  # OpenAI's Images API, or a relay that passes it through untouched
VIP = "vip"            # reverse Codex route: 30 fixed sizes, no quality, url by default
ALL = "all"            # apiyi's gpt-image-2-all: no size, no quality
REVERSE = "reverse"    # laozhang default group (reverse ChatGPT web): no size, no quality
RUOLI = "ruoli"        # new-api pass-through with dall-e-3 style quality names

# Error flavours: how an API error body is typed when the mock injects one.
OPENAI_ERRORS = "openai"
APIYI_ERRORS = "apiyi"      # apiyi relays with type "shell_api_error"
NEW_API_ERRORS = "new_api"  # laozhang and ruoli run new-api: type "new_api_error"

MB = 1024 * 1024


@dataclass(frozen=True)
class NewerModel:
    """What a model released after gpt-image-2 accepts beyond it (GATEWAYS.md, "Newer models")."""
    qualities: tuple          # quality values beyond low/medium/high/auto
    complexity: bool          # takes complexity low/medium/high
    markup: bool              # edits take a `markup` part


# Served by the official-style routes (openai, apiyi, laozhang-official) besides their own
# model, so a user profile naming one can be tried against the mock. The facts are
# second-hand; pictor's own code assumes none of them (its profiles state them).
NEWER_MODELS = {
    "gpt-image-2.5-flare": NewerModel(("xhigh", "max"), False, False),
    "gpt-image-2.5-sunburst": NewerModel(("xhigh", "max"), False, False),
    "gpt-image-2.6-flare": NewerModel(("xhigh", "max"), True, True),
    "gpt-image-2.6-sunburst": NewerModel(("xhigh", "max"), True, True),
}
COMPLEXITY = ("low", "medium", "high")


@dataclass(frozen=True)
class Profile:
    name: str
    model: str
    rules: str
    errors: str
    request_id_header: str
    max_file_bytes: int
    n_max: int                # largest n that yields n images (vip/all/reverse: n is not honoured)
    transparent_ok: bool      # background=transparent accepted
    default_delivery: str     # "b64" or "url" when response_format is absent
    b64_style: str            # how b64_json is written by default (see scenarios.B64_STYLES)
    official_body: bool       # response carries created/usage (official-style routes)
    streams: bool             # honours stream=true with server-sent events
    # Endpoints the route serves; another one gets the gateway's wrong-endpoint reply.
    endpoints: tuple = ("generations", "edits")
    # OpenAI: "a valid PNG file, less than 4MB" (its API reference, `mask`); the official
    # transit route forwards there. None: only max_file_bytes applies.
    max_mask_bytes: int | None = None

    @property
    def new_api(self) -> bool:
        return self.errors == NEW_API_ERRORS


PROFILES = {
    p.name: p
    for p in [
        Profile("openai", "gpt-image-2", OFFICIAL, OPENAI_ERRORS, "x-request-id",
                50 * MB, 10, True, "b64", "raw", True, True, max_mask_bytes=4 * MB - 1),
        Profile("apiyi", "gpt-image-2", OFFICIAL, APIYI_ERRORS, "x-request-id",
                10 * MB, 1, False, "b64", "raw", True, True),
        Profile("apiyi-vip", "gpt-image-2-vip", VIP, APIYI_ERRORS, "x-request-id",
                10 * MB, 1, True, "url", "dataurl", False, False),
        Profile("apiyi-all", "gpt-image-2-all", ALL, APIYI_ERRORS, "x-request-id",
                10 * MB, 1, True, "b64", "dataurl", False, False),
        Profile("laozhang", "gpt-image-2", REVERSE, NEW_API_ERRORS, "x-api-request-id",
                50 * MB, 1, True, "b64", "dataurl_nopad", False, False),
        Profile("laozhang-vip", "gpt-image-2-vip", VIP, NEW_API_ERRORS, "x-api-request-id",
                50 * MB, 1, True, "url", "dataurl", False, False),
        Profile("laozhang-official", "gpt-image-2", OFFICIAL, NEW_API_ERRORS, "x-request-id",
                50 * MB, 10, True, "b64", "raw", True, True, max_mask_bytes=4 * MB - 1),
        # RuoLi documents /v1/images/generations only (reference/gateway-docs/000_*.txt).
        Profile("ruoli", "gpt-image-2", RUOLI, NEW_API_ERRORS, "x-request-id",
                50 * MB, 10, True, "b64", "raw", True, False, endpoints=("generations",)),
    ]
}

# The seven presets every official-style route documents.
PRESET_SIZES = ("1024x1024", "1536x1024", "1024x1536", "2048x2048",
                "2048x1152", "3840x2160", "2160x3840")

# The 30 sizes of the vip routes: 10 ratios x 1K / 2K / 4K.
VIP_SIZES = (
    "1280x1280", "2048x2048", "2880x2880",
    "848x1280", "1360x2048", "2336x3520",
    "1280x848", "2048x1360", "3520x2336",
    "960x1280", "1536x2048", "2480x3312",
    "1280x960", "2048x1536", "3312x2480",
    "1024x1280", "1632x2048", "2560x3216",
    "1280x1024", "2048x1632", "3216x2560",
    "720x1280", "1152x2048", "2160x3840",
    "1280x720", "2048x1152", "3840x2160",
    "1280x544", "2048x864", "3840x1632",
)
VIP_DEFAULT_SIZE = "1280x1280"  # what the vip routes fall back to when size is omitted

# Output size when a route decides ("auto" or no size): generations get a square,
# edits get whichever of these three is closest to the first input's aspect ratio.
AUTO_SIZE = (1024, 1024)
AUTO_EDIT_SIZES = ((1024, 1024), (1536, 1024), (1024, 1536))


def parse_size(text):
    """'1536x1024' -> (1536, 1024); None when not WIDTHxHEIGHT with a lowercase x."""
    if not isinstance(text, str):
        return None
    w, sep, h = text.partition("x")
    if not sep or not w.isdigit() or not h.isdigit() or not w.isascii() or not h.isascii():
        return None
    return int(w), int(h)


def official_size_problem(text):
    """Why a custom size breaks gpt-image-2's rules, or None when it is valid."""
    wh = parse_size(text)
    if wh is None:
        return "expected 'auto' or WIDTHxHEIGHT"
    w, h = wh
    long_edge, short_edge = max(w, h), min(w, h)
    if long_edge > 3840:
        return "the longest edge must be at most 3840"
    if w % 16 or h % 16:
        return "both edges must be multiples of 16"
    if short_edge == 0 or long_edge > 3 * short_edge:
        return "the aspect ratio must be between 1:3 and 3:1"
    if not 655_360 <= w * h <= 8_294_400:
        return "the total pixel count must be between 655360 and 8294400"
    return None
