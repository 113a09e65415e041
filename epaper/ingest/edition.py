"""The whole edition folder: manifest, every article, cross-file checks, font coverage.

``validate_edition``, ``load_edition`` and ``read_edition`` share one pass, so what validation
reports is exactly what a build would refuse. Errors stop a build; warnings (something that will not
print as given: an unknown field, a file that is not an article, a section with no stories) do not,
unless the build is ``--strict``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from epaper.ingest.articles import ARTICLE_SUFFIXES, ArticleRead, read_article
from epaper.ingest.coverage import FontCoverage, font_coverage
from epaper.ingest.manifest import MANIFEST, Manifest, read_manifest
from epaper.ingest.page_refs import check_page_references, with_page_numbers
from epaper.ingest.problems import InvalidEdition, Problem, ProblemLog, quote
from epaper.model import Article, Edition

__all__ = ["ArticleMemo", "EditionReading", "check_coverage", "folder_of", "load_edition", "read_articles", "read_edition",
           "validate_edition"]

ARTICLES_DIR = "articles"


def folder_of(article: Article, root: Path) -> Path:
    """The edition folder the story came from, which its photo paths are written from: the one
    holding its ``articles/`` (a zone's own folder for a zone's story, not the main edition's ``root``)."""
    return next((folder.parent for folder in article.source_file.parents if folder.name == ARTICLES_DIR), root)
_COVERAGE_FIX = "remove it or add a font that covers it to fonts/fonts.yaml"


@dataclass(frozen=True)
class EditionReading:
    """The edition (``None`` when there are errors), its errors and its warnings."""

    edition: Edition | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()


class ArticleMemo(Protocol):
    """Remembers what reading one article file found (the build cache gives one): called with the
    file, the manifest it was checked against and the function that reads it into a problem log;
    returns what was read, with the log, remembered for the same file bytes and manifest, or reads
    it. Reading an edition of a hundred stories takes half a second; most of them did not change."""

    def __call__(self, path: Path, manifest: Manifest,
                 read: Callable[[ProblemLog], ArticleRead]) -> tuple[ArticleRead, ProblemLog]: ...


def validate_edition(folder: Path) -> tuple[Problem, ...]:
    """Every error in the edition folder; empty when it can be built (warnings: ``read_edition``)."""
    return read_edition(Path(folder)).problems


def load_edition(folder: Path) -> Edition:
    """The edition as frozen data; raises :class:`InvalidEdition` listing all problems at once."""
    reading = read_edition(Path(folder))
    if reading.problems or reading.edition is None:
        raise InvalidEdition(reading.problems)
    return reading.edition


def read_edition(folder: Path, *, article_memo: ArticleMemo | None = None) -> EditionReading:
    """The edition folder read and checked. ``article_memo`` remembers each article file's reading."""
    problems = ProblemLog()
    root = Path(folder)
    try:
        is_folder, exists = root.is_dir(), root.exists()
    except (OSError, ValueError):  # a NUL in the path, or a name too long for the file system
        is_folder = exists = False
    if not is_folder:
        # (A path misspelt is not there at all: "not a folder" sent the desk looking for a file.)
        problems.add(str(root), "", "is not a folder" if exists else "no such folder",
                     "give the path of an edition folder (it holds edition.yaml)")
        return EditionReading(None, problems.as_tuple())

    coverage = font_coverage()
    manifest = read_manifest(root, problems)
    _check_manifest_coverage(manifest, coverage, problems)
    articles = _read_articles(root, manifest, coverage, problems, article_memo)

    if not problems:  # with errors, an article that failed to read may be the section's
        _check_empty_sections(manifest, articles, problems)
    if manifest.section_names:  # else every reference would name no section
        check_page_references(articles, manifest.section_names, problems, ARTICLES_DIR)

    if problems or not manifest.complete or manifest.title is None or manifest.date is None \
            or manifest.format_name is None:
        return EditionReading(None, problems.as_tuple(), problems.warnings())
    edition = with_page_numbers(Edition(
        title=manifest.title, date=manifest.date, edition=manifest.edition, language=manifest.language,
        format=manifest.format_name, sections=manifest.sections, articles=articles, root=root.resolve(),
        ads=manifest.ads, extra=manifest.extra, digits=manifest.digits, rights=manifest.rights,
        attribution=manifest.attribution, time_zone=manifest.time_zone,
    ))
    return EditionReading(edition, (), problems.warnings())


def _article_files(folder: Path, problems: ProblemLog) -> list[Path]:
    """Article files in name order (deterministic builds). Hidden entries (``.DS_Store``, editor swap
    files) are passed over in silence; anything else that is not read is a warning saying why."""
    files = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith("."):
            continue
        file = f"{ARTICLES_DIR}/{name}"
        if path.is_dir():
            problems.warn(file + "/", "", "is a folder: articles in subfolders are not read",
                          "move its articles up into articles/ (or the folder out of it)")
        elif not path.is_file():
            problems.warn(file, "", "is not a regular file (a broken link or a device), so it is not read",
                          "replace it with the article file")
        elif path.suffix.lower() not in ARTICLE_SUFFIXES:
            problems.warn(file, "", f"is not read: only {', '.join(ARTICLE_SUFFIXES)} files are articles",
                          "save the article as .json or .md (YAML front matter and a Markdown body), "
                          "or move the file out of articles/")
        elif name.startswith("_"):
            problems.warn(file, "", "is not read: a name starting with '_' marks a draft",
                          "remove the '_' to print it")
        elif path.stem.upper().startswith("README"):
            problems.warn(file, "", "is not read: a README is notes, not an article",
                          "rename it if it is an article")
        else:
            files.append(path)
    return files


def _check_empty_sections(manifest: Manifest, articles: tuple[Article, ...], problems: ProblemLog) -> None:
    filled = {article.section for article in articles}
    for index, section in enumerate(manifest.sections):
        if section.name not in filled:
            pages = "page" if section.pages == 1 else f"{section.pages} pages"
            problems.warn(MANIFEST, f"sections[{index}]", f"section {quote(section.name)} has no articles: "
                          f"its {pages} will be blank", "add articles to it or remove the section")


def read_articles(root: Path, manifest: Manifest, problems: ProblemLog) -> tuple[Article, ...]:
    """The articles of ``root/articles/`` checked against ``manifest`` (its sections, language,
    pages): what an edition folder's articles are read with, for a folder holding only articles
    (a zone edition of a night, :mod:`epaper.night`). Problems name files relative to ``root``."""
    return _read_articles(root, manifest, font_coverage(), problems)


def _read_articles(root: Path, manifest: Manifest, coverage: FontCoverage, problems: ProblemLog,
                   memo: ArticleMemo | None = None) -> tuple[Article, ...]:
    folder = root / ARTICLES_DIR
    if not folder.is_dir():
        problems.add(f"{ARTICLES_DIR}/", "", "folder is missing",
                     "create an articles/ folder with one .json or .md file per article")
        return ()
    files = _article_files(folder, problems)
    if not files:
        problems.add(f"{ARTICLES_DIR}/", "", "has no articles (.json or .md files)",
                     "add one .json or .md file per article")
        return ()
    articles: list[Article] = []
    first_file_of: dict[str, str] = {}
    for path in files:
        def read(log: ProblemLog, path: Path = path) -> ArticleRead:
            reading = read_article(path, root, manifest, log)
            _check_coverage(reading, coverage, log)
            return reading

        if memo is None:
            reading = read(problems)
        else:
            reading, log = memo(path, manifest, read)
            problems.extend(log)
        if reading.id is not None:
            if reading.id in first_file_of:
                problems.add(reading.file, "id",
                             f"duplicate id '{reading.id}' — also used by {first_file_of[reading.id]}",
                             "give each article its own id")
            else:
                first_file_of[reading.id] = reading.file
        if reading.article is not None:
            articles.append(reading.article)
    return tuple(articles)


def _check_coverage(reading: ArticleRead, coverage: FontCoverage, problems: ProblemLog) -> None:
    for field_name, text in _merge_fields(reading.texts):
        for uncovered in coverage.uncovered(text):
            problems.add(reading.file, field_name, _uncovered_message(uncovered.label, uncovered.char),
                         _COVERAGE_FIX)


def _check_manifest_coverage(manifest: Manifest, coverage: FontCoverage, problems: ProblemLog) -> None:
    texts = [("title", manifest.title or ""), ("edition", manifest.edition)]
    texts += [(f"sections[{i}].name", name) for i, name in enumerate(manifest.section_names)]
    check_coverage(MANIFEST, texts, problems, coverage)


def check_coverage(file: str, texts: list[tuple[str, str]], problems: ProblemLog,
                   coverage: FontCoverage | None = None) -> None:
    """A problem for each character of the (field, text) pairs no configured font covers (it would
    print as a blank box): the edition's manifest, or a night file's zone names."""
    coverage = coverage or font_coverage()
    for field_name, text in texts:
        for uncovered in coverage.uncovered(text):
            problems.add(file, field_name, _uncovered_message(uncovered.label, uncovered.char), _COVERAGE_FIX)


def _merge_fields(texts: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """One text per field (body paragraphs joined), so a character is reported once per field."""
    merged: dict[str, list[str]] = {}
    for field_name, text in texts:
        merged.setdefault(field_name, []).append(text)
    return [(name, "\n".join(parts)) for name, parts in merged.items()]


def _uncovered_message(label: str, char: str) -> str:
    shown = f" ('{char}')" if not unicodedata.category(char).startswith(("C", "Z")) else ""
    return f"character {label}{shown} is not covered by any configured font"
