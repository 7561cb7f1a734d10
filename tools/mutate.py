"""Mutation testing of ``codecs/`` with mutmut 3, and the score per module.

mutmut copies the code it mutates into ``mutants/`` and puts that directory
(or ``mutants/src``) first on ``sys.path``. Our layout does not fit: ``codecs/``
installs as ``smswire.codecs``, and a top-level ``codecs`` on ``sys.path``
would shadow the standard library's. So this script stages a tree mutmut
understands, in ``.mutation/`` (gitignored, rebuilt on every run)::

    .mutation/src/smswire/codecs/   a copy of codecs/ (the code to mutate)
    .mutation/tests/                a copy of tests/
    .mutation/pyproject.toml        pytest's options and a generated [tool.mutmut]

``mutants/src/smswire/codecs`` then wins the import of ``smswire.codecs``;
``smswire`` is a namespace package, so ``smswire.transports`` and
``smswire.specs`` still come from the editable install.

Every run uses ``HYPOTHESIS_PROFILE=dev`` and a fixed ``--hypothesis-seed``
(which also keeps Hypothesis's example database out of the verdicts), so a
score can be compared with the last one. Mutants listed in
``tools/mutation-equivalents.toml`` (matched by module, function and the
mutated line, never by mutmut's running number) are excluded from the score,
each with its reason.

Usage (from the repository root; see docs/mutation-testing.md)::

    nice -n 19 python tools/mutate.py codecs/_query.py [codecs/_records.py ...]
    nice -n 19 python tools/mutate.py codecs/          # every module
    nice -n 19 python tools/mutate.py --report-only     # re-read the last run
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / ".mutation"
PACKAGE = Path("src/smswire/codecs")
EQUIVALENTS = ROOT / "tools" / "mutation-equivalents.toml"
#: Parts of the checkout some tests read by path (the example plug-in, the simulator's
#: source, the README): linked into the stage and copied by mutmut beside the tests, so
#: those tests run there as they do in the checkout.
CHECKOUT = ("README.md", "docs", "examples", "specs", "testing", "transports")

#: mutmut's exit codes, as its ``stats.status_by_exit_code`` names them.
KILLED = {1, 3}
TIMEOUT = {24, -24, 152, 255, 36}
SURVIVED = {0}
NO_TESTS = {5, 33}


@dataclass(frozen=True)
class Equivalent:
    """A mutant that no test can kill: it behaves as the original does."""

    module: str
    function: str
    mutation: str
    reason: str


@dataclass
class Score:
    """One module's verdicts."""

    module: str
    killed: int = 0
    timeout: int = 0
    survived: list[str] = field(default_factory=list)
    no_tests: list[str] = field(default_factory=list)
    equivalent: int = 0
    undecided: list[str] = field(default_factory=list)
    other: int = 0

    @property
    def counted(self) -> int:
        """Non-equivalent mutants."""
        return (
            self.killed
            + self.timeout
            + len(self.survived)
            + len(self.no_tests)
            + len(self.undecided)
            + self.other
        )

    @property
    def percent(self) -> float:
        return 100.0 * (self.killed + self.timeout) / self.counted if self.counted else 100.0


def load_equivalents(path: Path = EQUIVALENTS) -> list[Equivalent]:
    """The excluded mutants; every entry needs all four keys."""
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text("utf-8"))
    return [
        Equivalent(e["module"], e["function"], e["mutation"].strip(), e["reason"])
        for e in data.get("equivalent", [])
    ]


def module_of(target: str) -> list[str]:
    """``codecs/…`` paths (files, or every ``.py`` under a directory, ``__init__.py``
    included: a package's own code is a module too), relative to the root."""
    path = (ROOT / target).resolve()
    codecs = ROOT / "codecs"
    if path != codecs and codecs not in path.parents:
        raise SystemExit(f"{target}: only modules under codecs/ are mutated")
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [str(f.relative_to(ROOT)) for f in files]


def staged(module: str) -> str:
    """``codecs/x.py`` → ``src/smswire/codecs/x.py``."""
    return str(PACKAGE / Path(module).relative_to("codecs"))


