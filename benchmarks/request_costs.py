"""What one request of each kind costs the server, in process (Flask test client, no HTTP server, one request after
the other): CPU time and SQL statements, for the pages of the deadline storm. Explains where scenarios.py bends.

    .venv/bin/python benchmarks/request_costs.py [--evaluators 30] [--candidates 100] [--profile autosave]

--profile runs one kind of request under cProfile and prints where its CPU goes (the 25 costliest functions,
by their own time and by cumulative time).

A fresh SQLite file under benchmarks/out/, or DATABASE_URL when set (emptied: point it at `bench`). The hand-in
routes the production to a jury chosen among --evaluators evaluators, as in production.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from argparse import Namespace
from pathlib import Path

from sqlalchemy import event

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluators", type=int, default=30)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--profile", choices=("workspace", "autosave", "hand-in", "receipt"))
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'costs.db'}")
    import prepare_scenarios
    from simulator import create_app
    from simulator.extensions import db

    OUT.mkdir(exist_ok=True)
    prepare_scenarios.empty_database(os.environ["DATABASE_URL"])
    app = create_app()
    with app.app_context():
        data = prepare_scenarios.prepare_storm(app, Namespace(candidates=args.candidates, evaluators=args.evaluators,
                                                              absent=0.0, lead=3600))
        db.session.commit()
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *_, **__: statements.append(1))
    client = app.test_client(use_cookies=False)  # each candidate's own cookie, as a header
    costs: dict[str, list[tuple[float, int]]] = {}
    profiler = cProfile.Profile()
    for person in data["present"]:
        cookie = {"Cookie": "simulator_session=" + person["cookie"]}
        page = f"/candidate/attempts/{person['attempt']}"
        requests = [
            ("workspace", lambda: client.get(page, headers=cookie)),
            ("autosave", lambda: client.post(f"{page}/answers/{data['deliverable']}",  # as the workspace sends it
                                             headers={**cookie, "HX-Request": "true", "X-CSRFToken": person["csrf"]},
                                             json={"content": prepare_scenarios.marked(1)})),
            ("hand-in", lambda: client.post(f"{page}/hand-in", headers=cookie,
                                            data={"confirm": "y", "csrf_token": person["csrf"]})),
            ("receipt", lambda: client.get(f"{page}/receipt", headers=cookie)),
        ]
        for name, send in requests:
            statements.clear()
            started = time.process_time()
            if name == args.profile:
                response = profiler.runcall(send)
            else:
                response = send()
            spent = time.process_time() - started
            assert response.status_code in (200, 302), (name, response.status_code)
            costs.setdefault(name, []).append((spent * 1000, len(statements)))
    database = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgresql") else "SQLite"
    print(f"{database}, {args.evaluators} evaluators, {len(data['present'])} candidates, in process")
    print("| request | CPU p50 | CPU mean | SQL statements |")
    print("| --- | ---: | ---: | ---: |")
    for name, rows in costs.items():
        cpu = [c for c, _ in rows]
        print(f"| {name} | {statistics.median(cpu):.1f} ms | {statistics.mean(cpu):.1f} ms | "
              f"{statistics.median(n for _, n in rows):.0f} |")
    if args.profile:
        profiler.dump_stats(OUT / f"{args.profile}.prof")
        for order in ("tottime", "cumulative"):
            pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(25)


if __name__ == "__main__":
    main()
