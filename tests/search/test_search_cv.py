"""The fold logic of bench/search_cv.py: stratified seeded folds, choice on the training folds only."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.search_cv import (
    SETS,
    Item,
    choose,
    cross_validate,
    grid_combinations,
    load_sets,
    make_folds,
    summary,
)
from essgraph.search.evaluate import Question


def _items(spec: dict[str, dict[str, int]]) -> list[Item]:
    """Items named by set and kind: {set: {kind: how many}}."""
    out: list[Item] = []
    for name, kinds in spec.items():
        for kind, n in kinds.items():
            for i in range(n):
                out.append(Item(name, Question(f"{name}-{kind}-{i}", f"question {i}", kind, [])))
    return out


def _spread(counter: Counter[int], n_folds: int) -> int:
    sizes = [counter.get(f, 0) for f in range(n_folds)]
    return max(sizes) - min(sizes)


def test_folds_are_stratified_by_set_and_kind_and_seeded() -> None:
    items = _items(
        {"dev": {"lexical": 7, "hard": 3}, "A": {"lexical": 23, "semantic": 11}, "B": {"entity": 9}}
    )
    folds = make_folds(items, 5, seed=3)
    assert set(folds) == {i.question.id for i in items}
    assert set(folds.values()) == set(range(5))
    assert _spread(Counter(folds.values()), 5) <= 1
    for name in ("dev", "A", "B"):
        assert _spread(Counter(folds[i.question.id] for i in items if i.set == name), 5) <= 1
    for key in {(i.set, i.question.kind) for i in items}:
        group = [folds[i.question.id] for i in items if (i.set, i.question.kind) == key]
        assert _spread(Counter(group), 5) <= 1
    assert make_folds(items, 5, seed=3) == folds
    assert make_folds(list(reversed(items)), 5, seed=3) == folds  # the file order does not matter
    assert make_folds(items, 5, seed=4) != folds
    with pytest.raises(ValueError):
        make_folds(items, 1)


def test_real_question_sets_split_evenly() -> None:
    if not all(path.is_file() for path in SETS.values()):
        pytest.skip("a question set is absent")
    items = load_sets(SETS)
    folds = make_folds(items, 5, seed=0)
    for name in SETS:
        counts = Counter(folds[i.question.id] for i in items if i.set == name)
        assert _spread(counts, 5) <= 1


def test_duplicate_ids_across_sets_are_refused(tmp_path: Path) -> None:
    line = '{"id": "x1", "query": "monnaie locale", "notes": "lexical", "relevant": []}\n'
    (tmp_path / "a.jsonl").write_text(line, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(line, encoding="utf-8")
    with pytest.raises(ValueError, match="x1"):
        load_sets({"a": tmp_path / "a.jsonl", "b": tmp_path / "b.jsonl"})


def _scores(values: dict[str, float]) -> dict[str, dict[str, float]]:
    return {q: {"ndcg": v, "mrr": v, "success": float(v > 0)} for q, v in values.items()}


def test_the_held_out_fold_never_takes_part_in_the_choice() -> None:
    items = _items({"A": {"lexical": 20}, "B": {"semantic": 20}})
    folds = make_folds(items, 5, seed=0)
    steady = _scores({q: 0.3 for q in folds})
    # perfect on fold 2 only: a choice that saw fold 2 would pick it there
    fitted = _scores({q: 1.0 if f == 2 else 0.0 for q, f in folds.items()})
    held, chosen = cross_validate([steady, fitted], folds)
    assert chosen == [0, 0, 0, 0, 0]
    assert held == steady
    # good everywhere but on fold 4: chosen for every fold, and fold 4 pays for it
    mostly = _scores({q: 0.0 if f == 4 else 0.9 for q, f in folds.items()})
    held, chosen = cross_validate([steady, mostly], folds)
    assert chosen == [1, 1, 1, 1, 1]
    assert summary(held, items)["all"] == pytest.approx(0.9 * 4 / 5)
    assert {held[q]["ndcg"] for q, f in folds.items() if f == 4} == {0.0}


def test_choice_prefers_the_first_combination_on_a_tie() -> None:
    same = _scores({"q1": 0.5, "q2": 0.7})
    assert choose([same, dict(same)], ["q1", "q2"]) == 0
    better = _scores({"q1": 0.5, "q2": 0.8})
    assert choose([same, better], ["q1", "q2"]) == 1
    assert choose([same, better], ["q1"]) == 0


def test_grid_puts_the_defaults_first_and_adds_them_when_absent() -> None:
    grid = {"weight_dense": [0.4, 0.6], "kind_weight": [0.8, 1.0]}
    combos = grid_combinations(grid, {"weight_dense": 0.6, "kind_weight": 0.8, "other": 1})
    assert combos[0] == {"weight_dense": 0.6, "kind_weight": 0.8}
    assert len(combos) == 4 and len({tuple(c.items()) for c in combos}) == 4
    combos = grid_combinations(grid, {"weight_dense": 0.5, "kind_weight": 0.8})
    assert combos[0] == {"weight_dense": 0.5, "kind_weight": 0.8}
    assert len(combos) == 5
