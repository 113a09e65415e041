"""Shared fixtures. The sample edition is built once per test session and reused (it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-edition"


def pytest_collection_modifyitems(items):
    """A test that needs the sample edition built (PDFs, images, tiles, site) is slow: `make test-fast`
    leaves it out, `make test` runs it."""
    for item in items:
        if "sample_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def pytest_sessionfinish(session, exitstatus):
    """The processes emptying the trash that builds in this process started (Store.discard) run on
    after them: waited for here, not left running when the test process exits (Python then warns
    that each "is still running", and the run's folders they delete from go at its end)."""
    from epaper.cache.store import settle_discards

    settle_discards()


@pytest.fixture(scope="session")
def sample_edition():
    from epaper.ingest import load_edition

    return load_edition(SAMPLE)


@pytest.fixture(scope="session")
def sample_layout(sample_edition):
    from epaper.layout import lay_out

    return lay_out(sample_edition)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample edition built into a temporary output root: (BuildResult, output root)."""
    from epaper.build import build_edition

    out_root = tmp_path_factory.mktemp("output")
    result = build_edition(SAMPLE, out_root)
    return result, out_root
