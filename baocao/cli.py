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
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Figures out of Vietnamese Party-building reports, with provenance.")

DbOption = Annotated[str | None, typer.Option("--db", help="DuckDB file (default outputs/baocao.duckdb) or postgresql:// URL")]


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


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
) -> None:
    """Ingest, extract and load documents into the consolidated dataset (a Prefect flow)."""
    from pipeline.flows import run_pipeline
    from pipeline.report import print_summary

    summary = run_pipeline([str(p) for p in (paths or [Path("corpus")])], db, run_audit=audit)
    print_summary(summary)
    if summary.rejected:
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
    with open_store(db) as store:
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
    with open_store(db) as store:
        files = do_export(store, fmt, out)
    for f in files:
        print(f)


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
    fail_on: Annotated[str | None, typer.Option("--fail-on", help="exit non-zero when findings of this severity (error, warning, info) exist")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="HTML report path (default outputs/audit.html)")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="CSV export path (default outputs/audit_findings.csv)")] = None,
) -> None:
    """Find breakdowns that do not add up, duplicates that disagree and series that jump."""
    from baocao.audit import run_audit
    from baocao.store import open_store

    with open_store(db) as store:
        result = run_audit(store, html_path=html, csv_path=csv)
    _err(result.summary_line())
    if fail_on and result.count_at_least(fail_on):
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
