"""Install the pinned Pagefind binary from the npm registry into the venv (called by `make`).

PyPI's newest Pagefind is 1.5.2; 1.6.0, published on npm only, scores a query's matches per page and answers
the broadest queries of a 10,000-record site two to four times faster (README, Performance). The binary is a
static build, so no Node.js is needed: the package's tarball is downloaded, checked against the pinned sha512
(npm's ``integrity``) and its one executable unpacked. On a platform without a pinned build nothing is installed
and the build uses PyPI's Pagefind (``python -m pagefind``), as it does outside ``make``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import platform
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "1.6.0"
REGISTRY = "https://registry.npmjs.org"
# `npm view @pagefind/<platform>@1.6.0 dist.integrity`
INTEGRITY = {
    "linux-x64": "sha512-IbMSx/+Vr/Xk0TTBlLkjgK+rvnbOXGmmb2/MKxQu99AR5DsqQoV3NKEA9PQz2tAhuCZjeD5xJBp4w5N5DHIC7Q==",
    "linux-arm64": "sha512-SLB2I+XqCZma8NvIGIH8nyKblgKIxw5PmqsVtofWOKxNHhEtOEsddbqU+hsrNcT3EV0faM6UmKDHVIxcPYq29w==",
    "darwin-x64": "sha512-rd3ZbtuxyYqjASKZAPuIV7eeQQHJ7VYpoNKKG8CvglaD3g30eT5Nb7XGNLYwVReBsCccpkURwrGwWjSwr8nyQQ==",
    "darwin-arm64": "sha512-611gl64aqN12UcMyKPtZ8+vRWBKlJFSh2JgO8uScxa1Eyjo1dXz9r4wZuRno0yCUE/KN0FauEoKZ3KEwUYHCCg==",
}
EXECUTABLE = "pagefind_extended"  # the only executable in the npm platform packages


def platform_key() -> str:
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower())
    return f"{sys.platform}-{machine}"  # linux-x64, darwin-arm64, …: npm's names


def installed_version(binary: Path) -> str | None:
    if not binary.is_file():
        return None
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip().removeprefix("pagefind ") or None


def install(target: Path) -> str:
    """Put Pagefind ``VERSION`` at ``target/EXECUTABLE``; say what was done."""
    key = platform_key()
    if key not in INTEGRITY:
        return f"Pagefind {VERSION}: no pinned build for {key}; the build uses Pagefind from PyPI"
    binary = target / EXECUTABLE
    if installed_version(binary) == VERSION:
        return f"Pagefind {VERSION}: installed"
    url = f"{REGISTRY}/@pagefind/{key}/-/{key}-{VERSION}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # a fixed https address
            data = response.read()
    except OSError as error:  # offline, a proxy in the way: the build runs PyPI's Pagefind, and says so
        return (
            f"Warnung: Pagefind {VERSION} not downloaded ({error}); the build uses Pagefind from PyPI. "
            f"To try again: python scripts/pagefind_npm.py {target}"
        )
    algorithm, _, expected = INTEGRITY[key].partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        raise SystemExit(f"{url}: checksum differs from the pinned one: not installed")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile(f"package/bin/{EXECUTABLE}")
        if member is None:
            raise SystemExit(f"{url}: no package/bin/{EXECUTABLE} in it")
        partial = binary.with_name(binary.name + ".part")
        partial.write_bytes(member.read())
    partial.chmod(0o755)
    os.replace(partial, binary)
    if installed_version(binary) != VERSION:
        binary.unlink()
        raise SystemExit(f"{binary}: does not run as Pagefind {VERSION}: removed")
    return f"Pagefind {VERSION}: installed from {url}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: pagefind_npm.py VENV_BIN_DIR")
    print(install(Path(sys.argv[1])))
