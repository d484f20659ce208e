"""The deadline rules, with the clock passed in."""
from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.exams.timing import (
    GRACE, Accommodation, SaveTiming, classify_save, deadline, is_expired, parse_fraction, personal_close,
    seconds_left, time_allowed, warning_due,
)

T0 = datetime(2026, 6, 15, 8, 0, tzinfo=timezone.utc)
FIVE_HOURS = 5 * 3600
TIERS_TEMPS = Accommodation(fraction=Fraction(1, 3))


def test_tiers_temps_on_a_five_hour_exam():
    assert time_allowed(FIVE_HOURS, TIERS_TEMPS) == FIVE_HOURS + 6000  # 1 h 40 more


def test_fraction_and_minutes_stack_with_incident_time():
    both = Accommodation(fraction=Fraction(1, 3), minutes=15)
    assert time_allowed(3 * 3600 + 1800, both, granted_seconds=600) == 12600 + 4200 + 900 + 600


def test_deadline_is_start_plus_time_allowed():
    assert deadline(started_at=T0, base_seconds=FIVE_HOURS) == T0 + timedelta(hours=5)
    assert deadline(started_at=T0, base_seconds=FIVE_HOURS, accommodation=TIERS_TEMPS) == T0 + timedelta(hours=6, minutes=40)


def test_window_cuts_a_late_starter_but_extends_for_an_accommodated_one():
    closes = T0 + timedelta(hours=6)
    late = T0 + timedelta(hours=2)
    assert deadline(started_at=late, base_seconds=FIVE_HOURS, window_closes=closes) == closes
    assert deadline(started_at=late, base_seconds=FIVE_HOURS, window_closes=closes,
                    accommodation=TIERS_TEMPS) == closes + timedelta(minutes=100)


def test_accommodated_candidate_starting_at_the_opening_is_never_cut_by_the_window():
    closes = T0 + timedelta(hours=5)  # window exactly the exam's length
    end = deadline(started_at=T0, base_seconds=FIVE_HOURS, window_closes=closes, accommodation=TIERS_TEMPS,
                   granted_seconds=900)
    assert end == T0 + timedelta(hours=6, minutes=55)
    assert personal_close(closes, FIVE_HOURS, TIERS_TEMPS, 900) == end


@given(base=st.integers(60, 6 * 3600), num=st.integers(0, 6), minutes=st.integers(0, 120),
       granted=st.integers(0, 3600), offset=st.integers(0, 3 * 3600))
def test_more_extra_time_never_shortens_the_deadline(base, num, minutes, granted, offset):
    closes = T0 + timedelta(seconds=base)
    start = T0 + timedelta(seconds=offset)
    plain = deadline(started_at=start, base_seconds=base, window_closes=closes)
    extended = deadline(started_at=start, base_seconds=base, window_closes=closes,
                        accommodation=Accommodation(Fraction(num, 6), minutes), granted_seconds=granted)
    assert extended >= plain
    assert extended - plain <= timedelta(seconds=time_allowed(base, Accommodation(Fraction(num, 6), minutes), granted) - base)


def test_saves_around_the_deadline():
    end = T0 + timedelta(hours=5)
    assert classify_save(end - timedelta(seconds=1), end) is SaveTiming.ON_TIME
    assert classify_save(end, end) is SaveTiming.ON_TIME
    assert classify_save(end + timedelta(seconds=30), end) is SaveTiming.IN_GRACE
    assert classify_save(end + GRACE, end) is SaveTiming.IN_GRACE
    assert classify_save(end + GRACE + timedelta(seconds=1), end) is SaveTiming.LATE
    assert not is_expired(end + GRACE, end) and is_expired(end + GRACE + timedelta(microseconds=1), end)


def test_time_left_and_warnings():
    end = T0 + timedelta(hours=1)
    assert seconds_left(T0, end) == 3600 and seconds_left(end + timedelta(1), end) == 0
    assert warning_due(31 * 60) is None
    assert warning_due(30 * 60) == 1800 and warning_due(9 * 60) == 600 and warning_due(59) == 60


@pytest.mark.parametrize("text, value", [("1/3", Fraction(1, 3)), ("0,5", Fraction(1, 2)), ("", Fraction(0)), ("1", Fraction(1))])
def test_fractions_as_admins_type_them(text, value):
    assert parse_fraction(text) == value


@pytest.mark.parametrize("text", ["un tiers", "1/0", "-1/3", "5"])
def test_bad_fractions_say_why(text):
    with pytest.raises(ValueError, match="fraction|outside"):
        parse_fraction(text)


def test_negative_extra_time_is_refused():
    with pytest.raises(ValueError):
        Accommodation(minutes=-5)
