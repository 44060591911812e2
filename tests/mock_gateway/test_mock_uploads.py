"""Self-test of what the mock records of uploads, answers that depend on them, and the documented
route behaviours (GATEWAYS.md and the gateways' own pages). Expected values come from PIL and
hand-made pixels here, never from the mock's own helpers.

    /usr/bin/python3 -m unittest discover -s tests/mock_gateway
"""

import hashlib
import http.client
import io
import json
import time
import unittest

from PIL import Image

from test_mock_gateway import KEY, MockGatewayCase, decode_b64, image_of, multipart, png_bytes

FIELDS = [("model", "gpt-image-2"), ("prompt", "paint the hole")]


def encoded(im, fmt="PNG"):
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


def striped(size, seed):
    """Pixels no two calls share: every pixel differs from its neighbours."""
    w, h = size
    im = Image.new("RGB", size)
    im.putdata([((x * 7 + seed * 31) % 256, (y * 5 + seed) % 256, (x * y + seed) % 256)
                for y in range(h) for x in range(w)])
    return im


def hole_mask(size, box):
    """Opaque RGBA mask, transparent inside box (x0, y0, x1, y1)."""
    mask = Image.new("RGBA", size, (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), box)
    return mask


class Uploads(MockGatewayCase):
    def test_each_part_is_described_and_retrievable(self):
        first, second = striped((64, 48), 1), striped((40, 40), 2)
        mask = hole_mask((64, 48), (10, 5, 30, 25))
        mask.putpixel((50, 40), (0, 0, 0, 128))  # one half-transparent pixel
        parts = [("image[]", "first.png", "image/png", encoded(first)),
                 ("image[]", "second.jpg", "image/jpeg", encoded(second, "JPEG")),
                 ("mask", "mask.png", "image/png", encoded(mask))]
        r = self.edit("openai", FIELDS, parts)
        self.assertEqual(r.status, 200, r.body[:300])
        entry = self.log()[-1]
        files = entry["files"]
        self.assertEqual([(f["index"], f["name"], f["filename"], f["content_type"], f["size"])
                          for f in files],
                         [(i, p[0], p[1], p[2], len(p[3])) for i, p in enumerate(parts)])
        self.assertEqual(files[0]["pixels_sha256"],
                         hashlib.sha256(first.convert("RGBA").tobytes()).hexdigest())
        self.assertEqual(files[0]["alpha"], {"min": 255, "max": 255, "zero": 0,
                                             "opaque": 64 * 48, "partial": 0})
        self.assertIsNone(files[0]["alpha_zero_bbox"])
        m = files[2]
        self.assertEqual(m["alpha"], {"min": 0, "max": 255, "zero": 20 * 20,
                                      "opaque": 64 * 48 - 401, "partial": 1})
        self.assertEqual(m["alpha_zero_bbox"], [10, 5, 30, 25])
        self.assertEqual(m["alpha_below_255_bbox"], [10, 5, 51, 41])
        # As sent, byte for byte, and decoded to RGBA rows.
        for f, part in zip(files, parts):
            raw = self.request("GET", f["fetch"])
            self.assertEqual((raw.status, raw.body, raw.header("content-type")),
                             (200, part[3], part[2]))
        pixels = self.request("GET", files[2]["fetch"] + ".rgba")
        self.assertEqual((pixels.header("x-width"), pixels.header("x-height")), ("64", "48"))
        self.assertEqual(pixels.body, mask.tobytes())
        jpeg = self.request("GET", files[1]["fetch"] + ".rgba")
        self.assertEqual(jpeg.body, Image.open(io.BytesIO(parts[1][3])).convert("RGBA").tobytes())
        # The served image too, as served and decoded.
        served = entry["images"][0]
        got = self.request("GET", served["fetch"])
        self.assertEqual(got.body, decode_b64(r.json()["data"][0]["b64_json"]))
        self.assertEqual(self.request("GET", served["fetch"] + ".rgba").body,
                         image_of(got.body).convert("RGBA").tobytes())
        for bad in ("/_mock/uploads/999/0", f"{files[0]['fetch']}.gif", "/_mock/uploads/x/0"):
            self.assertEqual(self.request("GET", bad).status, 404, bad)
        self.request("POST", "/_mock/reset")
        self.assertEqual(self.request("GET", files[0]["fetch"]).status, 404)

    def test_answer_keeps_the_upload_where_the_mask_is_opaque(self):
        source = striped((1024, 1024), 3)
        mask = hole_mask((1024, 1024), (0, 0, 512, 1024))  # left half: repaint
        r = self.edit("openai", FIELDS, [("image", "a.png", "image/png", encoded(source)),
                                         ("mask", "m.png", "image/png", encoded(mask))],
                      scenario="answer=upload")
        out = image_of(decode_b64(r.json()["data"][0]["b64_json"])).convert("RGB")
        self.assertEqual(out.size, (1024, 1024))
        right = (600, 0, 1024, 1024)
        self.assertEqual(out.crop(right).tobytes(), source.crop(right).tobytes())
        left = (0, 0, 400, 1024)
        self.assertNotEqual(out.crop(left).tobytes(), source.crop(left).tobytes())
        # Without a mask: the image as it was sent (same size here).
        r = self.edit("openai", FIELDS, [("image", "a.png", "image/png", encoded(source))],
                      scenario="answer=upload")
        out = image_of(decode_b64(r.json()["data"][0]["b64_json"])).convert("RGB")
        self.assertEqual(out.tobytes(), source.tobytes())
        # Without the key the answer ignores the upload, as before.
        r = self.edit("openai", FIELDS, [("image", "a.png", "image/png", encoded(source))])
        out = image_of(decode_b64(r.json()["data"][0]["b64_json"])).convert("RGB")
        self.assertNotEqual(out.crop(right).tobytes(), source.crop(right).tobytes())

    def test_a_chunked_edit_is_read_whole_or_refused_with_411(self):
        picture = encoded(striped((64, 48), 4))
        body, ctype = multipart(FIELDS, [("image", "a.png", "image/png", picture)])

        def send_chunked(scenario):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
            try:
                conn.request("POST", self.base("openai", scenario) + "/images/edits",
                             body=iter([body[:100], body[100:]]), encode_chunked=True,
                             headers={"Content-Type": ctype, "Authorization": f"Bearer {KEY}",
                                      "Transfer-Encoding": "chunked"})
                reply = conn.getresponse()
                reply.read()
                return reply.status
            finally:
                conn.close()

        self.assertEqual(send_chunked(None), 200)
        entry = self.log()[-1]
        self.assertEqual(entry["headers"]["transfer-encoding"], "chunked")
        self.assertEqual(self.request("GET", entry["files"][0]["fetch"]).body, picture)
        self.assertLessEqual(entry["received_at"], entry["body_read_at"])
        self.assertEqual(send_chunked("length_required=1"), 411)
        self.assertEqual(self.log()[-1]["billed_images"], 0)
        # The same edit with its length is taken.
        r = self.edit("openai", FIELDS, [("image", "a.png", "image/png", picture)], scenario="length_required=1")
        self.assertEqual(r.status, 200, r.body[:300])


