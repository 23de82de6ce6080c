"""The review app behind `baocao serve`: browse figures back to their sentences, settle audit findings.

    from baocao.web import ServeSettings, create_app
    app = create_app(ServeSettings(db="outputs/baocao.duckdb"))

Everything a page shows comes from baocao.web.queries over the store; the app adds only
rendering, language, login and the review form.
"""

from .app import create_app
from .settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
