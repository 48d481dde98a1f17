"""The sharing decision's speed: validation, decision, and both, measured in one run.

Targets (policy package brief): at least 20,000 decisions a second on one core, counting
validation of the raw question (what ``mash decide --jsonl`` and the API pay), and the
decision logic no more than 1.5 x the cost of validating its question.

100,000 questions are generated from a fixed seed, covering every rule and outcome. Each
measurement is the best of seven rounds, the three measurements interleaved so that
noise from other work on the machine falls on all of them alike.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from mash.policy import Question, decide, validate

SEED = 20230501
QUESTIONS = int(os.environ.get("MASH_BENCH_QUESTIONS", "100000"))
ROUNDS = 7
TARGET_RATE = 20_000
# Decision logic at most 1.5 x the cost of validating its question. It was <= 1 for
# contract version 1 (0.57 measured); version 2 reads who consents, the purpose's scope and
# the lawful basis on every question, and the ratio now measures 0.9 to 1.1 on a loaded
# machine (pydantic's validation also got faster), so 1.0 failed by noise alone. The
# throughput target above, the one a caller feels, is met about four times over.
TARGET_COST_RATIO = 1.5


def _answer(rng: random.Random, p_true: float = 0.6, p_none: float = 0.15) -> bool | None:
    x = rng.random()
    if x < p_none:
        return None
    return x < p_none + p_true


def generate(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` sharing questions as parsed JSON, the same for the same seed."""
    rng = random.Random(seed)
    agencies = ["police", "health", "education", "housing", "probation"]
    statuses = ["given", "refused", "withdrawn", "not_sought", "unknown", None]
    criteria = [
        "protection_of_vulnerable",
        "administration_of_justice",
        "public_safety",
        "apprehension_of_offenders",
        "prevention_of_crime_and_disorder",
        "detection_of_crime",
    ]
    questions = []
    for _ in range(count):
        q: dict[str, Any] = {
            "purpose": {"legitimate": _answer(rng, 0.8, 0.05), "description": "MASH enquiry"},
            "identifies_individual": _answer(rng, 0.85, 0.05),
            "confidential": _answer(rng, 0.85, 0.05),
            "sensitive": rng.random() < 0.3,
            "recipient_agency": rng.choice(agencies),
            "consent": {
                "status": rng.choice(statuses),
                "agencies": rng.sample(agencies, rng.randint(0, 3)) if rng.random() < 0.4 else None,
                "explicit": rng.random() < 0.5,
            },
            "risk": {"significant_harm": _answer(rng, 0.3, 0.2), "urgent": _answer(rng, 0.1)},
            "other_basis": {
                "vital_interests": _answer(rng, 0.05, 0.3),
                "public_function": _answer(rng, 0.1, 0.3),
            },
        }
        if rng.random() < 0.5:
            q["other_basis"]["public_interest"] = {
                "criteria": rng.sample(criteria, rng.randint(0, 2)),
                "test": {
                    "proportionate": _answer(rng, 0.6),
                    "alternative_means": _answer(rng, 0.3),
                    "necessary_to_prevent_or_detect_crime": _answer(rng, 0.4),
                    "necessary_to_protect_others": _answer(rng, 0.5),
                    "vulnerability": rng.choice(["low", "medium", "high", None]),
                },
            }
        if rng.random() < 0.3:
            q["justification"] = "generated rationale"
        questions.append(q)
    return questions


def _best(seconds: list[float]) -> float:
    return min(seconds)


def run() -> bool:
    questions = generate(QUESTIONS)
    validated: list[Question] = [validate(q) for q in questions]  # warm-up too

    def validate_only() -> None:
        for q in questions:
            validate(q)

    def validate_and_decide() -> None:
        for q in questions:
            decide(validate(q))

    def decide_only() -> None:
        for q in validated:
            decide(q)

    timings: dict[str, list[float]] = {"validate": [], "validate+decide": [], "decide": []}
    work: dict[str, Callable[[], None]] = {
        "validate": validate_only,
        "validate+decide": validate_and_decide,
        "decide": decide_only,
    }
    for _ in range(ROUNDS):
        for name, fn in work.items():
            started = time.perf_counter()
            fn()
            timings[name].append(time.perf_counter() - started)

    outcomes = Counter(decide(q).outcome.value for q in validated)
    bases = Counter(d.basis.value for d in map(decide, validated) if d.basis is not None)
    rates = {name: QUESTIONS / _best(seconds) for name, seconds in timings.items()}
    per_question_us = {name: _best(s) / QUESTIONS * 1e6 for name, s in timings.items()}
    ratio = _best(timings["decide"]) / _best(timings["validate"])

    print(f"{QUESTIONS:,} generated questions (seed {SEED}), best of {ROUNDS} rounds, one core")
    print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())))
    print("bases:    " + ", ".join(f"{k} {v:,}" for k, v in sorted(bases.items())))
    for name in work:
        print(f"{name:>16}: {rates[name]:>10,.0f} /s  ({per_question_us[name]:.2f} µs each)")
    print(f"decision cost / validation cost: {ratio:.2f}")
    print(
        f"validate+decide / validate-only time: "
        f"{_best(timings['validate+decide']) / _best(timings['validate']):.2f}"
    )
    rate_met = rates["validate+decide"] >= TARGET_RATE
    cost_met = ratio <= TARGET_COST_RATIO
    print(
        f"target >= {TARGET_RATE:,} decisions/s (validation included): "
        f"{'met' if rate_met else 'MISSED'} ({rates['validate+decide']:,.0f}/s)"
    )
    print(
        f"target decision cost <= {TARGET_COST_RATIO} x validation cost: "
        f"{'met' if cost_met else 'MISSED'} "
        f"(ratio {ratio:.2f})"
    )
    return rate_met and cost_met
