"""Every request passes one guard (a plain ASGI middleware, cheap on every request):

1. **Host header** among the names this server answers to (a DNS-rebinding page cannot reach
   a server on 127.0.0.1 through a name of its own): else 400.
2. **Token**, when one is set (required for a non-loopback ``--host``): ``Authorization:
   Bearer TOKEN``, or the cookie set by opening ``/?token=TOKEN`` once (then redirected to the
   address without it, so it does not stay in the history): else 401. Every path, static files
   included.
3. **Cross-site writes refused**: a POST whose ``Origin`` is another site, or whose
   ``Sec-Fetch-Site`` says cross-site, gets 403 before it is read; then every form carries the
   CSRF token of a per-browser cookie (double submit: :func:`read_form` compares them; htmx
   sends it as a header), and the cookies are ``SameSite=Strict``.
4. **Body size** per path, from the declared length and while it streams: else 413.
5. **Security headers** on every answer: a Content-Security-Policy allowing only this origin's
   scripts and styles (no inline script or style anywhere in the templates), no framing, no
   MIME sniffing, no referrer to other sites.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from juesuan.web.settings import ServeSettings
from juesuan.web.uploads import mb

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "juesuan_token"
CSRF_COOKIE = "juesuan_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(limit)


def host_name(header: str) -> str:
    """``example.org:8000`` → ``example.org``; ``[::1]:8000`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets (a missing one never matches)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


def _cookies(raw: str) -> dict[str, str]:
    out = {}
    for part in raw.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            out[name] = value
    return out


def _cookie(name: str, value: str) -> tuple[bytes, bytes]:
    return (b"set-cookie", f"{name}={value}; Path=/; HttpOnly; SameSite=Strict".encode())


async def _answer(
    send: Send,
    status: int,
    text: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>juesuan</title>'
        f"<p>{escape(text)}</p></html>"
    ).encode()
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *HEADERS,
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The ASGI middleware described above."""

    def __init__(
        self, app: ASGIApp, settings: ServeSettings, limit_for: Callable[[str], int]
    ) -> None:
        self.app = app
        self.hosts = frozenset(host_name(h) for h in settings.hosts())
        self.token = settings.token
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if host_name(headers.get("host", "")) not in self.hosts:
            await _answer(send, 400, "请求的 Host 头不是本服务的地址（Invalid host header）")
            return
        cookies = _cookies(headers.get("cookie", ""))
        extra: list[tuple[bytes, bytes]] = []
        if self.token is not None:
            given = headers.get("authorization", "")
            bearer = given[7:].strip() if given.lower().startswith("bearer ") else None
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            if scope["method"] == "GET" and same(query.get("token"), self.token):
                # the token given in the address once: keep it as a cookie, drop it from the URL
                rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
                location = scope["path"] + (f"?{rest}" if rest else "")
                await _answer(
                    send,
                    303,
                    "已登录",
                    [(b"location", location.encode()), _cookie(TOKEN_COOKIE, self.token)],
                )
                return
            if not (same(bearer, self.token) or same(cookies.get(TOKEN_COOKIE), self.token)):
                await _answer(send, 401, "需要访问令牌：请打开服务启动时给出的带 token 的地址")
                return
        if scope["method"] not in SAFE_METHODS and not self._same_site(headers):
            await _answer(send, 403, "拒绝来自其他网站的提交（跨站请求）")
            return
        csrf = cookies.get(CSRF_COOKIE, "")
        if len(csrf) != 32:
            csrf = secrets.token_hex(16)
            extra.append(_cookie(CSRF_COOKIE, csrf))
        state = dict(scope.get("state") or {})
        state["csrf"] = csrf
        scope = {**scope, "state": state}
        limit = self.limit_for(scope["path"])
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _answer(send, 413, f"提交的内容超过上限（{mb(limit)} MB）")
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *HEADERS, *extra]
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _answer(send, 413, f"提交的内容超过上限（{mb(exc.limit)} MB）")

    def _same_site(self, headers: dict[str, str]) -> bool:
        """A write from a page of this server (or from a tool that sends no browser headers)."""
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False
        origin = headers.get("origin")
        if origin is None:
            return True
        if origin == "null":
            return False
        own = host_name(headers.get("host", ""))
        parts = urlsplit(origin)
        return (parts.hostname or "") == own and (parts.port or None) == _port(headers)

    # the Origin's port must be the Host's (another service on this machine is another site)


def _port(headers: dict[str, str]) -> int | None:
    host = headers.get("host", "").strip()
    tail = host.rsplit("]", 1)[-1] if host.startswith("[") else host
    if ":" in tail:
        port = tail.rsplit(":", 1)[1]
        return int(port) if port.isdigit() else None
    return None


async def read_form(request: Any, *, max_files: int = 4, max_fields: int = 400) -> Any:
    """The submitted form, if it carries this browser's CSRF token (field or header); else
    403. Every POST route reads its form through here."""
    from fastapi import HTTPException

    form = await request.form(max_files=max_files, max_fields=max_fields, max_part_size=1024 * 1024)
    expected = request.state.csrf
    given = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    if (
        not isinstance(given, str)
        or not same(given, request.cookies.get(CSRF_COOKIE))
        or not same(given, expected)
    ):
        raise HTTPException(403, "表单已过期或来自其他网站：请刷新页面后重试")
    return form
