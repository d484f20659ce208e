"""French words the engine knows before any scenario adds its own."""
from __future__ import annotations

# Words said the same way in a business conversation; the first of each group names it.
# A scenario adds its own under dialogue.synonyms.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("prix", "tarif", "tarifs", "coût", "cout", "montant"),
    ("remise", "rabais", "réduction", "ristourne", "discount"),
    ("délai", "échéance"),
    ("paiement", "règlement", "payer", "payé", "payés", "payée", "payez", "payons", "régler"),
    ("livraison", "livrer", "expédition", "expédier"),
    ("volume", "quantité", "quantités"),
    ("budget", "enveloppe"),
    ("besoin", "attente", "attentes", "exigence"),
    ("problème", "souci", "difficulté", "inquiétude", "préoccupation"),
    ("objectif", "but", "cible"),
    ("proposition", "offre", "proposer"),
    ("récapituler", "résumer", "synthétiser", "récap", "récapitulatif"),
    ("garantie", "garantir"),
    ("collaborateur", "salarié", "employé", "équipier"),
    ("augmentation", "hausse", "revalorisation"),
    ("baisse", "diminution"),
    ("concurrent", "concurrence", "concurrents"),
    ("formation", "former"),
    ("entreprise", "société"),
    ("accord", "ok", "okay", "entendu", "accepter", "accepte", "acceptons", "deal"),
    ("merci", "remercie", "remercier"),
    ("commande", "commander"),
)

# Left out of phrases and text before matching: they carry no meaning of their own here.
STOPWORDS = frozenset("""
le la les l un une des du de d au aux a en et ou ce cet cette ces c ca
je j tu il elle on nous vous ils elles me m te t se s y lui leur leurs
mon ma mes ton ta tes son sa ses notre nos votre vos
que qu qui dont est es sont suis sommes etes ai as avons avez ont
pour par sur avec dans chez bien tres tout tous toute toutes donc alors
""".split())

# A phrase preceded closely by one of these does not count ("je n'accepte pas", "sans engagement").
NEGATIONS = frozenset("ne n pas jamais non sans aucun aucune ni guere rien".split())
NEGATION_WINDOW = 2
FIGURE_NEGATION_WINDOW = 4  # "je ne peux pas aller à 12 %"
FIGURE_NEGATIONS = NEGATIONS - {"non"}  # "Non, je reste à 10 %" is a firm offer

# Words, in a row and as typed (without accents), that tie a concession to something given in return
# ("en contrepartie", "si vous vous engagez…"): the interlocutor goes beyond its target only then.
COUNTERPARTS: tuple[tuple[str, ...], ...] = (
    ("contrepartie",), ("en", "echange"), ("a", "condition"), ("sous", "reserve"), ("moyennant",),
    ("en", "retour"), ("donnant", "donnant"), ("de", "votre", "cote"), ("si", "vous"),
)

# A figure in a clause that reports the other side's words is not an offer ("vous demandez 18 %").
REPORTED: tuple[tuple[str, ...], ...] = (
    ("vous", "demandez"), ("vous", "souhaitez"), ("vous", "voulez"), ("vous", "proposez"), ("vous", "exigez"),
    ("vous", "parlez"), ("vous", "dites"), ("vous", "attendez"), ("votre", "demande"), ("vous", "me", "demandez"),
    ("vous", "nous", "demandez"), ("si", "je", "comprends"), ("vous", "etes", "a"), ("vous", "en", "etes", "a"),
)

# A clause holding one of these refuses the figures it quotes ("98,5 % est impossible pour nous").
REFUSALS = frozenset("impossible inacceptable inenvisageable exclu irrealiste intenable irrealisable illegal illegale "
                     "interdit interdite illicite abusif abusive".split())

# Repeating the interlocutor's own figure is a quote ("vos 90 jours nous coûteraient cher") unless the clause
# agrees to it or proposes it ("je vous accorde 90 jours", "nous pouvons aller à 90 jours").
ACCEPTANCES: tuple[str, ...] = (
    "accord", "va pour", "c'est bon", "ça marche", "je valide", "on part sur", "retenons", "proposition", "peux",
    "pouvons", "pourrions", "pourrais", "concède*", "consens*", "signe*", "je prends", "nous prenons",
    "pas de problème", "sans problème", "parfait", "volontiers", "bien sûr", "allons-y",
)

# How far after a figure a refusal refuses it ("90 jours, ce n'est pas possible"; but "10 %, je ne peux pas
# faire mieux" is a firm offer).
REFUSAL_REACH = 5
REFUSED_AFTER: tuple[tuple[str, ...], ...] = (
    ("n", "est"), ("n", "etait"), ("n", "serait"), ("ne", "sont"), ("pas", "possible"), ("pas", "envisageable"),
    ("pas", "acceptable"), ("pas", "question"), ("pas", "realiste"), ("pas", "tenable"), ("hors", "de", "question"),
)

# A figure followed by one of these is a date, not an offer.
MONTHS = frozenset("janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split())

# How far (in words that carry meaning) a figure may be from the word that names its term.
OFFER_REACH = 5

DEFAULT_FALLBACKS: tuple[str, ...] = (
    "Je ne suis pas sûr de vous suivre. Pouvez-vous préciser ?",
    "Pardon, je ne vois pas où vous voulez en venir.",
    "Pouvez-vous reformuler ? Je n'ai pas bien compris.",
)
