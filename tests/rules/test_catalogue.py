"""The catalogue against the guide: quotes, IDs, coverage of every sentence, parameters, validators."""

import importlib
import re
from pathlib import Path

import pytest

from moncompte import rules
from moncompte.rules import guide
from moncompte.rules.model import Level, Step
from moncompte.rules.non_normative import NON_NORMATIVE

REPO_ROOT = Path(__file__).resolve().parents[2]
RULE_IDS = [r.id for r in rules.RULES]


def test_shipped_guide_is_the_seed():
    seed = REPO_ROOT.parent / "shared/seed/mon-compte-creation.txt"
    if not seed.exists():
        pytest.skip(f"copie de référence du guide absente : {seed} (shared/ n'est pas à côté du dépôt)")
    shipped = REPO_ROOT / "rules/data/guide.txt"
    assert shipped.read_text(encoding="utf-8") == seed.read_text(encoding="utf-8")


def test_guide_text_drops_markdown_emphasis():
    assert "**" in guide.raw_text()
    assert "**" not in guide.text()
    assert "Il doit faire entre 8 et 24 caractères" in guide.text()


@pytest.mark.parametrize("rule", rules.RULES, ids=RULE_IDS)
def test_quote_is_an_exact_substring_of_the_guide(rule):
    assert rule.quote, rule.id
    assert rule.quote in guide.text()


def test_rule_ids_are_unique():
    duplicates = sorted({i for i in RULE_IDS if RULE_IDS.count(i) > 1})
    assert duplicates == []
    assert len(rules.BY_ID) == len(rules.RULES)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_id_shape(rule_id):
    assert re.fullmatch(r"[A-Z][A-Z0-9-]+", rule_id)


@pytest.mark.parametrize("rule", rules.RULES, ids=RULE_IDS)
def test_rule_has_a_title_a_level_and_a_step(rule):
    assert rule.title.strip()
    assert isinstance(rule.level, Level)
    assert isinstance(rule.step, Step)


@pytest.mark.parametrize("sentence", guide.sentences())
def test_every_sentence_is_covered_or_judged_non_normative(sentence):
    share = guide.coverage(sentence, [r.quote for r in rules.RULES])
    if sentence in NON_NORMATIVE:
        assert NON_NORMATIVE[sentence].strip(), "a non-normative sentence needs a reason"
    else:
        assert share >= 0.9, f"the rules quote only {share:.0%} of « {sentence} »"


@pytest.mark.parametrize("sentence", list(NON_NORMATIVE))
def test_non_normative_entries_are_sentences_of_the_guide(sentence):
    assert sentence in guide.sentences()
    assert not [r.id for r in rules.RULES if guide.covers(r.quote, sentence)], "covered, so not non-normative"


def test_sentences_of_the_guide():
    sentences = guide.sentences()
    assert sentences[0] == (
        "Pour faire une demande de prestation, je dois d'abord créer mon espace personnel si je ne suis"
        " pas encore allocataire."
    )
    assert "mon numéro de sécurité sociale," in sentences  # a list item of step ④
    assert "Je choisis mon mot de passe." in sentences  # step mark ⑧ stripped
    assert "Une pièce d'identité justificative peut m'être demandée." in sentences
    assert "La création de mon espace est simple et rapide !" in sentences  # split after « ! »
    assert len(sentences) == 40  # counted by hand in the guide


def test_coverage_of_a_sentence_by_several_quotes():
    sentence = "Je clique sur « A » et je choisis le thème."
    assert guide.coverage(sentence, ["Je clique sur « A »"]) < 0.5
    assert guide.coverage(sentence, ["Je clique sur « A »", "et je choisis le thème."]) > 0.95  # all but a space
    assert guide.coverage("mes prénoms,", ["mes prénoms"]) == 1.0
    assert guide.coverage("Bon à savoir !", ["mes prénoms"]) == 0.0


