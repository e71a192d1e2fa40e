"""Write a built site: only changed files, stale files removed, all or nothing.

Writing is a transaction. `begin` checks every path (inside the output
folder, claimed once) and looks at what is there. `stage` then puts each
file's new bytes on disk without touching the old output: into a staging
folder when there is no output yet, else beside its target under a
temporary name, and only when the bytes differ. Staging is safe to run in
worker processes. `commit` renames the staged files into place and removes
stale files; `rollback` removes what was staged, leaving the previous output
exactly as it was. A commit keeps each previous file (swapped into the spare
folder, below, or else hard-linked under a temporary name) until every move
is made: when one fails, it undoes the others, so a failed commit too leaves
the previous output as it was. Temporary files
that a killed build left in the output are never taken for outputs; the next
commit removes them.

A file that replaces one already there is staged in the spare folder beside
the output (`.build.briefgen-spare/` for `build/`, at the same relative
path) and swapped into place (`renameat2` with `RENAME_EXCHANGE`): the old
copy moves to the spare folder, whose next build writes over it in place.
So a build that rewrites every page (a template edit) frees no file: on
ext4 without a journal, replacing 14,000 files by renaming cost 3 to 4 s
of commit and slowed every file created for minutes after, like a mass
delete. The spare folder holds at most one old copy of each output file;
deleting it is safe whenever no build runs. Where the swap is not
available (not Linux, another file system, a file system without it),
files are staged beside their targets as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import shutil
import stat
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from briefgen.errors import BuildError
from briefgen.render import OutputFile

TEMP_SUFFIX = ".briefgen-tmp"
ASIDE_SUFFIX = ".briefgen-old"  # the previous copy of a file while a commit may still undo
SPARE_SUFFIX = ".briefgen-spare"
# The names of briefgen's own temporary files inside an output (`.index.html.briefgen-tmp`):
# never an output, whatever a killed build left in them.
LEFTOVER_SUFFIXES = (TEMP_SUFFIX, ASIDE_SUFFIX)
# What a build puts beside the output `build/` for a while, named after its process:
# `.build.briefgen-staging-PID/`, `.build.briefgen-old-PID/`, `.build.briefgen-probe-PID-a`
# (and, from older versions, `.build.staging-PID/` and `.build.old-PID/`).
BESIDE_OUTPUT = re.compile(r"(?:briefgen-staging|briefgen-old|staging|old)-([0-9]+)"
                           r"|briefgen-probe-([0-9]+)-[ab]")
PROTECTED_NAMES = ("site.yaml", "content", ".git", ".hg", ".svn", ".briefgen-cache", "pyproject.toml",
                   "setup.py", "package.json")


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


class SwapNeeded(BuildError):
    """The output's shape changed (a file where a folder was); rebuild without kept files."""


@dataclass(frozen=True)
class Transaction:
    """One build's write. `staging` is set when the output folder is new (or replaced);
    `spare` where replaced files are staged, when they can be swapped into place;
    `leftovers` the temporary files of killed builds found in the output, removed at commit."""

    out_dir: Path
    paths: frozenset[str]
    keep: frozenset[str]
    existing: frozenset[str]
    staging: Path | None
    new_dirs: tuple[Path, ...]
    spare: Path | None = None
    leftovers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OutputScan:
    """What an output folder holds, as relative paths: its files (a symlink counts as a
    file) with their size and mtime, its folders, the symlinks that point at folders, and
    the temporary files that killed builds left (`is_leftover`), which are not among its files."""

    files: dict[str, tuple[int, int]]
    folders: set[str]
    links: set[str]
    leftovers: set[str]


