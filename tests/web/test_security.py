"""The safety the workbench promises (issue 13): loopback by default and a token elsewhere,
the Host header checked, no user-given name on the file system, upload size, page and
unpacked-size limits, content sniffed, CSRF-safe forms."""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli import app as cli
from juesuan.web.settings import MIB, ServeSettings, SettingsError

from .conftest import EXAMPLE, csrf, finished, make_client, upload

TOKEN = "t0ken-for-the-tests-" + "x" * 8


def test_a_path_in_an_upload_name_never_reaches_the_file_system(client, tmp_path: Path) -> None:
    target = Path("/tmp") / f"juesuan-evil-{secrets.token_hex(4)}.txt"
    names = [
        f"../../../../../..{target}",
        f"..\\..\\..\\..{target}".replace("/", "\\"),
        str(target),
    ]
    for name in names:
        answer = upload(client, EXAMPLE, name=name)
        assert answer.status_code == 303, answer.text
        page = finished(client, answer.headers["location"])
        assert target.name in page.text  # shown as the file's name …
        assert not target.exists()  # … and never used as a path
    root = client.app.state.web.store.root
    stored = [p for p in root.rglob("*") if p.is_file()]
    assert stored and all(p.is_relative_to(root) for p in stored)
    assert not any("evil" in p.name for p in stored)


def test_an_oversized_upload_is_refused(tmp_path: Path) -> None:
    with make_client(tmp_path / "d", max_upload_bytes=MIB) as c:
        c.get("/")
        # within the request limit, over the file limit: the file is measured
        answer = c.post(
            "/review",
            data={"csrf": csrf(c)},
            files={"report": ("big.txt", b"x" * (MIB + MIB // 2))},
        )
        assert answer.status_code == 413
        assert "big.txt：文件大小 1.5 MB，超过上限 1 MB" in answer.text
        # a request larger than the route takes is refused from its declared length …
        answer = c.post(
            "/review",
            data={"csrf": csrf(c)},
            files={"report": ("huge.txt", b"x" * (4 * MIB))},
        )
        assert answer.status_code == 413 and "超过上限" in answer.text

        # … and one that does not declare its length, while it streams
        def chunks():
            for _ in range(8):
                yield b"x" * MIB

        answer = c.post(
            "/review",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=zz", "x-csrf-token": csrf(c)},
        )
        assert answer.status_code == 413
        assert not list((tmp_path / "d" / "blobs").rglob("*.txt"))


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<c>0</c>" * (8 * MIB))  # 64 MB of cells
    return buf.getvalue()


def test_a_zip_bomb_xlsx_is_refused_unread(client) -> None:
    bomb = _bomb()
    assert len(bomb) < MIB
    answer = client.post(
        "/review", data={"csrf": csrf(client)}, files={"report": ("表.xlsx", bomb)}
    )
    assert answer.status_code == 413
    assert (
        "表.xlsx：其中 xl/worksheets/sheet1.xml 的压缩比超过 200 倍（疑似压缩炸弹）" in answer.text
    )


def test_a_pdf_beyond_the_page_limit_is_refused(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(12):
        doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    with make_client(tmp_path / "d", max_pages=10) as c:
        c.get("/")
        answer = c.post(
            "/review", data={"csrf": csrf(c)}, files={"report": ("长.pdf", buf.getvalue())}
        )
    assert answer.status_code == 413
    assert "长.pdf：共 12 页，超过上限 10 页" in answer.text


def test_content_is_sniffed_not_taken_from_the_name(client) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    answer = client.post(
        "/review", data={"csrf": csrf(client)}, files={"report": ("决算.pdf", png)}
    )
    assert answer.status_code == 422
    assert "决算.pdf：这是图片文件（PNG），不是可读取的报告格式" in answer.text


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil"])
def test_a_foreign_host_header_is_refused(client, host: str) -> None:
    answer = client.get("/", headers={"host": host})
    assert answer.status_code == 400
    assert "Invalid host header" in answer.text
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8000"}).status_code == 200


def test_a_non_loopback_address_needs_a_token() -> None:
    with pytest.raises(SettingsError, match="--token"):
        ServeSettings(host="0.0.0.0").check()
    with pytest.raises(SettingsError, match="16"):
        ServeSettings(host="0.0.0.0", token="short").check()
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("juesuan: --host 0.0.0.0 is reachable")
    assert "Traceback" not in result.output


def test_every_request_needs_the_token_when_one_is_set(tmp_path: Path) -> None:
    with make_client(
        tmp_path / "d", host="0.0.0.0", token=TOKEN, allowed_hosts=("review.example",)
    ) as c:
        for path in ("/", "/static/app.css", "/batch", "/corpus", "/review/abcdef0123456789"):
            answer = c.get(path, headers={"host": "review.example"})
            assert answer.status_code == 401, path
        assert c.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
        # a browser opens the address with the token once; it becomes a cookie
        answer = c.get(f"/batch?token={TOKEN}", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/batch"
        assert "HttpOnly" in answer.headers["set-cookie"]
        assert "SameSite=Strict" in answer.headers["set-cookie"]
        assert c.get("/batch", headers={"host": "review.example"}).status_code == 200
        c.cookies.clear()
        assert c.get("/batch").status_code == 401


def test_forms_are_csrf_safe(client) -> None:
    files = {"report": ("a.txt", EXAMPLE.read_bytes())}
    assert client.post("/review", files=files).status_code == 403
    assert client.post("/review", data={"csrf": "0" * 32}, files=files).status_code == 403
    other = client.post(
        "/review",
        data={"csrf": csrf(client)},
        files=files,
        headers={"origin": "http://evil.example"},
    )
    assert other.status_code == 403
    cross = client.post(
        "/review",
        data={"csrf": csrf(client)},
        files=files,
        headers={"sec-fetch-site": "cross-site"},
    )
    assert cross.status_code == 403
    same = client.post(
        "/review",
        data={"csrf": csrf(client)},
        files=files,
        headers={"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"},
        follow_redirects=False,
    )
    assert same.status_code == 303


def test_every_answer_carries_the_security_headers(client) -> None:
    answer = client.get("/")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in answer.text and "style=" not in answer.text


@pytest.mark.parametrize(
    "path", ["/review/..%2F..%2Fetc%2Fpasswd", "/review/NOT-HEX", "/compile/zz", "/batch/%2e%2e"]
)
def test_ids_in_paths_are_ours_or_not_found(client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_download_name_from_the_document_cannot_break_the_headers() -> None:
    from juesuan.web.app import attachment

    answer = attachment(b"x", "单位\r\nSet-Cookie: a=b\r\n.csv", "text/csv")
    disposition = answer.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment; filename=\"juesuan.csv\"; filename*=UTF-8''")
