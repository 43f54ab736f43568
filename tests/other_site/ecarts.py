"""Écarts volontaires (défauts réalistes), chacun activé seul par --ecart NOM."""

ECARTS: dict[str, tuple[str, str]] = {
    "icone-absente": ("①", "Le lien « Mon Compte » a disparu de l'en-tête des pages."),
    "sans-creer-compte": ("③", "« Faire la demande » sans être connecté mène directement à la page de "
                               "connexion : « Créer un compte » n'est pas proposé."),
    "nir-cle-ignoree": ("④", "La clé de contrôle du numéro de sécurité sociale n'est pas vérifiée."),
    "nom-apostrophe-refusee": ("④", "Les noms et prénoms contenant une apostrophe sont refusés."),
    "piece-non-verifiee": ("⑤", "Tout numéro de pièce bien formé est accepté sans contrôle dans le registre."),
    "fixe-accepte": ("⑥", "Un numéro de téléphone fixe est accepté pour l'envoi du code par SMS."),
    "code-delai": ("⑥", "Le code est envoyé 40 secondes après la demande (file d'attente) au lieu "
                        "d'immédiatement."),
    "tentatives-illimitees": ("⑦", "Le nombre d'essais de saisie du code n'est pas limité."),
    "mdp-sans-majuscule": ("⑧", "L'exigence d'une lettre majuscule dans le mot de passe n'est pas "
                                "contrôlée (la règle affichée la mentionne toujours)."),
    "recap-sans-lieu": ("⑨", "Le récapitulatif n'affiche pas le lieu de naissance."),
    "connexion-id-provisoire": ("⑨", "La connexion avec un identifiant provisoire est refusée."),
    "conjoint-demande": ("rôles", "Un conjoint SANS procuration peut demander une prestation "
                                  "(lien affiché et demande acceptée)."),
    "enfant-15-accepte": ("rôles", "Un enfant de 15 ans peut créer son compte (seuil d'âge décalé d'un an)."),
    "procuration-ignoree": ("rôles", "La procuration accordée au conjoint ne change rien à ses droits."),
}


def lister() -> str:
    return "\n".join(f"{nom}\t{etape}\t{texte}" for nom, (etape, texte) in ECARTS.items())