def scan_output(out_dir: Path) -> OutputScan:
    """One walk of the output folder (empty when there is none); a build looks at it once."""
    scan = OutputScan({}, set(), set(), set())
    if not out_dir.is_dir():
        return scan
    start = len(str(out_dir)) + 1
    stack = [str(out_dir)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                relative = entry.path[start:]
                if entry.is_dir(follow_symlinks=False):
                    scan.folders.add(relative)
                    stack.append(entry.path)
                    continue
                if is_leftover(entry.name):
                    scan.leftovers.add(relative)
                    continue
                try:
                    stat = entry.stat()
                except OSError:  # a dangling symlink
                    stat = entry.stat(follow_symlinks=False)
                scan.files[relative] = (stat.st_size, stat.st_mtime_ns)
                if entry.is_symlink() and entry.is_dir():
                    scan.links.add(relative)
    return scan


def is_leftover(name: str) -> bool:
    """Whether a file's name is one of briefgen's temporary names inside an output. A build
    killed halfway leaves such files (its forked workers may even finish staging after it
    died): they are never kept nor taken for outputs, and the next commit removes them."""
    return name.startswith(".") and name.endswith(LEFTOVER_SUFFIXES)


def file_state(path: Path) -> tuple[int, int]:
    """(size, mtime) as `scan_output` records it."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def check_output_dir(out_dir: Path, root: Path, sources: Collection[str] = ()) -> None:
    """Refuse an output folder whose stale-file removal could destroy a user's work: one
    that holds the site, one inside the site's `sources` (names in the site folder:
    content/, templates/, static/, the cache) or inside a hidden folder of the site
    (.git/), or one that holds what a project or a site holds (`PROTECTED_NAMES`)."""
    out = out_dir.resolve()
    site = root.resolve()
    if out == site or site.is_relative_to(out):
        raise BuildError(f"output folder {out_dir} contains the site itself; choose another")
    if out.is_relative_to(site):
        top = out.relative_to(site).parts[0]
        if top in sources or top.startswith("."):
            raise BuildError(
                f"output folder {out_dir} is inside the site's {top}; briefgen removes files it "
                "did not produce there, so it refuses to use it: choose another (the default is build/)"
            )
    if out.is_dir():
        for name in PROTECTED_NAMES:
            if (out / name).exists():
                raise BuildError(
                    f"output folder {out_dir} holds '{name}', so it is not a build output; "
                    "briefgen removes files it did not produce there, so it refuses to use it"
                )


def validate_paths(out_dir: Path, files: Sequence[OutputFile]) -> None:
    """Every path relative, inside `out_dir` once resolved, and produced once only."""
    _validate(out_dir, [f.path for f in files], scan_output(out_dir).links)


def _validate(out_dir: Path, paths: Iterable[str], links: set[str]) -> None:
    """Plain relative paths, each claimed once; a path through a symlinked folder must
    still resolve inside `out_dir` (the only way a plain path can leave it)."""
    root = out_dir.resolve()
    seen: set[str] = set()
    for path in paths:
        if (
            not path
            or path.startswith("/")
            or any(part in ("", ".", "..") for part in path.split("/"))
            or "\\" in path
            or "\x00" in path
        ):
            raise BuildError(f"refusing to write '{path}': not a plain relative path")
        if links and any(str(parent) in links for parent in PurePosixPath(path).parents) and \
                not (root / path).resolve().is_relative_to(root):
            raise BuildError(f"refusing to write '{path}': it resolves outside {out_dir}")
        if path in seen:
            raise BuildError(f"two outputs claim the same file '{path}'")
        seen.add(path)


def begin(out_dir: Path, paths: Collection[str], keep: Collection[str] = (),
          scan: OutputScan | None = None, outer: Path | None = None) -> Transaction:
    """Plan a write of `paths` (to be staged) while the files in `keep` stay as they are;
    `scan` is the output folder as the build found it (looked at again when not given).
    `outer`: the output folder that `out_dir` is a folder of, whose spare folder holds
    this one's.

    Raises `SwapNeeded` when kept files would have to move to a new folder.
    """
    if not out_dir.exists():
        _validate(out_dir, [*paths, *keep], set())
        return Transaction(out_dir, frozenset(paths), frozenset(), frozenset(),
                           _fresh_staging(out_dir), ())
    scan = scan if scan is not None else scan_output(out_dir)
    existing, folders = set(scan.files), scan.folders
    _validate(out_dir, [*paths, *keep], scan.links)
    if not set(keep) <= existing:
        raise BuildError("internal error: a file to keep is missing from the output")
    if any(_blocked(out_dir, path, existing, folders) for path in paths):
        if keep:
            raise SwapNeeded("the output folder's layout changed; a full rewrite is needed")
        return Transaction(out_dir, frozenset(paths), frozenset(), frozenset(existing),
                           _fresh_staging(out_dir), ())
    missing: set[str] = set()
    for folder in {path.rpartition("/")[0] for path in paths}:
        while folder and folder not in folders and folder not in missing:
            missing.add(folder)
            folder = folder.rpartition("/")[0]
    new_dirs = sorted(missing, key=lambda d: d.count("/"))
    spare = spare_folder(out_dir) if outer is None else spare_folder(outer, out_dir.relative_to(outer))
    return Transaction(out_dir, frozenset(paths), frozenset(keep), frozenset(existing), None,
                       tuple(out_dir / d for d in new_dirs), spare, frozenset(scan.leftovers))


def begin_replace(out_dir: Path, paths: Collection[str]) -> Transaction:
    """A write that only replaces files known to exist (no look at the rest of the folder)."""
    _validate(out_dir, paths, set())
    root = out_dir.resolve()
    for path in paths:
        if not (out_dir / path).resolve().is_relative_to(root):
            raise BuildError(f"refusing to write '{path}': it resolves outside {out_dir}")
    existing = frozenset(paths)
    return Transaction(out_dir, existing, frozenset(), existing, None, ())


def stage(tx: Transaction, file: OutputFile) -> bool:
    """Put `file` on disk for `tx`, without touching the live output; False when unchanged."""
    try:
        if tx.staging is not None:
            target = tx.staging / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.data)
            return True
        target = tx.out_dir / file.path
        if file.path in tx.existing:
            if _same(target, file.data):
                return False
            if tx.spare is not None:
                try:
                    _overwrite(tx.spare / file.path, file.data, tx.spare)
                except OSError as exc:
                    raise BuildError(f"could not write {tx.out_dir / file.path}, previous output kept: "
                                     f"{exc} (the spare folder {tx.spare} holds old copies only: "
                                     "delete it and build again)") from exc
                return True
        target.parent.mkdir(parents=True, exist_ok=True)
        _temp(target).write_bytes(file.data)
        return True
    except OSError as exc:
        raise BuildError(f"could not write {tx.out_dir / file.path}, previous output kept: {exc}") from exc


def commit(tx: Transaction, changed: Collection[str]) -> WriteStats:
    """Make the staged files live and remove stale ones, all or nothing.

    Each move is recorded with how to take it back. When one fails (a file or folder
    that may not change: permissions, a read-only mount, `chattr +i`), or the build is
    interrupted, the moves made are undone in reverse, what was staged is removed, and
    the error names the file and says whether the output is as it was.
    """
    moves = _Moves()
    try:
        if tx.staging is not None:
            return _commit_folder(tx, moves)
        return _commit_files(tx, changed, moves)
    except BaseException as exc:
        left = _undo(moves)
        rollback(tx)
        if isinstance(exc, OSError):
            raise _failed(tx, moves, exc, left) from exc
        raise


class _Move(NamedTuple):
    """One move of a commit: `kind` says how `target` changed and `other` where the
    previous file (or folder) went."""

    kind: str  # "swapped", "replaced", "new", "removed" or "retired"
    target: Path
    other: Path | None = None


@dataclass
class _Moves:
    """The moves a commit made, in order, and the one it is making (`doing`, a template
    for the error message: formatted only if it fails, not once per file)."""

    done: list[_Move] = field(default_factory=list)
    doing: tuple[str, Path | None] = ("", None)


def _commit_files(tx: Transaction, changed: Collection[str], moves: _Moves) -> WriteStats:
    """Each staged file into place (swapped, or renamed over its previous copy, kept aside
    until the end), then each stale file aside; only once every move is made are the
    copies aside removed."""
    for path in sorted(changed):
        target = tx.out_dir / path
        moves.doing = ("put {} in place", target)
        if path not in tx.existing:
            _rename(_temp(target), target)
            moves.done.append(_Move("new", target))
            continue
        staged = tx.spare / path if tx.spare is not None else _temp(target)
        if tx.spare is not None and _exchanged(staged, target):
            moves.done.append(_Move("swapped", target, staged))
            continue
        aside = _replace_keeping(staged, target)  # None: the file was gone, this one is new
        moves.done.append(_Move("replaced", target, aside) if aside is not None else _Move("new", target))
    stale = sorted(tx.existing - tx.paths - tx.keep)
    for path in stale:
        target = tx.out_dir / path
        moves.doing = ("remove the stale file {}", target)
        _rename(target, _aside(target))
        moves.done.append(_Move("removed", target, _aside(target)))
    _remove_asides(moves.done)
    _remove_leftovers(tx)
    _remove_empty_dirs(tx.out_dir, [*stale, *tx.leftovers])
    return WriteStats(len(changed), len(tx.paths) - len(changed) + len(tx.keep), len(stale))


def _commit_folder(tx: Transaction, moves: _Moves) -> WriteStats:
    """The staging folder into the output's place; the previous output (moved aside first)
    is removed once it is there."""
    assert tx.staging is not None
    real = tx.out_dir.resolve()  # a symlinked output stays a symlink, to the new folder
    retired = real.with_name(f".{real.name}.briefgen-old-{os.getpid()}")
    if real.exists():
        moves.doing = ("move the previous output {} aside", real)
        _clear(retired)
        _rename(real, retired)
        moves.done.append(_Move("retired", real, retired))
    moves.doing = ("put the new output in place at {}", real)
    _rename(tx.staging, real)
    shutil.rmtree(retired, ignore_errors=True)
    return WriteStats(len(tx.paths), 0, len(tx.existing - tx.paths))


def _replace_keeping(staged: Path, target: Path) -> Path | None:
    """`staged` renamed over `target`, whose previous copy stays under the name returned
    (None when `target` was gone): hard-linked, so that `target` is never missing while
    the preview serves it, or moved aside where the file system has no hard links."""
    aside = _aside(target)
    try:
        _link_aside(target, aside)
        linked = True
    except FileNotFoundError:  # removed since the build looked: nothing to keep
        _rename(staged, target)
        return None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
            raise
        _rename(target, aside)  # fails in turn where `target` may not change at all
        linked = False
    try:
        _rename(staged, target)
    except BaseException:
        if linked:
            aside.unlink(missing_ok=True)
        else:
            _rename(aside, target)
        raise
    return aside


def _link_aside(target: Path, aside: Path) -> None:
    try:
        _link(target, aside)
    except FileExistsError:  # a killed build's copy, which the commit removes anyway
        aside.unlink()
        _link(target, aside)


def _undo(moves: _Moves) -> list[str]:
    """Take back `moves`, last first; what could not be, as the state it leaves."""
    left: list[str] = []
    for move in reversed(moves.done):
        try:
            _undo_move(move)
        except OSError as exc:
            left.append(_state(move, exc))
    return left


def _undo_move(move: _Move) -> None:
    if move.kind == "new":
        move.target.unlink()
    elif move.kind == "swapped":
        assert move.other is not None
        if not _exchanged(move.other, move.target):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(move.target))
    else:
        assert move.other is not None
        _rename(move.other, move.target)


def _state(move: _Move, exc: OSError) -> str:
    """Where `move` left things, when it could not be undone."""
    reason = exc.strerror or str(exc)
    if move.kind == "new":
        return f"{move.target} is new ({reason})"
    if move.kind == "removed":
        return f"{move.target} was removed, its copy is {move.other} ({reason})"
    if move.kind == "retired":
        return f"the previous output is at {move.other}: rename it back to {move.target} ({reason})"
    return f"{move.target} holds the new version, the previous one is {move.other} ({reason})"


def _failed(tx: Transaction, moves: _Moves, exc: OSError, left: list[str]) -> BuildError:
    reason = exc.strerror or str(exc)
    if left:
        outcome = "the output folder could not be put back entirely: " + "; ".join(left)
    else:
        outcome = "the output folder was put back as it was"
    doing = moves.doing[0].format(moves.doing[1])
    return BuildError(f"could not {doing}: {reason}; {outcome} (check that {tx.out_dir} and "
                      "what it holds may be changed: permissions, a read-only mount, an immutable "
                      "file or folder as `lsattr` shows)")


def rollback(tx: Transaction) -> None:
    """Remove everything `stage` may have put on disk for `tx`."""
    if tx.staging is not None:
        shutil.rmtree(tx.staging, ignore_errors=True)
        return
    for path in tx.paths:
        _temp(tx.out_dir / path).unlink(missing_ok=True)
    for folder in reversed(tx.new_dirs):
        with contextlib.suppress(OSError):  # not empty: something else lives there
            folder.rmdir()


def _remove_asides(done: Sequence[_Move]) -> None:
    """Remove the previous copies of a commit that succeeded. One that cannot be removed is
    left: it has a temporary name (`is_leftover`), and the next build tries again."""
    for move in done:
        if move.kind in ("replaced", "removed") and move.other is not None:
            with contextlib.suppress(OSError):
                move.other.unlink(missing_ok=True)


def _remove_leftovers(tx: Transaction) -> None:
    """Remove the temporary files of killed builds (one this build staged under the same
    name is already in place). One that cannot be removed is left: no build takes it for
    an output, and the next one tries again."""
    for path in tx.leftovers:
        with contextlib.suppress(OSError):
            (tx.out_dir / path).unlink(missing_ok=True)


def write_site(out_dir: Path, files: Sequence[OutputFile], keep: Collection[str] = (),
               outer: Path | None = None) -> WriteStats:
    """Make `out_dir` hold exactly `files` plus the already correct files named in `keep`
    (`outer`: as `begin` takes it)."""
    tx = begin(out_dir, [f.path for f in files], keep, outer=outer)
    try:
        changed = [f.path for f in files if stage(tx, f)]
    except BaseException:
        rollback(tx)
        raise
    return commit(tx, changed)


def remove_dead_leftovers(out_dir: Path) -> None:
    """Remove what builds killed halfway left beside `out_dir` (`BESIDE_OUTPUT`): a first
    build's staging folder holds a partial site, which nothing else would ever remove.

    Only names of briefgen's own, and only those of a process that is gone: the caller
    holds the lock of the folder they are in, so no build of this output runs, and the
    workers of a killed one (which share its lock) have ended. When there is nothing to
    remove, this costs one listing of that folder.
    """
    real = out_dir.resolve()
    prefix = f".{real.name}."
    try:
        with os.scandir(real.parent) as entries:
            names = [entry.name for entry in entries if entry.name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        owner = BESIDE_OUTPUT.fullmatch(name[len(prefix):])
        if owner is not None and not _running(int(owner[1] or owner[2])):
            with contextlib.suppress(OSError):  # removed by the next build, then
                _clear(real.parent / name)


def _running(pid: int) -> bool:
    """Whether process `pid` exists (this one does; so does one of another user's)."""
    if pid <= 0:
        return True  # not a process id: not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def spare_folder(out_dir: Path, inner: Path | str = "") -> Path | None:
    """The spare folder of `out_dir` (made when a file is first staged there), or of its folder
    `inner`; None where files cannot be swapped there: another file system, or no
    `RENAME_EXCHANGE`, or it may not be written. It stands beside the folder that
    `out_dir` names (`--output ..`, a symlink), never inside it."""
    out_dir = out_dir.resolve()
    spare = out_dir.with_name(f".{out_dir.name}{SPARE_SUFFIX}")
    try:
        device = out_dir.stat().st_dev
        if (spare if spare.exists() else spare.parent).stat().st_dev != device:
            return None
    except OSError:
        return None
    if spare.exists() and not os.access(spare, os.W_OK | os.X_OK):
        return None
    works = _swaps.get(device)
    if works is None:
        works = _swap_works(out_dir.with_name(f".{out_dir.name}.briefgen-probe-{os.getpid()}"))
        if works is not None:
            _swaps[device] = works
    return spare / inner if works else None


_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100
_swaps: dict[int, bool] = {}  # by device: whether files there can be swapped


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    try:
        call: Callable[..., int] = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # not glibc 2.28+ (or not Linux)
        return None
    return call


def _exchanged(a: Path, b: Path) -> bool:
    """Swap `a` and `b` atomically; False when the system or file system cannot."""
    call = _renameat2()
    return call is not None and call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                                     _RENAME_EXCHANGE) == 0


