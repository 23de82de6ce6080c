"""Operational faults at the command line: one clear line, a non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import pytest
from conftest import khoi_2020, khoi_2024

from baocao.store import StoreLocked, open_store

ROOT = Path(__file__).resolve().parents[1]
BAOCAO = Path(sys.executable).with_name("baocao")
needs_cli = pytest.mark.skipif(not BAOCAO.exists(), reason="the baocao command is not installed in this environment")


def baocao(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(BAOCAO), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)


def _dataset(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "baocao.duckdb"
    db.parent.mkdir()
    with open_store(db) as s:
        s.load_document(*khoi_2024())
        s.load_document(*khoi_2020())
    return db


class _Holder:
    """Another program (not baocao) holding the DuckDB file open, as a BI tool does."""

    def __init__(self, db: Path) -> None:
        code = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "held"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()


def test_a_file_held_open_by_another_program_is_refused_within_seconds(tmp_path: Path) -> None:
    db = _dataset(tmp_path)
    with _Holder(db) as holder:
        started = time.monotonic()
        with pytest.raises(StoreLocked) as caught:
            open_store(db, timeout=60)
        assert time.monotonic() - started < 5
    message = str(caught.value)
    assert str(db.resolve()) in message and f"PID {holder.proc.pid}" in message and "Close that program" in message


@needs_cli
@pytest.mark.parametrize("command", [["audit"], ["export", "--format", "csv", "--out", "x"], ["run", "none.txt"]])
def test_commands_on_a_locked_database_say_so_and_exit_non_zero(tmp_path: Path, command: list[str]) -> None:
    db = _dataset(tmp_path)
    with _Holder(db):
        started = time.monotonic()
        done = baocao(*command, "--db", str(db), cwd=tmp_path)
        took = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "is locked by another program" in done.stderr and str(db.resolve()) in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert took < 25  # 3 s of waiting; the rest is the interpreter importing baocao on a busy machine


@needs_cli
@pytest.mark.parametrize("command", [["audit"], ["export", "--format", "csv", "--out", "x"], ["prune"]])
def test_reading_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nothing" / "here.duckdb"
    done = baocao(*command, "--db", str(missing), cwd=tmp_path)
    assert done.returncode == 1
    assert f"no database at {missing}" in done.stderr and "Traceback" not in done.stderr
    assert not missing.exists() and not missing.parent.exists()
    assert not (tmp_path / "outputs").exists() and not list(tmp_path.rglob("audit.html"))


@needs_cli
def test_a_bad_fail_on_value_is_a_usage_error(tmp_path: Path) -> None:
    db = _dataset(tmp_path)
    done = baocao("audit", "--db", str(db), "--fail-on", "errors", cwd=tmp_path)
    assert done.returncode == 2
    assert "Invalid value for '--fail-on'" in done.stderr and "Traceback" not in done.stderr


@needs_cli
def test_the_audit_report_lands_next_to_the_database_and_its_path_is_printed(tmp_path: Path) -> None:
    db = _dataset(tmp_path)
    done = baocao("audit", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = db.parent / "audit.html"
    assert report.is_file() and (db.parent / "audit_findings.csv").is_file()
    assert f"audit report: {report}" in done.stderr
    assert not (tmp_path / "outputs").exists()

    chosen = tmp_path / "reports" / "quang_tri.html"
    done = baocao("audit", "--db", str(db), "--html", str(chosen), cwd=tmp_path)
    assert chosen.is_file() and f"audit report: {chosen}" in done.stderr


@needs_cli
def test_file_names_are_printed_with_control_characters_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "báo cáo\x1b[2J\x07.txt"
    bad.write_bytes(b"")
    done = baocao("extract", "--jsonl", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "báo cáo\\x1b[2J\\x07.txt" in done.stderr
