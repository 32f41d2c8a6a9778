"""The page behind `narrative-check serve`: an editor chooses or drops a file, the server checks
it with the library and shows the HTML report, with the Word file back with comments for a Word
input, and the form again for the next file.

Nothing is stored beyond a request but the results the page links to (`Results`: in memory, a
short lifetime, a few at most). Each upload is written into a temporary folder of its own, under
a name of ours, and the folder is removed when the request ends. A check runs in a worker thread
(`run_with_time_limit`, the time `scan` gives one file) with the library's own size limits
(`Settings`), and at most `concurrent_checks` at once: a check is CPU work, and more threads would
only share the interpreter.
"""

from __future__ import annotations

import html
import logging
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePath
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..api import check_file
from ..config import Settings
from ..errors import InputError, InputErrorCode
from ..lang import SEVERITY_WORDS
from ..models.findings import Report
from ..timelimit import TimeLimitExceeded, abandoned_still_running, run_with_time_limit
from .results import Result, Results
from .upload import SUFFIXES, Upload, UploadError, receive_upload, size_text

logger = logging.getLogger(__name__)

ACCEPTED = ",".join(SUFFIXES)  # the file chooser's filter: the reports the server checks
ANNOTATED_SUFFIX = "（已批注）.docx"
REPORT_SUFFIX = "（检查报告）.html"
# The page's own script and style come from this server. The report is shown in an iframe from
# its own address (not srcdoc: there its links and history calls would act on this page's URL),
# with the inline style and script render/html.py writes and nothing else.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; frame-src 'self'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'"
_SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
_STATUS_OF_CODE = {
    InputErrorCode.UNSUPPORTED_FORMAT: 415,
    InputErrorCode.TOO_LARGE: 413,
    InputErrorCode.ARCHIVE_BOMB: 413,
    InputErrorCode.INTERNAL: 500,
}


@dataclass(frozen=True)
class ServeOptions:
    max_upload: int = 20 * 1024**2
    """Bytes an upload may have; refused (413) as soon as the body passes it."""
    timeout: float = 60.0
    """Seconds one check may take (as `scan` gives one file)."""
    result_lifetime: float = 30 * 60
    """Seconds a result stays downloadable."""
    max_results: int = 8
    """Results kept at most (an annotated Word file may be as large as the upload)."""
    concurrent_checks: int = 2
    temp_root: str | None = None
    """Where each request's temporary folder is made; None: the system's temporary folder."""
    allowed_hosts: tuple[str, ...] | None = None
    """Host headers answered (others get 400): on loopback, the loopback names, so a web page
    elsewhere cannot reach the server through a name that resolves to 127.0.0.1 (DNS rebinding).
    None: any."""


@dataclass
class _Checked:
    report: Report
    report_html: str
    word: bool
    annotated: bytes | None = None
    annotation_problem: str | None = None


def create_app(settings: Settings | None = None, options: ServeOptions | None = None) -> Starlette:
    """The web application; `serve` runs it on uvicorn, tests drive it with Starlette's TestClient."""
    options = options or ServeOptions()
    web = _Web(settings or Settings(), options)
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(options.allowed_hosts))] if options.allowed_hosts else []
    return Starlette(middleware=middleware, routes=[
        Route("/", web.index, methods=["GET"]),
        Route("/check", web.check, methods=["POST"]),
        Route("/check", lambda request: RedirectResponse("/", status_code=303), methods=["GET"]),
        Route("/results/{token}", web.result, methods=["GET"]),
        Route("/results/{token}/report.html", web.report, methods=["GET"]),
        Route("/results/{token}/annotated.docx", web.annotated, methods=["GET"]),
        Route("/static/{name}", web.asset, methods=["GET"]),
    ])


