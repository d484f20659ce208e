"""A trainer browses référentiels, scenarios, coverage, and previews a scenario as a candidate would."""
import pytest


@pytest.fixture
def trainer(as_role, loaded):
    return as_role("trainer")


def test_trainer_home_lists_the_certifications(trainer):
    html = trainer.get("/trainer/").get_data(as_text=True)
    assert "Chargé de clientèle (exemple)" in html and "2 scénarios" in html


def test_referentiel_page_shows_blocs_competences_modalities_and_criteria(trainer):
    html = trainer.get("/trainer/referentiels/").get_data(as_text=True)
    assert 'href="/trainer/referentiels/demo"' in html
    page = trainer.get("/trainer/referentiels/demo")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for expected in ["B1 — Prospecter et vendre", "C1.1", "Conduire un entretien de vente structuré.",
                     "code dérivé", "imprimé « C.1.1. »", "Modalité B1-E1 — Étude de cas écrite", "3 h 30",
                     "Étude de cas écrite", "Binôme", "Les besoins du client sont identifiés et hiérarchisés.",
                     "Pertinence de l&#39;analyse :", "Chaque bloc est validé séparément.", "1 × intervenant",
                     "Des temps d&#39;évaluation aménagés (1/3 temps ou plus si besoin)."]:
        assert expected in html, expected


def test_unknown_referentiel_is_404(trainer):
    assert trainer.get("/trainer/referentiels/nope").status_code == 404
    assert trainer.get("/trainer/referentiels/nope/coverage").status_code == 404


def test_scenario_list_and_its_htmx_fragment(trainer):
    page = trainer.get("/trainer/scenarios/")
    html = page.get_data(as_text=True)
    assert "Proposition commerciale pour Atelier Lumen" in html and "Négociation avec la centrale" in html
    assert 'id="scenario-list"' in html
    fragment = trainer.get("/trainer/scenarios/?certification=demo", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'id="scenarios"' in text and "2 scénario(s)" in text
    empty = trainer.get("/trainer/scenarios/?certification=other", headers={"HX-Request": "true"})
    assert "Aucun scénario." in empty.get_data(as_text=True)


def test_scenario_page_shows_grid_persona_and_jury_notes_to_the_trainer(trainer):
    html = trainer.get("/trainer/scenarios/demo-b1-jeu-de-role").get_data(as_text=True)
    for expected in ["Claire Ferreira", "Le concurrent a un délai de 12 semaines", "Prix unitaire",
                     "ne cède pas sous 8 % de remise", "L&#39;entretien suit les étapes de la vente.", "v1"]:
        assert expected in html, expected


def test_preview_shows_what_a_candidate_sees_and_nothing_for_the_jury(trainer):
    page = trainer.get("/trainer/scenarios/demo-b1-etude-de-cas/preview")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for expected in ["Aperçu : voici ce que voit un candidat", "Vous disposez de 3 h 30.", "Atelier Lumen",
                     "<table>", "Lyon Part-Dieu", "Télécharger tarifs.csv", "Chiffrage (tableur)", "xlsx, ods",
                     "Analyser la demande", "Temps accordé : 3 h 30"]:
        assert expected in html, expected
    for hidden in ["remise volume correctement appliquée", "Attendus", "Grille de critères"]:
        assert hidden not in html, hidden


def test_preview_of_a_role_play_hides_what_the_persona_hides(trainer):
    html = trainer.get("/trainer/scenarios/demo-b1-jeu-de-role/preview").get_data(as_text=True)
    assert "Claire Ferreira" in html
    assert "12 semaines" not in html and "remise d&#39;au moins 10 %" not in html


def test_preview_starts_nothing(app, trainer):
    from simulator.extensions import db

    with app.app_context():
        before = {t.name: db.session.execute(t.select()).all() for t in db.metadata.sorted_tables if t.name != "login_sessions"}
    trainer.get("/trainer/scenarios/demo-b1-etude-de-cas/preview")
    with app.app_context():
        after = {t.name: db.session.execute(t.select()).all() for t in db.metadata.sorted_tables if t.name != "login_sessions"}
    assert before == after


def test_attachment_downloads_as_a_file(trainer):
    response = trainer.get("/trainer/scenarios/demo-b1-etude-de-cas/v1/files/tarifs")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=tarifs.csv")
    assert response.get_data() == "reference;prix\nLUM-01;120\n".encode()
    assert trainer.get("/trainer/scenarios/demo-b1-etude-de-cas/v1/files/nope").status_code == 404
    assert trainer.get("/trainer/scenarios/demo-b1-etude-de-cas/v9/files/tarifs").status_code == 404


def test_coverage_matrix(trainer):
    html = trainer.get("/trainer/referentiels/demo/coverage").get_data(as_text=True)
    assert "Chaque compétence est évaluée par au moins un scénario." in html
    assert 'id="coverage-matrix"' in html and "demo-b1-jeu-de-role" in html


def test_markdown_from_files_is_sanitised(app, trainer):
    from simulator.extensions import db
    from simulator.scenarios.models import ScenarioVersion

    with app.app_context():
        version = db.session.scalars(db.select(ScenarioVersion)).first()
        document = dict(version.document)
        document["candidate_brief"] = "Lisez <script>alert(1)</script> [lien](javascript:alert(1)) **bien**"
        version.document = document
        db.session.commit()
        slug = version.scenario.slug
    html = trainer.get(f"/trainer/scenarios/{slug}/preview").get_data(as_text=True)
    assert "<script>alert" not in html and 'href="javascript' not in html and "<strong>bien</strong>" in html


def test_admin_can_browse_the_catalogue_too(as_role, loaded):
    admin = as_role("admin")
    assert admin.get("/trainer/referentiels/demo").status_code == 200
    assert admin.get("/admin/users/").status_code == 200
