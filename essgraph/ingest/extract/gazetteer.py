"""Domain gazetteers for extraction: collectivité levels, organisations, régions, communes and EPCI in a text,
publication series, laws."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from essgraph.ontology.communes import Commune, Epci, commune_named, standalone_epci_names
from essgraph.ontology.geography import METROPOLITAN_REGION_NAMES

# Collectivité level slugs (scheme niveaux-collectivite) and the words that announce them.
LEVEL_COMMUNE = "commune"
LEVEL_METROPOLE = "metropole"
LEVEL_CC = "communaute-de-communes"
LEVEL_CA = "communaute-d-agglomeration"
LEVEL_CU = "communaute-urbaine"
LEVEL_EPT = "etablissement-public-territorial"
LEVEL_DEPARTEMENT = "departement"
LEVEL_REGION = "region"
LEVEL_PAYS = "pays"
LEVEL_PETR = "petr"
LEVEL_PNR = "pnr"

# Named intercommunalités and other collectivités whose names carry no level word.
# canonical label -> (level slug, département code or "", aliases)
NAMED_COLLECTIVITES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Métropole Européenne de Lille": (LEVEL_METROPOLE, "59", ("MEL", "Métropole européenne de Lille")),
    "Eurométropole de Strasbourg": (LEVEL_METROPOLE, "67", ("Strasbourg Eurométropole",)),
    "Plaine Commune": (LEVEL_EPT, "93", ("Communauté d'agglomération de Plaine Commune",)),
    "Est Ensemble": (LEVEL_EPT, "93", ("communauté d'agglomération d'Est Ensemble",)),
    "Grand Orly Seine Bièvre": (LEVEL_EPT, "94", ()),
    "Grand Albigeois": (LEVEL_CA, "81", ()),
    "Grand Angoulême": (LEVEL_CA, "16", ("communauté d'agglomération du Grand Angoulême",)),
    "Grand Calais Terres & Mers": (
        LEVEL_CA,
        "62",
        ("Communauté d'agglomération Grand Calais Terres & Mers",),
    ),
    "Roissy Pays de France": (LEVEL_CA, "95", ("agglomération Roissy Pays de France",)),
    "Sicoval": (LEVEL_CA, "31", ()),
    "Pays de Haute Mayenne": (LEVEL_PAYS, "53", ()),
    "PETR du Pays de Langres": (LEVEL_PETR, "52", ("PETER du Pays de Langres",)),
    "CoPLER": (LEVEL_CC, "42", ("Communauté de Communes du Pays entre Loire et Rhône",)),
    "CCAVM": (LEVEL_CC, "52", ("communauté de communes Auberive Vingeanne et Montsaigeonnais",)),
}

# Organisations (networks, partners, funders) with their spelling variants. Short all-caps aliases are
# matched case-sensitively; the others after folding.
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "RTES": (
        "RTES",
        "RTESS",
        "RTE",
        "rtés",
        "Réseau des collectivités Territoriales pour une Économie Solidaire",
        "Réseau des Collectivités Territoriales pour une Économie Solidaire",
    ),
    "Avise": ("Avise", "Avisé", "Aise", "l'Avise"),
    "ANCT": ("ANCT", "Agence nationale de la cohésion des territoires"),
    "CGSCOP": (
        "CGSCOP",
        "CG Scop",
        "CG SCOP",
        "CGScop",
        "Confédération Générale des Sociétés coopératives de production",
    ),
    "APES": ("APES", "Acteurs Pour une Économie Solidaire"),
    "ESS France": ("ESS France",),
    "France urbaine": ("France urbaine",),
    "Labo de l'ESS": ("Labo de l'ESS",),
    "CNFPT": ("CNFPT",),
    "ANRU": ("ANRU",),
    "Banque des Territoires": ("Banque des Territoires",),
    "Énergie Partagée": ("Énergie Partagée", "Energie Partagée", "Énergie partagée"),
    "Coop des Communs": ("Coop des Communs",),
    "URSCOP": ("URSCOP", "Union régionale des SCOP", "Unions régionales des SCOP"),
    "ONPV": ("ONPV", "Observatoire National de la Politique de la Ville"),
    "RNCRPV": ("RNCRPV", "réseau national des centres de ressources politique de la ville"),
    "Réseau Rural National": ("Réseau Rural National",),
    "Le Mouvement associatif": ("Mouvement Associatif", "Mouvement associatif"),
    "CNCRESS": ("CNCRESS",),
    "CGET": ("CGET",),
    "AMIF": ("AMIF",),
    "Association des Maires de France": ("Association des Maires de France", "AMF"),
    "AMRF": ("AMRF",),
    "AdCF": ("AdCF",),
    "Régions de France": ("Régions de France",),
    "France Active": ("France Active",),
    "Fondation AG2R LA MONDIALE": ("Fondation AG2R LA MONDIALE",),
    "Fondation Crédit coopératif": ("Fondation Crédit coopératif",),
    "Institut de recherche de la Caisse des Dépôts": ("Institut de recherche de la Caisse des Dépôts",),
    "Commerçants de France": ("Commerçants de France", "CDF"),
    "Fédération des usagers de bicyclettes": ("Fédération des usagers de bicyclettes", "FUB"),
    "Cerdd": ("Cerdd", "CERDD"),
    "BRUDED": ("BRUDED",),
    "Fondation Carasso": ("Fondation Carasso",),
    "COORACE": ("COORACE",),
    "Alliance Ville Emploi": ("Alliance Ville Emploi",),
    "Résovilles": ("Résovilles",),
    "Réso Solidaire": ("Réso Solidaire",),
    "Plateau Urbain": ("Plateau Urbain",),
    "France Tiers-Lieux": ("France Tiers-Lieux",),
    "Mouvement des Régies": ("Mouvement des Régies",),
    "REVES": ("REVES",),
    "GSEF": ("GSEF",),
    "CEPES": ("CEPES",),
    "Pour la Solidarité": ("Pour la Solidarité", "PLS"),
    "Familles Rurales": (
        "Familles Rurales",
        "Fédération nationale des Familles Rurales",
        "Fédération des Familles rurales",
    ),
    "Institut des territoires coopératifs": (
        "Institut des territoires coopératifs",
        "Institut des Territoires Coopératifs",
    ),
    "Adie": ("Adie",),
    "Université Paris 8": ("Université Paris 8",),
    "LAVUE": ("LAVUE", "laboratoire LAVUE"),
    "ARESS": ("ARESS",),
    "Ademe": ("Ademe", "ADEME"),
    "UFISC": ("UFISC",),
    "ACEPP": ("ACEPP",),
    "CNEA": ("CNEA",),
    "Fabrique des Transitions": ("Fabrique des Transitions",),
    "ATEMIS": ("ATEMIS",),
    "CIRIDD": ("CIRIDD",),
    "RIUESS": ("RIUESS",),
    "RNAR": ("RNAR",),
    "Les Écossolies": ("Les Écossolies", "Écossolies", "Ecossolies", "Écosolies", "Ecosolies"),
    "Secrétariat d'État chargé de l'économie sociale et solidaire": (
        "Secrétariat d'Etat chargé de l'ESS",
        "Secrétariat d'Etat chargée de l'économie sociale et solidaire",
        "Secrétariat d'État chargé de l'Économie sociale, solidaire et responsable",
    ),
    "Ministère de la ville": ("ministère de la ville", "ministére de la ville"),
    "Ministère de l'Agriculture et de l'Alimentation": ("Ministère de l'Agriculture et de l'Alimentation",),
    "URSCOP Occitanie": (),
    "Coopérative des Tiers-lieux": ("coopérative des Tiers-lieux", "Coopérative des tiers-lieux"),
    "Imaginations fertiles": ("Imaginations fertiles", "Imaginations Fertiles"),
    "Collectif Abbal": ("Collectif Abbal", "collectif Abbal"),
    "Comité européen des Régions": ("Comité européen des Régions",),
    "FEADER": ("FEADER", "Fonds européen agricole pour le développement rural"),
    "Terre de Liens": ("Terre de Liens",),
    "Villages Vivants": ("Villages Vivants",),
    "ETIC Foncièrement responsable": ("ETIC Foncièrement responsable", "ETIC Foncièrement Responsable"),
    "Pluricité": ("Pluricité",),
    "CRESS": ("CRESS", "Chambres Régionales de l'Économie Sociale et Solidaire"),
}

# Bodies that exist once per région (one chamber, union or State directorate in each): written bare
# in a sentence scoped to one région ("le club d'Occitanie, co-animé avec la CRESS"), such a name is the
# body of that région ("CRESS Occitanie"), not the national network.
REGIONAL_BODIES: frozenset[str] = frozenset(
    {"CRESS", "URSCOP", "DREETS", "DIRECCTE", "DRAAF", "DRAC", "DREAL"}
)

# Organisations that are also initiatives with a known legal form (foncières solidaires, networks of SCIC).
ORGANISATION_FORMS: dict[str, tuple[str, ...]] = {
    "Terre de Liens": ("fonciere-solidaire",),
    "Villages Vivants": ("fonciere-solidaire", "scic"),
    "ETIC Foncièrement responsable": ("fonciere-solidaire",),
}

# Metropolitan régions under their name, with the other ways documents write them (ontology/geography.py).
REGION_NAMES: dict[str, tuple[str, ...]] = METROPOLITAN_REGION_NAMES

# French régions (for "CRESS Occitanie", "Région Île-de-France", club names): the names and the other
# spellings of the metropolitan régions in the one geography table (ontology/geography.py).
REGIONS: tuple[str, ...] = tuple(spelling for names in REGION_NAMES.values() for spelling in names)

# Publication series of the RTES and how they are spelled; canonical label -> spelling variants (regex).
SERIES: dict[str, str] = {
    "Kit MunicipalESS": r"kit\s+municipal\s?ess",
    "Déniché pour vous": r"d[ée]nich[ée]\s+pour\s+vous",
    "Points de RepèrESS": r"points?\s+de\s+rep[èe]r[e\s]*e?ss",
    "RepèrESS": r"rep[èe]r[e\s]*e?ss",
    "Lettre papier du RTES": r"lettres?\s+papiers?",
    "Pacte pour la transition": r"pacte\s+pour\s+la\s+transition",
}

# Laws: regex (folded text) -> canonical label.
LAWS: list[tuple[str, str]] = [
    (r"loi notre(?: du 7 aout 2015)?", "Loi NOTRe du 7 août 2015"),
    (
        r"loi (?:n°2014-856 du 31 juillet 2014 relative a l'ess|sur l'ess(?: de (?:juillet )?2014)?|"
        r"ess de 2014|"
        r"hamon|ess(?= de 2014)|relative a l'economie sociale et solidaire)",
        "Loi ESS du 31 juillet 2014",
    ),
    (r"loi alur", "Loi ALUR"),
    (
        r"loi (?:relative a la lutte contre le gaspillage et a l'economie circulaire|economie circulaire)",
        "Loi relative à la lutte contre le gaspillage et à l'économie circulaire",
    ),
    (r"loi republique numerique", "Loi pour une République numérique"),
    (r"loi sur les cooperatives", "Loi sur les coopératives"),
]

# Named publications of the network (a kit keeps its identity across editions and renamings): canonical
# label -> spellings (matched case-insensitively, accents folded, on word boundaries).
PUBLICATIONS: dict[str, tuple[str, ...]] = {
    "Kit MunicipalESS": (
        "kit MunicipalESS",
        "kit Municipal ESS",
        "Communes, intercommunalités & ESS",
        "Communes, intercommunalités et ESS",
    ),
    "Kit DépartementalESS": ("kit DépartementalESS", "kit Départemental ESS", "Départements & ESS"),
    "Kit RégionalESS": ("kit RégionalESS", "kits RégionalESS", "kit Régional ESS", "Régions & ESS"),
}


# ----------------------------------------------------------------------------- communes and EPCI in text
# A run of capitalised words (hyphenated compounds keep their lower-case joints: "Mont-de-Marsan",
# "Saint-Dié-des-Vosges"; an article may open it: "La Rochelle", "Les Ponts-de-Cé").
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒ"
_WORD = rf"[{_UPPER}][\w'’]*(?:-(?:[{_UPPER}][\w'’]*|[a-zé]{{1,4}}(?=-)|[a-z]'[{_UPPER}][\w’']*))*"
_PLACE_RUN = re.compile(rf"(?<![\w'’-])({_WORD}(?:\s{_WORD})*)(?![\w-])")
# Words before a run that say it is a place; "au", "aux", "du", "des" also stand for the article of
# names that start with one ("aux Ponts-de-Cé" is "Les Ponts-de-Cé", "au Mans" is "Le Mans").
_PLACE_BEFORE = re.compile(
    r"(?:^|[\s(])(?P<prep>à|a|au|aux|de|d['’]|du|des|en|sur|près de|entre|vers|dans|depuis|basée? à|"
    r"situés? à|située?s? à)\s*$",
    re.IGNORECASE,
)
_ARTICLE_OF = {"au": ("Le",), "aux": ("Les",), "du": ("Le",), "des": ("Les",)}
_STRONG_PREP = {"à", "a", "au", "aux", "près de", "entre", "vers"}
# A capitalised preposition opening a sentence joins the run of capitals that follows (« À Vénissieux »,
# « Au Havre »): it is read as the place's preposition, the rest as the run.
_FRONT_PREP = {"à", "a", "au", "aux", "en", "dans", "depuis", "sur", "vers", "chez"}
_CODE_AFTER = re.compile(r"\s*\((\d[0-9AB]|97\d)\)")
_LIST_SEP = re.compile(r"^\s*(?:,|et|ou)\s*$")
# A run followed by « de / du / des » and a capital goes on as a longer proper name: a commune written
# with spaces for its hyphens (« Saint-Jean de Braye »), else another name (« la Ressourcerie du Val de
# Sèvre », « le Bois de la Cambre ») of which the run alone is no commune
_NAME_GOES_ON = re.compile(rf"\s+(de\s+la|de\s+l['’]|de|du|des|d['’])\s*({_WORD})")
# A commune this large is named bare anywhere ("Poitiers", "Angers"); a smaller one needs a place context.
_BARE_POPULATION = 20_000


@dataclass(frozen=True, slots=True)
class PlaceSpan:
    """A commune named in a text: span of the written name, the official name, INSEE code, département."""

    start: int
    end: int
    name: str
    code: str
    departement: str


def _lookup(run: str, before: str) -> Commune | None:
    prep = _PLACE_BEFORE.search(before)
    word = prep.group("prep").lower() if prep else ""
    for article in _ARTICLE_OF.get(word, ()):
        found = commune_named(f"{article} {run}")
        if found:
            return found
    return commune_named(run)


def _fronted(run: str) -> tuple[str, str] | None:
    """(the preposition in lower case, the rest) of a run of capitals that a preposition of _FRONT_PREP
    opens (« À Vénissieux »), or None."""
    first, _, rest = run.partition(" ")
    return (first.lower(), rest) if rest and first.lower() in _FRONT_PREP else None


def place_after_preposition(name: str) -> Commune | None:
    """The commune a fronted phrase names (« À Vénissieux », « Au Havre »: a preposition of _FRONT_PREP and
    a commune's whole name, its article stood for by « au » / « aux »), or None."""
    fronted = _fronted(name)
    return _lookup(fronted[1], f" {fronted[0]} ") if fronted else None


def commune_spans(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[PlaceSpan]:
    """The communes `text` names as a whole run of capitalised words, outside the `skip` spans.

    A run counts only when all of it is one commune's official name (so "Angers Loire Métropole" or
    "Martine Gaillard" never yield "Angers" or "Gaillard"), and when its context says it is a place:
    a "(dd)" code of its département after it, a place preposition before it (only "à", "au", "aux"…
    for a name that is also an ordinary word, such as "Port"), another commune in the same enumeration,
    or, for a commune of more than 20 000 inhabitants, nothing at all."""
    taken = list(skip)
    candidates: list[tuple[int, Commune, str]] = []
    ends: list[int] = []  # where each candidate's name ends (after a spaced « de X » it took in)
    for m in _PLACE_RUN.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        run, start = m.group(1), m.start()
        before = text[max(0, start - 12) : start]
        fronted = _fronted(run)
        if fronted:  # « À Vénissieux, … »: the run's capital is the sentence's, the preposition a place's
            front, run = fronted
            start, before = start + len(front) + 1, f"{before}{front} "
        end = m.end()
        goes_on = _NAME_GOES_ON.match(text, end)
        if goes_on:
            joint = re.sub(r"\s+", "-", goes_on.group(1)).replace("’", "'")
            joint = joint if joint.endswith("'") else f"{joint}-"
            spaced = _lookup(f"{run}-{joint}{goes_on.group(2)}", before)
            if spaced is not None:
                run, end, goes_on = f"{run}-{joint}{goes_on.group(2)}", goes_on.end(), None
                taken.append((m.start(), end))  # « Braye » in it is no commune of its own
        commune = _lookup(run, before)
        if commune is None:
            continue
        code = _CODE_AFTER.match(text, end)
        if code and code.group(1) != commune.departement:
            commune = commune_named(run, code.group(1)) or commune
        prep = _PLACE_BEFORE.search(before)
        word = prep.group("prep").lower() if prep else ""
        if code and code.group(1) == commune.departement:
            reason = "code"
        elif goes_on and commune.population < _BARE_POPULATION:
            continue
        elif word and (word in _STRONG_PREP or word.startswith(("bas", "situ")) or not commune.common):
            reason = "prep"
        elif commune.population >= _BARE_POPULATION and not commune.common:
            reason = "bare"
        else:
            reason = ""
        candidates.append((start, commune, reason))
        ends.append(end)
    out: list[PlaceSpan] = []
    for i, (start, commune, reason) in enumerate(candidates):
        if not reason:
            # "(Sélestat, Lunéville, Verdun et Bar-le-Duc)": an enumeration of communes vouches for each
            neighbours = [
                other
                for j, (other, c, _) in enumerate(candidates)
                if j != i
                and not c.common
                and _LIST_SEP.match(text[min(ends[i], ends[j]) : max(start, other)])
            ]
            if commune.common or not neighbours:
                continue
        out.append(PlaceSpan(start, ends[i], commune.name, commune.code, commune.departement))
    return out


@lru_cache(maxsize=1)
def _epci_pattern() -> re.Pattern[str] | None:
    names = sorted(standalone_epci_names(), key=len, reverse=True)
    if not names:
        return None
    return re.compile("(?<![\\w-])(?:" + "|".join(re.escape(n) for n in names) + ")(?![\\w-])")


def epci_spans(text: str) -> list[tuple[int, int, Epci]]:
    """The EPCI `text` names under their own name ("Mulhouse Alsace Agglomération"), case-sensitive."""
    pattern = _epci_pattern()
    if pattern is None:
        return []
    names = standalone_epci_names()
    return [(m.start(), m.end(), names[m.group(0)]) for m in pattern.finditer(text)]
