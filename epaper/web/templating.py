"""The one Jinja2 environment: autoescaping everywhere, so article text can never become markup.

Templates are rendered with ``words`` (an :class:`epaper.i18n.Wording`: ``words.say('on_page', page=3)``,
``words.long_date(date)``) and ``ui`` (its messages, for those without placeholders: ``ui.share``);
``say_html('page_download', section=<markup>)`` fills a message with markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from epaper.i18n import Wording
from epaper.i18n.messages import fill
from epaper.model import edition_name

__all__ = ["CSP", "environment", "keep_compiled_templates", "load_templates", "render", "say_html"]

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
    env.globals["say_html"] = say_html
    return env


@pass_context
def say_html(context: Context, key: str, **values: object) -> Markup:
    """``words.say`` where a value is markup (a macro's section name in a span of its language): the
    message and the other values escaped, that one kept."""
    words: Wording = context["words"]
    escaped = {k: str(escape(words.written(v))) for k, v in values.items()}
    return Markup(fill(str(escape(words.messages[key])), **escaped))


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
