"""French tokenisation: elisions, accent folding, stemming, the unstemmed acronym/name field."""

from __future__ import annotations

from essgraph.search.lexical.tokenize import (
    content_words,
    phrase_tokens,
    raw_tokens,
    singular,
    stem_tokens,
    strip_elisions,
)


def test_elisions_removed_with_both_apostrophes() -> None:
    text = "l'économie d’une SCIC qu'il soutient, j'aide, n'est, s'engage, c'est, m'a, t'a"
    stripped = strip_elisions(text)
    assert "l'" not in stripped and "d’" not in stripped and "qu'" not in stripped
    tokens = stem_tokens(text)
    assert "econom" in tokens
    assert not {"l", "d", "qu", "j", "n", "s", "c", "m", "t"} & set(tokens)


def test_accents_folded_and_plurals_share_a_stem() -> None:
    assert stem_tokens("Économie") == stem_tokens("economie")
    assert stem_tokens("collectivités") == stem_tokens("collectivite")
    assert stem_tokens("garages solidaires") == stem_tokens("garage solidaire")


def test_stopwords_dropped() -> None:
    assert stem_tokens("comment soutenir une SCIC") == stem_tokens("soutenir SCIC")


def test_raw_field_keeps_acronyms_names_and_numbers() -> None:
    tokens = raw_tokens("La SCIC Iloe (69) et le PTCE TAg 35 avec l'ESS en 2023")
    assert {"scic", "ptce", "69", "35", "2023", "ess", "tag"} <= set(tokens)
    assert "iloe" not in tokens  # one capital only: a plain word for the stemmed field


def test_raw_query_tokens_match_lowercase_acronyms() -> None:
    assert "scic" in raw_tokens("comment soutenir une scic", query=True)
    assert "comment" not in raw_tokens("comment soutenir une scic", query=True)


def test_content_words_keep_order_and_fall_back_to_the_text() -> None:
    assert content_words("Quel organe de suivi a orienté le programme ?") == "organe suivi orienté programme"
    assert content_words("qui est-ce ?") == "qui est-ce ?"  # nothing left: the text itself


def test_plural_s_and_x_meet_the_singular() -> None:
    for plural, single in (
        ("emplois", "emploi"),
        ("élus", "élu"),
        ("tiers-lieux", "tiers-lieu"),
        ("vélos", "vélo"),
    ):
        assert stem_tokens(plural) == stem_tokens(single), plural
    assert singular("process") == "process" and singular("bus") == "bus" and singular("2023s") == "2023s"


def test_phrase_terms_pair_neighbouring_stems_across_stopwords() -> None:
    """Stopwords are gone before pairing (« économie sociale et solidaire » pairs « sociale » with
    « solidaire »); one content word makes no phrase."""
    ess = phrase_tokens(stem_tokens("l'économie sociale et solidaire"))
    assert ess == ["econom social", "social solidair"]
    assert phrase_tokens(stem_tokens("la commande publique responsable")) == [
        "command publiqu",
        "publiqu respons",
    ]
    assert phrase_tokens(stem_tokens("la mobilité")) == [] == phrase_tokens([])
