"""A wheel built from the repo installs and works outside the source tree, under one namespace.

The wheel is built from a clean copy of what the project ships (pyproject.toml, README.md, essgraph/),
so that no build/ folder left in the repo can slip stale modules into it. It is installed with
`pip --python` into a fresh venv (no pip of its own) whose only link to the project's environment is a
.pth line naming the project's site-packages (the dependencies; the project's own editable install is
not active there, its .pth files are not read). Every command then runs from a temporary folder with no
PYTHON* variable but PYTHONSAFEPATH and PYTHONNOUSERSITE, so the source tree cannot be imported.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "essgraph", source / "essgraph", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    run = subprocess.run([*build, "-q", "-w", str(out), str(source)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return next(out.glob("essgraph-*.whl"))


def test_the_wheel_installs_only_the_essgraph_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"essgraph"}
    # every data file of the package (Turtle, queries, templates, lexicon, samples…) ships in the wheel
    root = Path(__file__).resolve().parents[2]
    data_files = {
        p.relative_to(root).as_posix()
        for p in (root / "essgraph").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert "essgraph/ingest/extract/lexicon.toml" in data_files
    assert data_files - set(names) == set()
    assert any(n.startswith("essgraph/graph/examples/") and n.endswith(".rq") for n in names)
    top_level = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "essgraph = essgraph.app.cli:main" in zipfile.ZipFile(wheel).read(top_level).decode()


def test_the_installed_copy_ingests_searches_queries_and_serves(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python, command = venv / "bin" / "python", venv / "bin" / "essgraph"
    site = Path(
        subprocess.run(
            [str(python), "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # the dependencies come from the project's environment, the project itself only from the wheel
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    before = set(os.listdir(site))
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index"]
    run = subprocess.run([*install, "-q", str(wheel)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    added = set(os.listdir(site)) - before
    assert {name for name in added if not name.endswith(".dist-info")} == {"essgraph"}, added
    assert command.is_file()  # the console script

    work = tmp_path / "elsewhere"
    corpus = work / "corpus"
    shutil.copytree(site / "essgraph" / "ingest" / "samples", corpus)  # the samples shipped in the wheel
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ESSGRAPH_"))}
    env |= {"PYTHONSAFEPATH": "1", "PYTHONNOUSERSITE": "1", "ESSGRAPH_HOME": str(work / "home")}

    def essgraph(*args: str) -> str:
        run = subprocess.run([str(command), *args], cwd=work, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout

    where = subprocess.run(
        [
            str(python),
            "-I",
            "-c",
            "import essgraph.app.cli as m, essgraph.ontology.thesaurus as t; "
            "print(m.__file__); print(t.ESSGRAPH_TTL)",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    assert not any(Path(p).is_relative_to(REPO) for p in where), where

    essgraph("ingest", str(corpus))
    assert "garage" in essgraph("search", "garage solidaire", "--top", "2").lower()
    query = next((site / "essgraph" / "graph" / "examples").glob("*.rq"))
    assert essgraph("sparql", "--file", str(query), "--format", "csv").strip()
    port = _free_port()
    server = subprocess.Popen(
        [str(command), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, "the installed service stopped"
            assert time.monotonic() < deadline, "the installed service did not start"
            time.sleep(0.5)
        assert health.json()["documents"] >= 1
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert page.status_code == 200 and "<html" in page.text.lower()
        sparql = httpx.get(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/html"}, timeout=30)
        assert sparql.status_code == 200 and "SELECT" in sparql.text  # the bundled example queries
        assert f'value="{query.stem}"' in sparql.text  # listed from the installed package data
        styles = httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=30)
        assert styles.status_code == 200 and styles.text.strip()
    finally:
        server.terminate()
        server.wait(60)
