"""Fixtures of the conformance features: profile, target, driver, data, codes, scenario context."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Iterator

import pytest

from moncompte.rules.model import Settings
from moncompte.steps import profile as profiles
from moncompte.steps.codes import CodeSource, OutboxCodeSource
from moncompte.steps.data import DataFactory, Foyer, Person, scenario_seed
from moncompte.steps.drivers.base import Driver, Outcome
from moncompte.steps.identities import (
    Identities,
    IdentityPool,
    NoIdentities,
    ProfileIdentities,
    ReferenceIdentities,
    has_test_routes,
)
from moncompte.steps.results import ARRANGEMENT_PROPERTY

if TYPE_CHECKING:
    from moncompte.steps.messages import MessageCheck


@pytest.fixture(scope="session")
def profile(pytestconfig: pytest.Config) -> profiles.Profile:
    try:
        return profiles.load(pytestconfig.getoption("--profile"))
    except profiles.ProfileError as exc:
        pytest.exit(f"moncompte : {exc}", returncode=2)


@pytest.fixture(scope="session")
def settings(profile: profiles.Profile) -> Settings:
    """The rule parameters in force on the target (the guide's values, then the profile's)."""
    return profile.settings()


@pytest.fixture(scope="session")
def target_url(pytestconfig: pytest.Config, profile: profiles.Profile) -> str:
    url = pytestconfig.getoption("--target") or profile.base_url
    if not url:
        pytest.exit("moncompte : indiquez la cible avec --target URL (ou base_url dans le profil).", returncode=2)
    return url.rstrip("/")


@pytest.fixture(scope="session")
def access(profile: profiles.Profile):
    """How to get in to the target (the profile's ``[acces]``: basic authentication, internal CA), for
    every client of it (``steps.target_access``)."""
    return getattr(profile, "acces", None)


@pytest.fixture(scope="session")
def is_reference(target_url: str, access) -> bool:
    """Whether the target is the reference implementation in test mode (its test routes answer): its
    pages' addresses and its messages are those the harness knows; any other site has its own."""
    return has_test_routes(target_url, access=access)


@pytest.fixture(scope="session")
def message_check(is_reference: bool, settings: Settings, profile: profiles.Profile) -> "MessageCheck":
    """How a refusal's message is checked: word for word on the reference, the site's own words (or a
    message tied to the refused field) elsewhere (``steps.messages``)."""
    from moncompte.steps.messages import MessageCheck

    return MessageCheck(is_reference, settings, profile.messages)


@pytest.fixture
def driver(request: pytest.FixtureRequest, pytestconfig: pytest.Config, target_url: str, access) -> Iterator[Driver]:
    """The driver chosen with ``--driver``: ``api`` (the reference's JSON API), ``browser`` (Playwright on the
    pages) or ``http`` (the pages over HTTP, without JavaScript, with the browser's locators and pages)."""
    chosen = pytestconfig.getoption("--driver")
    if chosen == "browser":
        yield arranged(request, request.getfixturevalue("browser_driver"), access)
        return
    if chosen == "http":
        from moncompte.steps.drivers.http_pages import HttpPagesDriver

        profile = request.getfixturevalue("profile")
        driver: Driver = HttpPagesDriver(
            target_url,
            profile.locators or {},
            pages=profile.pages or None,
            reference_pages=request.getfixturevalue("is_reference"),
            access=access,
        )
    else:
        from moncompte.steps.drivers.api import ApiDriver

        driver = ApiDriver(target_url, access=access)
    try:
        yield driver
    finally:
        driver.close()


ARRANGED = "moncompte_arrangement"  # the item's ``ArrangedDriver`` (``steps.conftest`` tells it when to act)


def arranged(request: pytest.FixtureRequest, browser: Driver, access) -> Driver:
    """The browser driver, its scenario's preparation over HTTP unless ``--arrangement`` (or the profile's
    ``arrangement``) says ``navigateur`` (``steps.drivers.arranged``). The report says how it was prepared."""
    from moncompte.steps.drivers.arranged import IN_BROWSER, ArrangedDriver

    mode = request.config.getoption("--arrangement", default=None) or request.getfixturevalue("profile").arrangement
    if mode == IN_BROWSER:
        request.node.user_properties.append((ARRANGEMENT_PROPERTY, IN_BROWSER))
        return browser
    driver = ArrangedDriver.on(browser, access=access)  # type: ignore[arg-type]
    setattr(request.node, ARRANGED, driver)
    request.addfinalizer(lambda: request.node.user_properties.append((ARRANGEMENT_PROPERTY, driver.how())))
    return driver  # type: ignore[return-value]


@pytest.fixture(scope="session")
def identity_pool(profile: profiles.Profile, target_url: str, access) -> IdentityPool | NoIdentities | None:
    """Where the scenarios' persons come from: the profile's test identities when it has some;
    synthetic persons (``None``) on a target with test routes (the reference); else nobody."""
    if profile.identities.persons:
        return IdentityPool(profile.identities.persons, once=profile.identities.un_compte_par_personne)
    if has_test_routes(target_url, access=access):
        return None
    return NoIdentities(target_url)


@pytest.fixture
def data(request: pytest.FixtureRequest, identity_pool) -> DataFactory:
    """The scenario's data builder, seeded by the run, the worker and the scenario."""
    return DataFactory(
        scenario_seed(request.node.nodeid),
        pool=identity_pool,
        place_as=request.getfixturevalue("profile").formulaires.lieu_naissance,
        settings=request.getfixturevalue("settings"),
    )


@pytest.fixture
def identities(target_url: str, identity_pool, access) -> Iterator[Identities]:
    source = ProfileIdentities() if identity_pool is not None else ReferenceIdentities(target_url, access=access)
    try:
        yield source
    finally:
        source.close()


LISTENING_SOURCES_UNDER_XDIST = (
    "la source de codes « {source} » écoute sur {host}:{port} : un seul processus peut le faire."
    " Lancez la suite par « moncompte check --workers N » (qui la démarre une fois pour tous les workers),"
    " sans -n, ou avec une source partagée (outbox, mailpit, mailhog)."
)


@pytest.fixture(scope="session")
def code_source(profile: profiles.Profile, target_url: str, access) -> Iterator[CodeSource | None]:
    """The profile's code source started once per session (an SMTP catcher, an HTTP sink…);
    ``None`` for the reference outbox (a client per scenario, see ``codes``)."""
    config = profile.codes
    if config.reference_outbox:
        yield None
        return
    from moncompte.steps import catchers
    from moncompte.steps.drivers.base import TargetError

    relayed = bool(os.environ.get(catchers.RELAY_ENV))
    if config.listens and not relayed and int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1) > 1:
        listening = next(c for c in config.by_channel().values() if c.listens)
        pytest.exit(
            "moncompte : "
            + LISTENING_SOURCES_UNDER_XDIST.format(source=listening.source, host=listening.host, port=listening.port),
            returncode=2,
        )
    try:
        source = catchers.open_source(config, target_url, access)
    except TargetError as exc:
        pytest.exit(f"moncompte : {exc}", returncode=2)
    try:
        yield source
    finally:
        source.close()


