"""Who wrote what: the edit between two revisions and the authorship carried across it."""
from hypothesis import given
from hypothesis import strategies as st

from simulator.groups.authorship import carry, edit_between

texts = st.text(alphabet="abé ", max_size=60)


@given(texts, texts)
def test_the_edit_rebuilds_the_new_text_from_the_old_one(old, new):
    edit = edit_between(old, new)
    end = len(old) - edit.start - edit.removed
    assert min(edit.start, end, edit.removed, edit.added) >= 0
    assert old[:edit.start] + new[edit.start:edit.start + edit.added] + old[len(old) - end:] == new


@given(texts, texts)
def test_the_kept_beginning_and_end_are_as_long_as_they_can_be(old, new):
    edit = edit_between(old, new)
    end = len(old) - edit.start - edit.removed
    shorter = min(len(old), len(new))
    assert edit.start == shorter or old[edit.start] != new[edit.start]
    assert end == shorter - edit.start or old[len(old) - end - 1] != new[len(new) - end - 1]


def test_a_word_typed_in_the_middle_of_a_long_answer_is_that_word_alone():
    old = "Analyse SWOT. " * 2000
    new = old[:14_000] + "Forces : la marque. " + old[14_000:]
    assert edit_between(old, new) == edit_between(old, new).__class__(start=14_000, removed=0, added=20)
    assert edit_between(old, old).added == edit_between(old, old).removed == 0


@given(texts, texts)
def test_authorship_covers_the_new_text_exactly(old, new):
    runs = carry(None, old, edit_between(old, new), 2, previous_author=1)
    assert sum(length for _, length in runs) == len(new)
    assert all(length > 0 for _, length in runs)