@pytest.mark.parametrize(
    "sentence, quotes, share",
    [
        # 15 characters once the end « . » is set aside; each of the 3 « non » counts: 9 of 15.
        pytest.param("non, non et non.", ["non"], 9 / 15, id="citation-repetee"),
        # A quote is looked for without its end punctuation, and covers only what it matched.
        pytest.param("non, non et non.", ["non,"], 9 / 15, id="citation-avec-virgule"),
        pytest.param("ouistiti", ["oui."], 3 / 8, id="citation-avec-point-dans-un-mot"),
        # Overlapping occurrences of « 11 » in « 111 »: 3 characters of « Le code est 111 ».
        pytest.param("Le code est 111.", ["11"], 3 / 15, id="occurrences-chevauchantes"),
        # « X » is a letter, not end punctuation: « Le sexe est F, M ou X » has 21 characters.
        pytest.param("Le sexe est F, M ou X.", ["Le sexe est F, M"], 16 / 21, id="phrase-finissant-par-X"),
        pytest.param("M ou F, puis M ou X", ["M ou X"], 6 / 19, id="citation-finissant-par-X"),
        pytest.param(" ?!", ["x"], 0.0, id="ponctuation-seule"),
    ],
)
def test_coverage_exact_share(sentence, quotes, share):
    assert guide.coverage(sentence, quotes) == share


def test_covers():
    assert guide.covers("mon numéro de sécurité sociale", "mon numéro de sécurité sociale,")
    assert guide.covers("Je choisis mon mot de passe.", "Je choisis mon mot de passe.")
    assert not guide.covers("ma civilité", "mes prénoms,")
    # The sentence, its end comma aside, is inside the quote.
    assert guide.covers("mes prénoms et mon nom", "mes prénoms,")
    # The quote is inside the sentence.
    assert guide.covers("ma civilité", "ma civilité, mes prénoms,")
    # « X » is not end punctuation: « le sexe X » is not « le sexe ».
    assert not guide.covers("le sexe F ou M", "le sexe X")


