"""``moncompte profile``: write a starting site profile, check a profile's locators on a target.

- ``moncompte profile init URL [--output FILE]``: a commented profile for the site at ``URL``
  (every section of ``steps/PROFILS.md``; ``--utilisateur-variable``, ``--mot-de-passe-variable``
  and ``--certificats-ca``: its ``[acces]``, used for the walk and written in the profile). When the site answers, the harness first walks it
  as a person would, with the guide's words (``harness.preflight``): the elements it could not
  find that way are proposed as ``[locators]`` entries, each with what the page showed instead.
- ``moncompte profile check FILE --target URL``: the preflight of ``harness.preflight``,
  a French table of the elements found, not found or not usable; exit 0 when all are found, 2 otherwise.
- ``moncompte profile elements``: every element key a profile may name, with the words the
  harness looks for by default.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from moncompte.harness.exits import EXIT_ERROR, EXIT_OK
from moncompte.steps.profile import load

TEMPLATE = """\
# Profil de site « {name} » : ce en quoi {url} diffère du guide.
# Chaque champ est décrit dans la documentation des profils : moncompte profile doc
# Vérifiez les localisateurs avec :
#   moncompte profile check {output} --target {url}
# puis lancez la suite :
#   moncompte check --profile {output} --driver browser

name = "{name}"
description = "Site de recette {host}"
# reference (implémentation de référence), recette, preproduction… ; « production » est refusé
# par « moncompte check » sauf --j-accepte-la-production.
environment = "recette"
base_url = "{url}"

# ── Accès au site de recette : authentification HTTP (les NOMS des variables d'environnement qui
# contiennent l'identifiant et le mot de passe, jamais les valeurs) et certificat PEM de l'autorité de
# certification interne qui signe celui du site (relatif à ce fichier) ──
[acces]
{acces}
# ── Localisateurs : seulement les éléments que le harnais ne trouve pas par les mots du guide ──
# Une façon de trouver l'élément parmi field (un champ ou un groupe par son libellé), action (un
# bouton ou un lien par son nom), role (+ name), label, text, testid, css ; exact = false pour un
# texte contenu. Les clés et les mots cherchés par défaut : « moncompte profile elements ».
[locators]
{locators}
# ── Pages : seulement celles qu'on n'atteint pas en suivant le parcours (le harnais suit les liens
# et les boutons du guide ; ces pages-là se découvrent) ──
[pages]
# demander_prestation = "/espace/demande"   # une action de « Mon espace » qu'une personne sans le
#                                           # droit ne voit pas, pour vérifier qu'elle lui est refusée

# ── Comment les formulaires du site demandent ce que le guide nomme ──
[formulaires]
# lieu_naissance = "nom"   # "code" (code INSEE, comme la référence) ou "nom" (« Lyon », « Maroc »)

