"""Rule family "backers": the block of supporters a publication prints under « Avec le soutien de : »."""

from __future__ import annotations

import re

from essgraph.ingest.extract.mentions import merge_mentions
from essgraph.ingest.extract.rules.context import DocumentContext

VERSION = "1"  # bump when what this family extracts changes (essgraph/ingest/versions.py)

RULE = "structure:backers-block"
# A line that announces the bodies backing the publisher, standing alone before their names or logos.
_CUE = re.compile(
    r"^\W*(?:avec le (?:soutien|concours|partenariat|financement)|avec l'appui|gr[âa]ce au soutien|"
    r"(?:ils|elles) nous (?:soutiennent|financent)|nos (?:partenaires|financeurs|soutiens)(?: financiers)?|"
    r"partenaires financiers|financeurs)(?:\s+(?:de|du|des|d'|de la|de l'))?\s*:?\s*$",
    re.IGNORECASE,
)
# A logo flattened to text is a few short lines; a line this long, or a sentence, ends the block.
_LOGO_LINE_MAX = 80
_BLOCK_UNITS_MAX = 24
_NAME_LINES_MAX = 4  # a logo's name broken over at most this many lines
_EMPHASIS_SEAM = re.compile(r"(?<=\*)\s+(?=\*)")
_SENTENCE = re.compile(r"\w{3,}[.!?]$")


class BackerRules(DocumentContext):
    """The supporters of a publisher named in a block after a cue line (a back cover's logos, flattened)."""

    def _backers(self) -> None:
        """`supports` from every collectivité or organisation named in a backers block to the document's
        publisher. The block is the run of short lines after the cue (logos flattened to text: one name
        broken over several lines, capitals, bold marks), so the lines are joined before names are
        recognised (a logo's line often looks like a heading); it ends at a sentence, a long line or another
        cue. Nothing without a publisher."""
        if self.publisher_key is None:
            return
        for idx, unit in enumerate(self.units):
            if not _CUE.match(unit.text) or unit.box is not None:
                continue
            block: list[tuple[str, int]] = []  # (line, its passage)
            for follower in self.units[idx + 1 : idx + 1 + _BLOCK_UNITS_MAX]:
                # one emphasis closing where another opens ("RESPONSABLE** *Liberté") separates two logos
                parts = [part for line in follower.raw.splitlines() for part in _EMPHASIS_SEAM.split(line)]
                lines = [part.replace("*", "").strip() for part in parts if part.replace("*", "").strip()]
                if _CUE.match(follower.text) or any(
                    len(line) > _LOGO_LINE_MAX or _SENTENCE.search(line) for line in lines
                ):
                    break
                block += [(line, follower.passage) for line in lines]
            if not block:
                continue
            for key, passage in self._block_names(block):
                if key != self.publisher_key:
                    also = (unit.passage,) if passage != unit.passage else ()
                    self._rel("supports", key, self.publisher_key, passage, 0.7, rule=RULE, also=also)

    def _block_names(self, block: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The bodies a block's lines name, as (key, passage of the name's first line). A run of up to
        _NAME_LINES_MAX lines that is a known name as a whole (any case, any accents: "SECRETARIAT
        D'ÉTAT / CHARGÉ DE …") is one body; a line that is not is read alone by the recognisers (two
        logos are never joined into one name)."""
        found: dict[str, int] = {}
        i = 0
        while i < len(block):
            passage = block[i][1]
            for n in range(min(_NAME_LINES_MAX, len(block) - i), 0, -1):
                written = " ".join(line for line, _ in block[i : i + n])
                canonical = self.reg.canonical_org(written)
                if canonical:
                    found.setdefault(self.rec.org(canonical, passage, written=written), passage)
                    i += n
                    break
            else:
                line = block[i][0]
                named = merge_mentions(
                    self.rec.collectivites(line, passage), self.rec.organisations(line, passage)
                )
                for mention in named:
                    found.setdefault(mention.key, passage)
                i += 1
        return list(found.items())
