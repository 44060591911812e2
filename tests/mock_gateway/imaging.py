"""Images the mock serves and inspects.

Outputs are deterministic: the same (prompt, index, width, height) always gives the same
pixels, so tests can compare results across runs, and each of n images looks different.
"""

import hashlib
import io
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter

MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
EXT = {"png": "png", "jpeg": "jpg", "webp": "webp"}
_PIL_FORMAT = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}


def sniff(data):
    """The format named by the magic bytes: 'png', 'jpeg', 'webp' or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def inspect(data):
    """{'format', 'width', 'height', 'mode', 'alpha'} of an encoded image, or None if unreadable.

    Only the header is read (PIL decodes lazily), so large uploads stay cheap.
    """
    try:
        with Image.open(io.BytesIO(data)) as im:
            alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
            return {"format": _PIL_FORMAT.get(im.format, (im.format or "").lower()),
                    "width": im.width, "height": im.height, "mode": im.mode, "alpha": alpha}
    except Exception:  # any decoder complaint means "not an image we accept"
        return None


# Uploads larger than this are described from their header only (a 16-image 4K edit still fits).
MAX_DECODED_PIXELS = 40_000_000


def decode_rgba(data):
    """The upload's pixels as an RGBA PIL image, or None when unreadable or too large."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width * im.height > MAX_DECODED_PIXELS:
                return None
            return im.convert("RGBA")
    except Exception:  # any decoder complaint: nothing to describe
        return None


def pixel_summary(rgba):
    """What a test needs to check an upload's pixels without fetching them.

    pixels_sha256: SHA-256 of the RGBA8 rows, top to bottom (any decoder yields the same bytes);
    alpha: {min, max, zero, opaque, partial} pixel counts; alpha_zero_bbox / alpha_below_255_bbox:
    [x0, y0, x1, y1) of the fully transparent / not fully opaque pixels, or None.
    """
    alpha = rgba.getchannel("A")
    hist = alpha.histogram()
    lo, hi = alpha.getextrema()
    zero_bbox = alpha.point(lambda v: 255 if v == 0 else 0).getbbox()
    below_bbox = alpha.point(lambda v: 255 if v < 255 else 0).getbbox()
    return {"pixels_sha256": hashlib.sha256(rgba.tobytes()).hexdigest(),
            "alpha": {"min": lo, "max": hi, "zero": hist[0], "opaque": hist[255],
                      "partial": sum(hist[1:255])},
            "alpha_zero_bbox": list(zero_bbox) if zero_bbox else None,
            "alpha_below_255_bbox": list(below_bbox) if below_bbox else None}


def answer_from_upload(first, mask, prompt, index, width, height):
    """An edit answer that depends on the upload, roughly as the model behaves: the first image
    (scaled to the output size) where the mask is opaque, a fresh render where it is transparent,
    blended by the mask's alpha. Without a mask, the first image as it was sent."""
    base = first.convert("RGB").resize((width, height), Image.BILINEAR)
    if mask is None:
        return base
    painted = render(prompt, index, width, height)
    keep = mask.getchannel("A").resize((width, height), Image.BILINEAR)
    return Image.composite(base, painted, keep)


def render(prompt, index, width, height, transparent=False):
    """A gradient with a few shapes, coloured from a hash of the prompt and image index."""
    d = hashlib.sha256(f"{prompt}\0{index}".encode()).digest()
    ramp = Image.linear_gradient("L")  # 256x256, black at the top, white at the bottom
    across = ramp.rotate(90).resize((width, height), Image.BILINEAR)
    down = ramp.resize((width, height), Image.BILINEAR)
    red = across.point(lambda v: d[0] + (d[1] - d[0]) * v // 255)
    green = down.point(lambda v: d[2] + (d[3] - d[2]) * v // 255)
    blue = Image.new("L", (width, height), d[4])
    im = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(im)
    for k in range(6):
        x, y = d[5 + k] * width // 256, d[11 + k] * height // 256
        box = [x, y, x + width // 5, y + height // 5]
        colour = (d[17 + k], d[23 + k % 8], d[k + 1])
        (draw.ellipse if (d[k] + index) % 2 else draw.rectangle)(box, fill=colour)
    if transparent:
        # An opaque oval on a transparent ground, so "transparent" is visible in the result.
        alpha = Image.new("L", (width, height), 0)
        ImageDraw.Draw(alpha).ellipse([width // 8, height // 8, width * 7 // 8, height * 7 // 8],
                                      fill=255)
        im.putalpha(alpha)
    return im


def encode(im, fmt, compression=None):
    """Encode quickly (a 3840x2160 PNG in well under a second); compression is 0-100 quality."""
    buf = io.BytesIO()
    quality = 100 if compression is None else max(0, min(100, int(compression)))
    if fmt == "png":
        im.save(buf, "PNG", compress_level=1)
    elif fmt == "jpeg":
        im.convert("RGB").save(buf, "JPEG", quality=max(1, min(95, quality)))
    elif fmt == "webp":
        im.save(buf, "WEBP", quality=quality, method=0)
    else:
        raise ValueError(fmt)
    return buf.getvalue()


def partial(im, step, total):
    """A lower-detail version of the final image: the earlier the partial, the blurrier."""
    radius = max(im.width, im.height) / 64 * (total - step)
    small = im.reduce(8) if min(im.size) >= 64 else im
    return small.filter(ImageFilter.GaussianBlur(radius / 8)).resize(im.size, Image.BILINEAR)


def bomb_png(width=50000, height=50000):
    """A small, well-formed-looking PNG whose header declares a huge image.

    CRCs are correct, so only a decoder that checks dimensions before allocating is safe.
    """
    def chunk(kind, payload):
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = (b"\x00" + b"\x00" * (3 * width)) * 4  # four blank scanlines, then nothing
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def bomb_jpeg(width=65500, height=65500):
    """A real 16x16 JPEG whose SOF header is patched to declare width x height (max 65535)."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 40, 40)).save(buffer, "JPEG", quality=80)
    data = bytearray(buffer.getvalue())
    at = 2
    while at + 4 <= len(data):
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):  # SOF: length, precision, height, width
            data[at + 5:at + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        at += 2 + length
    raise ValueError("no SOF marker in PIL's JPEG")


def bomb_webp(width=16384, height=16384):
    """A real 16x16 lossless WebP whose VP8L header declares width x height (max 16384)."""
    buffer = io.BytesIO()
    Image.new("RGBA", (16, 16), (40, 200, 40, 255)).save(buffer, "WEBP", lossless=True)
    data = bytearray(buffer.getvalue())
    at = data.find(b"VP8L")
    if at < 0:
        raise ValueError("PIL did not write a VP8L chunk")
    bits_at = at + 8 + 1  # chunk header, then the 0x2f signature byte
    bits = struct.unpack("<I", data[bits_at:bits_at + 4])[0]
    bits = (bits & ~0x0FFFFFFF) | ((width - 1) & 0x3FFF) | (((height - 1) & 0x3FFF) << 14)
    data[bits_at:bits_at + 4] = struct.pack("<I", bits)
    return bytes(data)


BOMBS = {"png": bomb_png, "jpeg": bomb_jpeg, "webp": bomb_webp}


def truncated(data):
    """The first half of an encoded image: right magic bytes, undecodable body."""
    return data[: max(16, len(data) // 2)]