def test_passages_of_the_guide_by_step():
    passages = guide.passages()
    assert list(passages) == ["Introduction", "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "Bon à savoir"]
    assert passages["Introduction"] == (
        "Pour faire une demande de prestation, je dois d'abord créer mon espace personnel si je ne suis pas"
        " encore allocataire. Si je fais partie d'un foyer allocataire, je peux aussi créer mon espace personnel."
    )
    assert passages["④"] == "\n".join(
        [
            "④ Je commence par renseigner les informations de mon état civil :",
            "- mon numéro de sécurité sociale,",
            "- ma civilité,",
            "- mon nom de naissance,",
            "- mes prénoms,",
            "- ma date de naissance,",
            "- mon lieu de naissance.",
            "Si ne possède pas de numéro de sécurité sociale, un identifiant provisoire me sera fourni.",
        ]
    )
    assert passages["⑧"] == (
        "⑧ Je choisis mon mot de passe. Il doit faire entre 8 et 24 caractères et se composer d'au moins"
        " 1 chiffre, 1 lettre majuscule et 1 lettre minuscule."
    )
    assert passages["⑤"].splitlines()[-1] == (
        "* Si je ne possède pas de titre d'identité français, je peux quand même créer Mon Compte en cliquant"
        " sur « Je ne dispose pas d'une pièce d'identité française ». Une pièce d'identité justificative peut"
        " m'être demandée."
    )
    bon_a_savoir = passages["Bon à savoir"].splitlines()
    assert len(bon_a_savoir) == 5
    assert bon_a_savoir[0] == (
        "- La création de mon espace est simple et rapide ! Je suis guidé tout au long de la démarche et le"
        " Chatbot peut lui aussi m'aider si j'ai des questions."
    )  # stripped: the guide's line ends with a space
    assert bon_a_savoir[-1].endswith("Je peux demander une prestation et gérer le dossier.")
    for heading in ("Comment créer Mon Compte ?", "Comment sécuriser Mon Compte ?", "Bon à savoir !"):
        assert not [step for step, text in passages.items() if heading in text], heading


SMALL_GUIDE = """
Première phrase. Deuxième phrase !

Comment créer Mon Compte ?

Ligne entre le titre et la première étape.

① Je fais ceci. Xavier fait cela.

- ma civilité,
- Xénia ou Xavier,

* Une note. « Une citation » suit.

Bon à savoir !

- Un conseil.
"""


def test_passages_and_sentences_of_a_small_guide(monkeypatch):
    monkeypatch.setattr(guide, "text", lambda: SMALL_GUIDE)
    # A section heading belongs to no step, nor does what follows it before the next step mark.
    assert guide.passages() == {
        "Introduction": "Première phrase. Deuxième phrase !",
        "①": "① Je fais ceci. Xavier fait cela.\n- ma civilité,\n- Xénia ou Xavier,\n"
        "* Une note. « Une citation » suit.",
        "Bon à savoir": "- Un conseil.",
    }
    # Step marks, bullets and footnote stars are dropped; letters (even a leading X) are kept.
    assert guide.sentences() == [
        "Première phrase.",
        "Deuxième phrase !",
        "Comment créer Mon Compte ?",
        "Ligne entre le titre et la première étape.",
        "Je fais ceci.",
        "Xavier fait cela.",
        "ma civilité,",
        "Xénia ou Xavier,",
        "Une note.",
        "« Une citation » suit.",
        "Bon à savoir !",
        "Un conseil.",
    ]


PARAMETERS = [pytest.param(rule, p, id=f"{rule.id}.{p.name}") for rule in rules.RULES for p in rule.parameters]


@pytest.mark.parametrize("rule, parameter", PARAMETERS)
def test_every_parameter_is_documented_and_every_choice_explained(rule, parameter):
    assert parameter.description.strip()
    if parameter.choice:
        assert len(parameter.rationale.strip()) > 20, f"{rule.id}.{parameter.name}: rationale too short"


def test_parameter_names_are_unique_within_a_rule():
    for rule in rules.RULES:
        names = [p.name for p in rule.parameters]
        assert len(names) == len(set(names)), rule.id


def test_a_choice_without_rationale_is_rejected():
    with pytest.raises(ValueError, match="^parameter x: a choice needs a rationale$"):
        rules.Parameter("x", 1, "un paramètre", choice=True)
    # A value fixed by the guide needs no rationale; a choice with one is fine.
    assert rules.Parameter("x", 1, "un paramètre").rationale == ""
    assert rules.Parameter("x", 1, "un paramètre", choice=True, rationale="parce que").choice


def test_unknown_parameter_of_a_rule_is_a_key_error():
    with pytest.raises(KeyError, match="MDP-LONGUEUR has no parameter 'minimum'"):
        rules.get("MDP-LONGUEUR").parameter("minimum")


# The guide's own values, written here as the oracle.
@pytest.mark.parametrize(
    "rule_id, name, default, choice",
    [
        ("MDP-LONGUEUR", "min", 8, False),
        ("MDP-LONGUEUR", "max", 24, False),
        ("MDP-CHIFFRE", "min", 1, False),
        ("MDP-MAJUSCULE", "min", 1, False),
        ("MDP-MINUSCULE", "min", 1, False),
        ("MDP-MAJUSCULE", "accents_acceptes", True, True),
        ("MDP-MINUSCULE", "accents_acceptes", True, True),
        ("ROLE-ENFANT-15", "age_min", 16, True),
        ("CODE-FORMAT", "longueur", 6, True),
        ("CODE-EXPIRATION", "validite_minutes", 10, True),
        ("CODE-TENTATIVES", "essais_max", 3, True),
        ("CODE-RENVOI", "delai_secondes", 60, True),
        ("ID-PROVISOIRE", "format", r"^P[0-9]{9}$", True),
        ("NIR-SEXE", "nia_accepte", False, True),
    ],
)
def test_guide_values_and_open_choices(rule_id, name, default, choice):
    parameter = rules.get(rule_id).parameter(name)
    assert (parameter.default, parameter.choice) == (default, choice)
    assert rules.DEFAULTS[rule_id][name] == default


VALIDATED = [pytest.param(r, id=r.id) for r in rules.RULES if r.validator]


@pytest.mark.parametrize("rule", VALIDATED)
def test_validator_resolves_to_a_callable_of_the_rules_package(rule):
    module_name, _, attribute = rule.validator.rpartition(".")
    assert module_name.startswith("moncompte.rules.")
    assert callable(getattr(importlib.import_module(module_name), attribute))


@pytest.mark.parametrize(
    "rule_id, validator",
    [
        ("MDP-LONGUEUR", "moncompte.rules.mot_de_passe.validate_password"),
        ("NIR-CLE", "moncompte.rules.nir.validate_nir"),
        ("EC-CHAMPS", "moncompte.rules.etat_civil.validate_civil_status"),
        ("EC-LIEU-NAISSANCE", "moncompte.rules.etat_civil.validate_birth_place"),
        ("PI-NUMERO", "moncompte.rules.piece_identite.validate_document_number"),
        ("PI-CONTROLE-MRZ", "moncompte.rules.piece_identite.validate_document_number"),
        ("CONTACT-MOBILE", "moncompte.rules.coordonnees.validate_mobile"),
        ("CONTACT-EMAIL", "moncompte.rules.coordonnees.validate_email"),
        ("CODE-FORMAT", "moncompte.rules.code.validate_code_format"),
        ("ROLE-ENFANT-AGE", "moncompte.rules.roles.can_create_account"),
    ],
)
def test_validators_of_the_main_rules(rule_id, validator):
    assert rules.get(rule_id).validator == validator


def test_every_step_of_the_guide_has_rules():
    steps = {r.step for r in rules.RULES}
    for step in ("①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "Bon à savoir"):
        assert Step(step) in steps, step


def test_step_tags():
    assert [Step(s).tag for s in ("①", "⑧", "⑨", "Bon à savoir", "Introduction")] == [
        "etape_1",
        "etape_8",
        "etape_9",
        "bon_a_savoir",
        "introduction",
    ]


# What the issue requires the catalogue to cover, topic by topic.
REQUIRED = {
    "Rubrique « Aides et démarches » (①)": ("NAV-AIDES-DEMARCHES", "①"),
    "Icône « Mon Compte » pour les membres d'un foyer (①)": ("NAV-ICONE-MON-COMPTE", "①"),
    "« Mes démarches » (②)": ("NAV-MES-DEMARCHES", "②"),
    "Bandeau « Faites une demande de prestation en ligne » (②)": ("NAV-BANDEAU-THEMES", "②"),
    "« Faire la demande » (③)": ("NAV-FAIRE-LA-DEMANDE", "③"),
    "« Créer un compte » pour « commencer » (③)": ("NAV-CREER-UN-COMPTE", "③"),
    "NIR : format": ("NIR-FORMAT", "④"),
    "NIR : clé, 2A/2B": ("NIR-CLE", "④"),
    "NIR : sexe et civilité": ("NIR-SEXE", "④"),
    "NIR : année et mois de naissance": ("NIR-NAISSANCE", "④"),
    "NIR : né à l'étranger (99)": ("NIR-LIEU", "④"),
    "Civilité": ("EC-CIVILITE", "④"),
    "Nom de naissance": ("EC-NOM-NAISSANCE", "④"),
    "Prénoms": ("EC-PRENOMS", "④"),
    "Date de naissance": ("EC-DATE-NAISSANCE", "④"),
    "Lieu de naissance": ("EC-LIEU-NAISSANCE", "④"),
    "Identifiant provisoire": ("ID-PROVISOIRE", "④"),
    "Numéro de pièce d'identité": ("PI-NUMERO", "⑤"),
    "Chiffre de contrôle MRZ": ("PI-CONTROLE-MRZ", "⑤"),
    "« Je ne dispose pas d'une pièce d'identité française »": ("PI-SANS-PIECE-FR", "⑤"),
    "Justificatif possible": ("PI-JUSTIFICATIF", "⑤"),
    "Adresse e-mail": ("CONTACT-EMAIL", "⑥"),
    "Téléphone portable (outre-mer compris, fixes refusés)": ("CONTACT-MOBILE", "⑥"),
    "Code envoyé immédiatement": ("CODE-ENVOI-IMMEDIAT", "⑥"),
    "Code validé (⑦)": ("CODE-VALIDATION", "⑦"),
    "Code à usage unique": ("CODE-USAGE-UNIQUE", "Bon à savoir"),
    "Expiration du code": ("CODE-EXPIRATION", "Bon à savoir"),
    "Essais limités": ("CODE-TENTATIVES", "Bon à savoir"),
    "Mot de passe : longueur": ("MDP-LONGUEUR", "⑧"),
    "Mot de passe : chiffre": ("MDP-CHIFFRE", "⑧"),
    "Mot de passe : majuscule": ("MDP-MAJUSCULE", "⑧"),
    "Mot de passe : minuscule": ("MDP-MINUSCULE", "⑧"),
    "Récapitulatif": ("RECAP-AFFICHAGE", "⑨"),
    "Récapitulatif sans mot de passe": ("RECAP-SANS-MDP", "⑨"),
    "Connexion avec le NIR": ("CNX-NIR", "⑨"),
    "Connexion avec l'identifiant provisoire": ("CNX-ID-PROVISOIRE", "⑨"),
    "FranceConnect : création": ("FC-CREATION", "Bon à savoir"),
    "FranceConnect : connexion": ("FC-CONNEXION", "Bon à savoir"),
    "Chatbot": ("CHATBOT", "Bon à savoir"),
    "Responsable du dossier": ("ROLE-RESPONSABLE", "Bon à savoir"),
    "Conjoint avec procuration": ("ROLE-CONJOINT-PROCURATION", "Bon à savoir"),
    "Conjoint sans procuration": ("ROLE-CONJOINT-SANS-PROCURATION", "Bon à savoir"),
    "Enfant de plus de 15 ans": ("ROLE-ENFANT-15", "Bon à savoir"),
    "Personne à charge": ("ROLE-PERSONNE-A-CHARGE", "Bon à savoir"),
}


@pytest.mark.parametrize("topic, rule_id, step", [(t, i, s) for t, (i, s) in REQUIRED.items()], ids=list(REQUIRED))
def test_catalogue_covers_the_topics_of_the_issue(topic, rule_id, step):
    assert rule_id in rules.BY_ID, topic
    assert str(rules.get(rule_id).step) == step


def test_get_unknown_rule_says_so_in_french():
    with pytest.raises(KeyError, match="Règle inconnue : MDP-INCONNU"):
        rules.get("MDP-INCONNU")


def test_as_dict():
    d = rules.get("MDP-LONGUEUR").as_dict()
    assert d["id"] == "MDP-LONGUEUR"
    assert d["quote"] == "Il doit faire entre 8 et 24 caractères"
    assert d["step"] == "⑧"
    assert d["level"] == "MUST"
    assert d["parameters"]["min"] == {
        "value": 8,
        "default": 8,
        "description": "Nombre minimal de caractères.",
        "choice": False,
    }


def test_as_dict_with_effective_settings_and_a_choice():
    d = rules.get("CONTACT-MOBILE").as_dict(rules.settings({"CONTACT-MOBILE": {"regions": ["FR"]}}))
    assert d == {
        "id": "CONTACT-MOBILE",
        "title": "Numéro de téléphone portable français, outre-mer compris",
        "quote": "mon numéro de téléphone portable",
        "step": "⑥",
        "level": "MUST",
        "parameters": {
            "regions": {
                "value": ["FR"],
                "default": ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"],
                "description": "Régions (ISO 3166) dont les numéros de portable sont acceptés.",
                "choice": True,
                "rationale": "Le guide dit « téléphone portable » sans préciser ; la CAF sert la métropole"
                " et les départements et collectivités d'outre-mer du régime général.",
            }
        },
        "validator": "moncompte.rules.coordonnees.validate_mobile",
        "note": "Un numéro de ligne fixe est refusé : le code est envoyé par SMS.",
        "origin": "guide",
    }


def test_rules_beyond_the_guide_say_why_and_argue_their_level():
    """A rule the guide does not state is marked « projet » with its reason; MUST only where the reason
    argues a security necessity."""
    beyond = {r.id: r for r in rules.RULES if r.beyond_guide}
    assert {
        "NIR-SEXE",
        "NIR-NAISSANCE",
        "NIR-LIEU",
        "PI-NUMERO",
        "PI-CONTROLE-MRZ",
        "CODE-FORMAT",
        "CODE-USAGE-UNIQUE",
        "CODE-EXPIRATION",
        "CODE-TENTATIVES",
        "CODE-RENVOI",
        "RECAP-SANS-MDP",
        "RECAP-PIECE-MASQUEE",
        "ROLE-ENFANT-AGE",
        "ROLE-NON-ALLOCATAIRE",
        "SEC-CSRF",
    } <= set(beyond)
    for rule in beyond.values():
        assert rule.origin == "projet" and rule.as_dict()["beyond_guide"] == rule.beyond_guide
        if rule.level is Level.MUST:
            assert "nécessité de sécurité" in rule.beyond_guide, rule.id
    assert rules.get("MDP-LONGUEUR").origin == "guide"
