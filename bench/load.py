"""The production server under load: requests/s and latency of four pages, with a scheduler run.

    python bench/load.py [--duration 60] [--clients 50,200] [--run-seconds 45]
                         [--database NAME] [--code DIR]

Creates a PostgreSQL database (127.0.0.1, user postgres), loads the demo into it (the
Makefile's ``setup`` steps) and a matchmaking event of 1,000 participants and 8,000 accepted
requests (engine.meetings.generator), then starts gunicorn (4 sync workers, the production
settings) and one task-queue worker, on a Redis database of their own (broker and cache).
wrk (Debian's package, installed when missing and root) then loads, for each number of
clients and ``--duration`` seconds, the home page, a directory search, the observatory and
the contract dashboard at once (the clients shared between the four); in the last phase a
scheduler run of the event starts after 5 s, and a probe asks for the home page every second
while it runs. Prints requests/s, p50/p95/p99 and errors (non-2xx answers, socket errors and
timeouts) per page and phase, then the run's outcome. Everything listens on 127.0.0.1;
processes, the database (unless ``--database`` names one to keep) and the Redis database are
cleaned up.

Targets (2 cores): at 200 clients p95 < 300 ms on every page with 0 errors, every page
answering during the run, and the run ending at ≥ 98 % of its upper bound.

``--code DIR`` serves another checkout of the platform (same dependencies), to measure
before and after a change on the same machine: ``git worktree add /tmp/base main``.
"""

import argparse
import functools
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PAGES = {
    "accueil": "/",
    "recherche annuaire": "/annuaire/?q=logiciel",
    "observatoire": "/observatoire/",
    "tableau de bord": "/contrats/normandie-numerique-2017/",
}
WORKERS = 4
PARTICIPANTS, REQUESTS, SLOTS = 1_000, 8_000, 20
P95_TARGET_MS = 300
BOUND_TARGET = 0.98
EVENT_SLUG = "bench-rendez-vous-1000"
# The production settings sit behind an HTTPS proxy (SECURE_PROXY_SSL_HEADER).
HTTPS = {"X-Forwarded-Proto": "https"}

WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do non2xx = non2xx + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"non2xx": %d, "socket": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), non2xx, e.connect + e.read + e.write, e.timeout))
end
"""

# Run in a child process with the server's settings: the event of the bench, written in bulk
# (a fixture, not the services: 1,000 registrations and 8,000 requests in seconds).
EVENT_CODE = """
import datetime, django, json
django.setup()
from django.utils import timezone
from engine.meetings.generator import generate
from filiere.accounts.models import Organisation, User
from filiere.events import models as m
instance = generate({participants}, {requests}, {slots}, seed={participants})
organiser = Organisation.objects.order_by("pk").first()
start = timezone.now() + datetime.timedelta(days=30)
m.Event.objects.filter(slug="{slug}").delete()  # a kept database's previous bench event
event = m.Event.objects.create(
    slug="{slug}", title="Rendez-vous d'affaires (banc de charge)", kind="matchmaking",
    organiser=organiser, starts_at=start, ends_at=start + datetime.timedelta(hours=8),
    place="Caen", max_meetings=12,
)
slots = {{}}
for k, slot in enumerate(instance.slots):
    at = start + datetime.timedelta(minutes=20 * k)
    slots[slot.id] = m.Slot.objects.create(
        event=event, starts_at=at, ends_at=at + datetime.timedelta(minutes=20), tables=slot.tables
    )
people = m.Registration.objects.bulk_create(
    m.Registration(event=event, company=f"Entreprise {{p.id}}", status="approved",
                   max_meetings=p.max_meetings)
    for p in instance.participants
)
by_id = {{p.id: r for p, r in zip(instance.participants, people)}}
m.Registration.unavailable.through.objects.bulk_create(
    m.Registration.unavailable.through(registration_id=by_id[p.id].pk, slot_id=slots[s].pk)
    for p in instance.participants for s in p.unavailable
)
m.MeetingRequest.objects.bulk_create(
    m.MeetingRequest(event=event, requester=by_id[r.a], target=by_id[r.b], priority=r.weight,
                     status="accepted")
    for r in instance.requests
)
admin = User.objects.filter(email="bench@banc.filiere.invalid").first()
admin = admin or User.objects.create_superuser(
    username="bench", email="bench@banc.filiere.invalid", password=None
)
print(json.dumps({{"event": event.pk, "user": admin.pk}}))
"""

# Started during the load: the run goes through the service the page calls (a task for the
# worker, or a thread of this process before the task queue ran it), then is watched here.
RUN_CODE = """
import django, json, time
django.setup()
from filiere.accounts.models import User
from filiere.events.models import Event, ScheduleRun
from filiere.events.services.scheduling import schedule_start
run = schedule_start(user=User.objects.get(pk={user}), event=Event.objects.get(pk={event}),
                     seconds={seconds})
