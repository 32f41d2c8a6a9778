"""Input and usage errors, with stable codes and bilingual messages.

One catalogue, so every reader says the same thing the same way, and the CLI
can print one line and exit 2 without a traceback.
"""

from __future__ import annotations

import unicodedata
from enum import Enum


class InputErrorCode(str, Enum):
    EMPTY = "E001"
    BINARY = "E002"
    ENCODING = "E003"
    TOO_LARGE = "E004"
    UNREADABLE = "E005"
    NO_NARRATIVE = "E006"
    UNSUPPORTED_FORMAT = "E007"
    MALFORMED = "E008"
    ENCRYPTED = "E009"
    NO_TEXT_LAYER = "E010"
    ARCHIVE_BOMB = "E011"
    BAD_CONFIG = "E012"
    TIMEOUT = "E013"
    WORKER_DIED = "E014"
    INTERNAL = "E015"
    BAD_BASELINE = "E016"
    MISSING_DEPENDENCY = "E017"
    NO_SCHEDULER = "E018"
    NOT_SCAN_OUTPUT = "E019"
    CANNOT_WRITE = "E020"
    BAD_OPTION = "E021"
    NOT_CHINESE = "E022"


_MESSAGES: dict[InputErrorCode, str] = {
    InputErrorCode.EMPTY: "文件为空或只有空白 / the input is empty",
    InputErrorCode.BINARY: "不是文本文件（含二进制内容） / the input is binary, not text",
    InputErrorCode.ENCODING: "无法按 UTF-8、GB18030 或 Big5 解码 / the input is neither UTF-8, GB18030 nor Big5 text",
    InputErrorCode.TOO_LARGE: "文件超过大小上限 / the input is larger than the size limit",
    InputErrorCode.UNREADABLE: "无法读取文件 / the file cannot be read",
    InputErrorCode.NO_NARRATIVE: "未找到说明正文 / no narrative text was found",
    InputErrorCode.UNSUPPORTED_FORMAT: "不支持的文件格式 / unsupported file format",
    InputErrorCode.MALFORMED: "文件已损坏或与其格式不符 / the file is damaged or not in the format it claims",
    InputErrorCode.ENCRYPTED: "文件已加密，请去除密码后再检查 / the file is password-protected; remove the password first",
    InputErrorCode.NO_TEXT_LAYER: "PDF 没有文字层（扫描件），请先做文字识别（OCR） / the PDF has no text layer (a scan); run OCR first",
    InputErrorCode.ARCHIVE_BOMB: "压缩包解压后大小异常，拒绝读取 / the archive would expand to an implausible size",
    InputErrorCode.BAD_CONFIG: "配置文件有误 / the configuration file is invalid",
    InputErrorCode.TIMEOUT: "处理超过单个文件的时限 / checking the file took longer than the time limit",
    InputErrorCode.WORKER_DIED: "检查进程意外退出 / the process checking the file died",
    InputErrorCode.INTERNAL: "检查时发生内部错误 / internal error while checking the file",
    InputErrorCode.BAD_BASELINE: "基线文件有误 / the baseline file is invalid",
    InputErrorCode.MISSING_DEPENDENCY: "缺少所需的可选组件 / an optional dependency is not installed",
    InputErrorCode.NO_SCHEDULER: "无法连接 Dask 调度器 / cannot reach the Dask scheduler",
    InputErrorCode.NOT_SCAN_OUTPUT: "不是扫描结果文件，未做改动 / not a scan output; the file was left as it is",
    InputErrorCode.CANNOT_WRITE: "无法写入文件 / the file cannot be written",
    InputErrorCode.BAD_OPTION: "选项值无效 / an option value is invalid",
    InputErrorCode.NOT_CHINESE: "日文编码（Shift-JIS）的文本，不是中文报告 / the text is Shift-JIS (Japanese), not a Chinese report",
}


class InputError(Exception):
    """The input cannot be read as a report. Raised by every reader and by check_text."""

    def __init__(self, code: InputErrorCode, detail: str | None = None, *, path: str | None = None) -> None:
        self.code = code
        self.detail = detail
        self.path = path
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.code.value} {_MESSAGES[self.code]}"
        if self.detail:
            text += f" ({self.detail})"
        if self.path:
            text = f"{self.path}: {text}"
        return printable(text)


# Categories never shown raw to a person: controls (terminal escapes, newlines that would start
# a forged line), lone surrogates (a file name that is not UTF-8), line/paragraph separators and
# format characters such as bidi overrides (text that reads other than it is).
# Unicode categories of characters that act rather than show: controls, format characters, lone
# surrogates, line and paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp", "Cf"})


def printable(text: str) -> str:
    """`text` safe for a terminal, a log or a CI annotation: one line, nothing that acts.

    Controls and format characters become `\\xNN`/`\\uNNNN`; a name that is not UTF-8 shows
    its bytes (`\\xff`); `::` becomes `:\\x3a`, so no line can be read as a workflow command.
    """
    return escape_controls(text).replace("::", ":\\x3a")


def escape_controls(text: str) -> str:
    """`printable` without the `::` rule, for text that can never start a line (a GitHub
    annotation's message and properties, whose line starts with the command itself)."""
    if text.isprintable():
        return text  # the common case, without a pass in Python
    out = []
    for ch in text:
        if unicodedata.category(ch) in HIDDEN_CATEGORIES and ch not in "\t":
            if "\udc80" <= ch <= "\udcff":  # a byte os.fsdecode could not decode
                out.append(f"\\x{ord(ch) - 0xDC00:02x}")
            else:
                out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)
