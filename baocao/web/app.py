"""The review app: FastAPI routes, thin over baocao.web.queries and the store.

    from baocao.web import ServeSettings, create_app
    app = create_app(ServeSettings(db="outputs/baocao.duckdb", review=True))

Pages are Jinja2 templates with autoescaping on (every document text is untrusted); they
carry no JavaScript. Sync routes run in FastAPI's thread pool; the store opens a
transaction per read, so `baocao run` can load while the app is open.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from baocao.store import Store, open_store
from schemas.records import DocumentHeader

from . import charts, exports, queries
from .i18n import DEFAULT_LANG, Texts, pick_lang
from .passwords import verify_password
from .pdf_pages import PageUnavailable, checked_file, render_page
from .security import LoginThrottle, SecurityMiddleware, csrf_ok, csrf_token, forbidden
from .settings import ServeSettings
from .text_view import document_pieces, excerpt, page_of

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
REVIEW_ACTIONS = {"accept": "accepted", "dismiss": "dismissed", "reopen": "reopened", "comment": "commented"}
NOTE_MAX = 4000


class LoginRequired(Exception):
    pass


def create_app(settings: ServeSettings, store: Store | None = None) -> FastAPI:
    """The app over `store` (default: open settings.db, closed when the app stops)."""
    own_store = store is None
    state: dict[str, Any] = {"store": store}
    texts = Texts.load()
    throttle = LoginThrottle()

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        if state["store"] is None:
            state["store"] = open_store(settings.db)
        _add_store_labels(state["store"], texts)
        threading.Thread(target=charts.warm_up, daemon=True, name="charts-warm-up").start()
        try:
            yield
        finally:
            if own_store and state["store"] is not None:
                state["store"].close()

    app = FastAPI(title="baocao", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret,
        session_cookie="baocao_session",
        max_age=12 * 3600,
        same_site="strict",
        https_only=settings.https,
    )
    app.add_middleware(SecurityMiddleware, allowed_hosts=settings.allowed_hosts)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.autoescape = True  # .j2 files too, whatever their name
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True

    def db() -> Store:
        if state["store"] is None:  # used without its lifespan (a test client outside `with`)
            state["store"] = open_store(settings.db)
        return state["store"]

    def lang_of(request: Request) -> str:
        return pick_lang(request.query_params.get("lang") or request.cookies.get("lang") or DEFAULT_LANG)

    def user_of(request: Request) -> str | None:
        """Who is acting: the logged-in user, else the local reviewer when login is not required."""
        user = request.session.get("user")
        if user:
            return str(user)
        return None if settings.login_required else settings.reviewer

    def need_login(request: Request) -> None:
        if settings.login_required and not request.session.get("user"):
            raise LoginRequired()

    def can_review(request: Request) -> bool:
        return settings.review and user_of(request) is not None

    def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        lang = lang_of(request)
        ctx = {
            "request": request,
            "lang": lang,
            "t": lambda key: texts.t(key, lang),
            "label": lambda kind, code: texts.label(kind, code, lang),
            "user": request.session.get("user"),
            "reviewer": user_of(request),
            "review_enabled": settings.review,
            "login_required": settings.login_required,
            "csrf": csrf_token(request),
            "path_with_lang": lambda lg: _with_lang(request, lg),
            "num": _num,
            **context,
        }
        response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
        if request.query_params.get("lang") in ("vi", "en"):
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="strict", httponly=True)
        return response

    @app.exception_handler(LoginRequired)
    async def _login_redirect(request: Request, exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={url_quote(target, safe='')}", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return page(request, "error.html.j2", {"status": exc.status_code, "detail": exc.detail}, exc.status_code)

    # --- overview ------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request) -> Response:
        need_login(request)
        data = queries.overview(db())
        years = sorted({r["year"] for r in data["per_province_year"] if r["year"] is not None})
        table: dict[Any, dict[Any, int]] = {}
        for r in data["per_province_year"]:
            table.setdefault(r["province"], {})[r["year"]] = r["n"]
        return page(request, "overview.html.j2", {"data": data, "years": years, "table": table})

    @app.get("/charts/{name}.svg")
    def chart(request: Request, name: str) -> Response:
        need_login(request)
        lang = lang_of(request)
        draw = {"by-province": charts.by_province, "by-year": charts.by_year}.get(name)
        if draw is None:
            raise HTTPException(404, texts.t("not_found", lang))
        titles = {k: texts.t(f"chart_{k}", lang) for k in ("province", "figures", "year", "by_province", "by_year")}
        svg = draw(queries.overview(db())["per_province_year"], lang, titles)
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})

    # --- figures -------------------------------------------------------------

    def figure_filter(request: Request) -> queries.FigureFilter:
        params = {k: v for k, v in request.query_params.items() if k in queries.FigureFilter.model_fields}
        try:
            return queries.FigureFilter.model_validate(params)
        except ValueError as exc:
            raise HTTPException(400, texts.t("bad_filter", lang_of(request))) from exc

    @app.get("/figures", response_class=HTMLResponse)
    def figures(request: Request) -> Response:
        need_login(request)
        filters = figure_filter(request)
        result, options = queries.explorer(db(), filters)
        return page(request, "figures.html.j2", {
            "result": result, "f": filters, "options": options, "page_sizes": queries.PAGE_SIZES,
            "sorts": list(queries.SORTS),
        })

    def _export(request: Request, fmt: str) -> Response:
        need_login(request)
        filters = figure_filter(request)
        df = queries.export_figures(db(), filters)
        lang = lang_of(request)
        if lang == "vi":
            from baocao.store.dictionary import vietnamese_header

            df = df.rename(columns={c: vietnamese_header("figures", _store_column(c)) for c in df.columns})
        if fmt == "csv":
            body, media = exports.to_csv(df), "text/csv; charset=utf-8"
        else:
            body = exports.to_xlsx(df, "so_lieu" if lang == "vi" else "figures")
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="baocao-figures.{fmt}"'})

    @app.get("/figures.csv")
    def figures_csv(request: Request) -> Response:
        return _export(request, "csv")

    @app.get("/figures.xlsx")
    def figures_xlsx(request: Request) -> Response:
        return _export(request, "xlsx")

    @app.get("/figures/{figure_id}", response_class=HTMLResponse)
    def figure_page(request: Request, figure_id: str) -> Response:
        need_login(request)
        store = db()
        fig = queries.figure(store, figure_id)
        if fig is None:
            raise HTTPException(404, texts.t("figure_not_found", lang_of(request)))
        kept = store.document_text(fig["doc_id"])
        ex = excerpt(kept[0], fig) if kept else None
        page_range = page_of(kept[1], int(fig["start_offset"])) if kept else None
        related = queries.related_figures(store, figure_id, fig.get("parent_id"))
        found = queries.findings(store, queries.FindingFilter(figure_id=figure_id))
        return page(request, "figure.html.j2", {
            "fig": fig, "ex": ex, "related": related, "findings": found,
            "pdf_page": fig.get("page") if fig.get("doc_format") == "pdf" and fig.get("page") else None,
            "position": _position(fig, page_range),
        })

    # --- documents -----------------------------------------------------------

    @app.get("/documents", response_class=HTMLResponse)
    def documents_page(request: Request) -> Response:
        need_login(request)
        store = db()
        unread = [r for r in queries.rejected_inputs(store) if not r.get("doc_id")]
        return page(request, "documents.html.j2", {"docs": queries.documents(store), "unread": unread})

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str) -> Response:
        need_login(request)
        store = db()
        doc = queries.document(store, doc_id)
        if doc is None:
            raise HTTPException(404, texts.t("document_not_found", lang_of(request)))
        kept = store.document_text(doc_id)
        pieces = document_pieces(kept[0], doc["figures"]) if kept else None
        return page(request, "document.html.j2", {"doc": doc, "pieces": pieces, "header": _header(doc, lang_of(request))})

    @app.get("/documents/{doc_id}/pages/{number}.png")
    def document_page_image(
        request: Request, doc_id: str, number: int, figure: str | None = Query(None), position: float | None = None
    ) -> Response:
        need_login(request)
        store = db()
        doc = queries.document(store, doc_id)
        lang = lang_of(request)
        if doc is None or doc.get("format") != "pdf":
            raise HTTPException(404, texts.t("document_not_found", lang))
        quote = None
        if figure:
            fig = queries.figure(store, figure)
            if fig is None or fig["doc_id"] != doc_id:
                raise HTTPException(404, texts.t("figure_not_found", lang))
            quote = fig["quote"]
        try:
            png, _ = render_page(checked_file(doc["path"], doc_id, settings.files_root), number, quote, position)
        except PageUnavailable as exc:
            raise HTTPException(404, str(exc)) from exc
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    # --- findings ------------------------------------------------------------

    @app.get("/findings", response_class=HTMLResponse)
    def findings_page(
        request: Request, severity: str = "", state_: str = Query("", alias="state"), rule: str = "",
        province: str = "",
    ) -> Response:
        need_login(request)
        filters = queries.FindingFilter(severity=severity, state=state_, rule=rule, province=province)
        store = db()
        return page(request, "findings.html.j2", {
            "findings": queries.findings(store, filters), "ff": filters,
            "orphans": queries.orphan_reviews(store),
        })

    @app.get("/findings/{finding_id}", response_class=HTMLResponse)
    def finding_page(request: Request, finding_id: str) -> Response:
        need_login(request)
        store = db()
        view = queries.finding(store, finding_id)
        history = queries._records(store.reviews(finding_id))
        if view is None and not history:
            raise HTTPException(404, texts.t("finding_not_found", lang_of(request)))
        return page(request, "finding.html.j2", {
            "fv": view, "finding_id": finding_id, "history": history, "can_review": can_review(request),
        })

    @app.post("/findings/{finding_id}/review")
    def review(
        request: Request, finding_id: str, action: str = Form(...), note: str = Form(""),
        csrf_token_: str = Form("", alias="csrf_token"),
    ) -> Response:
        need_login(request)
        lang = lang_of(request)
        if not settings.review:
            return forbidden(texts.t("review_disabled", lang))
        if not csrf_ok(request, csrf_token_):
            return forbidden(texts.t("csrf_failed", lang))
        reviewer = user_of(request)
        state_name = REVIEW_ACTIONS.get(action)
        if reviewer is None or state_name is None:
            return forbidden(texts.t("review_refused", lang))
        store = db()
        view = queries.finding(store, finding_id)
        if view is None:
            raise HTTPException(404, texts.t("finding_not_found", lang))
        note = note.strip()[:NOTE_MAX]
        if state_name == "commented" and not note:
            return RedirectResponse(f"/findings/{finding_id}", status_code=303)
        store.add_review(finding_id, state_name, reviewer, note or None,
                         rule=view.row.get("rule"), arithmetic=view.row.get("arithmetic"))
        return RedirectResponse(f"/findings/{finding_id}", status_code=303)

    # --- login ---------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/") -> Response:
        return page(request, "login.html.j2", {"next": _safe_next(next), "error": None})

    @app.post("/login")
    def login(
        request: Request, name: str = Form(...), password: str = Form(...), next: str = Form("/"),
        csrf_token_: str = Form("", alias="csrf_token"),
    ) -> Response:
        lang = lang_of(request)
        if not csrf_ok(request, csrf_token_):
            return forbidden(texts.t("csrf_failed", lang))
        client = request.client.host if request.client else "?"
        name = name.strip()
        if throttle.blocked(name, client):
            return page(request, "login.html.j2", {"next": _safe_next(next), "error": texts.t("login_throttled", lang)}, 429)
        if not verify_password(password, db().password_hash(name)):
            throttle.failed(name, client)
            log.warning("failed login for %r from %s", name, client)
            return page(request, "login.html.j2", {"next": _safe_next(next), "error": texts.t("login_failed", lang)}, 401)
        throttle.succeeded(name, client)
        request.session.clear()  # a new session (and CSRF token) after login: no fixation
        request.session["user"] = name
        return RedirectResponse(_safe_next(next), status_code=303)

    @app.post("/logout")
    def logout(request: Request, csrf_token_: str = Form("", alias="csrf_token")) -> Response:
        if not csrf_ok(request, csrf_token_):
            return forbidden(texts.t("csrf_failed", lang_of(request)))
        request.session.clear()
        return RedirectResponse("/login" if settings.login_required else "/", status_code=303)

    return app


def _add_store_labels(store: Store, texts: Texts) -> None:
    """Labels a store keeps itself (issue 12's labels table), when it has one."""
    try:
        rows = store.fetch_df("SELECT kind, code, label_vi, label_en FROM labels")
    except Exception:  # noqa: BLE001 - a store without the table: the app's own labels stand
        return
    texts.add_labels(rows.to_dict("records"))


# The Party document header read from the text (issue 10: records.DocumentHeader), as stored.
HEADER_FIELDS = (*DocumentHeader.STORED, "recipients", "ocr_pages", "ocr_confidence", "converted_by")


def _header(doc: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """The header fields the document has, with their names in the reader's language."""
    from baocao.store.dictionary import describe_column, vietnamese_header

    out = []
    for name in HEADER_FIELDS:
        value = doc.get(name)
        if value is None or value == "":
            continue
        if lang == "vi":
            label = vietnamese_header("documents", name)
        else:
            label = name.replace("_", " ")
            described = describe_column("documents", name)
            label = described["en"].split(":")[0].split(" (")[0].rstrip(".") if described else label
        out.append((label, value))
    return out


def _store_column(name: str) -> str:
    return {"figure_id": "id"}.get(name, name)


def _safe_next(target: str) -> str:
    """Only a path on this server (no //host, no scheme): an open redirect otherwise."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _with_lang(request: Request, lang: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang)]
    from urllib.parse import urlencode

    return request.url.path + "?" + urlencode(params)


def _position(fig: dict[str, Any], page_range: tuple[int, int, int] | None) -> float | None:
    """Where on its page the figure stands, 0..1 of the page's text (to pick one of repeated quotes)."""
    if not page_range:
        return None
    _, start, end = page_range
    return round((int(fig["start_offset"]) - start) / max(1, end - start), 3)


def _num(x: Any) -> str:
    """4989.0 -> '4.989' (Vietnamese thousands), 11.58 -> '11,58'."""
    if x is None:
        return ""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if v == int(v):
        return f"{int(v):,}".replace(",", ".")
    return f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
