"""Check an inclusion proof of the MASH hub's record without the hub.

Standalone: the Python standard library and ``cryptography`` (for Ed25519) only, no
Django and nothing else of the hub, so an auditor can copy this one file::

    mash records prove 1234 > proof.json                # on the hub
    python proof_verifier.py proof.json record.pub.pem  # anywhere

For an inclusion proof (``mash records prove N``) it checks that

1. the checkpoint in the proof was signed by the key in ``record.pub.pem`` (Ed25519
   over the statement as compact JSON with sorted keys);
2. the entry, encoded as the hub encodes it (compact JSON, sorted keys, UTF-8), hashes
   to the entry hash given (SHA-256), and
3. the audit path leads from that entry's leaf, ``SHA-256(0x00 || entry)``, to the
   signed Merkle root (inner nodes ``SHA-256(0x01 || left || right)``; RFC 9162,
   2.1.3.2), for the tree size the checkpoint signed.

For a consistency proof (``mash records prove-consistency OLD.json``) it checks both
checkpoints' signatures and that the consistency path shows the older tree is a prefix
of the newer (RFC 9162, 2.1.4.2): nothing the older checkpoint covered was changed,
removed or reordered since.

Exit 0 and "proof verified" when all hold; 1, naming what failed, otherwise; 2 when the
files cannot be read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from typing import Any


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_holds(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_holds(
    first: int, second: int, first_root: bytes, second_root: bytes, path: list[bytes]
) -> bool:
    """RFC 9162, 2.1.4.2."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    proof = list(path)
    if first & (first - 1) == 0:
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
            fr = _node(c, fr)
            sr = _node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def _signature_problem(checkpoint: dict[str, Any], public_pem: bytes) -> str | None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        return "the public key is not Ed25519"
    statement = checkpoint["statement"]
    signed = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    try:
        key.verify(base64.b64decode(checkpoint["signature"], validate=True), signed)
    except InvalidSignature:
        return f"the checkpoint at entry {statement.get('seq')}'s signature does not verify"
    return None


def check_consistency(proof: dict[str, Any], public_pem: bytes) -> str | None:
    """None when the consistency proof holds, else what fails."""
    try:
        old, new = proof["old"], proof["new"]
        first, second = int(old["statement"]["tree_size"]), int(new["statement"]["tree_size"])
        first_root = bytes.fromhex(old["statement"]["merkle_root"])
        second_root = bytes.fromhex(new["statement"]["merkle_root"])
        path = [bytes.fromhex(node) for node in proof["consistency_path"]]
        problems = [_signature_problem(old, public_pem), _signature_problem(new, public_pem)]
    except (KeyError, TypeError, ValueError) as error:
        return f"not a well-formed proof ({error})"
    for problem in problems:
        if problem is not None:
            return problem
    if not consistency_holds(first, second, first_root, second_root, path):
        return (
            f"the tree of {second} entries does not extend the tree of {first}: entries "
            "the older checkpoint covered were changed, removed or reordered"
        )
    return None


def check(proof: dict[str, Any], public_pem: bytes) -> str | None:
    """None when the proof holds, else what fails."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    if isinstance(proof, dict) and proof.get("type") == "mash.record.consistency_proof":
        return check_consistency(proof, public_pem)
    try:
        checkpoint = proof["checkpoint"]
        statement = checkpoint["statement"]
        signature = base64.b64decode(checkpoint["signature"], validate=True)
        entry = proof["entry"]
        index = int(proof["leaf_index"])
        size = int(proof["tree_size"])
        path = [bytes.fromhex(node) for node in proof["audit_path"]]
        root = bytes.fromhex(statement["merkle_root"])
    except (KeyError, TypeError, ValueError) as error:
        return f"not a well-formed proof ({error})"
    key = load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        return "the public key is not Ed25519"
    signed = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        return "the checkpoint's signature does not verify with this key"
    if int(statement.get("tree_size", -1)) != size:
        return "the proof's tree size is not the one the checkpoint signed"
    data = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    if hashlib.sha256(data).hexdigest() != proof.get("entry_hash"):
        return "the entry does not give the entry hash in the proof"
    if entry.get("seq") != index + 1:
        return "the entry's number is not the leaf the proof is for"
    leaf = hashlib.sha256(b"\x00" + data).digest()
    if not inclusion_holds(index, size, leaf, path, root):
        return "the audit path does not lead to the signed Merkle root"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: proof_verifier.py PROOF.json PUBLIC_KEY.pem", file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as handle:
            proof = json.load(handle)
        with open(argv[1], "rb") as handle:
            pem = handle.read()
    except (OSError, ValueError) as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return 2
    try:
        problem = check(proof, pem)
    except ValueError as error:  # an unreadable key
        problem = f"the public key cannot be read ({error})"
    if problem is not None:
        print(f"Proof FAILED: {problem}.")
        return 1
    if proof.get("type") == "mash.record.consistency_proof":
        old, new = proof["old"]["statement"], proof["new"]["statement"]
        print(
            f"Proof verified: the record as signed at {new['at']} ({new['tree_size']} "
            f"entries) extends the record as signed at {old['at']} ({old['tree_size']} "
            "entries) unchanged."
        )
        return 0
    statement = proof["checkpoint"]["statement"]
    print(
        f"Proof verified: entry {proof['entry']['seq']} ({proof['entry']['action']}, "
        f"{proof['entry']['at']}) is in the record as signed at {statement['at']} "
        f"(tree of {statement['tree_size']} entries, root {statement['merkle_root']})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