class DocumentedRoutes(MockGatewayCase):
    BODY = {"model": "gpt-image-2", "prompt": "route"}

    def test_ruoli_serves_generations_only(self):
        self.assertEqual(self.gen("ruoli", self.BODY).status, 200)
        r = self.edit("ruoli", FIELDS, [("image", "a.png", "image/png", png_bytes())])
        self.assertEqual(r.status, 503)
        self.assertEqual(r.json(), {"error": {
            "message": "bad response status code 503, this model only supports the "
                       "/v1/images/generations endpoint", "type": "new_api_error"}})
        self.assertEqual(self.log()[-1]["billed_images"], 0)
        # Other relays serve both.
        for profile in ("laozhang-official", "apiyi"):
            r = self.edit(profile, FIELDS, [("image", "a.png", "image/png", png_bytes())])
            self.assertEqual(r.status, 200, profile)

    def test_model_list_checks_the_key_and_bills_nothing(self):
        r = self.request("GET", self.base("apiyi") + "/models", headers={"Authorization": f"Bearer {KEY}"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual([m["id"] for m in r.json()["data"]], ["gpt-image-2"])
        self.assertEqual(self.log()[-1]["endpoint"], "models")
        self.assertEqual(self.log()[-1]["billed_images"], 0)
        self.assertError(self.request("GET", self.base("openai") + "/models",
                                      headers={"Authorization": "Bearer sk-bad-1"}), 401)
        self.assertError(self.request("GET", self.base("openai") + "/models"), 401)
        self.assertError(self.request("GET", self.base("openai", "status=404") + "/models",
                                      headers={"Authorization": f"Bearer {KEY}"}), 404)
        self.assertError(self.request("POST", self.base("openai") + "/models", b"{}",
                                      headers={"Authorization": f"Bearer {KEY}"}), 404)

    def test_apiyi_403_is_a_moderation_block(self):
        for profile in ("apiyi", "apiyi-vip", "apiyi-all"):
            model = {"apiyi-vip": "gpt-image-2-vip", "apiyi-all": "gpt-image-2-all"}.get(
                profile, "gpt-image-2")
            r = self.gen(profile, {"model": model, "prompt": "p"}, "status=403")
            err = self.assertError(r, 403)
            self.assertEqual(err["type"], "shell_api_error")
            self.assertIn("moderation", err["message"])
            self.assertNotIn("key", err["message"].lower())
        # Elsewhere a 403 is a plain refusal.
        self.assertNotIn("moderation", self.assertError(
            self.gen("openai", self.BODY, "status=403"), 403)["message"])

    def test_no_available_channel_as_new_api_sends_it(self):
        expected = {"error": {"message": "No available channel for model gpt-image-2 under group "
                                         "default (distributor)", "type": "new_api_error"}}
        for profile in ("laozhang", "laozhang-official", "ruoli"):
            r = self.gen(profile, self.BODY, "no_channel=1")
            self.assertEqual((r.status, r.json()), (503, expected), profile)
        # Before the key is looked at, like the other injected faults; spent with times=.
        r = self.gen("ruoli", self.BODY, "no_channel=1,times=1,tag=nc", key="sk-bad-x")
        self.assertEqual(r.status, 503)
        self.assertEqual(self.gen("ruoli", self.BODY, "no_channel=1,times=1,tag=nc").status, 200)

    def test_transparent_background_refused_where_the_route_refuses_it(self):
        body = {**self.BODY, "background": "transparent"}
        self.assertError(self.gen("apiyi", body), 400, param="background")
        self.assertError(self.edit("apiyi", FIELDS + [("background", "transparent")],
                                   [("image", "a.png", "image/png", png_bytes())]), 400,
                         param="background")
        for profile in ("openai", "laozhang-official"):
            r = self.gen(profile, body)
            self.assertEqual(r.status, 200, profile)
            self.assertEqual(image_of(decode_b64(r.json()["data"][0]["b64_json"])).mode, "RGBA")

    def test_mask_rules_on_every_edit_route(self):
        image = [("image", "a.png", "image/png", png_bytes((64, 48)))]
        masks = {"no alpha": (png_bytes((64, 48)), "image/png", "alpha"),
                 "other size": (png_bytes((48, 64), "RGBA"), "image/png", "same dimensions"),
                 "jpeg": (encoded(Image.new("RGB", (64, 48)), "JPEG"), "image/jpeg", "PNG")}
        routes = {"openai": FIELDS, "apiyi": FIELDS, "laozhang": FIELDS,
                  "laozhang-official": FIELDS,
                  "apiyi-vip": [("model", "gpt-image-2-vip"), ("prompt", "p")],
                  "apiyi-all": [("model", "gpt-image-2-all"), ("prompt", "p")]}
        for profile, fields in routes.items():
            for why, (data, ctype, says) in masks.items():
                with self.subTest(profile=profile, mask=why):
                    r = self.edit(profile, fields, image + [("mask", "m.png", ctype, data)])
                    self.assertError(r, 400, param="mask", contains=says)

    def test_mask_under_4_mb_where_openai_serves_it(self):
        image = [("image", "a.png", "image/png", png_bytes((64, 48)))]
        big_mask = png_bytes((64, 48), "RGBA") + b"\0" * (4 * 1024 * 1024)  # bytes after IEND
        for profile in ("openai", "laozhang-official"):
            r = self.edit(profile, FIELDS, image + [("mask", "m.png", "image/png", big_mask)])
            self.assertError(r, 400, param="mask", contains="less than 4MB")
        r = self.edit("laozhang", FIELDS, image + [("mask", "m.png", "image/png", big_mask)])
        self.assertEqual(r.status, 200, r.body[:300])

    def test_url_and_b64_json_together(self):
        for profile, body in (("apiyi-vip", {"model": "gpt-image-2-vip", "prompt": "v"}),
                              ("openai", self.BODY)):
            r = self.gen(profile, body, "response=both")
            item = r.json()["data"][0]
            self.assertEqual(set(item), {"url", "b64_json"}, profile)
            fetched = self.request("GET", item["url"].split(str(self.port), 1)[1])
            self.assertEqual(fetched.body, decode_b64(item["b64_json"]))

    def test_fewer_images_than_n(self):
        r = self.gen("openai", {**self.BODY, "n": 3}, "images=1")
        self.assertEqual(len(r.json()["data"]), 1)
        entry = self.log()[-1]
        self.assertEqual((entry["billed_images"], len(entry["images"])), (3, 1))
        r = self.gen("ruoli", {**self.BODY, "n": 4}, "images=2")
        self.assertEqual(len(r.json()["data"]), 2)

    def test_5xx_after_a_long_wait(self):
        for profile in ("laozhang-official", "ruoli", "apiyi"):
            started = time.monotonic()
            r = self.gen(profile, self.BODY, "status=504,error_delay=1.2")
            self.assertGreaterEqual(time.monotonic() - started, 1.2)
            self.assertEqual(r.status, 504, profile)
        # With a heartbeat the 200 is committed first and the error arrives in its body.
        r = self.gen("openai", self.BODY, "status=502,error_delay=0.6,heartbeat=0.2")
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(r.body)["error"]["type"], "server_error")

    def test_error_bodies_in_new_api_and_other_formats(self):
        r = self.gen("laozhang", {"model": "gpt-image-2", "prompt": "p"},
                     "status=500,message=upstream%20said%20no,error_format=new_api")
        rid = r.header("x-api-request-id")
        self.assertEqual((r.status, r.json()), (500, {"error": {
            "message": f"upstream said no (request id: {rid})", "type": "new_api_error",
            "param": "", "code": "bad_response_status_code_500"}}))
        r = self.gen("openai", self.BODY, "code=moderation_blocked,error_format=new_api")
        self.assertEqual(r.json()["error"]["code"], "moderation_blocked")
        r = self.gen("apiyi", self.BODY, "code=moderation_blocked,error_format=status_code")
        self.assertEqual(r.json()["status_code"], 400)
        self.assertEqual(r.json()["error"]["code"], "moderation_blocked")
        self.assertEqual(r.json()["error"]["type"], "shell_api_error")
        r = self.gen("ruoli", self.BODY, "status=429,message=slow%20down,error_format=string")
        self.assertEqual((r.status, r.json()), (429, {"error": "slow down"}))


if __name__ == "__main__":
    unittest.main()


class NewerModels(MockGatewayCase):
    """Models released after gpt-image-2 (GATEWAYS.md, "Newer models"), on the official routes."""

    NEWER = [("model", "gpt-image-2.6-flare"), ("prompt", "move the sofa where the arrow points")]

    def test_generation_takes_xhigh_and_complexity_only_on_a_newer_model(self):
        body = {"model": "gpt-image-2.6-flare", "prompt": "a fox", "quality": "xhigh",
                "complexity": "high"}
        r = self.gen("openai", body)
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.log()[-1]["json"]["complexity"], "high")
        r = self.gen("openai", {**body, "model": "gpt-image-2"})
        self.assertEqual(r.status, 400, r.body[:300])
        r = self.gen("openai", {**body, "model": "gpt-image-9"})
        self.assertEqual(r.status, 400, r.body[:300])
        r = self.gen("laozhang-vip", {"model": "gpt-image-2.6-flare", "prompt": "a fox"})
        self.assertNotEqual(r.status, 200, "the vip routes serve only their own model")

    def test_markup_is_recorded_with_alpha_and_refused_with_a_mask_or_on_gpt_image_2(self):
        room = striped((64, 48), 3)
        arrows = hole_mask((64, 48), (0, 0, 32, 48))
        image = ("image", "room.png", "image/png", encoded(room))
        markup = ("markup", "arrows.png", "image/png", encoded(arrows))
        r = self.edit("openai", self.NEWER, [image, markup])
        self.assertEqual(r.status, 200, r.body[:300])
        sent = self.log()[-1]["files"][1]
        self.assertEqual((sent["name"], sent["width"], sent["height"]), ("markup", 64, 48))
        self.assertEqual(sent["alpha_zero_bbox"], [0, 0, 32, 48])
        mask = ("mask", "mask.png", "image/png", encoded(arrows))
        self.assertEqual(self.edit("openai", self.NEWER, [image, markup, mask]).status, 400)
        self.assertEqual(self.edit("openai", FIELDS, [image, markup]).status, 400)
        small = ("markup", "small.png", "image/png", encoded(hole_mask((32, 32), (0, 0, 8, 8))))
        self.assertEqual(self.edit("openai", self.NEWER, [image, small]).status, 400)
