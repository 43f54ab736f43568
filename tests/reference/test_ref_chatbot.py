"""The Chatbot answers from the rule catalogue, cites the rule, and says when it does not know."""

from __future__ import annotations

import pytest

from moncompte.reference_impl.chatbot import Chatbot

UNKNOWN = "Je ne sais pas répondre à cette question."


@pytest.mark.parametrize(
    "question, rule",
    [
        ("Combien de caractères pour le mot de passe ?", "MDP-LONGUEUR"),
        ("COMBIEN DE CARACTERES POUR LE MOT DE PASSE", "MDP-LONGUEUR"),
        ("mdp : faut-il une majuscule ?", "MDP-MAJUSCULE"),
        ("Combien de temps le code est-il valable ?", "CODE-EXPIRATION"),
        ("Combien d'essais pour le code ?", "CODE-TENTATIVES"),
        ("Je n'ai pas de pièce d'identité française", "PI-SANS-PIECE-FR"),
        ("identifiant provisoire sans numéro de sécurité sociale", "ID-PROVISOIRE"),
        ("À quel âge un enfant peut-il créer son compte ?", "ROLE-ENFANT-15"),
        ("Mon conjoint m'a donné une procuration", "ROLE-CONJOINT-PROCURATION"),
    ],
)
def test_known_questions_cite_their_rule(question, rule):
    answer = Chatbot().ask(question)
    assert answer.connue and answer.regle == rule
    assert answer.reponse.endswith(f"(Règle {rule})")


@pytest.mark.parametrize("question", ["Quelle est la capitale du Pérou ?", "bonjour", "", "je ne sais pas"])
def test_unknown_questions_are_admitted(question):
    answer = Chatbot().ask(question)
    assert not answer.connue and answer.regle is None and answer.reponse.startswith(UNKNOWN)


def test_answer_uses_the_effective_parameters():
    from moncompte.rules import settings

    answer = Chatbot(settings({"MDP-LONGUEUR": {"min": 10}})).ask("longueur du mot de passe")
    assert "Nombre minimal de caractères : 10." in answer.reponse


def test_chatbot_endpoint(client):
    body = client.post("/api/chatbot", json={"question": "Combien de chiffres a le code de confirmation ?"}).json()
    assert body["connue"] is True and body["regle"] == "CODE-FORMAT" and "6" in body["reponse"]
    assert client.post("/api/chatbot", json={"question": "météo"}).json()["connue"] is False
