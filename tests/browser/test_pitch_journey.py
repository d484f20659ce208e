"""A pitch recorded in Chromium from a fake microphone: pieces reach the server while it records, the limit
stops it by itself, and the jury can play it back; a refused microphone is reported to the jury."""
import time

import pytest
from sqlalchemy import func, select

from simulator.extensions import db
from simulator.recording.models import Piece, Take
from tests.browser.conftest import CHROMIUM, FLAGS
from tests.browser.pages import CandidatePages, GradingPages, LoginPage
from tests.browser.test_role_play_journey import role_play  # noqa: F401 (fixture: a role play with a pitch, and its jury)
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture(scope="module")
def media_chromium(chromium):
    """A second Chromium, from the same Playwright, whose microphone is a fake device."""
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, args=FLAGS + FAKE_MEDIA)
    yield browser
    browser.close()


def pieces(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Piece))
        db.session.remove()
        return count


def test_a_pitch_recorded_until_the_limit_stops_it_then_played_back(app, media_chromium, live_url, role_play):
    context = media_chromium.new_context(base_url=live_url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.clock.install()  # the page's timers: the 2-minute limit is reached without waiting 2 minutes
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    CandidatePages(page).start(role_play)
    page.click("#recording-pitch-start")
    page.wait_for_selector("#recording-pitch-stop:not([disabled])")
    deadline = time.monotonic() + 15
    while pieces(app) < 2 and time.monotonic() < deadline:  # pieces arrive while it records
        page.wait_for_timeout(250)
    assert pieces(app) >= 2
    page.clock.run_for(121_000)  # past the limit: the recorder stops by itself
    page.wait_for_selector("#recording-pitch-take-1 audio")
    assert "Aucune prise restante" in page.locator("#recording-pitch").inner_text()
    with app.app_context():
        take = db.session.scalars(select(Take)).one()
        assert take.status == "complete" and take.seconds == 120.0 and take.media_type.startswith("audio/")
    CandidatePages(page).hand_in()
    page.wait_for_selector("#receipt-digest")
    context.close()

    jury = media_chromium.new_context(base_url=live_url, locale="fr-FR").new_page()
    LoginPage(jury).open().sign_in(*PASSWORDS["evaluator"])
    GradingPages(jury).open_first_to_grade()
    audio = jury.locator("#recording-pitch")
    audio.wait_for()
    played = jury.request.get(audio.get_attribute("src"))
    assert played.status == 200 and played.headers["content-type"].startswith("audio/webm") and len(played.body()) > 1000
    jury.context.close()


def test_a_refused_microphone_is_reported_and_the_jury_sees_why(app, chromium, live_url, role_play):
    context = chromium.new_context(base_url=live_url, locale="fr-FR")  # no fake device: nothing to record from
    page = context.new_page()
    page.set_default_timeout(15_000)
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    CandidatePages(page).start(role_play)
    page.click("#recording-pitch-start")
    page.wait_for_selector("#recording-pitch .notice >> text=Enregistrement impossible")
    assert page.locator("#recording-pitch-start").is_visible()  # it may try again: a failure costs no take
    with app.app_context():
        take = db.session.scalars(select(Take)).one()
        assert take.status == "unavailable" and take.problem in ("denied", "no_device", "other")
    context.close()
