"""``moncompte serve``: the reference implementation under uvicorn.

Logs carry no NIR, code, password nor document number: uvicorn's access log is
off and ``app.AccessLogMiddleware`` logs only method, route template and status.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys

# `--workers` > 1: uvicorn imports the app in each worker process; the options travel in this variable.
OPTIONS_ENV = "MONCOMPTE_SERVE_OPTIONS"
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
EXPOSED_TEST_MODE = "--test-mode-exposed-i-know"
MSG_TEST_MODE_EXPOSED = (
    "moncompte serve : --test-mode n'est permis que sur la boucle locale ({loopback}), pas sur {host} :"
    " quiconque atteint ce port lirait les codes envoyés (/__outbox__) et modifierait le registre"
    " (/__test__/…). Pour l'exposer quand même, en connaissance de cause : " + EXPOSED_TEST_MODE + "."
)
TEST_MODE_BANNER = """\
************************************************************************
ATTENTION : MODE TEST ({host}:{port}). Les routes /__outbox__ et /__test__/…
sont ouvertes : quiconque les atteint lit les codes envoyés et modifie le
registre. Jamais en production, jamais avec de vraies données.
************************************************************************"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port d'écoute (défaut : 8000)")
    parser.add_argument(
        "--database",
        default="sqlite:///moncompte.db",
        help="URL SQLAlchemy de la base (défaut : sqlite:///moncompte.db)",
    )
    parser.add_argument(
        "--test-mode",
        action="store_true",
        help="ajoute /__outbox__, /__test__/…, /docs et /redoc (jamais en production) ; seulement sur la boucle"
        f" locale ({', '.join(LOOPBACK_HOSTS)}) sans {EXPOSED_TEST_MODE}",
    )
    parser.add_argument(
        EXPOSED_TEST_MODE,
        action="store_true",
        help="DANGEREUX : permet --test-mode sur une adresse autre que la boucle locale ; quiconque atteint le"
        " port lit alors les codes envoyés et modifie le registre (un banc de recette isolé seulement)",
    )
    parser.add_argument("--smtp-host", help="serveur SMTP pour les codes par e-mail (défaut : boîte d'envoi en base)")
    parser.add_argument("--smtp-port", type=int, default=25)
    parser.add_argument(
        "--sms-gateway-url", help="passerelle HTTP pour les codes par SMS (défaut : boîte d'envoi en base)"
    )
    parser.add_argument("--workers", type=int, default=1, help="nombre de processus uvicorn (défaut : 1)")
    parser.add_argument(
        "--test-cheap-hashing",
        action="store_true",
        help="argon2id à bas coût pour les tests de charge (exige --test-mode ; jamais en production)",
    )
    parser.add_argument(
        "--test-login-limit-per-client",
        type=int,
        metavar="N",
        help="échecs de connexion d'un même client, par fenêtre, avant que ses connexions soient ralenties"
        " (défaut : 100) : pour un banc de mesure qui rejoue la suite sur un même serveur (exige --test-mode)",
    )
    parser.add_argument(
        "--test-send-limit-per-client",
        type=int,
        metavar="N",
        help="codes demandés depuis une même adresse par fenêtre (défaut : 30 ; 0 : sans limite) : pour un"
        " harnais qui joue toute la suite depuis une seule machine (exige --test-mode)",
    )
    parser.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="IP",
        help="adresse d'un mandataire inverse dont X-Forwarded-Proto/X-Forwarded-For sont crus "
        "(cookies Secure derrière HTTPS, limitation des connexions par client) ; répétable",
    )
    parser.add_argument(
        "--parametre",
        action="append",
        default=[],
        metavar="RÈGLE.NOM=VALEUR",
        help="valeur d'un paramètre de règle sur ce site, en JSON (ex. MDP-LONGUEUR.min=10) ;"
        " répétable. Défaut : les valeurs du guide (« moncompte rules »)",
    )
    parser.add_argument(
        "--fc-discovery-url",
        help="FranceConnect : URL du document de découverte OpenID Connect (sans elle : pas de FranceConnect)",
    )
    parser.add_argument("--fc-client-id", help="FranceConnect : identifiant du client (fournisseur de service)")
    parser.add_argument("--fc-client-secret", help="FranceConnect : secret du client")
    parser.add_argument(
        "--fc-redirect-uri", help="FranceConnect : redirect_uri déclarée (défaut : <ce site>/franceconnect/retour)"
    )
    parser.add_argument(
        "--fc-post-logout-redirect-uri",
        help="FranceConnect : post_logout_redirect_uri déclarée (défaut : <ce site>/franceconnect/deconnexion)",
    )


