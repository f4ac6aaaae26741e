"""Verksamhetsmått behind a real server: gunicorn with several worker processes on a
throwaway PostgreSQL cluster (started here the way scripts/test.sh does, and removed again).

Prints the server time per request (gunicorn's access log, %(D)s) of the month grid with 40
metrics and of a minimal logged-in page (the Excel export form: sign-in, role check, base
template, a small form) measured in the same run, their ratio (target ≤ 3), and the grid's
latency and throughput for 10 concurrent clients. Without PostgreSQL the bench is skipped
with the reason printed."""

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRID = "/verksamhetsmatt/manad/2024-09/VUX/"
MINIMAL = "/verksamhetsmatt/excel/export/"
WORKERS = 4
CLIENTS = 10
REQUESTS_PER_CLIENT = 20


def skip(reason: str) -> None:
    print(f"metrics_server_skipped: 1 ({reason})")
    sys.exit(0)


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    found = [p for p in found if os.access(p, os.X_OK)]
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary directory (owned by `postgres` when run as root:
    initdb refuses root)."""

    def __init__(self, bin_dir: Path, work: Path):
        self.bin = bin_dir
        self.data = work / "pg" / "data"
        self.socket_dir = work / "pg"
        self.port = free_port()
        self.as_pg: list[str] = []
        self.socket_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(
                    ["useradd", "--system", "--home-dir", str(self.socket_dir), "postgres"],
                    check=True,
                )
            shutil.chown(self.socket_dir, "postgres")
            os.chmod(work, 0o755)
            self.as_pg = ["runuser", "-u", "postgres", "--"]

    def run(self, *args: str) -> None:
        result = subprocess.run([*self.as_pg, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)

    def start(self) -> str:
        self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self.run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
            str(self.socket_dir / "server.log"), "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip
        self.run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
            "postgres", "solna_bench",
        )  # fmt: skip
        return f"postgres://postgres@127.0.0.1:{self.port}/solna_bench"

    def stop(self) -> None:
        subprocess.run(
            [*self.as_pg, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
             "stop"],
            capture_output=True,
        )  # fmt: skip


def prepare(database_url: str, var_dir: Path) -> str:
    """Migrate, load the demo, grow VUX to 40 metrics; return the controller's session id."""
    os.environ.update(DJANGO_ENV="test", DATABASE_URL=database_url, SOLNA_VAR_DIR=str(var_dir))
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solna_sn.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from metrics.models import Metric, MetricCategory
    from solna_sn.models import Unit, User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    category = MetricCategory.objects.get(code="VUXNA")
    unit = Unit.objects.get(code="VUX")
    existing = Metric.objects.filter(owner=unit).count()
    Metric.objects.bulk_create(
        Metric(
            code=f"BENCH{i}",
            category=category,
            title=f"Bänkmått {i}",
            measure_unit="antal",
            owner=unit,
            sort_order=1000 + i,
        )
        for i in range(40 - existing)
    )
    client = Client()
    client.force_login(User.objects.get(username="controller"))
    session = client.cookies["sessionid"].value
    connections.close_all()
    return session


def get(port: int, path: str, session: str) -> float:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return time.perf_counter() - start


def server_times(log: Path) -> dict[str, list[float]]:
    """Milliseconds per request and path from the access log ("<path> <status> <µs>")."""
    times: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            times.setdefault(parts[0], []).append(int(parts[2]) / 1000)
    return times


def main() -> None:
    bin_dir = pg_bin()
    if bin_dir is None:
        skip("PostgreSQL not installed: no /usr/lib/postgresql/*/bin/initdb")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        skip("gunicorn not installed in this environment")
    work = Path(tempfile.mkdtemp(prefix="solna-bench-server-"))
    cluster = Cluster(bin_dir, work)
    server = None
    try:
        try:
            database_url = cluster.start()
        except RuntimeError as error:
            skip(f"PostgreSQL did not start: {str(error).strip().splitlines()[-1:]}")
        session = prepare(database_url, work / "var")
        port = free_port()
        log = work / "access.log"
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "solna_sn.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--access-logfile",
                str(log),
                "--access-logformat",
                "%(U)s %(s)s %(D)s",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                get(port, MINIMAL, session)
                break
            except (OSError, RuntimeError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        for _ in range(WORKERS * 5):  # every worker imports and warms its templates
            get(port, GRID, session)
            get(port, MINIMAL, session)
        log.write_text("")  # gunicorn appends; start the count here

        for _ in range(60):  # one client, the two pages interleaved
            get(port, GRID, session)
            get(port, MINIMAL, session)
        time.sleep(0.5)
        sequential = server_times(log)
        grid_ms = statistics.median(sequential[GRID])
        minimal_ms = statistics.median(sequential[MINIMAL])
        print(f"metrics_server_grid_40_metrics_server_time: {grid_ms:.1f} ms")
        print(f"metrics_server_minimal_page_server_time: {minimal_ms:.1f} ms")
        print(f"metrics_server_grid_to_minimal_page_ratio: {grid_ms / minimal_ms:.1f} x")

        log.write_text("")
        latencies: list[float] = []
        lock = threading.Lock()

        def client() -> None:
            for _ in range(REQUESTS_PER_CLIENT):
                elapsed = get(port, GRID, session)
                with lock:
                    latencies.append(elapsed)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - wall
        time.sleep(0.5)
        concurrent = server_times(log).get(GRID, [])
        print(
            f"metrics_server_grid_40_metrics_{CLIENTS}_clients_median: "
            f"{statistics.median(latencies) * 1000:.1f} ms"
        )
        if concurrent:
            print(
                f"metrics_server_grid_40_metrics_{CLIENTS}_clients_server_time_median: "
                f"{statistics.median(concurrent):.1f} ms"
            )
        print(
            f"metrics_server_grid_40_metrics_{CLIENTS}_clients_throughput: "
            f"{len(latencies) / wall:.1f} requests/s ({WORKERS} gunicorn workers)"
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
