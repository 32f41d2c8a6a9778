"""One uploaded file, streamed from the multipart body into a file of our own naming.

The body is read chunk by chunk and the file part written as it arrives, so a body over the
limit is refused (413) as soon as it passes it, with no more of it read or kept. The client's
file name is kept for display only: the file on disk is `upload` plus a suffix taken from a
short list, inside the folder the caller gives (a request's temporary folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from starlette.requests import Request

from ..errors import HIDDEN_CATEGORIES

FIELD = "file"
# The suffixes the readers know; the suffix only breaks ties the content leaves open (an HTML
# fragment) or names a format the content must then have (see read/sniff.py).
SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".txt")
# Room in the body for the multipart framing, the part headers and the form's other fields.
OVERHEAD = 64 * 1024
MAX_HEADER_BYTES = 8 * 1024
MAX_PARTS = 8
MAX_NAME_CHARS = 120


class UploadError(Exception):
    """The request does not carry a file that can be checked: an HTTP status and a Chinese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def too_large(max_bytes: int) -> UploadError:
    return UploadError(413, f"文件超过上传上限 {size_text(max_bytes)}，未检查 / the file is larger than the upload limit")


def size_text(n: int) -> str:
    """'20 MB', '1.5 MB', '500 KB': a limit as an editor reads it."""
    if n >= 1024**2:
        return f"{round(n / 1024**2, 1):g} MB"
    return f"{max(1, round(n / 1024)):g} KB"


@dataclass(frozen=True)
class Upload:
    path: Path
    """Where the bytes are: `upload` plus a known suffix, in the caller's folder."""
    name: str
    """The client's name for the file, without any folder part: for display and download names only."""
    size: int


def display_name(raw: str) -> str:
    """The last part of a client's file name (a browser may send a whole Windows path), without
    control or format characters, no longer than MAX_NAME_CHARS; "未命名文件" if nothing is left."""
    import unicodedata

    last = raw.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in last if unicodedata.category(ch) not in HIDDEN_CATEGORIES).strip()
    if len(kept) > MAX_NAME_CHARS:
        suffix = PurePath(kept).suffix[:10]
        kept = kept[: MAX_NAME_CHARS - len(suffix) - 1] + "…" + suffix
    return kept if kept.strip(". ") else "未命名文件"


async def receive_upload(request: Request, folder: Path, *, max_bytes: int) -> Upload:
    """The form's `file` part written into `folder`; UploadError for anything else."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    content_type, params = parse_options_header(request.headers.get("content-type"))
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadError(400, "请用页面上的表单上传文件 / upload the file with the page's form (multipart/form-data)")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes + OVERHEAD:
        raise too_large(max_bytes)  # refused before a byte of the body is read

    receiver = _Receiver(folder, max_bytes, parse_options_header)
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > max_bytes + OVERHEAD:
                raise too_large(max_bytes)
            parser.write(chunk)
            if receiver.error is not None:
                raise receiver.error
        parser.finalize()
    except MultipartParseError:
        raise UploadError(400, "上传的数据不完整或格式有误，请重新上传 / the upload is incomplete or malformed") from None
    finally:
        receiver.close()
    if receiver.error is not None:
        raise receiver.error
    if receiver.upload is None or not receiver.done:
        raise UploadError(400, "请选择要检查的文件 / choose a file to check")
    return receiver.upload


class _Receiver:
    """The parser's callbacks: headers of each part gathered, the first file part of the `file`
    field written to disk, every other part's data dropped. The parser cannot be stopped from a
    callback, so a problem is kept in `error` and raised by the loop feeding it."""

    def __init__(self, folder: Path, max_bytes: int, parse_options_header) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.parse_options_header = parse_options_header
        self.error: UploadError | None = None
        self.upload: Upload | None = None
        self.done = False
        self._parts = 0
        self._headers: list[tuple[bytearray, bytearray]] = []
        self._header_bytes = 0
        self._file = None
        self._name = ""
        self._chosen = False
        self._size = 0

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _fail(self, error: UploadError) -> None:
        if self.error is None:
            self.error = error

    def _part_begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            self._fail(UploadError(400, "表单字段过多 / too many form fields"))
        self._headers = [(bytearray(), bytearray())]
        self._header_bytes = 0

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._add_header_bytes(self._headers[-1][0], data[start:end])

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._add_header_bytes(self._headers[-1][1], data[start:end])

    def _add_header_bytes(self, into: bytearray, data: bytes) -> None:
        self._header_bytes += len(data)
        if self._header_bytes > MAX_HEADER_BYTES:
            self._fail(UploadError(400, "上传的数据格式有误（表单头过长） / a form part's headers are too long"))
        else:
            into += data

    def _header_end(self) -> None:
        self._headers.append((bytearray(), bytearray()))

    def _headers_finished(self) -> None:
        disposition = next((bytes(value) for field, value in self._headers if field.lower() == b"content-disposition"), b"")
        # Browsers send the name as raw UTF-8 (RFC 7578 §4.2); parse_options_header takes text.
        _, options = self.parse_options_header(disposition.decode("latin-1"))
        is_file = options.get(b"name") == FIELD.encode() and b"filename" in options
        if is_file and self.upload is None and self.error is None:
            raw_name = options[b"filename"].decode("utf-8", "replace")
            self._chosen = bool(raw_name)  # a form sent with no file chosen has an empty name and no data
            self._name = display_name(raw_name)
            suffix = PurePath(self._name).suffix.lower()
            path = self.folder / f"upload{suffix if suffix in SUFFIXES else ''}"
            self._file = path.open("xb")
            self._size = 0
            self.upload = Upload(path=path, name=self._name, size=0)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is None or self.error is not None:
            return  # another field, or past a problem: nothing of it is kept
        self._size += end - start
        if self._size > self.max_bytes:
            self._fail(too_large(self.max_bytes))
            return
        # A local file's write lands in the page cache: no wait worth a thread per chunk.
        self._file.write(data[start:end])

    def _part_end(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            assert self.upload is not None
            if self._size == 0 and not self._chosen:
                self.upload = None
            else:
                self.upload = Upload(path=self.upload.path, name=self.upload.name, size=self._size)
                self.done = True

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
