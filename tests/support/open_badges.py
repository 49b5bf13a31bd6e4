"""What the Open Badges tests need from outside: 1EdTech's OB 3.0 JSON Schema and the
independent verifier (Digital Bazaar's VC libraries, from the npm registry), each kept in
git-ignored folders under tests/verifier/ and never committed."""

from __future__ import annotations

import base64
import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

VERIFIER = Path(__file__).resolve().parent.parent / "verifier"
SCHEMA_NAME = "ob_v3p0_achievementcredential_schema.json"
# 1EdTech publishes it at purl.imsglobal.org; no package registry ships it, so a copy is
# placed here by hand (docs in tests/verifier/README.md) or named by TOUCHPOINT_OB3_SCHEMA.
SCHEMA_PATHS = [
    Path(os.environ.get("TOUCHPOINT_OB3_SCHEMA", "/nonexistent")),
    VERIFIER / "schemas" / SCHEMA_NAME,
    Path.home() / ".cache" / "touchpoint" / SCHEMA_NAME,
]


def achievement_credential_schema() -> dict[str, Any]:
    """1EdTech's AchievementCredential schema; the test skips (or, with
    TOUCHPOINT_REQUIRE_OB3_SCHEMA set, fails) when no copy is on the machine."""
    for path in SCHEMA_PATHS:
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    reason = (
        f"1EdTech's {SCHEMA_NAME} not found in {', '.join(str(p) for p in SCHEMA_PATHS[1:])} "
        "(see tests/verifier/README.md)"
    )
    if os.environ.get("TOUCHPOINT_REQUIRE_OB3_SCHEMA"):
        pytest.fail(reason)
    pytest.skip(reason)


def status_bit(encoded_list: str, index: int) -> bool:
    """The bit at `index` of a Bitstring Status List's encodedList (multibase base64url of
    the GZIP-compressed bits; index 0 is the first byte's most significant bit), read the
    way the W3C spec says, independently of the portal's own code."""
    assert encoded_list.startswith("u")
    data = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def node() -> str | None:
    return shutil.which("node")


def install_verifier() -> None:
    """`npm ci` into tests/verifier/node_modules (git-ignored) when it is missing or older
    than the lock file; the registry is the only network it needs."""
    modules = VERIFIER / "node_modules"
    lock = VERIFIER / "package-lock.json"
    stamp = modules / ".package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("node is installed but npm is not: cannot install the badge verifier")
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=VERIFIER,
        check=True,
    )


def verify_with_node(base_url: str, credentials: dict[str, Any]) -> dict[str, Any]:
    """Runs tests/verifier/verify.mjs on each credential (by name); it may reach only
    `base_url` (the live server on loopback). Returns its verdict per name."""
    node_path = node()
    assert node_path is not None
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [node_path, str(VERIFIER / "verify.mjs"), base_url],
        input=json.dumps(credentials),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
