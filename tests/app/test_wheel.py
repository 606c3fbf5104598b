"""A wheel built from the repo installs and works outside the source tree, under one namespace."""

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
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("essgraph-*.whl"))


def test_the_wheel_installs_only_the_essgraph_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"essgraph"}
    for data in ("essgraph/ontology/essgraph.ttl", "essgraph/service/templates/index.html"):
        assert data in names
    assert any(n.startswith("essgraph/graph/examples/") and n.endswith(".rq") for n in names)


def test_the_installed_copy_ingests_searches_queries_and_serves(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # the dependencies come from the project's environment, the project itself only from the wheel
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    corpus = work / "corpus"
    shutil.copytree(REPO / "essgraph" / "ingest" / "samples", corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["ESSGRAPH_HOME"] = str(work / "home")

    def essgraph(*args: str) -> str:
        run = subprocess.run(
            [str(python), "-P", "-m", "essgraph", *args], cwd=work, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    where = subprocess.run(
        [str(python), "-P", "-c", "import essgraph; print(essgraph.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(site)), where
    essgraph("ingest", str(corpus))
    assert "garage" in essgraph("search", "garage solidaire", "--top", "2").lower()
    query = next((site / "essgraph" / "graph" / "examples").glob("*.rq"))
    essgraph("sparql", "--file", str(query), "--format", "csv")
    port = _free_port()
    server = subprocess.Popen(
        [str(python), "-P", "-m", "essgraph", "serve", "--port", str(port)],
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
            assert time.monotonic() < deadline, "the installed service did not start"
            time.sleep(0.5)
        assert health.json()["documents"] >= 1
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert page.status_code == 200 and "<html" in page.text.lower()
        sparql = httpx.get(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/html"}, timeout=30)
        assert sparql.status_code == 200 and "SELECT" in sparql.text  # the bundled example queries
        styles = httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=30)
        assert styles.status_code == 200
    finally:
        server.terminate()
        server.wait(60)
