"""``moncompte serve``: the reference implementation under uvicorn.

Logs carry no NIR, code, password nor document number: uvicorn's access log is
off and ``app.AccessLogMiddleware`` logs only method, route template and status.
"""

from __future__ import annotations

import argparse
import copy


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port d'écoute (défaut : 8000)")
    parser.add_argument("--database", default="sqlite:///moncompte.db",
                        help="URL SQLAlchemy de la base (défaut : sqlite:///moncompte.db)")
    parser.add_argument("--test-mode", action="store_true",
                        help="ajoute /__outbox__ et /__test__/… (jamais en production)")
    parser.add_argument("--smtp-host", help="serveur SMTP pour les codes par e-mail (défaut : boîte d'envoi en base)")
    parser.add_argument("--smtp-port", type=int, default=25)
    parser.add_argument("--sms-gateway-url", help="passerelle HTTP pour les codes par SMS (défaut : boîte d'envoi en base)")


def run(args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from reference_impl.app import create_app

    app = create_app(args.database, test_mode=args.test_mode, smtp_host=args.smtp_host,
                     smtp_port=args.smtp_port, sms_gateway_url=args.sms_gateway_url)
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["reference_impl"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_config=log_config)
    return 0
