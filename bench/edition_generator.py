"""Seeded generator of random, realistic editions for the layout benchmark and the property tests.

``generate_edition(folder, seed, articles, pages)`` writes an edition folder the way a newsroom
would hand it over: ``edition.yaml`` (sections, ads), ``articles/*.json`` and ``articles/*.md``,
and ``images/*.jpg`` drawn with Pillow. Everything is fictional: text is built from word lists
(English, and Devanagari for an optional Hindi section), never copied prose.

What makes it realistic for page make-up:

* a daily's shape: a one-page front, then 6–9 sections of 1–4 pages (for editions of 40+ articles);
* priorities 1–5 per section (one lead, a couple of seconds, the rest falling to briefs at 5);
* lengths from 40-word briefs to 1200-word long reads, falling with priority;
* optional kicker, deck, byline, dateline, crossheads, *italic*/**bold** runs, photos of several
  aspect ratios (landscape 16:9 to portrait 2:3) with caption and credit;
* display ads on some inside pages (full-width strips, corner blocks, skyscrapers);
* the copy volume of every section matched to about ``copy_ratio`` (default 1.08, i.e. 100–115%)
  of its pages' capacity, estimated from the page format (columns, rows, measured words per line),
  so some sections overflow a little — as on a real night.

The same arguments always give the same folder (byte for byte). Used by ``bench/bench_layout.py``
and ``tests/test_layout_properties.py`` (which import this module via ``sys.path``).

    .venv/bin/python bench/edition_generator.py OUT_DIR [--seed 1] [--articles 60] [--pages 16]
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

__all__ = ["GeneratedEdition", "generate_edition"]

MM = 72 / 25.4
# Body words per column line, measured on generated copy with the broadsheet format's body style
# (calibrated with `--calibrate`; the sample edition's English prose sets at about 5.1).
WORDS_PER_LINE = {"en": 5.05, "hi": 7.4}

# ---------------------------------------------------------------------------------------------
# Word lists (invented places and people; common words).

PLACES = ("Port Aldery", "Vellmont", "Gull Island", "Brannock", "Greyfield", "Saltmarsh", "Fenwick",
          "Harrowgate", "Lusamba", "Marisca", "Tessaly", "Dravonia", "Kestrel Bay", "Northgate",
          "Elmsworth", "Caddon", "Rivermouth", "Oakhaven", "Pellmoor", "Quarry Hill")
FIRST = ("Ada", "Owen", "Moira", "Callum", "Ines", "Hettie", "Paul", "Rosalind", "Beatrix", "Sunita",
         "Tomas", "Ngozi", "Priya", "Henrik", "Lucia", "Farid", "Greta", "Malik", "Yusuf", "Elena")
LAST = ("Strachan", "Cathcart", "Ferreira", "Marlow", "Achterberg", "Okonkwo", "Raghavan", "Varga",
        "Whitfield", "Solberg", "Lindqvist", "Mensah", "Castellano", "Brennan", "Ashworth", "Takeda",
        "Oyelaran", "Petrov", "Haddad", "Kowalczyk")
NOUNS = ("council", "harbour", "ferry", "budget", "school", "library", "railway", "bridge", "museum",
         "festival", "market", "hospital", "union", "court", "minister", "committee", "district",
         "tram", "reservoir", "stadium", "orchard", "bakery", "airport", "university", "clinic",
         "factory", "pier", "shipyard", "farm", "village", "contract", "report", "survey", "plan",
         "proposal", "tender", "inquiry", "agreement", "season", "election", "crew", "club", "team",
         "fund", "levy", "permit", "road", "tunnel", "warehouse", "coastline", "storm", "drought")
PLURALS = ("residents", "officials", "workers", "teachers", "nurses", "farmers", "fishermen",
           "commuters", "students", "shopkeepers", "voters", "engineers", "supporters", "families",
           "inspectors", "passengers", "councillors", "volunteers", "players", "investors")
VERBS = ("approved", "rejected", "delayed", "announced", "reviewed", "questioned", "welcomed",
         "criticised", "funded", "opened", "closed", "extended", "postponed", "defended", "proposed",
         "signed", "inspected", "rebuilt", "expanded", "cancelled", "reported", "confirmed")
ADJECTIVES = ("new", "old", "long-awaited", "costly", "narrow", "busy", "quiet", "disputed", "regional",
              "coastal", "northern", "southern", "early", "late", "temporary", "permanent", "modest",
              "ambitious", "crowded", "popular", "historic", "wet", "record", "final", "first")
ADVERBS = ("quietly", "finally", "again", "narrowly", "formally", "briefly", "sharply", "slowly")
TIMES = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend",
         "last month", "this week", "by spring", "before the winter", "after midnight", "in March")
PREPS = ("near", "beside", "across", "outside", "behind", "along", "above", "below")
SAYS = ("said", "told the Courier", "added", "warned", "explained", "insisted")
KICKERS = ("Council", "Transport", "Courts", "Health", "Weather", "Education", "Housing", "Labour",
           "Environment", "Trade", "Culture", "Analysis", "Exclusive", "Review", "Football", "Sailing")
SECTIONS = ("City", "Nation", "World", "Business", "Opinion", "Sport", "Arts", "Science", "Region",
            "Lifestyle", "Travel")

HI_WORDS = ("नगर", "सरकार", "बाज़ार", "किसान", "पानी", "सड़क", "विद्यालय", "अस्पताल", "मंत्री", "योजना",
            "बंदरगाह", "मछुआरे", "रेल", "सेवा", "परिषद", "बजट", "नागरिक", "मौसम", "बारिश", "फ़सल",
            "उत्सव", "मेला", "पुस्तकालय", "खिलाड़ी", "टीम", "मैच", "जीत", "लोग", "शहर", "गाँव",
            "निगम", "अधिकारी", "काम", "नया", "पुराना", "बड़ा", "छोटा", "तेज़", "आज", "कल",
            "सुबह", "शाम", "रात", "दिन", "वर्ष", "महीने", "हज़ार", "लाख", "करोड़", "रुपये",
            "प्रस्ताव", "बैठक", "निर्णय", "विकास", "क्षेत्र", "स्वास्थ्य", "शिक्षा", "व्यापार", "उद्योग", "संस्था")
HI_GLUE = ("में", "के", "की", "का", "को", "से", "पर", "और", "ने", "भी", "तक", "लिए")
HI_VERBS = ("किया गया", "होगा", "हुआ", "कहा", "बताया", "शुरू हुआ", "बंद रहेगा", "मिलेगा", "दी गई", "रहेगी")
HI_PLACES = ("पोर्ट एल्डरी", "वेलमोंट", "गल द्वीप", "ग्रेफ़ील्ड", "सॉल्टमार्श", "नॉर्थगेट")

ASPECTS = ((16, 9), (3, 2), (4, 3), (1, 1), (4, 5), (2, 3))


@dataclass(frozen=True)
class GeneratedEdition:
    """What was written: the folder, its shape, and the copy volume against the estimated capacity."""

    folder: Path
    seed: int
    pages: int
    articles: int
    sections: tuple[tuple[str, int], ...]
    copy_ratio: float  # estimated copy area / estimated editorial capacity, whole edition


# ---------------------------------------------------------------------------------------------
# Text


def _sentence(rng: random.Random) -> str:
    shape = rng.randrange(6)
    place, noun, plural = rng.choice(PLACES), rng.choice(NOUNS), rng.choice(PLURALS)
    adj, verb, when = rng.choice(ADJECTIVES), rng.choice(VERBS), rng.choice(TIMES)
    if shape == 0:
        s = f"The {adj} {noun} in {place} was {verb} {when}"
    elif shape == 1:
        n = rng.choice((12, 40, 212, 1400, 9000, 24))
        s = f"About {n:,} {plural} {rng.choice(ADVERBS)} {verb} the {noun}, according to the {rng.choice(NOUNS)} {rng.choice(('report', 'survey', 'committee'))}"
    elif shape == 2:
        who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        s = (f"\u201cWe have {verb} the {noun} because the {plural} asked for it,\u201d {who} {rng.choice(SAYS)}, "
             f"{rng.choice(('adding', 'noting'))} that the {adj} {rng.choice(NOUNS)} would follow {when}")
    elif shape == 3:
        pct = rng.randrange(2, 60)
        s = (f"Costs for the {noun} rose {pct}% {when}, and {plural} {rng.choice(PREPS)} the {rng.choice(NOUNS)} "
             f"said the {adj} figures were no surprise")
    elif shape == 4:
        s = (f"Critics of the {noun} \u2014 among them {plural} from {place} \u2014 say the plan "
             f"was {verb} too {rng.choice(('quickly', 'late', 'cheaply'))}")
    else:
        s = (f"In {place}, the {rng.choice(NOUNS)} {rng.choice(PREPS)} the {noun} will be {verb} {when} "
             f"if the {rng.choice(PLURALS)} agree to the {adj} {rng.choice(NOUNS)}")
    return s[0].upper() + s[1:] + "."


def _hi_sentence(rng: random.Random) -> str:
    words = [rng.choice(HI_PLACES)]
    for _ in range(rng.randrange(5, 12)):
        words.append(rng.choice(HI_WORDS))
        if rng.random() < 0.45:
            words.append(rng.choice(HI_GLUE))
    words.append(rng.choice(HI_VERBS))
    return " ".join(words) + "\u0964"  # danda


def _paragraphs(rng: random.Random, words: int, language: str) -> list[str]:
    """Paragraphs totalling about ``words`` words (2–5 sentences each, newspaper style)."""
    make = _hi_sentence if language == "hi" else _sentence
    out: list[str] = []
    count = 0
    while count < words:
        para = []
        for _ in range(rng.randint(1, 4)):
            s = make(rng)
            para.append(s)
            count += len(s.split())
            if count >= words:
                break
        out.append(" ".join(para))
    return out


def _headline(rng: random.Random, language: str, long: bool = False) -> str:
    if language == "hi":
        return " ".join(rng.choice(HI_WORDS) for _ in range(rng.randint(3, 7))) + " " + rng.choice(HI_VERBS)
    place, noun, verb = rng.choice(PLACES), rng.choice(NOUNS), rng.choice(VERBS)
    forms = (f"{place} {noun} {verb} after {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} row",
             f"{rng.choice(PLURALS).capitalize()} {rng.choice(('back', 'fight', 'question', 'welcome'))} {rng.choice(ADJECTIVES)} {noun} plan",
             f"{noun.capitalize()} {verb} as {rng.choice(PLURALS)} wait {rng.choice(TIMES)}",
             f"{rng.choice(ADJECTIVES).capitalize()} {noun} for {place}")
    head = rng.choice(forms)
    if long:
        head += f", {rng.choice(PLURALS)} say, {rng.choice(TIMES)}"
    return head


def _deck(rng: random.Random, language: str) -> str:
    if language == "hi":
        return _hi_sentence(rng)
    return (f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} will cost {rng.choice(PLACES)} "
            f"{rng.randrange(2, 90)} million, and {rng.choice(PLURALS)} want answers")


# ---------------------------------------------------------------------------------------------
# Images


def _photo(path: Path, rng: random.Random, aspect: tuple[int, int]) -> None:
    """A small, plausible 'photo': sky, horizon, shapes. Kept small so generation stays fast."""
    w = 640
    h = round(w * aspect[1] / aspect[0])
    sky = (rng.randrange(90, 200), rng.randrange(120, 210), rng.randrange(170, 250))
    image = Image.new("RGB", (w, h), sky)
    draw = ImageDraw.Draw(image)
    horizon = int(h * rng.uniform(0.4, 0.7))
    draw.rectangle((0, horizon, w, h), fill=(rng.randrange(30, 90), rng.randrange(60, 120), rng.randrange(40, 110)))
    for _ in range(rng.randint(3, 9)):
        x, bw, bh = rng.randrange(w), rng.randrange(20, 160), rng.randrange(20, h // 2)
        colour = tuple(rng.randrange(20, 235) for _ in range(3))
        draw.rectangle((x, horizon - bh, x + bw, horizon + rng.randrange(0, 30)), fill=colour)
    draw.ellipse((w * 0.7, h * 0.08, w * 0.7 + h * 0.12, h * 0.2), fill=(250, 240, 200))
    image.save(path, quality=80)


def _ad_image(path: Path, rng: random.Random, cols: int, height_mm: float, label: str, width_mm: float) -> None:
    """Artwork of the booked space's proportions (``width_mm``: the columns with their gutters),
    as an advertiser supplies it: else every generated ad was warned of as of other proportions."""
    w = 160 * cols
    h = max(60, round(w * height_mm / width_mm))
    image = Image.new("RGB", (w, h), tuple(rng.randrange(150, 255) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, w - 8, h - 8), outline=(30, 30, 30), width=4)
    draw.text((20, 20), label, fill=(0, 0, 0))
    image.save(path, quality=80)


# ---------------------------------------------------------------------------------------------
# Capacity model (estimates in column-lines: one body line in one column)


@dataclass(frozen=True)
class _Geometry:
    columns: int
    rows: int            # body rows of an inside page's editorial area
    masthead_rows: int
    section_head_rows: int
    column_mm: float
    baseline: float


def _geometry(format_name: str) -> _Geometry:
    try:  # the real format when epaper is importable (it always is in this repository)
        from epaper.formats import load_format

        fmt = load_format(format_name)
        rows = int((fmt.height - fmt.margin_top - fmt.margin_bottom - fmt.folio_height) // fmt.baseline)
        return _Geometry(fmt.columns, rows, math.ceil(fmt.masthead_height / fmt.baseline), 4,
                         fmt.column_width / MM, fmt.baseline)
    except Exception:  # a broadsheet's figures
        return _Geometry(6, 134, 17, 4, 48.0, 10.5)


def _span_mm(format_name: str, columns: int) -> float:
    """The width of ``columns`` columns and their gutters, in mm."""
    try:
        from epaper.formats import load_format

        return load_format(format_name).span_width(columns) / MM
    except Exception:  # a broadsheet's figures
        return columns * 52.0 - 4.0


def _photo_cols(cols: int) -> int:
    return cols if cols <= 2 else {3: 2, 4: 3, 5: 3}.get(cols, 4)


def _module_cols(priority: int, words: int, columns: int) -> int:
    base = {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}[priority]
    if words < 150:
        base = min(base, 2)
    return max(1, min(columns, base))


def _article_area(article: dict, geo: _Geometry) -> float:
    """Estimated column-lines an article takes: headline block, byline, photo, body, spacing."""
    words = sum(len(p.split()) for p in article["body"])
    lang = article.get("language", "en")
    cols = _module_cols(article["priority"], words, geo.columns)
    size = {1: 48, 2: 36, 3: 27, 4: 20, 5: 15}[max(article["priority"], {1: 4, 2: 3}.get(cols, 1))]
    col_chars = geo.column_mm * cols * 72 / 25.4 / (size * 0.45)
    head_lines = max(1, math.ceil(len(article["headline"]) / max(col_chars, 1)))
    header = head_lines * size * 1.06 / geo.baseline + 1
    if article.get("kicker"):
        header += 1.5
    if article.get("subheadline") and cols >= 2:
        header += 3.5
    area = cols * (math.ceil(header) + 1)  # + the spacing row
    area += 1 if article.get("byline") else 0
    if article.get("images"):
        pc = _photo_cols(cols)
        aspect = min(max(article["_aspect"], 0.45), 1.15)
        width_mm = geo.column_mm * pc + 4 * (pc - 1)
        area += pc * (width_mm * MM * aspect / geo.baseline + 3)
    area += words / WORDS_PER_LINE.get(lang, 5.0)
    return area


def _page_capacity(geo: _Geometry, top_rows: int, ads: list[dict]) -> float:
    cap = geo.columns * (geo.rows - top_rows)
    for ad in ads:
        cap -= ad["columns"] * (math.ceil(ad["height_mm"] * MM / geo.baseline) + 1)
    return cap


# ---------------------------------------------------------------------------------------------
# The edition


def _split_pages(rng: random.Random, total: int, sections: int) -> list[int]:
    """Pages per section (front excluded): each at least one, at most four, a little uneven."""
    pages = [1] * sections
    left = total - sections
    while left > 0:
        candidates = [i for i in range(sections) if pages[i] < 4] or list(range(sections))
        weights = [3 if i < 3 else 1 for i in candidates]  # the first (news) sections are the bigger ones
        pages[rng.choices(candidates, weights)[0]] += 1
        left -= 1
    return pages


def _ads_for(rng: random.Random, page: int, columns: int) -> list[dict]:
    kind = rng.random()
    if kind < 0.35:
        return [{"page": page, "columns": columns, "height_mm": float(rng.choice((60, 80, 90, 110, 120))),
                 "position": "bottom"}]
    if kind < 0.75:
        cols = rng.choice((2, 3, 3, 4))
        return [{"page": page, "columns": cols, "height_mm": float(rng.choice((90, 120, 150, 180))),
                 "position": rng.choice(("bottom-right", "bottom-left"))}]
    return [{"page": page, "columns": rng.choice((1, 2)), "height_mm": float(rng.choice((200, 250))),
             "position": "top-right"}]


def _priorities(rng: random.Random, count: int) -> list[int]:
    out = [1] + [2] * min(2, max(0, count - 1))
    while len(out) < count:
        out.append(rng.choices((2, 3, 4, 5), (1, 4, 4, 3))[0])
    return out[:count]


def _base_words(rng: random.Random, priority: int) -> int:
    lo, hi = {1: (600, 1200), 2: (400, 900), 3: (250, 650), 4: (120, 380), 5: (40, 160)}[priority]
    return rng.randint(lo, hi)


def generate_edition(
    folder: Path | str,
    seed: int,
    articles: int | None = None,
    pages: int | None = None,
    *,
    sections: int | None = None,
    hindi: bool | None = None,
    ads: bool = True,
    photos: float = 0.5,
    copy_ratio: float = 1.08,
    markdown_share: float = 0.3,
    format_name: str = "broadsheet",
) -> GeneratedEdition:
    """Write a random edition into ``folder`` (created; existing files of the same names replaced).

    ``articles`` defaults to about 4.2 a page when ``pages`` is given, else to 40–100, and ``pages``
    to a daily's 12–24 matching it; ``sections`` (not
    counting the front) to 6–9 for an edition of 12+ pages, fewer for a tiny one; ``hindi`` to a
    coin toss for editions of 8+ pages (one Devanagari section, last). ``copy_ratio`` is the copy
    volume aimed at, per section, against the estimated capacity of its pages.
    """
    rng = random.Random(f"epaper-edition-{seed}")
    folder = Path(folder)
    _prepare(folder)
    (folder / "images").mkdir(exist_ok=True)
    geo = _geometry(format_name)
    # About 4.2 stories a page, as a daily runs (fewer, and the last page of each section is mostly
    # blank: the 1,200-word cap on a story cannot make up the copy).
    if articles is not None:
        n_articles = articles
    else:
        n_articles = round(pages * 4.2) if pages is not None else rng.randint(40, 100)
    n_pages = pages if pages is not None else max(12, min(24, round(n_articles / 4.2)))
    n_pages = max(1, n_pages)
    if sections is None:
        sections = rng.randint(5, 8) if n_pages >= 12 else max(1, min(n_pages - 1, rng.randint(1, 3)))
    sections = max(0, min(sections, n_pages - 1))
    with_hindi = hindi if hindi is not None else (n_pages >= 8 and rng.random() < 0.5)
    with_hindi = with_hindi and sections >= 1
    names = rng.sample(SECTIONS, sections)
    if with_hindi:
        names[-1] = "देश"
    split = _split_pages(rng, n_pages - 1, sections) if sections else []
    section_specs = [{"name": "Front", "pages": 1, "template": "front"}]
    for name, count in zip(names, split):
        spec = {"name": name, "pages": count}
        if name == "देश":
            spec["language"] = "hi"
        section_specs.append(spec)
    if not sections:  # a one-page edition: everything on the front
        section_specs[0]["pages"] = n_pages

    # Ads: on about 45% of inside pages, never the front, never a section's only page of a tiny edition.
    ad_list: list[dict] = []
    page_no = 1 + section_specs[0]["pages"]
    for spec in section_specs[1:]:
        for _ in range(spec["pages"]):
            if ads and rng.random() < 0.45:
                ad_list += _ads_for(rng, page_no, geo.columns)
            page_no += 1

    # Capacity per section, and articles shared out by capacity (the front gets 4–7).
    capacities = []
    page_no = 1
    for spec in section_specs:
        cap = 0.0
        for i in range(spec["pages"]):
            top = geo.masthead_rows if spec.get("template") == "front" else (geo.section_head_rows if i == 0 else 0)
            cap += _page_capacity(geo, top, [a for a in ad_list if a["page"] == page_no])
            page_no += 1
        capacities.append(cap)
    counts = [0] * len(section_specs)
    if len(section_specs) == 1:
        counts[0] = n_articles
    else:
        counts[0] = min(rng.randint(4, 7), max(2, n_articles // 5))
        rest = n_articles - counts[0]
        inside = capacities[1:]
        total_cap = sum(inside)
        shares = [max(1, math.floor(rest * c / total_cap)) for c in inside]
        while sum(shares) > rest:
            shares[shares.index(max(shares))] -= 1
        while sum(shares) < rest:
            k = max(range(len(inside)), key=lambda i: inside[i] / (shares[i] + 1))
            shares[k] += 1
        counts[1:] = shares

    all_articles: list[dict] = []
    total_area = 0.0
    for s_index, (spec, count, cap) in enumerate(zip(section_specs, counts, capacities)):
        language = "hi" if spec.get("language") == "hi" else "en"
        drafts = []
        for a_index, priority in enumerate(_priorities(rng, count)):
            drafts.append(_draft(rng, spec["name"], s_index, a_index, priority, language, photos))
        # Scale body lengths so the section's copy is about copy_ratio of its capacity.
        target = cap * copy_ratio
        for _ in range(4):
            area = sum(_article_area(_with_body(rng_for(d), d), geo) for d in drafts)
            if not drafts or abs(area - target) / target < 0.01:
                break
            fixed = sum(_article_area(_with_body(rng_for(d), d, words=0), geo) for d in drafts)
            factor = max(0.05, (target - fixed) / max(area - fixed, 1.0))
            for d in drafts:
                d["words"] = max(40, min(1200, round(d["words"] * factor)))
        finished = [_with_body(rng_for(d), d) for d in drafts]
        total_area += sum(_article_area(a, geo) for a in finished)
        all_articles += finished

    for article in all_articles:
        _write_article(folder, article, rng, markdown_share)
    for i, ad in enumerate(ad_list):
        name = f"ad-{ad['page']:02d}-{i}.jpg"
        label = f"Advertiser {i + 1}"
        _ad_image(folder / "images" / name, rng, ad["columns"], ad["height_mm"], label, _span_mm(format_name, ad["columns"]))
        ad["image"] = f"images/{name}"
    manifest = {
        "title": "The Generated Gazette",
        "date": f"2026-{1 + seed % 12:02d}-{1 + seed % 28:02d}",
        "edition": "city",
        "language": "en",
        "format": format_name,
        "sections": section_specs,
        "ads": ad_list,
    }
    (folder / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # What made it, beside the edition (edition.yaml has the contract's fields only: a desk review
    # found a generated edition warned of its own "generator:" and ads' "label:" fields).
    (folder / GENERATED).write_text(yaml.safe_dump({"seed": seed, "articles": n_articles, "pages": n_pages,
                                                    "copy_ratio_estimate": round(total_area / sum(capacities), 3)}),
                                    encoding="utf-8")
    return GeneratedEdition(folder, seed, n_pages, n_articles,
                            tuple((s["name"], s["pages"]) for s in section_specs),
                            round(total_area / sum(capacities), 3))


GENERATED = "generated.yaml"  # beside edition.yaml: the generator's seed and sizes (ingest ignores it)


def _prepare(folder: Path) -> None:
    """Create the folder; clear a previous *generated* edition in it, refuse to touch anything else."""
    manifest = folder / "edition.yaml"
    if manifest.exists():
        if not (folder / GENERATED).is_file():
            raise FileExistsError(f"{folder} holds an edition that was not generated; pick an empty folder")
        for sub, patterns in (("articles", ("*.json", "*.md")), ("images", ("*.jpg",))):
            for pattern in patterns:
                for path in (folder / sub).glob(pattern):
                    path.unlink()
    elif folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty; pick an empty folder")
    (folder / "articles").mkdir(parents=True, exist_ok=True)


def rng_for(draft: dict) -> random.Random:
    """The body's own random stream: re-generating a body at a new length keeps it stable."""
    return random.Random(draft["body_seed"])


