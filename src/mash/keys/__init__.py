"""Encryption at rest: envelope encryption of the narrative fields and files.

A data key per enquiry (AES-256-GCM) encrypts that enquiry's narrative text and consent
evidence; each data key is stored wrapped (encrypted) by a master key that never enters
the database (``mash.keys.keyring``). Destroying an enquiry's data key makes its content
unreadable (crypto-shredding, ``mash.keys.services.destroy_enquiry_key``); ``mash keys
rotate`` re-wraps every data key under a new master key. See docs/security.md,
"Encryption at rest", and docs/decisions/0003-encryption.md.
"""
