"""The patches that turn the reference implementation into a faulty one, one rule at a time.

Each patch is a function ``patch(launch)`` run by ``tests/faults/launch.py`` in the
server process before the app is built. It may:

- monkeypatch a module attribute as the reference modules see it at call time
  (``rules.*`` validators, ``reference_impl.service`` names, ``Service`` methods);
- override a rule parameter the app receives (``launch.settings[rule_id][name] = …``),
  as a site whose live setting differs from the guide would;
- rewrite a template as it is loaded (``launch.template(name, old, new)``).

No source file is edited: the faults exist only in the launched process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any, Callable

# ── what a patch can act on ───────────────────────────────────────────────────


@dataclass
class Launch:
    """What a patch may change before the app is built."""

    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule ID → parameter → value
    templates: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # template → (regex, replacement)

    def setting(self, rule_id: str, name: str, value: Any) -> None:
        self.settings.setdefault(rule_id, {})[name] = value

    def template(self, name: str, pattern: str, replacement: str) -> None:
        self.templates.setdefault(name, []).append((pattern, replacement))


def wrap(owner: Any, name: str, make: Callable[[Callable], Callable]) -> None:
    """Replace ``owner.name`` by ``make(original)``."""
    setattr(owner, name, make(getattr(owner, name)))


def drop_rule(owner: Any, name: str, rule_id: str) -> None:
    """A validator ``owner.name`` that no longer returns the refusals of ``rule_id``."""

    def make(original):
        def validator(*args, **kwargs):
            return [r for r in original(*args, **kwargs) if r.rule_id != rule_id]

        return validator

    wrap(owner, name, make)


# ── ① ② ③ navigation (pages: browser driver) ─────────────────────────────────


def nav_aides_renamed(launch: Launch) -> None:
    launch.template("accueil.html", r">Aides et démarches<", ">Aides et services<")


def nav_icon_missing(launch: Launch) -> None:
    launch.template("base.html", r'<a href="/mon-compte" aria-label="Mon Compte">(.*?)</a>', r"<span>\1</span>")


def nav_mes_demarches_missing(launch: Launch) -> None:
    launch.template("aides.html", r'<li><a href="/mes-demarches">Mes démarches</a></li>', "")


def nav_theme_missing(launch: Launch) -> None:
    from moncompte.reference_impl import pages, prestations

    wrap(
        pages,
        "render",
        lambda render: (
            lambda request, template, status=200, **ctx: render(
                request,
                template,
                status,
                **(
                    {**ctx, "themes": [t for t in ctx["themes"] if t.code != prestations.THEMES[-1].code]}
                    if template == "mes_demarches.html"
                    else ctx
                ),
            )
        ),
    )


def nav_faire_la_demande_renamed(launch: Launch) -> None:
    launch.template("prestation.html", r">Faire la demande<", ">Envoyer<")


def nav_creer_un_compte_renamed(launch: Launch) -> None:
    launch.template("acces_requis.html", r">Créer un compte<", ">S'inscrire<")


# ── introduction: access and roles ────────────────────────────────────────────


def _permissions(role: str, add: set[str] = frozenset(), remove: set[str] = frozenset()) -> None:
    from moncompte.rules import roles

    key = roles.Role(role)
    roles.PERMISSIONS[key] = frozenset(
        (set(roles.PERMISSIONS[key]) | {roles.Action(a) for a in add}) - {roles.Action(a) for a in remove}
    )


def non_allocataire_separation(launch: Launch) -> None:
    _permissions("non_allocataire", add={"declarer_separation"})


def conjoint_refused_account(launch: Launch) -> None:
    from moncompte.reference_impl import service
    from moncompte.rules.model import Refusal

    def make(original):
        def can_create_account(role, birth, today, settings=None):
            if str(role) == "conjoint_sans_procuration":
                return Refusal("ACCES-MEMBRE-FOYER", "identite", "Seul le responsable du dossier peut créer un espace.")
            return original(role, birth, today, settings) if settings is not None else original(role, birth, today)

        return can_create_account

    wrap(service, "can_create_account", make)


def responsable_no_separation(launch: Launch) -> None:
    _permissions("responsable", remove={"declarer_separation"})


def personne_a_charge_separation_lost(launch: Launch) -> None:
    """The separation page opens for a personne à charge, but the declaration sent is refused (the
    POST's own role check forgets the personne à charge)."""
    from moncompte.reference_impl import service
    from moncompte.rules.model import Refusal

    def make(original):
        def declare_separation(self, session_id, date_separation):
            with self.sessions.begin() as db:
                role = self._current_user(db, session_id).role
            if str(role) == "personne_a_charge":
                raise service.Refused(403, Refusal("ROLE-PERSONNE-A-CHARGE", "action", "Action non autorisée."))
            return original(self, session_id, date_separation)

        return declare_separation

    wrap(service.Service, "declare_separation", make)


def procuration_by_anyone(launch: Launch) -> None:
    """Only the responsable sees « Donner procuration », but the procuration sent by any member of the
    foyer is recorded (the role check was left to the page)."""
    from moncompte.reference_impl import service
    from moncompte.reference_impl.db import Foyer

    def set_procuration(self, session_id, granted):
        with self.sessions.begin() as db:
            user = self._current_user(db, session_id)
            db.get(Foyer, user.account.foyer_id).procuration = granted
        return granted

    service.Service.set_procuration = set_procuration


def conjoint_sans_procuration_requests(launch: Launch) -> None:
    _permissions("conjoint_sans_procuration", add={"demander_prestation"})


def conjoint_avec_procuration_cannot_request(launch: Launch) -> None:
    _permissions("conjoint_avec_procuration", remove={"demander_prestation"})


def conjoint_avec_procuration_no_separation(launch: Launch) -> None:
    _permissions("conjoint_avec_procuration", remove={"declarer_separation"})


def procuration_ignored(launch: Launch) -> None:
    from moncompte.reference_impl import registry

    wrap(registry, "role_of", lambda role_of: lambda foyer_role, procuration: role_of(foyer_role, False))


def child_at_age_limit(launch: Launch) -> None:
    launch.setting("ROLE-ENFANT-15", "age_min", 15)


def child_of_16_refused(launch: Launch) -> None:
    launch.setting("ROLE-ENFANT-15", "age_min", 17)


def personne_a_charge_no_contact(launch: Launch) -> None:
    _permissions("personne_a_charge", remove={"modifier_coordonnees"})


# ── ④ état civil, NIR, provisional identifier ─────────────────────────────────


def nir_key_unchecked(launch: Launch) -> None:
    from stdnum.fr import nir as stdnum_nir

    import moncompte.rules.nir as nir

    shape = re.compile(r"^\d{5}(\d{2}|2A|2B)\d{8}$")
    nir.stdnum_nir = SimpleNamespace(
        is_valid=lambda n: bool(shape.match(n)), calc_check_digits=stdnum_nir.calc_check_digits
    )


def nir_corsica_key_wrong(launch: Launch) -> None:
    """The key of a Corsican NIR computed with « 20 » for 2A/2B instead of 19/18."""
    from stdnum.fr import nir as stdnum_nir

    import moncompte.rules.nir as nir

    def is_valid(n: str) -> bool:
        if n[5:7] in ("2A", "2B"):
            body = n[:5] + "20" + n[7:13]
            return n[13:].isdigit() and int(n[13:]) == 97 - int(body) % 97
        return stdnum_nir.is_valid(n)

    nir.stdnum_nir = SimpleNamespace(is_valid=is_valid, calc_check_digits=stdnum_nir.calc_check_digits)


def nir_sex_unchecked(launch: Launch) -> None:
    import moncompte.rules.nir as nir

    drop_rule(nir, "validate_nir", "NIR-SEXE")


def nir_birth_unchecked(launch: Launch) -> None:
    import moncompte.rules.nir as nir

    drop_rule(nir, "validate_nir", "NIR-NAISSANCE")


def nir_born_abroad_refused(launch: Launch) -> None:
    import moncompte.rules.nir as nir

    wrap(
        nir,
        "_same_place",
        lambda same: lambda parts, place, born: parts.department != "99" and same(parts, place, born),
    )


def nir_not_required(launch: Launch) -> None:
    from moncompte.reference_impl import service

    drop_rule(service, "validate_civil_status", "EC-CHAMPS")


def civilite_mademoiselle(launch: Launch) -> None:
    launch.setting("EC-CIVILITE", "valeurs", ["Madame", "Mademoiselle", "Monsieur"])


def birth_name_60(launch: Launch) -> None:
    launch.setting("EC-NOM-NAISSANCE", "longueur_max", 60)


def given_names_any_character(launch: Launch) -> None:
    import moncompte.rules.etat_civil as civil_status

    drop_rule(civil_status, "validate_given_names", "EC-PRENOMS")


def birth_date_future(launch: Launch) -> None:
    import moncompte.rules.etat_civil as civil_status

    wrap(
        civil_status,
        "validate_birth_date",
        lambda validate: (
            lambda value, *, today=None, settings=None: validate(
                value, today=date(9999, 12, 31), **({"settings": settings} if settings is not None else {})
            )
        ),
    )


def birth_place_abroad_refused(launch: Launch) -> None:
    import moncompte.rules.etat_civil as civil_status
    from moncompte.rules.model import Refusal

    def make(validate):
        def validate_birth_place(value, settings=None):
            if civil_status.clean(value).startswith("99"):
                return [Refusal("EC-LIEU-NAISSANCE", "lieu_naissance", civil_status.MSG_LIEU)]
            return validate(value) if settings is None else validate(value, settings)

        return validate_birth_place

    wrap(civil_status, "validate_birth_place", make)


def provisional_id_not_issued(launch: Launch) -> None:
    from moncompte.reference_impl.service import Service

    Service._new_provisional_id = lambda self, db: None


def provisional_id_other_format(launch: Launch) -> None:
    """The site's provisional identifiers are « P » and 8 digits, not 9 (issued so, and accepted so at login:
    only the format of ID-PROVISOIRE is broken)."""
    from moncompte.rules import identifiant_provisoire as provisional

    def from_number(number: int) -> str:
        return f"P{number % 10**8:08d}"

    is_provisional_id = provisional.is_provisional_id
    provisional.from_number = from_number
    provisional.is_provisional_id = lambda value, settings=None: (
        bool(re.fullmatch(r"P\d{8}", (value or "").strip().upper())) or is_provisional_id(value)
    )


def provisional_id_refused_at_login(launch: Launch) -> None:
    from moncompte.reference_impl import service

    wrap(
        service,
        "normalize_identifier",
        lambda normalize: (
            lambda value: (
                "" if service.provisional.is_provisional_id((value or "").strip().upper()) else normalize(value)
            )
        ),
    )


# ── ⑤ pièce d'identité ────────────────────────────────────────────────────────


def passport_format_loose(launch: Launch) -> None:
    from moncompte.rules import piece_identite as doc

    doc._FORMATS[doc.DocumentKind.PASSEPORT] = (re.compile(r"^[A-Z0-9]{8,9}$"),)


def mrz_unchecked(launch: Launch) -> None:
    from moncompte.rules import piece_identite as doc

    drop_rule(doc, "validate_document_number", "PI-CONTROLE-MRZ")


def document_not_verified(launch: Launch) -> None:
    from moncompte.reference_impl import registry

    wrap(
        registry,
        "find_by_document",
        lambda find: (
            lambda db, type_titre, numero, **identity: (
                find(db, type_titre, numero, **identity) or SimpleNamespace(foyer_id=None, foyer_role=None)
            )
        ),
    )


def no_french_document_refused(launch: Launch) -> None:
    from moncompte.reference_impl.service import Refused, Service
    from moncompte.rules.model import Refusal

    def declare_no_french_document(self, reg_id):
        raise Refused(
            422, Refusal("PI-SANS-PIECE-FR", "numero_titre", "Une pièce d'identité française est obligatoire.")
        )

    Service.declare_no_french_document = declare_no_french_document


def justificatif_never_asked(launch: Launch) -> None:
    from moncompte.reference_impl import service as service_module
    from moncompte.reference_impl.service import Service

    def declare_no_french_document(self, reg_id):
        with self.sessions.begin() as db:
            reg = self._registration(db, reg_id, "piece_identite")
            person = (
                service_module.registry.find_by_nir(db, reg.nir, **self._identity(reg, with_nir=False))
                if reg.nir
                else None
            )
            self._take_identity(reg, person)
            reg.sans_piece_francaise = True
            reg.justificatif_a_fournir = False
        return reg

    Service.declare_no_french_document = declare_no_french_document


# ── ⑥ coordonnées de contact, envoi du code ───────────────────────────────────


def landline_accepted(launch: Launch) -> None:
    import phonenumbers

    import moncompte.rules.coordonnees as contact

    contact._MOBILE_TYPES = (*contact._MOBILE_TYPES, phonenumbers.PhoneNumberType.FIXED_LINE)


def overseas_mobile_refused(launch: Launch) -> None:
    launch.setting("CONTACT-MOBILE", "regions", ["FR"])


def email_unchecked(launch: Launch) -> None:
    import moncompte.rules.coordonnees as contact

    contact.normalize_email = lambda value, settings=None: (value or "").strip() or None


def send_code_button_renamed(launch: Launch) -> None:
    launch.template("coordonnees.html", r">Envoyer le code<", ">Recevoir un code<")


def code_missing_from_message(launch: Launch) -> None:
    from moncompte.reference_impl import service

    wrap(
        service,
        "code_message",
        lambda message: lambda to, channel, code, validity: message(to, channel, "(consultez votre espace)", validity),
    )


def code_four_digits(launch: Launch) -> None:
    launch.setting("CODE-FORMAT", "longueur", 4)


# ── ⑦ code de confirmation (and « Bon à savoir » about codes) ─────────────────


def any_code_accepted(launch: Launch) -> None:
    from moncompte.reference_impl import service

    service.code_matches = lambda code, salt, digest: True


def code_accepted_after_expiry(launch: Launch) -> None:
    from moncompte.reference_impl import service

    wrap(
        service.Service,
        "_check_code",
        lambda check: lambda self, db, reg, code: _without_expiry(check, self, db, reg, code),
    )


def _without_expiry(check, self, db, reg, code):
    from datetime import timedelta

    codes = self._codes(db, reg)
    for c in codes:  # pushed far into the future for this check only (not committed: restored below)
        c.expires_at += timedelta(days=3650)
    try:
        return check(self, db, reg, code)
    finally:
        for c in codes:
            c.expires_at -= timedelta(days=3650)


def code_reusable(launch: Launch) -> None:
    from moncompte.reference_impl import service

    def make(check):
        def _check_code(self, db, reg, code):
            codes = self._codes(db, reg)
            if codes and codes[0].status == "utilise" and service.code_matches(code, codes[0].salt, codes[0].digest):
                return None  # the code used already is accepted again
            return check(self, db, reg, code)

        return _check_code

    wrap(service.Service, "_check_code", make)


def replaced_code_still_valid(launch: Launch) -> None:
    from moncompte.reference_impl import service

    def make(check):
        def _check_code(self, db, reg, code):
            codes = self._codes(db, reg)
            for old in codes[1:]:
                if old.status == "remplace" and service.code_matches(code, old.salt, old.digest):
                    return None
            return check(self, db, reg, code)

        return _check_code

    wrap(service.Service, "_check_code", make)


def no_attempt_limit(launch: Launch) -> None:
    from moncompte.reference_impl import service
    from moncompte.rules import code as code_rules
    from moncompte.rules.model import Refusal

    def make(check):
        def _check_code(self, db, reg, code):
            failure = check(self, db, reg, code)
            if failure is not None and failure.refusals[0].rule_id == "CODE-TENTATIVES":
                current = self._codes(db, reg)[0]
                current.status = "actif"  # never exhausted
                if service.code_matches(code, current.salt, current.digest) and service.utcnow() < current.expires_at:
                    current.status = "utilise"
                    return None
                return service.Refused(422, Refusal("CODE-VALIDATION", "code", code_rules.MSG_FAUX.format(restants=0)))
            return failure

        return _check_code

    wrap(service.Service, "_check_code", make)


def no_resend_delay(launch: Launch) -> None:
    launch.setting("CODE-RENVOI", "delai_secondes", 0)


LATE_SEND_SECONDS = 3.0  # how long after a refused « Renvoyer le code » the faulty site still sends one


def resend_refused_sends_anyway(launch: Launch) -> None:
    """« Renvoyer le code » too soon is refused with the right message, yet a new code is sent a few seconds
    later (a background job the refusal did not cancel)."""
    import threading

    from moncompte.reference_impl import service
    from moncompte.reference_impl.db import ConfirmationCode, Registration

    def late_send(self, reg_id: str, canal: str, contact: str) -> None:
        with self.sessions.begin() as db:
            reg = db.get(Registration, reg_id)
            for old in self._codes(db, reg):
                if old.status == "actif":
                    old.status = "remplace"
            code = service.new_code(self.settings["CODE-FORMAT"]["longueur"])
            salt, digest = service.hash_code(code)
            validity = self.settings["CODE-EXPIRATION"]["validite_minutes"]
            now = service.utcnow()
            db.add(
                ConfirmationCode(
                    registration_id=reg.id,
                    destinataire=contact,
                    salt=salt,
                    digest=digest,
                    created_at=now,
                    expires_at=now + timedelta(minutes=validity),
                )
            )
            self.delivery.send(db, service.code_message(contact, canal, code, validity), code)

    def make(issue):
        def _issue_code(self, db, reg, canal, contact):
            try:
                return issue(self, db, reg, canal, contact)
            except service.Refused as refused:
                if any(r.rule_id == "CODE-RENVOI" for r in refused.refusals):
                    timer = threading.Timer(LATE_SEND_SECONDS, late_send, (self, reg.id, canal, contact))
                    timer.daemon = True
                    timer.start()
                raise

        return _issue_code

    wrap(service.Service, "_issue_code", make)


def password_before_code(launch: Launch) -> None:
    from moncompte.reference_impl.db import Registration
    from moncompte.reference_impl.service import Service

    def make(choose):
        def choose_password(self, reg_id, password):
            with self.sessions.begin() as db:
                reg = db.get(Registration, reg_id) if reg_id else None
                if reg is not None and reg.etape in ("coordonnees", "code"):
                    reg.etape = "mot_de_passe"  # the code was never confirmed
            return choose(self, reg_id, password)

        return choose_password

    wrap(Service, "choose_password", make)


# ── ⑧ mot de passe ────────────────────────────────────────────────────────────


def password_max_30(launch: Launch) -> None:
    import moncompte.rules.mot_de_passe as password

    def make(validate):
        def validate_password(value, settings=password.DEFAULTS):
            refusals = validate(value, settings)
            if len(value or "") <= 30:  # the length refusal is kept for too short ones only
                refusals = [
                    r
                    for r in refusals
                    if r.rule_id != "MDP-LONGUEUR"
                    or len(value or "") < settings["MDP-LONGUEUR"]["min"]
                    or r.message == password.MSG_CONTROLE
                ]
            return refusals

        return validate_password

    wrap(password, "validate_password", make)


def password_no_digit(launch: Launch) -> None:
    launch.setting("MDP-CHIFFRE", "min", 0)


def password_accented_upper_not_counted(launch: Launch) -> None:
    launch.setting("MDP-MAJUSCULE", "accents_acceptes", False)


def password_no_lower(launch: Launch) -> None:
    launch.setting("MDP-MINUSCULE", "min", 0)


def password_rule_hidden(launch: Launch) -> None:
    import moncompte.rules.mot_de_passe as password

    password.rule_text = lambda settings=None: ""


# ── ⑨ récapitulatif, connexion, espace ────────────────────────────────────────

_PASSWORDS: dict[str, str] = {}


def recap_shows_password(launch: Launch) -> None:
    from moncompte.reference_impl.service import Service

    def keep(choose):
        def choose_password(self, reg_id, password):
            reg = choose(self, reg_id, password)
            _PASSWORDS[reg.id] = password
            return reg

        return choose_password

    def show(recap):
        def recap_with_password(self, reg_id):
            reg = recap(self, reg_id)
            reg.contact = f"{reg.contact} (mot de passe : {_PASSWORDS.get(reg.id, '')})"  # detached: not stored
            return reg

        return recap_with_password

    wrap(Service, "choose_password", keep)
    wrap(Service, "recap", show)


def recap_missing_birth_place(launch: Launch) -> None:
    from moncompte.reference_impl.service import Service

    def make(recap):
        def recap_without_place(self, reg_id):
            reg = recap(self, reg_id)
            reg.lieu_naissance = None  # detached: not stored
            return reg

        return recap_without_place

    wrap(Service, "recap", make)


def document_number_unmasked(launch: Launch) -> None:
    from moncompte.rules import piece_identite as doc

    doc.mask_document_number = lambda number, settings=None: doc.normalize(number)


def recap_login_link_missing(launch: Launch) -> None:
    launch.template("recapitulatif.html", r">Se connecter</a>", ">Retour à l'accueil</a>")


def login_refuses_nir(launch: Launch) -> None:
    from moncompte.reference_impl import service

    wrap(
        service,
        "normalize_identifier",
        lambda normalize: (
            lambda value: (
                normalize(value) if service.provisional.is_provisional_id((value or "").strip().upper()) else ""
            )
        ),
    )


def password_case_insensitive(launch: Launch) -> None:
    from moncompte.reference_impl import service

    wrap(service, "_nfc", lambda nfc: lambda password: nfc(password).lower())


def demande_wrong_prestation(launch: Launch) -> None:
    from moncompte.reference_impl import prestations
    from moncompte.reference_impl.service import Service

    first = next(iter(prestations.PRESTATIONS))
    wrap(
        Service,
        "request_prestation",
        lambda request: (
            lambda self, session_id, prestation, theme=None: request(
                self, session_id, first if prestation in prestations.PRESTATIONS else prestation, None
            )
        ),
    )


def suivi_empty(launch: Launch) -> None:
    from moncompte.reference_impl.service import Service

    wrap(Service, "demandes", lambda demandes: lambda self, session_id: (demandes(self, session_id), [])[1])


def _not_found_instead_of(status: int, method: str) -> None:
    """``Service.method`` answers « Page introuvable. » (404, as an unknown address) where it refused with
    ``status``."""
    from moncompte.reference_impl import app
    from moncompte.reference_impl.service import Refused, Service
    from moncompte.rules.model import Refusal

    def make(original):
        def hidden(self, *args, **kwargs):
            try:
                return original(self, *args, **kwargs)
            except Refused as refused:
                if refused.status == status:
                    raise Refused(404, Refusal(None, None, app.MSG_INTROUVABLE)) from None
                raise

        return hidden

    wrap(Service, method, make)


def demande_without_session_not_found(launch: Launch) -> None:
    """A prestation request sent without a session gets a 404 (as an unknown address), not a 401."""
    _not_found_instead_of(401, "request_prestation")


def procuration_by_conjoint_not_found(launch: Launch) -> None:
    """A procuration sent by anyone but the responsable gets a 404 (as an unknown address), not a 403."""
    _not_found_instead_of(403, "set_procuration")


# ── « Bon à savoir »: guidance and chatbot ────────────────────────────────────


def step_not_shown(launch: Launch) -> None:
    """Every page of the journey says « Étape 1 sur 6 »: the indication never moves on."""
    launch.template("journey.html", r"Étape \{\{ step_number \}\}", "Étape 1")


def chatbot_echo(launch: Launch) -> None:
    """The Chatbot only repeats the question."""
    from moncompte.reference_impl.chatbot import Answer, Chatbot

    Chatbot.ask = lambda self, question: Answer(f"Vous avez demandé : « {question} ».", None, True)


def csrf_unchecked(launch: Launch) -> None:
    """The middleware's list of methods to guard is empty: no form's token is ever compared."""
    from moncompte.reference_impl import hardening

    hardening.UNSAFE_METHODS = set()


def recap_login_link_home(launch: Launch) -> None:
    """The recap's « Se connecter » leads back to the home page."""
    launch.template("recapitulatif.html", r'<a href="/connexion[^"]*">Se connecter</a>', '<a href="/">Se connecter</a>')


def icon_at_the_bottom(launch: Launch) -> None:
    """The « Mon Compte » icon leaves the header for the foot of the home page."""
    launch.template("base.html", r'<a href="/mon-compte" aria-label="Mon Compte">(.*?)</a>', "")
    launch.template(
        "accueil.html",
        r"\{% endblock %\}\s*$",
        '<div style="margin-top:60rem"><a href="/mon-compte">Mon Compte</a></div>{% endblock %}',
    )


def justificatif_said_absent(launch: Launch) -> None:
    """The recap of an account created without a French document says there is no justificatif to give."""
    from moncompte.reference_impl import pages

    def make(items):
        def negated(*args, **kwargs):
            return [
                (k, "Aucun justificatif à fournir") if k.startswith("Justificatif") else (k, v)
                for k, v in items(*args, **kwargs)
            ]

        return negated

    wrap(pages, "identity_items", make)


def chatbot_silent(launch: Launch) -> None:
    from moncompte.reference_impl.chatbot import Answer, Chatbot

    Chatbot.ask = lambda self, question: Answer("", None, False)


# ── FranceConnect ─────────────────────────────────────────────────────────────


def franceconnect_state_not_checked(launch: Launch) -> None:
    """The callback's ``state`` is not compared with the one sent: the browser's request is used whatever it says."""
    from moncompte.reference_impl.franceconnect import flow

    wrap(
        flow.FranceConnect,
        "_take_request",
        lambda take: lambda self, state, bound_state: take(self, bound_state, bound_state),
    )


def franceconnect_unknown_identity_starts_registration(launch: Launch) -> None:
    """An identity that matches no registry person: the refusal is said (« … Aucun compte n'a été créé … »), yet
    an ordinary registration is started at ④ and handed back with the refusal (its ``id`` and ``etape``)."""
    import functools
    import json

    from fastapi.responses import JSONResponse

    from moncompte.reference_impl import app as app_module
    from moncompte.reference_impl.franceconnect import flow, routes
    from moncompte.reference_impl.service import Refused

    class RefusedWithRegistration(Refused):
        def __init__(self, refused: Refused, registration):
            super().__init__(refused.status, *refused.refusals)
            self.registration = registration

    def make_create(create):
        def _create(self, sub, status, prestation):
            try:
                return create(self, sub, status, prestation)
            except Refused as refused:
                if refused.status != 422 or refused.refusals[0].message != flow.MSG_IDENTITE_INCONNUE:
                    raise
                raise RefusedWithRegistration(refused, self.service.start_registration(prestation)) from None

        return _create

    # The JSON callback's refusal carries the registration started (the app is built after this patch, and
    # includes the router's routes as they are then).
    old = next(r for r in routes.api_router.routes if r.path == routes.api_router.prefix + "/retour")

    @functools.wraps(old.endpoint)  # the same parameters for FastAPI
    def callback(*args, **kwargs):
        try:
            return old.endpoint(*args, **kwargs)
        except RefusedWithRegistration as refused:
            usual = app_module._errors(refused.status, [(r.rule_id, r.field, r.message) for r in refused.refusals])
            reg = refused.registration
            return JSONResponse(json.loads(usual.body) | {"id": reg.id, "etape": reg.etape}, status_code=refused.status)

    routes.api_router.routes.remove(old)
    routes.api_router.add_api_route("/retour", callback, methods=["GET"], summary=old.summary)
    wrap(flow.FranceConnect, "_create", make_create)


# ── Sécurité: the audit's findings, as a site that still has them ───────────


def household_role_without_document(launch: Launch) -> None:
    """« Je ne dispose pas d'une pièce d'identité française » gives the registry person's place in the foyer
    at once: whoever knows a NIR, a name and a birth date acts on the household's file."""
    from moncompte.reference_impl import service

    def make(take):
        def _take_identity(self, reg, person, *, link_foyer=True):
            return take(self, reg, person, link_foyer=True)

        return _take_identity

    wrap(service.Service, "_take_identity", make)


def civil_status_tells_account_exists(launch: Launch) -> None:
    """④ answers « un compte existe déjà » for any name typed with a NIR that has an account."""
    from sqlalchemy import select

    from moncompte.reference_impl import service
    from moncompte.reference_impl.db import Account
    from moncompte.rules import Refusal

    def make(submit):
        def submit_civil_status(self, reg_id, status, *, sans_nir):
            nir = status.normalized().nir
            with self.sessions.begin() as db:
                if not sans_nir and nir and db.scalar(select(Account.id).where(Account.nir == nir)):
                    raise service.Refused(409, Refusal("CNX-NIR", "nir", service.MSG_COMPTE_EXISTANT))
            return submit(self, reg_id, status, sans_nir=sans_nir)

        return submit_civil_status

    wrap(service.Service, "submit_civil_status", make)


def codes_unlimited_per_recipient(launch: Launch) -> None:
    launch.setting("SEC-ENVOIS-LIMITES", "envois_max", 1_000_000)


def body_size_unlimited(launch: Launch) -> None:
    """Request bodies of any size are read and acted upon (the server's memory is the only limit)."""
    launch.setting("SEC-CORPS-LIMITE", "taille_max_octets", 1 << 40)


# ── Accessibilité: what a screen reader, a keyboard or a small screen meets ──


def field_without_label(launch: Launch) -> None:
    """The « Prénoms » field of ④ shows its name as plain text, no longer tied to the field."""
    launch.template(
        "macros.html",
        r'  <label for="\{\{ name \}\}">\{\{ label \}\}</label>\n  <input',
        '  {% if name == "prenoms" %}<span>{{ label }}</span>{% else %}<label for="{{ name }}">{{ label }}</label>'
        "{% endif %}\n  <input",
    )


def error_not_tied_to_field(launch: Launch) -> None:
    """An error message is shown beside its field but the field no longer names it (aria-describedby)."""
    launch.template("macros.html", r"\(name ~ '-erreur'\) if errors\.by_field\.get\(name\) else None", "None")


def keyboard_trap_on_code(launch: Launch) -> None:
    """At ⑦, a script keeps the focus in the code field: Tab does nothing there (the page also allows inline
    scripts, as a site that has one would)."""
    from moncompte.reference_impl import hardening

    def make(headers_of):
        def _security_headers(self, path, nonce, https):
            return [
                (k, v + b"; script-src 'self' 'unsafe-inline'") if k == b"content-security-policy" else (k, v)
                for k, v in headers_of(self, path, nonce, https)
            ]

        return _security_headers

    wrap(hardening.HardeningMiddleware, "_security_headers", make)
    launch.template(
        "code.html",
        r"\{% endblock %\}\s*$",
        "<script>document.getElementById('code').addEventListener('keydown', e => {"
        " if (e.key === 'Tab') { e.preventDefault(); } });</script>{% endblock %}",
    )


def form_wider_than_a_phone(launch: Launch) -> None:
    """The forms keep a desktop width: on a 360-pixel phone the page scrolls sideways."""
    launch.template(
        "base.html", r"    button \{ margin: \.3rem 0; \}", "    button { margin: .3rem 0; } form { min-width: 34rem; }"
    )


def nameless_link_on_phones(launch: Launch) -> None:
    """On a phone-sized screen only, the header shows a « Mon Compte » icon link of its own, with no name
    (a picture without text alternative): hidden on a desktop window, where axe-core never sees it."""
    launch.template(
        "base.html",
        r"    button \{ margin: \.3rem 0; \}",
        "    button { margin: .3rem 0; } .telephone { display: none; }"
        " @media (max-width: 600px) { .telephone { display: inline-block; } }",
    )
    launch.template(
        "base.html",
        r'    <nav aria-label="Compte">',
        '    <nav aria-label="Compte"><a class="telephone" href="/mon-compte"><svg width="28" height="28"'
        ' viewBox="0 0 24 24"><circle cx="12" cy="8" r="4" fill="#fff"/></svg></a>',
    )


def start_button_out_of_keyboard(launch: Launch) -> None:
    """« Commencer » is taken out of the Tab order (``tabindex="-1"``): a mouse clicks it, a keyboard never
    reaches it."""
    launch.template(
        "creer_un_compte.html",
        r'<button type="submit">Commencer</button>',
        '<button type="submit" tabindex="-1">Commencer</button>',
    )
