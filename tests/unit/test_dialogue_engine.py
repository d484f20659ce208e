"""The dialogue engine on a small dialogue written here: recognition, questions, negotiation, walkout."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.dialogue import ConversationOver, Engine, Run
from simulator.dialogue.text import Lexicon, Phrase

INTERLOCUTOR = {
    "persona": {"name": "Sandrine Le Gall", "role": "Acheteuse", "hides": ["Budget de 240 robots"]},
    "dialogue": {
        "start": "accueil",
        "patience": 3,
        "walkout": "rupture",
        "synonyms": {"robot": ["tondeuse"]},
        "questions": [{"match": ["budget", "combien de robots"], "say": "La direction a validé 240 robots au plus.",
                       "move": "question sur le budget", "evidence": ["g03"]}],
        "states": {
            "accueil": {"say": "Bonjour, je vous écoute.",
                        "replies": [{"match": ["si je comprends bien", "reformul*"], "goto": "offre",
                                     "move": "reformule", "evidence": ["g02"]},
                                    {"match": ["besoin", "question"], "goto": "offre", "evidence": ["g01"]}],
                        "fallback": ["Pardon ?", "Je ne vous suis pas."]},
            "offre": {"say": "Que me proposez-vous ?",
                      "replies": [{"match": ["récapitul*", "bon de commande"], "goto": "accord",
                                   "requires": ["remise", "delai"], "move": "conclut", "evidence": ["g05"]},
                                  {"match": ["garantie"], "goto": "offre", "say": "La garantie m'intéresse."}]},
            "accord": {"say": "Marché conclu.", "final": True, "outcome": "accord"},
            "rupture": {"say": "Je crois que nous perdons notre temps. Au revoir.", "final": True,
                        "outcome": "rupture"},
        },
    },
    "negotiation": [
        {"id": "remise", "label": "Remise", "unit": "%", "opening": 18, "target": 13, "limit": 10,
         "better": "higher", "match": ["remise"]},
        {"id": "delai", "label": "Délai de paiement", "unit": "jours", "opening": 90, "target": 60, "limit": 45,
         "better": "higher", "match": ["paiement"], "step": 5},
        {"id": "volume", "label": "Volume", "unit": "robots", "opening": 150, "target": 200, "limit": 240,
         "better": "lower", "match": ["volume", "robot", "engag*"]},
    ],
}


@pytest.fixture(scope="module")
def engine():
    return Engine(INTERLOCUTOR)


def play(engine, *replies):
    turn = engine.begin()
    turns = [turn]
    for text in replies:
        turn = engine.reply(turn.run, text)
        turns.append(turn)
    return turns


def test_accents_case_inflections_and_synonyms_do_not_defeat_recognition():
    lex = Lexicon({"robot": ["tondeuse"]})
    for phrase, text in [("délai de paiement", "LES DELAIS DU PAIEMENT"), ("négocier", "nous négocions"),
                         ("remise", "une petite ristourne"), ("robot", "vos tondeuses"),
                         ("récapitul*", "Récapitulons"), ("besoin", "vos attentes")]:
        assert any(Phrase(phrase, lex).find(c) is not None for c in lex.clauses(text)), (phrase, text)


def test_a_negated_phrase_does_not_count():
    lex = Lexicon()
    phrase = Phrase("d'accord pour 18", lex)
    assert all(phrase.find(c) is None for c in lex.clauses("Je ne suis pas d'accord pour 18 %."))
    assert any(phrase.find(c) is not None for c in lex.clauses("OK pour 18 %."))


def test_a_recognised_reply_moves_on_with_its_evidence(engine):
    opening, turn = play(engine, "Si je comprends bien, vous cherchez un fournisseur fiable ?")
    assert opening.text == "Bonjour, je vous écoute."
    assert turn.run.state == "offre"
    assert turn.text == "Que me proposez-vous ?"
    assert [(m.kind, m.label, m.evidence) for m in turn.moves] == [("reply", "reformule", ("g02",))]


def test_unrecognised_replies_get_the_fallbacks_in_turn_then_a_walkout(engine):
    turns = play(engine, "Il fait beau.", "Le train était en retard.", "J'aime le jardinage.")
    assert [t.text for t in turns[1:3]] == ["Pardon ?", "Je ne vous suis pas."]
    assert turns[3].run.state == "rupture" and turns[3].run.ended and turns[3].run.outcome == "rupture"
    with pytest.raises(ConversationOver):
        engine.reply(turns[3].run, "Attendez !")


def test_a_recognised_reply_resets_the_patience(engine):
    turns = play(engine, "Il fait beau.", "Le train était en retard.", "Quels sont vos besoins ?",
                 "Il pleut.", "Il neige.")
    assert not turns[-1].run.ended and turns[-1].run.misses == 2


def test_a_question_reveals_what_is_hidden_once_then_recalls_it(engine):
    turns = play(engine, "Quel est votre budget ?", "Et combien de robots au total ?")
    assert turns[1].text == "La direction a validé 240 robots au plus."
    assert turns[1].run.state == "accueil" and turns[1].moves[0].evidence == ("g03",)
    assert turns[2].text == "Comme je vous le disais, la direction a validé 240 robots au plus."


def test_offers_are_countered_halfway_then_held_at_target_without_counterpart(engine):
    turns = play(engine, "Quels sont vos besoins ?", "Je vous propose une remise de 11 %.",
                 "Une remise de 11 %, c'est mon maximum.", "Toujours 11 % de remise.", "Remise : 11 %.",
                 "Je maintiens 11 % de remise.")
    verdicts = [m.verdict for t in turns[2:] for m in t.moves if m.kind == "offer"]
    assert verdicts == ["countered"] * 4 + ["held"]
    assert [t.run.positions["remise"] for t in turns[2:]] == [16.0, 15.0, 14.0, 13.0, 13.0]
    assert "sans contrepartie" in turns[-1].text


def test_a_counterpart_unlocks_a_concession_down_to_the_limit(engine):
    turns = play(engine, "Quels sont vos besoins ?", "En contrepartie d'un engagement sur 200 robots, 10 % de remise.")
    moves = {m.term: m.verdict for m in turns[2].moves if m.kind == "offer"}
    assert moves == {"remise": "accepted", "volume": "accepted"}
    assert turns[2].run.agreed == {"remise": 10.0, "volume": 200.0}


def test_an_offer_beyond_the_limit_is_refused_whatever_is_given(engine):
    turns = play(engine, "Quels sont vos besoins ?", "Si vous vous engagez sur 200 robots, je fais 8 % de remise.")
    remise = next(m for m in turns[2].moves if m.term == "remise")
    assert remise.verdict == "refused" and "remise" not in turns[2].run.agreed
    assert "pas envisageable" in turns[2].text


def test_the_deal_cannot_close_while_terms_are_open(engine):
    turns = play(engine, "Quels sont vos besoins ?", "Je récapitule nos accords.")
    assert turns[2].run.state == "offre" and "pas encore d'accord" in turns[2].text
    assert turns[2].moves[0].kind == "blocked"
    turns = play(engine, "Quels sont vos besoins ?", "En échange d'un volume de 200 robots : remise 12 %, paiement à 60 jours.",
                 "Je récapitule : bon de commande signé cette semaine.")
    assert turns[-1].run.ended and turns[-1].run.outcome == "accord" and engine.deal(turns[-1].run)
    assert turns[-1].run.agreed == {"remise": 12.0, "delai": 60.0, "volume": 200.0}


def test_figures_that_are_not_offers(engine):
    turns = play(engine, "Vous demandez 18 % de remise, je comprends.", "Livraison le 15 décembre.",
                 "Je ne peux pas aller à 12 % de remise.")
    assert not [m for t in turns[1:] for m in t.moves if m.kind == "offer"]


def test_the_same_replies_give_the_same_conversation(engine):
    replies = ["Quels sont vos besoins ?", "Remise de 12 %", "La garantie est de 3 ans.", "Il pleut", "Budget ?"]
    first, second = play(engine, *replies), play(Engine(INTERLOCUTOR), *replies)
    assert [(t.text, t.run.to_dict()) for t in first] == [(t.text, t.run.to_dict()) for t in second]


def test_a_run_survives_a_round_trip_through_json(engine):
    import json

    turns = play(engine, "Quels sont vos besoins ?", "Remise de 12 %")
    restored = Run.from_dict(json.loads(json.dumps(turns[-1].run.to_dict())))
    assert engine.reply(restored, "Remise de 12 %").text == engine.reply(turns[-1].run, "Remise de 12 %").text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["remise", "paiement", "robots"]),
                          st.integers(min_value=0, max_value=300),
                          st.booleans()), min_size=1, max_size=12))
def test_nothing_beyond_a_limit_is_ever_agreed(offers):
    engine = Engine(INTERLOCUTOR)
    run = engine.begin().run
    for word, value, counterpart in offers:
        text = f"{'En contrepartie, ' if counterpart else ''}je propose {value} " + \
               {"remise": "% de remise", "paiement": "jours de délai de paiement", "robots": "robots"}[word]
        run = engine.reply(run, text).run
        if run.ended:
            break
    for term in INTERLOCUTOR["negotiation"]:
        if term["id"] in run.agreed:
            value = run.agreed[term["id"]]
            assert value >= term["limit"] if term["better"] == "higher" else value <= term["limit"]
        position = run.positions[term["id"]]
        assert position >= term["limit"] if term["better"] == "higher" else position <= term["limit"]


def test_the_engine_imports_neither_flask_nor_the_database():
    package = Path(__file__).resolve().parents[2] / "simulator" / "dialogue"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith(("flask", "sqlalchemy", "simulator.extensions")), (path.name, name)


def test_the_interlocutors_own_figure_repeated_is_a_quote_unless_agreed(engine):
    turns = play(engine, "Quels sont vos besoins ?", "Le paiement à 90 jours est illégal en France.",
                 "Un délai de paiement à 90 jours, ce n'est pas possible. Parlons garantie.",
                 "Vos 90 jours de paiement nous coûteraient cher.", "D'accord pour un paiement à 90 jours.")
    assert [m for t in turns[2:5] for m in t.moves if m.kind == "offer"] == []
    assert turns[5].run.agreed == {"delai": 90.0}


def test_a_firm_offer_is_still_an_offer(engine):
    for firm in ("Une remise de 12 %, pas plus.", "12 % de remise, je ne peux vraiment pas faire mieux."):
        turns = play(engine, "Quels sont vos besoins ?", firm)
        assert [m.verdict for m in turns[2].moves if m.kind == "offer"] == ["countered"], firm


def test_agreeing_to_the_counter_offer_needs_no_word_for_the_term(engine):
    turns = play(engine, "Quels sont vos besoins ?", "Je vous propose une remise de 12 %.", "D'accord pour 16.",
                 "Non, je reste à 12 % de remise.")
    assert turns[2].run.positions["remise"] == 16.0 and turns[3].run.agreed == {"remise": 16.0}
    assert [m.verdict for m in turns[4].moves if m.kind == "offer"] == ["held"]
