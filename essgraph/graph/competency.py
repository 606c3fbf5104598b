"""Competency-question checker: runs one SPARQL query per question and compares its rows with the answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from essgraph.core.errors import BadInput
from essgraph.core.files import read_json_lines
from essgraph.graph.facts import labels_match, normalise

# an amount as printed ("35 000 €", "2 000 €"), a share ("15 %") and a four-digit year
_AMOUNT = re.compile(r"(\d{1,3}(?:[  ]\d{3})+|\d+)\s?€")
_SHARE = re.compile(r"(\d+(?:[.,]\d+)?)\s?%")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# separators between the parts of an answer ("Name — title, Collectivité (2021)")
_SEPARATORS = re.compile(r"[—→(),;]|\s-\s")
# a bare commune used as an actor is written "Ville de X" in the answers (README of the test data) while
# the graph labels a commune with its official name: the form word is optional when matching
_FORM_WORDS = ("ville ", "commune ")


@dataclass(slots=True)
class Question:
    """One competency question: its number (1-based line of the file), text and expected answers."""

    number: int
    question: str
    expected: list[str]
    document: str = ""


@dataclass(slots=True)
class Outcome:
    """What one question's query returned: answers found, answers missing, rows matching no answer."""

    question: Question
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    rows: int = 0
    error: str = ""

    @property
    def verdict(self) -> str:
        """'complete' (every answer in some row), 'partial' (some answers) or 'none'."""
        if self.found and not self.missing:
            return "complete"
        return "partial" if self.found else "none"


def load_questions(path: Path) -> list[Question]:
    """The questions of a competency file (JSON lines with question and expected); raises BadInput."""
    out = []
    for number, item in read_json_lines(path, "de questions", "questions"):
        if "question" not in item or "expected" not in item:
            raise BadInput(
                f"{path} : la ligne {number} n'a pas de champs question et expected",
                f"{path}: line {number} has no question and expected fields",
            )
        expected = [str(e) for e in item["expected"]]
        out.append(Question(number, str(item["question"]), expected, str(item.get("document", ""))))
    return out


def fragments(answer: str) -> list[str]:
    """The normalised fragments an expected `answer` needs in one row: its names and titles, amounts
    (digits only), shares and years; returns them in the order found."""
    numbers: list[str] = []
    text = answer
    for pattern in (_AMOUNT, _SHARE):
        for m in pattern.finditer(text):
            numbers.append(re.sub(r"\D", "", m.group(1).split(",")[0].split(".")[0]))
        text = pattern.sub(" ", text)
    numbers += _YEAR.findall(text)
    text = _YEAR.sub(" ", text)
    names = [normalise(part) for part in _SEPARATORS.split(text)]
    return [n for n in names if n] + numbers


def _contains(row: str, values: list[str], fragment: str) -> bool:
    """Whether the normalised `row` holds `fragment` as words, or one of its `values` names it as the facts
    checker matches labels (same or nested words: "Grand Poitiers" names "Grand Poitiers Communauté
    urbaine", "adjointe au maire de X chargée de Y" the title "adjointe au maire chargée de Y")."""
    if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", row):
        return True
    for word in _FORM_WORDS:
        if fragment.startswith(word) and re.search(rf"(?<!\w){re.escape(fragment[len(word) :])}(?!\w)", row):
            return True
    return not fragment.isdigit() and any(labels_match(fragment, v) for v in values)


def row_text(values: list[str]) -> str:
    """One result row as a normalised string (a decimal "15.0" reads as "15")."""
    return normalise(" ".join(re.sub(r"^(-?\d+)\.0+$", r"\1", v) for v in values))


def query_rows(store: ox.Store, query: str) -> list[list[str]]:
    """The rows of a SELECT `query` over the union of the store's graphs, as lists of values."""
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise ValueError("la requête n'est pas un SELECT / the query is not a SELECT")
    rows = []
    for solution in result:
        rows.append([solution[i].value for i in range(len(solution)) if solution[i] is not None])  # type: ignore[union-attr]
    return rows


def check(store: ox.Store, question: Question, query: str) -> Outcome:
    """Run `query` for `question` on `store`; returns which expected answers one row holds in full.

    A query that fails is reported in `error` (every answer missing), not raised.
    """
    outcome = Outcome(question)
    try:
        raw = query_rows(store, query)
    except (SyntaxError, OSError, ValueError) as exc:
        outcome.error = str(exc)
        outcome.missing = list(question.expected)
        return outcome
    rows = [row_text(r) for r in raw]
    outcome.rows = len(rows)
    used: set[int] = set()
    for answer in question.expected:
        wanted = fragments(answer)
        hits = [i for i, row in enumerate(rows) if all(_contains(row, raw[i], w) for w in wanted)]
        (outcome.found if hits else outcome.missing).append(answer)
        used.update(hits)
    outcome.unexpected = [" | ".join(r) for i, r in enumerate(raw) if i not in used]
    return outcome


def query_path(folder: Path, number: int) -> Path:
    """The query file of question `number` in `folder` (01.rq, 02.rq…)."""
    return folder / f"{number:02d}.rq"


def check_all(store: ox.Store, questions: list[Question], queries: Path) -> list[Outcome]:
    """Check every question with its query file under `queries`; raises BadInput when one is absent."""
    outcomes = []
    for q in questions:
        path = query_path(queries, q.number)
        if not path.is_file():
            raise BadInput(f"requête absente : {path}", f"missing query: {path}")
        outcomes.append(check(store, q, path.read_text(encoding="utf-8")))
    return outcomes


def totals(outcomes: list[Outcome]) -> dict[str, Any]:
    """Counts of complete, partial and none verdicts, and of expected answers found."""
    counts = {v: sum(o.verdict == v for o in outcomes) for v in ("complete", "partial", "none")}
    return {
        **counts,
        "questions": len(outcomes),
        "answers_found": sum(len(o.found) for o in outcomes),
        "answers": sum(len(o.found) + len(o.missing) for o in outcomes),
    }