started = time.monotonic()
while run.finished_at is None and time.monotonic() - started < {patience}:
    time.sleep(1)
    run = ScheduleRun.objects.get(pk=run.pk)
print(json.dumps({{"status": run.status, "objective": run.objective,
                   "upper_bound": run.upper_bound, "greedy": run.greedy,
                   "seconds": time.monotonic() - started, "progress": run.progress}}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() != 0:
        sys.exit("wrk manque : installez le paquet Debian « wrk » (apt-get install wrk).")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, env=env, timeout=600)
    return shutil.which("wrk") or sys.exit("wrk could not be installed.")


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-q", "-c", sql],
        check=True,
        timeout=600,
    )


def free_redis_db() -> int:
    """A Redis database nobody uses (no key), from the last one down."""
    import redis

    for number in range(15, 0, -1):
        if redis.Redis(host="127.0.0.1", db=number).dbsize() == 0:
            return number
    sys.exit("No empty Redis database on 127.0.0.1.")


def setup_commands(code: Path) -> list[list[str]]:
    """The commands of the Makefile's ``setup`` target, in order, its variables replaced."""
    lines = (code / "Makefile").read_text(encoding="utf-8").splitlines()
    variables = {}
    for line in lines:
        name, sep, value = line.partition(" := ")
        if sep and name.isidentifier():
            variables[f"$({name})"] = value.strip()
    start = lines.index(next(line for line in lines if line.startswith("setup:")))
    commands = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        words = line.split()
        if words[0] == "$(MANAGE)":
            arguments = [variables.get(word, word) for word in words[1:]]
            commands.append([PYTHON, "-m", "filiere", *arguments])
    return commands


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=HTTPS)
            with urllib.request.urlopen(request, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The server did not answer {url} within {seconds:.0f} s.")


def get(url: str, timeout: float = 30) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=HTTPS), timeout=timeout):
            status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - started) * 1000


