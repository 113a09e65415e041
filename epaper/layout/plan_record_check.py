"""What a ``plan.json`` must hold before ``--lock`` trusts it.

The record is read back from disk, where anything may have happened to it (an editor, a truncated
copy, another tool). Each field lock replays is checked for its type and range, so a damaged
record is a message naming the field, not a traceback half-way through rebuilding a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["record_problem"]

Check = Callable[[Any], bool]


def _int(low: int = 0) -> Check:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= low


def _optional(check: Check) -> Check:
    return lambda v: v is None or check(v)


def _ints(count: int, low: int = 0) -> Check:
    return lambda v: isinstance(v, list) and len(v) == count and all(_int(low)(x) for x in v)


def _slot(v: Any) -> bool:  # col, cols, top, height
    return _ints(4)(v) and v[1] >= 1 and v[3] >= 1


_STR: Check = lambda v: isinstance(v, str)  # noqa: E731
_BOOL: Check = lambda v: isinstance(v, bool)  # noqa: E731

_PLACEMENT: dict[str, Check] = {
    "article": _STR, "fingerprint": _STR, "slot": _slot,
    "lines": lambda v: _ints(2)(v) and v[0] <= v[1],
    "continued_to_part": _BOOL, "continued_from_page": _optional(_int(1)),
    "photo_rows": _optional(_int()), "design": lambda v: isinstance(v, dict),
    "adjustments": lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v),
}


def _design_checks() -> dict[str, Check]:
    """A check for each field of DesignOptions (what plan.json keeps of a module's design), from
    its default: a flag, a count, or a count that may be None."""
    from dataclasses import fields

    from epaper.layout.module import DesignOptions

    checks: dict[str, Check] = {}
    for f in fields(DesignOptions):
        checks[f.name] = (_BOOL if isinstance(f.default, bool) else _optional(_int()) if f.default is None
                          else _int())
    return checks


def _fields(data: Any, where: str, required: dict[str, Check], optional: dict[str, Check] | None = None) -> str | None:
    if not isinstance(data, dict):
        return f"{where} is not a mapping"
    for key, check in required.items():
        if key not in data:
            return f"{where} has no {key!r}"
        if not check(data[key]):
            return f"{where}.{key} is {data[key]!r}"
    for key, check in (optional or {}).items():
        if key in data and not check(data[key]):
            return f"{where}.{key} is {data[key]!r}"
    return None


def record_problem(record: Any) -> str | None:
    """The first thing wrong with a plan record (where and what), or None if lock can replay it."""
    problem = _fields(record, "the record", {"edition": _STR, "format": _STR, "pages": lambda v: isinstance(v, list)},
                      {"unplaced": lambda v: isinstance(v, list), "edition_fingerprint": _STR})
    if problem:
        return problem
    for k, entry in enumerate(record.get("unplaced", [])):
        problem = _fields(entry, f"unplaced[{k}]", {"article": _STR, "fingerprint": _STR})
        if problem:
            return problem
    for p, page in enumerate(record["pages"]):
        where = f"pages[{p}]"
        problem = _fields(page, where, {"number": _int(1), "section": _STR,
                                        "placements": lambda v: isinstance(v, list)},
                          {"quotations": lambda v: isinstance(v, list),
                           "refer_boxes": lambda v: isinstance(v, list) and all(_slot(s) for s in v),
                           "refers": lambda v: isinstance(v, list) and all(
                               isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in v),
                           "ads": lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v),
                           # 3x a share of the grid (retries.ROOMIER): above 1 for a short one-page section.
                           "roomier": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
                           and 0 <= v < float("inf")})
        if problem:
            return problem
        for k, entry in enumerate(page["placements"]):
            design = _design_checks()
            problem = (_fields(entry, f"{where}.placements[{k}]", _PLACEMENT, {"fixed": _STR})
                       or _fields(entry["design"], f"{where}.placements[{k}].design", {}, design)
                       or next((f"{where}.placements[{k}].design has an unknown key {key!r}"
                                for key in entry["design"] if key not in design), None))
            if problem:
                return problem
        if "refers" in page and len(page["refers"]) != len(page.get("refer_boxes", [])):
            return f"{where}.refers names the stories of {len(page['refers'])} refer boxes, not of its " \
                   f"{len(page.get('refer_boxes', []))}"
        for k, entry in enumerate(page.get("quotations", [])):
            problem = _fields(entry, f"{where}.quotations[{k}]", {"article": _STR, "slot": _slot})
            if problem:
                return problem
    return None
