"""The cold build's step split (``bench/bench_epaper.py``) times the build by wrapping the functions it
calls under the names their modules import them by. A rename in the build leaves such a name behind:
the bench then stops with "is gone" before it times anything (the word-gap readback's did). Caught
here, in the suite, rather than on the next bench run."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from bench_epaper import STEPS  # noqa: E402


def test_every_step_the_bench_wraps_is_a_function_the_build_calls_by_that_name():
    gone = [f"{module}.{attribute}" for module, attribute, _, _ in STEPS
            if not callable(getattr(importlib.import_module(module), attribute, None))]
    assert not gone, f"bench_epaper's STEPS name functions that are gone: {gone}"
