"""Kill the loading process in the middle of a run, run again: exactly the rows of one clean run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from baocao.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev" / "docs"
BAOCAO = Path(sys.executable).with_name("baocao")


def _corpus(dst: Path) -> Path:
    dst.mkdir()
    sources = sorted(DEV.glob("*.txt")) if DEV.exists() else sorted((ROOT / "corpus").glob("*.txt"))
    for i in range(2):  # enough documents that a kill lands while loading
        for src in sources:
            text = src.read_text(encoding="utf-8")
            (dst / f"{i}_{src.name}").write_text(text + f"\n\nBản sao {i}.\n", encoding="utf-8")
    return dst


def _run(docs: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BAOCAO), "run", str(docs), "--db", str(db), "--no-audit"], capture_output=True, text=True,
                          timeout=600, cwd=ROOT, check=False)


def _rows(db: Path) -> dict:
    with open_store(str(db)) as store:
        counts = store.counts()
        ids = store.fetch_df("SELECT id FROM figures ORDER BY id")["id"].tolist()
    counts.pop("schema_meta", None)
    return {"counts": counts, "figure_ids": ids}


@pytest.mark.skipif(not BAOCAO.exists(), reason="the baocao command is not installed in this environment")
def test_killed_run_then_rerun_equals_one_clean_run(tmp_path):
    docs = _corpus(tmp_path / "docs")
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    assert _run(docs, clean_db).returncode == 0

    proc = subprocess.Popen([str(BAOCAO), "run", str(docs), "--db", str(killed_db), "--no-audit"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # Wait until some documents are in, then kill the whole process group without warning.
    deadline = time.time() + 300
    loaded = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.5)
        if killed_db.exists():
            try:
                with open_store(str(killed_db), timeout=2) as store:
                    loaded = store.counts().get("documents", 0)
            except Exception:  # noqa: BLE001, S112 - the running process holds the file for a moment: look again
                continue
            if loaded >= 3:
                break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < loaded, "the run was killed before it loaded anything"

    assert _run(docs, killed_db).returncode == 0
    assert _rows(killed_db) == _rows(clean_db)
