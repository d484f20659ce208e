"""The load scenarios of issue 8 against gunicorn (4 sync workers): the synchronized start, the deadline storm,
evaluators grading while candidates autosave. Each run prepares its database (prepare_scenarios.py), starts the
server, runs locust (locust_scenarios.py), checks the database and prints a summary in markdown.

    .venv/bin/python benchmarks/scenarios.py start   [--candidates 1000] [--spread 10]
    .venv/bin/python benchmarks/scenarios.py storm   [--candidates 1000] [--absent 0.1] [--evaluators 30]
    .venv/bin/python benchmarks/scenarios.py grading [--candidates 1000] [--evaluators 30] [--productions 150] [--seconds 90]

SQLite (benchmarks/out/scenarios.db) unless DATABASE_URL is set, e.g.
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/scenarios.py storm
(its schema is dropped and recreated). Everything lands in benchmarks/out/<scenario>_<database>_<N>*: locust's log,
gunicorn's log (tracebacks of any error 500), the raw results and the summary.

- start: everyone waits on the start page of a session that starts all together; the trainer opens it; each
  candidate, within --spread seconds, loads the start page, starts (sworn statement) and loads the workspace.
  Reports when the last workspace opened, and checks every attempt was started once.
- storm: deadlines within 60 s; every candidate autosaves every 10 s, then, up to 5 s before their deadline, makes a
  final save and hands in; the absent ones (--absent) are handed in by `flask close-expired`, run at T0 + 20, 40
  and 60 s as a tight cron would, and once more at the end if attempts are left. Checks that every attempt is
  handed in exactly once (one current hand-in, one audit event, one production), that every acknowledged save is
  in the snapshot, and that the digest on each receipt page is the stored one.
- grading: candidates autosave every 10 s while evaluators open grading pages and save their grids.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
PORT = 5055
SEQ = re.compile(r"#(\d+) ")
sys.path.insert(0, str(ROOT / "benchmarks"))

from ladder import cpu_seconds, machine_seconds  # noqa: E402


class Run:
    """One scenario run: its files, its server, its load generator, and the CPU each used."""

    def __init__(self, args):
        self.args = args
        self.database = "postgresql" if os.environ["DATABASE_URL"].startswith("postgresql") else "sqlite"
        self.name = f"{args.scenario}_{self.database}_{args.candidates}" + (
            f"_{args.evaluators}ev" if args.scenario != "start" else "")
        self.data_file = OUT / f"{self.name}_data.json"
        self.results_file = OUT / f"{self.name}_results.json"
        self.cpu: dict[str, float] = {}

    def prepare(self) -> dict:
        a = self.args
        subprocess.run([str(BIN / "python"), "benchmarks/prepare_scenarios.py", a.scenario, "--candidates",
                        str(a.candidates), "--evaluators", str(a.evaluators), "--productions", str(a.productions),
                        "--absent", str(a.absent), "--lead", str(a.lead), "--out", str(self.data_file)],
                       cwd=ROOT, check=True)
        return json.loads(self.data_file.read_text())

    def serve(self) -> None:
        self.log = open(OUT / f"{self.name}_gunicorn.log", "w")
        self.server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(self.args.workers), "--bind",
                                        f"127.0.0.1:{PORT}", "--log-level", "warning", "simulator:create_app()"],
                                       cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def warm(self, person: dict, paths: list[str]) -> None:
        """Each path a few times at once, so that every worker has compiled its templates before the load."""
        def get(path):
            request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}",
                                             headers={"Cookie": "simulator_session=" + person["cookie"]})
            urllib.request.urlopen(request, timeout=30).read()

        threads = [threading.Thread(target=get, args=(path,)) for path in paths for _ in range(2 * self.args.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def stop(self) -> None:
        self.server.send_signal(signal.SIGTERM)
        self.server.wait(30)
        self.log.close()

    def load(self, classes: list[str], users: int, rate: float, seconds: int, measure_from: float | None = None,
             **env) -> dict:
        """Run locust to its end; the CPU of server, locust and PostgreSQL while it ran (from the moment
        `measure_from`, a time.time(), if given: the users' waiting is left out)."""
        before, overflows = cpu_now(), listen_overflows()
        if measure_from is not None:
            def meter():
                time.sleep(max(0.0, measure_from - time.time()))
                before.update(cpu_now())

            threading.Thread(target=meter, daemon=True).start()
        with open(OUT / f"{self.name}_locust.log", "w") as log:
            locust = subprocess.Popen(
                [str(BIN / "locust"), "-f", "benchmarks/locust_scenarios.py", "--headless", "-u", str(users),
                 "-r", str(rate), "-t", f"{seconds}s", "-H", f"http://127.0.0.1:{PORT}", "--only-summary",
                 "--stop-timeout", "5", *classes], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "BENCH_DATA": str(self.data_file), "BENCH_RESULTS": str(self.results_file),
                     **{k: str(v) for k, v in env.items()}})
            _, status, usage = os.wait4(locust.pid, 0)  # the load generator's own CPU, not that of other children
            locust.returncode = os.waitstatus_to_exitcode(status)
        self.cpu = cpu_used(before, {**cpu_now(), "locust": usage.ru_utime + usage.ru_stime})
        self.cpu["overflows"] = listen_overflows() - overflows
        return json.loads(self.results_file.read_text())


