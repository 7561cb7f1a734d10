"""``python -m bench [--quick] [--json FILE] [--only SUBSTRING]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import VENDORS, collect_paths
from ._harness import GOAL, Scale, format_row, format_table, run_paths, write_json


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table (and write the JSON); a floor that disagrees with its codec raises."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats (CI)")
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
    scale = Scale(quick=args.quick)
    header = format_table([])
    print(header, flush=True)
    results = run_paths(paths, scale, on_result=lambda r: print(format_row(r), flush=True))
    below = [r.name for r in results if r.ratio < GOAL]
    print(f"\ngoal: codec >= {GOAL:.2f} x floor; below it: {len(below)} of {len(results)}")
    if missing:
        print(f"vendors not landed yet: {', '.join(missing)}")
    if args.json is not None:
        write_json(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
