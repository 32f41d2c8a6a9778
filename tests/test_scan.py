"""Batch scans: JSON lines per file, failures recorded, resume, time limits, Dask."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUDGET_2024, FINAL_2021
from narrative_check import check_file
from narrative_check.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, cli
from narrative_check.config import ScanOptions
from narrative_check.errors import InputErrorCode
from narrative_check.scan import CROSS_KEY, dask_check_path, lines_as_reports, read_lines, scan
from test_multiyear import successor

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def lines_of(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture()
def reports_dir(tmp_path) -> Path:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FINAL_2021, folder / "final.txt")
    shutil.copy(BUDGET_2024, folder / "sub" / "budget.txt")
    (folder / "notes.md").write_text("not a report type", encoding="utf-8")
    return folder


def test_one_line_per_file_with_the_same_findings_as_check(reports_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("scan", reports_dir, "--output", out, "--jobs", "2")
    assert result.exit_code == EXIT_FINDINGS, result.output
    lines = {line["file"]: line for line in lines_of(out)}
    assert set(lines) == {str(reports_dir / "final.txt"), str(reports_dir / "sub" / "budget.txt")}
    final = lines[str(reports_dir / "final.txt")]
    assert "tables" not in final and final["year"] == 2021 and final["basis"] == "final"
    expected = check_file(reports_dir / "final.txt")
    assert [f["fingerprint"] for f in final["findings"]] == [f.fingerprint() for f in expected.findings]
    assert lines[str(reports_dir / "sub" / "budget.txt")]["findings"] == []
    assert "各规则发现的问题" in result.stderr and "CON002" in result.stderr
    [report] = [r for r in lines_as_reports(lines_of(out)) if r.year == 2021]
    assert len(report.claims) == len(expected.claims)


def test_unreadable_files_are_recorded_and_the_scan_goes_on(reports_dir, tmp_path):
    (reports_dir / "empty.txt").write_bytes(b"")
    (reports_dir / "binary.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out.jsonl"
    result = run("scan", str(reports_dir / "**" / "*.txt"), "--output", out, "-j", "2", "--select", "XTB003")
    assert result.exit_code == EXIT_CLEAN, result.output
    failures = {Path(line["file"]).name: line for line in lines_of(out) if "error" in line}
    assert set(failures) == {"empty.txt", "binary.txt"}
    assert failures["empty.txt"]["code"] == InputErrorCode.EMPTY.value
    assert failures["binary.txt"]["error"].startswith(str(reports_dir / "binary.txt"))
    assert len(lines_of(out)) == 4
    assert "无法核验的文件" in result.stderr


def test_usage_errors(tmp_path):
    assert run("scan", tmp_path / "missing", "--output", tmp_path / "o.jsonl").exit_code == EXIT_USAGE
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("scan", empty, "--output", tmp_path / "o.jsonl")
    assert result.exit_code == EXIT_USAGE and "no reports found" in result.stderr
    assert run("scan", FINAL_2021).exit_code == EXIT_USAGE  # --output is required


def test_resume_skips_finished_files_and_drops_a_torn_line(reports_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    scan([str(reports_dir / "final.txt")], out, options=ScanOptions(jobs=1))
    with out.open("a", encoding="utf-8") as fh:
        fh.write('{"file": "half a li')
    seen = []
    summary = scan([str(reports_dir)], out, options=ScanOptions(jobs=1), resume=True, on_line=seen.append)
    assert [Path(line["file"]).name for line in seen] == ["budget.txt"]
    assert summary.skipped == 1 and summary.checked == 1
    assert sorted(Path(line["file"]).name for line in lines_of(out)) == ["budget.txt", "final.txt"]
    assert summary.findings_by_rule["CON002"] == 1  # the resumed file still counts in the summary


def _misbehaving(path: str, settings):
    """Hangs on hang.txt, kills its process on crash.txt."""
    name = Path(path).name
    if name == "hang.txt":
        time.sleep(60)
    if name == "crash.txt":
        os._exit(3)
    return _real_check_path(path, settings)


from narrative_check import scan as scan_module  # noqa: E402

_real_check_path = scan_module.check_path


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patched worker reaches the pool by fork")
def test_hanging_and_crashing_files_are_recorded_and_the_scan_goes_on(reports_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(scan_module, "check_path", _misbehaving)
    for name in ("hang.txt", "crash.txt"):
        shutil.copy(BUDGET_2024, reports_dir / name)
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    summary = scan([str(reports_dir)], out, options=ScanOptions(jobs=2, timeout=3))
    assert time.monotonic() - started < 40
    by_name = {Path(line["file"]).name: line for line in lines_of(out)}
    assert by_name["hang.txt"]["code"] == InputErrorCode.TIMEOUT.value and "> 3 s" in by_name["hang.txt"]["error"]
    assert by_name["crash.txt"]["code"] == InputErrorCode.WORKER_DIED.value
    assert "findings" in by_name["final.txt"] and "findings" in by_name["budget.txt"]
    assert len(summary.failures) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_forked_workers_inherit_the_dictionary_the_scan_loaded(tmp_path, monkeypatch):
    """The parent loads jieba's dictionary before the pool forks: no worker loads it again."""
    from narrative_check.extract import segment

    real_load = segment._load_dictionary

    def marking_load(tokenizer):
        (tmp_path / f"loaded-in-{os.getpid()}").touch()
        real_load(tokenizer)

    monkeypatch.setattr(segment, "_load_dictionary", marking_load)
    segment.segmenter.cache_clear()  # as in a fresh `narrative-check scan`: nothing loaded yet
    segment.words.cache_clear()
    lines = list(scan_module.local_lines([str(BUDGET_2024), str(FINAL_2021)], scan_module.Settings(),
                                         ScanOptions(jobs=2, timeout=60)))
    assert all("findings" in line for line in lines), lines
    assert sorted(p.name for p in tmp_path.glob("loaded-in-*")) == [f"loaded-in-{os.getpid()}"]