class _Web:
    def __init__(self, settings: Settings, options: ServeOptions) -> None:
        self.settings = settings
        self.options = options
        self.results = Results(lifetime=options.result_lifetime, capacity=options.max_results)
        self.limiter = anyio.CapacityLimiter(options.concurrent_checks)

    async def index(self, request: Request) -> Response:
        return self._page("")

    async def check(self, request: Request) -> Response:
        with tempfile.TemporaryDirectory(prefix="narrative-check-", dir=self.options.temp_root,
                                         ignore_cleanup_errors=True) as folder:
            try:
                upload = await receive_upload(request, Path(folder), max_bytes=self.options.max_upload)
            except UploadError as exc:
                # The rest of a body refused part-way is not read: the connection is closed after the answer.
                headers = {"Connection": "close"} if exc.status == 413 else None
                return self._page(_problem(exc.message), status=exc.status, headers=headers)
            try:
                checked = await anyio.to_thread.run_sync(self._check_in_time, upload, limiter=self.limiter)
            except InputError as exc:
                message = _message_for(exc, upload, Path(folder))
                return self._page(_problem(message, upload.name), status=_STATUS_OF_CODE.get(exc.code, 400))
        token = self.results.put(Result(upload.name, checked.report_html, checked.annotated, _overview(checked)))
        # The result has an address of its own: reloading it or coming back to it sends nothing again.
        return RedirectResponse(f"/results/{token}", status_code=303)

    def _check_in_time(self, upload: Upload) -> _Checked:
        if abandoned_still_running() >= self.options.concurrent_checks:
            raise InputError(InputErrorCode.TIMEOUT, "此前超时的检查仍在结束中，请稍后再试 / earlier checks that ran out of time are still ending; try again shortly")
        try:
            return run_with_time_limit(lambda: _check(upload, self.settings), self.options.timeout)
        except TimeLimitExceeded as exc:
            raise InputError(InputErrorCode.TIMEOUT, str(exc)) from None
        except InputError:
            raise
        except Exception as exc:  # a bug must show as one line on the page; the traceback goes to the log
            logger.exception("checking %r failed", upload.name)
            raise InputError(InputErrorCode.INTERNAL, type(exc).__name__) from None

    async def result(self, request: Request) -> Response:
        token = request.path_params["token"]
        result = self.results.get(token)
        if result is None:
            return self._expired()
        return self._page(_result_section(token, result))

    async def report(self, request: Request) -> Response:
        result = self.results.get(request.path_params["token"])
        if result is None:
            return self._expired()
        headers = {**_SECURITY_HEADERS, "Content-Security-Policy": REPORT_POLICY}
        if request.query_params.get("download"):
            headers["Content-Disposition"] = content_disposition(_stem(result.name) + REPORT_SUFFIX)
        return HTMLResponse(result.report_html, headers=headers)

    async def annotated(self, request: Request) -> Response:
        result = self.results.get(request.path_params["token"])
        if result is None or result.annotated_docx is None:
            return self._expired()
        headers = {**_SECURITY_HEADERS, "Content-Disposition": content_disposition(_stem(result.name) + ANNOTATED_SUFFIX)}
        return Response(result.annotated_docx, headers=headers,
                        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        media = _ASSETS.get(name)
        if media is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(_asset(name), media_type=media, headers={"X-Content-Type-Options": "nosniff"})

    def _expired(self) -> Response:
        minutes = self.options.result_lifetime / 60
        return self._page(_problem(f"结果已过期或不存在：每份结果保留 {minutes:g} 分钟、最多 {self.options.max_results} 份。"
                                   "请重新上传文件检查。 / this result has expired; check the file again"), status=404)

    def _page(self, content: str, *, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
        body = _PAGE.format(max_bytes=self.options.max_upload, limit=size_text(self.options.max_upload), accepted=ACCEPTED,
                            content=content)
        return HTMLResponse(body, status_code=status,
                            headers={**_SECURITY_HEADERS, "Content-Security-Policy": PAGE_POLICY, **(headers or {})})


def _overview(checked: _Checked) -> str:
    """What the result page says above the report: counts, claims checked, what became of the Word file."""
    by_severity = checked.report.stats.findings_by_severity
    counts = "".join(f'<li class="sev-{severity}">{label} <b>{by_severity.get(severity, 0)}</b></li>'
                     for severity, label in SEVERITY_WORDS["zh"].items())
    stats = checked.report.stats
    found = sum(stats.claims_found.values())
    if checked.annotation_problem:
        note = f'<p class="note problem">无法生成批注版 Word：{_esc(checked.annotation_problem)}</p>'
    elif checked.word and checked.annotated is None:
        note = '<p class="note">未发现问题，Word 文件无需批注。</p>'
    elif not checked.word:
        note = '<p class="note">批注版 Word 只为 Word（.docx）文件生成；其他格式请看下面的报告。</p>'
    else:
        note = '<p class="note">批注版 Word 在每处问题上加了批注（审阅 → 批注），原文未改动。</p>'
    return (
        f'<ul class="counts">{counts}</ul>\n'
        f'<p class="claims">识别数字表述 {found} 条，核验 {stats.claims_checked} 条'
        f"{'（未识别到任何数字表述：什么也没有核验，不等于没有问题）' if not found else ''}。</p>\n{note}\n"
    )


def _result_section(token: str, result: Result) -> str:
    links = [f'<a class="open" href="/results/{token}/report.html" target="_blank" rel="noopener">在新窗口打开报告</a>',
             f'<a class="save" href="/results/{token}/report.html?download=1">保存报告（HTML）</a>']
    if result.annotated_docx is not None:
        links.insert(0, f'<a class="download" id="download-docx" href="/results/{token}/annotated.docx">'
                        f'下载批注版 Word：{_esc(_stem(result.name) + ANNOTATED_SUFFIX)}</a>')
    return (
        f'<section class="result" id="result" aria-labelledby="result-title">\n'
        f'<h2 id="result-title">检查结果：<span class="name">{_esc(result.name)}</span></h2>\n'
        f'{result.overview}<p class="links">{" ".join(links)}</p>\n'
        f'<iframe class="report" title="检查报告" src="/results/{token}/report.html"></iframe>\n'
        "</section>\n"
    )


def _check(upload: Upload, settings: Settings) -> _Checked:
    """Runs in a worker thread: the check, the Word file with comments, the HTML report."""
    from ..read.sniff import sniff_format
    from ..render import docx as docx_renderer
    from ..render import html as html_renderer

    report = check_file(upload.path, settings=settings)
    data = upload.path.read_bytes()  # read once more, for the Word file's comments as well as its kind
    word = sniff_format(data, path=str(upload.path)) == "docx"
    checked = _Checked(report=report, report_html="", word=word)
    if word and report.findings:
        try:
            checked.annotated = docx_renderer.annotate(data, report.findings)
        except InputError as exc:
            checked.annotation_problem = _message_for(exc, upload, upload.path.parent)
        except Exception as exc:  # the report is still worth showing
            logger.exception("annotating %r failed", upload.name)
            checked.annotation_problem = f"{InputErrorCode.INTERNAL.value} {type(exc).__name__}"
    report.file = upload.name  # the report names the editor's file, not our temporary copy
    checked.report_html = html_renderer.render([report])
    return checked


def _message_for(exc: InputError, upload: Upload, folder: Path) -> str:
    """The library's one line, naming the editor's file rather than our temporary copy."""
    detail = exc.detail.replace(str(upload.path), upload.name).replace(str(folder), "") if exc.detail else exc.detail
    return InputError(exc.code, detail, path=upload.name if exc.path else None).message


def _problem(message: str, name: str | None = None) -> str:
    title = f"无法检查《{_esc(name)}》" if name else "无法检查"
    return f'<section class="result problem" id="result" role="alert"><h2>{title}</h2><p class="message">{_esc(message)}</p></section>\n'


def _stem(name: str) -> str:
    path = PurePath(name)
    return path.stem if path.suffix else name


def content_disposition(filename: str) -> str:
    """An attachment header naming `filename`: RFC 6266 / 5987 `filename*` in UTF-8, and an
    ASCII `filename` for clients without it (the other characters as `_`)."""
    fallback = "".join(ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


_ASSETS = {"page.css": "text/css; charset=utf-8", "page.js": "text/javascript; charset=utf-8"}


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>预算/决算说明核查 · narrative-check</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/page.css">
<script src="/static/page.js" defer></script>
</head>
<body>
<header class="top">
<h1>部门预算 / 决算说明核查</h1>
<p>选择或拖入一份说明，检查文中数字与表格是否相符。文件只在本机处理，检查完即删除。</p>
</header>
<form id="upload" class="upload" method="post" action="/check" enctype="multipart/form-data" data-max-bytes="{max_bytes}" data-limit="{limit}">
<label class="drop" id="drop">
<input type="file" name="file" id="file" accept="{accepted}" required>
<span class="hint">把文件拖到这里，或<u>点击选择文件</u></span>
<span class="formats">Word（.docx）、PDF、网页（.html）或文本（.txt），不超过 {limit}</span>
</label>
<button type="submit" id="send">检查</button>
<p class="status" id="status" role="status" aria-live="polite"></p>
</form>
{content}</body>
</html>
"""
