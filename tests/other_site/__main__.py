"""python -m tests.other_site --port P [--host H] --smtp-host H --smtp-port S --sms-url URL [--ecart NOM]..."""
from __future__ import annotations

import argparse
import sys

from .ecarts import ECARTS, lister


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.other_site",
                                     description="Site de recette « Caf — Espace personnel (recette) ».")
    parser.add_argument("--port", type=int, help="port d'écoute")
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    parser.add_argument("--smtp-host", default="127.0.0.1", help="serveur SMTP pour l'envoi des codes par e-mail")
    parser.add_argument("--smtp-port", type=int, default=25, help="port du serveur SMTP")
    parser.add_argument("--sms-url", default=None, help="URL de la passerelle SMS (POST JSON)")
    parser.add_argument("--ecart", action="append", default=[], choices=sorted(ECARTS), metavar="NOM",
                        help="active un écart volontaire (voir --liste-ecarts) ; répétable")
    parser.add_argument("--validite-code", type=float, default=15.0, metavar="MINUTES",
                        help="durée de validité des codes (défaut : 15 ; la recette la raccourcit pour la vérifier)")
    parser.add_argument("--export-identites", metavar="FICHIER.csv", help="écrit le registre des personnes de test")
    parser.add_argument("--seed", type=int, default=1, help="graine du registre (défaut : 1)")
    parser.add_argument("--liste-ecarts", action="store_true", help="affiche les écarts disponibles et quitte")
    args = parser.parse_args(argv)
    if args.liste_ecarts:
        print(lister())
        return 0
    if args.port is None:
        parser.error("--port est obligatoire")
    from werkzeug.serving import make_server

    from .app import create_app

    app = create_app(ecarts=args.ecart, smtp_host=args.smtp_host, smtp_port=args.smtp_port,
                     sms_url=args.sms_url, graine=args.seed, export=args.export_identites,
                     validite_code=args.validite_code)
    serveur = make_server(args.host, args.port, app, threaded=True)
    print(f"Site de recette à l'écoute sur http://{args.host}:{serveur.server_port}/"
          + (f" (écarts : {', '.join(args.ecart)})" if args.ecart else ""), flush=True)
    try:
        serveur.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        serveur.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
