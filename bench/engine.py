"""Benchmark of the rules engine: prints ``name: value`` lines.

    python bench/engine.py [--cases N] [--seed S]

Evaluates N generated valid cases (default 100 000) one by one on one core with ``evaluate``
(validation + evaluation: exactly what the CLI and the API call). Only the ``evaluate`` calls
are timed: the cases are generated in chunks of 1 000 between timed runs, as a batch export
would stream them, so that the figure is the engine's and not that of 100 000 input dicts held
in memory at once. Load time (imports, parameters, reference tables, first evaluation) is
measured apart. Times are CPU time of this process, so another busy core does not change them.
"""

from __future__ import annotations

import argparse
import random
import time

_t0 = time.process_time()
from cnpe_flow.rules import evaluate  # noqa: E402
from cnpe_flow.rules.sample_cases import random_case  # noqa: E402

CHUNK = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rnd = random.Random(args.seed)
    evaluate(random_case(rnd))  # loads parameters, catalogue and reference tables
    load_seconds = time.process_time() - _t0

    elapsed = 0.0
    tasks = 0
    done = 0
    while done < args.cases:
        chunk = [random_case(rnd) for _ in range(min(CHUNK, args.cases - done))]
        start = time.process_time()
        for case in chunk:
            tasks += len(evaluate(case)["tasks"])
        elapsed += time.process_time() - start
        done += len(chunk)

    print(f"load_seconds: {load_seconds:.3f}")
    print(f"cases: {args.cases}")
    print(f"tasks: {tasks}")
    print(f"evaluate_seconds: {elapsed:.3f}")
    print(f"cases_per_second: {args.cases / elapsed:.0f}")


if __name__ == "__main__":
    main()