def toml_value(value: object) -> str:
    """A TOML rendering of the plain values these tables hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot render {value!r} as TOML")


def toml_table(name: str, table: dict[str, Any]) -> str:
    return f"[{name}]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in table.items())


def staged_pyproject(
    project: dict[str, Any], modules: Iterable[str], seed: int | None, tests: list[str]
) -> str:
    """The staged ``pyproject.toml``: pytest's options, and ``[tool.mutmut]`` narrowed to
    ``modules`` and ``tests`` (``seed``, when given, replaces the configured one)."""
    tool = project["tool"]
    mutmut = dict(tool["mutmut"])
    args = list(mutmut.get("pytest_add_cli_args", []))
    if seed is not None:
        args = [a for a in args if not a.startswith("--hypothesis-seed=")]
        args.append(f"--hypothesis-seed={seed}")
    mutmut["pytest_add_cli_args"] = args
    mutmut["only_mutate"] = [staged(m) for m in modules]
    mutmut["pytest_add_cli_args_test_selection"] = tests
    mutmut["also_copy"] = list(CHECKOUT)
    return (
        toml_table("tool.pytest.ini_options", tool["pytest"]["ini_options"])
        + "\n"
        + toml_table("tool.mutmut", mutmut)
    )


def stage(modules: list[str], seed: int | None, tests: list[str]) -> None:
    """Rebuild ``.mutation/`` from the working tree."""
    shutil.rmtree(STAGE, ignore_errors=True)
    junk = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    shutil.copytree(ROOT / "codecs", STAGE / PACKAGE, ignore=junk)
    shutil.copytree(ROOT / "tests", STAGE / "tests", ignore=junk)
    for name in CHECKOUT:
        (STAGE / name).symlink_to(ROOT / name, target_is_directory=(ROOT / name).is_dir())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    (STAGE / "pyproject.toml").write_text(staged_pyproject(project, modules, seed, tests), "utf-8")


def restage_tests(modules: list[str], seed: int | None, tests: list[str]) -> None:
    """Refresh the stage's tests and options, keeping the mutants and their verdicts."""
    if not (STAGE / "mutants").is_dir():
        raise SystemExit("--resume needs a previous run's .mutation/ (run without it first)")
    junk = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for where in (STAGE / "tests", STAGE / "mutants" / "tests"):
        shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(ROOT / "tests", STAGE / "tests", ignore=junk)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    (STAGE / "pyproject.toml").write_text(staged_pyproject(project, modules, seed, tests), "utf-8")


def run_mutmut(max_children: int, names: list[str] | None = None) -> int:
    """``mutmut run`` in the stage, under the dev profile (only ``names``, when given)."""
    env = dict(os.environ, HYPOTHESIS_PROFILE="dev")
    env.pop("CI", None)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(max_children), *(names or [])]
    return subprocess.call(command, cwd=STAGE, env=env)


def survivors(modules: list[str]) -> list[str]:
    """The last run's surviving, untested and undecided mutants: what ``--resume`` runs."""
    scores, _ = collect(modules, [])
    os.chdir(ROOT)
    return [name for s in scores for name in (*s.survived, *s.no_tests, *s.undecided)]


def resume(modules: list[str], max_children: int) -> int:
    """Run the survivors again, then whatever mutmut reset meanwhile.

    mutmut resets the verdict of a mutant whose function new tests reach (its
    killers may have changed); such a mutant was not named in the first pass,
    so it is run in a second one instead of being counted undecided.
    """
    for _ in range(2):
        again = survivors(modules)
        code = run_mutmut(max_children, again) if again else 0
        if code != 0:
            return code
    return 0


_FUNCTION = re.compile(r"\.x(?:_|ǁ(?P<cls>[^ǁ]+)ǁ)(?P<name>.+?)__mutmut_\d+$")


def function_of(mutant: str) -> str:
    """``Class.method`` or ``function`` from a mutmut mutant name."""
    match = _FUNCTION.search(mutant)
    if match is None:
        return mutant
    return f"{match['cls']}.{match['name']}" if match["cls"] else match["name"]


