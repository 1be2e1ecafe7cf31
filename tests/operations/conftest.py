"""The tests' own PostgreSQL server, to stop, start and dump (docs/OPERATIONS.md). scripts/test.sh exports
TEST_PG_DATA (the server's data directory) and TEST_PG_BIN (its binaries) for the PostgreSQL run."""

import os
import shlex
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

DEBIAN_PG_BIN = "/usr/lib/postgresql/15/bin"


def as_server_user(command):
    """The server runs as postgres when the tests run as root (scripts/throwaway-postgres.sh)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{shlex.join(map(str, command))}: {result.stdout}{result.stderr}"
    return result


class PostgresServer:
    """The PostgreSQL server the tests run on."""

    def __init__(self, data, bin_dir):
        self.data, self.bin_dir = Path(data), Path(bin_dir)
        # Started again with the options it was started with (its port, socket directory …), as pg_ctl restart does.
        options = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        at = options.index("-D")
        self.options = shlex.join(options[:at] + options[at + 2 :])

    def pg_ctl(self, *args):
        run(as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args]), stdin=subprocess.DEVNULL)

    def stop(self):
        self.pg_ctl("-m", "fast", "-w", "stop")

    def start(self):
        self.pg_ctl("-l", str(self.data / "restarted.log"), "-o", self.options, "-w", "start")

    @contextmanager
    def stopped(self):
        """Stops the server, and starts it again whatever happens meanwhile."""
        self.stop()
        try:
            yield
        finally:
            self.start()


def environment(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: these tests stop, start and dump the tests' PostgreSQL server, and need "
            "TEST_PG_DATA (its data directory) and TEST_PG_BIN (its binaries), as scripts/test.sh exports them"
        )
    return value


@pytest.fixture
def postgres_server():
    yield PostgresServer(environment("TEST_PG_DATA"), environment("TEST_PG_BIN"))
    # The test's connections that a stop ended are closed, so the test database's teardown opens new ones.
    for connection in connections.all(initialized_only=True):
        connection.close()


@pytest.fixture
def pg_bin():
    """pg_dump, pg_restore and psql, of the server's version."""
    bin_dir = Path(os.environ.get("TEST_PG_BIN") or DEBIAN_PG_BIN)
    if not (bin_dir / "pg_dump").exists():
        pytest.fail(f"no pg_dump in {bin_dir}: set TEST_PG_BIN or install Debian's postgresql-client-15")
    return bin_dir
