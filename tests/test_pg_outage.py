"""PostgreSQL goes away in the middle of a run: each retry is one line, the documents loaded so far
stay, the rest are reported, no traceback; a rerun completes them.

The server is not stopped (other tests share it): the run reaches it through a TCP proxy in this
test, and closing the proxy is the outage (open connections cut, new ones refused).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import PG_URL_ENV, with_search_path

ROOT = Path(__file__).resolve().parents[1]
BAOCAO = Path(sys.executable).with_name("baocao")
DEV = ROOT.parent / "shared" / "eval" / "dev" / "docs"

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not os.environ.get(PG_URL_ENV), reason=f"{PG_URL_ENV} is not set"),
              pytest.mark.skipif(not BAOCAO.exists(), reason="the baocao command is not installed")]


class Proxy:
    """127.0.0.1:<port> -> the PostgreSQL server, until close()."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:  # accepted while closing: the outage has begun
                client.close()
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self.open = False
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked in the other thread
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


def _url_via(proxy: Proxy, url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}").geturl()


def test_postgres_down_mid_run_then_a_rerun_completes(tmp_path: Path) -> None:
    import psycopg

    url = os.environ[PG_URL_ENV]
    schema = f"test_outage_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    direct = with_search_path(url, schema)
    docs = tmp_path / "docs"
    docs.mkdir()
    sources = sorted(DEV.glob("*.txt"))[:24] if DEV.exists() else sorted((ROOT / "corpus").glob("*.txt"))
    for src in sources:
        (docs / src.name).write_bytes(src.read_bytes())
    parts = urlsplit(url)
    proxy = Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    try:
        run = subprocess.Popen([str(BAOCAO), "run", str(docs), "--db", with_search_path(_url_via(proxy, url), schema),
                                "--no-audit"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        loaded_before = 0
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and run.poll() is None and loaded_before < 2:
            time.sleep(0.3)
            try:
                with psycopg.connect(direct, autocommit=True) as conn:
                    loaded_before = conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'loaded'").fetchone()[0]
            except psycopg.Error:
                continue  # the tables are not there yet
        proxy.close()  # the outage
        _, err = run.communicate(timeout=300)
        assert 0 < loaded_before < len(sources), "the outage did not land in the middle of the run"
        assert run.returncode == 1, err
        assert "Traceback" not in err
        retries = [line for line in err.splitlines() if "store unreachable" in line and "retry" in line]
        assert len(retries) == 5 and retries[0].endswith("retry 1 of 5 in 1 s"), err
        assert "document(s) not loaded, the ones loaded before stay: run again to complete them" in err
        with psycopg.connect(direct, autocommit=True) as conn:
            kept = conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'loaded'").fetchone()[0]
        assert loaded_before <= kept < len(sources)

        again = Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
        try:
            rerun = subprocess.run([str(BAOCAO), "run", str(docs), "--db", with_search_path(_url_via(again, url), schema),
                                    "--no-audit"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
        finally:
            again.close()
        assert rerun.returncode == 0, rerun.stderr
        with psycopg.connect(direct, autocommit=True) as conn:
            assert conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'loaded'").fetchone()[0] == len(sources)
    finally:
        proxy.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
