#!/usr/bin/env python3
"""Generate the placeholder photos and advertisements used by the sample edition.

Scans every article (``articles/*.json`` and the YAML front matter of ``articles/*.md``)
and ``edition.yaml`` for referenced image paths and creates any that are missing:

* photos  -> a landscape (or, for some, portrait) JPEG that looks broadly photographic:
  a sky gradient, sun or moon glow, distant hills, a skyline or harbour silhouettes,
  foreground figures, film grain and a vignette. The palette and composition are
  derived from a hash of the file name, so every run produces identical files.
* ads     -> (paths under ``images/ads/``) a simple display advertisement at the
  aspect ratio of its slot (6-column broadsheet grid, 48 mm columns, 4 mm gutters)
  with the advertiser's name and slogan (``AD_COPY`` below) and a border.

Usage:  python sample-edition/tools/make_images.py [--force]

Requires Pillow (>= 10.1 for ``ImageFont.load_default(size=...)``) and PyYAML.
All generated images are dedicated to the public domain (CC0 1.0).
"""
from __future__ import annotations

import colorsys
import hashlib
import json
import math
import random
import re
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
COL_MM, GUTTER_MM = 48.0, 4.0
JPEG_QUALITY = 82


# ---------------------------------------------------------------- discovery
def _front_matter(text: str) -> dict:
    m = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.S)
    return yaml.safe_load(m.group(1)) or {} if m else {}


def referenced_images() -> tuple[dict[str, str], list[dict]]:
    """Return ({photo path: caption}, [ad slot dicts])."""
    photos: dict[str, str] = {}
    for f in sorted((ROOT / "articles").glob("*")):
        try:
            if f.suffix == ".json":
                data = json.loads(f.read_text(encoding="utf-8"))
            elif f.suffix == ".md":
                data = _front_matter(f.read_text(encoding="utf-8"))
            else:
                continue
        except (ValueError, yaml.YAMLError) as exc:  # report, keep going
            print(f"warning: cannot read {f.name}: {exc}", file=sys.stderr)
            continue
        for img in data.get("images") or []:
            if isinstance(img, dict) and img.get("src"):
                photos[img["src"]] = img.get("caption", "")
    ads = []
    manifest = ROOT / "edition.yaml"
    if manifest.exists():
        ed = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
        ads = [a for a in ed.get("ads") or [] if a.get("image")]
    return photos, ads


# ---------------------------------------------------------------- helpers
def rng_for(name: str) -> random.Random:
    return random.Random(int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:16], 16))


def hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, max(0, min(1, s)), max(0, min(1, v)))
    return int(r * 255), int(g * 255), int(b * 255)


def mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def vertical_gradient(w: int, h: int, stops: list[tuple[float, tuple]]) -> Image.Image:
    col = Image.new("RGB", (1, h))
    px = col.load()
    for y in range(h):
        t = y / max(1, h - 1)
        for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
            if t0 <= t <= t1:
                px[0, y] = mix(c0, c1, (t - t0) / max(1e-6, t1 - t0))
                break
    return col.resize((w, h))


def ridge(rng: random.Random, w: int, base: float, amp: float, rough: int) -> list[tuple[float, float]]:
    """A 1-D fractal-ish ridge line (sum of sines with random phases)."""
    waves = [(rng.uniform(0.5, 1.5) * (k + 1), rng.uniform(0, math.tau), amp / (k + 1) ** 1.2)
             for k in range(rough)]
    pts = []
    for x in range(0, w + 8, 8):
        y = base + sum(a * math.sin(f * x / w * math.tau + p) for f, p, a in waves)
        pts.append((x, y))
    return pts


# ---------------------------------------------------------------- photos
SCENES = ("harbour", "city", "hills", "crowd", "interior")


