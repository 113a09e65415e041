"""The one Jinja2 environment: autoescaping everywhere, so article text can never become markup."""

from __future__ import annotations

import datetime as dt
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from .strings import fill

__all__ = ["CSP", "environment", "long_date"]

# Everything the pages load comes from the edition folder itself; no inline script or style anywhere.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"


def long_date(value: dt.date | str) -> str:
    """``2026-11-28`` → ``Saturday, 28 November 2026`` (locale-independent on purpose: reproducible)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{value:%A}, {value.day} {value:%B %Y}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("epaper.web", "templates"),
        autoescape=True,  # all templates, whatever their extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["CSP"] = CSP
    env.filters["long_date"] = long_date
    env.filters["fill"] = lambda template, **values: fill(template, **values)
    return env
