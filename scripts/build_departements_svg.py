"""Build essgraph/service/data/departements.json (SVG paths of the départements) from a GeoJSON file.

Usage: python scripts/build_departements_svg.py departements-version-simplifiee.geojson
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


def main(source: Path) -> None:
    """Project, simplify and write the paths of the metropolitan départements (codes 01–95, 2A, 2B)."""
    features = [
        f
        for f in json.loads(source.read_text(encoding="utf-8"))["features"]
        if not f["properties"]["code"].startswith("97")
    ]

    def rings(geometry: dict) -> list[list[list[float]]]:
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        return [ring for polygon in polygons for ring in polygon[:1]]  # outer rings only

    projected = [
        [(lon * math.cos(LAT0), -lat) for lon, lat in ring] for f in features for ring in rings(f["geometry"])
    ]
    xs = [x for ring in projected for x, _ in ring]
    ys = [y for ring in projected for _, y in ring]
    scale = SIZE / max(max(xs) - min(xs), max(ys) - min(ys))
    width, height = (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale
    out: dict[str, dict[str, object]] = {}
    for feature in features:
        parts = []
        for ring in rings(feature["geometry"]):
            points = [
                ((lon * math.cos(LAT0) - min(xs)) * scale, (-lat - min(ys)) * scale) for lon, lat in ring
            ]
            mid = len(points) // 2  # a closed ring is simplified as two open halves
            simple = _simplify(points[: mid + 1], TOLERANCE) + _simplify(points[mid:], TOLERANCE)[1:]
            if len(simple) < 4 or _area(simple) < MIN_RING_AREA:
                continue
            parts.append("M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in simple[:-1]) + "Z")
        cx = sum(x for x, _ in points) / len(points)
        cy = sum(y for _, y in points) / len(points)
        out[feature["properties"]["code"]] = {
            "nom": feature["properties"]["nom"],
            "d": "".join(parts),
            "centre": [round(cx), round(cy)],
        }
    data = {"viewBox": f"0 0 {width:.0f} {height:.0f}", "departements": dict(sorted(out.items()))}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(out)} départements -> {OUT} ({OUT.stat().st_size} octets)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
