"""French administrative geography, written once: INSEE régions and départements (2016 map).

Source: INSEE, Code officiel géographique (régions and départements as of 1 January 2024). Everything
else derives from these two tables: ontology/geo.ttl (`python -m essgraph.ontology.build_geo`), the
extractor's région names and spellings, the search facets' département → région map.
"""

from __future__ import annotations

from essgraph.core.text import fold, slugify

# INSEE region code -> (name, the other ways documents write it: spellings, abbreviations, old names).
# geo.ttl gives them as skos:altLabel; extraction recognises the metropolitan ones (club names, "CRESS …").
REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("Guadeloupe", ()),
    "02": ("Martinique", ()),
    "03": ("Guyane", ()),
    "04": ("La Réunion", ("Réunion",)),
    "06": ("Mayotte", ()),
    "11": ("Île-de-France", ("IDF", "Ile-de-France", "Ile de France", "Île de France", "région parisienne")),
    "24": ("Centre-Val de Loire", ("CVL", "région Centre")),
    "27": ("Bourgogne-Franche-Comté", ("BFC",)),
    "28": ("Normandie", ()),
    "32": ("Hauts-de-France", ("HDF", "HdF", "Hauts de France")),
    "44": ("Grand Est", ("GE",)),
    "52": ("Pays de la Loire", ("PDL",)),
    "53": ("Bretagne", ()),
    "75": ("Nouvelle-Aquitaine", ("NA", "NAQ", "Nouvelle Aquitaine")),
    "76": ("Occitanie", ()),
    "84": ("Auvergne-Rhône-Alpes", ("AURA", "Auvergne Rhône-Alpes", "ARA")),
    "93": ("Provence-Alpes-Côte d'Azur", ("PACA", "Région Sud")),
    "94": ("Corse", ()),
}

# INSEE département code -> (name, region code)
DEPARTEMENTS: dict[str, tuple[str, str]] = {
    "01": ("Ain", "84"),
    "02": ("Aisne", "32"),
    "03": ("Allier", "84"),
    "04": ("Alpes-de-Haute-Provence", "93"),
    "05": ("Hautes-Alpes", "93"),
    "06": ("Alpes-Maritimes", "93"),
    "07": ("Ardèche", "84"),
    "08": ("Ardennes", "44"),
    "09": ("Ariège", "76"),
    "10": ("Aube", "44"),
    "11": ("Aude", "76"),
    "12": ("Aveyron", "76"),
    "13": ("Bouches-du-Rhône", "93"),
    "14": ("Calvados", "28"),
    "15": ("Cantal", "84"),
    "16": ("Charente", "75"),
    "17": ("Charente-Maritime", "75"),
    "18": ("Cher", "24"),
    "19": ("Corrèze", "75"),
    "2A": ("Corse-du-Sud", "94"),
    "2B": ("Haute-Corse", "94"),
    "21": ("Côte-d'Or", "27"),
    "22": ("Côtes-d'Armor", "53"),
    "23": ("Creuse", "75"),
    "24": ("Dordogne", "75"),
    "25": ("Doubs", "27"),
    "26": ("Drôme", "84"),
    "27": ("Eure", "28"),
    "28": ("Eure-et-Loir", "24"),
    "29": ("Finistère", "53"),
    "30": ("Gard", "76"),
    "31": ("Haute-Garonne", "76"),
    "32": ("Gers", "76"),
    "33": ("Gironde", "75"),
    "34": ("Hérault", "76"),
    "35": ("Ille-et-Vilaine", "53"),
    "36": ("Indre", "24"),
    "37": ("Indre-et-Loire", "24"),
    "38": ("Isère", "84"),
    "39": ("Jura", "27"),
    "40": ("Landes", "75"),
    "41": ("Loir-et-Cher", "24"),
    "42": ("Loire", "84"),
    "43": ("Haute-Loire", "84"),
    "44": ("Loire-Atlantique", "52"),
    "45": ("Loiret", "24"),
    "46": ("Lot", "76"),
    "47": ("Lot-et-Garonne", "75"),
    "48": ("Lozère", "76"),
    "49": ("Maine-et-Loire", "52"),
    "50": ("Manche", "28"),
    "51": ("Marne", "44"),
    "52": ("Haute-Marne", "44"),
    "53": ("Mayenne", "52"),
    "54": ("Meurthe-et-Moselle", "44"),
    "55": ("Meuse", "44"),
    "56": ("Morbihan", "53"),
    "57": ("Moselle", "44"),
    "58": ("Nièvre", "27"),
    "59": ("Nord", "32"),
    "60": ("Oise", "32"),
    "61": ("Orne", "28"),
    "62": ("Pas-de-Calais", "32"),
    "63": ("Puy-de-Dôme", "84"),
    "64": ("Pyrénées-Atlantiques", "75"),
    "65": ("Hautes-Pyrénées", "76"),
    "66": ("Pyrénées-Orientales", "76"),
    "67": ("Bas-Rhin", "44"),
    "68": ("Haut-Rhin", "44"),
    "69": ("Rhône", "84"),
    "70": ("Haute-Saône", "27"),
    "71": ("Saône-et-Loire", "27"),
    "72": ("Sarthe", "52"),
    "73": ("Savoie", "84"),
    "74": ("Haute-Savoie", "84"),
    "75": ("Paris", "11"),
    "76": ("Seine-Maritime", "28"),
    "77": ("Seine-et-Marne", "11"),
    "78": ("Yvelines", "11"),
    "79": ("Deux-Sèvres", "75"),
    "80": ("Somme", "32"),
    "81": ("Tarn", "76"),
    "82": ("Tarn-et-Garonne", "76"),
    "83": ("Var", "93"),
    "84": ("Vaucluse", "93"),
    "85": ("Vendée", "52"),
    "86": ("Vienne", "75"),
    "87": ("Haute-Vienne", "75"),
    "88": ("Vosges", "44"),
    "89": ("Yonne", "27"),
    "90": ("Territoire de Belfort", "27"),
    "91": ("Essonne", "11"),
    "92": ("Hauts-de-Seine", "11"),
    "93": ("Seine-Saint-Denis", "11"),
    "94": ("Val-de-Marne", "11"),
    "95": ("Val-d'Oise", "11"),
    "971": ("Guadeloupe", "01"),
    "972": ("Martinique", "02"),
    "973": ("Guyane", "03"),
    "974": ("La Réunion", "04"),
    "976": ("Mayotte", "06"),
}


