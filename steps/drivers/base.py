"""The driver interface: the intents a step may call, and what they return.

A step never speaks HTTP nor uses a selector: it calls an intent of the driver
(``driver.choose_password("Abcdefg1")``) and checks the returned ``Outcome``
against the feature's example. Each driver (``api``, ``browser``) implements
every intent; an intent that cannot apply to a driver raises ``NotApplicable``
with a reason, which the report shows as *not applicable*, never as a pass.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from moncompte.rules import model

if TYPE_CHECKING:
    from moncompte.steps.drivers.accessibility import AxeViolation, Finding, KeyboardReport, OverflowFinding

_PAGES_ONLY = "l'accessibilité se vérifie sur les pages (pilote navigateur)"


class NotApplicable(Exception):
    """The intent cannot be carried out by this driver; ``reason`` says why (in French)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotRun(Exception):
    """The harness could not check this (a test identity missing, a code it cannot age, a page whose
    address it does not know…): the scenario is *non vérifié*, never a pass; ``reason`` says why and,
    where it can, what would let it check (in French)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TargetError(AssertionError):
    """The target did not behave as a target of this kind must (unreachable, page missing…).

    The message says what was expected and where, in French.
    """


# Journey steps, as both drivers name them (the reference API's ``etape`` values): ``rules.model``.
JOURNEY_STEPS = model.JOURNEY_STEPS


@dataclass
class Outcome:
    """What the target answered to an intent.

    ``accepted``: the target moved on. ``messages``: the French messages it showed
    (errors on refusal, information otherwise). ``invalid_fields``: fields marked
    invalid. ``field_messages``: field → the error messages shown beside it (tied to
    it by the page's markup, or by the API's ``champ``). ``step``: the journey step
    the user is on afterwards (see ``JOURNEY_STEPS``), or ``None`` outside the
    journey. ``data``: what the target returned besides (``identifiant_provisoire``,
    ``justificatif_a_fournir``…).
    """

    accepted: bool
    messages: list[str] = field(default_factory=list)
    invalid_fields: list[str] = field(default_factory=list)
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    field_messages: dict[str, list[str]] = field(default_factory=dict)

    def shows(self, message: str) -> bool:
        """True when one of the shown messages contains ``message`` (case and spaces as typed)."""
        return any(message in m for m in self.messages)


class Driver(ABC):
    """Intents over the Mon Compte journey. Implementations: ``api``, ``browser``."""

    name: str

    # ── ① ② ③ navigation ──────────────────────────────────────────────────
    @abstractmethod
    def open_home(self) -> None:
        """Open the home page."""

    @abstractmethod
    def follow(self, element: str) -> None:
        """Activate a named element of the current page (a key of ``steps.locators.ELEMENTS``:
        ``aides_et_demarches``, ``mes_demarches``, ``icone_mon_compte``, ``faire_la_demande``,
        ``creer_un_compte``, ``commencer``, ``se_connecter``…). Raises TargetError when absent."""

    @abstractmethod
    def is_offered(self, element: str) -> bool:
        """Whether a named element is present on the current page."""

    @abstractmethod
    def themes(self) -> list[str]:
        """Themes offered in the banner « Faites une demande de prestation en ligne »."""

    @abstractmethod
    def choose_theme(self, theme: str) -> list[str]:
        """Choose a theme of the banner; return the prestations it offers."""

    @abstractmethod
    def choose_prestation(self, prestation: str) -> None:
        """Choose a prestation (its label) among those of the chosen theme."""

    def choose_any_prestation(self) -> str:
        """« Mes démarches », the first theme of the banner, its first prestation (chosen, not yet asked
        for): the prestation's label. Navigation: the browser driver only."""
        raise NotApplicable("la navigation se vérifie sur les pages : pilote navigateur")

    def is_offered_at_top(self, element: str) -> bool:
        """Whether ``element`` is shown at the top of the page: in its header (``banner``), or within the
        first screen's top band."""
        raise NotApplicable("la navigation se vérifie sur les pages : pilote navigateur")

    def step_indicator(self) -> tuple[int, int] | None:
        """The journey's step indication shown on the page (« Étape 2 sur 6 » → (2, 6)); ``None`` when the
        page shows none."""
        raise NotApplicable("l'indication de l'étape se lit sur les pages : pilote navigateur")

    def page_shown(self) -> Outcome:
        """The page the last click opened: accepted when it answered without an error status or alert."""
        raise NotApplicable("la navigation se vérifie sur les pages : pilote navigateur")

    @abstractmethod
    def current_step(self) -> str | None:
        """The journey step shown (one of JOURNEY_STEPS), ``None`` outside the journey."""

    # ── ④ … ⑨ the journey ────────────────────────────────────────────────
    @abstractmethod
    def start_registration(self, prestation: str | None = None) -> Outcome:
        """Reach step ④ the shortest way (« Créer un compte », « Commencer »)."""

    @abstractmethod
    def fill_civil_status(self, person: dict[str, str], *, without_nir: bool = False) -> Outcome:
        """Step ④. ``person`` keys: nir, civilite, nom_naissance, prenoms, date_naissance
        (JJ/MM/AAAA), lieu_naissance. ``data["identifiant_provisoire"]`` when one is issued."""

    @abstractmethod
    def submit_identity_document(self, kind: str, number: str) -> Outcome:
        """Step ⑤ with a document (kind: cni, passeport, titre_sejour)."""

    @abstractmethod
    def declare_no_french_document(self) -> Outcome:
        """Step ⑤, « Je ne dispose pas d'une pièce d'identité française »."""

    @abstractmethod
    def request_code(self, channel: str, value: str) -> Outcome:
        """Step ⑥: contact detail (channel: email or sms), « Envoyer le code »."""

    @abstractmethod
    def resend_code(self) -> Outcome:
        """Step ⑦: « Renvoyer le code »."""

    @abstractmethod
    def submit_code(self, code: str) -> Outcome:
        """Step ⑦: the code, « Valider »."""

    @abstractmethod
    def choose_password(self, password: str, confirmation: str | None = None) -> Outcome:
        """Step ⑧: the password (and its confirmation where the site asks for one: the same password
        unless ``confirmation`` is given; ``NotApplicable`` when given and the site has no such field),
        « Valider »."""

    @abstractmethod
    def password_rule_text(self) -> str:
        """The rule text shown with the password field."""

    @abstractmethod
    def recap(self) -> dict[str, str]:
        """Step ⑨: the recap, label → value as shown (French labels of the page)."""

    @abstractmethod
    def proof_notice(self) -> str | None:
        """Step ⑨: what the recap says when an identity document may be asked for (« Une pièce
        justificative pourra vous être demandée », « Justificatif à fournir »); ``None`` when it says
        nothing of it, or says there is none to give (« Aucun justificatif à fournir »)."""

    @abstractmethod
    def recap_text(self) -> str:
        """Step ⑨: everything the recap page shows, as text (to look for what must not be there)."""

    # ── ⑨ login and espace ───────────────────────────────────────────────
    @abstractmethod
    def login(self, identifier: str, password: str) -> Outcome:
        """« Se connecter » with an identifier (NIR or provisional identifier) and a password."""

    @abstractmethod
    def logout(self) -> None:
        """« Se déconnecter »."""

    @abstractmethod
    def offered_actions(self) -> list[str]:
        """Action codes (``rules.roles.Action`` values) offered in « Mon espace »."""

    @abstractmethod
    def attempt(self, action: str) -> Outcome:
        """Try an action by code even if not offered; accepted, or refused with the message."""

    @abstractmethod
    def request_prestation(self, prestation: str) -> Outcome:
        """« Faire une demande de prestation » for a prestation label, once logged in."""

    @abstractmethod
    def demarches(self) -> list[dict[str, str]]:
        """« Suivre mes démarches »: [{"prestation": label, "statut": status}]."""

    @abstractmethod
    def set_procuration(self, granted: bool) -> Outcome:
        """As responsable, give or withdraw the procuration to the conjoint."""

    # ── FranceConnect (« Bon à savoir ») ─────────────────────────────────
    # ``account``: a FranceConnect test account, {"login", "password"} at the provider
    # (see ``steps.identities.FranceConnectAccounts``). ``intention``: "creation" (from
    # « Créer un compte ») or "connexion" (from « Se connecter »).
    @abstractmethod
    def franceconnect(self, intention: str, account: Mapping[str, str] | None) -> Outcome:
        """« S'identifier avec FranceConnect » from « Créer un compte » (``creation``) or « Se
        connecter » (``connexion``), choose the identity provider, log in at the provider with
        ``account`` (« Annuler » on its login page when ``None``), back to the site: the outcome
        of what the site then shows (the intents below say what accepted means)."""

    def create_with_franceconnect(self, account: Mapping[str, str]) -> Outcome:
        """From « Créer un compte »: « S'identifier avec FranceConnect », choose the identity
        provider, log in at the provider with ``account``, back to the site. Accepted: ``step`` is
        the journey step the site goes on at (``coordonnees``: ④ and ⑤ come from FranceConnect).
        Refused: the site's French message, ``step`` ``None`` when no registration started."""
        return self.franceconnect("creation", account)

    def login_with_franceconnect(self, account: Mapping[str, str]) -> Outcome:
        """From « Se connecter »: « S'identifier avec FranceConnect », log in at the provider with
        ``account``; accepted when « Mon espace » opens, else refused with the site's message."""
        return self.franceconnect("connexion", account)

    def cancel_franceconnect(self, intention: str = "creation") -> Outcome:
        """« S'identifier avec FranceConnect », choose the identity provider, then « Annuler » on
        the provider's login page: back to the site, which must refuse with its message."""
        return self.franceconnect(intention, None)

    @abstractmethod
    def franceconnect_with_wrong_state(self, account: Mapping[str, str], intention: str = "creation") -> Outcome:
        """As ``create_with_franceconnect`` / ``login_with_franceconnect``, but the provider's answer
        reaches the site with another ``state`` than the one the site sent (a forged or replayed
        answer): the site must refuse it with its message."""

    @abstractmethod
    def espace_identity(self) -> str:
        """How « Mon espace » names the person logged in (identifier, names), as text."""

    # ── help ──────────────────────────────────────────────────────────────
    @abstractmethod
    def ask_chatbot(self, question: str) -> Outcome:
        """Ask the Chatbot; ``messages[0]`` is the answer, ``data["regle"]`` the rule cited."""

    # ── security (beyond the guide: rules SEC-…) ─────────────────────────
    # Not abstract: a driver that cannot observe these raises NotApplicable with its reason.
    def session_cookies(self) -> dict[str, dict[str, Any]]:
        """The cookies that carry the session of the person logged in: those without which « Mon espace »
        is refused (each taken away, then given back), by name: ``{"value", "httponly", "samesite" (lower
        case or None), "secure", "https" (the target is served over HTTPS)}``."""
        raise NotApplicable("ce pilote ne lit pas les cookies de la session")

    def security_headers(self) -> dict[str, str]:
        """The response headers of the home page, names in lower case."""
        raise NotApplicable("ce pilote ne lit pas les en-têtes des réponses")

    def forged_form_post(self, civil_status: Mapping[str, str]) -> Outcome:
        """What another site's page could send: the état civil form (④) filled with ``civil_status`` and
        posted without what the site's own page puts in it (its hidden fields, hence no CSRF token).
        ``accepted``: the target acted on it (it went on to the next step); ``data["reponse"]``: what it
        answered. The journey stays at ④ for the page's own form afterwards."""
        raise NotApplicable("ce pilote ne sait pas envoyer de formulaire forgé")

    # ── accessibility (RGAA), on the page shown now: pages only ──────────
    def axe_violations(self) -> list[AxeViolation]:
        """axe-core's serious and critical violations of the page (WCAG 2 A and AA rules)."""
        raise NotApplicable(_PAGES_ONLY)

    def unlabelled_fields(self) -> list[Finding]:
        """The fields of the page without a programmatic name (RGAA 11.1)."""
        raise NotApplicable(_PAGES_ONLY)

    def untied_errors(self) -> list[Finding]:
        """After a refusal: error messages not tied to their field, and a refusal nothing announces
        (RGAA 11.10, 7.5)."""
        raise NotApplicable(_PAGES_ONLY)

    def use_keyboard_only(self) -> None:
        """From now on, reach every field and button with Tab, set fields with the keyboard (typing, Space,
        the arrows) and press buttons and links with Enter; what the keyboard cannot do fails (TargetError)."""
        raise NotApplicable(_PAGES_ONLY)

    def keyboard_walk(self) -> KeyboardReport:
        """The page walked with Tab from its top: what is reached, with visible focus, and any trap."""
        raise NotApplicable(_PAGES_ONLY)

    def horizontal_overflow(self, width: int, height: int) -> OverflowFinding | None:
        """What passes the right edge of a ``width`` × ``height`` viewport (None: nothing)."""
        raise NotApplicable(_PAGES_ONLY)

    def field_description(self, element: str) -> str:
        """What a screen reader reads of ``element`` (a field) after its name: its accessible description."""
        raise NotApplicable(_PAGES_ONLY)

    def page_text(self) -> str:
        """The text the page shows."""
        raise NotApplicable(_PAGES_ONLY)

    def outline(self, selectors: Sequence[str]) -> None:
        """Outline these elements on the page, for the screenshot of a failure."""
        raise NotApplicable(_PAGES_ONLY)

    def oversized_post(self, civil_status: Mapping[str, str], size: int) -> Outcome:
        """The état civil form (④) filled with ``civil_status``, valid, sent with one more field that makes the
        request ``size`` bytes long. ``accepted``: the target went on to the next step;
        ``data["statut"]``: the HTTP status (None when the server closed the connection instead);
        ``data["reponse"]``: what it answered. The journey stays at ④ afterwards."""
        raise NotApplicable("ce pilote ne sait pas envoyer de requête démesurée")

    def close(self) -> None:
        """Release what the driver holds (a browser context, an HTTP client)."""
