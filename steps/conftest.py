"""pytest options, markers and the not-applicable conversion for the conformance features."""

from __future__ import annotations

import pytest

from moncompte import rules
from moncompte.steps import shard
from moncompte.steps.drivers.base import NotApplicable, NotRun
from moncompte.steps.fixtures import ARRANGED
from moncompte.steps.params import Reclassified
from moncompte.steps.profile import ARRANGEMENTS

pytest_plugins = [
    "moncompte.steps.fixtures",
    "moncompte.steps.definitions.commun",
    "moncompte.steps.definitions.acces",
    "moncompte.steps.definitions.etat_civil",
    "moncompte.steps.definitions.piece_identite",
    "moncompte.steps.definitions.coordonnees_code",
    "moncompte.steps.definitions.mot_de_passe",
    "moncompte.steps.definitions.recapitulatif_connexion",
    "moncompte.steps.definitions.roles",
    "moncompte.steps.definitions.chatbot",
    "moncompte.steps.definitions.franceconnect",
    "moncompte.steps.definitions.securite",
    "moncompte.steps.definitions.accessibilite",
]

TRACE_MODES = ("non", "echecs", "toujours")
EXTRA_MARKERS = {
    "api_seulement": "scénario qui ne s'applique qu'au pilote API",
    "navigateur_seulement": "scénario qui ne s'applique qu'au pilote navigateur (pages)",
    "securite": "règle de sécurité au-delà du guide",
    "accessibilite": "règle d'accessibilité (RGAA) au-delà du guide",
    "identites_inventees": "exemples qui saisissent des personnes inventées : sur l'implémentation de référence seulement",
    "lieu_par_code": "exemples d'un site qui demande le lieu de naissance par son code INSEE",
    "lieu_par_nom": "exemples d'un site qui demande le lieu de naissance par son nom",
    "choix_de_la_reference": "exemples des choix de l'implémentation de référence (noms de thèmes, de prestations)",
    "par_sms": "exemples d'un code envoyé par SMS : non applicables à un site sans SMS (CONTACT-MOBILE non applicable)",
    "avec_renvoi": "scénario qui redemande un code : non applicable à un site sans nouvel envoi (CODE-RENVOI non applicable)",
}
# Examples that hold only for some sites: tag → (does it hold, from the profile and the target; why not)
INVENTED = (
    "ces exemples saisissent des personnes inventées : le harnais ne le fait que sur l'implémentation de"
    " référence ; sur un autre site, il ne saisit que les identités de test de son profil"
)
REFERENCE_CHOICES = (
    "ces exemples sont des choix de l'implémentation de référence (le guide ne nomme aucun thème ni"
    " aucune prestation) : ils ne se vérifient que sur elle"
)
PLACE_AS = 'le site demande le lieu de naissance par son {other} (profil, [formulaires] lieu_naissance = "{other}")'


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("moncompte", "Conformité « Mon Compte »")
    group.addoption(
        "--driver", choices=("api", "browser", "http"), default="api", help="pilote : api (défaut), browser ou http"
    )
    group.addoption("--target", default=None, help="adresse de la cible (ex. http://127.0.0.1:8000)")
    group.addoption("--profile", default="default", help="profil de site : fichier TOML ou nom d'un profil intégré")
    group.addoption("--report-dir", default=None, help="dossier des artefacts (captures, traces, résultats partiels)")
    group.addoption(
        "--browser-ws-endpoint",
        default=None,
        metavar="URL",
        help="navigateur distant (serveur Playwright, ws://…) auquel se connecter au lieu d'en lancer un",
    )
    group.addoption(
        "--browser-trace",
        choices=TRACE_MODES,
        default="non",
        help="traces Playwright (pilote navigateur) : non (défaut, le plus rapide), echecs (enregistrées"
        " pour chaque scénario, gardées en cas d'échec), toujours (gardées pour chaque scénario)",
    )
    group.addoption(
        "--appareil",
        default=None,
        metavar="NOM",
        help="appareil que le pilote navigateur émule (un nom d'appareil de Playwright, ex. « Pixel 7 »)",
    )
    group.addoption("--viewport", default=None, metavar="LxH", help="taille d'écran du pilote navigateur (ex. 360x740)")
    group.addoption(
        "--fc-provider",
        default=None,
        metavar="URL",
        help="fournisseur FranceConnect de test (simulateur « moncompte fc-simulator ») où créer les"
        " comptes de test des scénarios FranceConnect",
    )
    group.addoption(
        "--arrangement",
        choices=ARRANGEMENTS,
        default=None,
        help="pilote navigateur : préparer les scénarios (leurs « Étant donné ») en lisant les pages en HTTP là"
        " où elles se passent de JavaScript (auto, défaut du profil) ou toujours dans le navigateur (navigateur)",
    )
    shard.add_options(group)


def pytest_configure(config: pytest.Config) -> None:
    for rule in rules.RULES:
        config.addinivalue_line("markers", f"{rule.id}: {rule.title} ({rule.level}, {rule.step})")
    for step in rules.Step:
        config.addinivalue_line("markers", f"{step.tag}: étape du guide « {step} »")
    for name, description in EXTRA_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    if config.getoption("--driver", default="api") == "browser":
        # Written with the browser driver: one browser per worker, a context per scenario.
        config.pluginmanager.import_plugin("moncompte.steps.drivers.browser_pytest")
    shard.configure(config)