def make_photo(path: Path, caption: str) -> None:
    name = path.name
    rng = rng_for(name)
    portrait = rng.random() < 0.2
    w, h = (1067, 1600) if portrait else (1600, 1067)
    text = caption.lower()
    if any(k in text for k in ("harbour", "pier", "sea", "wave", "ferry", "boat", "trawler", "quay", "water")):
        scene = "harbour"
    elif any(k in text for k in ("protest", "supporters", "crowd", "fans", "players", "cyclists", "pupils", "visitors")):
        scene = "crowd"
    elif any(k in text for k in ("room", "interior", "department", "stage", "gallery", "kitchen", "library", "hall")):
        scene = "interior"
    elif any(k in text for k in ("street", "town", "city", "building", "houses", "tram", "roof")):
        scene = "city"
    else:
        scene = rng.choice(SCENES)

    hue = rng.random()
    time_of_day = rng.choice(("day", "day", "golden", "dusk", "overcast"))
    if time_of_day == "day":
        sky = [(0, hsv(0.58 + rng.uniform(-.03, .03), .55, .80)), (0.6, hsv(0.56, .25, .95)), (1, hsv(0.1, .1, .95))]
    elif time_of_day == "golden":
        sky = [(0, hsv(0.6, .45, .65)), (0.55, hsv(0.09, .45, .98)), (1, hsv(0.05, .65, .95))]
    elif time_of_day == "dusk":
        sky = [(0, hsv(0.68, .55, .30)), (0.5, hsv(0.85, .35, .55)), (1, hsv(0.06, .7, .90))]
    else:
        sky = [(0, hsv(0.6, .08, .62)), (1, hsv(0.6, .05, .85))]
    img = vertical_gradient(w, h, sky)
    draw = ImageDraw.Draw(img, "RGBA")
    horizon = h * rng.uniform(0.48, 0.66)

    # sun / glow
    if time_of_day != "overcast":
        sx, sy, r = rng.uniform(.15, .85) * w, horizon - rng.uniform(.08, .3) * h, rng.uniform(.03, .06) * w
        glow = Image.new("L", (w, h), 0)
        ImageDraw.Draw(glow).ellipse((sx - r * 4, sy - r * 4, sx + r * 4, sy + r * 4), fill=110)
        glow = glow.filter(ImageFilter.GaussianBlur(r * 1.6))
        img.paste(hsv(0.12, .35, 1.0), (0, 0), glow)
        draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=hsv(0.13, .2, 1.0) + (220,))

    # clouds
    for _ in range(rng.randint(3, 9)):
        cx, cy = rng.uniform(0, w), rng.uniform(0.05, 0.45) * h
        cloud = Image.new("L", (w, h), 0)
        cd = ImageDraw.Draw(cloud)
        for _ in range(rng.randint(4, 9)):
            rx, ry = rng.uniform(40, 160), rng.uniform(18, 50)
            ox, oy = cx + rng.uniform(-150, 150), cy + rng.uniform(-25, 25)
            cd.ellipse((ox - rx, oy - ry, ox + rx, oy + ry), fill=rng.randint(40, 110))
        cloud = cloud.filter(ImageFilter.GaussianBlur(22))
        img.paste((250, 250, 252) if time_of_day != "dusk" else hsv(0.95, .25, .85), (0, 0), cloud)

    draw = ImageDraw.Draw(img, "RGBA")
    land = hsv(hue * 0.25 + 0.22, rng.uniform(.25, .5), rng.uniform(.25, .45))
    haze = sky[-1][1]
    # distant hills, three layers, lighter with distance (aerial perspective)
    for layer in range(3):
        t = (2 - layer) / 3
        col = mix(land, haze, 0.25 + 0.55 * t)
        pts = ridge(rng, w, horizon - h * (0.02 + 0.07 * (2 - layer)), h * 0.05 * (1 + layer * .3), 5)
        draw.polygon(pts + [(w, h), (0, h)], fill=col)

    if scene in ("harbour",):
        water_top = horizon
        water = vertical_gradient(w, int(h - water_top), [(0, mix(haze, hsv(0.55, .4, .5), .4)), (1, hsv(0.57, .5, .25))])
        img.paste(water, (0, int(water_top)))
        draw = ImageDraw.Draw(img, "RGBA")
        for _ in range(500):  # ripples
            y = rng.uniform(water_top, h)
            x = rng.uniform(0, w)
            ln = rng.uniform(10, 60) * (y - water_top) / (h - water_top + 1) + 4
            draw.line((x, y, x + ln, y), fill=(255, 255, 255, rng.randint(15, 55)), width=1)
        for _ in range(rng.randint(2, 5)):  # boats
            bx, by = rng.uniform(0, w), rng.uniform(water_top + 20, h * .85)
            s = 0.4 + (by - water_top) / (h - water_top) * 1.4
            hull = [(bx, by), (bx + 220 * s, by), (bx + 190 * s, by + 35 * s), (bx + 25 * s, by + 35 * s)]
            draw.polygon(hull, fill=(30, 32, 38, 235))
            draw.rectangle((bx + 60 * s, by - 50 * s, bx + 140 * s, by), fill=(235, 235, 230, 230))
            draw.line((bx + 100 * s, by - 50 * s, bx + 100 * s, by - 130 * s), fill=(40, 40, 40, 230), width=max(1, int(3 * s)))
    else:
        ground = vertical_gradient(w, int(h - horizon), [(0, mix(land, haze, .3)), (1, mix(land, (0, 0, 0), .45))])
        img.paste(ground, (0, int(horizon)))
        draw = ImageDraw.Draw(img, "RGBA")

    if scene in ("city", "harbour", "interior"):
        x = rng.uniform(-40, 0)
        bcol = mix(hsv(hue, .15, .3), haze, .35)
        while x < w:
            bw = rng.uniform(40, 140)
            bh = rng.uniform(.05, .28) * h
            shade = mix(bcol, haze, rng.uniform(0, .3))
            draw.rectangle((x, horizon - bh, x + bw, horizon + 4), fill=shade + (255,))
            draw.rectangle((x + bw * .78, horizon - bh, x + bw, horizon + 4), fill=mix(shade, (0, 0, 0), .18) + (255,))
            if rng.random() < .3:  # pitched roof
                draw.polygon([(x, horizon - bh), (x + bw / 2, horizon - bh - bw * .35), (x + bw, horizon - bh)], fill=shade + (255,))
            for wy in range(int(horizon - bh + 10), int(horizon - 8), 18):  # windows
                for wx in range(int(x + 8), int(x + bw - 8), 16):
                    if rng.random() < .45:
                        lit = time_of_day in ("dusk",) and rng.random() < .6
                        draw.rectangle((wx, wy, wx + 6, wy + 9), fill=(255, 214, 140, 200) if lit else mix(bcol, haze, .35) + (200,))
            x += bw + rng.uniform(0, 12)

    if scene in ("crowd", "city", "interior") or (scene == "hills" and rng.random() < .5):
        n = rng.randint(6, 30) if scene == "crowd" else rng.randint(1, 6)
        for _ in range(n):
            depth = rng.random()
            fy = horizon + (h - horizon) * (0.15 + 0.8 * depth)
            s = 0.5 + depth * 2.2
            fx = rng.uniform(0, w)
            c = mix(hsv(rng.random(), rng.uniform(.2, .6), rng.uniform(.15, .5)), (0, 0, 0), .3 * depth) + (245,)
            draw.rounded_rectangle((fx - 22 * s, fy - 120 * s, fx + 22 * s, fy), radius=int(10 * s), fill=c)
            draw.ellipse((fx - 14 * s, fy - 152 * s, fx + 14 * s, fy - 122 * s), fill=mix(hsv(0.07, .45, .55 + rng.uniform(-.2, .2)), (0, 0, 0), .2) + (250,))

    # depth-of-field softness, grain, vignette, slight colour cast
    img = img.filter(ImageFilter.GaussianBlur(1.1))
    noise = Image.effect_noise((w, h), rng.uniform(14, 26)).convert("RGB")
    img = Image.blend(img, noise, 0.06)
    vig = Image.new("L", (w, h), 0)
    ImageDraw.Draw(vig).ellipse((-w * .25, -h * .25, w * 1.25, h * 1.25), fill=255)
    vig = vig.filter(ImageFilter.GaussianBlur(min(w, h) * .18))
    img = Image.composite(img, Image.new("RGB", (w, h), (12, 10, 14)), vig)
    cast = hsv(hue, .35, .9)
    img = Image.blend(img, Image.new("RGB", (w, h), cast), 0.05)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)


