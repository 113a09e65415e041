"""The edition's clock: the time zone its times are told in.

A desk in Nagpur building on a cloud machine (or in a container, whose clock is UTC) would see a
replate of 00:15 marked "updated 18:45" in the viewer, the archive and the IIIF manifest. So
``edition.yaml`` may name the IANA time zone the edition is made in (``time_zone: Asia/Kolkata``):
every time epaper records of a build (``version.json``'s ``made``, and from it the "updated HH:MM"
marks, METS's ``CREATEDATE``, the manifest's metadata) and the edition's IIIF ``navDate`` (its date's
midnight there) are that zone's. Without it: the building machine's local time, and ``navDate`` at
midnight UTC, as before. The zones are the tz database's (the system's, else the ``tzdata`` package's).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

__all__ = ["clock_time", "is_time_zone", "nav_date", "now", "time_zone_names", "today"]


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is a time zone of the tz database ("Asia/Kolkata", "UTC"), as it spells it:
    looked up in its list, not opened (a folder of it, "Europe", is no zone; nor, on a file system
    that ignores case, "asia/kolkata")."""
    return name in _names()


def time_zone_names() -> tuple[str, ...]:
    """Every time zone name the tz database has (for "did you mean" when one is misspelt)."""
    return tuple(sorted(_names()))


def today(time_zone: str | None = None) -> dt.date:
    """Today's date in ``time_zone``, else on the building machine's clock."""
    return dt.datetime.now(_zone(time_zone)).date() if time_zone else dt.date.today()


def now(time_zone: str | None = None) -> str:
    """This moment, ISO 8601 to the second with its offset: in ``time_zone``, else the building
    machine's local time."""
    moment = dt.datetime.now(_zone(time_zone)) if time_zone else dt.datetime.now().astimezone()
    return moment.isoformat(timespec="seconds")


def clock_time(made: str, time_zone: str | None = None) -> str:
    """HH:MM of the moment ``made`` (ISO 8601 with its offset) in ``time_zone``, else at its own
    offset: an edition's earlier versions, made before its time_zone was set, told in it too."""
    moment = dt.datetime.fromisoformat(made)
    return (moment.astimezone(_zone(time_zone)) if time_zone else moment).strftime("%H:%M")


def nav_date(date: str, time_zone: str | None = None) -> str:
    """The IIIF ``navDate`` of an edition of ``date`` (YYYY-MM-DD): its midnight in ``time_zone``
    (with that day's offset), else midnight UTC."""
    if not time_zone:
        return f"{date}T00:00:00Z"
    return dt.datetime.combine(dt.date.fromisoformat(date), dt.time(), _zone(time_zone)).isoformat()


# Names in the database's folder that are no place's zone: the machine's own setting (a build would
# tell another machine's time) and placeholders (an audit found both accepted).
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - _NOT_ZONES


@functools.lru_cache(maxsize=16)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)