# marker → the drivers that play its scenarios (not applicable to the others), and why. The http driver plays the
# pages (navigation ① ② ③ included); accessibility is the browser's (rendering, keyboard, axe-core).
ONLY_FOR = {
    "api_seulement": (
        ("api",),
        "ce scénario ne se joue que par l'API (le formulaire n'est plus affiché sur les pages)",
    ),
    "navigateur_seulement": (("browser", "http"), "la navigation se vérifie sur les pages : pilote navigateur"),
    "accessibilite": (("browser",), "l'accessibilité (RGAA) se vérifie dans un navigateur : pilote navigateur"),
}


@pytest.hookimpl(trylast=True)  # after the selection (-m, -k): parts and order are of what runs
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A scenario tagged for the other driver is *not applicable* to this one. A scenario that
    proves a rule the profile declares not applicable (``[expectations.not_applicable]``) is
    deselected: the conformance document gives that rule the profile's reason. With ``--shard``,
    only this machine's part is kept (``steps.shard``); with several workers, the longest scenarios
    start first."""
    driver = config.getoption("--driver", default="api")
    for item in items:
        for marker, (only, reason) in ONLY_FOR.items():
            if item.get_closest_marker(marker) and driver not in only:
                item.add_marker(pytest.mark.skip(reason=f"non applicable : {reason}"))
    conditions = _conditions(config)
    for item in items:
        for marker, (holds, reason) in conditions.items():
            if item.get_closest_marker(marker) and not holds:
                item.add_marker(pytest.mark.skip(reason=f"non applicable : {reason}"))
    not_applicable = _profile_not_applicable(config)
    if not_applicable:
        kept, dropped = [], []
        for item in items:
            proves = {m.name for m in item.iter_markers()}
            (dropped if proves & not_applicable else kept).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    shard.keep_part(config, items)  # --shard K/N: this machine's part of what is left
    shard.order_for_workers(config, items)  # --workers: the longest first, spread over the workers


def _conditions(config: pytest.Config) -> dict[str, tuple[bool, str]]:
    """Whether the examples of each condition tag hold on this target, and why not."""
    from moncompte.steps import profile as profiles
    from moncompte.steps.identities import has_test_routes

    try:
        profile = profiles.load(config.getoption("--profile", default="default"))
    except profiles.ProfileError:  # reported by the ``profile`` fixture, with exit code 2
        return {}
    target = config.getoption("--target", default=None) or profile.base_url
    place_as = profile.formulaires.lieu_naissance
    reference = bool(target) and has_test_routes(target, access=profile.acces)
    off = profile.expectations.off()
    return {
        "identites_inventees": (reference, INVENTED),
        "choix_de_la_reference": (reference, REFERENCE_CHOICES),
        "lieu_par_code": (place_as == "code", PLACE_AS.format(other="nom")),
        "lieu_par_nom": (place_as == "nom", PLACE_AS.format(other="code")),
        "par_sms": ("CONTACT-MOBILE" not in off, f"le site n'envoie pas de SMS (profil : {off.get('CONTACT-MOBILE')})"),
        "avec_renvoi": (
            "CODE-RENVOI" not in off,
            f"le site ne renvoie pas de nouveau code (profil : {off.get('CODE-RENVOI')})",
        ),
    }


def _profile_not_applicable(config: pytest.Config) -> set[str]:
    from moncompte.steps import profile as profiles

    try:
        return set(profiles.load(config.getoption("--profile", default="default")).expectations.off())
    except profiles.ProfileError:  # reported by the ``profile`` fixture, with exit code 2
        return set()


_GIVEN_FAILED = "moncompte_preparation"


def pytest_bdd_before_step(request, feature, scenario, step, step_func) -> None:
    """The scenario's own steps (its first « Quand » or « Alors ») are acted in the browser."""
    arranged = getattr(request.node, ARRANGED, None)
    if arranged is not None and step.type != "given":
        arranged.act()


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception) -> None:
    """Remember a failure of a « Étant donné » step: the scenario's preparation, not what it proves."""
    if step.type == "given" and isinstance(exception, AssertionError):
        setattr(request.node, _GIVEN_FAILED, step.name)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """An intent that cannot apply to this driver or target makes the scenario *not applicable*; an
    example of the guide judged by the site's values ends, passed, with the note saying so. A scenario
    whose preparation (its « Étant donné » steps) failed is *non vérifié*, with the reason: what failed
    there is another rule's, proved (and failed) by that rule's own scenarios; one failure, one rule."""
    try:
        return (yield)
    except NotApplicable as exc:
        pytest.skip(f"non applicable : {exc.reason}")
    except NotRun as exc:
        pytest.skip(f"non vérifié : {exc.reason}")
    except Reclassified as exc:
        pyfuncitem.user_properties.append(("note", exc.note))
        return True
    except AssertionError as exc:
        step = getattr(pyfuncitem, _GIVEN_FAILED, None)
        if step is None:
            raise
        first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        pytest.skip(f"non vérifié : préparation impossible (« {step} ») : {first[:300]}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    try:
        return (yield)
    except NotApplicable as exc:
        pytest.skip(f"non applicable : {exc.reason}")
    except NotRun as exc:
        pytest.skip(f"non vérifié : {exc.reason}")
