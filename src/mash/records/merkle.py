"""A Merkle tree over the record's entries, as RFC 6962 / RFC 9162 logs build it.

Pure Python (no Django), shared by the checkpoint signer, ``mash records prove`` and the
standalone verifier (``proof_verifier.py``, which repeats the few lines it needs).

- Leaf ``i`` (entry ``i + 1``) hashes ``SHA-256(0x00 || canonical bytes of the entry)``
  (``mash.records.chain``: the bytes whose SHA-256 is the entry's own ``hash``).
- An inner node hashes ``SHA-256(0x01 || left || right)``; a tree of ``n`` leaves splits
  at the largest power of two below ``n`` (RFC 9162, 2.1.1).

Each signed checkpoint carries the root of the tree over entries ``1..seq`` and its
*frontier* (the roots of the perfect subtrees along the right edge, one per set bit of
``seq``, largest first), so the next checkpoint extends the tree with the new entries
only. An inclusion proof (RFC 9162, 2.1.3) shows one entry is in a signed tree with
about log2(n) hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


class Frontier:
    """The right edge of a tree being built leaf by leaf: (height, hash) per perfect
    subtree, largest first."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        heights = [bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1]
        if len(heights) != len(hashes):
            raise ValueError("a frontier needs one hash per set bit of its size")
        self.size = size
        self.stack: list[tuple[int, bytes]] = list(zip(heights, hashes, strict=True))

    def append(self, leaf: bytes) -> None:
        height, node = 0, leaf
        stack = self.stack
        while stack and stack[-1][0] == height:
            _height, left = stack.pop()
            node = node_hash(left, node)
            height += 1
        stack.append((height, node))
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        for leaf in leaves:
            self.append(leaf)

    @property
    def hashes(self) -> list[bytes]:
        return [node for _height, node in self.stack]

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        root = self.stack[-1][1]
        for _height, node in reversed(self.stack[:-1]):
            root = node_hash(node, root)
        return root


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def tree_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) by the RFC's definition (the slow, obvious one; tests hold ``Frontier``
    to it)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _largest_power_of_two_below(len(leaves))
    return node_hash(tree_root(leaves[:k]), tree_root(leaves[k:]))


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162, 2.1.3.1: the audit path of leaf ``index``."""
    if not 0 <= index < len(leaves):
        raise ValueError("no such leaf")
    lo, hi = 0, len(leaves)
    # Walk down from the root, collecting the sibling subtree's root at each level.
    siblings: list[bytes] = []
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            siblings.append(_range_root(leaves, lo + k, hi))
            hi = lo + k
        else:
            siblings.append(_range_root(leaves, lo, lo + k))
            lo = lo + k
    return list(reversed(siblings))


def _range_root(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    frontier = Frontier()
    frontier.extend(leaves[lo:hi])
    return frontier.root()


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162, 2.1.3.2: does ``path`` prove leaf ``index`` in the tree of ``size``
    leaves with ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_path(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162, 2.1.4.1: that the tree of the first ``first`` leaves
    is a prefix of the tree of all of ``leaves``."""
    if not 0 < first <= len(leaves):
        raise ValueError("the first tree must have between 1 and n leaves")

    def subproof(m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [_range_root(leaves, lo, hi)]
        k = _largest_power_of_two_below(n)
        if m <= k:
            return [*subproof(m, lo, lo + k, whole), _range_root(leaves, lo + k, hi)]
        return [*subproof(m - k, lo + k, hi, False), _range_root(leaves, lo, lo + k)]

    return subproof(first, 0, len(leaves), True)


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """RFC 9162, 2.1.4.2: does ``path`` prove the tree of ``first`` leaves with
    ``first_root`` is a prefix of the tree of ``second`` leaves with ``second_root``?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    proof = list(path)
    if first & (first - 1) == 0:  # a power of two: the first root is a node of the path
        proof.insert(0, first_root)
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
