"""The whole edition folder: manifest, every article, cross-file checks, font coverage.

``validate_edition`` and ``load_edition`` share one pass, so what validation reports is exactly
what a build would refuse.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from epaper.ingest.articles import ARTICLE_SUFFIXES, ArticleRead, read_article
from epaper.ingest.coverage import FontCoverage, font_coverage
from epaper.ingest.manifest import MANIFEST, Manifest, read_manifest
from epaper.ingest.problems import InvalidEdition, Problem, ProblemLog
from epaper.model import Article, Edition

__all__ = ["load_edition", "validate_edition"]

ARTICLES_DIR = "articles"
_COVERAGE_FIX = "remove it or add a font that covers it to fonts/fonts.yaml"


@dataclass(frozen=True)
class _Reading:
    edition: Edition | None
    problems: tuple[Problem, ...]


def validate_edition(folder: Path) -> tuple[Problem, ...]:
    """Every problem in the edition folder; empty when it can be built."""
    return _read_edition(Path(folder)).problems


def load_edition(folder: Path) -> Edition:
    """The edition as frozen data; raises :class:`InvalidEdition` listing all problems at once."""
    reading = _read_edition(Path(folder))
    if reading.problems or reading.edition is None:
        raise InvalidEdition(reading.problems)
    return reading.edition


def _read_edition(root: Path) -> _Reading:
    problems = ProblemLog()
    if not root.is_dir():
        problems.add(str(root), "", "is not a folder", "give the path of an edition folder (it holds edition.yaml)")
        return _Reading(None, problems.as_tuple())

    coverage = font_coverage()
    manifest = read_manifest(root, problems)
    _check_manifest_coverage(manifest, coverage, problems)
    articles = _read_articles(root, manifest, coverage, problems)

    if problems or not manifest.complete or manifest.title is None or manifest.date is None \
            or manifest.format_name is None:
        return _Reading(None, problems.as_tuple())
    edition = Edition(
        title=manifest.title, date=manifest.date, edition=manifest.edition, language=manifest.language,
        format=manifest.format_name, sections=manifest.sections, articles=articles, root=root.resolve(),
        ads=manifest.ads, extra=manifest.extra,
    )
    return _Reading(edition, ())


def _article_files(folder: Path) -> list[Path]:
    """Article files in name order (deterministic builds); READMEs, hidden and other files are skipped."""
    return sorted(
        path for path in folder.iterdir()
        if path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not path.name.startswith((".", "_"))
        and not path.stem.upper().startswith("README")
    )


def _read_articles(root: Path, manifest: Manifest, coverage: FontCoverage,
                   problems: ProblemLog) -> tuple[Article, ...]:
    folder = root / ARTICLES_DIR
    if not folder.is_dir():
        problems.add(f"{ARTICLES_DIR}/", "", "folder is missing",
                     "create an articles/ folder with one .json or .md file per article")
        return ()
    files = _article_files(folder)
    if not files:
        problems.add(f"{ARTICLES_DIR}/", "", "has no articles (.json or .md files)",
                     "add one .json or .md file per article")
        return ()
    articles: list[Article] = []
    first_file_of: dict[str, str] = {}
    for path in files:
        reading = read_article(path, root, manifest, problems)
        if reading.id is not None:
            if reading.id in first_file_of:
                problems.add(reading.file, "id",
                             f"duplicate id '{reading.id}' — also used by {first_file_of[reading.id]}",
                             "give each article its own id")
            else:
                first_file_of[reading.id] = reading.file
        _check_coverage(reading, coverage, problems)
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
    texts += [(f"ads[{i}].label", ad.label) for i, ad in enumerate(manifest.ads)]
    for field_name, text in texts:
        for uncovered in coverage.uncovered(text):
            problems.add(MANIFEST, field_name, _uncovered_message(uncovered.label, uncovered.char),
                         _COVERAGE_FIX)


def _merge_fields(texts: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """One text per field (body paragraphs joined), so a character is reported once per field."""
    merged: dict[str, list[str]] = {}
    for field_name, text in texts:
        merged.setdefault(field_name, []).append(text)
    return [(name, "\n".join(parts)) for name, parts in merged.items()]


def _uncovered_message(label: str, char: str) -> str:
    shown = f" ('{char}')" if not unicodedata.category(char).startswith(("C", "Z")) else ""
    return f"character {label}{shown} is not covered by any configured font"
