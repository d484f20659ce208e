from simulator.scenarios.history import changed_lines, changed_parts


def test_changed_lines_keep_three_lines_of_context_and_number_both_sides():
    old = "\n".join(f"ligne {n}" for n in range(1, 21))
    new = old.replace("ligne 10", "ligne dix").replace("ligne 20", "ligne 20\nligne 21")
    lines = changed_lines(old, new)
    kinds = [line.kind for line in lines]
    assert kinds.count("removed") == 1 and kinds.count("added") == 2 and "gap" in kinds
    removed = next(line for line in lines if line.kind == "removed")
    assert (removed.old, removed.new, removed.text) == (10, None, "ligne 10")
    assert [line.text for line in lines[:3]] == ["ligne 7", "ligne 8", "ligne 9"]


def test_changed_parts_name_the_sections_of_the_format():
    assert changed_parts({"title": "A", "grid": [1]}, {"title": "A", "grid": [2], "chain": {}}) == ["grid", "chain"]
    assert changed_parts({"title": "A"}, {"title": "A"}) == []
