"""`baocao` command line: a thin layer over functions a Python user can import.

    baocao extract --jsonl PATH...   facts as JSON Lines on standard output (no store, no server)
    baocao run [PATH...] [--db]      the Prefect flow: ingest, extract, load, audit
    baocao organize [--db]           rebuild the organization registry from the loaded figures
    baocao audit [--db] [--fail-on]  find figures that do not add up
    baocao export --format F --out D views and tables as parquet, csv or xlsx
    baocao prune [PATH...] [--db]    drop documents whose files are gone
    baocao serve [--db] [--review]   the review app (web, localhost:8000 by default)
    baocao user add NAME [--db]      a reviewer who may log in to the app
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Figures out of Vietnamese Party-building reports, with provenance.")

DbOption = Annotated[str | None, typer.Option("--db", help="DuckDB file (default outputs/baocao.duckdb) or postgresql:// URL")]


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _err(msg: str) -> None:
    """One line for a person on standard error; names and reasons read from files are data, so
    their control characters are shown escaped, never sent to the terminal."""
    from baocao.safe_text import shown

    print(shown(msg), file=sys.stderr)


@contextmanager
def _store_faults() -> Iterator[None]:
    """A store that cannot be used (locked by another program, missing, unreachable, refused) is one
    line on standard error and exit status 1, not a traceback."""
    from baocao.store import StoreError

    try:
        yield
    except StoreError as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None


def _limits(pairs: list[str]):
    """Limits of this run: the defaults, the BAOCAO_LIMIT_* environment, then --limit NAME=VALUE."""
    from pydantic import ValidationError

    from baocao.ingest import Limits

    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name.strip() not in Limits.model_fields:
            raise typer.BadParameter(f"{pair!r}: expected NAME=VALUE with NAME one of {', '.join(Limits.model_fields)}",
                                     param_hint="--limit")
        values[name.strip()] = value.strip()
    try:
        return Limits(**values)
    except ValidationError as e:
        raise typer.BadParameter("; ".join(f"{err['loc'][0]}: {err['msg']}" for err in e.errors()),
                                 param_hint="--limit") from None


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="files or directories")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines interchange format (the only format)")] = True,
) -> None:
    """Print every fact of the given documents as JSON Lines (GUIDE.md). Nothing else goes to standard output."""
    from baocao.files import expand
    from baocao.ingest import IngestError, read_document
    from baocao.interchange import jsonl_lines
    from baocao.resolve import resolve
    from extractors import extract as extract_text
    from extractors.rules import load_rules

    rules = load_rules()
    rejected = 0
    out = sys.stdout
    for path in expand(paths):
        try:
            doc = read_document(path)
        except IngestError as e:
            rejected += 1
            _err(f"rejected {path}: {e.message}")
            continue
        try:
            ex = resolve(doc, extract_text(doc.text, rules, doc.tables), rules)
        except Exception as e:  # noqa: BLE001 - one document's failure must not stop the others
            rejected += 1
            _err(f"extraction failed for {path}: {type(e).__name__}: {e}")
            continue
        for line in jsonl_lines(doc.name, ex):
            out.write(line + "\n")
    out.flush()
    if rejected:
        raise typer.Exit(1)


@app.command()
def run(
    paths: Annotated[list[Path] | None, typer.Argument(help="files or directories (default corpus/)")] = None,
    db: DbOption = None,
    audit: Annotated[bool, typer.Option("--audit/--no-audit", help="run the audit after loading")] = True,
    limit: Annotated[list[str] | None, typer.Option("--limit", help="NAME=VALUE, e.g. max_pdf_pages=3000 (README: Limits); repeatable")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="processes reading documents (default: one per CPU)")] = None,
    dask: Annotated[str | None, typer.Option("--dask", envvar="BAOCAO_DASK", help="read on a Dask cluster: 'local' or a scheduler address tcp://HOST:8786")] = None,
    summary_json: Annotated[Path | None, typer.Option("--summary-json", help="also write the run's summary as JSON to this file")] = None,
) -> None:
    """Ingest, extract and load documents into the consolidated dataset (a Prefect flow)."""
    import os

    # Prefect's temporary server gets 20 s to start by default; on two busy cores it may need more.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    limits = _limits(limit or [])
    from pipeline import pool, progress, server

    server.start_api()  # first: Prefect's temporary server (if one is needed) boots while the rest imports
    if dask is None:
        pool.start(workers or os.cpu_count() or 1)  # the workers load the models while Prefect is imported
    from rich.console import Console

    console = Console(stderr=True)
    reporter = progress.for_console(console)
    from pipeline.report import print_summary, safe_url

    reporter.stage(f"starting the run → {safe_url(db) if db else 'outputs/baocao.duckdb'}")
    from baocao.audit import report_paths
    from baocao.store import open_store
    from pipeline.flows import run_pipeline

    try:
        with _store_faults():
            open_store(db).close()  # a locked or refused store is said now, before any document is read
            summary = run_pipeline([str(p) for p in (paths or [Path("corpus")])], db, run_audit=audit, limits=limits,
                                   workers=workers, dask=dask, reporter=reporter)
    finally:
        pool.stop()
    print_summary(summary, console)
    if summary_json:
        summary_json.write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    if audit and summary.audit is not None:
        _err(f"audit report: {report_paths(db)[0]}")
    if summary.rejected or summary.not_loaded:
        raise typer.Exit(1)


@app.command()
def prune(
    paths: Annotated[list[Path] | None, typer.Argument(help="the folders whose files should still exist (default corpus/)")] = None,
    db: DbOption = None,
) -> None:
    """Remove documents (and their facts) whose files no longer exist."""
    from baocao.files import expand
    from baocao.store import open_store

    existing = [str(p) for p in expand([str(p) for p in (paths or [Path("corpus")])]) if p.exists()]
    with _store_faults(), open_store(db, create=False) as store:
        removed = store.prune(existing)
    for p in removed:
        _err(f"pruned {p}")
    _err(f"{len(removed)} document(s) pruned")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or xlsx")] = "parquet",
    out: Annotated[Path, typer.Option("--out", help="output directory")] = Path("outputs/export"),
    db: DbOption = None,
) -> None:
    """Write the dashboard views and the raw tables, one file (or sheet) per table."""
    from baocao.export import export as do_export
    from baocao.store import open_store

    if fmt not in ("parquet", "csv", "xlsx"):
        raise typer.BadParameter("--format must be parquet, csv or xlsx")
    with _store_faults(), open_store(db, create=False) as store:
        files = do_export(store, fmt, out)
    from baocao.safe_text import shown

    for f in files:
        print(shown(f))


@app.command()
def organize(db: DbOption = None) -> None:
    """Rebuild the organization registry from the loaded figures (after an edit of its data files)."""
    from baocao.organizations import organize as run_organize
    from baocao.store import open_store

    with open_store(db) as store:
        result = run_organize(store)
    _err(result.summary_line())


@app.command()
def audit(
    db: DbOption = None,
    fail_on: Annotated[Severity | None, typer.Option("--fail-on", help="exit 2 when findings of this severity or worse exist")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="HTML report path (default audit.html next to the database)")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="CSV export path (default audit_findings.csv next to the database)")] = None,
) -> None:
    """Find breakdowns that do not add up, duplicates that disagree and series that jump."""
    from baocao.audit import report_paths, run_audit
    from baocao.safe_text import shown
    from baocao.store import open_store

    html_path, csv_path = report_paths(db, html, csv)
    with _store_faults(), open_store(db, create=False) as store:
        result = run_audit(store, html_path=html_path, csv_path=csv_path)
    _err(result.summary_line())
    _err(f"audit report: {shown(html_path)} (findings as CSV: {shown(csv_path)})")
    if fail_on and result.count_at_least(fail_on.value):
        raise typer.Exit(2)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="address to listen on; beyond localhost everyone must log in")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    review: Annotated[bool, typer.Option("--review", help="let reviewers accept, dismiss and comment on findings (read-only without)")] = False,
    login: Annotated[bool, typer.Option("--login", help="require login on localhost too")] = False,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="name recorded for reviews on localhost without login (default: your user name)")] = None,
) -> None:
    """The review app: overview, figure explorer, documents, audit findings to settle."""
    import dataclasses

    import uvicorn

    from baocao.store import open_store
    from baocao.web import ServeSettings, create_app

    settings = ServeSettings(db=db, host=host, port=port, review=review, login=login)
    if reviewer:
        settings = dataclasses.replace(settings, reviewer=reviewer)
    store = open_store(db)
    if settings.login_required and not store.user_names():
        store.close()
        _err(f"baocao serve: listening on {host} needs a login and the store has no users: "
             "add one with `baocao user add NAME` (same --db)")
        raise typer.Exit(2)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    _err(f"baocao serve: {where} ({'reviewing on' if review else 'read-only'}"
         f"{', login required' if settings.login_required else ''}) on {store!r}; Ctrl+C to stop")
    uvicorn.run(create_app(settings, store), host=host, port=port, log_level="warning", proxy_headers=False)
    store.close()


user_app = typer.Typer(help="Users who may log in to the review app (baocao serve).", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="login name")],
    db: DbOption = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from standard input (scripts)")] = False,
) -> None:
    """Add a user, or set a new password for one; the password is stored only as a scrypt hash."""
    from baocao.store import open_store
    from baocao.web.passwords import WeakPassword, hash_password

    name = name.strip()
    if not name or any(c.isspace() for c in name):
        raise typer.BadParameter("a user name has no spaces")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        hashed = hash_password(password)
    except WeakPassword as e:
        _err(f"baocao user add: {e}")
        raise typer.Exit(2) from e
    with open_store(db) as store:
        new = store.set_user(name, hashed)
    _err(f"user {name} {'added' if new else 'has a new password'}")


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """The users who may log in."""
    from baocao.store import open_store

    with open_store(db) as store:
        for name in store.user_names():
            print(name)


@user_app.command("remove")
def user_remove(name: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Remove a user (their reviews stay, under their name)."""
    from baocao.store import open_store

    with open_store(db) as store:
        found = store.remove_user(name)
    _err(f"user {name} {'removed' if found else 'not found'}")
    if not found:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