def region_slug(code: str) -> str:
    """The facet value of the région with INSEE code `code` ("84" -> "auvergne-rhone-alpes")."""
    return slugify(REGIONS[code][0])


REGION_OF_DEPARTEMENT: dict[str, str] = {dep: region for dep, (_, region) in DEPARTEMENTS.items()}
"""INSEE département code -> INSEE région code."""


METROPOLITAN_REGION_NAMES: dict[str, tuple[str, ...]] = {
    name: (name, *others) for code, (name, others) in REGIONS.items() if code >= "11"
}
"""Each of the 13 régions of metropolitan France: name -> the name and the other ways documents write it."""


_DEPARTEMENT_BY_NAME: dict[str, str] = {slugify(name): code for code, (name, _) in DEPARTEMENTS.items()}


def departement_code(value: str) -> str | None:
    """The INSEE code of a département written as a code ("1", "01", "2a", "974") or a name ("Rhône",
    "cotes d'armor"), or None when `value` is neither."""
    text = value.strip().upper()
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)
    if text in DEPARTEMENTS:
        return text
    return _DEPARTEMENT_BY_NAME.get(slugify(value))


def departement_of_commune_code(code: str) -> str | None:
    """The département of an INSEE commune code ("69123" -> "69", "97411" -> "974", "2A004" -> "2A"),
    or None when `code` is not five characters of a known département."""
    text = code.strip().upper()
    if len(text) != 5 or not text[2:].isdigit():
        return None
    for head in (text[:3], text[:2]):
        if head in DEPARTEMENTS:
            return head
    return None


def departement_of_postal_code(code: str) -> str | None:
    """The département of a French postal code ("69200" -> "69", "20000" -> "2A", "20200" -> "2B",
    "97400" -> "974"), or None when `code` is not five digits of a known département.

    Postal codes of Corsica start with 20: 200xx and 201xx are Corse-du-Sud, the others Haute-Corse.
    """
    text = code.strip().replace(" ", "")
    if len(text) != 5 or not text.isdigit():
        return None
    if text.startswith("20"):
        return "2A" if text[2] in "01" else "2B"
    for head in (text[:3], text[:2]):
        if head in DEPARTEMENTS:
            return head
    return None


def place_names() -> frozenset[str]:
    """Every région and département name and variant, folded: a phrase equal to one names a place
    (never a person, whatever a NER model says of "Grand Est")."""
    names = {fold(n) for n, alts in REGIONS.values() for n in (n, *alts)}
    names |= {fold(n) for n, _ in DEPARTEMENTS.values()}
    return frozenset(names)
