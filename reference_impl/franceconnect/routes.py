"""The FranceConnect routes of the reference implementation: pages and JSON API.

Contract: ``reference_impl/README.md``, section « FranceConnect ».
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Form, Request, Response
from fastapi.responses import RedirectResponse

from moncompte.reference_impl import pages
from moncompte.reference_impl.api import ERROR_RESPONSES, SESSION_COOKIE, _documented, set_session_cookie
from moncompte.reference_impl.franceconnect.flow import MSG_DECONNEXION, FranceConnect
from moncompte.reference_impl.service import Refused

STATE_COOKIE = "franceconnect"  # binds the request in flight to the browser: its value is the state
STATE_COOKIE_SECONDS = 600

# Every refusal of the flow (``flow.py``) is documented, with the French body of the whole API.
api_router = APIRouter(
    prefix="/api/franceconnect",
    tags=["FranceConnect"],
    responses={
        **{status: ERROR_RESPONSES[status] for status in (401, 404, 422, 502)},
        400: _documented("Retour de FranceConnect qui ne correspond à aucune demande de ce navigateur (state)"),
    },
)
pages_router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


def _fc(request: Request) -> FranceConnect:
    return request.app.state.franceconnect


def _bind(response: Response, state: str) -> None:
    response.set_cookie(STATE_COOKIE, state, max_age=STATE_COOKIE_SECONDS, httponly=True, samesite="lax", path="/")


def _callback_uri(request: Request) -> str:
    return str(request.url_for("franceconnect_retour"))


# ── JSON API ──────────────────────────────────────────────────────────────────
@api_router.get("/autorisation", summary="L'URL d'autorisation de FranceConnect (creation ou connexion)")
def authorization(request: Request, response: Response, intention: str = "", prestation: str | None = None) -> dict:
    url, state = _fc(request).start(intention, prestation, _callback_uri(request))
    _bind(response, state)
    return {"intention": intention, "url": url}


@api_router.get("/retour", summary="Retour de FranceConnect : inscription à poursuivre (⑥) ou session ouverte")
def callback(
    request: Request,
    response: Response,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    session: str | None = Cookie(None),
    franceconnect: str | None = Cookie(None),
) -> dict:
    outcome = _fc(request).finish(state=state, code=code, error=error, bound_state=franceconnect)
    response.delete_cookie(STATE_COOKIE, path="/")
    service = request.app.state.service
    if outcome.intention == "creation":
        reg = outcome.registration
        return {
            "intention": "creation",
            "id": reg.id,
            "etape": reg.etape,
            "identifiant_provisoire": reg.identifiant_provisoire,
            "etat_civil": {
                "nir": reg.nir,
                "civilite": reg.civilite,
                "nom_naissance": reg.nom_naissance,
                "prenoms": reg.prenoms,
                "date_naissance": reg.date_naissance.isoformat(),
                "lieu_naissance": reg.lieu_naissance,
            },
            "role": service.role_of_registration(reg).value,
        }
    service.logout(session)  # a new session id at each login
    set_session_cookie(response, outcome.session_id)
    return {"intention": "connexion", "role": service.current_user(outcome.session_id).role.value}


@api_router.delete("/session", summary="Se déconnecter de Mon Compte, puis de FranceConnect (URL session/end)")
def logout(request: Request, response: Response, session: str | None = Cookie(None)) -> dict:
    url = _fc(request).logout_url(session, str(request.url_for("franceconnect_deconnexion")))
    request.app.state.service.logout(session)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"url_deconnexion": url}


# ── pages ─────────────────────────────────────────────────────────────────────
def error_page(request: Request, refused: Refused) -> Response:
    response = pages.render(request, "franceconnect_erreur.html", refused.status, errors=pages.FormErrors.of(refused))
    response.delete_cookie(STATE_COOKIE, path="/")
    return response


@pages_router.post("/franceconnect/autorisation")
def authorize(request: Request, intention: FormText = "", prestation: FormText = ""):
    """« S'identifier avec FranceConnect »: off to the provider."""
    try:
        url, state = _fc(request).start(intention, prestation or None, _callback_uri(request))
    except Refused as refused:
        return error_page(request, refused)
    response = RedirectResponse(url, status_code=303)
    _bind(response, state)
    return response


@pages_router.get("/franceconnect/retour", name="franceconnect_retour")
def callback_page(
    request: Request,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    session: Annotated[str | None, Cookie()] = None,
    franceconnect: Annotated[str | None, Cookie()] = None,
):
    """The redirect_uri: creation goes on at ⑥, connexion opens « Mon espace »."""
    service = request.app.state.service
    try:
        outcome = _fc(request).finish(state=state, code=code, error=error, bound_state=franceconnect)
    except Refused as refused:
        return error_page(request, refused)
    if outcome.intention == "creation":
        response = pages.redirect(pages.STEP_PATHS[outcome.registration.etape])
        pages.set_registration_cookie(response, outcome.registration.id)
    else:
        service.logout(session)
        response = pages.redirect("/espace")
        set_session_cookie(response, outcome.session_id)
    response.delete_cookie(STATE_COOKIE, path="/")
    return response


@pages_router.get("/franceconnect/deconnexion", name="franceconnect_deconnexion")
def after_logout(request: Request, state: str | None = None):
    """The post_logout_redirect_uri: FranceConnect sends the browser back here after session/end."""
    if _fc(request).finish_logout(state):
        return pages.render(request, "franceconnect_deconnexion.html")
    return pages.render(
        request, "franceconnect_deconnexion.html", 400, errors=pages.FormErrors(messages=[MSG_DECONNEXION])
    )