# ── Les messages du site, s'il faut en vérifier le texte (sinon : un refus rattaché à son champ suffit).
# La liste des messages et de leurs identifiants : « moncompte rules --messages » ──
[messages]
# "mdp.longueur" = "Votre mot de passe doit contenir entre 12 et 64 caractères"
# "nir.cle" = "/clé.*incorrecte/i"

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
"""


def command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("elements", help="les éléments qu'un profil peut nommer, et les mots cherchés par défaut")
    sub.add_parser("doc", help="la documentation des profils de site (PROFILS.md, livrée avec l'outil)")
    init = sub.add_parser(
        "init", help="écrire un profil de départ commenté pour un site (en le parcourant s'il répond)"
    )
    init.add_argument("url", metavar="URL", help="adresse du site (ex. https://recette.exemple.fr)")
    init.add_argument("--output", metavar="FICHIER", help="fichier à écrire (défaut : la sortie standard)")
    init.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe")
    check = sub.add_parser(
        "check", help="vérifier, page par page, que les localisateurs du profil trouvent les éléments"
    )
    check.add_argument("profile", metavar="FICHIER", help="profil de site")
    check.add_argument("--target", metavar="URL", help="site à vérifier (défaut : base_url du profil)")
    check.add_argument("--browser-ws-endpoint", metavar="URL", help="navigateur distant (serveur Playwright)")

    init.add_argument(
        "--sans-parcours",
        dest="no_walk",
        action="store_true",
        help="ne pas parcourir le site (seulement le modèle commenté)",
    )
    init.add_argument("--browser-ws-endpoint", metavar="URL", help="navigateur distant (serveur Playwright)")
    init.add_argument(
        "--utilisateur-variable",
        dest="user_variable",
        metavar="NOM",
        help="authentification HTTP du site : la variable d'environnement qui contient l'identifiant",
    )
    init.add_argument(
        "--mot-de-passe-variable",
        dest="password_variable",
        metavar="NOM",
        help="authentification HTTP du site : la variable d'environnement qui contient le mot de passe",
    )
    init.add_argument(
        "--certificats-ca",
        dest="ca_file",
        metavar="FICHIER",
        help="certificat PEM de l'autorité de certification interne qui signe celui du site",
    )

    def run(args: argparse.Namespace) -> int:
        return {"init": _init, "check": _check, "elements": _elements, "doc": _doc}[args.action](args)

    return run


def site_name(url: str, title: str = "") -> str:
    """A profile name for a site: its page title, else its host (and port), as a short slug."""
    import re
    import unicodedata

    parts = urlsplit(url)
    host = f"{parts.hostname or 'site'}{f'-{parts.port}' if parts.port else ''}"
    base = title.strip() or host
    plain = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:48].strip("-")
    if not slug or slug.isdigit():
        slug = "site-" + re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")
    return slug


def proposed_locators(walk) -> str:
    """``[locators]`` entries for what the walk did not find by the guide's words, each commented with
    what the page showed instead (uncomment the right one)."""
    from moncompte.harness.preflight import CHECKS, FIELDS, JOURNEY, LOGIN, MISSING, NAV, UNUSABLE

    needs = {key: rules for checks in CHECKS.values() for key, rules in checks}
    core = set(JOURNEY) | set(LOGIN) | set(NAV)

    if walk is None:
        return (
            (
                "# (le site n'a pas été parcouru : les éléments que le harnais trouve par les mots du guide\n"
                "# n'ont besoin d'aucune entrée ; « moncompte profile check » dira lesquels manquent)\n"
                '# nir = {{ field = "N° de sécurité sociale" }}\n'
                '# etat_civil_continuer = {{ action = "Suivant" }}\n'
            )
            .replace("{{", "{")
            .replace("}}", "}")
        )
    found = [line for line in walk.lines if line.result not in (MISSING, UNUSABLE) and line.key != "(page)"]
    out = [f"# {len(found)} élément(s) trouvé(s) par les mots du guide sur {walk.target} : aucune entrée à écrire."]
    for line in walk.lines:
        if line.result not in (MISSING, UNUSABLE):
            continue
        if line.key == "(page)":
            out.append(f"# page « {line.page} » non atteinte : {line.detail}")
            continue
        out.append(f"# {line.key} ({line.page}) : {line.result.lower()} avec {line.locator}")
        if line.candidates:
            out.append(f"#   vu sur la page : {' · '.join(f'« {c} »' for c in line.candidates)}")
            kind = "field" if line.key in FIELDS else "action"
            out.append(f'# {line.key} = {{ {kind} = "{line.candidates[0]}" }}')
        optional = [rule for rule in needs.get(line.key, ()) if rule not in core]
        if optional:
            out.append(
                f"#   si le site n'en a pas : [expectations.not_applicable] {' et '.join(optional)} avec la raison"
            )
    return "\n".join(out) + "\n"


ACCESS_EXAMPLE = (
    '# utilisateur = "${RECETTE_UTILISATEUR}"\n# mot_de_passe = "${RECETTE_MDP}"\n# certificats_ca = "ca-recette.pem"\n'
)


def access_lines(access=None, output: str | None = None) -> str:
    """The ``[acces]`` entries of a starting profile: those given to ``init`` (the CA's path relative to the
    profile written), else a commented example."""
    if access is None or (access.credentials is None and not access.certificats_ca):
        return ACCESS_EXAMPLE
    lines = [
        f'{key} = "{secret}"'
        for key, secret in (("utilisateur", access.utilisateur), ("mot_de_passe", access.mot_de_passe))
        if secret is not None
    ]
    if access.certificats_ca:
        ca = Path(access.certificats_ca)
        if output:
            ca = Path(os.path.relpath(ca, Path(output).resolve().parent))
        lines.append(f"certificats_ca = {ca.as_posix()!r}".replace("'", '"'))
    return "\n".join(lines) + "\n"


def render(url: str, output: str | None = None, walk=None, title: str = "", access=None) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "site"
    return TEMPLATE.format(
        name=site_name(url, title),
        host=host,
        url=url.rstrip("/"),
        output=output or "profil.toml",
        locators=proposed_locators(walk),
        acces=access_lines(access, output),
    )


def init_access(args: argparse.Namespace):
    """The ``[acces]`` given to ``init`` (``steps.profile.Access``), checked as a profile's would be."""
    from pydantic import ValidationError

    from moncompte.steps.profile import Access, ProfileError, _french

    given = {}
    if getattr(args, "user_variable", None):
        given["utilisateur"] = f"${{{args.user_variable}}}"
    if getattr(args, "password_variable", None):
        given["mot_de_passe"] = f"${{{args.password_variable}}}"
    try:
        access = Access.model_validate(given)
    except ValidationError as exc:
        raise ProfileError(f"profile init : {_french(exc)}") from None
    if getattr(args, "ca_file", None):
        from moncompte.steps.profile import certificate_authority

        access.certificats_ca = str(certificate_authority(Path.cwd(), args.ca_file, "profile init : --certificats-ca"))
    return access