def mutated_lines(diff: str) -> str:
    """The ``+`` lines of a mutant's diff, stripped: what the mutation wrote."""
    return "\n".join(
        line[1:].strip()
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    )


def collect(modules: list[str], equivalents: list[Equivalent]) -> tuple[list[Score], str]:
    """Per-module scores from the stage's mutmut data, and a text of every survivor's diff."""
    os.chdir(STAGE)
    sys.path.insert(0, str(STAGE))
    from mutmut.configuration import reset_config
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    reset_config()
    scores: list[Score] = []
    report: list[str] = []
    used: set[Equivalent] = set()
    for module in modules:
        score = Score(module)
        data = SourceFileMutationData(path=Path(staged(module)))
        data.load()
        known = [e for e in equivalents if e.module == module]
        for name, code in sorted(data.exit_code_by_key.items()):
            if code in KILLED:
                score.killed += 1
                continue
            if code in TIMEOUT:
                score.timeout += 1
                continue
            diff = get_diff_for_mutant(name, path=staged(module))
            written = mutated_lines(diff)
            match = next(
                (e for e in known if e.function == function_of(name) and e.mutation == written),
                None,
            )
            if match is not None:
                used.add(match)
                score.equivalent += 1
                continue
            if code in SURVIVED:
                score.survived.append(name)
            elif code in NO_TESTS:
                score.no_tests.append(name)
            elif code is None:
                score.undecided.append(name)
            else:
                score.other += 1
            report.append(f"# {name} (exit {code})\n{diff}\n")
        scores.append(score)
    stale = [e for e in equivalents if e.module in modules and e not in used]
    for e in stale:
        report.append(f"# stale equivalent entry (no surviving mutant matches): {e}\n")
    return scores, "\n".join(report)


def table(scores: list[Score]) -> str:
    """The score table: killed (timeouts included) over non-equivalent mutants."""
    rows = [
        f"{'module':34} {'killed':>6} {'surv':>5} {'notest':>6} {'equiv':>5} {'score':>7}",
    ]
    total = Score("all")
    for s in scores:
        rows.append(
            f"{s.module:34} {s.killed + s.timeout:>6} {len(s.survived):>5} "
            f"{len(s.no_tests):>6} {s.equivalent:>5} {s.percent:>6.1f}%"
        )
        total.killed += s.killed + s.timeout
        total.survived += s.survived
        total.no_tests += s.no_tests
        total.equivalent += s.equivalent
        total.undecided += s.undecided
        total.other += s.other
    if len(scores) > 1:
        rows.append(
            f"{'all':34} {total.killed:>6} {len(total.survived):>5} "
            f"{len(total.no_tests):>6} {total.equivalent:>5} {total.percent:>6.1f}%"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", default=["codecs/"], help="modules or directories")
    parser.add_argument(
        "--seed", type=int, default=None, help="hypothesis seed (default: pyproject's, 0)"
    )
    parser.add_argument(
        "--tests", nargs="+", default=["tests/"], help="pytest paths to run (default tests/)"
    )
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutants (default 1)")
    parser.add_argument(
        "--report-only", action="store_true", help="re-read the last run's verdicts"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="re-run only the last run's survivors against the current tests (code unchanged)",
    )
    args = parser.parse_args(argv)
    modules = [m for t in args.targets for m in module_of(t)]
    if args.resume:
        restage_tests(modules, args.seed, args.tests)
        code = resume(modules, args.max_children)
        if code != 0:
            print(f"mutmut run exited {code}", file=sys.stderr)
            return code
    elif not args.report_only:
        stage(modules, args.seed, args.tests)
        code = run_mutmut(args.max_children)
        if code != 0:
            print(f"mutmut run exited {code}", file=sys.stderr)
            return code
    scores, report = collect(modules, load_equivalents())
    (STAGE / "survivors.txt").write_text(report, "utf-8")
    print(table(scores))
    undecided = sum(len(s.undecided) for s in scores)
    if undecided:
        print(f"\n{undecided} mutants have no verdict (counted against the score): run again")
    print(f"\nsurvivors' diffs: {STAGE / 'survivors.txt'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
