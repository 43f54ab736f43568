"""``moncompte profile``: write a starting site profile, check a profile's locators on a target.

- ``moncompte profile init URL [--output FILE]``: a commented profile for the site
  at ``URL`` (every section of ``steps/PROFILS.md``, commented out where the guide's
  defaults may do).
- ``moncompte profile check FILE --target URL``: the preflight of ``steps.preflight``,
  a French table of the elements found and not found; exit 0 when all are found, 2 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from steps.cli import EXIT_ERROR, EXIT_OK
from steps.profile import load

TEMPLATE = '''\
# Profil de site « {name} » : ce en quoi {url} diffère du guide.
# Chaque champ est décrit dans steps/PROFILS.md. Vérifiez les localisateurs avec :
#   moncompte profile check {output} --target {url}
# puis lancez la suite :
#   moncompte check --profile {output} --driver browser

name = "{name}"
description = "Site de recette {host}"
# reference (implémentation de référence), recette, preproduction… ; « production » est refusé
# par « moncompte check » sauf --j-accepte-la-production.
environment = "recette"
base_url = "{url}"

# ── Localisateurs : seulement les éléments que le site nomme autrement que le guide ──
# Une façon de trouver l'élément parmi role (+ name), label, text, testid, css ; exact = false
# pour un texte contenu. Les clés : steps/locators.py (ELEMENTS).
[locators]
# nir = {{ label = "N° de sécurité sociale" }}
# etat_civil_continuer = {{ role = "button", name = "Suivant" }}
# envoyer_le_code = {{ testid = "envoyer-code" }}

# ── Pages : les chemins qui diffèrent (clés : steps/locators.py, PAGES) ──
[pages]
# creer_un_compte = "/inscription"
# etat_civil = "/inscription/etape-1"

# ── Paramètres des règles qui diffèrent du guide, chacun avec sa référence ──
# [parameters.MDP-LONGUEUR]
# min = 10
# reference = "PSSI du site, exigence MDP-02"

# ── Attentes : écarts connus et règles non applicables ──
[expectations.deviations]
# MDP-LONGUEUR = {{ reason = "25 caractères acceptés", ticket = "https://suivi.exemple.fr/RECETTE-12" }}

[expectations.not_applicable]
# CHATBOT = "Pas de Chatbot sur ce site"

# ── Identités de test que le contrôle d'identité du site accepte ──
[identities]
# file = "identites.yaml"   # ou identites.csv, relatif à ce fichier
# [[identities.persons]]
# civilite = "Madame"
# nom_naissance = "Martin"
# prenoms = "Claire"
# date_naissance = 1985-03-14
# lieu_naissance = "69123"
# nir = "2850369123…"
# pieces = [{{ type = "cni", numero = "X4RTBPFW4" }}]

# ── Où lire les codes de confirmation ──
[codes]
source = "smtp"         # outbox | smtp | mailpit | mailhog | http_sink | command
host = "127.0.0.1"      # smtp, http_sink : où le harnais écoute (le site y envoie son courrier)
port = 2525
# url = "http://mailpit.recette.exemple.fr:8025"   # mailpit, mailhog
# command = "ssh passerelle lire-sms {{recipient}}"  # command
# pattern = '\\b(\\d{{6}})\\b'  # expression du code (défaut : le premier groupe de 6 chiffres)
'''


def command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = sub.add_parser("init", help="écrire un profil de départ commenté pour un site")
    init.add_argument("url", metavar="URL", help="adresse du site (ex. https://recette.exemple.fr)")
    init.add_argument("--output", metavar="FICHIER", help="fichier à écrire (défaut : la sortie standard)")
    init.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe")
    check = sub.add_parser("check", help="vérifier, page par page, que les localisateurs du profil trouvent"
                                         " les éléments")
    check.add_argument("profile", metavar="FICHIER", help="profil de site")
    check.add_argument("--target", metavar="URL", help="site à vérifier (défaut : base_url du profil)")
    check.add_argument("--browser-ws-endpoint", metavar="URL", help="navigateur distant (serveur Playwright)")

    def run(args: argparse.Namespace) -> int:
        return _init(args) if args.action == "init" else _check(args)

    return run


def render(url: str, output: str | None = None) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "site"
    name = host.split(".")[0] or "site"
    return TEMPLATE.format(name=name, host=host, url=url.rstrip("/"), output=output or "profil.toml")


def _init(args: argparse.Namespace) -> int:
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        print(f"moncompte profile init : adresse invalide : {args.url} (attendu : http://… ou https://…)",
              file=sys.stderr)
        return EXIT_ERROR
    text = render(args.url, args.output)
    if not args.output:
        print(text, end="")
        return EXIT_OK
    out = Path(args.output)
    if out.exists() and not args.force:
        print(f"moncompte profile init : {out} existe déjà (--force pour le remplacer)", file=sys.stderr)
        return EXIT_ERROR
    out.write_text(text, encoding="utf-8")
    print(f"Profil écrit : {out}. Complétez-le, puis : moncompte profile check {out} --target {args.url}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from steps import preflight
    from steps.check import REACH_TIMEOUT, unreachable

    profile = load(args.profile)
    target = args.target or profile.base_url
    if not target:
        print("moncompte profile check : indiquez la cible avec --target URL (ou base_url dans le profil)",
              file=sys.stderr)
        return EXIT_ERROR
    reason = unreachable(target, REACH_TIMEOUT)
    if reason:
        print(f"moncompte profile check : la cible {target} est injoignable ({reason})", file=sys.stderr)
        return EXIT_ERROR
    result = preflight.run(profile, target, ws_endpoint=args.browser_ws_endpoint)
    print(result.table())
    print(result.summary())
    return EXIT_OK if result.ok else EXIT_ERROR