# ---------------------------------------------------------------- ads
def slot_size_mm(columns: int, height_mm: float) -> tuple[float, float]:
    return columns * COL_MM + (columns - 1) * GUTTER_MM, float(height_mm)


def fit_font(draw: ImageDraw.ImageDraw, text: str, max_w: float, max_size: int) -> ImageFont.ImageFont:
    size = max_size
    while size > 10:
        font = ImageFont.load_default(size=size)
        if draw.textlength(text, font=font) <= max_w:
            return font
        size = int(size * 0.92)
    return ImageFont.load_default(size=10)


def wrap(draw, text, font, max_w):
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if draw.textlength(trial, font=font) <= max_w or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    return lines + ([cur] if cur else [])


# The advertisers' copy lives here, not in edition.yaml: epaper prints an ad's artwork as supplied.
AD_COPY = {
    "harbour-motors.jpg": ("Harbour Motors", "New and certified pre-owned since 1962"),
    "saltmarsh-credit-union.jpg": ("Saltmarsh Credit Union", "Home loans from 4.9% APR"),
    "aldery-general-lottery.jpg": ("Aldery General Hospital Lottery", "Every ticket builds the new wing"),
    "keel-and-anchor.jpg": ("Keel & Anchor", "Winter coats 30% off"),
    "aldery-ferries.jpg": ("Aldery Ferries", "Island crossings every hour"),
    "pemberton-and-vale.jpg": ("Pemberton & Vale", "Accountants to the coast since 1931"),
    "brightwater-sports.jpg": ("Brightwater Sports", "Gear up for the derby"),
    "lantern-theatre.jpg": ("Lantern Theatre", "A Winter's Tale: now playing"),
    "saffron-bazaar.jpg": ("Saffron Bazaar", "Spices, sweets and festive hampers"),
}


