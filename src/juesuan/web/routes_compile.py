"""Compile: start from the embedded example or an uploaded table file, edit the source facts
and reasons in a form, see the generated 情况说明 and the check update, build the package and
download it (DOCX, PDF, XLSX, HTML, JSON, or all of it as a ZIP)."""

from __future__ import annotations

import io
import secrets
import shutil
import zipfile
from concurrent.futures import Future
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from juesuan.fileio import write_atomic
from juesuan.web import compile_form as cf
from juesuan.web import tasks, views
from juesuan.web.app import Web, attachment, checked_id, web
from juesuan.web.routes_review import keep, uploaded
from juesuan.web.security import read_form
from juesuan.web.store import CompileRow
from juesuan.web.uploads import UploadRefused

router = APIRouter()

EXAMPLE_SOURCE = "jiaozuo-2021.toml"
EXAMPLE_TABLES = "jiaozuo-2021.txt"
# what can be downloaded from a built package (the kinds juesuan.writers.OUTPUT_NAMES gives)
PACKAGE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


@router.get("/compile", response_class=HTMLResponse)
def compile_home(request: Request) -> HTMLResponse:
    w = web(request)
    return w.page(request, "compile_home.html", projects=w.store.compiles())


@router.post("/compile/new")
async def compile_new(request: Request) -> Response:
    w = web(request)
    form = await read_form(request, max_files=1)
    if form.get("start") == "example":
        examples = resources.files("juesuan.examples")
        doc = cf.start_from(cf.parse((examples / EXAMPLE_SOURCE).read_text("utf-8")))
        data = (examples / EXAMPLE_TABLES).read_bytes()
        blob = w.store.put_blob(data, "text", ".txt", EXAMPLE_TABLES)
    else:
        given = await uploaded(form.get("tables"), w.settings.max_upload_bytes)
        if given is None:
            return w.fail(request, 422, "请选择九张公开表所在的文件（XLSX 等）")
        try:
            blob = await run_in_threadpool(keep, w, *given)
        except UploadRefused as exc:
            return w.fail(request, exc.status, str(exc))
        read = await run_in_threadpool(
            w.jobs.call,
            tasks.read_tables,
            str(w.store.blob_path(blob)),
            w.settings.seconds_per_document,
            timeout=w.settings.seconds_per_document + 30,
        )
        if read.error is not None:
            return w.fail(request, 422, f"{blob.name}：{read.error}")
        # who and when as the tables say; the unit's kind and facts are the officer's to give
        unit: dict[str, object] = {"name": read.unit_name or ""}
        if read.year is not None:
            unit["year"] = read.year
        doc = {"unit": unit}
    cid = w.store.new_compile(blob.hash, cf.dumps(doc), cf.label(doc))
    return RedirectResponse(f"/compile/{cid}", 303)


def _project(w: Web, cid: str) -> CompileRow:
    row = w.store.compile(checked_id(cid))
    if row is None:
        raise HTTPException(404, "没有这个编制项目")
    return row


def _source_file(w: Web, row: CompileRow) -> Path:
    """Write the source the build reads: the kept facts and the server's own tables file."""
    blob = w.store.blob(row.tables)
    if blob is None:
        raise HTTPException(410, "编制项目的表格文件已不在存储中")
    path = w.store.compile_dir(row.id) / "source.toml"
    write_atomic(path, cf.source_text(cf.parse(row.source), str(w.store.blob_path(blob))))
    return path


def _preview(w: Web, row: CompileRow) -> views.PreviewView:
    source = _source_file(w, row)
    seconds = w.settings.seconds_per_document
    done = w.jobs.call(tasks.preview, str(source), seconds, timeout=seconds + 30)
    return views.preview_view(done.prepared, done.error)


def _build_state(w: Web, row: CompileRow) -> dict[str, object]:
    return {"status": row.build_status, "error": row.build_error, "files": row.build_files}


@router.get("/compile/{cid}", response_class=HTMLResponse)
def compile_page(request: Request, cid: str) -> HTMLResponse:
    w = web(request)
    row = _project(w, cid)
    values = cf.form_values(cf.parse(row.source))
    return w.page(
        request,
        "compile.html",
        row=row,
        groups=cf.form_groups(),
        values=values,
        pv=_preview(w, row),
        errors={},
        build=_build_state(w, row),
    )


