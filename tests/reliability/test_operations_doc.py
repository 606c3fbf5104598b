"""docs/operations.md stays complete: every setting and every error class is documented there."""

from __future__ import annotations

import inspect
from pathlib import Path

import essgraph.core.errors as errors
from essgraph.core.faults import PHASES
from essgraph.core.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in text and f"`{name}" not in text]
    assert missing == []


def test_every_error_class_is_documented_with_status_code_and_exit_code() -> None:
    rows = {
        line.split("|")[1].strip(): line
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `") and line.count("|") >= 6
    }
    classes = [
        c
        for _, c in inspect.getmembers(errors, inspect.isclass)
        if issubclass(c, errors.EssgraphError) and c is not errors.EssgraphError
    ]
    assert len(classes) >= 10
    for cls in classes:
        row = rows.get(f"`{cls.__name__}`")
        assert row is not None, cls.__name__
        cells = [c.strip() for c in row.split("|")[1:-1]]
        assert cells[1:4] == [str(cls.status), f"`{cls.code}`", str(cls.exit_code)], cls.__name__


def test_fault_injection_phases_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert all(f"`{phase}`" in text for phase in PHASES)


SECURITY_DOC = DOC.parent / "security.md"
# settings that bound what a client, a file or a query may cost (every max_* and these)
LIMIT_SETTINGS = {
    "min_letter_ratio",
    "passage_max_chars",
    "default_top_k",
    "candidates",
    "query_vector_cache",
    "query_embed_workers",
    "autocomplete_limit",
    "sparql_page_rows",
    "staff_tokens",
    "cors_origins",
    "host",
    "port",
    "service_allowlist",
    "sparql_isolate_network",
    "query_timeout_s",
    "sparql_worker_memory_bytes",
    "sparql_workers",
    "sparql_per_client",
    "sparql_queue_wait_s",
    "store_read_retries",
    "shacl_report_max_focus",
    "cli_snippet_chars",
    "cli_max_entities",
}


def test_security_doc_lists_every_limit_with_its_default() -> None:
    rows = [
        line
        for line in SECURITY_DOC.read_text(encoding="utf-8")
        .split("## Every limit, with its setting")[1]
        .splitlines()
        if line.startswith("| ")
    ]
    limits = sorted(
        name for name in Settings.model_fields if name.startswith("max_") or name in LIMIT_SETTINGS
    )
    missing = [name for name in limits if not any(f"`{name}`" in row for row in rows)]
    assert missing == []
