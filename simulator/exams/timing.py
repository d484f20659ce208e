"""Time belongs to the server: the rules of deadlines, accommodations and grace.

Pure functions over aware UTC datetimes; nothing here reads a clock, so tests move
time by passing it in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from fractions import Fraction

GRACE = timedelta(seconds=60)  # for the last save in flight
WARNINGS = (30 * 60, 10 * 60, 60)  # seconds left at which the candidate is warned


@dataclass(frozen=True)
class Accommodation:
    """Aménagement: extra time as a fraction of the exam (1/3 is the tiers-temps),
    in minutes, or both, which stack."""

    fraction: Fraction = Fraction(0)
    minutes: int = 0

    def __post_init__(self) -> None:
        if self.fraction < 0 or self.minutes < 0:
            raise ValueError("extra time cannot be negative")

    def extra_seconds(self, base_seconds: int) -> int:
        return math.ceil(base_seconds * self.fraction) + self.minutes * 60


NONE = Accommodation()


def time_allowed(base_seconds: int, accommodation: Accommodation = NONE, granted_seconds: int = 0) -> int:
    """Seconds a candidate has: the exam's, their aménagement, and incident time granted."""
    return base_seconds + accommodation.extra_seconds(base_seconds) + granted_seconds


def personal_close(window_closes: datetime, base_seconds: int, accommodation: Accommodation = NONE,
                   granted_seconds: int = 0) -> datetime:
    """The session window, pushed back by the candidate's own extra time."""
    return window_closes + timedelta(seconds=time_allowed(base_seconds, accommodation, granted_seconds) - base_seconds)


def deadline(*, started_at: datetime, base_seconds: int, window_closes: datetime | None = None,
             accommodation: Accommodation = NONE, granted_seconds: int = 0) -> datetime:
    """When the attempt ends: its full time, unless the (personal) window closes first."""
    end = started_at + timedelta(seconds=time_allowed(base_seconds, accommodation, granted_seconds))
    if window_closes is None:
        return end
    return min(end, personal_close(window_closes, base_seconds, accommodation, granted_seconds))


class SaveTiming(Enum):
    ON_TIME = "on_time"
    IN_GRACE = "in_grace"  # kept, with its arrival time
    LATE = "late"  # refused, kept as evidence


def classify_save(received_at: datetime, deadline_at: datetime) -> SaveTiming:
    if received_at <= deadline_at:
        return SaveTiming.ON_TIME
    if received_at <= deadline_at + GRACE:
        return SaveTiming.IN_GRACE
    return SaveTiming.LATE


def is_expired(now: datetime, deadline_at: datetime) -> bool:
    """Past the deadline and its grace: the attempt must be handed in automatically."""
    return now > deadline_at + GRACE


def seconds_left(now: datetime, deadline_at: datetime) -> int:
    return max(0, math.ceil((deadline_at - now).total_seconds()))


def warning_due(left: int) -> int | None:
    """The warning threshold (in seconds) the candidate is under, if any."""
    due = [w for w in WARNINGS if left <= w]
    return min(due) if due else None


def parse_fraction(text: str) -> Fraction:
    """'1/3', '0.5', '' -> Fraction; raises ValueError with the reason."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return Fraction(0)
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{text!r} is not a fraction such as 1/3 or 0.5") from exc
    if not 0 <= value <= 2:
        raise ValueError(f"{text} is outside 0 to 2 (at most double time)")
    return value