def test_ctrl_c_leaves_the_previous_output_whole_and_resume_finishes(tmp_path):
    """A fresh scan writes OUT.partial: killed half way, the previous good output is as it was and
    the partial output holds whole lines; --resume goes on from it and puts the whole scan in OUT."""
    folder = tmp_path / "copies"
    folder.mkdir()
    for i in range(20):
        shutil.copy(FINAL_2021, folder / f"r{i:02}.txt")
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    scan([str(folder / "r00.txt")], out, options=ScanOptions(jobs=1))  # the previous good output
    before = out.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "narrative_check", "scan", str(folder), "--output", str(out), "--jobs", "1"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (not partial.exists() or partial.read_bytes().count(b"\n") < 2):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert out.read_bytes() == before
    assert 2 <= len(lines_of(partial)) < 20
    assert "out.jsonl.partial保存了已完成的文件" in "".join(err.decode().split())  # however the summary wraps it
    result = run("scan", folder, "--output", out, "--jobs", "2", "--resume")
    assert result.exit_code == EXIT_FINDINGS
    assert "个已在输出中" in result.stderr  # went on from the partial output, not from OUT
    assert sorted(line["file"] for line in lines_of(out)) == sorted(str(p) for p in folder.glob("*.txt"))
    assert not partial.exists()


def _interrupted_after(n: int):
    """An engine that gives the first `n` files' lines, then is stopped by Ctrl-C."""
    def engine(paths, settings, options):
        for path in paths[:n]:
            yield scan_module.check_path(path, settings)
        raise KeyboardInterrupt
    return engine


