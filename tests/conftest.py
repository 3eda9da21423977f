"""Shared fixtures: the ../shared corpus and schema, one Pipeline per session, a local HTTP
server, and helpers to run the CLI in-process (CliRunner) or as a real process.

Test modules must not `import conftest` (other conftest.py files under tests/ shadow the name):
they use the fixtures, and compute corpus paths from their own __file__ for parametrization."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
DEV = SHARED / "corpus" / "dev"
SCHEMA_PATH = SHARED / "schema" / "analysis.schema.json"
FOUNDATION = Path(__file__).resolve().parent / "data" / "foundation"
CLAIMSCOPE = Path(sys.executable).parent / "claimscope"

SEED_FILES = sorted(SEEDS.glob("*.txt"))
DEV_FILES = sorted(DEV.glob("*.txt"))

# CI always has ../shared next to the checkout: fail loudly instead of skipping.
assert SEED_FILES and DEV_FILES and SCHEMA_PATH.is_file(), f"missing shared corpus/schema in {SHARED}"


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


@pytest.fixture(scope="session")
def validator(schema):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture(scope="session")
def pipeline():
    from claimscope.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def analyze_text(pipeline):
    """Run the whole pipeline on a plain text (or HTML with media_type='text/html')."""
    from claimscope.model import RawDocument

    def run(text: str, media_type: str = "text/plain", source: str = "test", **meta):
        return pipeline.analyze(RawDocument(source, text=text, media_type=media_type, meta=meta))

    return run


# ---------------------------------------------------------------- CLI helpers

@pytest.fixture()
def cli():
    """Invoke `claimscope` in-process; returns the click Result (stdout and stderr kept apart)."""
    from typer.testing import CliRunner

    from claimscope.cli import app

    runner = CliRunner()  # click >= 8.2 always keeps result.stderr separate

    def invoke(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=True)

    return invoke


def run_claimscope(*args: str, input: bytes | None = None, cwd: Path | None = None,
                   timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `claimscope` entry point (goes through cli.main: exit codes, one-line errors)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "200"}
    return subprocess.run([str(CLAIMSCOPE), *map(str, args)], input=input, capture_output=True,
                          cwd=cwd, timeout=timeout, env=env)


@pytest.fixture(scope="session")
def claimscope_proc():
    """`run_claimscope(*args, input=None)`: the real entry point in a subprocess."""
    return run_claimscope


# ---------------------------------------------------------------- local HTTP server

TEXT_BODY = ("The Coordination Council of Belarus fully supports the people of Ukraine.\n\n"
             "We call on the governments of all countries to provide Ukraine with assistance.\n")
HTML_BODY = """<!DOCTYPE html>
<html><head><title>Council backs Ukraine</title>
<meta name="author" content="Jan Kowalski"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">All News</a></li></ul></nav>
<article><h1>Council backs Ukraine</h1>
<p>The Coordination Council of Belarus fully supports the government and the people of independent
Ukraine in their decisive fight against the aggressor. The Council said so in a statement on Friday.</p>
<p>We call on the governments of all countries to provide Ukraine with all necessary assistance,
including weapons, to fight off the Russian invaders, the Council added in the same statement.</p>
</article><footer>Copyright 2023 Example News</footer></body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/plain; charset=utf-8", **headers):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):  # noqa: N802
        path = self.path.split("?")[0]
        if path == "/text":
            self._send(200, TEXT_BODY.encode())
        elif path == "/page.html":
            self._send(200, HTML_BODY.encode(), "text/html; charset=utf-8")
        elif path == "/redirect":
            self._send(302, b"", Location="/text")
        elif path == "/loop":
            n = int(self.path.split("n=")[1]) if "n=" in self.path else 0
            self._send(302, b"", Location=f"/loop?n={n + 1}")
        elif path == "/to-ftp":
            self._send(302, b"", Location="ftp://127.0.0.1/file.txt")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, TEXT_BODY.encode())
        elif path == "/big":
            self._send(200, b"Lorem ipsum dolor sit amet. " * 40_000)  # ~1.1 MB
        else:
            self._send(404, b"not found")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients hang up on /slow and /big
        pass


@pytest.fixture(scope="session")
def served() -> dict[str, str]:
    """The bodies the local server sends for /text and /page.html."""
    return {"text": TEXT_BODY, "html": HTML_BODY}


@pytest.fixture(scope="session")
def http_server():
    """Base URL of a local server: /text /page.html /redirect /loop /to-ftp /slow /big, else 404."""
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- a throw-away PostgreSQL server

def _pg_bindir() -> Path | None:
    """Directory of initdb/pg_ctl: Debian's /usr/lib/postgresql/<version>/bin (newest), or PATH."""
    import shutil

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PgCluster:
    """A PostgreSQL cluster initdb'd in a temp dir, listening on a Unix socket there only.
    PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user."""

    def __init__(self, bindir: Path):
        import pwd
        import shutil
        import tempfile

        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="cs-pg-"))  # short: the socket path is limited
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.dir, ignore_errors=True)
                raise RuntimeError("running as root and there is no `postgres` user to run the server as")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups"]
        self.user = "postgres" if self.as_user else None
        self._run("initdb", "-D", self.data, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
                  "-U", "postgres", timeout=120)
        options = (f"-k {self.dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
                   " -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", self.data, "-w", "-t", "60", "-o", options, "-l", self.dir / "log", "start",
                  timeout=90)

    def _run(self, tool: str, *args, timeout: float) -> None:
        cmd = [*self.as_user, str(self.bindir / tool), *map(str, args)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "LC_ALL": "C.UTF-8"})
        if proc.returncode != 0:
            log = (self.dir / "log").read_text(errors="replace") if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{tool} failed ({proc.returncode}): {proc.stderr.strip()}\n{log[-2000:]}")

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@/{dbname}?host={self.dir}"

    def admin(self):
        import psycopg

        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import uuid

        name = "t_" + uuid.uuid4().hex[:12]
        with self.admin() as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        from urllib.parse import urlsplit

        name = urlsplit(url).path.lstrip("/")
        with self.admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        import shutil

        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    """A running throw-away PostgreSQL server (skips when the binaries are missing, unless
    CLAIMSCOPE_REQUIRE_PG=1, as in CI, where that is a failure)."""
    bindir = _pg_bindir()
    if bindir is None:
        reason = ("PostgreSQL server binaries not found (Debian: apt-get install postgresql, or "
                  "scripts/system-deps.sh)")
        if os.environ.get("CLAIMSCOPE_REQUIRE_PG") == "1":
            pytest.fail(reason + " and CLAIMSCOPE_REQUIRE_PG=1")
        pytest.skip(reason)
    cluster = PgCluster(bindir)
    yield cluster
    cluster.stop()


@pytest.fixture()
def pg_url(pg_cluster):
    """A fresh, empty database on the test server; dropped afterwards."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


def copy_store(source: str | Path, target: str) -> str:
    """Every document of one store into another (e.g. a built SQLite store into PostgreSQL)."""
    from claimscope.serialize import from_analysis
    from claimscope.store import Store, iter_analyses, open_reader

    reader = open_reader(source)
    docs = [from_analysis(a) for a in iter_analyses(reader)]
    reader.close()
    with Store(target) as store:
        store.add_many(docs)
    return target


@pytest.fixture(scope="session")
def store_copier():
    """`copy_store(source, target)`: every document of one store into another."""
    return copy_store


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request, tmp_path) -> str:
    """Where a test's store lives: a SQLite file, then a PostgreSQL database (both backends)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_url")