FC_OPTIONS = ("fc_discovery_url", "fc_client_id", "fc_client_secret", "fc_redirect_uri", "fc_post_logout_redirect_uri")


def parameters(given: list[str]) -> dict[str, dict]:
    """``["MDP-LONGUEUR.min=10"]`` → ``{"MDP-LONGUEUR": {"min": 10}}`` (values in JSON; a bare word is a text).

    ``ValueError`` in French for what is not ``RÈGLE.NOM=VALEUR``."""
    overrides: dict[str, dict] = {}
    for item in given:
        name, sep, raw = item.partition("=")
        rule_id, dot, parameter = name.strip().rpartition(".")
        if not sep or not dot or not rule_id or not parameter:
            raise ValueError(f"--parametre {item} : attendu RÈGLE.NOM=VALEUR (ex. MDP-LONGUEUR.min=10)")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        overrides.setdefault(rule_id, {})[parameter] = value
    return overrides


def build_app(options: dict):
    """The app for the ``serve`` options (``cheap_hashing``: argon2id far below OWASP's floor, tests only;
    ``parameters``: rule parameters of the site, the guide's values otherwise)."""
    from argon2 import PasswordHasher

    from moncompte import rules
    from moncompte.reference_impl.app import create_app

    options = dict(options)
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if options.pop("cheap_hashing", False) else None
    settings = rules.settings(options.pop("parameters", None) or {})
    return create_app(options.pop("database_url"), password_hasher=hasher, settings=settings, **options)


def app_from_environment():
    """uvicorn's factory in each worker process (``--workers`` > 1)."""
    return build_app(json.loads(os.environ[OPTIONS_ENV]))


def run(args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    for flag, given in (
        ("--test-cheap-hashing", args.test_cheap_hashing),
        ("--test-login-limit-per-client", args.test_login_limit_per_client is not None),
        ("--test-send-limit-per-client", args.test_send_limit_per_client is not None),
        (EXPOSED_TEST_MODE, args.test_mode_exposed_i_know),
    ):
        if given and not args.test_mode:
            print(f"moncompte serve : {flag} n'est permis qu'avec --test-mode.", file=sys.stderr)
            return 2
    if args.test_mode and args.host not in LOOPBACK_HOSTS and not args.test_mode_exposed_i_know:
        print(MSG_TEST_MODE_EXPOSED.format(loopback=", ".join(LOOPBACK_HOSTS), host=args.host), file=sys.stderr)
        return 2
    try:
        from moncompte import rules

        overrides = parameters(args.parametre)
        rules.settings(overrides)
    except ValueError as exc:
        print(f"moncompte serve : {exc}", file=sys.stderr)
        return 2
    options = {
        "database_url": args.database,
        "test_mode": args.test_mode,
        "smtp_host": args.smtp_host,
        "parameters": overrides,
        "smtp_port": args.smtp_port,
        "sms_gateway_url": args.sms_gateway_url,
        "cheap_hashing": args.test_cheap_hashing,
        "trusted_proxies": list(args.trusted_proxy),
        **(
            {"login_limits": {"per_client": args.test_login_limit_per_client}}
            if args.test_login_limit_per_client is not None
            else {}
        ),
        **(
            {"send_limit_per_client": args.test_send_limit_per_client}
            if args.test_send_limit_per_client is not None
            else {}
        ),
        **{name: getattr(args, name) for name in FC_OPTIONS},
    }
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["moncompte.reference_impl"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    # Forwarded headers are judged by the app (``--trusted-proxy``, reference_impl/hardening.py), not by uvicorn.
    common = {
        "host": args.host,
        "port": args.port,
        "access_log": False,
        "log_config": log_config,
        "proxy_headers": False,
    }
    if args.test_mode:
        print(TEST_MODE_BANNER.format(host=args.host, port=args.port), file=sys.stderr, flush=True)
    if args.workers > 1:
        build_app(options)  # tables and registry made once here, not by the workers racing each other
        os.environ[OPTIONS_ENV] = json.dumps(options)
        uvicorn.run(f"{__name__}:app_from_environment", factory=True, workers=args.workers, **common)
    else:
        uvicorn.run(build_app(options), **common)
    return 0
