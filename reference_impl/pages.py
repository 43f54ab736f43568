"""The French pages (Jinja2, no JavaScript needed), over the same service as the API.

A form POSTs; on success the page redirects (303) to the next one, on refusal it
is shown again with the status of the refusal, the messages in a ``role="alert"``
block and each bad field marked ``aria-invalid`` with its message beside it.
The registration in progress is found through the ``inscription`` cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Callable

from fastapi import APIRouter, Cookie, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from moncompte.reference_impl import hardening, prestations
from moncompte.reference_impl.api import SESSION_COOKIE, set_session_cookie
from moncompte.reference_impl.db import Account, Registration
from moncompte.reference_impl.service import (
    MSG_CODE_NOUVEAU_CONTACT,
    MSG_JUSTIFICATIF_EN_ATTENTE,
    REGISTRATION_DURATION,
    STEP_LABELS,
    STEPS,
    CurrentUser,
    Refused,
    Service,
)
from moncompte.rules import mot_de_passe as password_rules
from moncompte.rules.coordonnees import Channel
from moncompte.rules.etat_civil import CivilStatus
from moncompte.rules.piece_identite import DocumentKind
from moncompte.rules.roles import ACTION_LABELS, Action, is_allowed

REGISTRATION_COOKIE = "inscription"
STEP_PATHS = {step: "/inscription/" + step.replace("_", "-") for step in STEPS}
PAGE_STEPS = {path.rsplit("/", 1)[1]: step for step, path in STEP_PATHS.items()}

# « Mon espace »: (label, page, action that allows it), in the order of the guide.
ESPACE_LINKS = (
    (ACTION_LABELS[Action.DEMANDER_PRESTATION], "/espace/demande-de-prestation", Action.DEMANDER_PRESTATION),
    ("Suivre mes démarches", "/espace/demarches", Action.GERER_DOSSIER),
    (ACTION_LABELS[Action.GERER_DOSSIER], "/espace/dossier", Action.GERER_DOSSIER),
    (ACTION_LABELS[Action.CONSULTER_DONNEES], "/espace/donnees-personnelles", Action.CONSULTER_DONNEES),
    (ACTION_LABELS[Action.MODIFIER_COORDONNEES], "/espace/coordonnees", Action.MODIFIER_COORDONNEES),
    (ACTION_LABELS[Action.DECLARER_SEPARATION], "/espace/separation", Action.DECLARER_SEPARATION),
)
# A refusal about a field that is not on the form is shown on these fields instead.
FIELD_ALIASES = {"canal": ("email", "mobile")}

THEME_OPTIONS = [(t.code, t.libelle) for t in prestations.THEMES]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


@dataclass
class FormErrors:
    """The messages of a refusal: all of them (for the alert) and per field."""

    messages: list[str] = field(default_factory=list)
    by_field: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, refused: Refused) -> "FormErrors":
        errors = cls()
        for refusal in refused.refusals:
            errors.messages.append(refusal.message)
            for name in FIELD_ALIASES.get(refusal.field, (refusal.field,)):
                errors.by_field.setdefault(name, []).append(refusal.message)
        return errors


def _service(request: Request) -> Service:
    return request.app.state.service


def _user(request: Request) -> CurrentUser | None:
    try:
        return _service(request).current_user(request.cookies.get(SESSION_COOKIE))
    except Refused:
        return None


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    context.setdefault("user", _user(request))
    context.setdefault("errors", FormErrors())
    context.setdefault("values", {})
    context.setdefault("status", status)
    return templates.TemplateResponse(request, template, context, status_code=status)


def csrf_refusal(scope, receive) -> HTMLResponse:
    """The page of a form posted from another site (``hardening.HardeningMiddleware`` refuses it)."""
    return render(Request(scope, receive), "erreur.html", 403, errors=FormErrors(messages=[hardening.MSG_CSRF]))


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, refused: Refused) -> Response:
    """How a page shows a refusal outside a form: log in first, or an error page."""
    if refused.status == 401:
        return redirect("/connexion")
    return render(request, "erreur.html", refused.status, errors=FormErrors.of(refused))


def identity_items(person: Registration | Account, franceconnect: bool = False) -> list[tuple[str, str]]:
    """The items entered during the journey, as shown at ⑨ and in « Mes données personnelles ».

    ``franceconnect``: the identity was provided by FranceConnect (no document at ⑤)."""
    if person.nir:
        items = [("Numéro de sécurité sociale", person.nir)]
    else:
        items = [
            ("Numéro de sécurité sociale", "Je n'ai pas de numéro de sécurité sociale"),
            ("Identifiant provisoire", person.identifiant),
        ]
    items += [
        ("Civilité", person.civilite),
        ("Nom de naissance", person.nom_naissance),
        ("Prénoms", person.prenoms),
        ("Date de naissance", person.date_naissance.strftime("%d/%m/%Y")),
        ("Lieu de naissance", person.lieu_naissance),
    ]
    if person.type_titre:
        items += [
            ("Type de titre d'identité", DocumentKind(person.type_titre).label),
            ("Numéro du titre d'identité", person.numero_masque),
        ]
    elif franceconnect:
        items.append(("Pièce d'identité", "Identité fournie par FranceConnect"))
    else:
        items.append(("Pièce d'identité", "Je ne dispose pas d'une pièce d'identité française"))
    if person.justificatif_a_fournir:
        items.append(("Justificatif en attente", MSG_JUSTIFICATIF_EN_ATTENTE))
    items.append((Channel(person.canal).label, person.contact))
    return items


# ── ① ② ③ navigation ─────────────────────────────────────────────────────────
@router.get("/")
def home(request: Request):
    return render(request, "accueil.html")


@router.get("/aides-et-demarches")
def aides(request: Request):
    return render(request, "aides.html")


@router.get("/mes-demarches")
def mes_demarches(request: Request):
    return render(request, "mes_demarches.html", themes=prestations.THEMES)


@router.get("/mes-demarches/{theme}")
def theme(request: Request, theme: str):
    if theme not in prestations.THEMES_BY_CODE:
        return render(request, "erreur.html", 404)
    return render(request, "theme.html", theme=prestations.THEMES_BY_CODE[theme])


@router.get("/prestations/{code}")
def prestation(request: Request, code: str):
    if code not in prestations.PRESTATIONS:
        return render(request, "erreur.html", 404)
    return render(
        request, "prestation.html", prestation=prestations.PRESTATIONS[code], theme=prestations.THEME_OF[code]
    )


@router.post("/prestations/{code}/demande")
def faire_la_demande(request: Request, code: str, session: Annotated[str | None, Cookie()] = None):
    """« Faire la demande »: sent at once when logged in; otherwise create an account (or log in) first."""
    if code not in prestations.PRESTATIONS:
        return render(request, "erreur.html", 404)
    if _user(request) is None:
        return redirect(f"/prestations/{code}/compte-requis")
    _service(request).request_prestation(session, code)
    return redirect(_after_demande(request, session))


@router.get("/prestations/{code}/compte-requis")
def compte_requis(request: Request, code: str):
    if code not in prestations.PRESTATIONS:
        return render(request, "erreur.html", 404)
    return render(request, "acces_requis.html", prestation=prestations.PRESTATIONS[code])


def _after_demande(request: Request, session: str | None) -> str:
    user = _service(request).current_user(session)
    return "/espace/demarches?envoyee=1" if is_allowed(user.role, Action.GERER_DOSSIER) else "/espace"


@router.get("/mon-compte")
def mon_compte(request: Request):
    return render(request, "mon_compte.html")


@router.get("/creer-un-compte")
def creer_un_compte(request: Request, prestation: str | None = None):
    return render(request, "creer_un_compte.html", prestation=prestations.PRESTATIONS.get(prestation or ""))


@router.post("/creer-un-compte")
def commencer(request: Request, prestation: FormText = ""):
    reg = _service(request).start_registration(prestation if prestation in prestations.PRESTATIONS else None)
    response = redirect(STEP_PATHS["etat_civil"])
    set_registration_cookie(response, reg.id)
    return response


def set_registration_cookie(response: Response, reg_id: str) -> None:
    """The ``inscription`` cookie lives as long as its registration (``REGISTRATION_DURATION``): the recap,
    with the full NIR, is not readable the next day on a shared computer."""
    max_age = int(REGISTRATION_DURATION.total_seconds())
    response.set_cookie(REGISTRATION_COOKIE, reg_id, max_age=max_age, httponly=True, samesite="lax", path="/")


# ── ④ … ⑨ the journey ────────────────────────────────────────────────────────
def journey_page(
    request: Request,
    reg: Registration,
    step: str,
    *,
    status: int = 200,
    errors: FormErrors | None = None,
    values: dict | None = None,
) -> HTMLResponse:
    question = request.query_params.get("question", "").strip()
    franceconnect = request.app.state.franceconnect.provided_identity(reg.id)
    return render(
        request,
        f"{step}.html",
        status,
        reg=reg,
        step=step,
        step_number=STEPS.index(step) + 1,
        step_count=len(STEPS),
        step_label=STEP_LABELS[step],
        errors=errors or FormErrors(),
        values=values or {},
        question=question,
        answer=request.app.state.chatbot.ask(question) if question else None,
        password_rule=password_rules.rule_text(_service(request).settings),
        items=identity_items(reg, franceconnect) if step == "recapitulatif" else None,
        franceconnect=franceconnect,
    )


def _registration(request: Request) -> Registration | None:
    try:
        return _service(request).registration(request.cookies.get(REGISTRATION_COOKIE))
    except Refused:
        return None


@router.get("/inscription/{page}")
def journey_get(request: Request, page: str):
    if page not in PAGE_STEPS:
        return render(request, "erreur.html", 404)
    reg = _registration(request)
    if reg is None:
        return redirect("/creer-un-compte")
    wanted = PAGE_STEPS[page]
    if reg.etape != wanted:
        # A later step asked for too early: back to the current step, saying why.
        ahead = STEPS.index(wanted) > STEPS.index(reg.etape)
        return redirect(STEP_PATHS[reg.etape] + (f"?trop_tot={page}" if ahead else ""))
    too_early = PAGE_STEPS.get(request.query_params.get("trop_tot", ""))
    if too_early and STEPS.index(too_early) > STEPS.index(reg.etape):
        try:
            _service(request).require_step(reg.id, too_early)
        except Refused as refused:
            return journey_page(request, reg, reg.etape, errors=FormErrors.of(refused))
    return journey_page(request, reg, reg.etape)


def journey_post(request: Request, step: str, values: dict, act: Callable[[Service, str], object]) -> Response:
    """Run a step; on success go to the page of the step reached, else show the form again."""
    reg_id = request.cookies.get(REGISTRATION_COOKIE)
    try:
        act(_service(request), reg_id)
    except Refused as refused:
        reg = _registration(request)
        if reg is None:
            return redirect("/creer-un-compte")
        if reg.etape != step:
            return redirect(STEP_PATHS[reg.etape])
        return journey_page(request, reg, step, status=refused.status, errors=FormErrors.of(refused), values=values)
    return redirect(STEP_PATHS[_registration(request).etape])


@router.post("/inscription/etat-civil")
def etat_civil(
    request: Request,
    nir: FormText = "",
    sans_nir: FormText = "",
    civilite: FormText = "",
    nom_naissance: FormText = "",
    prenoms: FormText = "",
    date_naissance: FormText = "",
    lieu_naissance: FormText = "",
):
    status = CivilStatus(nir, civilite, nom_naissance, prenoms, date_naissance, lieu_naissance)
    values = {**status.__dict__, "sans_nir": bool(sans_nir)}
    return journey_post(
        request, "etat_civil", values, lambda s, reg_id: s.submit_civil_status(reg_id, status, sans_nir=bool(sans_nir))
    )


@router.post("/inscription/piece-identite")
def piece_identite(
    request: Request, type_titre: FormText = "", numero_titre: FormText = "", sans_piece_francaise: FormText = ""
):
    if sans_piece_francaise:
        return journey_post(request, "piece_identite", {}, lambda s, reg_id: s.declare_no_french_document(reg_id))
    return journey_post(
        request,
        "piece_identite",
        {"type_titre": type_titre, "numero_titre": numero_titre},
        lambda s, reg_id: s.submit_document(reg_id, type_titre, numero_titre),
    )


@router.post("/inscription/coordonnees")
def coordonnees(request: Request, email: FormText = "", mobile: FormText = ""):
    canal, valeur = _contact_choice(email, mobile)
    return journey_post(
        request,
        "coordonnees",
        {"email": email, "mobile": mobile},
        lambda s, reg_id: s.send_code(reg_id, canal, valeur, hardening.client_address(request)),
    )


def _contact_choice(email: str, mobile: str) -> tuple[str | None, str | None]:
    """The channel is the field filled in; both or neither is refused by the rules (no channel)."""
    if email.strip() and not mobile.strip():
        return Channel.EMAIL.value, email
    if mobile.strip() and not email.strip():
        return Channel.SMS.value, mobile
    return None, None


@router.post("/inscription/code")
def code(request: Request, code: FormText = ""):
    return journey_post(request, "code", {}, lambda s, reg_id: s.confirm_code(reg_id, code))


@router.post("/inscription/code/renvoyer")
def renvoyer(request: Request):
    return journey_post(request, "code", {}, lambda s, reg_id: s.resend_code(reg_id, hardening.client_address(request)))


@router.post("/inscription/mot-de-passe")
def mot_de_passe(request: Request, mot_de_passe: FormText = ""):
    return journey_post(request, "mot_de_passe", {}, lambda s, reg_id: s.choose_password(reg_id, mot_de_passe))


# ── login and « Mon espace » ─────────────────────────────────────────────────
@router.get("/connexion")
def connexion(request: Request, prestation: str | None = None):
    return render(request, "connexion.html", values={"prestation": prestation or ""})


@router.post("/connexion")
def se_connecter(
    request: Request,
    identifiant: FormText = "",
    mot_de_passe: FormText = "",
    prestation: FormText = "",
    session: Annotated[str | None, Cookie()] = None,
):
    service = _service(request)
    try:
        session_id = hardening.login(request, identifiant, mot_de_passe, prestation or None)
    except Refused as refused:
        return render(
            request,
            "connexion.html",
            refused.status,
            errors=FormErrors.of(refused),
            values={"identifiant": identifiant, "prestation": prestation},
        )
    service.logout(session)
    response = redirect("/espace")
    set_session_cookie(response, session_id)
    return response


@router.post("/deconnexion")
def se_deconnecter(request: Request, session: Annotated[str | None, Cookie()] = None):
    # A session opened with FranceConnect ends at the provider too (its session/end, then back here).
    end_session = request.app.state.franceconnect.logout_url(session, str(request.url_for("franceconnect_deconnexion")))
    _service(request).logout(session)
    response = redirect(end_session or "/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/espace")
def espace(request: Request, session: Annotated[str | None, Cookie()] = None):
    service = _service(request)
    user = service.current_user(session)
    links = [(label, path) for label, path, action in ESPACE_LINKS if is_allowed(user.role, action)]
    pending = prestations.PRESTATIONS.get(user.prestation or "")
    if pending and not is_allowed(user.role, Action.DEMANDER_PRESTATION):
        pending = None
    return render(
        request,
        "espace.html",
        user=user,
        links=links,
        pending=pending,
        procuration=service.procuration(user),
        justificatif_en_attente=MSG_JUSTIFICATIF_EN_ATTENTE,
    )


@router.post("/espace/procuration")
def procuration(request: Request, accordee: FormText = "", session: Annotated[str | None, Cookie()] = None):
    _service(request).set_procuration(session, accordee == "1")
    return redirect("/espace")


@router.get("/espace/demande-de-prestation")
def demande(request: Request, prestation: str | None = None, session: Annotated[str | None, Cookie()] = None):
    _service(request).authorize(session, Action.DEMANDER_PRESTATION)
    chosen = prestation if prestation in prestations.PRESTATIONS else ""
    theme_code = prestations.THEME_OF[chosen].code if chosen else ""
    return render(
        request,
        "demande.html",
        themes=prestations.THEMES,
        theme_options=THEME_OPTIONS,
        values={"prestation": chosen, "theme": theme_code},
    )


@router.post("/espace/demande-de-prestation")
def envoyer_demande(
    request: Request, prestation: FormText = "", theme: FormText = "", session: Annotated[str | None, Cookie()] = None
):
    service = _service(request)
    try:
        service.request_prestation(session, prestation or None, theme or None)
    except Refused as refused:
        if refused.status != 422:
            raise
        return render(
            request,
            "demande.html",
            422,
            themes=prestations.THEMES,
            theme_options=THEME_OPTIONS,
            errors=FormErrors.of(refused),
            values={"prestation": prestation, "theme": theme},
        )
    return redirect(_after_demande(request, session))


@router.get("/espace/demarches")
def demarches(request: Request, envoyee: str | None = None, session: Annotated[str | None, Cookie()] = None):
    rows = [
        (prestations.PRESTATIONS[d.prestation].libelle, d.statut, d.created_at.strftime("%d/%m/%Y"))
        for d in _service(request).demandes(session)
    ]
    return render(request, "demarches.html", rows=rows, sent=bool(envoyee))


@router.get("/espace/dossier")
def dossier(request: Request, session: Annotated[str | None, Cookie()] = None):
    service = _service(request)
    user = service.authorize(session, Action.GERER_DOSSIER)
    return render(
        request, "dossier.html", user=user, procuration=service.procuration(user), count=len(service.demandes(session))
    )


@router.get("/espace/donnees-personnelles")
def donnees(request: Request, session: Annotated[str | None, Cookie()] = None):
    user = _service(request).authorize(session, Action.CONSULTER_DONNEES)
    franceconnect = request.app.state.franceconnect.provided_account_identity(user.account)
    return render(request, "donnees.html", user=user, items=identity_items(user.account, franceconnect))


@router.get("/espace/coordonnees")
def modifier_coordonnees(
    request: Request, enregistre: str | None = None, session: Annotated[str | None, Cookie()] = None
):
    user = _service(request).authorize(session, Action.MODIFIER_COORDONNEES)
    field_name = "email" if user.account.canal == Channel.EMAIL else "mobile"
    return render(
        request,
        "modifier_coordonnees.html",
        user=user,
        saved=bool(enregistre),
        values={field_name: user.account.contact},
    )


@router.post("/espace/coordonnees")
def enregistrer_coordonnees(
    request: Request, email: FormText = "", mobile: FormText = "", session: Annotated[str | None, Cookie()] = None
):
    canal, valeur = _contact_choice(email, mobile)
    try:
        _, contact = _service(request).request_contact_change(session, canal, valeur, hardening.client_address(request))
    except Refused as refused:
        if refused.status != 422:
            raise
        return render(
            request,
            "modifier_coordonnees.html",
            422,
            errors=FormErrors.of(refused),
            values={"email": email, "mobile": mobile},
        )
    return render(request, "confirmer_coordonnees.html", sent=MSG_CODE_NOUVEAU_CONTACT.format(valeur=contact))


@router.post("/espace/coordonnees/confirmation")
def confirmer_coordonnees(request: Request, code: FormText = "", session: Annotated[str | None, Cookie()] = None):
    try:
        _service(request).confirm_contact_change(session, code)
    except Refused as refused:
        if refused.status not in (422, 429):
            raise
        return render(request, "confirmer_coordonnees.html", refused.status, errors=FormErrors.of(refused))
    return redirect("/espace/coordonnees?enregistre=1")


@router.get("/espace/separation")
def separation(request: Request, enregistree: str | None = None, session: Annotated[str | None, Cookie()] = None):
    _service(request).authorize(session, Action.DECLARER_SEPARATION)
    return render(request, "separation.html", saved=bool(enregistree))


@router.post("/espace/separation")
def declarer_separation(
    request: Request, date_separation: FormText = "", session: Annotated[str | None, Cookie()] = None
):
    try:
        _service(request).declare_separation(session, date_separation)
    except Refused as refused:
        if refused.status != 422:
            raise
        return render(
            request, "separation.html", 422, errors=FormErrors.of(refused), values={"date_separation": date_separation}
        )
    return redirect("/espace/separation?enregistree=1")
