"""A Merkle tree over the record (RFC 6962 / 9162): checkpoints sign its root, ``mash
records prove N`` prints an inclusion proof, and the standalone verifier checks it
without the hub."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mash.records import merkle, proof_verifier
from mash.records.models import Checkpoint, RecordEntry
from mash.records.services import sign_checkpoint
from tests.records.helpers import fill, run_records, without_triggers


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"entry {i}".encode()) for i in range(n)]


def test_the_frontier_gives_the_rfc_root_however_the_tree_is_built() -> None:
    assert merkle.Frontier().root() == hashlib.sha256(b"").digest()
    for n in range(0, 40):
        leaves = _leaves(n)
        whole = merkle.Frontier()
        whole.extend(leaves)
        assert whole.root() == merkle.tree_root(leaves), n
        for cut in range(0, n + 1, 7):  # restored from a checkpoint, then extended
            part = merkle.Frontier()
            part.extend(leaves[:cut])
            resumed = merkle.Frontier(part.size, part.hashes)
            resumed.extend(leaves[cut:])
            assert resumed.root() == whole.root()


def test_every_leaf_has_an_inclusion_proof_and_a_wrong_one_fails() -> None:
    for n in range(1, 24):
        leaves = _leaves(n)
        root = merkle.tree_root(leaves)
        for index in range(n):
            path = merkle.inclusion_path(index, leaves)
            assert len(path) <= (n - 1).bit_length()
            assert merkle.verify_inclusion(index, n, leaves[index], path, root)
            assert proof_verifier.inclusion_holds(index, n, leaves[index], path, root)
            other = leaves[(index + 1) % n]
            assert n == 1 or not merkle.verify_inclusion(index, n, other, path, root)
            assert n == 1 or not merkle.verify_inclusion(
                (index + 1) % n, n, leaves[index], path, root
            )


def test_a_checkpoint_signs_the_root_and_the_next_one_extends_it(db: Any) -> None:
    fill(5)
    first, _ = sign_checkpoint()
    fill(6)
    second, _ = sign_checkpoint()
    statement = json.loads(second.statement)
    assert statement["tree_size"] == second.seq == 12
    rows = RecordEntry.objects.filter(seq__lte=12).order_by("seq")
    from mash.records.chain import FIELDS, canonical_bytes

    leaves = [
        merkle.leaf_hash(canonical_bytes({name: getattr(row, name) for name in FIELDS}))
        for row in rows
    ]
    assert statement["merkle_root"] == merkle.tree_root(leaves).hex()
    assert json.loads(first.statement)["tree_size"] == 5


@pytest.fixture
def proof_files(db: Any, tmp_path: Path) -> tuple[Path, Path]:
    fill(9)
    assert run_records("checkpoint")[0] == 0
    code, pem = run_records("public-key")
    public = tmp_path / "record.pub.pem"
    public.write_text(pem)
    code, output = run_records("prove", "4")
    assert code == 0, output
    proof = tmp_path / "proof.json"
    proof.write_text(output)
    return proof, public


def test_the_verifier_checks_a_proof_without_the_hub(
    proof_files: tuple[Path, Path], tmp_path: Path
) -> None:
    proof, public = proof_files
    document = json.loads(proof.read_text())
    assert document["entry"]["seq"] == 4 and document["tree_size"] == 9
    # A copy of the one file, run in isolation (no hub on its path).
    alone = tmp_path / "alone" / "proof_verifier.py"
    alone.parent.mkdir()
    shutil.copy(proof_verifier.__file__, alone)
    finished = subprocess.run(
        [sys.executable, "-I", str(alone), str(proof), str(public)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Proof verified: entry 4" in finished.stdout


def test_a_proof_of_an_altered_entry_or_under_another_key_fails(
    proof_files: tuple[Path, Path], tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    proof, public = proof_files
    document = json.loads(proof.read_text())
    assert proof_verifier.check(document, public.read_bytes()) is None
    altered = json.loads(proof.read_text())
    altered["entry"]["details"] = {"n": 99}
    assert "does not give the entry hash" in str(proof_verifier.check(altered, public.read_bytes()))
    rehashed = dict(altered)
    data = json.dumps(altered["entry"], sort_keys=True, separators=(",", ":")).encode()
    rehashed["entry_hash"] = hashlib.sha256(data).hexdigest()
    assert "does not lead to the signed Merkle root" in str(
        proof_verifier.check(rehashed, public.read_bytes())
    )
    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert "signature does not verify" in str(proof_verifier.check(document, other))
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(altered))
    assert proof_verifier.main([str(path), str(public)]) == 1


def test_no_proof_is_given_for_a_chain_that_no_longer_matches_its_root(db: Any) -> None:
    fill(6)
    assert run_records("prove", "2")[0] == 2  # no key yet to check a checkpoint with
    run_records("public-key")  # creates the hub's key
    code, output = run_records("prove", "2")
    assert code == 1 and "no signed checkpoint with a Merkle root covers entry 2" in output
    run_records("checkpoint")
    with without_triggers():
        RecordEntry.objects.filter(seq=3).update(details={"n": 0, "edited": True})
    code, output = run_records("prove", "2")
    assert code == 1 and "no longer matches the Merkle root" in output
    assert Checkpoint.objects.count() == 1


def test_every_prefix_has_a_consistency_proof_and_a_changed_one_fails() -> None:
    leaves = _leaves(33)
    for n in range(1, 33):
        for m in range(1, n + 1):
            path = merkle.consistency_path(m, leaves[:n])
            old, new = merkle.tree_root(leaves[:m]), merkle.tree_root(leaves[:n])
            assert merkle.verify_consistency(m, n, old, new, path), (m, n)
            assert proof_verifier.consistency_holds(m, n, old, new, path)
            if m < n:
                changed = merkle.tree_root([leaves[1], *leaves[1:m]])
                assert not merkle.verify_consistency(m, n, changed, new, path)


def test_two_checkpoints_prove_consistent_and_a_rewrite_between_them_is_refused(
    db: Any, tmp_path: Path
) -> None:
    fill(7)
    old = tmp_path / "old.json"
    assert run_records("checkpoint", "--out", str(old))[0] == 0
    fill(10)
    assert run_records("checkpoint")[0] == 0
    code, pem = run_records("public-key")
    public = tmp_path / "record.pub.pem"
    public.write_text(pem)
    code, output = run_records("prove-consistency", str(old))
    assert code == 0, output
    proof = tmp_path / "consistency.json"
    proof.write_text(output)
    assert proof_verifier.main([str(proof), str(public)]) == 0
    document = json.loads(output)
    assert (
        document["old"]["statement"]["tree_size"],
        document["new"]["statement"]["tree_size"],
    ) == (
        7,
        18,
    )
    forged = json.loads(output)
    forged["consistency_path"][0] = "00" * 32
    assert "does not extend the tree of 7" in str(proof_verifier.check(forged, public.read_bytes()))
    with without_triggers():
        RecordEntry.objects.filter(seq=2).update(details={"n": 0, "edited": True})
    code, output = run_records("prove-consistency", str(old))
    assert code == 1 and "no longer matches the Merkle root" in output
