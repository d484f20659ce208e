"""Locust users of the load scenarios of issue 8; benchmarks/scenarios.py runs them (see its docstring).

    BENCH_DATA=benchmarks/out/<scenario>.json BENCH_RESULTS=benchmarks/out/<run>.json \\
        .venv/bin/locust -f benchmarks/locust_scenarios.py --headless -u N -r R -H http://127.0.0.1:5055 <classes>

- Trainer + StartingCandidate (start.json): the trainer opens the session; each candidate, within BENCH_SPREAD
  seconds of the opening, loads the start page, starts (sworn statement), loads the workspace. The run stops
  when every candidate is through.
- StormCandidate (storm.json): autosaves every 10 s until a moment up to 5 s before their deadline, then the final
  save, the hand-in (the confirmation form's POST) and the receipt. The run stops when every candidate is through.
- SavingCandidate + Evaluator (grading.json): candidates autosave every 10 s; evaluators open their queue, then
  each grading page, and save every row of the grid, every decision and the comment, then submit, one seat after
  the other (a pause of BENCH_THINK seconds, default 2-4, before each save).

What each candidate did (acknowledged saves, receipts, times) goes to BENCH_RESULTS with locust's figures per
request type, for the checks of scenarios.py.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode

import gevent
from gevent.event import Event
from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

DATA = json.load(open(os.environ["BENCH_DATA"]))
SPREAD = float(os.environ.get("BENCH_SPREAD", "10"))
THINK = tuple(float(s) for s in os.environ.get("BENCH_THINK", "2,4").split(","))
RECORDS: list[dict] = []
OPENED = Event()
NEXT = itertools.count()
BODY = "Analyse des ventes 2025 : le chiffre d'affaires progresse de 4,2 % mais la marge recule. " * 260
REVISION = re.compile(r'name="base" id="base-[^"]+" value="(\d+)"|data-revision="(\d+)"')
DIGEST = re.compile(r'<code id="receipt-digest">([0-9a-f]{64})</code>')


def marked(seq: int) -> str:
    """Save number `seq` of a candidate, 20 KB: scenarios.py reads the number back from the hand-in."""
    return f"#{seq} {BODY}"[:20_000]


def pause_until(moment: float) -> None:
    gevent.sleep(max(0.0, moment - time.time()))


def through(environment, expected: int) -> None:
    """One more candidate is through; the last one ends the run (not before BENCH_END_NOT_BEFORE, a time.time(),
    if set: the driver may be measuring until then)."""
    if len(RECORDS) >= expected:
        end = max(time.time() + 1, float(os.environ.get("BENCH_END_NOT_BEFORE", "0")))
        gevent.spawn_later(end - time.time(), environment.runner.quit)


class Visitor(FastHttpUser):
    """Requests with a signed-in cookie sent as a header (a cookie jar would quote the signed value), checked."""

    abstract = True
    wait_time = constant(3600)  # every scenario is a single pass, paced by its own clock

    def sign_in(self, person: dict) -> None:
        self.cookie, self.csrf = "simulator_session=" + person["cookie"], person["csrf"]

    def call(self, method: str, path: str, name: str, *, fields: dict | None = None, status: int = 200,
             must: str | None = None, htmx: bool = False, to: str | None = None, as_json: bool = False):
        """The response if it has the status, holds `must` and redirects to a URL holding `to`, else None (counted
        as a failure). The body is kept in self.last either way. `fields` go as a form, or as JSON."""
        headers = {"Cookie": self.cookie}
        if htmx:
            headers |= {"HX-Request": "true", "X-CSRFToken": self.csrf}
        body = None
        if fields is not None:
            body = (json.dumps if as_json else urlencode)({"csrf_token": self.csrf, **fields})
            headers["Content-Type"] = "application/json" if as_json else "application/x-www-form-urlencoded"
        with self.client.request(method, path, name=name, data=body, headers=headers, allow_redirects=False,
                                 catch_response=True) as response:
            self.last = response.text or ""
            if (response.status_code != status or (must is not None and must not in self.last)
                    or (to is not None and to not in (response.headers.get("Location") or ""))):
                if response.status_code == 0:  # no answer: keep what the connection said (timeout, reset…)
                    why = str(response.error).rsplit("original=", 1)[-1]  # not the URL: one line per kind of error
                    response.failure(f"no response: {type(response.error).__name__} ({why})"[:120])
                else:
                    response.failure(f"status {response.status_code}" if response.status_code != status
                                     else "not the expected page")
                return None
            return response

    def save(self, name: str) -> bool:
        """One autosave of the 20 KB answer on top of the revision last seen, as the workspace sends it."""
        self.seq += 1
        fields = {"content": marked(self.seq)}
        if self.base is not None:
            fields["base"] = str(self.base)
        response = self.call("POST", f"/candidate/attempts/{self.attempt}/answers/{self.deliverable}", name,
                             fields=fields, must="save-ok", htmx=True, as_json=True)
        found = REVISION.search(self.last)  # the new revision, or the one that conflicted
        if found:
            self.base = int(found.group(1) or found.group(2))
        if response is not None:
            self.acknowledged = self.seq
        return response is not None


class Trainer(Visitor):
    """Opens the session that starts all together, once every candidate is waiting."""

    fixed_count = 1

    @task
    def open_session(self):
        self.sign_in(DATA["trainer"])
        pause_until(float(os.environ["BENCH_GO_AT"]))
        self.call("POST", f"/trainer/sessions/{DATA['session']}/open", "trainer opens", fields={}, status=302)
        RECORDS.append({"opened": time.time()})
        OPENED.set()


class StartingCandidate(Visitor):
    @task
    def arrive(self):
        me = DATA["candidates"][next(NEXT) % len(DATA["candidates"])]
        self.sign_in(me)
        page = f"/candidate/attempts/{me['attempt']}"
        OPENED.wait()
        pause_until(time.time() + random.uniform(0, SPREAD))
        begun = time.time()
        done = (self.call("GET", page, "start page", must='id="start-form"')
                and self.call("POST", f"{page}/start", "start", fields={"sworn": "y"}, status=302, to=page)
                and self.call("GET", page, "workspace", must='id="hand-in-form"'))
        RECORDS.append({"attempt": me["attempt"], "begun": begun, "open": time.time() if done else None})
        through(self.environment, len(DATA["candidates"]) + 1)  # and the trainer's record


class StormCandidate(Visitor):
    @task
    def end_of_exam(self):
        me = DATA["present"][next(NEXT) % len(DATA["present"])]
        self.sign_in(me)
        self.attempt, self.deliverable, self.seq, self.base, self.acknowledged = (
            me["attempt"], DATA["deliverable"], 0, None, 0)
        act_at = me["deadline"] - random.uniform(0, 5)
        next_save = time.time() + random.uniform(0, 10)
        while next_save < act_at:
            pause_until(next_save)
            self.save("autosave")
            next_save += random.uniform(9, 11)
        pause_until(act_at)
        final_sent = time.time()
        final = self.save("final save")
        page = f"/candidate/attempts/{self.attempt}"
        handed = self.call("POST", f"{page}/hand-in", "hand-in", fields={"confirm": "y"}, status=302,
                           to="/receipt") is not None
        receipt = self.call("GET", f"{page}/receipt", "receipt", must="receipt-digest")
        digest = DIGEST.search(receipt.text) if receipt is not None else None
        RECORDS.append({"attempt": self.attempt, "sent": self.seq, "acknowledged": self.acknowledged,
                        "final_acknowledged": final, "final_sent": final_sent, "handed": handed, "done": time.time(),
                        "digest": digest.group(1) if digest else None, "deadline": me["deadline"]})
        through(self.environment, len(DATA["present"]))


class SavingCandidate(Visitor):
    """A candidate writing: one 20 KB autosave every 10 s (±1 s)."""

    @task
    def write(self):
        me = DATA["candidates"][next(NEXT) % len(DATA["candidates"])]
        self.sign_in(me)
        self.attempt, self.deliverable, self.seq, self.base, self.acknowledged = (
            me["attempt"], me["deliverable"], 0, None, 0)
        gevent.sleep(random.uniform(0, 10))
        while True:
            self.save("autosave")
            gevent.sleep(random.uniform(9, 11))


class Evaluator(Visitor):
    fixed_count = int(os.environ.get("BENCH_EVALUATORS", "0"))

    def think(self) -> None:
        gevent.sleep(random.uniform(*THINK))

    @task
    def grade(self):
        me = DATA["evaluators"][next(NEXT) % len(DATA["evaluators"])]
        self.sign_in(me)
        self.think()
        self.call("GET", "/evaluator/", "queue", must='id="queue-to-grade"')
        for seat in me["seats"]:
            base = f"/evaluator/gradings/{seat}"
            self.call("GET", base, "grading page", must='id="grid"')
            for criterion, levels in DATA["grid"]["criteria"]:
                self.think()
                self.call("POST", f"{base}/criteria/{criterion}", "grading save", must="save-ok", htmx=True,
                          fields={"value": f"{random.choice(levels):g}", "comment": "Analyse pertinente, chiffrée."})
            for competence in DATA["grid"]["competences"]:
                self.think()
                self.call("POST", f"{base}/competences/{competence}", "grading decision", must="save-ok", htmx=True,
                          fields={"decision": random.choice(["acquired", "not_acquired"])})
            self.think()
            self.call("POST", f"{base}/comment", "grading save", must="save-ok", htmx=True,
                      fields={"overall_comment": "Travail sérieux, à approfondir sur la stratégie."})
            self.call("POST", f"{base}/submit", "grading submit", fields={}, status=302)


@events.quitting.add_listener
def write_results(environment, **_):
    stats = []
    for entry in environment.stats.entries.values():
        stats.append({"name": entry.name, "method": entry.method, "requests": entry.num_requests,
                      "failures": entry.num_failures, "rps": entry.total_rps,
                      **{f"p{q}": entry.get_response_time_percentile(q / 100) for q in (50, 95, 99)},
                      "max": entry.max_response_time, "first": entry.start_time, "last": entry.last_request_timestamp})
    errors = [{"name": e.name, "error": str(e.error), "count": e.occurrences} for e in environment.stats.errors.values()]
    with open(os.environ["BENCH_RESULTS"], "w") as f:
        json.dump({"stats": stats, "errors": errors, "records": RECORDS}, f)
