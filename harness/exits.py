"""Exit codes of ``moncompte``, the options that make a run fail on more than a failed MUST rule, and the
error that ends a run that could not be made (exit code 2)."""

from __future__ import annotations

import argparse
import sys
from typing import Callable

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class CheckError(Exception):
    """The run could not be made; the message says why, in French (exit code 2)."""


def add_exit_options(parser: argparse.ArgumentParser) -> None:
    """``--strict`` (``args.strict``) and ``--echec-sur-avertissement`` (``args.fail_on_warning``), the
    options of ``check.exit_code`` shared by ``moncompte check`` and ``moncompte merge``."""
    parser.add_argument(
        "--strict",
        action="store_true",
        help="code de sortie 1 aussi quand une règle MUST est « non vérifiée » (le harnais n'a pas pu"
        " la vérifier : identité de test manquante, code impossible à faire vieillir…)",
    )
    parser.add_argument(
        "--echec-sur-avertissement",
        dest="fail_on_warning",
        action="store_true",
        help="code de sortie 1 aussi quand une règle SHOULD ou MAY échoue (avertissement)",
    )


def guarded(command: str, body: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``body`` as the command ``moncompte <command>`` runs it: a run that could not be made (``CheckError``)
    says why on the error output and ends with exit code 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return body(args)
        except CheckError as exc:
            print(f"moncompte {command} : {exc}", file=sys.stderr)
            return EXIT_ERROR

    return run
