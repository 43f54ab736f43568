"""Site de recette indépendant « Caf — Espace personnel (recette) » (parcours de création de Mon Compte)."""
from .app import create_app

__all__ = ["create_app"]
