"""A throwaway PostgreSQL cluster for the test suite, made from the installed binaries.

initdb refuses to run as root, so as root the cluster belongs to the postgres user and
every server command runs through runuser.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class ClusterUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed, or the cluster would not start."""


def find_bindir() -> Path:
    """The newest installed PostgreSQL server bin folder (Debian's layout first)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise ClusterUnavailable("PostgreSQL's initdb was not found (Debian package postgresql-15)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    folder: Path
    port: int
    bindir: Path
    as_postgres: bool

    @property
    def url(self) -> str:
        return f"postgresql://diary@127.0.0.1:{self.port}/diary_test"

    def run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise ClusterUnavailable(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    """Create and start a cluster on a free loopback port, with a database diary_test."""
    bindir = find_bindir()
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="diary-pg-"))
    if as_postgres:
        shutil.chown(folder, user="postgres", group="postgres")
    cluster = Cluster(folder=folder, port=free_port(), bindir=bindir, as_postgres=as_postgres)
    try:
        cluster.run(
            "initdb",
            "-D",
            str(folder / "data"),
            "-U",
            "diary",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        cluster.run(
            "pg_ctl",
            "-D",
            str(folder / "data"),
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "-w",
            "start",
        )
        cluster.run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "diary", "diary_test")
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster
