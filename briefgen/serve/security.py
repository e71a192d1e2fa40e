"""What the preview server may answer: which Host headers, which files.

A page on any web site can make the browser talk to a server on 127.0.0.1
by pointing its own domain name there (DNS rebinding); such requests carry
that domain in their Host header, so only this server's own names and IP
literals are accepted. File lookups decode the URL once, refuse `..`,
NUL bytes and backslashes outright, and then check that the resolved path,
symlinks followed, still lies inside the output folder.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes


def is_loopback(host: str) -> bool:
    """True for names and addresses that only this machine can reach."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def split_host_header(value: str) -> tuple[str, int | None] | None:
    """`name[:port]` or `[v6]:port` into (name, port); None when malformed."""
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else None
    else:
        if value.count(":") > 1:
            return None  # a bare IPv6 address must be bracketed in a Host header
        name, _, port_text = value.partition(":")
        port_text = port_text if ":" in value else None
    if not name:
        return None
    if port_text is None:
        return name.rstrip(".").lower(), None
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return name.rstrip(".").lower(), int(port_text)


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class HostPolicy:
    """The Host header values this server answers.

    Its bound name, `localhost`, and IP literals such as 127.0.0.1 and
    [::1], with or without a port: an IP literal cannot be rebound, so
    allowing them lets a server bound with `--host 0.0.0.0` be reached by
    its LAN address. Any other name is refused.
    """

    bound_host: str

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        parsed = split_host_header(header)
        if parsed is None:
            return False
        name, _ = parsed
        own = self.bound_host.strip("[]").rstrip(".").lower()
        return name in (own, "localhost") or _is_ip_literal(name)


def site_path(site_dir: Path, url_path: str) -> Path | None:
    """The file or folder under `site_dir` that a raw (percent-encoded) URL path names.

    None when the path is malformed, climbs with `..` (plain or encoded),
    holds NUL bytes or backslashes, does not exist, or resolves, through a
    symlink, to somewhere outside `site_dir`.
    """
    if not url_path.startswith("/"):
        return None
    try:
        decoded = unquote_to_bytes(url_path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [part for part in decoded.split("/") if part]
    if any(part in (".", "..") for part in parts):
        return None
    root = site_dir.resolve()
    try:
        target = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None  # missing, a symlink loop, or a name the OS refuses
    if not target.is_relative_to(root):
        return None
    return target
