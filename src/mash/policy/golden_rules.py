"""The guidance's seven golden rules, in its own words and under its own heading.

The rules are read from the text of the version of the guidance in force (a hub that
loads a newer version gets that version's rules); when a text has no such section the
built-in version's rules answer, so the page never goes empty. Pure Python: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION = "7 Golden Rules"
"""The section of the guidance the rules are under, as the guidance names it."""

GOLDEN_RULES: tuple[str, ...] = (
    "GDPR and DPA 2018 is not a barrier to sharing information.",
    "Be Open and Honest.",
    "Seek Advice.",
    "Share with Consent where appropriate.",
    "Consider Safety & Wellbeing.",
    "Necessary, Proportionate, Relevant, Accurate, Timely and Secure",
    "Keep a Record",
)
"""The rules of version 4 (May 2023), word for word."""

_NUMBERED = re.compile(r"^\s*(\d+)\.\s+(.+?)\s*$")


@dataclass(frozen=True, slots=True)
class GoldenRules:
    section: str
    rules: tuple[str, ...]


def golden_rules(text: str) -> GoldenRules:
    """The numbered rules under the "7 Golden Rules" heading of ``text``; the built-in
    rules when the text has no such section (or not seven numbered rules under it)."""
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if line.strip().lower() != SECTION.lower():
            continue
        rules: list[str] = []
        for following in lines[start + 1 :]:
            if not following.strip():
                if rules:
                    break
                continue
            match = _NUMBERED.match(following)
            if match is None or int(match.group(1)) != len(rules) + 1:
                break
            rules.append(match.group(2))
        if len(rules) == len(GOLDEN_RULES):
            return GoldenRules(section=line.strip(), rules=tuple(rules))
    return GoldenRules(section=SECTION, rules=GOLDEN_RULES)