def _draft(rng: random.Random, section: str, s_index: int, a_index: int, priority: int, language: str,
           photos: float) -> dict:
    draft = {
        "id": f"s{s_index}-{a_index:02d}-" + ("hi" if language == "hi" else rng.choice(NOUNS)),
        "section": section,
        "priority": priority,
        "headline": _headline(rng, language, long=rng.random() < 0.1),
        "words": _base_words(rng, priority),
        "body_seed": rng.getrandbits(32),
        "language": language,
    }
    if rng.random() < 0.45:
        draft["kicker"] = rng.choice(KICKERS) if language == "en" else rng.choice(HI_WORDS)
    if priority <= 3 and rng.random() < 0.55:
        draft["subheadline"] = _deck(rng, language)
    if priority <= 4 and rng.random() < 0.7:
        draft["byline"] = f"By {rng.choice(FIRST)} {rng.choice(LAST)}" if language == "en" else "संवाददाता, " + rng.choice(HI_PLACES)
    if rng.random() < 0.5:
        draft["dateline"] = rng.choice(PLACES).upper() if language == "en" else rng.choice(HI_PLACES)
    chance = photos * {1: 1.6, 2: 1.3, 3: 1.0, 4: 0.5, 5: 0.1}[priority]
    if rng.random() < chance:
        w, h = rng.choice(ASPECTS)
        draft["_aspect_pair"] = (w, h)
        draft["_aspect"] = h / w
        draft["_caption"] = _sentence(rng) if language == "en" else _hi_sentence(rng)
        draft["_credit"] = f"Photo: {rng.choice(FIRST)} {rng.choice(LAST)}"
    if rng.random() < 0.25:
        draft["tags"] = sorted({rng.choice(NOUNS).capitalize() for _ in range(rng.randint(1, 3))})
    return draft


