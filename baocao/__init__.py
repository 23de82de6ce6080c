"""baocao: figures out of Vietnamese Party-building reports, with provenance."""

__version__ = "0.1.0"
