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

from epaper.ingest.problems import ProblemLog, quote

__all__ = ["FrontMatterFile", "load_json", "load_yaml", "read_text", "split_front_matter"]

# Sizes only a mistake (or a hostile file) reaches; stated in README.md and docs/contracts.md.
MAX_FILE_BYTES = 8_000_000  # one article or edition.yaml: a long article is ~100 kB of text
MAX_DEPTH = 16  # nesting of lists and mappings: an article needs 4 (pin, images[0].src)
MAX_VALUES = 200_000  # values after YAML aliases are expanded: stops a "billion laughs" file


class _TooComplex(Exception):
    """A parsed file nests too deep or expands to too many values; ``args[0]`` says which."""


def _loader_class() -> type:
    # libyaml's parser is several times faster on a hundred front-matter blocks; same semantics.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        """Safe YAML with three changes: dates and times stay text as written (``2026-02-30`` is
        reported by the field that reads it, not raised while parsing), and a key given twice in one
        mapping is recorded in ``duplicates`` instead of the last one silently winning."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicates: list[yaml.Node] = []  # the key nodes given a second time

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # '<<: *defaults' then a key of its own is an override, not a duplicate
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        self.duplicates.append(key_node)
                    seen.add(key)
                except TypeError:
                    pass  # an unhashable key: SafeConstructor reports it as an error itself
            return super().construct_mapping(node, deep=deep)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return Loader


_Loader = _loader_class()
_SIZE_FIX = "this can only be a mistake: check the file was exported correctly"


def read_text(path: Path, file: str, problems: ProblemLog) -> str | None:
    """The file as text with ``\\n`` line endings, or ``None`` (and a problem) if it can't be read."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        problems.add(file, "", f"cannot be read ({getattr(exc, 'strerror', None) or exc})",
                     "check the file exists and is readable")
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.add(file, "", f"is larger than {MAX_FILE_BYTES // 1_000_000} MB", _SIZE_FIX)
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


def _unreadable_value(exc: ValueError) -> tuple[str, str]:
    """The message and fix for a value the parser could not convert."""
    if "integer string conversion" in str(exc):  # Python reads at most 4300 digits of a number
        return ("holds a number too long to read (thousands of digits)",
                "shorten the number, or put it in quotes if it is meant as text")
    return f"holds a value that cannot be read ({exc})", "correct or remove that value"


def load_yaml(text: str, file: str, problems: ProblemLog, *, first_line: int = 1) -> Any:
    """Parse YAML; on error report the parser's line and column (``first_line`` offsets front matter)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        value = _plain(loader.construct_document(root) if root is not None else None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        tabbed = _tabbed(text, mark.line, mark.column) if mark is not None else None
        if mark is not None and tabbed is not None:
            # PyYAML says "found character that cannot start any token" (or "… violates indentation"),
            # and the tab does not show in most editors: say what it is, and before what.
            before = f" before {quote(tabbed, 40)}" if tabbed else ""
            problems.add(file, "", f"is not valid YAML{where}: a tab character{before}, and YAML indents with "
                         "spaces only", f"replace the tab on line {mark.line + first_line} with spaces "
                         "(an editor's 'indent using spaces' does it as you type)")
            return None
        reason = exc.problem or exc.context or "invalid YAML"
        began = exc.context_mark
        if exc.problem and exc.context and began is not None and mark is not None \
                and (began.line, began.column) != (mark.line, mark.column):
            # A quote or bracket never closed: the parser notices at the end of the file (or of the
            # block), lines later; where it began is where the desk has to look.
            reason += f" ({exc.context} that begins at line {began.line + first_line}, column {began.column + 1})"
        problems.add(file, "", f"is not valid YAML{where}: {reason}",
                     "fix the YAML syntax there (quote values that contain ': ' or start with a special character)")
        return None
    except yaml.YAMLError as exc:
        problems.add(file, "", f"is not valid YAML: {exc}", "fix the YAML syntax")
        return None
    except (_TooComplex, RecursionError) as exc:
        problems.add(file, "", _too_complex(exc), _SIZE_FIX + " (YAML aliases '*name' repeat what '&name' holds)")
        return None
    except ValueError as exc:  # a value the parser cannot turn into Python's (a number thousands of digits long)
        problems.add(file, "", *_unreadable_value(exc))
        return None
    finally:
        loader.dispose()
    for key_node in loader.duplicates:
        problems.add(file, _field_path(root, key_node) or str(key_node.value),
                     f"is given twice (again at line {key_node.start_mark.line + first_line}); "
                     "only one value can be used", "delete one of them")
    return value


