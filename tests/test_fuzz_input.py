"""Fuzzing the edition folder: any change to any field, file, image or path of (a small edition made
of) the sample's files is read without a traceback, every problem names a file of the edition and can
be printed, no file in articles/ goes unread without a word; the command line exits 0 or 1; and a
build that succeeds prints every word of every placed article.

Bounded for ``make test``: validation runs many examples in process; the command line and full builds
run a few and are marked slow. ``bench/fuzz_input.py`` runs the same checks much longer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from epaper.ingest import read_edition
from fuzz_edition import Mutation, check_reading, fresh_copy, mini_source, missing_words, mutated_copy, mutations, printable_mutations

_SETTINGS = dict(deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                        HealthCheck.data_too_large])


def test_the_unmutated_mini_edition_is_valid() -> None:
    reading = read_edition(mini_source())
    assert reading.problems == (), [str(p) for p in reading.problems]


@settings(max_examples=80, **_SETTINGS)
@given(mutation=mutations)
def test_any_mutation_is_read_without_a_traceback(tmp_path_factory, mutation: Mutation) -> None:
    folder = mutated_copy(mutation, tmp_path_factory.mktemp("fuzz"))
    reading = read_edition(folder)  # an exception here is the traceback a user would see
    assert check_reading(reading, folder) == [], mutation


@pytest.mark.slow
@settings(max_examples=6, **_SETTINGS)
@given(mutation=mutations)
def test_the_command_line_exits_0_or_1_without_a_traceback(tmp_path_factory, mutation: Mutation) -> None:
    folder = mutated_copy(mutation, tmp_path_factory.mktemp("fuzz-cli"))
    result = subprocess.run([sys.executable, "-m", "epaper", "validate", str(folder)], capture_output=True,
                            timeout=300, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode in (0, 1), (mutation, output)
    assert "Traceback" not in output, (mutation, output)


@pytest.mark.slow
@settings(max_examples=3, **_SETTINGS)
@given(mutation=printable_mutations() | mutations)  # half keep the edition valid, so it builds
def test_a_build_that_succeeds_prints_every_word(tmp_path_factory, mutation: Mutation) -> None:
    from epaper.build import build_edition
    from epaper.ingest import InvalidEdition

    folder = mutated_copy(mutation, tmp_path_factory.mktemp("fuzz-build"))
    try:
        result = build_edition(folder, folder.parent / "out", workers=1)
    except InvalidEdition as error:
        assert all(problem.file for problem in error.problems), mutation
        return
    assert missing_words(result.out_dir, result.laid_out.edition) == [], mutation


@pytest.mark.slow
def test_the_unmutated_mini_edition_prints_every_word(tmp_path: Path) -> None:
    """The word check itself works: a clean build passes it, and a word the PDF lacks is found."""
    from epaper.build import build_edition

    result = build_edition(fresh_copy(tmp_path / "edition"), tmp_path / "out", workers=1)
    edition = result.laid_out.edition
    assert missing_words(result.out_dir, edition) == []
    from dataclasses import replace

    from epaper.model import Paragraph, Run

    placed = next(a for a in edition.articles if a.language == "en" and a.id in
                  {r.article_id for p in result.laid_out.pages for r in p.regions})
    altered = replace(placed, body=placed.body + (Paragraph((Run("Zyxwvut"),)),))
    assert missing_words(result.out_dir, replace(edition, articles=(altered,))) == [f"{placed.id}: 'Zyxwvut'"]
