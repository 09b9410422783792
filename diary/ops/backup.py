"""Backups that are safe while the server runs, and restoring them.

SQLite: the online backup API copies a consistent snapshot page by page while writers go
on. PostgreSQL: pg_dump (custom format) and pg_restore, with the client programs of the
installed PostgreSQL.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from diary.db import db, is_sqlite


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def postgres_program(name: str) -> str:
    """The newest installed pg_dump or pg_restore."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return found[-1]
    program = shutil.which(name)
    if program is None:
        raise BackupError(f"{name} was not found; install PostgreSQL's client programs")
    return program


def _run(command: list[str], stdout=None) -> None:
    result = subprocess.run(
        command,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def _private_file(path: Path) -> int:
    """Open a new, empty file that only its owner can read (0600, whatever the umask)."""
    path.unlink(missing_ok=True)  # a leftover from a run that died; it may have other permissions
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def backup(path: Path, database_url: str) -> None:
    """Write a backup of the live database to path, readable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written beside the target and renamed into place: a backup that failed half-way never
    # takes the name of a good one.
    partial = path.with_name(path.name + ".partial")
    fd = _private_file(partial)
    try:
        if is_sqlite():
            os.close(fd)
            target = sqlite3.connect(partial)
            try:
                db.connection().backup(target)
            finally:
                target.close()
        else:
            with os.fdopen(fd, "wb") as out:
                _run([postgres_program("pg_dump"), "--format=custom", "--no-owner", database_url], stdout=out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)


def restore(path: Path, database_url: str) -> None:
    """Replace the database's contents with a backup (stop the server first)."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    if is_sqlite():
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not a sound SQLite database")
            source.backup(db.connection())
        finally:
            source.close()
    else:
        _run(
            [
                postgres_program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={database_url}",
                str(path),
            ]
        )