def _field_path(node: yaml.Node | None, key_node: yaml.Node, path: str = "") -> str | None:
    """Where ``key_node`` is below ``node``, as the problems name a field ("variants[1].ads"): a
    key given twice in a night file's third variant is not told apart from the same key elsewhere
    by its name alone."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{path}.{key.value}" if path else str(key.value)
            if key is key_node:
                return name
            found = _field_path(value, key_node, name)
            if found is not None:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found = _field_path(item, key_node, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _tabbed(text: str, line: int, column: int) -> str | None:
    """When the parser stopped at a tab (``line`` and ``column`` counted from 0 in ``text``), what
    follows the tabs and spaces there on that line ("pages: 1"); else None."""
    lines = text.split("\n")
    if line >= len(lines) or lines[line][column:column + 1] != "\t":
        return None
    return lines[line][column:].strip(" \t")


# A story file with nothing in it: most often one saved as it was being written, or cut short.
_EMPTY = "is empty (nothing in the file)"
_EMPTY_FIX = "save the story again in full, or take the file out of the folder"


def load_json(text: str, file: str, problems: ProblemLog) -> Any:
    if not text.strip():
        problems.add(file, "", _EMPTY, _EMPTY_FIX)
        return None
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    try:
        value = _plain(json.loads(text, object_pairs_hook=pairs))
    except json.JSONDecodeError as exc:
        problems.add(file, "", f"is not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                     "fix the JSON syntax there (check for a missing comma, quote or bracket)")
        return None
    except (_TooComplex, RecursionError) as exc:
        problems.add(file, "", _too_complex(exc), _SIZE_FIX)
        return None
    except ValueError as exc:  # after JSONDecodeError, which is one
        problems.add(file, "", *_unreadable_value(exc))
        return None
    for key in dict.fromkeys(duplicates):
        problems.add(file, key, "is given twice; only one value can be used", "delete one of them")
    return value


def _too_complex(exc: BaseException) -> str:
    if isinstance(exc, _TooComplex):
        return str(exc)
    return f"nests lists or mappings deeper than {MAX_DEPTH} levels"


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown article split into its YAML header text and its body text."""

    header: str
    header_first_line: int  # line number in the file of the header's first line
    body: str


def split_front_matter(text: str, file: str, problems: ProblemLog) -> FrontMatterFile | None:
    """Split ``---`` / YAML / ``---`` / Markdown; ``None`` (and a problem) if there is no header."""
    if not text.strip():
        problems.add(file, "", _EMPTY, _EMPTY_FIX)
        return None
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
    """YAML turns unquoted numbers-as-keys into numbers; keep keys as text like JSON would. Also the
    one walk over every value that enforces :data:`MAX_DEPTH` and :data:`MAX_VALUES` (a YAML alias
    is walked each time it is used, which is exactly the expansion a "billion laughs" relies on)."""
    budget = [MAX_VALUES]

    def walk(item: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooComplex(f"holds more than {MAX_VALUES:,} values (after YAML aliases are expanded)")
        if depth > MAX_DEPTH and isinstance(item, (dict, list)):
            raise _TooComplex(f"nests lists or mappings deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            return {key if isinstance(key, str) else str(key): walk(entry, depth + 1) for key, entry in item.items()}
        if isinstance(item, list):
            return [walk(entry, depth + 1) for entry in item]
        if isinstance(item, (dt.datetime, dt.date)):
            return item.isoformat()
        return item

    return walk(value, 0)