def _walk(url: str, ws_endpoint: str | None, access=None):
    """The preflight with the guide's words only, on ``url``: (the walk, the home page's title)."""
    from moncompte.harness import preflight
    from moncompte.steps.profile import Access, Profile

    blank = Profile(
        name="profil-de-depart",
        environment="recette",
        codes={"source": "command", "command": "true"},
        acces=access or Access(),
    )
    return preflight.run(blank, url, ws_endpoint=ws_endpoint)


def _init(args: argparse.Namespace) -> int:
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        print(
            f"moncompte profile init : adresse invalide : {args.url} (attendu : http://… ou https://…)", file=sys.stderr
        )
        return EXIT_ERROR
    access = init_access(args)  # ProfileError: reported by harness.cli (exit code 2)
    walk = None
    if not args.no_walk:
        from moncompte.harness.targets import REACH_TIMEOUT, unreachable

        reason = unreachable(args.url, REACH_TIMEOUT, access)
        if reason:
            print(
                f"moncompte profile init : {args.url} ne répond pas ({reason}) : profil écrit sans parcourir le site",
                file=sys.stderr,
            )
        else:
            print(f"Parcours de {args.url} avec les mots du guide…", file=sys.stderr, flush=True)
            walk = _walk(args.url, args.browser_ws_endpoint, access)
    text = render(args.url, args.output, walk, walk.title if walk else "", access)
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
    from moncompte.harness import preflight
    from moncompte.harness.targets import REACH_TIMEOUT, unreachable

    profile = load(args.profile)
    target = args.target or profile.base_url
    if not target:
        print(
            "moncompte profile check : indiquez la cible avec --target URL (ou base_url dans le profil)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    reason = unreachable(target, REACH_TIMEOUT, profile.acces)
    if reason:
        print(f"moncompte profile check : la cible {target} est injoignable ({reason})", file=sys.stderr)
        return EXIT_ERROR
    result = preflight.run(profile, target, ws_endpoint=args.browser_ws_endpoint)
    print(result.table())
    print(result.summary())
    if profile.identities.persons:
        from moncompte.steps.identities import rule_identities

        print("\nPersonnes de test, règle par règle :")
        for rule_id, said in rule_identities(
            profile.identities.persons, profile.settings(), set(profile.expectations.off())
        ):
            print(f"  {rule_id} : {said}")
    return EXIT_OK if not result.missing else EXIT_ERROR


def _doc(args: argparse.Namespace) -> int:
    """Print the profile documentation shipped with the package."""
    from moncompte import resources

    print(resources.path("moncompte.steps", "PROFILS.md").read_text(encoding="utf-8"))
    return EXIT_OK


def _elements(args: argparse.Namespace) -> int:
    """Every element key, with the words the harness looks for when the profile does not name it."""
    from moncompte.steps.locators import ELEMENTS

    width = max(len(key) for key in ELEMENTS)
    print(f"{'Élément':<{width}}  Cherché par défaut (les mots du guide, puis les libellés usuels)")
    for key, spec in ELEMENTS.items():
        print(f"{key:<{width}}  {spec.describe()}")
    print(
        f'\n{len(ELEMENTS)} éléments. Dans un profil : [locators] <élément> = {{ field = "…" }}, {{ action = "…" }},'
        ' { role = "…", name = "…" }, { label = "…" }, { text = "…" }, { testid = "…" } ou { css = "…" }'
        " (moncompte profile doc)."
    )
    return EXIT_OK
