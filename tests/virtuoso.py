"""A private Virtuoso Open Source 7 server for tests and benchmarks.

    from tests.virtuoso import running_virtuoso

    with running_virtuoso(tmp_folder) as endpoint:
        endpoint.query_url    # SPARQL 1.1 query endpoint, anonymous: http://127.0.0.1:<port>/sparql
        endpoint.update_url   # SPARQL 1.1 update endpoint, HTTP digest auth: …/sparql-auth
        endpoint.graphs_url   # SPARQL 1.1 Graph Store Protocol endpoint, digest auth: …/sparql-graph-crud-auth
        endpoint.user, endpoint.password   # the account allowed to update (SPARQL_UPDATE)
        endpoint.settings()   # the KG_ environment settings that point the service at it

The server gets a fresh `virtuoso.ini` and database in `folder`, listens on free
loopback ports only (SQL and HTTP), and is stopped (and its files kept for a look)
when the block ends. Started again on the same folder and ports, it serves the
data it had. Defaults that would silently shorten answers are lifted:
`ResultSetMaxRows` is larger than any answer the service keeps, and neither
`MaxQueryExecutionTime` nor `MaxQueryCostEstimationTime` cuts or refuses a query on
the server's own (the service keeps its deadline itself). Virtuoso's own graphs are
private (graph-level security), so anonymous queries see only the data's graphs.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.service.live import free_port

BINARY = "virtuoso-t"
ISQL = "isql-vt"
VAD = Path("/usr/share/virtuoso-opensource-7/vad")
USER = "kg_loader"
PASSWORD = "kg-loader-secret-51c2"
DBA_PASSWORD = "dba"  # the fresh database's default; the server listens on loopback only
RESULT_ROWS = 10_000_000

_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = {folder}
VADInstallDir = {vad}/
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 512M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/vsp
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0
HTTPProxyEnabled = 0
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
DefaultGraph =
"""

# Virtuoso's own graphs (its RDF views' metadata, LDP terms, its service description).
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
PRIVATE = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"  # Virtuoso's graph group for private graphs

_PRIVATE_GRAPHS = "".join(f"DB.DBA.RDF_GRAPH_GROUP_INS('{PRIVATE}', '{graph}');\n" for graph in SYSTEM_GRAPHS)

# The account that loads; and graph-level security, so that anonymous queries (`nobody`)
# read every graph but the server's own: the default graph is then the union of the data's
# graphs, as on the embedded store. Once graph security is in use, the loader's rights on
# the graphs are stated too (15: read, write, sponge, list).
_SETUP = f"""\
DB.DBA.USER_CREATE('{USER}', '{PASSWORD}');
GRANT SPARQL_UPDATE TO "{USER}";
DB.DBA.RDF_GRAPH_GROUP_CREATE('{PRIVATE}', 1);
{_PRIVATE_GRAPHS}DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{USER}', 15);
"""


@dataclass(frozen=True)
class Endpoint:
    """A running Virtuoso: where to query and update it, and the account that may update."""

    query_url: str
    update_url: str
    graphs_url: str
    user: str
    password: str
    folder: Path
    http_port: int
    sql_port: int

    def settings(self) -> dict[str, str]:
        """Keyword settings for `tests.service.live.running` (KG_STORE, KG_STORE_UPDATE, …)."""
        return {
            "store": self.query_url,
            "store_update": self.update_url,
            "store_graphs": self.graphs_url,
            "store_user": self.user,
            "store_password": self.password,
        }


def binary() -> str:
    """The path of `virtuoso-t`; a clear failure when the package is not installed."""
    path = shutil.which(BINARY)
    if path is None:
        raise RuntimeError(
            f"{BINARY} not found: install Virtuoso with `make install` "
            "(apt-get install virtuoso-opensource) to run the remote-store tests"
        )
    return path


@contextmanager
def running_virtuoso(
    folder: Path, *, http_port: int | None = None, sql_port: int | None = None, start_timeout: float = 120
) -> Iterator[Endpoint]:
    """Start Virtuoso on the database in `folder` (new if absent), yield its `Endpoint`, stop it.

    The ports are free loopback ports unless given (to start a stopped server again where it was).
    """
    executable = binary()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    http_port, sql_port = http_port or free_port(), sql_port or free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _INI.format(folder=folder, sql_port=sql_port, http_port=http_port, vad=VAD, rows=RESULT_ROWS),
        encoding="utf-8",
    )
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen([executable, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=log, stderr=log)
    endpoint = Endpoint(
        query_url=f"http://127.0.0.1:{http_port}/sparql",
        update_url=f"http://127.0.0.1:{http_port}/sparql-auth",
        graphs_url=f"http://127.0.0.1:{http_port}/sparql-graph-crud-auth",
        user=USER,
        password=PASSWORD,
        folder=folder,
        http_port=http_port,
        sql_port=sql_port,
    )
    try:
        _wait_until_ready(endpoint, process, start_timeout)
        if "kg_loader" not in _isql(endpoint, f"SELECT U_NAME FROM DB.DBA.SYS_USERS WHERE U_NAME = '{USER}';\n"):
            _isql(endpoint, _SETUP)
        yield endpoint
    finally:
        _stop(endpoint, process)
        log.close()


def _isql(endpoint: Endpoint, script: str) -> str:
    """Run SQL statements as `dba` with `isql-vt`; raise with its output when one fails."""
    command = [ISQL, f"127.0.0.1:{endpoint.sql_port}", "dba", DBA_PASSWORD, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"]
    done = subprocess.run(command, input=script, capture_output=True, text=True, timeout=60, check=False)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output:
        raise RuntimeError(f"isql failed:\n{output}")
    return output


def _wait_until_ready(endpoint: Endpoint, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    probe = {"query": "ASK {}"}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Virtuoso exited with {process.returncode}:\n{_log(endpoint)}")
        try:
            if httpx.get(endpoint.query_url, params=probe, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Virtuoso did not start in {timeout:g} s:\n{_log(endpoint)}")


def _stop(endpoint: Endpoint, process: subprocess.Popen[bytes]) -> None:
    """Shut the server down (SQL `shutdown`), or terminate it when that fails."""
    if process.poll() is None:
        try:
            _isql(endpoint, "shutdown;\n")
        except (RuntimeError, subprocess.TimeoutExpired, OSError):
            process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _log(endpoint: Endpoint) -> str:
    path = endpoint.folder / "virtuoso.log"
    return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"
