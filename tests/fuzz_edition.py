"""Mutations of a small edition made of the sample's own files, for the fuzz tests and bench/fuzz_input.py.

``mini_edition`` copies three sample articles (a JSON front-page story, a Markdown City story, a
Hindi Markdown story), their photos and one ad into a folder with a three-page edition.yaml derived
from the sample's. ``mutations`` is a hypothesis strategy of :class:`Mutation` values: each changes one
thing — a field's value or key (types, unicode: RTL, combining marks, ZWJ, surrogates, control
characters; sizes), a file's bytes, an image's bytes or mode, an image path, or the folder itself —
and says what it did, so a failing example reads as a bug report.

The checks (what must hold after any mutation) live here too: ``check_reading`` for validation,
``missing_words`` for a build's PDF.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml
from hypothesis import strategies as st
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-edition"
ARTICLES = ("ferry-strike-ends.json", "ferry-backlog-gull-island.md", "hi-dugdh-sangh-sanyantra.md")
FILES = ("edition.yaml", *(f"articles/{name}" for name in ARTICLES))
BODY = "<markdown body>"  # the pseudo-field for the text below a Markdown file's front matter

# Characters that have broken text pipelines: RTL scripts and overrides, combining marks, joiners,
# emoji sequences, a BOM, lone surrogates, C0/C1 controls, Devanagari conjuncts, no-break spaces.
HOSTILE = ("שלום", "مرحبا", "\u202e", "\u200f", "e\u0301", "\u0301", "\u200d", "\u200c", "👩\u200d👩\u200d👧",
           "\ufeff", "\ud83d", "\udc00", "\x00", "\x07", "\x1b", "\x85", "\x7f", "क्ष", "र्क", "ि", "\u00a0",
           "\u2028", "\t", "\n", "  ", "**", "_", "#", "[x](https://e.org/a_b)", "![p](images/x.jpg)", "<b>",
           ": ", "- ", "&a", "*a", "'", '"', "\\", "/", "..", "𝕏", "ﬁ", "ß")

texts = st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE)), max_size=12).map("".join)
long_texts = st.builds(lambda word, count: word * count, st.sampled_from(["word ", "x", "क्ष ", "ab-"]),
                       st.integers(100, 40_000))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.sampled_from([0, 1, 2, 3, 64, 65, 10**9]),
                    st.floats(allow_nan=False, allow_infinity=False), texts, long_texts,
                    st.sampled_from(["2026-02-30", "2026-11-28", "yes", "no", "null", "City", "Front", "देश"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(texts, inner, max_size=3)), max_leaves=8)
paths = st.one_of(texts, st.sampled_from([
    "images/ferry-strike-ends.jpg\x00", "images/" + "x" * 5000 + ".jpg", "images/" + "y" * 300, "/etc/passwd",
    "../../etc/passwd", "images/", "images", ".", "", "images/loop", "http://example.org/a.jpg",
    "images/ferry-backlog-gull-island.jpg/..", "IMAGES/FERRY-STRIKE-ENDS.JPG", "images/\ud83d.jpg"]))
image_modes = st.sampled_from(["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I", "F"])


@dataclass(frozen=True)
class Mutation:
    what: str
    apply: Callable[[Path], None]

    def __repr__(self) -> str:  # hypothesis prints this for a failing example
        return f"Mutation({self.what})"


def mini_edition(folder: Path) -> Path:
    """The three sample articles, their photos and one ad in a three-page edition."""
    (folder / "articles").mkdir(parents=True)
    manifest = yaml.safe_load((SAMPLE / "edition.yaml").read_text(encoding="utf-8"))
    manifest["sections"] = [{"name": "Front", "pages": 1, "template": "front"}, {"name": "City", "pages": 1},
                            {"name": "देश", "pages": 1, "language": "hi"}]
    first_ad = manifest["ads"][0]
    manifest["ads"] = [{"page": 2, "columns": 3, "height_mm": 60, "position": "bottom-right", "image": first_ad["image"]}]
    (folder / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    referenced = {first_ad["image"]}
    for name in ARTICLES:
        text = (SAMPLE / "articles" / name).read_text(encoding="utf-8")
        (folder / "articles" / name).write_text(text, encoding="utf-8")
        referenced |= set(re.findall(r"images/[\w./-]+\.(?:jpg|png)", text))
    for rel in referenced:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLE / rel, folder / rel)
    return folder


# ---------------------------------------------------------------- reading and writing the files as data


def _read(path: Path) -> tuple[Any, str | None]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text), None
    if path.suffix == ".yaml":
        return yaml.safe_load(text), None
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


def _write(path: Path, data: Any, body: str | None, ascii_json: bool = True) -> None:
    if path.suffix == ".json":
        text = json.dumps(data, ensure_ascii=ascii_json)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        if body is not None:
            text = f"---\n{text}---\n{body}"
    # surrogatepass: a lone surrogate that YAML wrote raw becomes bytes that are not UTF-8, as in life
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def _field_paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _field_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _field_paths(value, (*prefix, index))
    return found


def _set(data: Any, path: tuple, value: Any, op: str) -> Any:
    if not path:
        return value if op == "replace" else data
    *parents, last = path
    holder = data
    for step in parents:
        holder = holder[step]
    if op == "delete":
        del holder[last]
    elif op == "rename" and isinstance(holder, dict):
        holder[str(value)] = holder.pop(last)
    else:
        holder[last] = value
    return data


@st.composite
def field_mutations(draw) -> Mutation:
    file = draw(st.sampled_from(FILES))
    data, body = _read(mini_source() / file)
    choices = _field_paths(data) + ([(BODY,)] if body is not None else [])
    path = draw(st.sampled_from(choices))
    op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "rename"])) if path else "replace"
    value = draw(long_texts | texts if path == (BODY,) or op == "rename" else values)
    ascii_json = draw(st.booleans())

    def apply(folder: Path) -> None:
        target = folder / file
        current, current_body = _read(target)
        if path == (BODY,):
            current_body = str(value)
        else:
            current = _set(current, path, value, op)
        try:
            _write(target, current, current_body, ascii_json)
        except UnicodeEncodeError:
            _write(target, current, current_body, True)

    return Mutation(f"{file}: {op} {'/'.join(map(str, path)) or '<root>'} = {value!r:.80}", apply)


@st.composite
def byte_mutations(draw) -> Mutation:
    file = draw(st.sampled_from(FILES))
    where = draw(st.floats(0, 1))
    junk = draw(st.binary(max_size=16) | st.sampled_from([b"\xff\xfe", b"\x00", b"{", b"---\n", b"&a [*a, *a]"]))
    cut = draw(st.booleans())

    def apply(folder: Path) -> None:
        path = folder / file
        data = path.read_bytes()
        at = int(len(data) * where)
        path.write_bytes(data[:at] if cut else data[:at] + junk + data[at:])

    return Mutation(f"{file}: {'cut at' if cut else 'insert ' + repr(junk) + ' at'} {where:.2f}", apply)


@st.composite
def image_mutations(draw) -> Mutation:
    image = draw(st.sampled_from(["images/ferry-strike-ends.jpg", "images/ferry-backlog-gull-island.jpg"]))
    kind = draw(st.sampled_from(["cut", "junk", "mode"]))
    where = draw(st.floats(0.01, 0.99))
    mode = draw(image_modes)
    size = draw(st.tuples(st.integers(1, 64), st.integers(1, 64)))

    def apply(folder: Path) -> None:
        path = folder / image
        if not path.exists():
            return  # the article no longer refers to it
        data = path.read_bytes()
        if kind == "cut":
            path.write_bytes(data[: int(len(data) * where)])
        elif kind == "junk":
            at = int(len(data) * where)
            path.write_bytes(data[:at] + os.urandom(32) + data[at + 32:])
        else:
            buffer = io.BytesIO()
            Image.new(mode, size).save(buffer, "TIFF" if mode in ("I", "F", "CMYK") else "PNG")
            path.write_bytes(buffer.getvalue())  # a TIFF or PNG behind a .jpg name, as happens

    return Mutation(f"{image}: {kind} {where:.2f} {mode} {size}", apply)


@st.composite
def path_mutations(draw) -> Mutation:
    src = draw(paths)
    file = draw(st.sampled_from(FILES[1:]))

    def apply(folder: Path) -> None:
        if src == "images/loop" and not (folder / "images" / "loop").is_symlink():
            os.symlink("loop", folder / "images" / "loop")
        target = folder / file
        data, body = _read(target)
        data["images"] = [{"src": src}]
        _write(target, data, body)

    return Mutation(f"{file}: images = [{{src: {src!r:.80}}}]", apply)


@st.composite
def folder_mutations(draw) -> Mutation:
    kind = draw(st.sampled_from(["subfolder", "txt", "draft", "readme", "no-articles", "no-manifest", "empty-file",
                                 "manifest-dir", "broken-link"]))

    def apply(folder: Path) -> None:
        articles = folder / "articles"
        sample = articles / ARTICLES[0]
        if kind == "subfolder":
            (articles / "late").mkdir()
            shutil.copyfile(sample, articles / "late" / "late.json")
        elif kind in ("txt", "draft", "readme"):
            name = {"txt": "story.txt", "draft": "_draft.json", "readme": "README.md"}[kind]
            shutil.copyfile(sample, articles / name)
        elif kind == "no-articles":
            shutil.rmtree(articles)
        elif kind == "no-manifest":
            (folder / "edition.yaml").unlink()
        elif kind == "empty-file":
            sample.write_bytes(b"")
        elif kind == "manifest-dir":
            (folder / "edition.yaml").unlink()
            (folder / "edition.yaml").mkdir()
        elif kind == "broken-link":
            os.symlink("nowhere.json", articles / "gone.json")

    return Mutation(f"folder: {kind}", apply)


# Text a build should print in full: Latin with accents and combining marks, joiners, no-break
# spaces, typographic punctuation, very long words and URLs, Markdown emphasis and links.
printable_words = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éüßøçñ’“”—–…,.;:!?()%&",
            min_size=1, max_size=14),
    st.sampled_from(["e\u0301t\u00e9", "co\u00adoperate", "a\u200db", "10\u00a0km", "dimethylaminopropyl" * 3,
                     "https://example.org/a/very/long/path/to/a/report_2026-11-28.html", "x" * 120, "**bold**",
                     "*it*", "[link](https://e.org/x)", "C\u0327a", "I\u0307"]))


@st.composite
def printable_mutations(draw) -> Mutation:
    """New words in the English articles' bodies: the edition stays valid, so it builds and every
    word can be looked for in the PDF."""
    file = draw(st.sampled_from(FILES[1:3]))
    words = draw(st.lists(printable_words, min_size=1, max_size=30))
    where = draw(st.floats(0, 1))

    def apply(folder: Path) -> None:
        target = folder / file
        data, body = _read(target)
        if body is not None:
            lines = body.split("\n")
            at = int(len(lines) * where)
            body = "\n".join([*lines[:at], "", " ".join(words), "", *lines[at:]])
        else:
            at = int(len(data["body"]) * where)
            data["body"].insert(at, " ".join(words))
        _write(target, data, body)

    return Mutation(f"{file}: new paragraph {' '.join(words)!r:.120} at {where:.2f}", apply)


mutations = st.one_of(field_mutations(), field_mutations(), field_mutations(), byte_mutations(), image_mutations(),
                      path_mutations(), folder_mutations(), printable_mutations())

_SOURCE: list[Path] = []


def mini_source() -> Path:
    """One pristine mini edition per process, read by the strategies (they need its fields)."""
    if not _SOURCE:
        import atexit
        import tempfile

        scratch = Path(tempfile.mkdtemp(prefix="epaper-fuzz-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # no folder left per run
        _SOURCE.append(mini_edition(scratch / "edition"))
    return _SOURCE[0]


def fresh_copy(folder: Path) -> Path:
    shutil.copytree(mini_source(), folder, symlinks=True)
    return folder


def mutated_copy(mutation: Mutation, parent: Path) -> Path:
    """A fresh mini edition in ``parent/edition`` with ``mutation`` applied."""
    folder = fresh_copy(parent / "edition")
    mutation.apply(folder)
    return folder


# ---------------------------------------------------------------- what must hold


def check_reading(reading, folder: Path) -> list[str]:
    """Breaches of the ingest contract in one reading: problems without a file, unprintable
    messages, and files in articles/ that were neither read nor named."""
    breaches = []
    problems = (*reading.problems, *reading.warnings)
    for problem in problems:
        if not problem.file or Path(problem.file).is_absolute():
            breaches.append(f"problem without a file relative to the edition: {problem}")
        try:
            str(problem).encode("utf-8")
        except UnicodeEncodeError:
            breaches.append(f"problem cannot be printed: {problem!r}")
    if reading.edition is not None:
        read = {Path(a.source_file).name for a in reading.edition.articles}
        named = {problem.file.rstrip("/") for problem in problems}
        for entry in sorted((folder / "articles").iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.name not in read and f"articles/{entry.name}" not in named:
                breaches.append(f"articles/{entry.name} was neither read nor named in a problem")
    return breaches


def _squeezed(text: str) -> str:
    """Text with what PDF extraction may change removed: spaces, hyphens, marks, compatibility forms."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and c not in "-\u00ad\u2010\u2011"
                   and unicodedata.category(c)[0] not in "MC")


def missing_words(out_dir: Path, edition) -> list[str]:
    """Words of placed articles' bodies that poppler's pdftotext does not find in edition.pdf."""
    layout = json.loads((out_dir / "layout.json").read_text(encoding="utf-8"))
    placed = {article["id"] for page in layout["pages"] for article in page["articles"]}
    pdf_text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out_dir / "edition.pdf"), "-"],
                              capture_output=True, check=True).stdout.decode("utf-8", "replace")
    printed = _squeezed(pdf_text)
    missing = []
    for article in edition.articles:
        if article.id not in placed or article.language != "en":
            continue  # Devanagari does not survive text extraction in logical order; tests/test_devanagari.py checks it
        for paragraph in article.body:
            for word in paragraph.text.split():
                if _squeezed(word) and _squeezed(word) not in printed:
                    missing.append(f"{article.id}: {word!r}")
    return missing
