"""No search rule names a word that only one development question uses (issue #12's done-when).

A thesaurus label, usage label or pattern of the search modules that holds a word found in exactly one
development question and nowhere in the corpus can only serve that question: it tunes the figure, not
the product. The rule words are every label of the thesaurus (preferred, alternative, hidden, usage)
and every word of the search modules' module-level patterns and word sets.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections import defaultdict
from pathlib import Path

import pytest

import essgraph.search
from essgraph.ontology.thesaurus import load_thesaurus
from essgraph.search.lexical.tokenize import stem_tokens

_LETTERS = re.compile(r"[^\W\d_]{2,}")  # a literal word inside a pattern's source


def _module_words() -> dict[str, set[str]]:
    """{stem: where} for the words of every module-level pattern, set/tuple/list of strings and dict (its
    string keys and values) of the
    essgraph.search modules (a pattern's escapes and classes leave fragments that stem to nothing
    known, which can only flag too little, never too much)."""
    found: dict[str, set[str]] = defaultdict(set)
    prefix = essgraph.search.__name__ + "."
    for info in pkgutil.walk_packages(essgraph.search.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            texts: list[str] = []
            if isinstance(value, re.Pattern):
                texts = [value.pattern] if isinstance(value.pattern, str) else []
            elif isinstance(value, frozenset | set | tuple | list) and value:
                texts = list(value) if all(isinstance(v, str) for v in value) else []
            elif isinstance(value, dict) and value:
                texts = [x for pair in value.items() for x in pair if isinstance(x, str)]
            for text in texts:
                for word in _LETTERS.findall(text):
                    for stem in stem_tokens(word):
                        found[stem].add(f"{info.name}.{name}")
    return found


def _thesaurus_words() -> dict[str, set[str]]:
    """{stem: where} for every label of every thesaurus concept."""
    found: dict[str, set[str]] = defaultdict(set)
    for concept in load_thesaurus().concepts:
        for label in (concept.pref_label, *concept.alt_labels, *concept.hidden_labels, *concept.usage_labels):
            for stem in stem_tokens(label):
                found[stem].add(f"{concept.iri} « {label} »")
    return found


def test_module_words_are_collected() -> None:
    """The collector sees the patterns it audits (a walk that found nothing would pass vacuously)."""
    words = _module_words()
    assert "sommair" in words  # search.kinds: the table-of-contents heading
    sources = {where for places in words.values() for where in places}
    assert any(where.startswith("essgraph.search.relevance.") for where in sources)


def test_no_rule_word_serves_one_development_question_only(eval_dir: Path, corpus_dir: Path) -> None:
    """Every rule word found in exactly one development question also occurs in the corpus."""
    questions = [
        json.loads(line)["query"]
        for line in (eval_dir / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    question_stems = [set(stem_tokens(q)) for q in questions]
    corpus: set[str] = set()
    for path in sorted(corpus_dir.glob("*.txt")):
        corpus.update(stem_tokens(path.read_text(encoding="utf-8")))
    rules = _thesaurus_words()
    for stem, where in _module_words().items():
        rules[stem] |= where
    assert len(rules) > 500, "too few rule words: the thesaurus was not read"
    offending = {
        stem: sorted(where)[:3]
        for stem, where in rules.items()
        if stem not in corpus and sum(stem in stems for stems in question_stems) == 1
    }
    if offending:
        pytest.fail(f"rule words used by one development question only, absent from the corpus: {offending}")
