"""Every route of app.url_map × every role × own, other and nonexistent ids: the answer follows the
access policy, never an error 500; every state-changing route refuses a missing CSRF token."""
import re

import pytest

from simulator.extensions import db
from tests.exam_helpers import schedule
from tests.helpers import Session

POLICY = {"/candidate": {"candidate"}, "/trainer": {"trainer", "admin"}, "/admin": {"admin"},
          "/evaluator": {"evaluator"}}
PUBLIC = {"/login", "/healthz", "/language", "/logout", "/"}


@pytest.fixture
def world(app, users, loaded, _password_hashes, clock):
    from simulator.auth.services import create_user
    from simulator.exams import services
    from tests.exam_helpers import T0, user

    with app.app_context():
        other = create_user(email="other@test.fr", name="Autre", role="candidate", password=None)
        other.password_hash = _password_hashes["candidate"]
        session = schedule(candidates=("candidate@test.fr", "other@test.fr"))
        own = next(a for a in session.attempts if a.candidate.email == "candidate@test.fr")
        services.start_attempt(own, sworn=True, now=T0)
        role_play = schedule("demo-b1-jeu-de-role", candidates=("candidate@test.fr", "other@test.fr"))
        own_role_play = next(a for a in role_play.attempts if a.candidate.email == "candidate@test.fr")
        services.start_attempt(own_role_play, sworn=True, now=T0)
        db.session.commit()
        other_attempt = next(a.id for a in session.attempts if a.id != own.id)
        grading = _grading_world(_password_hashes)
        authoring = _authoring_world(user("trainer@test.fr"), role_play.version)
        db.session.commit()
        return {"session_id": session.id, "own": own.id, "other": other_attempt, "user_id": user("candidate@test.fr").id,
                "own_role_play": own_role_play.id,
                **grading, **authoring}


def _authoring_world(trainer, role_play_version):
    """A draft of trainer@test.fr and one of their try-outs: theirs alone (admin@test.fr gets a 404)."""
    from simulator.referentiels.models import Certification
    from simulator.roleplay import services as roleplay
    from simulator.scenarios import drafts
    from sqlalchemy import select
    from tests.exam_helpers import T0

    demo = db.session.scalar(select(Certification).where(Certification.slug == "demo"))
    draft = drafts.start_from_modality(demo, "B1-E2", by=trainer, now=T0)
    try_out = roleplay.start_try_out(role_play_version, trainer, T0)
    return {"draft_id": draft.id, "conversation_id": try_out.id}


def _grading_world(hashes):
    """A handed-in production whose jury is evaluator@test.fr and juror@test.fr; outsider@test.fr grades nothing."""
    from simulator.exams.models import Cohort
    from simulator.extensions import db
    from tests.grading_helpers import evaluator, produced

    evaluator("evaluator@test.fr", roles=("intervenant",))
    evaluator("juror@test.fr", roles=("professionnel",), password_hash=hashes["evaluator"])
    evaluator("outsider@test.fr", roles=("tuteur",), password_hash=hashes["evaluator"])
    [production] = produced("third@test.fr")
    seat = next(a for a in production.assignments if a.evaluator.email == "evaluator@test.fr")
    cohort = Cohort(name="Promo")
    db.session.add(cohort)
    db.session.flush()
    return {"assignment_id": seat.id, "production_id": production.id, "cohort_id": cohort.id,
            "bloc_id": production.session.version.scenario.certification.blocs[0].id}


def urls(app, world, which: str) -> list[tuple[str, str, str]]:
    """(method, url, prefix) for every rule, with ids filled in (the clock is frozen inside the exam)."""
    missing = which == "missing"
    ids = {"attempt_id": world[which] if not missing else 99999, "session_id": world["session_id"],
           "user_id": world["user_id"], "number": 1, "slug": "demo-b1-etude-de-cas", "document_id": "tarifs",
           "deliverable_id": "analyse", "kind": "csv", "criterion_id": "g1", "competence": "C1.1",
           **{key: 99999 if missing else world[key] for key in ("assignment_id", "production_id", "cohort_id", "bloc_id",
                                                                "draft_id", "conversation_id")}}
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {arg: ids.get(arg, 1) for arg in rule.arguments}
        if rule.endpoint.startswith(("roleplay.", "recording.")):  # the role play's conversation and pitch
            values["attempt_id"] = 99999 if missing else world["own_role_play"]
            values["deliverable_id"] = "transcript" if rule.endpoint.startswith("roleplay.") else "pitch"
        if rule.endpoint.startswith("referentiels.") and "slug" in values:
            values["slug"] = "demo"
        if rule.endpoint.startswith("drafts.") and "slug" in values:  # a part's form: the grid, a scale's levels
            values["slug"] = "levels" if "key" in values else "grid"
            values.update({"key": "acquisition"} if "key" in values else {})
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, url, next((p for p in POLICY if url.startswith(p + "/")), url)))
    return found