def _swap_works(probe: Path) -> bool | None:
    """Whether two files beside `probe` (removed after) can be swapped; None when they could
    not be written to find out."""
    a, b = probe.with_name(probe.name + "-a"), probe.with_name(probe.name + "-b")
    try:
        a.write_bytes(b"a")
        b.write_bytes(b"b")
        return _exchanged(a, b) and a.read_bytes() == b"b"
    except OSError:
        return None
    finally:
        a.unlink(missing_ok=True)
        b.unlink(missing_ok=True)


def _rename(source: Path, target: Path) -> None:
    """`source` renamed over `target`: the one call of a commit's plain renames."""
    source.replace(target)


def _link(source: Path, link: Path) -> None:
    """A hard link `link` to `source`: the one call that keeps a commit's previous copies."""
    os.link(source, link, follow_symlinks=False)


def _overwrite(path: Path, data: bytes, spare: Path) -> None:
    """`data` written into the spare file at `path`, in place (its inode and blocks reused).

    Only a plain file of this user's, linked nowhere else, is written into; anything else
    there (a symlink, which could point anywhere; a copy hard-linked elsewhere; a file it
    may not write) is removed and the file made anew. A reused file gets the mode a new
    one would have, as a clean build gives.
    """
    try:
        fd = _open_spare(path)
    except OSError:  # its folder is missing, or something of an older layout is in the way
        _clear_way(path, spare)
        fd = _open_spare(path)
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_nlink > 1 or found.st_uid != os.geteuid():
            os.close(fd)
            fd = -1
            path.unlink()
            fd = _open_spare(path)
            found = os.fstat(fd)
        if stat.S_IMODE(found.st_mode) != _new_file_mode():
            os.fchmod(fd, _new_file_mode())
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(data))
    finally:
        if fd >= 0:
            os.close(fd)


