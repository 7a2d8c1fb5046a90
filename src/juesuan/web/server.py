"""``juesuan serve``: the workbench on uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import logging
from urllib.parse import quote

from juesuan.web.settings import ServeSettings, is_loopback


def address(settings: ServeSettings) -> str:
    host = settings.host if ":" not in settings.host else f"[{settings.host}]"
    if host in ("0.0.0.0", "[::]"):
        host = "127.0.0.1"
    token = f"?token={quote(settings.token)}" if settings.token else ""
    return f"http://{host}:{settings.port}/{token}"


def serve(settings: ServeSettings) -> None:
    """Run until interrupted (Ctrl-C): the page address first, on one line."""
    import uvicorn

    from juesuan.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(settings, warm=True)
    where = "仅本机可访问" if is_loopback(settings.host) else "其他计算机凭令牌可访问"
    print(  # the one line a user needs: where to point the browser
        f"juesuan 决算工作台：{address(settings)}（{where}；数据目录 {settings.data}；"
        "Ctrl-C 结束）",
        flush=True,
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=5,
    )
