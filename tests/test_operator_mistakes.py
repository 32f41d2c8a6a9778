"""Issue 14: operators' mistakes and hostile names give one line and a set exit code, never a
traceback; configuration comes only from files the user chose; nothing is lost or passed silently.

Every reproducer is made here, small, and runs under the hostile-input tests' hang guard.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrative_check import check_file, check_text
from narrative_check.api import check_files
from narrative_check.baseline import BaselineEntry, load_baseline, write_baseline
from narrative_check.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, cli
from narrative_check.config import JOBS_PER_CORE, Settings, cpu_count, find_config, load_config
from narrative_check.errors import InputError, InputErrorCode, printable
from narrative_check.files import output_lock, write_atomic
from test_hostile import hang_guard

# A report of one change whose rate is wrong (ARI001, an error): small enough to check in a blink.
REPORT = ("某某区某某局2023年度部门决算说明\n一、收入支出决算总体情况说明\n"
          "2023年度收入总计 1,100.00 万元，较上年增加 100.00 万元，增长 12.0%。\n")
CLEAN = REPORT.replace("12.0%", "10.0%")
NO_CLAIMS = "某某区某某局2023年度部门决算说明\n一、情况说明\n本单位本年度无相关收支事项。\n"


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [a if isinstance(a, str) else os.fspath(a) for a in args], **kwargs)


def one_line_exit_two(result, code: str | None = None) -> None:
    """The promise for a usage or input error: exit 2, one line on stderr naming it, no traceback."""
    assert result.exit_code == EXIT_USAGE, (result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if line.startswith("narrative-check: ") and "settings from" not in line]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    if code:
        assert code in lines[0], lines[0]


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def report(tmp_path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


# ---- no traceback, whatever the content or the name ----------------------------------------


@pytest.mark.parametrize("charset", ["zlib", "base64", "hex", "bz2", "rot13", "idna", "punycode", "undefined",
                                     "uu", "quopri", "unicode_escape"])
def test_a_page_declaring_a_codec_that_is_not_a_text_encoding_is_read_by_detection(tmp_path, charset):
    page = tmp_path / "page.html"
    page.write_bytes(f'<html><head><meta charset="{charset}"></head><body><p>{REPORT}</p></body></html>'.encode("gb18030"))
    with hang_guard(what=charset):
        report = check_file(page)
    assert report.stats.claims_found  # decoded as the GB18030 it is, not by the label
    broken = tmp_path / "broken.html"
    broken.write_bytes(f'<html><head><meta charset="{charset}"></head><body>'.encode() + b"\xff\x80\xfe" * 50)
    with hang_guard(what=charset), pytest.raises(InputError):
        check_file(broken)


@pytest.fixture()
def non_utf8_dir(tmp_path) -> tuple[Path, str]:
    folder = tmp_path / "reports"
    folder.mkdir()
    name = os.fsdecode(os.fsencode(str(folder)) + b"/r\xff\xfe.txt")  # how os.listdir gives such a name
    Path(name).write_text(REPORT, encoding="utf-8")
    return folder, name


def test_a_file_name_that_is_not_utf8_is_scanned_resumed_and_rendered(non_utf8_dir, tmp_path):
    folder, name = non_utf8_dir
    out = tmp_path / "out.jsonl"
    with hang_guard(what="scan"):
        result = run("scan", folder, "-o", out, "-j", "1")
    assert result.exit_code == EXIT_FINDINGS, (result.output, result.exception)
    [line] = lines_of(out)
    assert line["file"] == name  # JSON's \udcff escape gives the very name back
    with hang_guard(what="resume"):
        again = run("scan", folder, "-o", out, "-j", "1", "--resume")
    assert again.exit_code == EXIT_FINDINGS, (again.output, again.exception)
    assert len(lines_of(out)) == 1  # recognised, not checked twice
    for fmt in ("json", "sarif", "text", "github", "html"):
        target = tmp_path / f"out.{fmt}"
        with hang_guard(what=fmt):
            result = run("check", name, "--format", fmt, "-o", target)
        assert result.exit_code == EXIT_FINDINGS, (fmt, result.output, result.exception)
        written = target.read_text(encoding="utf-8")  # valid UTF-8
        if fmt in ("json", "sarif"):
            json.loads(written)
        if fmt in ("text", "github"):
            assert "\\xff\\xfe" in written or "%FF%FE" in written
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["reports"][0]["file"] == name
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["artifacts"][0]["location"]["uri"].endswith("r%FF%FE.txt")


def test_a_path_holding_rich_markup_is_shown_as_it_is(tmp_path):
    folder = tmp_path / "a[" / "]b[bold]"
    folder.mkdir(parents=True)
    (folder / "x.txt").write_text(REPORT, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    with hang_guard(what="[/] in a path"):
        result = run("scan", tmp_path / "a[", "-o", tmp_path / "out.jsonl", "-j", "1")
    assert result.exit_code == EXIT_FINDINGS, (result.output, result.exception)
    # the same summary on a console wide enough to show the names whole
    import io
    from collections import Counter

    from rich.console import Console

    from narrative_check.scan import ScanSummary, print_summary

    name = str(folder / "x.txt")
    summary = ScanSummary(files=2, checked=2, reports=1, findings_by_file={name: Counter(error=1)},
                          failures=[{"file": name + "[/]", "error": f"{name}[/]: E001 [red]x[/red]"}])
    console = Console(file=io.StringIO(), width=400)
    print_summary(summary, console)
    shown = console.file.getvalue()
    assert name in shown and "E001 [red]x[/red]" in shown


HOSTILE = "x\n::error file=a,line=1::forged\x1b[31m\u202e.txt"


def test_control_characters_newlines_and_workflow_commands_in_names_are_escaped(tmp_path):
    evil = tmp_path / HOSTILE
    evil.write_text(REPORT, encoding="utf-8")
    for fmt in ("text", "github"):
        with hang_guard(what=fmt):
            result = run("check", evil, "--format", fmt)
        assert result.exit_code == EXIT_FINDINGS, (fmt, result.output, result.exception)
        for line in result.stdout.splitlines():
            assert not line.startswith("::error file=a"), line
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    with hang_guard(what="stderr"):
        missing = run("check", tmp_path / "no\n::error::x\x1b[2J.txt")
    one_line_exit_two(missing, "E005")
    assert "\x1b" not in missing.stderr and "\n::error" not in missing.stderr
    with hang_guard(what="scan"):
        scanned = run("scan", evil, "-o", tmp_path / "o.jsonl", "-j", "1")
    assert "\x1b" not in scanned.stderr and "\n::error" not in scanned.stderr
    assert printable(HOSTILE) == "x\\n:\\x3aerror file=a,line=1:\\x3aforged\\x1b[31m\\u202e.txt"


@pytest.mark.parametrize("how", ["explicit", "discovered"])
def test_a_configuration_file_that_is_not_utf8(tmp_path, monkeypatch, report, how):
    config = tmp_path / "narrative-check.toml"
    config.write_bytes(b'rounding = "\xff\xfe"\n')
    monkeypatch.chdir(tmp_path)
    with hang_guard(what=how):
        result = run("check", report, *(["--config", config] if how == "explicit" else []))
    one_line_exit_two(result, "E012")
    assert "not UTF-8" in result.stderr


def test_a_baseline_nested_deep_is_a_bad_baseline(tmp_path, report):
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with hang_guard(what="deep baseline"):
        result = run("check", report, "--baseline", baseline)
    one_line_exit_two(result, "E016")


def test_a_resumed_output_nested_deep_is_not_a_scan_output_and_stays(tmp_path, report):
    out = tmp_path / "out.jsonl"
    deep = '{"file": "a", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    out.write_text(deep, encoding="utf-8")
    with hang_guard(what="deep resume"):
        result = run("scan", report, "-o", out, "--resume", "-j", "1")
    one_line_exit_two(result, "E019")
    assert out.read_text(encoding="utf-8") == deep


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")


@needs_dev_full
def test_eval_output_on_a_full_disk(tmp_path, report):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(report, corpus / "a.txt")
    with hang_guard(what="eval -o /dev/full"):
        result = run("eval", corpus, "--per-kind", "1", "-o", "/dev/full")
    one_line_exit_two(result, "E020")


@needs_dev_full
def test_stdout_on_a_full_disk(report):
    with hang_guard(what="stdout /dev/full"), open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "narrative_check", "check", str(report)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("narrative-check:")] == [
        "narrative-check: <stdout>: E020 无法写入文件 / the file cannot be written (No space left on device)"]


def test_dask_without_a_loopback_network_says_so_at_once(tmp_path, report, monkeypatch):
    pytest.importorskip("distributed")
    import socket

    def unreachable(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    with hang_guard(5, what="dask without loopback"):
        result = run("scan", report, "-o", tmp_path / "o.jsonl", "--engine", "dask", "-j", "1")
    one_line_exit_two(result, "E018")
    assert "no loopback network" in result.stderr


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0, reason="needs unshare -n as root")
def test_dask_in_a_network_namespace_without_loopback(tmp_path, report):
    pytest.importorskip("distributed")
    argv = ["unshare", "-n", sys.executable, "-m", "narrative_check", "scan", str(report), "-o", str(tmp_path / "o.jsonl"),
            "--engine", "dask", "-j", "1"]
    with hang_guard(what="unshare -n"):
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if "unshare failed" in proc.stderr or "Operation not permitted" in proc.stderr:
        pytest.skip("namespaces not permitted here")
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert "E018" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("value, kind", [(None, TypeError), (42, TypeError), (["text"], TypeError),
                                         (bytearray(REPORT.encode()), None), (memoryview(REPORT.encode()), None),
                                         ("收入\ud800总计 100 万元。", InputError)])
def test_check_text_argument_types(value, kind):
    with hang_guard(what=repr(value)[:40]):
        if kind is None:
            assert check_text(value).stats.claims_found  # bytes-like: read as the bytes of a file
            return
        with pytest.raises(kind) as info:
            check_text(value)
    if kind is TypeError:
        assert "str or bytes" in str(info.value)
    else:
        assert info.value.code == InputErrorCode.ENCODING and "surrogate" in info.value.message


@pytest.mark.parametrize("value, kind, says", [(None, TypeError, "file path"), (b"report.txt", TypeError, "check_text"),
                                               (42, TypeError, "file path"), ("a\x00b", InputError, "NUL")])
def test_check_file_argument_types(value, kind, says):
    with hang_guard(what=repr(value)), pytest.raises(kind) as info:
        check_file(value)
    assert says in str(info.value)


def test_settings_of_the_wrong_type_and_one_path_for_many(report):
    with hang_guard(what="settings"):
        for call in (lambda: check_text(REPORT, settings="x"), lambda: check_file(report, settings={"rounding": "round"}),
                     lambda: check_files([report], settings="x")):
            with pytest.raises(TypeError, match="narrative_check.Settings"):
                call()
        with pytest.raises(TypeError, match="list of paths"):
            check_files(str(report))


# ---- configuration the user chose ----------------------------------------------------------


def test_discovery_stops_at_the_project_root(tmp_path, monkeypatch, report):
    (tmp_path / "narrative-check.toml").write_text('select = ["XYZ"]\n', encoding="utf-8")  # someone else's
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / ".git").mkdir()
    monkeypatch.chdir(project / "src")
    assert find_config() is None
    with hang_guard(what="root"):
        result = run("check", report)
    assert result.exit_code == EXIT_FINDINGS and "settings from" not in result.stderr


@pytest.mark.parametrize("content", [b"[tool\xff", b"name = '\xff'\n", b"[project\n", b'[project]\nname = "x"\n'])
def test_an_unrelated_broken_or_non_utf8_pyproject_is_passed_over(tmp_path, monkeypatch, report, content):
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert find_config() is None
    with hang_guard(what=repr(content)):
        result = run("check", report)
    assert result.exit_code == EXIT_FINDINGS, (result.output, result.exception)


def test_a_broken_pyproject_meant_for_us_is_an_error(tmp_path, monkeypatch, report):
    (tmp_path / "pyproject.toml").write_text('[tool.narrative_check]\nrounding = "round\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with hang_guard(what="broken table"):
        result = run("check", report)
    one_line_exit_two(result, "E012")


def test_the_configuration_used_is_said_on_stderr_and_in_the_json(tmp_path, monkeypatch, report):
    config = tmp_path / "narrative-check.toml"
    config.write_text('rounding = "either"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with hang_guard(what="config named"):
        result = run("check", report, "--format", "json")
        scanned = run("scan", report, "-o", tmp_path / "o.jsonl", "-j", "1")
    assert f"narrative-check: settings from {config}" in result.stderr
    assert json.loads(result.stdout)["reports"][0]["config"] == str(config)
    assert f"settings from {config}" in scanned.stderr
    assert lines_of(tmp_path / "o.jsonl")[0]["config"] == str(config)
    monkeypatch.chdir(report.parent.parent)  # nothing to discover: the defaults
    assert json.loads(run("check", report, "--format", "json").stdout)["reports"][0]["config"] is None


def test_a_discovered_file_names_no_scheduler(tmp_path, monkeypatch, report):
    config = tmp_path / "narrative-check.toml"
    config.write_text('scheduler = "tcp://203.0.113.9:8786"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    discovered = load_config()
    assert discovered.scan.scheduler is None and discovered.scan.engine == "local"
    assert "ignored" in discovered.notes[0]
    assert load_config(config).scan.scheduler == "tcp://203.0.113.9:8786"  # named outright: the user's choice
    with hang_guard(what="planted scheduler"):
        result = run("scan", report, "-o", tmp_path / "o.jsonl", "-j", "1")
    assert result.exit_code == EXIT_FINDINGS, result.stderr  # ran here, connecting nowhere
    assert "ignored" in result.stderr


@pytest.mark.parametrize("line", ["max_bytes = 0", "max_bytes = -1", f"jobs = {JOBS_PER_CORE * cpu_count() + 1}",
                                  "timeout = inf", "timeout = nan", "timeout = 0", "explain_threshold = -1",
                                  "worker_memory = 0", "worker_memory = -1", "worker_memory = 2048",
                                  f"worker_memory = {2**70}", 'worker_memory = "2GiB"'])
def test_values_without_sense_in_the_file_are_a_usage_error(tmp_path, report, line):
    config = tmp_path / "c.toml"
    config.write_text(line + "\n", encoding="utf-8")
    with hang_guard(what=line):
        result = run("scan", report, "-o", tmp_path / "o.jsonl", "--config", config)
    one_line_exit_two(result, "E012")
    assert line.split()[0] in result.stderr


@pytest.mark.parametrize("flags", [["--jobs", "100000"], ["--timeout", "inf"], ["--timeout", "nan"]])
def test_flag_values_without_sense_are_a_usage_error(tmp_path, report, flags):
    with hang_guard(what=" ".join(flags)):
        result = run("scan", report, "-o", tmp_path / "o.jsonl", *flags)
    assert result.exit_code == EXIT_USAGE and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "2048", str(2**70), "2GiB", "1.5e9"])
def test_a_worker_memory_without_sense_is_one_line_and_exit_two(tmp_path, report, value):
    """0, negative, a number of MB or GB where bytes are meant, more than the machine has, or no
    number: one line naming the option, before any file is checked."""
    out = tmp_path / "o.jsonl"
    with hang_guard(what=f"--worker-memory {value}"):
        result = run("scan", report, "-o", out, "--worker-memory", value)
    one_line_exit_two(result, "E021")
    assert "worker_memory" in result.stderr
    assert not out.exists() and not (tmp_path / "o.jsonl.partial").exists()


def test_worker_memory_from_the_file_and_the_flag(tmp_path):
    from narrative_check.config import DEFAULT_WORKER_MEMORY

    config = tmp_path / "c.toml"
    config.write_text("worker-memory = 1_073_741_824\n", encoding="utf-8")
    assert load_config(config).scan.worker_memory == 1024**3
    assert load_config(config).with_flags(worker_memory="536870912").scan.worker_memory == 512 * 1024**2
    assert load_config(None, discover=False).scan.worker_memory == DEFAULT_WORKER_MEMORY


# ---- nothing lost, nothing passed silently -------------------------------------------------


def test_a_failed_write_keeps_the_previous_baseline_and_report(tmp_path, monkeypatch):
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, [BaselineEntry(fingerprint="f1", rule="ARI001", file="a.txt", line=1)])
    before = baseline.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with hang_guard(what="full disk"), pytest.raises(InputError) as info:
        write_baseline(baseline, [BaselineEntry(fingerprint="f2", rule="ARI002", file="b.txt", line=2)])
    assert info.value.code == InputErrorCode.CANNOT_WRITE
    assert baseline.read_bytes() == before and len(load_baseline(baseline).remaining) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]  # no temporary file left
    with pytest.raises(InputError):
        write_atomic(tmp_path / "report.json", "{}")
    assert not (tmp_path / "report.json").exists()


def test_a_write_to_a_device_goes_to_the_device(tmp_path):
    write_atomic(os.devnull, "nothing")  # renaming over /dev/null would replace the device node
    assert Path(os.devnull).is_char_device()


def test_a_second_scan_into_the_same_output_is_refused(tmp_path, report):
    out = tmp_path / "out.jsonl"
    with hang_guard(what="lock"):
        with output_lock(out):
            result = run("scan", report, "-o", out, "-j", "1")
        one_line_exit_two(result, "E020")
        assert "another scan" in result.stderr
        assert not out.exists()  # the running scan's output is left alone
        assert run("scan", report, "-o", out, "-j", "1").exit_code == EXIT_FINDINGS  # once released, fine


def test_resume_recognises_the_same_files_spelled_differently(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    monkeypatch.chdir(tmp_path)
    with hang_guard(what="resume spelled differently"):
        first = run("scan", "reports", "-o", out, "-j", "1")
        assert first.exit_code == EXIT_FINDINGS
        again = run("scan", str(folder.resolve()), "-o", out, "-j", "1", "--resume")
        also = run("scan", "./reports/../reports/a.txt", "-o", out, "-j", "1", "--resume")
    assert again.exit_code == EXIT_FINDINGS and also.exit_code == EXIT_FINDINGS
    assert len(lines_of(out)) == 2  # nothing checked twice
    assert "2 个已在输出中" in again.stderr


def test_big5_text_is_read_as_traditional_chinese(tmp_path):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(REPORT)
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5"))
    with hang_guard(what="big5"):
        report = check_file(path)
        expected = check_text(REPORT)
    assert report.stats.claims_found == expected.stats.claims_found
    assert [f.rule for f in report.findings] == [f.rule for f in expected.findings]
    # and a GB18030 file of the same text is still GB18030
    assert check_text(REPORT.encode("gb18030")).stats.claims_found == expected.stats.claims_found


def test_shift_jis_text_is_refused_with_its_own_code(tmp_path):
    path = tmp_path / "sjis.txt"
    path.write_bytes("一、収入支出決算の総体状況\n2023年度収入総計 1,100.00 万円、前年比 100.00 万円増加、12.0% 増。\n".encode("shift_jis"))
    with hang_guard(what="shift-jis"):
        result = run("check", path)
    one_line_exit_two(result, InputErrorCode.NOT_CHINESE.value)


def test_a_report_without_one_claim_says_so(tmp_path):
    path = tmp_path / "empty-of-figures.txt"
    path.write_text(NO_CLAIMS, encoding="utf-8")
    with hang_guard(what="no claims"):
        result = run("check", path)
        scanned = run("scan", path, "-o", tmp_path / "o.jsonl", "-j", "1")
    assert result.exit_code == EXIT_CLEAN
    assert "未识别到任何数字表述，未做核验" in result.stderr and str(path) in result.stderr
    assert "未识别到数字表述" in scanned.stderr


def test_a_scan_in_which_every_file_failed_exits_two(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00" * 100)
    with hang_guard(what="all failed"):
        result = run("scan", folder, "-o", tmp_path / "o.jsonl", "-j", "1", "--exit-zero")
    one_line_exit_two(result)
    assert "not one of the 2 file(s) could be checked" in result.stderr


def test_write_baseline_is_in_a_stable_order(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("c.txt", "a.txt", "b.txt"):
        (folder / name).write_text(REPORT + REPORT.replace("12.0%", "13.0%"), encoding="utf-8")
    written = []
    with hang_guard(60, what="baselines"):
        for i in range(2):
            baseline = tmp_path / f"baseline{i}.json"
            assert run("scan", folder, "-o", tmp_path / f"o{i}.jsonl", "-j", "2", "--write-baseline", baseline).exit_code == 1
            written.append(baseline.read_bytes())
    assert written[0] == written[1]
    entries = json.loads(written[0])["findings"]
    keys = [(e["file"], e["line"], e["rule"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys) and len(keys) >= 6
