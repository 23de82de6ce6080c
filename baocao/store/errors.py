"""Errors raised by the store, split by what the caller should do about them."""

from __future__ import annotations


class StoreError(Exception):
    """The store refused or failed an operation; retrying will not help."""


class TransientStoreError(StoreError):
    """The store was busy (file lock, write conflict, lost connection): retry later.

    The Prefect flow retries tasks on this error only: parsing and extraction are
    deterministic, the store is the one place where waiting can fix a failure.
    """


class StoreLocked(StoreError):
    """Another program (not a baocao run) holds the database file: waiting will not end that."""


class StoreNotFound(StoreError):
    """A command that reads the dataset was pointed at a database that does not exist."""