def load_phase(wrk: str, script: Path, base: str, clients: int, duration: int) -> dict:
    """One wrk per page at once, the clients shared between them."""
    processes = {}
    for index, (name, path) in enumerate(PAGES.items()):
        connections = clients // len(PAGES) + (index < clients % len(PAGES))
        processes[name] = subprocess.Popen(
            [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
             "-H", "X-Forwarded-Proto: https", "-s", str(script), base + path],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    results = {}
    for name, process in processes.items():
        out, _ = process.communicate(timeout=duration + 60)
        line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            sys.exit(f"wrk failed on {name}:\n{out}")
        results[name] = json.loads(line.removeprefix("RESULT "))
    return results


class Probe(threading.Thread):
    """Asks for the home page every second: whether pages answer while the run computes."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.answers, self.stop = url, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.answers.append(get(self.url))
            self.stop.wait(1)


class RunWatcher(threading.Thread):
    """Starts the scheduler run 5 s into the phase and waits for its outcome, probing the
    pages meanwhile."""

    def __init__(self, start_and_watch, probe: Probe):
        super().__init__(daemon=True)
        self.start_and_watch, self.probe, self.out = start_and_watch, probe, ""

    def run(self) -> None:
        time.sleep(5)
        self.probe.start()
        try:
            self.out = self.start_and_watch()
        finally:
            self.probe.stop.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per phase")
    parser.add_argument("--clients", default="50,200", help="concurrent clients of each phase")
    parser.add_argument("--run-seconds", type=float, default=45, help="the scheduler's limit")
    parser.add_argument("--database", help="an existing PostgreSQL database to use and keep")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve")
    args = parser.parse_args()
    code = args.code.resolve()
    phases = [int(n) for n in args.clients.split(",")]
    wrk = ensure_wrk()

    work = Path(tempfile.mkdtemp(prefix="filiere-load-"))
    database = args.database or f"filiere_load_{os.getpid()}"
    redis_db = free_redis_db()
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "DJANGO_SETTINGS_MODULE": "filiere.settings.base",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "FILIERE_VAR_DIR": str(work),
    }
    servers: list[subprocess.Popen] = []

    def django(*argv: str, timeout: float = 1800) -> str:
        done = subprocess.run(
            list(argv), cwd=code, env=env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            sys.exit(f"{' '.join(argv[:4])} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
        return done.stdout

    try:
        if not args.database:
            psql(f"CREATE DATABASE {database}")
        started = time.monotonic()
        print(f"Database {database}, Redis db {redis_db}, code {code}.", flush=True)
        for command in setup_commands(code):
            django(*command)
        django(PYTHON, "-m", "filiere", "collectstatic", "--noinput", "-v0")
        # The planner's statistics of the freshly loaded tables, as autovacuum would gather.
        psql("ANALYZE", database)
        print(f"Demo loaded in {time.monotonic() - started:.0f} s.", flush=True)
        created = json.loads(
            django(
                PYTHON,
                "-c",
                EVENT_CODE.format(
                    participants=PARTICIPANTS, requests=REQUESTS, slots=SLOTS, slug=EVENT_SLUG
                ),
            )
        )

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        logs = {name: open(work / f"{name}.log", "w") for name in ("gunicorn", "worker")}  # noqa: SIM115
        servers.append(
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "-w", str(WORKERS), "-k", "sync",
                 "-b", f"127.0.0.1:{port}", "--timeout", "120", "filiere.wsgi"],
                cwd=code, env=env, stdout=logs["gunicorn"], stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
        servers.append(
            subprocess.Popen(
                [PYTHON, "-m", "filiere", "worker", "--concurrency", "1"],
                cwd=code, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
        wait_for(base + "/", 60)
        for path in PAGES.values():  # warm up each worker's templates and the shared cache
            for _ in range(2 * WORKERS):
                status, _ms = get(base + path)
                if status != 200:
                    sys.exit(f"{path} answers {status} before the load.")

        script = work / "report.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        table, run = [], None
        for number, clients in enumerate(phases):
            watcher = None
            if number == len(phases) - 1:
                text = RUN_CODE.format(
                    user=created["user"],
                    event=created["event"],
                    seconds=args.run_seconds,
                    patience=args.run_seconds + 120,
                )
                start_and_watch = functools.partial(django, PYTHON, "-c", text)
                watcher = RunWatcher(start_and_watch, Probe(base + "/"))
                watcher.start()
            print(f"{clients} clients, {args.duration} s…", flush=True)
            for name, result in load_phase(wrk, script, base, clients, args.duration).items():
                table.append((name, clients, result))
            if watcher is not None:
                watcher.join(timeout=args.run_seconds + 200)
                run = json.loads(watcher.out) if watcher.out else None
        report(table, run, watcher.probe if watcher else None)
    finally:
        for process in servers:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        import redis

        redis.Redis(host="127.0.0.1", db=redis_db).flushdb()
        if not args.database:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


def report(table, run, probe) -> None:
    print(
        f"\n{'page':20} {'clients':>7} {'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7}"
    )
    worst = {}
    for name, clients, r in table:
        errors = r["non2xx"] + r["socket"] + r["timeout"]
        print(
            f"{name:20} {clients:7d} {r['requests'] / r['seconds']:8.1f} "
            f"{r['p50'] / 1000:6.0f}ms {r['p95'] / 1000:6.0f}ms {r['p99'] / 1000:6.0f}ms "
            f"{errors:7d}"
        )
        worst[clients] = max(worst.get(clients, (0, 0)), (r["p95"] / 1000, errors))
    top = max(worst)
    p95, errors = worst[top]
    verdict = "OK" if p95 < P95_TARGET_MS and errors == 0 else "OVER TARGET"
    print(
        f"\nAt {top} clients: worst p95 {p95:.0f} ms (target < {P95_TARGET_MS} ms), "
        f"{errors} errors on the worst page: {verdict}"
    )
    if run is None:
        print("Scheduler run: no outcome (the run could not be started or watched).")
    elif run["status"] != "done" or not run["upper_bound"]:
        print(
            f"Scheduler run: NOT FINISHED ({run['status']}, {run['progress']!r}) after "
            f"{run['seconds']:.0f} s."
        )
    else:
        share = run["objective"] / run["upper_bound"]
        verdict = "OK" if share >= BOUND_TARGET else "UNDER TARGET"
        print(
            f"Scheduler run: objective {run['objective']} / upper bound {run['upper_bound']} "
            f"= {share:.1%} (target ≥ {BOUND_TARGET:.0%}), first-come {run['greedy']}, "
            f"{run['seconds']:.0f} s: {verdict}"
        )
    if probe is not None and probe.answers:
        answered = [ms for status, ms in probe.answers if status == 200]
        print(
            f"Pages during the run: {len(answered)}/{len(probe.answers)} probes answered 200, "
            f"slowest {max(answered, default=0):.0f} ms."
        )


if __name__ == "__main__":
    main()
