"""``python -m bench.scaling [--max N] [--write]``: decode cost per record from 1k to 1M records.

For two decode paths (esms100 ``/qreport/`` reports, sms.cn ``/rx/`` replies)
and batch sizes 1,000 → 1,000,000, prints thread CPU time per record (median
of a few runs, the garbage collector on and off) and the peak memory the
decode allocates per record (``tracemalloc``, output included: what a caller
holds afterwards), as a Markdown table. Linear decoding shows as flat
columns. ``--write`` puts the table into ``bench/README.md`` between its
scaling markers. Bodies come from the codecs' server role, as in ``python -m
bench``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from . import collect_paths
from ._harness import Scale

__all__ = ["PATHS", "SIZES", "main", "scaling_table"]

#: The decode paths the table covers.
PATHS = ("esms100 decode /qreport/ reports", "smscn decode /rx/ replies")
SIZES = (1_000, 10_000, 100_000, 1_000_000)
README = Path(__file__).with_name("README.md")
BEGIN, END = "<!-- scaling:begin -->", "<!-- scaling:end -->"


@attrs.frozen
class _Records(Scale):
    """A scale that asks every path for exactly ``records`` records."""

    records: int = 1_000

    def size(self, full: int) -> int:
        return self.records


def _seconds(fn: Callable[[], object], collect: bool, runs: int) -> float:
    """Median thread CPU seconds of ``runs`` calls, the collector on or off."""
    samples = []
    for _ in range(runs):
        gc.collect()
        if collect:
            gc.enable()
        else:
            gc.disable()
        start = time.thread_time()
        fn()
        samples.append(time.thread_time() - start)
        gc.enable()
    return statistics.median(samples)


def _peak_bytes(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        out = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del out
    return peak


def _row(name: str, records: int) -> str:
    (path,) = (p for p in collect_paths(name)[0] if p.name == name)
    decode = path.build(_Records(records=records)).codec
    runs = max(3, min(15, 2_000_000 // (records * 20)))
    on = _seconds(decode, True, runs) / records * 1e6
    off = _seconds(decode, False, runs) / records * 1e6
    peak = _peak_bytes(decode) / records
    return f"| {name} | {records:,} | {on:.2f} | {off:.2f} | {on / off - 1:+.0%} | {peak:,.0f} |"


def scaling_table(sizes: Sequence[int] = SIZES) -> str:
    """The Markdown table (rows printed to stderr as they are ready)."""
    lines = [
        "| path | records | µs/record gc on | µs/record gc off | gc cost | peak bytes/record |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in PATHS:
        for records in sizes:
            lines.append(_row(name, records))
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def _write(table: str) -> None:
    text = README.read_text("utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; with ``--write`` also put it into the README."""
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__)
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest batch size")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)
    table = scaling_table([n for n in SIZES if n <= args.max])
    print(table)
    if args.write:
        _write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
