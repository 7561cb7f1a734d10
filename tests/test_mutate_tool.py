"""tools/mutate.py: the staging, the equivalents' matching and the score arithmetic.

Running mutmut itself takes minutes (docs/mutation-testing.md); these tests
pin the parts of the wrapper that decide what is mutated and how it is counted.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("smswire_mutate_tool", ROOT / "tools/mutate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()

DIFF = """\
--- src/smswire/codecs/_query.py
+++ src/smswire/codecs/_query.py
@@ -1,3 +1,3 @@
 def f(x):
-    return x + 1
+    return x - 1
"""


def test_modules_are_codecs_files_packages_included() -> None:
    # A package's __init__ is a module too: smswire.codecs' lazy __getattr__ lives there.
    assert tool.module_of("codecs/_query.py") == ["codecs/_query.py"]
    emay = tool.module_of("codecs/emay")
    assert "codecs/emay/_envelope.py" in emay
    assert "codecs/emay/__init__.py" in emay
    everything = tool.module_of("codecs/")
    assert set(emay) < set(everything)
    assert "codecs/_query.py" in everything
    with pytest.raises(SystemExit, match="only modules under codecs/"):
        tool.module_of("transports/cli.py")


def test_staged_path_is_the_installed_package_layout() -> None:
    assert tool.staged("codecs/_query.py") == "src/smswire/codecs/_query.py"
    assert tool.staged("codecs/emay/_envelope.py") == "src/smswire/codecs/emay/_envelope.py"


def test_staged_pyproject_narrows_the_project_table() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    text = tool.staged_pyproject(project, ["codecs/_query.py"], 7, ["tests/test_x.py"])
    staged = tomllib.loads(text)
    mutmut = staged["tool"]["mutmut"]
    assert mutmut["source_paths"] == ["src/smswire/codecs"]
    assert mutmut["only_mutate"] == ["src/smswire/codecs/_query.py"]
    assert mutmut["pytest_add_cli_args_test_selection"] == ["tests/test_x.py"]
    seeds = [a for a in mutmut["pytest_add_cli_args"] if a.startswith("--hypothesis-seed=")]
    assert seeds == ["--hypothesis-seed=7"]
    assert staged["tool"]["pytest"]["ini_options"] == project["tool"]["pytest"]["ini_options"]
    default = tomllib.loads(tool.staged_pyproject(project, [], None, ["tests/"]))
    assert "--hypothesis-seed=0" in default["tool"]["mutmut"]["pytest_add_cli_args"]


def test_the_checkout_layout_tests_are_not_run_in_the_stage() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    args = project["tool"]["mutmut"]["pytest_add_cli_args"]
    for name in ("test_purity.py", "test_bench.py", "test_mutate_tool.py"):
        assert f"--ignore=tests/{name}" in args


def test_mutated_lines_and_function_names() -> None:
    assert tool.mutated_lines(DIFF) == "return x - 1"
    name = "smswire.codecs._query.x_urlencode_value__mutmut_12"
    assert tool.function_of(name) == "urlencode_value"
    method = "smswire.codecs._query.xǁQueryParamsǁrequire__mutmut_3"
    assert tool.function_of(method) == "QueryParams.require"


def test_equivalents_file_is_complete(tmp_path: Path) -> None:
    entries = tool.load_equivalents()
    for entry in entries:
        assert entry.module.startswith("codecs/")
        assert (ROOT / entry.module).exists()
        assert entry.mutation
        assert len(entry.reason) > 20
    bad = tmp_path / "eq.toml"
    bad.write_text('[[equivalent]]\nmodule = "codecs/_query.py"\n', "utf-8")
    with pytest.raises(KeyError):
        tool.load_equivalents(bad)
    assert tool.load_equivalents(tmp_path / "missing.toml") == []


def test_score_counts_timeouts_as_killed_and_skips_equivalents() -> None:
    score = tool.Score("codecs/x.py", killed=8, timeout=1, survived=["a"], equivalent=3)
    assert score.counted == 10
    assert score.percent == pytest.approx(90.0)
    assert tool.Score("codecs/empty.py").percent == 100.0
    rendered = tool.table([score, tool.Score("codecs/y.py", killed=1, no_tests=["b"])])
    assert "codecs/x.py" in rendered
    assert "90.0%" in rendered
    assert "50.0%" in rendered
    assert rendered.splitlines()[-1].startswith("all")
