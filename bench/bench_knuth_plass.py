"""Lines per second of the Knuth–Plass and greedy breakers on the sample edition's body text.

    .venv/bin/python bench/bench_knuth_plass.py [--widths 136,150,180,280] [--repeat 5]

Items are built once with the real fonts and hyphenation (not timed); only breaking is timed, in CPU
time of this process (other work on a shared 2-core machine skews wall-clock figures). Prints
the median of ``--repeat`` runs for: Knuth–Plass on a plain item list (prepares each call),
Knuth–Plass on a :class:`PreparedParagraph` (what layout does when it tries many widths), greedy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from epaper.formats import TypeStyle
from epaper.model import Run
from epaper.typeset import greedy, knuth_plass
from epaper.typeset.fonts import font_book
from epaper.typeset.items import constant_width
from epaper.typeset.paragraph import build_items

ROOT = Path(__file__).resolve().parents[1]
BODY = TypeStyle(face="serif", size=9.0, leading=10.5, align="justify", indent=9.0, hyphenate=True)


def paragraphs() -> list[tuple[str, str]]:
    """(language, text) of every body paragraph in the sample edition."""
    out = []
    for path in sorted((ROOT / "sample-edition" / "articles").iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            data = json.loads(text)
            body = data["body"] if isinstance(data["body"], list) else data["body"].split("\n\n")
            lang = data.get("language", "en")
        else:
            _, front, body_text = text.split("---", 2)
            lang = "hi" if "language: hi" in front else "mr" if "language: mr" in front else "en"
            body = body_text.split("\n\n")
        out += [(lang, p.strip()) for p in body if p.strip() and not p.strip().startswith("#")]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--widths", default="136,150,180,280")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    widths = [float(w) for w in args.widths.split(",")]
    book = font_book()
    built = [(lang, build_items((Run(text),), BODY, lang, book)) for lang, text in paragraphs()]
    for script, langs in (("Latin", {"en"}), ("Devanagari", {"hi", "mr"})):
        items_list = [items for lang, items in built if lang in langs]
        if not items_list:
            continue
        prepared = [knuth_plass.PreparedParagraph(items) for items in items_list]
        boxes = sum(1 for items in items_list for i in items if type(i).__name__ == "Box")
        print(f"{script}: {len(items_list)} paragraphs, {boxes} boxes, widths {widths}")
        for name, fn, data in (("knuth-plass", knuth_plass.break_lines, items_list),
                               ("knuth-plass prepared", knuth_plass.break_lines, prepared),
                               ("greedy", greedy.break_lines, items_list)):
            times = []
            lines = emergency = 0
            for _ in range(args.repeat):
                lines = emergency = 0
                start = time.process_time()
                for width in widths:
                    line_width = constant_width(width)
                    for items in data:
                        result = fn(items, line_width)
                        lines += len(result.breaks)
                        emergency += result.emergency
                times.append(time.process_time() - start)
            median = statistics.median(times)
            print(f"  {name:22s} {lines / median:10,.0f} lines/s  ({lines} lines, {median * 1000:.1f} ms, "
                  f"{emergency} emergency)")


if __name__ == "__main__":
    main()
