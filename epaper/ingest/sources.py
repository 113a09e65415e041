"""Reading input files: bytes to text, text to data, each failure a Problem with a line and column.

Nothing here knows what an article or a manifest is; it only turns files into Python values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from epaper.ingest.problems import ProblemLog

__all__ = ["FrontMatterFile", "load_json", "load_yaml", "read_text", "split_front_matter"]

# libyaml's loader is several times faster on a hundred front-matter blocks; same semantics.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, file: str, problems: ProblemLog) -> str | None:
    """The file as text with ``\\n`` line endings, or ``None`` (and a problem) if it can't be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(file, "", f"cannot be read ({exc.strerror or exc})", "check the file exists and is readable")
        return None
    try:
        text = data.decode("utf-8-sig")  # a BOM from a Windows editor is harmless; drop it
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(
            file, "",
            f"is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line} is not valid UTF-8)",
            "save the file with UTF-8 encoding",
        )
        return None
    # Editors on different systems save \r\n or \r; everything downstream sees only \n.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(text: str, file: str, problems: ProblemLog, *, first_line: int = 1) -> Any:
    """Parse YAML; on error report the parser's line and column (``first_line`` offsets front matter)."""
    try:
        return _plain(yaml.load(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        reason = exc.problem or exc.context or "invalid YAML"
        problems.add(file, "", f"is not valid YAML{where}: {reason}",
                     "fix the YAML syntax there (quote values that contain ': ' or start with a special character)")
    except yaml.YAMLError as exc:
        problems.add(file, "", f"is not valid YAML: {exc}", "fix the YAML syntax")
    return None


def load_json(text: str, file: str, problems: ProblemLog) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(file, "", f"is not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                     "fix the JSON syntax there (check for a missing comma, quote or bracket)")
        return None


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown article split into its YAML header text and its body text."""

    header: str
    header_first_line: int  # line number in the file of the header's first line
    body: str


def split_front_matter(text: str, file: str, problems: ProblemLog) -> FrontMatterFile | None:
    """Split ``---`` / YAML / ``---`` / Markdown; ``None`` (and a problem) if there is no header."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(file, "", "has no front matter (the file must start with a '---' line)",
                     "start the file with '---', the article's fields in YAML, then '---' and the body")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return FrontMatterFile(header="\n".join(lines[1:index]), header_first_line=2,
                                   body="\n".join(lines[index + 1:]))
    problems.add(file, "", "front matter is not closed (no second '---' line)",
                 "add a line with '---' after the article's fields and before the body")
    return None


def _plain(value: Any) -> Any:
    """YAML turns unquoted dates and times into objects; keep them as ISO text like JSON would."""
    if isinstance(value, dict):
        return {key if isinstance(key, str) else str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
