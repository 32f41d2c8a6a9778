"""`narrative-check serve`: the page, uploads and downloads through Starlette's TestClient; the
command's binding and Ctrl-C in a subprocess. The browser drives the same page in test_serve_browser.py."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote
from urllib.request import urlopen

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from narrative_check import check_file
from narrative_check.cli import cli
from narrative_check.web import ServeOptions, create_app
from narrative_check.web import app as web_app
from narrative_check.web.app import content_disposition
from narrative_check.web.results import Result, Results
from narrative_check.web.upload import UploadError, receive_upload

from conftest import FINAL_2021
from serve_files import WORD_NAME, word_report

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def temp_root(tmp_path):
    root = tmp_path / "uploads"
    root.mkdir()
    yield root
    assert list(root.iterdir()) == [], "a request left files behind"


def client_for(temp_root: Path, **options):
    from starlette.testclient import TestClient

    return TestClient(create_app(options=ServeOptions(temp_root=str(temp_root), **options)), raise_server_exceptions=False)


@pytest.fixture
def client(temp_root):
    return client_for(temp_root)


def upload(client, name: str, data: bytes, content_type: str = "application/octet-stream"):
    return client.post("/check", files={"file": (name, data, content_type)})


def shown_report(client, page: str) -> LexborHTMLParser:
    """The HTML report the result page shows in its iframe."""
    frame = LexborHTMLParser(page).css_first("iframe.report")
    assert frame is not None, page[-2000:]
    shown = client.get(frame.attributes["src"])
    assert shown.status_code == 200 and "frame-ancestors 'self'" in shown.headers["content-security-policy"]
    return LexborHTMLParser(shown.text)


def problem(page: str) -> str:
    return LexborHTMLParser(page).css_first("#result .message").text()


def test_page_offers_the_form_with_its_assets(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    tree = LexborHTMLParser(page.text)
    form = tree.css_first("form#upload")
    assert form.attributes["action"] == "/check" and form.attributes["enctype"] == "multipart/form-data"
    assert tree.css_first("input#file").attributes["name"] == "file"
    assert int(form.attributes["data-max-bytes"]) == 20 * 1024**2 and "20 MB" in tree.css_first(".formats").text()
    for link in [*tree.css("link[rel=stylesheet]"), *tree.css("script[src]")]:
        url = link.attributes.get("href") or link.attributes["src"]
        assert url.startswith("/static/"), url  # nothing from another host
        assert client.get(url).status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_text_report_shows_its_findings(client, final_report):
    page = upload(client, FINAL_2021.name, FINAL_2021.read_bytes(), "text/plain")
    assert page.status_code == 200
    [posted] = page.history  # the result has an address of its own: reloading it sends nothing again
    assert posted.status_code == 303 and posted.headers["location"].startswith("/results/")
    assert client.get(posted.headers["location"]).text == page.text
    tree = LexborHTMLParser(page.text)
    assert tree.css_first("#result .name").text() == FINAL_2021.name
    errors = sum(1 for f in final_report.findings if f.severity == "error")
    assert tree.css_first(".counts .sev-error b").text() == str(errors)
    assert tree.css_first("#download-docx") is None  # not a Word input
    report = shown_report(client, page.text)
    messages = [item.css_first(".msg").text() for item in report.css("a.finding")]
    assert messages and sorted(messages) == sorted(f.message for f in final_report.findings)
    assert report.css_first("h1.file").text() == FINAL_2021.name  # the editor's name, not the temporary copy's
    # the same report in a window of its own, and saved under the file's name
    assert tree.css_first("a.open").attributes["href"] == tree.css_first("iframe.report").attributes["src"]
    saved = client.get(tree.css_first("a.save").attributes["href"])
    assert unquote(saved.headers["content-disposition"].split("UTF-8''")[1]) == FINAL_2021.stem + "（检查报告）.html"


def test_word_report_comes_back_with_comments(client):
    import docx

    page = upload(client, WORD_NAME, word_report())
    assert page.status_code == 200
    tree = LexborHTMLParser(page.text)
    link = tree.css_first("#download-docx")
    assert link is not None, page.text[-3000:]
    assert "2021年 决算说明（已批注）.docx" in link.text()
    shown = [item.css_first(".msg").text() for item in shown_report(client, page.text).css("a.finding")]
    assert any("增长率应为 20.00%" in message for message in shown)
    download = client.get(link.attributes["href"])
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "2021年 决算说明（已批注）.docx"
    document = docx.Document(io.BytesIO(download.content))
    comments = [comment.text for comment in document.comments]
    assert len(comments) == len(shown)
    assert any("ARI001" in text and "20.00%" in text for text in comments)


def test_over_the_limit_is_refused_with_413(temp_root):
    small = client_for(temp_root, max_upload=10_000)
    page = upload(small, "big.txt", FINAL_2021.read_bytes())
    assert page.status_code == 413
    assert "超过上传上限 10 KB" in problem(page.text)
    assert small.get("/").status_code == 200  # and the next file can be checked


def test_over_the_limit_is_refused_while_the_body_streams(tmp_path):
    """A body with no stated length, that never ends: refused once past the limit, not read to its end."""
    import anyio
    from starlette.requests import Request

    boundary = b"b0undary"
    sent = 0

    async def receive():
        nonlocal sent
        if sent == 0:
            chunk = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                     b"Content-Type: text/plain\r\n\r\n")
        else:
            chunk = "一二三四".encode() * 5000
        sent += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    scope = {"type": "http", "method": "POST", "path": "/check", "headers": [
        (b"content-type", b"multipart/form-data; boundary=" + boundary)]}
    with pytest.raises(UploadError) as refused:
        anyio.run(lambda: receive_upload(Request(scope, receive), tmp_path, max_bytes=1024**2))
    assert refused.value.status == 413
    assert sent < 1024**2 // 60_000 + 4  # about the limit was read, no more
    assert (tmp_path / "upload.txt").stat().st_size <= 1024**2


@pytest.mark.parametrize("name, data, status, code", [
    ("report.pdf", b"this is no PDF", 400, "E008"),
    ("broken.docx", b"PK\x03\x04 a zip cut short", 400, "E008"),
    ("binary.txt", bytes(range(256)) * 40, 400, "E002"),
    ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), 415, "E007"),
    ("empty.txt", b"", 400, "E001"),
])
def test_bad_file_is_one_line_with_its_status(client, name, data, status, code):
    page = upload(client, name, data)
    assert page.status_code == status
    message = problem(page.text)
    assert message.startswith(f"{name}: {code} ") and "\n" not in message
    assert "Traceback" not in page.text and "upload" not in message  # the editor's name, not our copy's
    assert client.get("/").status_code == 200


def test_request_without_a_file(client):
    assert client.post("/check", data={"other": "1"}).status_code == 400
    page = client.post("/check", files={"file": ("", b"", "application/octet-stream")})  # the form sent with nothing chosen
    assert page.status_code == 400 and "请选择要检查的文件" in problem(page.text)


@pytest.mark.parametrize("name", ["../../evil.txt", "..\\..\\evil.txt", "/tmp/evil.txt", "evil\x00/../evil.txt", "..", "\u202eevil.txt"])
def test_client_file_name_is_never_a_path(temp_root, monkeypatch, name):
    checked = []
    real_check_file = web_app.check_file

    def recording(path, **kwargs):
        checked.append(Path(path))
        return real_check_file(path, **kwargs)

    monkeypatch.setattr(web_app, "check_file", recording)
    page = upload(client_for(temp_root), name, FINAL_2021.read_bytes(), "text/plain")
    assert page.status_code == 200
    [path] = checked
    assert path.parent.parent == temp_root and path.name in ("upload", "upload.txt", "upload.docx")
    shown = LexborHTMLParser(page.text).css_first("#result .name").text()
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown and "\u202e" not in shown
    assert not (temp_root.parent / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_check_over_its_time_is_refused(temp_root, monkeypatch):
    def slow(path, **kwargs):
        for _ in range(500):
            time.sleep(0.01)
        raise AssertionError("not stopped")

    monkeypatch.setattr(web_app, "check_file", slow)
    page = upload(client_for(temp_root, timeout=0.2), "slow.txt", b"text")
    assert page.status_code == 400
    assert problem(page.text).startswith("E013 ")


def test_while_checks_that_ran_out_of_time_still_run_new_ones_wait(temp_root, monkeypatch):
    """A check stuck in C (a PDF's parse) runs on after its time: past as many of those as checks
    run at once, a new upload is refused instead of starting yet another thread."""
    def stuck(path, **kwargs):
        time.sleep(2.5)  # one call into C: the exception sent at the limit waits for it
        raise AssertionError("not stopped")

    monkeypatch.setattr(web_app, "check_file", stuck)
    client = client_for(temp_root, timeout=1.0, concurrent_checks=1)
    assert problem(upload(client, "slow.txt", b"text").text).startswith("E013 ")
    busy = problem(upload(client, "next.txt", b"text").text)
    assert busy.startswith("E013 ") and "仍在结束中" in busy
    time.sleep(2.6)
    from narrative_check import check_text

    monkeypatch.setattr(web_app, "check_file", lambda path, **kwargs: check_text("2021 年度收入总计 100 万元。", path=str(path)))
    page = upload(client, "next.txt", b"text")
    assert page.status_code in (200, 303), problem(page.text)


def test_internal_error_is_one_line(client, monkeypatch):
    def broken(path, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(web_app, "check_file", broken)
    page = upload(client, "a.txt", b"text")
    assert page.status_code == 500
    assert problem(page.text).startswith("E015 ") and "Traceback" not in page.text


def test_expired_result_says_so(client):
    for address in ("/results/not-a-token", "/results/not-a-token/report.html", "/results/not-a-token/annotated.docx"):
        page = client.get(address)
        assert page.status_code == 404 and "结果已过期或不存在" in problem(page.text)


def test_results_are_kept_briefly_and_few():
    now = [0.0]
    results = Results(lifetime=60, capacity=2, clock=lambda: now[0])
    first, second = (results.put(Result(name, "<p>", None)) for name in ("a", "b"))
    third = results.put(Result("c", "<p>", None))
    assert results.get(first) is None and results.get(second).name == "b" and len(results) == 2
    now[0] = 61
    assert results.get(third) is None and len(results) == 0
    assert len({results.put(Result("d", "", None)) for _ in range(2)}) == 2


def test_content_disposition_is_rfc_5987():
    header = content_disposition('决算"说明"\\（已批注）.docx')
    fallback = header.split('filename="')[1].split('"')[0]
    assert fallback.isascii() and '"' not in fallback and "\\" not in fallback and fallback.endswith(".docx")
    assert unquote(header.split("filename*=UTF-8''")[1], errors="strict") == '决算"说明"\\（已批注）.docx'


# ---- the command --------------------------------------------------------------------------------


def test_port_in_use_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def test_address_not_of_this_computer_is_one_line():
    result = CliRunner().invoke(cli, ["serve", "--host", "192.0.2.1", "--port", "0"])  # TEST-NET-1: never local
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot listen on http://192.0.2.1:0/" in result.stderr


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "narrative_check", "serve", "--port", "0"], cwd=tmp_path, env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        url = line.split("打开 ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        with urlopen(url, timeout=10) as page:
            assert page.status == 200
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=15) == 0
        assert "Traceback" not in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_check_does_not_import_the_server():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "narrative_check", "check", str(FINAL_2021)],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 1
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "narrative_check.cli" in imported
    assert not {name for name in imported if name.split(".")[0] in {"starlette", "uvicorn", "python_multipart", "narrative_check.web"}}
    assert not any(name.startswith("narrative_check.web") for name in imported)


def test_on_loopback_only_loopback_names_are_answered():
    """DNS rebinding: a page elsewhere reaching the server through a name that resolves to
    127.0.0.1 is refused; the names a browser on this computer uses are answered."""
    from starlette.testclient import TestClient

    from narrative_check.web.server import LOOPBACK_NAMES

    app = create_app(options=ServeOptions(allowed_hosts=LOOPBACK_NAMES))
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://localhost:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://attacker.example:8000").get("/").status_code == 400
