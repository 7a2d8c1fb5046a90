"""Batch: many uploaded files, or the files of a folder on the server, audited in the bounded
pool while the page shows progress; then the corpus summary by unit and year, each document
linking to its review page.

A server folder is picked from a list the server makes of the subfolders of ``--batch-root``
(by its position in that list): the text of a request never names a path.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from juesuan.web import views
from juesuan.web.app import Web, checked_id, web
from juesuan.web.routes_review import start, uploaded
from juesuan.web.security import read_form
from juesuan.web.store import display_name
from juesuan.web.uploads import UploadRefused, check_upload

router = APIRouter()
FOLDER_DEPTH = 2


def server_folders(roots: tuple[Path, ...]) -> list[Path]:
    """The folders a batch may be started from: each root and its subfolders (two levels),
    hidden ones left out, symbolic links not followed out of the root."""
    out: list[Path] = []
    for root in roots:
        base = root.resolve()
        out.append(base)
        level = [base]
        for _ in range(FOLDER_DEPTH):
            nxt = []
            for folder in level:
                try:
                    subs = sorted(p for p in folder.iterdir() if p.is_dir())
                except OSError:
                    continue
                for p in subs:
                    if p.name.startswith(".") or not p.resolve().is_relative_to(base):
                        continue
                    nxt.append(p)
            out += nxt
            level = nxt
    return out


def _folder_files(folder: Path, limit: int) -> list[Path]:
    """The regular files under ``folder`` (sorted, hidden ones and symbolic links left out:
    nothing outside the folder is read), at most ``limit``."""
    files: list[Path] = []
    for here, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            p = Path(here) / name
            if not name.startswith(".") and p.is_file() and not p.is_symlink():
                files.append(p)
                if len(files) >= limit:
                    return files
    return files


@router.get("/batch", response_class=HTMLResponse)
def batch_home(request: Request) -> HTMLResponse:
    w = web(request)
    folders = server_folders(w.settings.batch_roots)
    return w.page(request, "batch_home.html", folders=folders, batches=w.store.batches())


def _keep_one(w: Web, data: bytes, name: str, size: int) -> str:
    """Store one file of a batch and start its review: its id, or :class:`UploadRefused`.

    A PDF's pages are counted by its review in a worker (a batch of hundreds is stored at
    once, not inspected one by one while the request waits)."""
    sniffed = check_upload(data, name, w.settings, size)
    blob = w.store.put_blob(data, sniffed.kind, sniffed.suffix, name)
    return start(w, blob.hash, None, False).id


def _keep_folder(w: Web, folder: Path) -> tuple[list[str], list[str]]:
    """Every file of a server folder, one at a time (never all in memory)."""
    reviews, refused = [], []
    for path in _folder_files(folder, w.settings.max_batch_files):
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                data = fh.read(w.settings.max_upload_bytes + 1)
            reviews.append(_keep_one(w, data, path.name, size))
        except UploadRefused as exc:
            refused.append(str(exc))
        except OSError as exc:
            refused.append(f"{path.name}：无法读取（{exc.strerror}）")
    return reviews, refused


@router.post("/batch")
async def batch_new(request: Request) -> Response:
    w = web(request)
    form = await read_form(request, max_files=w.settings.max_batch_files)
    reviews: list[str] = []
    refused: list[str] = []
    choice = str(form.get("folder", ""))
    if choice:
        folders = server_folders(w.settings.batch_roots)
        if not choice.isdigit() or not 0 <= int(choice) < len(folders):
            raise HTTPException(422, "没有这个服务器目录")
        folder = folders[int(choice)]
        reviews, refused = await run_in_threadpool(_keep_folder, w, folder)
        label = f"服务器目录 {folder.name}"
    else:
        for field in form.getlist("files"):
            given = await uploaded(field, w.settings.max_upload_bytes)
            if given is None:
                continue
            try:
                reviews.append(await run_in_threadpool(_keep_one, w, *given))
            except UploadRefused as exc:
                refused.append(str(exc))
        label = f"上传 {len(reviews) + len(refused)} 个文件"
    if not reviews:
        if not refused:
            return w.fail(request, 422, "请选择要审核的文件，或选择服务器上的目录")
        return w.fail(request, 422, "没有可审核的文件：" + "；".join(refused[:5]))
    bid = w.store.new_batch(label + (f"（{len(refused)} 个未接收）" if refused else ""), reviews)
    if refused:
        w.store.set_batch_refused(bid, refused)
    return RedirectResponse(f"/batch/{bid}", 303)


def _batch(w: Web, bid: str) -> tuple[str, list[views.DocView], list[str]]:
    found = w.store.batch(checked_id(bid))
    if found is None:
        raise HTTPException(404, "没有这个批次")
    label, ids = found
    docs = [views.doc_view(r, w.store.blob(r.report)) for r in w.store.reviews(ids)]
    return label, docs, w.store.batch_refused(bid)


@router.get("/batch/{bid}", response_class=HTMLResponse)
def batch_page(request: Request, bid: str) -> HTMLResponse:
    w = web(request)
    label, docs, refused = _batch(w, bid)
    return w.page(request, "batch.html", bid=bid, label=label, docs=docs, refused=refused)


@router.get("/batch/{bid}/progress", response_class=HTMLResponse)
def batch_progress(request: Request, bid: str) -> HTMLResponse:
    w = web(request)
    _, docs, _ = _batch(w, bid)
    return w.page(request, "_progress.html", bid=bid, docs=docs)


@router.get("/corpus", response_class=HTMLResponse)
def corpus(request: Request, batch: str = "") -> HTMLResponse:
    w = web(request)
    label = "全部已审核文件"
    if batch:
        label, docs, _ = _batch(w, batch)
    else:
        docs = [views.doc_view(r, w.store.blob(r.report)) for r in w.store.reviews()]
    return w.page(
        request,
        "corpus.html",
        cv=views.corpus_view(docs),
        label=label,
        batch=batch,
        display=display_name,
    )