def make_ad(path: Path, slot: dict) -> None:
    label, tagline = AD_COPY.get(path.name, (path.stem, "Visit us today"))
    wmm, hmm = slot_size_mm(int(slot.get("columns", 2)), float(slot.get("height_mm", 100)))
    dpi_px_per_mm = 150 / 25.4
    w, h = int(wmm * dpi_px_per_mm), int(hmm * dpi_px_per_mm)
    rng = rng_for(path.name)
    hue = rng.random()
    bg, fg, accent = hsv(hue, .12, .97), hsv(hue, .7, .28), hsv(hue + .5, .75, .75)
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    m = max(6, int(min(w, h) * .03))
    d.rectangle((0, 0, w - 1, h - 1), outline=fg, width=max(3, m // 2))
    d.rectangle((m, m, w - 1 - m, h - 1 - m), outline=accent, width=max(2, m // 4))
    inner_w = w - 4 * m
    tall = h > w * 1.6
    words = label.split()
    if tall and len(words) > 1:  # skyscraper: stack the label
        lines = words
    else:
        lines = [label]
    font = fit_font(d, max(lines, key=len), inner_w, int(h * (.16 if not tall else .09)))
    tfont = fit_font(d, tagline, inner_w, max(14, int(font.size * .42)))
    tlines = wrap(d, tagline, tfont, inner_w)
    foot = "portaldery.example · Advertisement"
    small = fit_font(d, foot, inner_w, max(12, int(tfont.size * .7)))
    lh, th = font.size * 1.15, tfont.size * 1.25
    block = lh * len(lines) + m + th * len(tlines)
    y = (h - block) / 2 - (small.size if tall else 0)
    for ln in lines:
        d.text((w / 2, y), ln, font=font, fill=fg, anchor="ma")
        y += lh
    y += m / 2
    d.line((w / 2 - inner_w * .3, y, w / 2 + inner_w * .3, y), fill=accent, width=max(2, m // 3))
    y += m / 2
    for ln in tlines:
        d.text((w / 2, y), ln, font=tfont, fill=mix(fg, bg, .15), anchor="ma")
        y += th
    d.text((w / 2, h - 2 * m), foot, font=small, fill=mix(fg, bg, .45), anchor="md")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True)


# ---------------------------------------------------------------- main
def main(argv: list[str]) -> int:
    force = "--force" in argv
    photos, ads = referenced_images()
    made = 0
    for rel, caption in sorted(photos.items()):
        p = ROOT / rel
        if "/ads/" in rel.replace("\\", "/"):
            continue
        if force or not p.exists():
            make_photo(p, caption)
            made += 1
    for slot in ads:
        p = ROOT / slot["image"]
        if force or not p.exists():
            make_ad(p, slot)
            made += 1
    print(f"{len(photos)} photos and {len(ads)} ads referenced; {made} generated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
