"""Sentences of the guide judged non-normative, each with the reason.

Every other sentence of the guide is covered by at least one rule of the
catalogue (``tests/rules/test_catalogue.py`` checks both lists together).
"""

NON_NORMATIVE: dict[str, str] = {
    "Comment créer Mon Compte ?": "Titre de section : annonce les étapes ① à ⑤, ne prescrit rien.",
    "Comment sécuriser Mon Compte ?": "Titre de section : annonce les étapes ⑥ à ⑨, ne prescrit rien.",
    "Bon à savoir !": "Titre de section.",
    "Je m'assure d'avoir accès à mon téléphone ou à ma messagerie pour pouvoir les confirmer.": (
        "Conseil à l'utilisateur : ce qu'il doit faire de son côté, pas ce que le site doit faire."
    ),
}
