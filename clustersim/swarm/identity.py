"""The IDs of swarm objects (swarmkit's ``identity`` package), made without randomness.

swarmkit gives every object a random 25-character ID (``identity.NewID()``: 128 random bits
in base 36); here an ID is a digest of what the object is (:func:`object_id`), so that runs
repeat and the simulator's seeded random stream is not touched. A service's ID is fixed by
its name and by how many services of that name were created before it
(:func:`service_id`): a service removed and created again (``docker stack rm``, then
``deploy``) is a new object with a new ID, as in swarmkit, and its tasks are told apart from
the removed one's by it.
"""

from __future__ import annotations

import hashlib

__all__ = ["object_id", "service_id"]


def object_id(kind: str, name: str) -> str:
    """A 25-character ID in swarmkit's alphabet (digits and lower-case letters), fixed by
    ``kind`` and ``name``."""
    digest = int(hashlib.sha256(f"{kind}/{name}".encode()).hexdigest(), 16)
    alphabet, out = "0123456789abcdefghijklmnopqrstuvwxyz", ""
    for _ in range(25):
        digest, digit = divmod(digest, 36)
        out += alphabet[digit]
    return out


def service_id(name: str, created_before: int) -> str:
    """The ID of a service named ``name`` when ``created_before`` services of that name were
    created before it (the first keeps the ID fixed by its name alone)."""
    return object_id("service", name if not created_before else f"{name}#{created_before + 1}")
