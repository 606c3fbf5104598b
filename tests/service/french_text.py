"""Generated French documents in the network's style, of any size (uploads under load, benches)."""

from __future__ import annotations

import random

SUBJECTS = [
    "La commune",
    "L'intercommunalité",
    "Le département",
    "La région",
    "La métropole",
    "Le conseil municipal",
    "L'équipe d'animation",
    "Le comité de pilotage",
]
VERBS = [
    "accompagne",
    "finance",
    "soutient",
    "met en réseau",
    "héberge",
    "évalue",
    "forme",
    "mobilise",
]
OBJECTS = [
    "une société coopérative d'intérêt collectif",
    "un tiers-lieu installé dans une ancienne friche",
    "une épicerie solidaire de quartier",
    "un chantier d'insertion en maraîchage biologique",
    "une recyclerie portée par une association",
    "un pôle territorial de coopération économique",
    "une monnaie locale complémentaire",
    "une plateforme de covoiturage solidaire",
    "une régie de quartier",
    "un garage associatif",
]
MEANS = [
    "grâce à une subvention pluriannuelle",
    "par la mise à disposition d'un local",
    "au moyen d'un marché public réservé",
    "avec un appel à projets annuel",
    "en entrant au capital de la structure",
    "par une convention d'objectifs",
    "avec l'appui des fonds européens",
    "en associant les habitants au budget",
]
AIMS = [
    "afin de créer des emplois non délocalisables",
    "pour lutter contre la précarité énergétique",
    "pour favoriser la mobilité des personnes sans voiture",
    "afin de développer une alimentation locale et durable",
    "pour réduire les déchets du territoire",
    "afin de renforcer le lien social dans les quartiers prioritaires",
    "pour accompagner la transition écologique",
]
THEMES = [
    "Alimentation durable",
    "Mobilité solidaire",
    "Réemploi et économie circulaire",
    "Insertion par l'activité économique",
    "Habitat participatif",
    "Finance solidaire",
    "Tiers-lieux et fabriques",
]


def french_document(target_chars: int, marker: str = "", seed: int = 0) -> str:
    """About `target_chars` characters of French text in fiches ("Fiche n°k : theme", paragraphs of
    generated sentences); `marker`, if given, is written in every paragraph (find the document again).
    Deterministic for a given seed."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    fiche = 0
    while size < target_chars:
        fiche += 1
        title = f"Fiche n°{fiche} : {rng.choice(THEMES)}"
        parts.append(title)
        size += len(title) + 2
        for _ in range(rng.randint(3, 6)):
            sentences = [
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                f"{rng.choice(MEANS)} {rng.choice(AIMS)}."
                for _ in range(rng.randint(3, 5))
            ]
            if marker:
                sentences.append(f"Le dossier {marker} n°{fiche}-{len(parts)} en garde la trace.")
            paragraph = " ".join(sentences)
            parts.append(paragraph)
            size += len(paragraph) + 2
    return "\n\n".join(parts) + "\n"