def _open_spare(path: Path) -> int:
    """The spare file at `path` opened for writing (made if missing), never through a symlink
    and never blocking on a FIFO; one it may not write, or a symlink, is removed first."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        return os.open(path, flags, 0o666)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.EACCES, errno.EPERM, errno.ENXIO):
            raise
    path.unlink()
    return os.open(path, flags, 0o666)


@functools.cache
def _new_file_mode() -> int:
    """The mode a file made now gets: 0o666 less the umask (read once per process)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _clear_way(path: Path, spare: Path) -> None:
    """Make room for the file `path` in the spare folder: what is there is only old copies."""
    for parent in reversed(path.relative_to(spare).parents):
        folder = spare / parent
        if folder.is_file() or folder.is_symlink():
            folder.unlink(missing_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)


def _staging(out_dir: Path) -> Path:
    """Beside the folder that `out_dir` names (`--output ..`, a symlink), never inside it."""
    real = out_dir.resolve()
    return real.with_name(f".{real.name}.briefgen-staging-{os.getpid()}")


def _fresh_staging(out_dir: Path) -> Path:
    """`_staging`, emptied of what a killed build left there: process ids come round again
    (a container's build often has the same one), and its files must not be published."""
    staging = _staging(out_dir)
    _clear(staging)
    return staging


def _clear(path: Path) -> None:
    """Nothing at `path` any more (a folder, a file or a symlink)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _temp(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_SUFFIX}")


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}{ASIDE_SUFFIX}")


def _blocked(out_dir: Path, path: str, existing: set[str], folders: set[str]) -> bool:
    """True when a folder stands where a file must go, or a file where a folder must."""
    if path in existing:  # a file there already: its parents are folders
        return False
    if path in folders:
        return True
    return any(str(parent) in existing for parent in PurePosixPath(path).parents if str(parent) != ".")


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