def listen_overflows() -> int:
    """How many times a listen queue of the machine was full: each time a connection's SYN was dropped, and the
    client sends it again 1, 3, 7, 15… s later."""
    head, values = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines()
                    if line.startswith("TcpExt:")][:2]
    return int(values[head.index("ListenOverflows")])


def cpu_now() -> dict:
    """CPU seconds used so far by the server's processes, the load generator, PostgreSQL's processes and the whole
    machine (whatever else runs on it, a test suite for instance, shows as the difference)."""
    return {"server": cpu_seconds("simulator:create_app()"), "locust": cpu_seconds("locust_scenarios.py"),
            "database": cpu_seconds("postgres:"), "machine": machine_seconds(), "at": time.monotonic()}


def cpu_used(before: dict, after: dict) -> dict:
    spent = after["at"] - before["at"]
    used = {k: (after[k] - before[k]) / spent for k in ("server", "locust", "database", "machine")}
    return {"seconds": spent, **used, "others": used["machine"] - used["server"] - used["locust"] - used["database"]}


def expire() -> tuple[int, float, float]:
    """`flask close-expired`, as cron runs it: the attempts it handed in, how long it took and its CPU seconds."""
    started = time.monotonic()
    command = subprocess.Popen([str(BIN / "flask"), "--app", "simulator", "close-expired"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = command.stdout.read()
    _, status, usage = os.wait4(command.pid, 0)
    command.returncode = os.waitstatus_to_exitcode(status)
    if command.returncode != 0:
        raise SystemExit(f"close-expired failed:\n{output}")
    return int(output.split()[0]), time.monotonic() - started, usage.ru_utime + usage.ru_stime


def at_moments(moments: list[float], action) -> threading.Thread:
    """A thread that runs `action()` at each of the moments (time.time() values)."""
    def run():
        for moment in moments:
            time.sleep(max(0.0, moment - time.time()))
            action()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_for_quiet(limit: float = 0.25, patience: int = 900) -> None:
    """Wait (up to `patience` seconds) until the machine is idle: a test suite running beside a benchmark takes
    the cores it measures."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        before = cpu_now()
        time.sleep(5)
        busy = cpu_used(before, cpu_now())["machine"]
        if busy < limit:
            return
        print(f"the machine is busy ({busy:.2f} cores): waiting", flush=True)
    print("the machine stayed busy: running anyway, see 'anything else' below", flush=True)


# -- summaries -------------------------------------------------------------------------------------

def request_table(results: dict, order: list[str]) -> list[str]:
    lines = ["| request | requests | failures | p50 | p95 | p99 | max |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    stats = {s["name"]: s for s in results["stats"]}
    for name in order:
        if name in stats:
            s = stats[name]
            lines.append(f"| {name} | {s['requests']:,} | {s['failures']:,} | {s['p50']:,.0f} ms | "
                         f"{s['p95']:,.0f} ms | {s['p99']:,.0f} ms | {s['max']:,.0f} ms |")
    lines += [f"error: {e['name']}: {e['error']} × {e['count']}" for e in results["errors"]]
    return lines


def cpu_line(c: dict, what: str = "of load") -> str:
    warning = " — DISTURBED: something else ran on the machine, run it again" if c["others"] > 0.15 else ""
    return (f"CPU over the {c['seconds']:.0f} s {what}: server {c['server']:.2f} cores, locust {c['locust']:.2f} cores, "
            f"PostgreSQL {c['database']:.2f} cores, anything else {c['others']:.2f} cores (of 2)"
            + warning)


def seconds(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)
    return (f"first {values[0]:.2f} s, median {statistics.median(values):.2f} s, "
            f"95 % {values[int(0.95 * (len(values) - 1))]:.2f} s, last {values[-1]:.2f} s")


# -- the scenarios ---------------------------------------------------------------------------------

def start(run: Run) -> list[str]:
    data = run.prepare()
    count = len(data["candidates"])
    run.serve()
    try:
        rate = 300
        go = time.time() + count / rate + 5
        results = run.load(["Trainer", "StartingCandidate"], count + 1, rate, 600, measure_from=go, BENCH_GO_AT=go,
                           BENCH_SPREAD=run.args.spread)
    finally:
        run.stop()
    opened = next(r["opened"] for r in results["records"] if "opened" in r)
    people = [r for r in results["records"] if "attempt" in r]
    through = [r["open"] - opened for r in people if r["open"] is not None]
    each = [r["open"] - r["begun"] for r in people if r["open"] is not None]
    from simulator.exams.models import Attempt, AuditEvent

    with database() as db:
        statuses = Counter(db.session.scalars(select(Attempt.status)).all())
        starts = Counter(db.session.scalars(select(AuditEvent.attempt_id)
                                            .where(AuditEvent.action == "attempt_started")).all())
    return [*request_table(results, ["trainer opens", "start page", "start", "workspace"]),
            f"gunicorn's listen queue (backlog 2048) overflowed {run.cpu['overflows']:,} times",
            f"{len(through):,} of {count:,} candidates have their workspace open; from the opening: {seconds(through)}",
            f"per candidate, start page → workspace: {seconds(each)}",
            f"attempts by status: {dict(statuses)}; started more than once: {sum(n > 1 for n in starts.values())}",
            cpu_line(run.cpu, "from the opening to the end")]


def storm(run: Run) -> list[str]:
    data = run.prepare()
    run.serve()
    storm_at = data["storm_at"]
    present = len(data["present"])
    margin = storm_at - time.time() - 15
    if margin < 5:
        run.stop()
        raise SystemExit(f"T0 is too close ({margin + 15:.0f} s): raise --lead")
    expiries: list[tuple[float, int, float, float]] = []  # (s after T0, handed in, duration, CPU seconds)
    window: list[dict] = []  # the CPU of the storm's minute alone, without the autosaves before it
    # a cron tighter than the usual minute: every 20 s
    clock = at_moments([storm_at + 20, storm_at + 40, storm_at + 60],
                       lambda: expiries.append((time.time() - storm_at, *expire())))
    meter = at_moments([storm_at, storm_at + 60], lambda: window.append(cpu_now()))
    try:
        results = run.load(["StormCandidate"], present, max(20, present / margin), 600,
                           BENCH_END_NOT_BEFORE=storm_at + 61)
    finally:
        clock.join()
        meter.join()
        run.stop()
    from simulator.exams.models import Attempt

    with database() as db:
        left = db.session.scalars(select(Attempt.deadline_at).where(Attempt.status == "in_progress")).all()
    if left:  # the last cron run, once the grace of every attempt still open is over
        time.sleep(max(0.0, max(d.timestamp() for d in left) + 61 - time.time()))
        expiries.append((time.time() - storm_at, *expire()))
    people = [r for r in results["records"] if "attempt" in r]
    lines = request_table(results, ["autosave", "final save", "hand-in", "receipt"])
    lines.append(f"T0 = the first deadline − 5 s; final saves sent {seconds([r['final_sent'] - storm_at for r in people])}"
                 f" after T0; last receipt {max(r['done'] for r in people) - storm_at:.1f} s after T0")
    lines.append("expiry runs (s after T0: handed in, duration): "
                 + ", ".join(f"{at:.0f} s: {n} in {took:.1f} s" for at, n, took, _ in expiries)
                 + f"; {sum(e[3] for e in expiries):.1f} CPU-seconds in all")
    minute = cpu_used(*window)
    inside = sum(cpu for at, _, _, cpu in expiries if at <= 60)  # the expiry runs are not "anything else"
    minute["others"] -= inside / minute["seconds"]
    lines.append(f"gunicorn's listen queue (backlog 2048) overflowed {run.cpu['overflows']:,} times during the run")
    return [*lines, *check_storm(data, people),
            cpu_line(minute, "from T0 to T0 + 60 s") + f"; the expiry runs {inside / minute['seconds']:.2f} cores"]


def check_storm(data: dict, people: list[dict]) -> list[str]:
    """Every attempt handed in exactly once, every acknowledged save in its snapshot, every receipt the stored one."""
    from simulator.exams.models import Attempt, AuditEvent, DraftSave, HandIn
    from simulator.grading.models import Production

    with database() as db:
        statuses = Counter(db.session.scalars(select(Attempt.status)).all())
        current = {h.attempt_id: h for h in db.session.scalars(select(HandIn).where(HandIn.withdrawn_at.is_(None)))}
        hand_ins = Counter(db.session.scalars(select(HandIn.attempt_id)).all())
        events = Counter(db.session.scalars(select(AuditEvent.attempt_id).where(
            AuditEvent.action.in_(["handed_in", "auto_handed_in"]))).all())
        productions = Counter(db.session.scalars(select(Production.hand_in_id)).all())
        timings = dict(db.session.execute(select(DraftSave.timing, func.count()).group_by(DraftSave.timing)).all())
    attempts = [r["attempt"] for r in data["present"]] + [r["attempt"] for r in data["absent"]]
    expected = {r["attempt"]: r for r in people} | {r["attempt"]: r for r in data["absent"]}
    twice = [a for a in attempts if hand_ins[a] > 1 or events[a] > 1]
    missing = [a for a in attempts if a not in current]
    unrouted = [a for a in attempts if a in current and productions[current[a].id] != 1]
    lost, ahead, wrong_receipt, by_expiry = [], 0, [], []
    for attempt_id, record in expected.items():
        if attempt_id not in current:
            continue
        receipt = current[attempt_id]
        found = int(SEQ.match(receipt.snapshot["texts"].get(data["deliverable"], "#-1 ")).group(1))
        if found < record["acknowledged"]:
            lost.append((attempt_id, record["acknowledged"], found))
        ahead += found > record["acknowledged"]
        if "digest" in record and record["digest"] != receipt.sha256:
            wrong_receipt.append(attempt_id)
        if "digest" in record and receipt.automatic:
            by_expiry.append(attempt_id)
    unseen = len(data["present"]) - len(people)
    return [f"attempts by status: {dict(statuses)}; saves by timing: {timings}",
            f"CHECK handed in exactly once: {len(attempts) - len(twice) - len(missing):,} of {len(attempts):,} "
            f"(twice: {twice[:10] or 'none'}, not handed in: {missing[:10] or 'none'}; "
            f"not routed once: {unrouted[:10] or 'none'})",
            f"CHECK acknowledged saves in the snapshot: {len(expected) - len(lost):,} of {len(expected):,} candidates "
            f"(lost: {lost[:10] or 'none'}; {ahead} snapshots hold a later save whose answer never reached the "
            f"candidate); candidates who never reported: {unseen}",
            f"CHECK receipt page digest = stored digest: {len(people) - len(wrong_receipt):,} of {len(people):,} "
            f"(wrong or missing: {wrong_receipt[:10] or 'none'}); present candidates handed in by the deadline "
            f"rule instead of their own hand-in: {len(by_expiry)}"]


def grading(run: Run) -> list[str]:
    data = run.prepare()
    evaluators = len(data["evaluators"])
    run.serve()
    first = data["evaluators"][0]
    run.warm(first, ["/evaluator/", f"/evaluator/gradings/{first['seats'][0]}"])
    try:
        results = run.load(["SavingCandidate", "Evaluator"], len(data["candidates"]) + evaluators,
                           len(data["candidates"]) // 10 + 1, run.args.seconds, BENCH_EVALUATORS=evaluators)
    finally:
        run.stop()
    from simulator.grading.models import Assignment, Rating

    with database() as db:
        submitted = db.session.scalar(select(func.count()).where(Assignment.status == "submitted"))
        ratings = db.session.scalar(select(func.count(Rating.id)))
    seats = sum(len(e["seats"]) for e in data["evaluators"])
    return [*request_table(results, ["autosave", "queue", "grading page", "grading save", "grading decision",
                                     "grading submit"]),
            f"{evaluators} evaluators, {seats} seats routed to them: {submitted} gradings submitted, {ratings:,} grid rows "
            f"stored during the run; gunicorn's listen queue overflowed {run.cpu['overflows']:,} times",
            cpu_line(run.cpu)]


@contextmanager
def database():
    """The application's database, for the checks after a run."""
    from simulator import create_app
    from simulator.extensions import db

    with create_app().app_context():
        try:
            yield db
        finally:
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["start", "storm", "grading"])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--evaluators", type=int, default=30)
    parser.add_argument("--productions", type=int, default=150)
    parser.add_argument("--absent", type=float, default=0.1)
    parser.add_argument("--lead", type=int, default=90, help="storm: T0 is about this many seconds after the preparation")
    parser.add_argument("--spread", type=float, default=10, help="start: seconds over which candidates arrive")
    parser.add_argument("--seconds", type=int, default=90, help="grading: length of the run")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'scenarios.db'}")
    OUT.mkdir(parents=True, exist_ok=True)
    run = Run(args)
    wait_for_quiet()
    lines = {"start": start, "storm": storm, "grading": grading}[args.scenario](run)
    title = (f"{args.scenario}, {run.database}, {args.candidates:,} candidates, {args.workers} workers"
             + (f", {args.evaluators} evaluators" if args.scenario != "start" else ""))
    summary = "\n".join([title, *lines])
    (OUT / f"{run.name}_summary.md").write_text(summary + "\n")
    print(summary)


if __name__ == "__main__":
    main()
