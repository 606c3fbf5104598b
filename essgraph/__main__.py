"""Allow `python -m essgraph` as a synonym of the `essgraph` command."""

from __future__ import annotations

from essgraph.cli import main

main()
