"""Review: upload a report (and last year's), watch it being audited, read its findings on the
page images, in the tables and in the narrative, explain findings, download the results."""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from juesuan import api
from juesuan.errors import InputError
from juesuan.web import tasks, views
from juesuan.web.app import Web, attachment, checked_id, web
from juesuan.web.security import read_form
from juesuan.web.store import Blob, ReviewRow
from juesuan.web.uploads import UploadRefused, check_upload

router = APIRouter()
VIEWS = ("pages", "tables", "text")
MAX_REASON = 500


async def uploaded(field: Any, limit: int) -> tuple[bytes, str, int] | None:
    """The bytes (at most ``limit`` + 1, so that a larger file is seen to be larger), the
    name and the size of a file field, or None when no file was chosen."""
    if not isinstance(field, UploadFile) or not field.filename:
        return None
    data = await field.read(limit + 1)
    return data, field.filename, max(field.size or 0, len(data))


def keep(w: Web, data: bytes, name: str, size: int | None = None) -> Blob:
    """Check an upload and store it by its content hash (a PDF is inspected first, in the page
    process: pdfium never runs in the server)."""
    sniffed = check_upload(data, name, w.settings, size)
    pages = None
    if sniffed.kind == "pdf":
        inspected = w.jobs.page_task(tasks.inspect, data, w.settings.max_pages, 60)
        if inspected.error is not None:
            raise UploadRefused(name, inspected.error, 413 if inspected.over_limit else 422)
        pages = inspected.pages
    blob = w.store.put_blob(data, sniffed.kind, sniffed.suffix, name)
    if pages is not None and blob.pages is None:
        w.store.set_pages(blob.hash, pages)
    return blob


def start(
    w: Web, report: str, prior: str | None, prior_any: bool, *, waiting: bool = False
) -> ReviewRow:
    """The review of ``report`` (against ``prior``), submitted unless already done; a failed
    one is tried again (the code may have learnt to read it). ``waiting``: a person waits for
    this one (its page images are prepared as soon as it is done)."""
    row = w.store.ensure_review(report, prior, prior_any)
    if row.status == "failed":
        w.store.set_status(row.id, "queued")
        row = w.store.review(row.id) or row
    if row.status != "done":
        w.jobs.submit_review(row, prerender=waiting)
    return row


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    w = web(request)
    docs = [views.doc_view(r, w.store.blob(r.report)) for r in w.store.reviews(limit=15)]
    return w.page(request, "home.html", docs=docs)


@router.post("/review")
async def upload(request: Request) -> Response:
    w = web(request)
    form = await read_form(request, max_files=2)
    limit = w.settings.max_upload_bytes
    report = await uploaded(form.get("report"), limit)
    prior = await uploaded(form.get("prior"), limit)
    if report is None:
        return w.fail(request, 422, "请选择要审核的报告文件")
    try:
        blob = await run_in_threadpool(keep, w, *report)
        prior_blob = await run_in_threadpool(keep, w, *prior) if prior is not None else None
    except UploadRefused as exc:
        return w.fail(request, exc.status, str(exc))
    row = start(w, blob.hash, prior_blob.hash if prior_blob else None, form.get("prior_any") == "1")
    return RedirectResponse(f"/review/{row.id}", 303)


def _row(w: Web, rid: str) -> ReviewRow:
    row = w.store.review(checked_id(rid))
    if row is None:
        raise HTTPException(404, "没有这份审核")
    return row


def review_data(w: Web, row: ReviewRow) -> tuple[api.AuditResult, views.ReviewView] | None:
    """The explained result and the page data of a finished review (cached per state of its
    explanations), or None while it is being computed."""
    raw = w.jobs.result(row)
    if raw is None:
        return None
    reasons = w.store.reasons(row.report)
    blob = w.store.blob(row.report)
    key = (row.id, tuple(sorted(reasons.items())), blob.pages is not None if blob else False)
    cached = w.views.get(key)
    if cached is not None and cached[0] is raw:
        return cached[1], cached[2]
    explained = api.explain_reasons(raw, reasons)
    data = views.review_view(explained, blob, api.narrative_view(explained), api.finding_key)
    w.views.put(key, (raw, explained, data))
    return explained, data


@router.get("/review/{rid}", response_class=HTMLResponse)
def review_page(request: Request, rid: str, view: str = "") -> HTMLResponse:
    w = web(request)
    row = _row(w, rid)
    blob = w.store.blob(row.report)
    doc = views.doc_view(row, blob)
    if row.status == "failed":
        return w.page(request, "review_failed.html", row=row, doc=doc)
    found = review_data(w, row) if row.status == "done" else None
    if found is None:
        return w.page(request, "review_wait.html", row=row, doc=doc, since=_since(w, row))
    _, data = found
    if view not in VIEWS or (view == "pages" and not data.pages):
        view = "pages" if data.pages else "tables"
    prior = w.store.blob(row.prior) if row.prior else None
    return w.page(
        request, "review.html", row=row, doc=doc, rv=data, view=view, blob=blob, prior=prior
    )


def _since(w: Web, row: ReviewRow) -> int | None:
    import time

    started = w.jobs.running_since(row.id)
    return int(time.monotonic() - started) if started is not None else None