def test_an_interrupted_scan_leaves_the_previous_output_and_resume_replaces_it(reports_dir, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    partial = scan_module.partial_path(out)
    assert partial == tmp_path / "out.jsonl.partial"
    out.write_text('{"file": "old.txt", "error": "E001 old", "code": "E001"}\n', encoding="utf-8")
    before = out.read_bytes()
    monkeypatch.setitem(scan_module.ENGINES, "local", _interrupted_after(1))
    summary = scan([str(reports_dir)], out, options=ScanOptions(jobs=1))
    assert summary.interrupted and summary.partial == str(partial) and summary.checked == 1
    assert out.read_bytes() == before  # the previous output is left as it was
    assert len(lines_of(partial)) == 1
    # Resumed and interrupted again before any file: still the previous output, the same partial.
    monkeypatch.setitem(scan_module.ENGINES, "local", _interrupted_after(0))
    assert scan([str(reports_dir)], out, options=ScanOptions(jobs=1), resume=True).interrupted
    assert out.read_bytes() == before and len(lines_of(partial)) == 1
    monkeypatch.undo()
    summary = scan([str(reports_dir)], out, options=ScanOptions(jobs=1), resume=True)
    assert summary.skipped == 1 and summary.checked == 1 and not summary.interrupted
    assert sorted(Path(line["file"]).name for line in lines_of(out)) == ["budget.txt", "final.txt"]
    assert not partial.exists()


def test_a_finished_scan_leaves_no_partial_output_and_keeps_the_outputs_permissions(reports_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("", encoding="utf-8")
    out.chmod(0o640)
    assert run("scan", reports_dir, "--output", out, "-j", "1").exit_code == EXIT_FINDINGS
    assert len(lines_of(out)) == 2 and (out.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "out.jsonl.lock", "reports"]
    # A resumed scan from a finished output goes through the partial output too, and leaves none.
    before = out.read_bytes()
    assert run("scan", reports_dir, "--output", out, "-j", "1", "--resume").exit_code == EXIT_FINDINGS
    assert out.read_bytes() == before and not scan_module.partial_path(out).exists()


def test_a_scan_into_a_pipe_writes_it_directly(reports_dir, tmp_path):
    """A device or pipe cannot be renamed onto: a scan into one (/dev/stdout) writes it as it goes."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run("scan", reports_dir / "sub" / "budget.txt", "--output", fifo, "-j", "1").exit_code == EXIT_CLEAN
    got, _ = reader.communicate(timeout=30)
    assert [json.loads(line)["file"] for line in got.splitlines()] == [str(reports_dir / "sub" / "budget.txt")]
    assert fifo.is_fifo() and not scan_module.partial_path(fifo).exists()


def _two_years(tmp_path):
    """A folder with the 2021 report and a made-up 2022 successor, and a scan output path."""
    folder = tmp_path / "years"
    folder.mkdir()
    shutil.copy(FINAL_2021, folder / "2021.txt")
    (folder / "2022.txt").write_text(successor(), encoding="utf-8")
    return folder, tmp_path / "out.jsonl"


def test_years_of_one_department_are_compared_across_files(tmp_path):
    folder, out = _two_years(tmp_path)
    result = run("scan", folder, "--output", out, "-j", "2")
    assert "CON010" in result.stderr
    [cross] = [line for line in lines_of(out) if CROSS_KEY in line]
    assert cross["file"] == str(folder / "2022.txt")
    [finding] = cross["findings"]
    assert finding["rule"] == "CON010" and finding["related"][0]["file"] == str(folder / "2021.txt")
    # resuming drops the whole-scan lines and writes them again, once
    run("scan", folder, "--output", out, "--resume")
    assert sum(CROSS_KEY in line for line in lines_of(out)) == 1 and len(lines_of(out)) == 3


def test_baseline_in_a_scan(reports_dir, tmp_path):
    out, base = tmp_path / "out.jsonl", tmp_path / "baseline.json"
    assert run("scan", reports_dir, "--output", out, "--write-baseline", base).exit_code == EXIT_FINDINGS
    result = run("scan", reports_dir, "--output", out, "--baseline", base, "--write-baseline", tmp_path / "b2.json")
    assert result.exit_code == EXIT_CLEAN, result.output
    lines = lines_of(out)
    assert all(line["findings"] == [] for line in lines)
    assert sum(len(line["stats"]["baseline_suppressed"]) for line in lines) == len(json.loads(base.read_text())["findings"])
    # written while the baseline was in force, the new baseline still lists every finding
    assert len(json.loads((tmp_path / "b2.json").read_text())["findings"]) == len(json.loads(base.read_text())["findings"])


def test_dask_cluster_gives_the_same_lines(reports_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        out_dask = tmp_path / "dask.jsonl"
        result = run("scan", reports_dir, "--output", out_dask, "--scheduler", cluster.scheduler_address)
        assert result.exit_code == EXIT_FINDINGS, result.output
    out_local = tmp_path / "local.jsonl"
    scan([str(reports_dir)], out_local, options=ScanOptions(jobs=2))
    key = lambda line: line["file"]  # noqa: E731
    assert sorted(read_lines(out_dask), key=key) == sorted(read_lines(out_local), key=key)


def test_dask_task_time_limit(monkeypatch):
    def slow(path, settings):
        for _ in range(600):
            time.sleep(0.01)
        return {"file": path}

    monkeypatch.setattr(scan_module, "check_path", slow)
    line = dask_check_path("slow.txt", settings=None, timeout=0.2)
    assert line["code"] == InputErrorCode.TIMEOUT.value


def test_torn_tail_longer_than_a_read_block_is_cut(tmp_path):
    from narrative_check.scan import cut_torn_line

    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"file": "a"}\n' + b'{"file": "b", "claims": "' + b"x" * 200_000)
    cut_torn_line(out)
    assert out.read_bytes() == b'{"file": "a"}\n'
    only_torn = tmp_path / "torn.jsonl"
    only_torn.write_bytes(b"y" * 70_000)
    cut_torn_line(only_torn)
    assert only_torn.read_bytes() == b""


_NOT_SCAN_OUTPUTS = {
    "text with a last line": b"notes\nlast line",
    "one unterminated line": b"last line",
    "a JSON list": b"[1, 2]\n",
    "a JSON object of something else": b'{"a": 1}\n',
    "a finding without its severity": b'{"file": "x.txt", "findings": [{"rule": "ARI001", "fingerprint": "f", '
                                      b'"line": 1, "quote": "q"}]}\n',
}


@pytest.mark.parametrize("content", list(_NOT_SCAN_OUTPUTS.values()), ids=list(_NOT_SCAN_OUTPUTS))
def test_resume_into_a_file_that_is_not_a_scan_output_leaves_it_alone(reports_dir, tmp_path, content):
    notes = tmp_path / "notes.md"
    notes.write_bytes(content)
    result = run("scan", reports_dir / "sub" / "budget.txt", "--output", notes, "--resume")
    assert result.exit_code == EXIT_USAGE, result.output
    assert InputErrorCode.NOT_SCAN_OUTPUT.value in result.stderr and "Traceback" not in result.output
    assert notes.read_bytes() == content


def test_unwritable_output_or_baseline_is_a_usage_error(reports_dir, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    budget = reports_dir / "sub" / "budget.txt"
    for args in (["--output", blocker / "out.jsonl"],
                 ["--output", tmp_path / "out.jsonl", "--write-baseline", blocker / "b.json"]):
        result = run("scan", budget, *args)
        assert result.exit_code == EXIT_USAGE, result.output
        assert InputErrorCode.CANNOT_WRITE.value in result.stderr and "Traceback" not in result.output


def test_the_output_and_a_baseline_in_the_scanned_folder_are_not_scanned(reports_dir):
    out, base = reports_dir / "results.txt", reports_dir / "baseline.txt"
    assert run("scan", reports_dir, "--output", out, "--write-baseline", base).exit_code == EXIT_FINDINGS
    summary = scan([str(reports_dir)], out, options=ScanOptions(jobs=1), resume=True, exclude=[base])
    assert summary.files == 2 and summary.skipped == 2 and not summary.failures
    assert sorted(Path(line["file"]).name for line in lines_of(out)) == ["budget.txt", "final.txt"]


def test_resume_with_fewer_inputs_counts_only_those(reports_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run("scan", reports_dir, "--output", out).exit_code == EXIT_FINDINGS
    before = out.read_text(encoding="utf-8")
    result = run("scan", reports_dir / "sub" / "budget.txt", "--output", out, "--resume")
    assert result.exit_code == EXIT_CLEAN, result.output  # final.txt's errors are not this run's
    assert out.read_text(encoding="utf-8") == before  # its line stays in the output
    summary = scan([str(reports_dir / "sub" / "budget.txt")], out, resume=True)
    assert summary.files == 1 and summary.skipped == 1 and not summary.findings_by_severity


def test_resume_with_fewer_inputs_keeps_the_other_files_cross_report_lines(tmp_path):
    folder, out = _two_years(tmp_path)
    scan([str(folder)], out, options=ScanOptions(jobs=2))
    before = sorted(map(json.dumps, lines_of(out)))
    summary = scan([str(folder / "2021.txt")], out, resume=True)
    assert sorted(map(json.dumps, lines_of(out))) == before  # 2022's CON010 line is written again
    assert summary.cross_report == 0 and "CON010" not in summary.findings_by_rule
