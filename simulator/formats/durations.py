"""Durations as trainers write them: "5h", "3h30", "20 min", "1 h 30 min", "90s"."""
from __future__ import annotations

import re

_PATTERN = re.compile(
    r"^\s*(?:(?P<h>\d+)\s*h(?:eures?)?\s*(?P<hm>\d{1,2})?(?:\s*min)?"
    r"|(?P<m>\d+)\s*min(?:utes?)?(?:\s*(?P<ms>\d{1,2})\s*s)?"
    r"|(?P<s>\d+)\s*s(?:ec(?:ondes?)?)?)\s*$",
    re.IGNORECASE,
)

EXPECTED = 'a duration such as "5h", "3h30", "20 min" or "90s"'


def parse_duration(text: str) -> int:
    """Return the duration in seconds, or raise ValueError."""
    match = _PATTERN.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not {EXPECTED}")
    parts = match.groupdict()
    if parts["h"] is not None:
        minutes = int(parts["hm"] or 0)
        if minutes >= 60:
            raise ValueError(f"{text!r} is not a valid duration: {minutes} minutes after the hours")
        seconds = int(parts["h"]) * 3600 + minutes * 60
    elif parts["m"] is not None:
        seconds = int(parts["m"]) * 60 + int(parts["ms"] or 0)
    else:
        seconds = int(parts["s"])
    if seconds <= 0:
        raise ValueError(f"{text!r} is not a positive duration")
    return seconds


def format_duration(seconds: int) -> str:
    """The French way: 3 h 30, 20 min, 1 min 30 s."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"
