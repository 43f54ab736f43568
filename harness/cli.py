"""The ``moncompte`` command line.

``moncompte rules`` prints the catalogue; other sub-commands are registered by
the modules that implement them (see ``COMMANDS``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
from typing import Callable

import moncompte
from moncompte import rules
from moncompte.harness.exits import EXIT_ERROR, EXIT_OK
from moncompte.resources import MissingResource
from moncompte.steps.profile import ProfileError, load


def _rules_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    parser.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    parser.add_argument("--profile", help="profil de site (fichier TOML ou nom d'un profil intégré)")
    parser.add_argument("--step", help="n'afficher que l'étape donnée (①…⑨, « Bon à savoir »)")
    parser.add_argument(
        "--messages",
        action="store_true",
        help="les messages de l'implémentation de référence et leurs identifiants (pour [messages] d'un profil)",
    )

    def run(args: argparse.Namespace) -> int:
        settings = load(args.profile).settings() if args.profile else rules.DEFAULTS
        if args.messages:
            print(render_messages(args.format, settings, load(args.profile).messages if args.profile else {}))
            return EXIT_OK
        selected = [r for r in rules.RULES if not args.step or str(r.step) == args.step]
        if args.format == "json":
            print(json.dumps([r.as_dict(settings) for r in selected], ensure_ascii=False, indent=2))
        elif args.format == "markdown":
            print(render_markdown(selected, settings))
        else:
            print(render_table(selected, settings))
        return EXIT_OK

    return run


def _format_params(rule: rules.Rule, settings: rules.Settings) -> str:
    parts = []
    for p in rule.parameters:
        value = settings[rule.id][p.name]
        mark = "*" if settings.is_overridden(rule.id, p.name) else ("†" if p.choice else "")
        parts.append(f"{p.name}={value}{mark}")
    return ", ".join(parts)


def render_table(selected: list[rules.Rule], settings: rules.Settings) -> str:
    width = max(60, shutil.get_terminal_size((120, 20)).columns)
    id_w = max(len(r.id) for r in selected) if selected else 10
    lines = [f"{'ID':<{id_w}}  {'Étape':<12}  {'Niveau':<6}  {'Origine':<7}  Titre / paramètres"]
    lines.append("─" * min(width, 120))
    for r in selected:
        head = f"{r.id:<{id_w}}  {str(r.step):<12}  {str(r.level):<6}  {r.origin:<7}  "
        lines.append(head + r.title)
        params = _format_params(r, settings)
        if params:
            lines.extend(
                textwrap.wrap(
                    params,
                    width=max(len(head) + 40, width),
                    initial_indent=" " * len(head),
                    subsequent_indent=" " * len(head),
                )
            )
    lines.append("")
    beyond = sum(1 for r in selected if r.beyond_guide)
    lines.append(
        f"{len(selected)} règle{'s' if len(selected) > 1 else ''} : {len(selected) - beyond} du guide, {beyond}"
        " choix du projet au-delà du guide (« projet » ; la raison : --format json)."
        " † valeur laissée ouverte par le guide ; * valeur du profil."
    )
    return "\n".join(lines)


def render_messages(form: str, settings: rules.Settings, site: dict[str, str]) -> str:
    """The reference's messages (``rules/messages.py``) with their ID, rule and field; a profile's own
    text for a message (``[messages]``) shown beside it."""
    from moncompte.rules.messages import MESSAGES, render

    rows = [
        {
            "id": m.id,
            "regle": m.rule,
            "champ": m.field,
            "texte": m.text,
            "texte_avec_les_valeurs": render(m.text, dict(settings[m.parameters_rule])),
            **({"texte_du_site": site[m.id]} if m.id in site else {}),
        }
        for m in MESSAGES
    ]
    if form == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if form == "markdown":
        out = ["| ID | Règle | Champ | Message de la référence |", "|---|---|---|---|"]
        out += [f"| {r['id']} | {r['regle']} | {r['champ'] or ''} | {r['texte_avec_les_valeurs']} |" for r in rows]
        return "\n".join(out)
    id_w = max(len(r["id"]) for r in rows)
    rule_w = max(len(r["regle"]) for r in rows)
    lines = [f"{'ID':<{id_w}}  {'Règle':<{rule_w}}  Message de la référence (valeurs en vigueur)"]
    for r in rows:
        lines.append(f"{r['id']:<{id_w}}  {r['regle']:<{rule_w}}  {r['texte_avec_les_valeurs']}")
        if "texte_du_site" in r:
            lines.append(f"{'':<{id_w}}  {'':<{rule_w}}  ↳ texte du site (profil) : {r['texte_du_site']}")
    lines.append("")
    lines.append(
        f"{len(rows)} messages. Le guide ne prescrit aucun texte : sur un autre site, un refus est vérifié"
        " comme « refusé, avec un message rattaché au champ », sauf si le profil donne le texte du site"
        ' ([messages] ID = "texte" ou "/expression régulière/").'
    )
    return "\n".join(lines)


def render_markdown(selected: list[rules.Rule], settings: rules.Settings) -> str:
    out = [
        "| ID | Étape | Niveau | Origine | Titre | Citation du guide | Paramètres |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in selected:
        origin = f"choix du projet : {r.beyond_guide}" if r.beyond_guide else "guide"
        origin += f" (RGAA {', '.join(r.rgaa)})" if r.rgaa else ""
        cells = [r.id, str(r.step), str(r.level), origin, r.title, f"« {r.quote} »", _format_params(r, settings)]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)


def _check_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    from moncompte.harness.check import command  # imported here: only `check` needs it

    return command(parser)


def _serve_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    from moncompte.reference_impl import server  # imported here: only `serve` needs the reference implementation

    server.add_arguments(parser)
    return server.run


def _fc_simulator_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    from moncompte.reference_impl.franceconnect import simulator  # imported here: only `fc-simulator` needs it

    simulator.add_arguments(parser)
    return simulator.run


def _profile_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    from moncompte.harness.profile_cli import command  # imported here: only `profile` needs it

    return command(parser)


def _schema_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    from moncompte.harness.schemas import command

    return command(parser)


def _merge_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    from moncompte.harness.merge import command

    return command(parser)


def _compare_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    from moncompte.harness.compare import command

    return command(parser)


# name -> (help, builder of the handler). Other modules add their commands here.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], Callable[[argparse.Namespace], int]]]] = {
    "rules": ("afficher le catalogue des règles", _rules_command),
    "check": ("vérifier la conformité d'une cible (rapports dans reports/)", _check_command),
    "serve": ("démarrer l'implémentation de référence (FastAPI)", _serve_command),
    "profile": (
        "écrire un profil de site de départ (init), vérifier ses localisateurs sur une cible (check)",
        _profile_command,
    ),
    "fc-simulator": ("démarrer le simulateur FranceConnect (fournisseur d'identité de test)", _fc_simulator_command),
    "schema": ("afficher le schéma JSON du rapport (conformance) ou d'un profil de site (profile)", _schema_command),
    "merge": ("fusionner les rapports des fragments (--shard K/N) d'une vérification en un seul", _merge_command),
    "compare": ("dire ce qui a changé entre deux rapports du même profil (règles, scénarios)", _compare_command),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="moncompte", description="Harnais de conformité « Mon Compte » (CAF)")
    parser.add_argument("--version", action="version", version=f"moncompte {moncompte.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    handlers = {}
    # Only the chosen command's options are built: `check` and `rules` never import the
    # reference implementation. Without a known command, every parser is built for --help.
    chosen = [argv[0]] if argv and argv[0] in COMMANDS else list(COMMANDS)
    for name, (help_text, builder) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text)
        if name in chosen:
            handlers[name] = builder(command_parser)
    args = parser.parse_args(argv)
    try:
        return handlers[args.command](args)
    except (ProfileError, MissingResource) as exc:
        print(f"moncompte : {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
