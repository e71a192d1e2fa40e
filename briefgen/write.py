"""Write a built site: only changed files, stale files removed, all or nothing.

Every path is checked to stay inside the output folder before anything is
written. Changed files are first written beside their targets under
temporary names; only when all of them are on disk are they renamed into
place, and only then are stale files removed. A failure before that point
removes the temporary files and leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.errors import BuildError
from briefgen.render import OutputFile

TEMP_SUFFIX = ".briefgen-tmp"
PROTECTED_NAMES = ("site.yaml", "content", ".git", "pyproject.toml")


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def check_output_dir(out_dir: Path, root: Path) -> None:
    """Refuse an output folder whose stale-file removal could destroy a user's work."""
    out = out_dir.resolve()
    site = root.resolve()
    if out == site or site.is_relative_to(out):
        raise BuildError(f"output folder {out_dir} contains the site itself; choose another")
    if out.is_dir():
        for name in PROTECTED_NAMES:
            if (out / name).exists():
                raise BuildError(
                    f"output folder {out_dir} holds '{name}', so it is not a build output; "
                    "briefgen removes files it did not produce there, so it refuses to use it"
                )


def validate_paths(out_dir: Path, files: Sequence[OutputFile]) -> None:
    """Every path relative, inside `out_dir` once resolved, and produced once only."""
    root = out_dir.resolve()
    seen: set[str] = set()
    for file in files:
        pure = PurePosixPath(file.path)
        if (
            not file.path
            or pure.is_absolute()
            or any(part in ("", ".", "..") for part in file.path.split("/"))
            or "\\" in file.path
            or "\x00" in file.path
        ):
            raise BuildError(f"refusing to write '{file.path}': not a plain relative path")
        if not (root / file.path).resolve().is_relative_to(root):
            raise BuildError(f"refusing to write '{file.path}': it resolves outside {out_dir}")
        if file.path in seen:
            raise BuildError(f"two outputs claim the same file '{file.path}'")
        seen.add(file.path)


def write_site(out_dir: Path, files: Sequence[OutputFile], keep: Collection[str] = ()) -> WriteStats:
    """Make `out_dir` hold exactly `files` plus the already correct files named in `keep`."""
    validate_paths(out_dir, files)
    if not out_dir.exists():
        return _write_fresh(out_dir, files)
    existing = _existing_files(out_dir)
    kept = set(keep) & existing
    if len(kept) != len(keep):
        raise BuildError("internal error: a file to keep is missing from the output")
    if any(_blocked(out_dir, f.path, existing) for f in files):
        return _swap_whole(out_dir, files) if not keep else _refuse_swap()
    changed = [f for f in files if not _same(out_dir / f.path, f.data)]
    _commit(out_dir, changed)
    stale = sorted(existing - {f.path for f in files} - kept)
    for path in stale:
        (out_dir / path).unlink()
    _remove_empty_dirs(out_dir, stale)
    return WriteStats(len(changed), len(files) - len(changed) + len(kept), len(stale))


class SwapNeeded(BuildError):
    """The output's shape changed (a file where a folder was); rebuild without kept files."""


def _refuse_swap() -> WriteStats:
    raise SwapNeeded("the output folder's layout changed; a full rewrite is needed")


def _write_fresh(out_dir: Path, files: Sequence[OutputFile]) -> WriteStats:
    """No previous output: build a sibling folder and rename it into place."""
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    try:
        _write_all(staging, files)
        staging.rename(out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"could not write {out_dir}: {exc}") from exc
    return WriteStats(len(files), 0, 0)


def _swap_whole(out_dir: Path, files: Sequence[OutputFile]) -> WriteStats:
    """A file must replace a folder (or the reverse): build anew, then swap the folders."""
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    try:
        _write_all(staging, files)
        out_dir.rename(retired)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"could not write {out_dir}: {exc}") from exc
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return WriteStats(len(files), 0, 0)


def _write_all(folder: Path, files: Sequence[OutputFile]) -> None:
    made: set[Path] = set()
    for file in files:
        target = folder / file.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(file.data)


def _commit(out_dir: Path, changed: Sequence[OutputFile]) -> None:
    """Write every changed file under a temporary name, then rename them all into place."""
    temps: list[tuple[Path, Path]] = []
    created_dirs: list[Path] = []
    try:
        for file in changed:
            target = out_dir / file.path
            created_dirs.extend(_make_parents(target.parent, out_dir))
            temp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
            temp.write_bytes(file.data)
            temps.append((temp, target))
    except OSError as exc:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        for folder in reversed(created_dirs):
            folder.rmdir()
        raise BuildError(f"could not write {out_dir}, previous output kept: {exc}") from exc
    for temp, target in temps:
        temp.replace(target)


def _make_parents(folder: Path, out_dir: Path) -> list[Path]:
    """mkdir -p, returning the folders it created (outermost first)."""
    missing: list[Path] = []
    while not folder.is_dir() and folder != out_dir:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _existing_files(out_dir: Path) -> set[str]:
    found: set[str] = set()
    stack = [out_dir]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    found.add(Path(entry.path).relative_to(out_dir).as_posix())
    return found


def _blocked(out_dir: Path, path: str, existing: set[str]) -> bool:
    """True when an existing file stands where a folder must go, or a folder where a file must."""
    target = out_dir / path
    if target.is_dir() and not target.is_symlink():
        return True
    parents = PurePosixPath(path).parents
    return any(str(parent) in existing for parent in parents if str(parent) != ".")


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _remove_empty_dirs(out_dir: Path, removed: Sequence[str]) -> None:
    folders = {(out_dir / p).parent for p in removed}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != out_dir and folder.is_relative_to(out_dir):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
