"""The one Jinja2 environment: autoescaping everywhere, so article text can never become markup.

Templates are rendered with ``words`` (an :class:`epaper.i18n.Wording`: ``words.say('on_page', page=3)``,
``words.long_date(date)``) and ``ui`` (its messages, for those without placeholders: ``ui.share``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket

from epaper.i18n import Wording
from epaper.model import edition_name

__all__ = ["CSP", "environment", "keep_compiled_templates", "load_templates", "render"]

# Everything the pages load comes from the edition folder itself; no inline script or style anywhere.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"


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
    env.filters["edition_name"] = edition_name
    return env


def render(template: str, words: Wording, **context: object) -> str:
    """``template`` rendered with the page's wording: ``words``, its messages as ``ui``, ``lang`` its language
    (unless the context names the page's language itself)."""
    context.setdefault("lang", words.language)
    return environment().get_template(template).render(words=words, ui=words.messages, **context)


def load_templates() -> None:
    """Compile every template now (each is compiled when first rendered, and kept): a process that
    stays (``epaper watch``) does it before its first replate rather than during it."""
    env = environment()
    for name in env.list_templates():
        env.get_template(name)


def keep_compiled_templates(folder: Path) -> None:
    """Keep the templates compiled in ``folder`` (Jinja's bytecode cache: checked against each
    template's source, Jinja's version and Python's), for the processes after this one: compiling
    them took ~50 ms of each ``epaper build`` and ``replate``, loading them takes ~1 ms. The first
    folder a process names is the one it keeps."""
    env = environment()
    if env.bytecode_cache is None:
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = _KeptTemplates(str(folder))


class _KeptTemplates(FileSystemBytecodeCache):
    """Jinja's bytecode cache in a folder that may be gone (an output folder removed while the
    process goes on building others) or full: a template not kept is compiled again next time."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass
