"""Build essgraph/service/data/departements.json (SVG paths of the départements) from a GeoJSON file.

Usage: python scripts/build_departements_svg.py departements-version-simplifiee.geojson \
           [departements-avec-outre-mer.geojson]
The second file, when given, adds the five overseas départements (971–976) as insets in a row under
metropolitan France, each drawn at its own scale (their true places would make the map unreadable).
The source and licence of the boundaries are in essgraph/service/data/README.md.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "essgraph" / "service" / "data" / "departements.json"
SIZE = 1000.0  # the longer side of the viewBox
TOLERANCE = 1.2  # Douglas-Peucker tolerance, in viewBox units
MIN_RING_AREA = 6.0  # islets smaller than this (viewBox units²) are dropped
LAT0 = math.radians(46.5)  # equirectangular projection around metropolitan France's mean latitude
INSET = 150.0  # side of the square box of one overseas département, under the metropolitan map
INSET_GAP = 20.0  # space between the metropolitan map and the row of insets, and between insets

Point = tuple[float, float]


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on a polyline (iterative)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-9
        best, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            dist = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if dist > best:
                best, index = dist, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(points: list[Point]) -> float:
    return (
        abs(
            sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
        )
        / 2
    )


def _rings(geometry: dict) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon (holes are not drawn)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon[:1]]


def _paths(rings: list[list[Point]]) -> tuple[str, list[int]]:
    """SVG path data of projected rings (simplified, islets dropped) and the centre of the largest."""
    parts, largest, best = [], [0, 0], -1.0
    for points in rings:
        mid = len(points) // 2  # a closed ring is simplified as two open halves
        simple = _simplify(points[: mid + 1], TOLERANCE) + _simplify(points[mid:], TOLERANCE)[1:]
        if len(simple) < 4 or _area(simple) < MIN_RING_AREA:
            continue
        parts.append("M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in simple[:-1]) + "Z")
        if _area(simple) > best:
            best = _area(simple)
            n = len(simple)
            largest = [round(sum(x for x, _ in simple) / n), round(sum(y for _, y in simple) / n)]
    return "".join(parts), largest


def _insets(features: list[dict], top: float, width: float) -> dict[str, dict[str, object]]:
    """The overseas départements, each projected around its own latitude and fitted in a square box of a
    row centred under the metropolitan map (starting at `top`)."""
    out: dict[str, dict[str, object]] = {}
    features = sorted(features, key=lambda f: f["properties"]["code"])
    left = (width - len(features) * INSET - (len(features) - 1) * INSET_GAP) / 2
    for i, feature in enumerate(features):
        rings = _rings(feature["geometry"])
        lats = [lat for ring in rings for _, lat in ring]
        cos = math.cos(math.radians(sum(lats) / len(lats)))
        xs = [lon * cos for ring in rings for lon, _ in ring]
        ys = [-lat for ring in rings for _, lat in ring]
        scale = INSET / max(max(xs) - min(xs), max(ys) - min(ys))
        x0 = left + i * (INSET + INSET_GAP) + (INSET - (max(xs) - min(xs)) * scale) / 2
        y0 = top + (INSET - (max(ys) - min(ys)) * scale) / 2
        projected = [
            [(x0 + (lon * cos - min(xs)) * scale, y0 + (-lat - min(ys)) * scale) for lon, lat in ring]
            for ring in rings
        ]
        d, centre = _paths(projected)
        out[feature["properties"]["code"]] = {"nom": feature["properties"]["nom"], "d": d, "centre": centre}
    return out


def main(source: Path, overseas: Path | None = None) -> None:
    """Project, simplify and write the paths of the metropolitan départements (codes 01–95, 2A, 2B) and,
    from `overseas` when given, of the overseas ones (971–976) as insets."""
    features = [
        f
        for f in json.loads(source.read_text(encoding="utf-8"))["features"]
        if not f["properties"]["code"].startswith("97")
    ]
    projected = [
        [(lon * math.cos(LAT0), -lat) for lon, lat in ring]
        for feature in features
        for ring in _rings(feature["geometry"])
    ]
    xs = [x for ring in projected for x, _ in ring]
    ys = [y for ring in projected for _, y in ring]
    scale = SIZE / max(max(xs) - min(xs), max(ys) - min(ys))
    width, height = (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale
    out: dict[str, dict[str, object]] = {}
    for feature in features:
        rings = [
            [((lon * math.cos(LAT0) - min(xs)) * scale, (-lat - min(ys)) * scale) for lon, lat in ring]
            for ring in _rings(feature["geometry"])
        ]
        d, centre = _paths(rings)
        out[feature["properties"]["code"]] = {"nom": feature["properties"]["nom"], "d": d, "centre": centre}
    if overseas is not None:
        dom = [
            f
            for f in json.loads(overseas.read_text(encoding="utf-8"))["features"]
            if f["properties"]["code"].startswith("97")
        ]
        out.update(_insets(dom, height + INSET_GAP, width))
        height += INSET_GAP + INSET
    data = {"viewBox": f"0 0 {width:.0f} {height:.0f}", "departements": dict(sorted(out.items()))}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(out)} départements -> {OUT} ({OUT.stat().st_size} octets)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
