"""Secrets handed out once (invitation links, API keys, integration keys): only their hash is
stored, so a copy of the database gives nobody a working key."""

from __future__ import annotations

import hashlib


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