def _with_body(rng: random.Random, draft: dict, words: int | None = None) -> dict:
    article = {k: v for k, v in draft.items() if not k.startswith("_") and k not in ("words", "body_seed")}
    count = draft["words"] if words is None else words
    article["body"] = _paragraphs(rng, count, draft["language"]) if count else []
    if "_aspect" in draft:
        article["_aspect"] = draft["_aspect"]
        article["_aspect_pair"] = draft["_aspect_pair"]
        article["images"] = [{"src": f"images/{draft['id']}.jpg", "caption": draft["_caption"],
                              "credit": draft["_credit"]}]
    return article


def _write_article(folder: Path, article: dict, rng: random.Random, markdown_share: float) -> None:
    aspect = article.pop("_aspect_pair", None)
    article.pop("_aspect", None)
    if aspect is not None:
        _photo(folder / "images" / f"{article['id']}.jpg", random.Random(article["id"]), aspect)
    if article["language"] == "en":
        article.pop("language")
    if rng.random() < markdown_share:
        body = article.pop("body")
        md = []
        for i, para in enumerate(body):
            if i and i % 5 == 0 and article["priority"] <= 3 and rng.random() < 0.6 and "language" not in article:
                md.append(f"## {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)}")
            if rng.random() < 0.15 and "language" not in article:
                words = para.split(" ")
                k = rng.randrange(len(words))
                if words[k].isalpha():  # emphasis on a plain word only (Markdown stays unambiguous)
                    words[k] = f"*{words[k]}*" if rng.random() < 0.5 else f"**{words[k]}**"
                para = " ".join(words)
            md.append(para)
        front = yaml.safe_dump(article, allow_unicode=True, sort_keys=False)
        (folder / "articles" / f"{article['id']}.md").write_text(f"---\n{front}---\n\n" + "\n\n".join(md) + "\n",
                                                                 encoding="utf-8")
    else:
        (folder / "articles" / f"{article['id']}.json").write_text(
            json.dumps(article, ensure_ascii=False, indent=1), encoding="utf-8")


def _calibrate(folder: Path) -> None:
    """Print measured words per body line of a generated edition (to tune WORDS_PER_LINE)."""
    from epaper.formats import load_format
    from epaper.ingest import load_edition
    from epaper.layout.module import body_lines

    edition = load_edition(folder)
    fmt = load_format(edition.format)
    for lang in ("en", "hi"):
        words = lines = 0
        for a in edition.articles:
            if a.language == lang:
                words += a.word_count
                lines += len(body_lines(a, fmt, "knuth-plass"))
        if lines:
            print(f"{lang}: {words / lines:.2f} words per line over {lines} lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--articles", type=int)
    parser.add_argument("--pages", type=int)
    parser.add_argument("--hindi", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--calibrate", action="store_true", help="measure words per line of the result")
    args = parser.parse_args()
    result = generate_edition(args.out, args.seed, args.articles, args.pages, hindi=args.hindi)
    print(f"{result.folder}: {result.articles} articles, {result.pages} pages, sections {result.sections}, "
          f"copy ≈ {result.copy_ratio:.0%} of capacity")
    if args.calibrate:
        _calibrate(args.out)


if __name__ == "__main__":
    main()