@router.get("/review/{rid}/status", response_class=HTMLResponse)
def review_status(request: Request, rid: str) -> Response:
    """Polled by the waiting page: the same fragment while the audit runs, then a refresh."""
    w = web(request)
    row = _row(w, rid)
    if row.status == "failed" or (row.status == "done" and review_data(w, row) is not None):
        return Response("", headers={"HX-Refresh": "true"})
    return w.page(request, "_wait.html", row=row, since=_since(w, row))


@router.post("/review/{rid}/explain")
async def explain(request: Request, rid: str) -> Response:
    """Mark a finding explained with the unit's reason (an empty reason takes it back)."""
    w = web(request)
    row = _row(w, rid)
    form = await read_form(request)
    key = str(form.get("key", ""))
    reason = " ".join(str(form.get("reason", "")).split())[:MAX_REASON]
    view = str(form.get("view", ""))
    found = review_data(w, row)
    if found is None:
        raise HTTPException(409, "审核结果正在载入，请稍后再试")
    explained, _ = found
    if key not in {api.finding_key(f) for f in explained.findings}:
        raise HTTPException(422, "没有这条审核结果")
    w.store.set_reason(row.report, key, reason)
    found = review_data(w, row)
    assert found is not None
    explained, data = found
    w.store.set_summary(row.id, explained.summary())
    if request.headers.get("hx-request"):
        return w.page(request, "_findings.html", row=row, rv=data, view=view)
    return RedirectResponse(f"/review/{row.id}?view={view if view in VIEWS else ''}", 303)


@router.post("/review/{rid}/baseline")
async def upload_baseline(request: Request, rid: str) -> Response:
    """Take the reasons of a filled-in 出错说明 file (``juesuan baseline``) into this review."""
    w = web(request)
    row = _row(w, rid)
    form = await read_form(request, max_files=1)
    given = await uploaded(form.get("baseline"), 1024 * 1024)
    found = review_data(w, row)
    if given is None or found is None:
        raise HTTPException(422, "请选择出错说明文件（TOML）")
    raw = w.jobs.result(row)
    assert raw is not None
    tmp = w.store.root / "exports" / f"baseline-{secrets.token_hex(8)}.toml"
    tmp.write_bytes(given[0][: 1024 * 1024])
    try:
        read = api.explain_with(raw, tmp)
    except InputError as exc:
        raise HTTPException(422, f"{given[1]}：{exc.reason}") from None
    finally:
        tmp.unlink(missing_ok=True)
    for f in read.findings:
        if f.explanation:
            w.store.set_reason(row.report, api.finding_key(f), f.explanation[:MAX_REASON])
    again = review_data(w, row)
    if again is not None:
        w.store.set_summary(row.id, again[0].summary())
    return RedirectResponse(f"/review/{row.id}", 303)


@router.get("/review/{rid}/page/{number}.png")
def page_image(request: Request, rid: str, number: int) -> Response:
    w = web(request)
    row = _row(w, rid)
    blob = w.store.blob(row.report)
    if blob is None or not blob.is_pdf or not blob.pages or not 1 <= number <= len(blob.pages):
        raise HTTPException(404, "没有这一页")
    path = w.store.page_image(blob.hash, number)
    if not path.exists():
        error = w.jobs.render(str(w.store.blob_path(blob)), number, str(path))
        if error is not None:
            raise HTTPException(500, f"第 {number} 页无法显示：{error}")
    return FileResponse(
        path, media_type="image/png", headers={"cache-control": "private, max-age=86400"}
    )


DOWNLOADS = {
    "json": ("审核结果.json", "application/json"),
    "csv": ("审核结果.csv", "text/csv; charset=utf-8"),
    "xlsx": (
        "审核结果.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "baseline": ("出错说明.toml", "text/plain; charset=utf-8"),
    "pdf": ("标注.pdf", "application/pdf"),
}


@router.get("/review/{rid}/download/{kind}")
def download(request: Request, rid: str, kind: str) -> Response:
    w = web(request)
    row = _row(w, rid)
    if kind not in DOWNLOADS:
        raise HTTPException(404, "没有这种下载")
    found = review_data(w, row)
    if found is None:
        raise HTTPException(409, "审核结果正在载入，请稍后再试")
    explained, data = found
    suffix, media = DOWNLOADS[kind]
    name = f"{data.unit_name or '报告'}{data.year or ''}-{suffix}"
    blob = w.store.blob(row.report)
    if kind == "json":
        doc = explained.to_json()
        doc["summary"]["file"] = blob.name if blob else None
        return attachment(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", name, media)
    if kind == "csv":
        return attachment(api.format_csv(explained), name, media)
    if kind == "xlsx":
        return attachment(api.format_xlsx(explained), name, media)
    if kind == "baseline":
        return attachment(api.baseline(explained), name, media)
    if blob is None or not blob.is_pdf:
        raise HTTPException(404, "只有 PDF 报告可以下载标注版")
    state = api.baseline(explained).encode()
    import hashlib

    out = w.store.root / "exports" / f"{row.id}-{hashlib.sha256(state).hexdigest()[:16]}.pdf"
    if not out.exists():
        error = w.jobs.call(
            tasks.annotate, str(w.store.blob_path(blob)), explained, str(out), 120, timeout=180
        )
        if error is not None:
            raise HTTPException(500, f"标注版无法生成：{error}")
    return attachment(out.read_bytes(), name, media)
