"""``python -m bench [--quick] [--json FILE] [--only SUBSTRING]``.

Exit status: 0 after a run (paths below the goals are flagged, not failed:
timings vary between machines), 1 when a floor or peer builds something other
than the codec (the comparison would be meaningless), 2 when ``--only``
matches no path.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import VENDORS, collect_paths
from ._harness import (
    GOAL,
    PEER_GOAL,
    FloorMismatchError,
    Result,
    Scale,
    format_row,
    format_table,
    run_paths,
    write_json,
)


def _summary(results: Sequence[Result]) -> str:
    below = [r.name for r in results if r.ratio < GOAL]
    slow = [
        r.name
        for r in results
        if r.gc_on.peer_speedup is not None and r.gc_on.peer_speedup.median < PEER_GOAL
    ]
    peers = sum(r.gc_on.peer_speedup is not None for r in results)
    return (
        f"\ngoal: codec >= {GOAL:.2f} x floor (median of rounds, collector on); "
        f"below it: {len(below)} of {len(results)}\n"
        f"goal: codec >= {PEER_GOAL:.0f} x peer; below it: {len(slow)} of {peers}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table (and write the JSON); the exit status is described above."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, few rounds (CI)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument("--only", metavar="SUBSTRING", help="run only paths whose name has it")
    args = parser.parse_args(argv)

    paths, missing = collect_paths(args.only)
    if not paths:
        # An empty table that exits 0 would pass for a benchmark run.
        if len(missing) == len(VENDORS):
            print(
                "no vendor codec is importable: is smswire installed? (pip install -e .)",
                file=sys.stderr,
            )
            return 1
        print(f"no path matches {args.only!r}", file=sys.stderr)
        return 2
    print(format_table([]), flush=True)
    try:
        results = run_paths(
            paths, Scale(quick=args.quick), on_result=lambda r: print(format_row(r), flush=True)
        )
    except FloorMismatchError as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    print(_summary(results))
    if missing:
        print(f"vendors not landed yet: {', '.join(missing)}")
    if args.json is not None:
        write_json(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
