"""The `serve` page in a real browser: Debian's chromium driven by Playwright (never a browser
Playwright downloads). An editor's round: open the page, choose the text report, read the
findings, choose a Word file, download it with its comments, and reopen it with python-docx."""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path

import pytest

from conftest import FINAL_2021
from serve_files import WORD_NAME, word_report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright; its own browsers are not needed)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no {CHROMIUM} (Debian's chromium package)")
    return sync_playwright


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The page on a free loopback port, served by uvicorn in a thread; its temporary folders' root."""
    from narrative_check.web import ServeOptions, create_app
    from narrative_check.web.server import bind, make_server

    root = tmp_path_factory.mktemp("uploads")
    sock = bind("127.0.0.1", 0)
    server = make_server(create_app(options=ServeOptions(temp_root=str(root))))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/", root
    server.should_exit = True
    thread.join(10)
    sock.close()


def test_editor_checks_a_text_and_a_word_file(sync_playwright, served, tmp_path, final_report):
    import docx

    url, root = served
    word = tmp_path / WORD_NAME
    word.write_bytes(word_report())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(accept_downloads=True)
            requests = []
            page.on("request", lambda request: requests.append((request.method, request.url)))
            page.goto(url)
            assert page.locator("h1").inner_text().startswith("部门预算")

            # choosing a file sends it: no button to press
            with page.expect_navigation():
                page.set_input_files("#file", str(FINAL_2021))
            assert page.locator("#result .name").inner_text() == FINAL_2021.name and "/results/" in page.url
            errors = sum(1 for f in final_report.findings if f.severity == "error")
            assert page.locator(".counts .sev-error b").inner_text() == str(errors)
            assert page.locator("#download-docx").count() == 0
            report = page.frame_locator("iframe.report")
            findings = report.locator("a.finding")
            assert findings.count() == len(final_report.findings)
            shown = report.locator("a.finding .msg").all_inner_texts()
            assert sorted(shown) == sorted(f.message for f in final_report.findings)
            findings.first.click()  # the report's own script works inside the page
            assert report.locator(".hl.current").count() >= 1
            related = report.locator("ul.related a").first
            related.click()  # a link inside the report stays in the report
            assert page.locator("#result .name").inner_text() == FINAL_2021.name
            assert report.locator("a.finding").count() == len(final_report.findings)
            assert report.locator("html").get_attribute("data-js-errors") is None

            # the next file, from the same page
            with page.expect_navigation():
                page.set_input_files("#file", str(word))
            assert page.locator("#result .name").inner_text() == WORD_NAME
            shown = page.frame_locator("iframe.report").locator("a.finding .msg").all_inner_texts()
            assert any("增长率应为 20.00%" in message for message in shown)
            with page.expect_download() as downloading:
                page.click("#download-docx")
            download = downloading.value
            assert download.suggested_filename == "2021年 决算说明（已批注）.docx"
            saved = tmp_path / "annotated.docx"
            download.save_as(saved)
            comments = [comment.text for comment in docx.Document(io.BytesIO(saved.read_bytes())).comments]
            assert len(comments) == len(shown) and any("ARI001" in text for text in comments)

            # a file over the limit is refused in the page, before any of it is sent
            big = tmp_path / "big.txt"
            with big.open("wb") as fh:
                fh.truncate(20 * 1024**2 + 1)
            posts = sum(1 for method, _ in requests if method == "POST")
            page.set_input_files("#file", str(big))
            assert "超过上传上限 20 MB" in page.locator("#status").inner_text()
            assert sum(1 for method, _ in requests if method == "POST") == posts == 2
            # nothing was fetched from anywhere but this server
            assert [u for _, u in requests if not u.startswith(url)] == []
        finally:
            browser.close()
    assert list(Path(root).iterdir()) == []
