"""Allow `python -m essgraph` as a synonym of the `essgraph` command."""

from __future__ import annotations

from essgraph.app.cli import main

main()
