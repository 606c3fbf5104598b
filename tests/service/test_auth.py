"""Staff tokens: hashed settings entries, constant-time check, scopes, the `essgraph token create` command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from essgraph.core.errors import ConfigError, Forbidden, Unauthorized
from essgraph.service.auth import TokenVerifier, hash_token, new_token, parse_staff_tokens, settings_entry


def test_entries_hold_only_hashes() -> None:
    token = new_token()
    entry = settings_entry("alice", ["curate", "upload"], token)
    assert token not in entry
    name, scopes, digest = entry.split(":")
    assert (name, scopes, digest) == ("alice", "curate,upload", hash_token(token))


def test_verifier_scopes() -> None:
    token = new_token()
    verifier = TokenVerifier([settings_entry("bob", ["curate"], token)])
    assert verifier.require(f"Bearer {token}", "curate").name == "bob"
    with pytest.raises(Forbidden):
        verifier.require(f"Bearer {token}", "write")
    with pytest.raises(Unauthorized):
        verifier.require(None, "curate")
    with pytest.raises(Unauthorized):
        verifier.require(f"Basic {token}", "curate")
    with pytest.raises(Unauthorized):
        verifier.require(f"Bearer {token}x", "curate")


@pytest.mark.parametrize(
    "entry", ["bob:curate", "bob:magic:" + "0" * 64, "b o b:curate:" + "0" * 64, "bob:curate:xyz"]
)
def test_bad_entries_are_config_errors(entry: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_staff_tokens([entry])
    assert entry not in info.value.message_fr


def test_token_create_prints_the_token_once_and_the_hashed_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from essgraph.app.cli import _register_all, app
    from essgraph.core.settings import get_settings

    monkeypatch.delenv("ESSGRAPH_STAFF_TOKENS", raising=False)
    get_settings.cache_clear()
    _register_all()
    result = CliRunner().invoke(app, ["token", "create", "claire", "--scope", "write,curate"])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    token = lines[1]
    config_line = next(line for line in lines if line.startswith("ESSGRAPH_STAFF_TOKENS="))
    entries = json.loads(config_line.split("=", 1)[1].strip("'"))
    assert entries == [f"claire:write,curate:{hash_token(token)}"]
    assert result.output.count(token) == 1
    TokenVerifier(entries).require(f"Bearer {token}", "write")
    get_settings.cache_clear()
