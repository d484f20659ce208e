"""A role play in Chromium: the candidate negotiates with the simulated interlocutor to the end, hands in,
and the jury reads the transcript with its hints."""
import pytest
from sqlalchemy import select

from simulator.exams import services
from simulator.exams.models import Attempt, HandIn
from simulator.extensions import db
from tests.browser.pages import CandidatePages, ConversationPages, GradingPages, LoginPage
from tests.exam_helpers import schedule
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser


@pytest.fixture
def role_play(app, users, loaded, clock, _password_hashes):
    from tests.grading_helpers import evaluator

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        session = schedule("demo-b1-jeu-de-role")
        db.session.commit()
        return session.attempts[0].id


def test_a_negotiation_run_to_its_end_then_graded(app, page, role_play, chromium, live_url):
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    CandidatePages(page).start(role_play)
    chat = ConversationPages(page)
    chat.wait_open()
    assert "Bonjour, je vous écoute." in page.locator("#chat-transcript").inner_text()

    page.click("#chat-transcript-send")  # an empty reply: the browser asks for text, nothing is sent
    assert page.locator("#chat-transcript .turn-candidate").count() == 0

    page.context.set_offline(True)  # a network cut: the reply is not lost, the candidate is told
    page.fill("#chat-transcript-said", "Bonjour Madame Ferreira, quels sont vos besoins ?")
    page.click("#chat-transcript-send")
    page.wait_for_selector("#chat-transcript-offline:not([hidden])")
    assert page.input_value("#chat-transcript-said") == "Bonjour Madame Ferreira, quels sont vos besoins ?"
    page.context.set_offline(False)
    assert "trois hôtels" in chat.say("Bonjour Madame Ferreira, quels sont vos besoins ?")
    assert "effort : 85" in chat.say("Je vous propose un prix unitaire de 94 €.")
    assert "pas encore d'accord" in chat.say("Je recapitule et je vous envoie le bon de commande.")
    assert "c'est d'accord" in chat.say("En contrepartie d'un paiement a 60 jours, je vous propose un prix de 92 €.")
    assert "bon de commande" in chat.say("Je récapitule : 92 € et paiement à 60 jours.")
    assert chat.over()
    assert "60 jours" in page.locator("#chat-transcript-agreed").inner_text()

    page.reload()  # reopening the workspace shows the whole conversation, from the server
    page.wait_for_selector("#chat-transcript-over")
    assert page.locator("#chat-transcript .turn-candidate").count() == 5
    CandidatePages(page).hand_in()
    page.wait_for_selector("#receipt-digest")
    with app.app_context():
        receipt = db.session.scalars(select(HandIn)).one()
        assert receipt.snapshot["transcripts"]["transcript"]["outcome"] == "accord conclu"
        assert page.locator("#receipt-digest").inner_text() == receipt.sha256
        assert services.latest_texts(db.session.get(Attempt, role_play)) == {}

    jury = chromium.new_context(base_url=live_url, locale="fr-FR").new_page()
    LoginPage(jury).open().sign_in(*PASSWORDS["evaluator"])
    grading = GradingPages(jury)
    grading.open_first_to_grade()
    transcript = jury.locator("#transcript-transcript")
    assert "En contrepartie d'un paiement" in transcript.inner_text()
    assert transcript.locator(".badge.hint").count() >= 2
    assert "accord conclu" in jury.locator("#transcript-transcript-end").inner_text()
    jury.context.close()


XSS = ['<script>alert("s")</script>', '<img src=x onerror=alert("i")>', '<svg onload=alert("v")>',
       '<a id="xss-link" href="javascript:alert(1)">lien</a>', '<div id="xss-hx" hx-get="/logout" hx-trigger="load">x</div>',
       '<button id="xss-on" hx-on:click="alert(1)">b</button>', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">']


def test_what_a_candidate_types_in_the_conversation_never_runs(app, page, role_play, chromium, live_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    CandidatePages(page).start(role_play)
    chat = ConversationPages(page)
    chat.wait_open()
    for number, payload in enumerate(XSS):
        chat.say(payload)
        if number % 2:  # a recognised question, so that the interlocutor does not walk out
            chat.say("Et votre concurrent ?")
    assert page.locator("#chat-transcript .turn-candidate").count() == len(XSS) + len(XSS) // 2
    assert page.locator("#chat-transcript img, #chat-transcript svg, #xss-link, #xss-hx, #xss-on").count() == 0
    CandidatePages(page).hand_in()
    page.wait_for_selector("#receipt-digest")
    jury = chromium.new_context(base_url=live_url, locale="fr-FR").new_page()
    jury.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    LoginPage(jury).open().sign_in(*PASSWORDS["evaluator"])
    GradingPages(jury).open_first_to_grade()
    transcript = jury.locator("#transcript-transcript")
    assert '<img src=x onerror=alert("i")>' in transcript.inner_text()
    assert transcript.locator("img, svg, script, a, [hx-get], [hx-on\\:click]").count() == 0
    assert "/evaluator/gradings/" in jury.url  # still on the grading page: no hx-get to /logout ran
    jury.context.close()
    assert dialogs == []
