"""The stores a run writes to, opened once per process and kept open until the run ends.

Opening a store migrates and sweeps it, and a DuckDB file costs a checkpoint each time it is
closed: a run pays that once, not once per task. Tasks name their store by its target (a
path or URL, never a connection object, so that they stay plain and picklable) and get the
open one from here; the flow closes them when it is done (`close_all`).
"""

from __future__ import annotations

import threading

from baocao.store import Store, open_store

_open: dict[str, Store] = {}
_guard = threading.Lock()


def store_for(db: str | None) -> Store:
    key = db or ""
    with _guard:
        store = _open.get(key)
        if store is None:
            store = _open[key] = open_store(db)
        return store


def close_all() -> None:
    with _guard:
        stores = list(_open.values())
        _open.clear()
    for store in stores:
        store.close()
