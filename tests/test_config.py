"""Settings from pyproject.toml / narrative-check.toml, under the command-line flags."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import FINAL_2021
from narrative_check.api import check_file
from narrative_check.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, cli
from narrative_check.config import Config, ScanOptions, Settings, config_from_table, find_config, load_config
from narrative_check.errors import InputError, InputErrorCode


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_found_upward_from_the_current_directory(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.narrative_check]\nselect = ["ARI", "tbl001"]\nexplain-threshold = 15.5\ntimeout = 5\n'
        '\n[tool.narrative_check.severity]\nXTB004 = "error"\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == tmp_path / "pyproject.toml"
    config = load_config()
    assert config.settings.select == ["ARI", "TBL001"]
    assert config.settings.explain_threshold == Decimal("15.5")
    assert config.settings.severity == {"XTB004": "error"}
    assert config.scan.timeout == 5


def test_own_file_first_and_pyproject_without_the_table_ends_the_search(tmp_path, monkeypatch):
    """A pyproject.toml marks the project's root: without the table it gives no settings, and
    what lies above it belongs to someone else (issue 14)."""
    (tmp_path / "narrative-check.toml").write_text('rounding = "truncate"\n', encoding="utf-8")
    inner = tmp_path / "inner"
    (inner / "deeper").mkdir(parents=True)
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(inner / "deeper")
    assert find_config() is None
    assert load_config().settings.rounding == "round"
    (inner / "narrative-check.toml").write_text('rounding = "either"\n', encoding="utf-8")
    assert find_config() == inner / "narrative-check.toml"  # the own file beside it still wins


def test_every_settings_field_is_a_key():
    for model, part in ((Settings, "settings"), (ScanOptions, "scan")):
        for name, spec in model.model_fields.items():
            default = spec.get_default(call_default_factory=True)
            loaded = config_from_table({name.replace("_", "-"): default})
            assert getattr(loaded[part], name) == default, name


@pytest.mark.parametrize("table, named", [({"selct": ["ARI"]}, "selct"), ({"rounding": "sometimes"}, "rounding"),
                                          ({"severity": {"ARI001": "fatal"}}, "severity.ARI001")])
def test_bad_keys_and_values_are_named(tmp_path, table, named):
    with pytest.raises(InputError) as exc:
        config_from_table(table, tmp_path / "narrative-check.toml")
    assert exc.value.code == InputErrorCode.BAD_CONFIG and named in exc.value.message


def test_cli_unknown_key_exits_two_naming_it(tmp_path):
    bad = tmp_path / "narrative-check.toml"
    bad.write_text("explain_treshold = 5\n", encoding="utf-8")
    for command in ("check", "scan"):
        args = [command, FINAL_2021, "--config", bad] + (["--output", tmp_path / "o.jsonl"] if command == "scan" else [])
        result = run(*args)
        assert result.exit_code == EXIT_USAGE and "explain_treshold" in result.stderr and "Traceback" not in result.output
    broken = tmp_path / "broken.toml"
    broken.write_text("select = [\n", encoding="utf-8")
    assert run("check", FINAL_2021, "--config", broken).exit_code == EXIT_USAGE


def test_flags_override_the_file(tmp_path):
    config = tmp_path / "narrative-check.toml"
    config.write_text('select = ["LEX"]\n', encoding="utf-8")
    assert run("check", FINAL_2021, "--config", config).exit_code == EXIT_CLEAN  # LEX rules are warnings
    assert run("check", FINAL_2021, "--config", config, "--select", "ARI").exit_code == EXIT_FINDINGS


def test_severity_override_applies_to_findings_and_exit_code(tmp_path):
    config = tmp_path / "narrative-check.toml"
    config.write_text('select = ["LEX"]\n[severity]\nLEX001 = "error"\nLEX00 = "info"\n', encoding="utf-8")
    result = run("check", FINAL_2021, "--config", config)
    assert result.exit_code == EXIT_FINDINGS
    assert " LEX001 error " in result.stdout and " LEX004 info " in result.stdout
    report = check_file(FINAL_2021, settings=Config(settings=Settings(select=["ARI001"], severity={"ARI": "warning"})).settings)
    assert [f.severity for f in report.findings] == ["warning"]


def test_no_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if find_config() is None:  # nothing above the temporary directory either
        assert load_config() == Config()
    assert load_config(discover=False) == Config()


def test_flags_are_validated_and_merged_over_the_file(tmp_path):
    config = tmp_path / "narrative-check.toml"
    config.write_text('select = ["LEX"]\njobs = 2\n', encoding="utf-8")
    merged = load_config(config).with_flags(rounding="either", ignore=("lex004,lex002",), timeout=None, select=())
    assert merged.settings.select == ["LEX"] and merged.settings.ignore == ["LEX004", "LEX002"]
    assert merged.settings.rounding == "either" and merged.scan.jobs == 2
    for flags, named in (({"jobs": 0}, "jobs"), ({"rounding": "sometimes"}, "rounding"), ({"selct": ["ARI"]}, "selct")):
        with pytest.raises(InputError) as exc:
            Config().with_flags(**flags)
        assert exc.value.code == InputErrorCode.BAD_OPTION and named in exc.value.message


def test_a_scheduler_means_dask_from_the_file_as_from_the_flag():
    address = "tcp://127.0.0.1:8786"
    assert config_from_table({"scheduler": address})["scan"].engine == "dask"
    assert Config().with_flags(scheduler=address).scan.engine == "dask"
    assert config_from_table({"scheduler": address, "engine": "local"})["scan"].engine == "local"
    from_file = Config(scan=config_from_table({"scheduler": address})["scan"])
    assert from_file.with_flags(engine="local").scan.engine == "local"  # a flag given outright wins
    assert from_file.with_flags(jobs=2).scan.engine == "dask"
    assert ScanOptions().engine == "local"


@pytest.mark.parametrize("option", [["--select", "XBT"], ["--ignore", "ARI9"], ["--select", "ARI001,TBL9"]])
def test_an_option_naming_no_rule_is_a_usage_error(option):
    result = run("check", *option, FINAL_2021)
    assert result.exit_code == EXIT_USAGE
    assert "no rule code starts with" in result.output


@pytest.mark.parametrize("table", ['select = ["XBT"]', 'ignore = ["LEX9"]', '[tool.narrative_check.severity]\nARX001 = "info"'])
def test_a_configuration_naming_no_rule_is_refused(tmp_path, table):
    head = "" if table.startswith("[") else "[tool.narrative_check]\n"
    (tmp_path / "pyproject.toml").write_text(f"{head}{table}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(tmp_path / "pyproject.toml")
    assert caught.value.code == InputErrorCode.BAD_CONFIG


def test_prefixes_that_name_rules_are_accepted():
    settings = Settings(select=["ARI01", "DOC"], ignore=["ARI012"], severity={"RSN": "info"})
    assert settings.enabled("ARI011") and not settings.enabled("ARI012") and settings.enabled("DOC004")
