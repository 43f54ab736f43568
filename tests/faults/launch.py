"""Serve the reference implementation with one fault of the catalogue applied.

    python tests/faults/launch.py FAULT_ID --port P --database URL [--host H] [--full-hashing]
                                  [--fc-discovery-url URL --fc-client-id ID --fc-client-secret S]

Like ``moncompte serve --test-mode --test-cheap-hashing`` (test routes on, argon2id at
a cheap cost unless ``--full-hashing``), after the fault's patch has run in this
process: nothing in ``reference_impl/`` or ``rules/`` is edited. ``FAULT_ID`` ``aucun``
serves the reference as it is (the control run).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
for path in (REPO, REPO / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from jinja2 import BaseLoader  # noqa: E402

NO_FAULT = "aucun"
FC_OPTIONS = ("fc_discovery_url", "fc_client_id", "fc_client_secret")


class RewritingLoader(BaseLoader):
    """A Jinja loader that rewrites some templates of another loader as they are loaded."""

    def __init__(self, inner: BaseLoader, rewrites: dict[str, list[tuple[str, str]]]):
        self.inner = inner
        self.rewrites = rewrites

    def get_source(self, environment, template):
        source, filename, uptodate = self.inner.get_source(environment, template)
        for pattern, replacement in self.rewrites.get(template, ()):
            source, count = re.subn(pattern, replacement, source, flags=re.DOTALL)
            if count == 0:
                raise RuntimeError(f"fault patch: {pattern!r} not found in template {template}")
        return source, filename, lambda: True

    def list_templates(self):
        return self.inner.list_templates()


def build_app(fault_id: str, database_url: str, *, cheap_hashing: bool = True, **franceconnect):
    """The reference app with the fault applied (``aucun``: none)."""
    from argon2 import PasswordHasher

    from faults.catalogue import BY_ID
    from faults.patches import Launch
    from moncompte import rules
    from moncompte.reference_impl import pages
    from moncompte.reference_impl.app import create_app

    launch = Launch()
    if fault_id != NO_FAULT:
        BY_ID[fault_id].patch(launch)
    if launch.templates:
        pages.templates.env.loader = RewritingLoader(pages.templates.env.loader, launch.templates)
        pages.templates.env.cache = {}
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if cheap_hashing else None
    return create_app(
        database_url,
        test_mode=True,
        settings=rules.settings(launch.settings),
        password_hasher=hasher,
        send_limit_per_client=0,  # the whole suite comes from this machine (as targets.reference_server)
        **{name: value for name, value in franceconnect.items() if value},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fault", help=f"identifiant de la panne (tests/faults/catalogue.py), ou « {NO_FAULT} »")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--database", default="sqlite:///moncompte-panne.db")
    parser.add_argument("--full-hashing", action="store_true", help="argon2id au coût de production")
    for option in FC_OPTIONS:  # FranceConnect, as for « moncompte serve »
        parser.add_argument("--" + option.replace("_", "-"))
    args = parser.parse_args(argv)

    from faults.catalogue import BY_ID

    if args.fault != NO_FAULT and args.fault not in BY_ID:
        print(f"panne inconnue : {args.fault} (la liste : tests/faults/catalogue.py)", file=sys.stderr)
        return 2
    import uvicorn

    app = build_app(
        args.fault,
        args.database,
        cheap_hashing=not args.full_hashing,
        **{option: getattr(args, option) for option in FC_OPTIONS},
    )
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
