"""Candidates autosaving 20 KB every 10 s, and a bare endpoint of the same server for comparison.

BENCH_MODE=autosave (default: paced, one save every 10 s), autosave-max (no pause: capacity) or bare; users come from benchmarks/out/users.json (prepare.py).
"""
from __future__ import annotations

import itertools
import json
import os
import random

import gevent
from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

USERS = json.load(open(os.environ.get("BENCH_USERS", "benchmarks/out/users.json")))
NEXT = itertools.count()
TEXT = ("Analyse des ventes 2025 : le chiffre d'affaires progresse de 4,2 % mais la marge recule. " * 240)[:20_000]
MODE = os.environ.get("BENCH_MODE", "autosave")


class Candidate(FastHttpUser):
    # geventhttpclient, not requests: the load generator shares the server's two cores, and requests costs
    # several times more CPU per request.
    wait_time = between(9, 11) if MODE == "autosave" else constant(0)  # autosave-max and bare: no pause

    def on_start(self):
        me = USERS[next(NEXT) % len(USERS)]
        self.attempt, self.csrf, self.deliverable = me["attempt"], me["csrf"], me["deliverable"]
        # Sent as a header: a cookie jar would quote this signed value.
        self.cookie = "simulator_session=" + me["cookie"]
        self.n = 0
        if MODE == "autosave":
            # Candidates do not all save at the instant they are spawned: locust spawns users in bursts (N/20 a
            # second), and each would save at once, then again 9–11 s later, so the bursts of the ramp-up came
            # back every ten seconds and were most of the tail measured below the bend (2026-12-07). The first
            # save comes at a random moment of the first ten seconds: 300 saves/s means 300 every second.
            gevent.sleep(random.uniform(0, 10))

    @task
    def work(self):
        if MODE == "bare":
            self.client.get("/healthz", name="bare")
            return
        self.n += 1
        # As the workspace sends it (htmx's json-enc): JSON, the CSRF token in a header.
        with self.client.post(f"/candidate/attempts/{self.attempt}/answers/{self.deliverable}",
                              data=json.dumps({"content": f"{self.n} {random.random()} {TEXT}"[:20_000]}),
                              headers={"HX-Request": "true", "X-CSRFToken": self.csrf, "Cookie": self.cookie,
                                       "Content-Type": "application/json"},
                              name="autosave", catch_response=True) as response:
            if response.status_code != 200 or "save-ok" not in response.text:
                response.failure(f"status {response.status_code}")
