"""Run the benchmarks: ``python -m tests.bench [--quick] [NAME ...]`` (``make bench``,
``make bench-quick``).

Discovers every ``tests/bench/bench_*.py`` module and calls its ``run()`` (or, failing
that, its ``main()``), which prints its own measurements and returns True when its
targets were met, False when not (or None when it has no target). Ratios are measured
within one run on one machine, so they hold even where absolute rates do not.

Each benchmark runs in a process of its own: one that sets Django up its own way (a
data directory, throwaway models, a test database) cannot leave anything behind for the
next, and one that crashes is reported as crashed while the others still run.

``--quick`` runs every benchmark at the small sizes in ``QUICK`` (under five minutes in
all; CI runs it), unless the environment already sets a size.

Exit status: 0 when every target was met, 1 when a target was missed or a benchmark
crashed (or returned something other than True, False or None).
Give names (``dashboard``, ``decide``, ``records``, ``retention``, ``soak``) to run only
``bench_<name>.py``.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

# Exit codes of one benchmark's process (anything else: it crashed).
MET, MISSED, NO_TARGET = 0, 10, 11
VERDICTS = {MET: "targets met", MISSED: "TARGETS MISSED", NO_TARGET: "no target"}

# The sizes of ``--quick``: every benchmark still measures what it compares, on less.
QUICK = {
    "MASH_BENCH_QUESTIONS": "10000",
    "MASH_BENCH_PAIRS": "5000",
    "BENCH_KEYS_ENQUIRIES": "50",
    "BENCH_RECORD_ENTRIES": "100000",
    "BENCH_RECORD_DB_ENTRIES": "10000",
    "BENCH_RECORD_PER_WRITER": "100",
    "BENCH_RECORD_APPENDS": "300",
    "BENCH_RETENTION_ENQUIRIES": "500",
    "BENCH_LOAD_ENQUIRIES": "30",
    "BENCH_LOAD_ROUNDS": "1",
    "BENCH_LOAD_REQUESTS": "3",
    "BENCH_SOAK_ENQUIRIES": "30",
    "BENCH_SOAK_USERS": "4",
    "BENCH_SOAK_MINUTES": "0.25",
    "BENCH_DASHBOARD_ENQUIRIES": "100",
    "BENCH_DASHBOARD_REPEATS": "2",
    "BENCH_PEOPLE_ENQUIRIES": "100",
    "BENCH_PEOPLE_SAMPLES": "30",
}


def discover(names: list[str]) -> list[str]:
    here = Path(__file__).parent
    modules = sorted(path.stem for path in here.glob("bench_*.py"))
    if names:
        wanted = {name if name.startswith("bench_") else f"bench_{name}" for name in names}
        unknown = wanted - set(modules)
        if unknown:
            raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}")
        modules = [m for m in modules if m in wanted]
    return modules


def one(name: str) -> int:
    """Run one benchmark in this process; its verdict as an exit code."""
    module = importlib.import_module(f"tests.bench.{name}")
    entry = getattr(module, "run", None) or getattr(module, "main", None)
    if entry is None:
        print(f"{name} has no run() to call")
        return 2
    result = entry()
    if result is True:
        return MET
    if result is False:
        return MISSED
    if result is None:
        return NO_TARGET
    print(f"{name}.run() returned {type(result).__name__}, not True, False or None")
    return 2


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [arg for arg in argv if arg != "--quick"]
    env = dict(os.environ)
    if quick:
        for key, value in QUICK.items():
            env.setdefault(key, value)
    results: dict[str, str] = {}
    failed = False
    began = time.perf_counter()
    for name in discover(names):
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", "tests.bench", "--one", name], env=env)
        took = time.perf_counter() - started
        verdict = VERDICTS.get(code, f"CRASHED (exit status {code})")
        failed = failed or code not in (MET, NO_TARGET)
        results[name] = f"{verdict} ({took:.1f}s)"
        print(f"({name} took {took:.1f}s)\n", flush=True)
    print("== summary ==")
    for name, verdict in results.items():
        print(f"{name}: {verdict}")
    print(f"all benchmarks: {time.perf_counter() - began:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        sys.exit(one(sys.argv[2]))
    sys.exit(main(sys.argv[1:]))
