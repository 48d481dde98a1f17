"""The person index: one child across enquiries, and person matching
(contracts/person-matching.md). ``matching`` and ``names`` are pure Python (no Django
import), so ``mash people match`` runs without a database."""