def login(app, email):
    session = Session(app.test_client())
    session.get("/login")
    session.post("/login", {"email": email, "password": "candidate-password-1" if "candidate" in email or "other" in email
                            else {"trainer@test.fr": "trainer-password-1", "evaluator@test.fr": "evaluator-password-1",
                                  "admin@test.fr": "admin-password-1"}.get(email, "evaluator-password-1")})
    return session


ROLES = {"anonymous": None, "candidate": "candidate@test.fr", "other candidate": "other@test.fr",
         "evaluator": "evaluator@test.fr", "other evaluator": "outsider@test.fr", "trainer": "trainer@test.fr",
         "admin": "admin@test.fr"}
OWNED = ("/attempts/", "/gradings/", "/productions/")


@pytest.mark.parametrize("who", list(ROLES))
def test_every_get_route_follows_the_policy(app, world, who):
    session = Session(app.test_client()) if ROLES[who] is None else login(app, ROLES[who])
    role = {"other candidate": "candidate", "other evaluator": "evaluator"}.get(who, who)
    for which in ("own", "missing"):
        for method, url, prefix in urls(app, world, which):
            if method != "GET" or url in ("/logout",):
                continue
            status = session.get(url).status_code
            assert status != 500, url
            if prefix in POLICY:
                if who == "anonymous":
                    assert status == 302, (who, url, status)
                elif role not in POLICY[prefix]:
                    assert status == 403, (who, url, status)
                elif any(part in url for part in OWNED) and prefix in ("/candidate", "/evaluator") and (
                        which == "missing" or who.startswith("other")):
                    assert status == 404, (who, url, status)
                elif re.search(r"/(drafts|try-outs)/\d", url) and (which == "missing" or who == "admin"):
                    assert status == 404, (who, url, status)  # a draft and a try-out are their author's own
                elif re.search(r"/(drafts|try-outs)/\d", url):
                    assert status == 200, (who, url, status)
                else:
                    assert status in (200, 302, 404), (who, url, status)


@pytest.mark.parametrize("who", ["candidate", "evaluator", "trainer", "admin"])
def test_every_post_route_refuses_a_missing_csrf_token(app, world, who):
    session = login(app, ROLES[who])
    for method, url, _ in urls(app, world, "own"):
        if method == "POST":
            response = session.client.post(url, data={"content": "x", "minutes": "5", "reason": "r"})
            assert response.status_code in (400, 403), (url, response.status_code)


def test_no_get_route_changes_the_database(app, world):
    from sqlalchemy import text

    def snapshot():
        with app.app_context():
            return {t.name: db.session.execute(text(f"SELECT COUNT(*) FROM {t.name}")).scalar()
                    for t in db.metadata.sorted_tables if t.name not in ("login_sessions",)}

    sessions = {who: login(app, email) for who, email in ROLES.items() if email}
    before = snapshot()
    for session in sessions.values():
        for method, url, _ in urls(app, world, "own"):
            if method == "GET" and not re.search(r"/timer$", url):
                session.get(url)
    assert snapshot() == before


def test_a_role_play_is_its_candidates_own(app, world):
    own = f"/candidate/attempts/{world['own_role_play']}"
    for url in (f"{own}/conversations/transcript", f"{own}/recordings/pitch"):
        assert login(app, ROLES["candidate"]).get(url).status_code == 200, url
        assert login(app, ROLES["other candidate"]).get(url).status_code == 404, url
        assert login(app, ROLES["evaluator"]).get(url).status_code == 403, url