@router.post("/compile/{cid}/preview")
async def compile_update(request: Request, cid: str) -> Response:
    """Save the form into the source and show the regenerated text and check."""
    w = web(request)
    row = _project(w, cid)
    form = await read_form(request, max_files=0, max_fields=1000)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    doc, errors = cf.apply_form(cf.parse(row.source), fields)
    w.store.set_compile_source(row.id, cf.dumps(doc), cf.label(doc))
    row = _project(w, cid)
    pv = await run_in_threadpool(_preview, w, row)
    if request.headers.get("hx-request"):
        labels = {f.path: f.label for g in cf.form_groups() for f in g.fields}
        return w.page(request, "_preview.html", row=row, pv=pv, errors=errors, labels=labels)
    return RedirectResponse(f"/compile/{row.id}", 303)


def _built(w: Web, cid: str, future: Future[tasks.Built]) -> None:
    try:
        built = future.result()
    except Exception as exc:  # the worker died or the server stops
        w.store.set_build(cid, "failed", error=f"生成中断（{type(exc).__name__}）")
        return
    result = built.result
    if result is None:
        w.store.set_build(cid, "failed", error=built.error)
        return
    if not result.built:
        w.store.set_build(cid, "refused", error="\n".join(result.lines()), force=result.forced)
        return
    base = w.store.compile_dir(cid)
    files = {
        kind: str(Path(path).relative_to(base))
        for kind, path in result.written.items()
        if kind in PACKAGE and Path(path).is_relative_to(base)
    }
    files["package"] = str(Path(result.outdir).relative_to(base))
    w.store.set_build(cid, "done", files=files, force=result.forced)
    # earlier builds of this project are replaced by this one
    for old in base.glob("package-*"):
        if old.name != files["package"] and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


@router.post("/compile/{cid}/build")
async def compile_build(request: Request, cid: str) -> Response:
    w = web(request)
    row = _project(w, cid)
    form = await read_form(request, max_files=0)
    if row.build_status != "running":
        force = form.get("force") == "1"
        source = _source_file(w, row)
        # a new folder for every build: the build never writes over a folder it did not make
        outdir = w.store.compile_dir(row.id) / f"package-{secrets.token_hex(4)}"
        w.store.set_build(row.id, "running", force=force)
        future = w.jobs.submit(
            tasks.build, str(source), str(outdir), force, w.settings.seconds_per_document
        )
        future.add_done_callback(lambda f: _built(w, row.id, f))
    row = _project(w, cid)
    if request.headers.get("hx-request"):
        return w.page(request, "_build.html", row=row, build=_build_state(w, row))
    return RedirectResponse(f"/compile/{row.id}", 303)


@router.get("/compile/{cid}/build", response_class=HTMLResponse)
def compile_build_state(request: Request, cid: str) -> HTMLResponse:
    w = web(request)
    row = _project(w, cid)
    return w.page(request, "_build.html", row=row, build=_build_state(w, row))


@router.get("/compile/{cid}/download/{kind}")
def compile_download(request: Request, cid: str, kind: str) -> Response:
    w = web(request)
    row = _project(w, cid)
    base = w.store.compile_dir(row.id)
    title = row.label.replace(" ", "")
    if kind == "zip":
        package = base / row.build_files.get("package", "package")
        if row.build_status != "done" or not package.is_dir():
            raise HTTPException(404, "尚未生成")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(p for p in package.rglob("*") if p.is_file()):
                if not path.name.startswith("."):
                    z.write(path, path.relative_to(package).as_posix())
        return attachment(buf.getvalue(), f"{title}决算公开.zip", "application/zip")
    if kind not in PACKAGE or kind not in row.build_files or row.build_status != "done":
        raise HTTPException(404, "尚未生成")
    path = (base / row.build_files[kind]).resolve()
    if not path.is_relative_to(base.resolve()) or not path.is_file():
        raise HTTPException(404, "尚未生成")
    return attachment(path.read_bytes(), f"{title}-{path.name}", PACKAGE[kind])
