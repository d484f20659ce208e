import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.formats.durations import format_duration, parse_duration


@pytest.mark.parametrize("text, seconds", [
    ("5h", 5 * 3600), ("3h30", 3 * 3600 + 1800), ("3 h 30", 12600), ("4 heures", 14400),
    ("20 min", 1200), ("2min", 120), ("90s", 90), ("1h05", 3900), ("10 minutes", 600),
])
def test_durations_as_trainers_write_them(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["3 heures et demie", "", "h", "0 min", "2h75", "-5 min", "cinq heures"])
def test_what_is_not_a_duration_is_refused(text):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=59))
def test_hours_and_minutes(hours, minutes):
    if hours == 0 and minutes == 0:
        return
    assert parse_duration(f"{hours}h{minutes:02d}") == hours * 3600 + minutes * 60
    assert parse_duration(f"{hours * 60 + minutes} min") == hours * 3600 + minutes * 60


def test_french_display():
    assert format_duration(12600) == "3 h 30"
    assert format_duration(1200) == "20 min"
    assert format_duration(5 * 3600) == "5 h"
