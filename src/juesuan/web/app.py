"""``create_app(settings)``: the FastAPI application of ``juesuan serve``.

Routes live in ``routes_review`` (upload, review page, explanations, downloads),
``routes_compile`` (the compile form and its package) and ``routes_batch`` (batches and the
corpus summary); they share one :class:`Web` (settings, store, jobs, templates) kept in
``app.state``. Every request passes :class:`juesuan.web.security.Guard` first.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from juesuan.web.jobs import Jobs
from juesuan.web.security import CSRF_FIELD, Guard
from juesuan.web.settings import MIB, ServeSettings
from juesuan.web.store import Store, valid_id
from juesuan.web.uploads import mb

log = logging.getLogger("juesuan.web")
HTMX = "htmx-2.0.11.min.js"


class Recent:
    """The last few values by key (the page data of recently opened reviews), thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class Web:
    settings: ServeSettings
    store: Store
    jobs: Jobs
    templates: Jinja2Templates
    views: Recent

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("csrf", request.state.csrf)
        context.setdefault("csrf_field", CSRF_FIELD)
        context.setdefault("htmx", HTMX)
        context.setdefault("limits", self.settings)
        context.setdefault("mb", mb)
        response = self.templates.TemplateResponse(request, name, context, status_code=status)
        response.headers["cache-control"] = "no-store"
        return response

    def fail(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.page(request, "error.html", status, message=message)


def web(request: Request) -> Web:
    state: Web = request.app.state.web
    return state


def checked_id(value: str) -> str:
    """A path's id, if it is one of ours (hex); else 404 before anything is looked up."""
    if not valid_id(value):
        raise HTTPException(404, "没有这个页面")
    return value


def attachment(data: bytes | str, name: str, media_type: str) -> Response:
    """A download, its Chinese file name given the RFC 6266 way (``filename*``), with an ASCII
    name for clients that know only ``filename``."""
    suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
    plain = re.fullmatch(r"[A-Za-z0-9._ -]{1,100}", name) is not None
    ascii_name = name if plain else f"juesuan.{suffix if suffix.isalnum() else 'bin'}"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    body = data.encode("utf-8") if isinstance(data, str) else data
    return Response(body, media_type=media_type, headers={"content-disposition": disposition})


def _limit_for(settings: ServeSettings) -> Any:
    """The largest body each path takes: a review (report and prior), a compile form with its
    table file, a batch; everything else is a small form."""

    def limit(path: str) -> int:
        if path == "/review":
            return 2 * settings.max_upload_bytes + MIB
        if path == "/batch":
            return settings.max_batch_bytes
        if path.startswith("/compile"):
            return settings.max_upload_bytes + MIB
        return MIB

    return limit


def create_app(settings: ServeSettings, *, warm: bool = False) -> FastAPI:
    """The application; ``warm`` starts the worker processes at once (``juesuan serve``)."""
    settings = settings.check()
    store = Store(settings.data)
    jobs = Jobs(store, settings)
    package = resources.files("juesuan.web")
    templates = Jinja2Templates(directory=str(package / "templates"))
    state = Web(settings, store, jobs, templates, Recent(4 * settings.cache_results))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            jobs.warm()
        resumed = jobs.resume()
        if resumed:
            log.info("resumed %d unfinished reviews", resumed)
        store.interrupted_builds()
        yield
        jobs.shutdown()
        store.close()

    app = FastAPI(
        title="juesuan 决算工作台",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.web = state
    app.mount("/static", StaticFiles(directory=str(package / "static")), name="static")

    from juesuan.web import routes_batch, routes_compile, routes_review

    app.include_router(routes_review.router)
    app.include_router(routes_compile.router)
    app.include_router(routes_batch.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not hasattr(request.state, "csrf"):  # pragma: no cover - the guard always sets it
            return Response(str(exc.detail), status_code=exc.status_code)
        return state.fail(request, exc.status_code, str(exc.detail))

    app.add_middleware(Guard, settings=settings, limit_for=_limit_for(settings))
    return app
