"""Limits checked on JSON text before it is parsed (pure Python, no Django).

Python's JSON parser recurses once per nested array or object, so a 2 KB body of
``[`` x 1000 then ``]`` x 1000 reaches the interpreter's recursion limit, and a model
validating what was parsed recurses again. The nesting is counted here first, without
parsing: strings are skipped (a bracket inside a string is text), and every other
bracket moves the depth. Counting stops at the first level over the limit.
"""

from __future__ import annotations

import re

# No question, consent record or other body the hub takes comes near this deep.
MAX_DEPTH = 32

# A JSON string, written so that a long one is matched without backtracking.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def nesting_depth_exceeds(text: str | bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether ``text`` nests arrays and objects more than ``limit`` levels deep.
    Text that is not JSON is not judged here (the parser says what is wrong with it)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b"", data)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def too_deep_message(limit: int = MAX_DEPTH) -> str:
    return f"is nested too deeply: at most {limit} levels of arrays and objects"
