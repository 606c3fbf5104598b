"""The documented example SPARQL queries (graph/examples/*.rq): their headers, and docs/queries.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

EVIDENCE_VARIABLES = ("passage", "document", "debut", "fin")
"""Variables every documented query selects to cite its evidence: passage IRI, file, first and last line."""

_FIELDS = {"returns": "returns", "family": "family", "example": "example"}
_EXAMPLE = re.compile(r"—\s*(?P<document>[^\s,]+),\s*lines?\s+(?P<start>\d+)\s*[-–]\s*(?P<end>\d+)\s*\.?\s*$")


@dataclass(frozen=True)
class ExampleQuery:
    """One example query: file stem, French question, what it returns, relation family, traced example row."""

    name: str
    question: str
    returns: str
    family: str
    example: str
    text: str

    @property
    def body(self) -> str:
        """The query without its header comment."""
        lines = self.text.splitlines()
        start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
        return "\n".join(lines[start:]).strip() + "\n"

    @property
    def family_name(self) -> str:
        """The family without its properties in parentheses ("soutien (eg:supports)" → "soutien")."""
        return self.family.split("(", 1)[0].strip()

    @property
    def evidence(self) -> tuple[str, int, int] | None:
        """(document, first line, last line) of the example row, or None when the header gives none."""
        match = _EXAMPLE.search(self.example)
        if match is None:
            return None
        return match["document"], int(match["start"]), int(match["end"])


def parse_header(name: str, text: str) -> ExampleQuery:
    """Read the leading `#` comment of a query: `# <name> — <question>`, then `Returns`, `Family:` and
    `Example:` paragraphs (continuation lines are indented); returns the ExampleQuery."""
    fields = {"question": "", "returns": "", "family": "", "example": ""}
    current = "question"
    for number, line in enumerate(text.splitlines()):
        if not line.startswith("#"):
            break
        content = line.lstrip("#").strip()
        if number == 0:
            content = re.sub(rf"^{re.escape(name)}\s*—\s*", "", content)
        else:
            head = re.match(r"(Returns|Family|Example)\b:?\s*", content)
            if head:
                current = _FIELDS[head[1].lower()]
                content = content[head.end() :] if head[0].rstrip().endswith(":") else content
        fields[current] = f"{fields[current]} {content}".strip()
    return ExampleQuery(name=name, text=text, **fields)


def example_folder() -> Path:
    """The folder of the packaged example queries (a real folder: the package is installed unzipped)."""
    with as_file(files("essgraph.graph") / "examples") as folder:
        return Path(folder)


def load_example_queries(folder: Path | None = None) -> list[ExampleQuery]:
    """Every `*.rq` of `folder` (default: the packaged examples) with its parsed header, sorted by name."""
    root = folder or example_folder()
    return [parse_header(p.stem, p.read_text(encoding="utf-8")) for p in sorted(root.glob("*.rq"))]


def render(queries: list[ExampleQuery] | None = None) -> str:
    """The Markdown page docs/queries.md: an index by relation family, then each query with its header
    and its SPARQL text."""
    items = queries if queries is not None else load_example_queries()
    out = [
        "# Requêtes SPARQL d'exemple",
        "",
        "<!-- Generated from essgraph/graph/examples/*.rq by "
        "`python -m essgraph.graph.example_queries > docs/queries.md`. -->",
        "",
        f"{len(items)} requêtes, dans `essgraph/graph/examples/` : la page `/sparql` du service les propose, "
        "`essgraph sparql -f <fichier.rq>` les exécute. Chaque requête documentée renvoie aussi sa preuve : "
        "le passage (`?passage`), le fichier source (`?document`) et les lignes (`?debut`, `?fin`). "
        "L'exemple de chaque en-tête est une ligne de résultat sur le corpus, les documents inédits de test "
        "et les fichiers d'enregistrements d'exemple (graphe construit par `bench/example_queries.py`) ; "
        "`tests/graph/test_example_queries.py` vérifie que la requête la renvoie toujours.",
        "",
        "## Par famille de relations",
        "",
        "| Famille | Requêtes |",
        "|---|---|",
    ]
    families: dict[str, list[ExampleQuery]] = {}
    for q in items:
        families.setdefault(q.family_name or "questions de compétence", []).append(q)
    for family in sorted(families):
        links = ", ".join(f"[{q.name}](#{q.name})" for q in families[family])
        out.append(f"| {family} | {links} |")
    out.append("")
    for q in items:
        out += [f"## {q.name}", "", f"**{q.question}**", ""]
        if q.returns:
            out += [f"- Renvoie : {q.returns}"]
        if q.family:
            out += [f"- Famille : {q.family}"]
        if q.example:
            out += [f"- Exemple : {q.example}"]
        out += ["", "```sparql", q.body.rstrip("\n"), "```", ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
