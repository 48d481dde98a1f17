"""Run the benchmarks: ``python -m tests.bench [NAME ...]`` (``make bench``).

Discovers every ``tests/bench/bench_*.py`` module and calls its ``run()`` (or, failing
that, its ``main()``), which prints its own measurements and returns True when its
targets were met, False when not (or None when it has no target). Ratios are measured
within one run on one machine, so they hold even where absolute rates do not. Exit status:
0 when every target was met, 1 otherwise.
Give names (``decide``, ``records``, ``retention``) to run only ``bench_<name>.py``.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path


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


def main(argv: list[str]) -> int:
    results: dict[str, bool | None] = {}
    for name in discover(argv):
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"tests.bench.{name}")
        entry = getattr(module, "run", None) or getattr(module, "main", None)
        if entry is None:
            print(f"{name} has no run() to call: skipped\n")
            continue
        started = time.perf_counter()
        results[name] = entry()
        print(f"({name} took {time.perf_counter() - started:.1f}s)\n", flush=True)
    print("== summary ==")
    for name, met in results.items():
        verdict = {True: "targets met", False: "TARGETS MISSED", None: "no target"}[met]
        print(f"{name}: {verdict}")
    return 1 if any(met is False for met in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
