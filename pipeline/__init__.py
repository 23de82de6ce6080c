"""Prefect flows and tasks: they orchestrate; the work is done by baocao.* and extractors."""

import os

# Prefect's own INFO lines would interleave with the progress bar; warnings still show.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
# No telemetry: the machines this runs on reach no analytics host, and reports are not ours to send.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
