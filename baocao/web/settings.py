"""How `baocao serve` runs: where the store is, who may do what."""

from __future__ import annotations

import getpass
import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
SECRET_ENV = "BAOCAO_SECRET_KEY"


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


@dataclass(frozen=True)
class ServeSettings:
    db: str | None = None  # DuckDB file (default outputs/baocao.duckdb) or postgresql:// URL
    host: str = "127.0.0.1"
    port: int = 8000
    review: bool = False  # reviewing (accept / dismiss / comment) is off unless asked for
    login: bool = False  # require login even on localhost; always on beyond localhost
    reviewer: str = field(default_factory=_default_reviewer)  # who reviews on localhost without login
    # Session cookies are signed with this; a random one per process logs everybody out on restart.
    secret: str = field(default_factory=lambda: os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32))
    files_root: Path = field(default_factory=Path.cwd)  # relative document paths are read from here
    https: bool = False  # set the Secure flag on cookies (behind an HTTPS proxy)
    extra_hosts: tuple[str, ...] = ()  # Host headers accepted besides localhost (tests: "testserver")

    @property
    def login_required(self) -> bool:
        return self.login or not is_loopback(self.host)

    @property
    def allowed_hosts(self) -> list[str] | None:
        """Host headers a localhost server answers (DNS rebinding); None beyond localhost: any."""
        if not is_loopback(self.host):
            return None
        return ["localhost", "127.0.0.1", "[::1]", *self.extra_hosts]
