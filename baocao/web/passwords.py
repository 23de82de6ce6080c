"""Password hashes for the review app's users: salted scrypt (hashlib, a memory-hard KDF).

Stored as `scrypt$N$r$p$salt$hash` (salt and hash in base64), so the cost can be raised
later and old hashes still verify. Never logs or returns the password itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# 16 MiB of memory per hash (128 * r * N bytes): slow for a guesser, ~50 ms for a login.
N, R, P = 2**14, 8, 1
_DKLEN = 32
MIN_LENGTH = 10


class WeakPassword(ValueError):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")


def hash_password(password: str) -> str:
    check_strength(password)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=_DKLEN)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches the stored hash; False for a malformed or missing one."""
    if not stored:
        # Same work as a real check, so a missing user takes as long as a wrong password.
        hashlib.scrypt(password.encode("utf-8"), salt=b"\0" * 16, n=N, r=R, p=P, dklen=_DKLEN)
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected), maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)
