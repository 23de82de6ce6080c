"""`baocao run` as a process: what a person sees at once, and nothing left behind when it is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAOCAO = Path(sys.executable).with_name("baocao")
pytestmark = pytest.mark.skipif(not BAOCAO.exists(), reason="the baocao command is not installed in this environment")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    env["PREFECT_PROFILES_PATH"] = str(tmp_path / "no-profiles.toml")  # no configured server: a temporary one
    return env


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pids: list[int]) -> list[int]:
    import psutil

    alive = []
    for pid in pids:
        try:
            p = psutil.Process(pid)
            if p.status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def test_a_run_killed_outright_leaves_no_prefect_server_behind(tmp_path: Path) -> None:
    pytest.importorskip("psutil")
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "corpus", docs)
    proc = subprocess.Popen([str(BAOCAO), "run", str(docs), "--db", str(tmp_path / "x.duckdb"), "--no-audit"], cwd=ROOT,
                            env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    try:
        reader.start()
        deadline = time.monotonic() + 300
        children: list[int] = []
        # Kill it while it reads: the temporary server, the worker processes and their helper are up.
        while time.monotonic() < deadline and proc.poll() is None:
            children = _descendants(proc.pid)
            if any("reading" in line for line in lines) and len(children) >= 3:
                break
            time.sleep(0.2)
        assert lines and lines[0].startswith("baocao ["), lines  # a line at once, before Prefect is imported
        assert len(children) >= 3, (children, lines)
        time.sleep(1)
        children = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the run alone, not its process group: no chance to clean up
        proc.wait()
        deadline = time.monotonic() + 30
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _alive(children), "processes of the killed run are still there"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _alive(_descendants(proc.pid)):
            os.kill(pid, signal.SIGKILL)