@pytest.fixture
def codes(target_url: str, profile: profiles.Profile, code_source: CodeSource | None, access) -> Iterator[CodeSource]:
    if code_source is not None:
        yield code_source
        return
    source = OutboxCodeSource(target_url, profile.codes.pattern, access=access)
    try:
        yield source
    finally:
        source.close()


@dataclass
class CodeExchange:
    """The scenario's confirmation code: where it was asked to go, when, and what came."""

    channel: str = "email"
    contact: str = ""
    code_sent_at: datetime | None = None
    code: str | None = None
    previous_code: str | None = None
    delivery_seconds: float | None = None  # how long the first code took to come


@dataclass
class ScenarioContext:
    """What the steps of a scenario share: who acts, the last intent's outcome, the code. What only one
    feature's steps pass on travels in that feature's own fixtures (``target_fixture``)."""

    person: Person | None = None
    journey_of: Person | None = None  # whose registration the driver is in
    foyer: Foyer | None = None
    others: list[Person] = field(default_factory=list)  # more persons of the scenario
    # the persons already in the registry, held (not their id(): a dropped person's id() is reused)
    seeded: list[Person] = field(default_factory=list)
    outcome: Outcome | None = None
    step_before: str | None = None  # the journey step before the last intent
    envoi: CodeExchange = field(default_factory=CodeExchange)
    password: str | None = None  # the last password typed
    identifier: str | None = None  # NIR or provisional identifier to log in with
    # how the site's values judge the guide's literal example just typed (``steps.params.judge``)
    judged: tuple[str, tuple[str, str, str] | None] | None = None
    message_values: dict[str, object] = field(default_factory=dict)  # values of the moment in the messages


@pytest.fixture
def ctx() -> ScenarioContext:
    return ScenarioContext()
