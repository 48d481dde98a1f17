"""Person matching's speed (contracts/person-matching.md): pairs a second, in one run.

Measures, interleaved over three rounds (best round reported):

- **read+match**: ``match_mappings(a, b)`` on the contract's JSON objects, what each line
  of ``mash people match`` and each candidate at intake pays (reading both records,
  normalising, comparing);
- **match (prepared)**: ``match(a, b)`` on records already read and normalised once, as
  the person index does when it compares one new person with each of its candidates;
- **command**: ``mash people match``'s own loop over the JSON lines in memory (JSON
  parsing and writing included).

Target: the index's rate (issue 14: a million people indexed in under an hour). That is
278 people a second; with up to 20 candidates each from the blocking keys, 5,600 pairs a
second, so read+match must reach at least 5,600 pairs a second on one core (comparing
with no database round trip). ``MASH_BENCH_PAIRS`` (default 50,000) sets the number
of pairs; ``MASH_BENCH_PAIRS=5000`` is the quick mode.
"""

from __future__ import annotations

import io
import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from mash.people.cli import run as run_command
from mash.people.matching import match, match_mappings, person_from_mapping

SEED = 20230501
PAIRS = int(os.environ.get("MASH_BENCH_PAIRS", "50000"))
ROUNDS = 3
TARGET_RATE = 5_600

GIVEN = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Oliver",
    "George",
    "Harry",
    "Noah",
    "Jack",
    "Robert",
    "Alfred",
    "Katherine",
    "Emily",
    "Sophie",
    "Thomas",
    "William",
    "Grace",
]
SHORT = {
    "Olivia": "Livvy",
    "Robert": "Bob",
    "Alfred": "Alfie",
    "Katherine": "Kate",
    "Thomas": "Tom",
    "William": "Will",
    "Oliver": "Ollie",
}
FAMILY = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Hughes",
    "Price",
    "Morgan",
    "Powell",
    "Lewis",
    "Edwards",
    "Roberts",
]
STREETS = ["Mill Lane", "Broad Street", "Church Road", "Station Road", "Bath Street"]


def _nhs(rng: random.Random) -> str:
    while True:
        nine = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, nine)) + str(check)


def _person(rng: random.Random) -> dict[str, Any]:
    year = rng.randint(2005, 2024)
    person: dict[str, Any] = {
        "given_name": rng.choice(GIVEN),
        "family_name": rng.choice(FAMILY),
        "date_of_birth": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "sex": rng.choice(["female", "male", None]),
    }
    if rng.random() < 0.5:
        person["nhs_number"] = _nhs(rng)
    if rng.random() < 0.6:
        person["postcode"] = f"HR{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}Z"
        person["address"] = f"{rng.randint(1, 99)} {rng.choice(STREETS)}, Hereford"
    return person


def _variant(rng: random.Random, person: dict[str, Any]) -> dict[str, Any]:
    """The same child recorded again, with the slips the contract lists."""
    other = dict(person)
    change = rng.randrange(7)
    if change == 0:
        other["given_name"] = SHORT.get(person["given_name"], person["given_name"])
    elif change == 1:
        name = person["family_name"]
        i = rng.randrange(len(name) - 1)
        other["family_name"] = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    elif change == 2:
        other["family_name"] = person["family_name"] + "-" + rng.choice(FAMILY)
    elif change == 3:
        y, m, d = person["date_of_birth"].split("-")
        if int(d) <= 12:
            other["date_of_birth"] = f"{y}-{d}-{m}"
    elif change == 4:
        other["date_of_birth"] = None
        other["birth_year"] = int(person["date_of_birth"][:4])
    elif change == 5:
        other.pop("nhs_number", None)
        other["other_names"] = [f"{person['given_name']} {rng.choice(FAMILY)}"]
    return other


def generate(count: int, seed: int = SEED) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``count`` pairs: a third the same child recorded again with a variation, two thirds
    two children drawn from the same small pools of common names (many near misses)."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        a = _person(rng)
        b = _variant(rng, a) if rng.random() < 1 / 3 else _person(rng)
        pairs.append((a, b))
    return pairs


def _best_rate(
    work: dict[str, Callable[[], None]], count: int, rounds: int = ROUNDS
) -> dict[str, float]:
    best = {name: float("inf") for name in work}
    for _ in range(rounds):
        for name, fn in work.items():
            started = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: count / seconds for name, seconds in best.items()}


def run() -> bool:
    pairs = generate(PAIRS)
    prepared = [(person_from_mapping(a), person_from_mapping(b)) for a, b in pairs]
    for a, b in prepared:  # normalise once, as the index does for its new person
        match(a, b)
    text = "".join(json.dumps({"id": i, "a": a, "b": b}) + "\n" for i, (a, b) in enumerate(pairs))

    def read_and_match() -> None:
        for a, b in pairs:
            match_mappings(a, b)

    def match_prepared() -> None:
        for a, b in prepared:
            match(a, b)

    def command() -> None:
        run_command(io.StringIO(text), io.StringIO())

    rates = _best_rate(
        {"read+match": read_and_match, "match (prepared)": match_prepared, "command": command},
        len(pairs),
    )
    classes = Counter(match_mappings(a, b).match for a, b in pairs)
    print(
        f"{len(pairs):,} generated pairs (seed {SEED}): "
        + ", ".join(f"{name} {classes[name]:,}" for name in ("match", "possible", "no_match"))
    )
    for name, rate in rates.items():
        print(f"{name:>17}: {rate:>10,.0f} pairs/s  ({1e6 / rate:.1f} µs each)")
    ratio = rates["match (prepared)"] / rates["read+match"]
    print(f"prepared / read+match rate: {ratio:.2f}")
    met = rates["read+match"] >= TARGET_RATE
    print(f"target read+match >= {TARGET_RATE:,} pairs/s: {'met' if met else 'MISSED'}")
    return met
