"""Prefect's API for a run: the server that PREFECT_API_URL names, or a temporary one.

Without PREFECT_API_URL, Prefect starts a temporary server of its own the first time a flow
needs it, after its imports, and waits for it (8 to 20 s on two busy cores), and a run killed
with SIGKILL leaves that server behind. `start_api()` starts the same server (the command
Prefect's ephemeral mode runs) before anything else, so that it boots while the run imports its
modules; one server serves every run of the process, and it dies with the process: SIGTERM at
exit, and the kernel's parent-death signal when the process is killed outright.

For repeated runs, start a server once and point runs at it (README):
    prefect server start --background
    export PREFECT_API_URL=http://127.0.0.1:4200/api
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from importlib.util import find_spec
from pathlib import Path


def configured_api_url() -> str | None:
    """The API a run will use without us: PREFECT_API_URL from the environment or the active profile."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        data = tomllib.loads(profiles.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active", "ephemeral")
    return data.get("profiles", {}).get(active, {}).get("PREFECT_API_URL") or None


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Runs the server in the child: it dies with its parent (lifetime.py), then runs uvicorn as
# `python -m uvicorn` would.
_LAUNCH = """
import runpy, sys
from pipeline.lifetime import die_with_parent
die_with_parent(int(sys.argv[1]))
sys.argv = ["uvicorn", *sys.argv[2:]]
runpy.run_module("uvicorn", run_name="__main__", alter_sys=True)
"""


class TemporaryServer:
    """A Prefect API server for the life of this process."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        spec = find_spec("prefect")
        assert spec is not None and spec.origin
        env = {
            **os.environ,
            # What Prefect's own ephemeral mode sets: no UI, only the services a run needs.
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_LOGGING_LEVEL": os.environ.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING"),
        }
        env.pop("PREFECT_API_URL", None)
        # Start it from the main thread: the parent-death signal fires when the thread that
        # started the child ends, so that must be the one that lives as long as the run.
        self.process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, str(os.getpid()), "--app-dir", str(Path(spec.origin).parent.parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL,
        )
        atexit.register(self.stop)

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Block until the server answers its health check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Prefect's temporary server exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"Prefect's temporary server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_server: TemporaryServer | None = None


def start_api() -> str | None:
    """Make sure this process has a Prefect API: the configured one (returns None), else a temporary
    server, started on the first call and reused by every later run of the process (returns its URL;
    it is not waited for here: `wait_api` does that when the flow is about to start).

    Best called before importing Prefect, so that the server boots while the imports run. The URL
    goes into the environment, so that the processes this one starts (task runner workers, a local
    Dask cluster) use the same server; a Prefect imported earlier re-reads its settings.
    """
    global _server
    if _server is not None:
        return _server.api_url
    if configured_api_url():
        return None
    _server = TemporaryServer()
    os.environ["PREFECT_API_URL"] = _server.api_url
    if "prefect.context" in sys.modules:
        # Prefect read its settings when it was imported: without this, a client made outside a
        # flow's context (a background event or log worker flushing at exit) would start
        # Prefect's own temporary server, and leave it behind.
        import prefect.context

        prefect.context.refresh_global_settings_context()
    return _server.api_url


def wait_api() -> None:
    if _server is not None:
        _server.wait_ready()
