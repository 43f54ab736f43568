"""The JSON API (``/api/...``): the journey step by step, login and « Mon espace ».

Bodies are lenient (every field optional) so that the rules, not the schema,
decide what is missing and say it in French. Refusals become
``{"erreurs": [{"regle", "champ", "message"}]}`` (see ``app.py``).
"""

from __future__ import annotations

from fastapi import APIRouter, Cookie, Request, Response
from pydantic import BaseModel

from moncompte.reference_impl import hardening, prestations
from moncompte.reference_impl.db import Demande, Registration
from moncompte.reference_impl.service import MSG_CODE_NOUVEAU_CONTACT, MSG_JUSTIFICATIF_EN_ATTENTE, CurrentUser, Service
from moncompte.rules.etat_civil import CivilStatus
from moncompte.rules.roles import Action

SESSION_COOKIE = "session"


class Erreur(BaseModel):
    regle: str | None  # catalogue rule ID; null for a malformed body
    champ: str | None
    message: str  # in French


class Erreurs(BaseModel):
    """The body of every refusal (``app.py``); the status says its kind."""

    erreurs: list[Erreur]


def _documented(description: str) -> dict:
    return {"model": Erreurs, "description": description}


# Documented in the OpenAPI for every route (FastAPI's default 422 body is not ours).
ERROR_RESPONSES = {
    401: _documented("Non connecté, ou identifiants incorrects"),
    403: _documented("Action non permise pour le rôle"),
    404: _documented("Inscription ou ressource inconnue"),
    409: _documented("Conflit : étape dans le désordre, compte existant"),
    422: _documented("Saisie refusée (une entrée par critère non rempli) ou corps mal formé"),
    413: _documented("Corps de la requête trop volumineux (refusé sans être lu)"),
    429: _documented("Trop tôt (renvoi du code), trop d'essais ou trop de codes demandés"),
    502: _documented("Le code n'a pas pu être remis au service d'envoi (e-mail ou SMS)"),
}

router = APIRouter(prefix="/api", tags=["Mon Compte"], responses=ERROR_RESPONSES)


def _service(request: Request) -> Service:
    return request.app.state.service


def set_session_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="lax", path="/")


# ── bodies ────────────────────────────────────────────────────────────────────
class InscriptionIn(BaseModel):
    prestation: str | None = None


class EtatCivilIn(BaseModel):
    sans_nir: bool = False
    nir: str | None = None
    civilite: str | None = None
    nom_naissance: str | None = None
    prenoms: str | None = None
    date_naissance: str | None = None
    lieu_naissance: str | None = None


class PieceIdentiteIn(BaseModel):
    type_titre: str | None = None
    numero_titre: str | None = None
    sans_piece_francaise: bool = False


class CoordonneesIn(BaseModel):
    canal: str | None = None
    valeur: str | None = None


class CodeIn(BaseModel):
    code: str | None = None


class MotDePasseIn(BaseModel):
    mot_de_passe: str | None = None


class SessionIn(BaseModel):
    identifiant: str | None = None
    mot_de_passe: str | None = None


class DemandeIn(BaseModel):
    prestation: str | None = None
    theme: str | None = None


class SeparationIn(BaseModel):
    date_separation: str | None = None


class ProcurationIn(BaseModel):
    accordee: bool


class QuestionIn(BaseModel):
    question: str | None = None


# ── views ─────────────────────────────────────────────────────────────────────
def registration_json(service: Service, reg: Registration) -> dict:
    past_document = reg.etape in ("coordonnees", "code", "mot_de_passe", "recapitulatif")
    return {
        "id": reg.id,
        "etape": reg.etape,
        "prestation": reg.prestation,
        "identifiant_provisoire": reg.identifiant_provisoire,
        "justificatif_a_fournir": reg.justificatif_a_fournir,
        "role": service.role_of_registration(reg).value if past_document else None,
        "canal": reg.canal,
        "destinataire": reg.contact,
    }


def demande_json(demande: Demande) -> dict:
    return {
        "id": demande.id,
        "prestation": demande.prestation,
        "libelle": prestations.PRESTATIONS[demande.prestation].libelle,
        "statut": demande.statut,
        "date": demande.created_at.date().isoformat(),
    }


def personal_data_json(user: CurrentUser, franceconnect: bool = False) -> dict:
    account = user.account
    return {
        "identifiant": account.identifiant,
        "nir": account.nir,
        "civilite": account.civilite,
        "nom_naissance": account.nom_naissance,
        "prenoms": account.prenoms,
        "date_naissance": account.date_naissance.isoformat(),
        "lieu_naissance": account.lieu_naissance,
        "piece_identite": (
            {"type_titre": account.type_titre, "numero_masque": account.numero_masque}
            if account.type_titre
            else {"franceconnect": True}
            if franceconnect
            else {"sans_piece_francaise": True}
        ),
        "justificatif_a_fournir": account.justificatif_a_fournir,
        "coordonnees": {"canal": account.canal, "valeur": account.contact},
    }


# ── the journey ───────────────────────────────────────────────────────────────
@router.get("/themes", summary="Thèmes et prestations du bandeau « Faites une demande de prestation en ligne »")
def themes() -> list[dict]:
    return prestations.as_json()


@router.post("/inscriptions", status_code=201, summary="Commencer la création d'un compte (③)")
def start(request: Request, body: InscriptionIn | None = None) -> dict:
    reg = _service(request).start_registration((body or InscriptionIn()).prestation)
    return {"id": reg.id, "etape": reg.etape}


@router.get("/inscriptions/{reg_id}", summary="Étape en cours d'une inscription")
def registration(request: Request, reg_id: str) -> dict:
    service = _service(request)
    return registration_json(service, service.registration(reg_id))


@router.post("/inscriptions/{reg_id}/etat-civil", summary="④ État civil")
def civil_status(request: Request, reg_id: str, body: EtatCivilIn) -> dict:
    status = CivilStatus(
        nir=body.nir or "",
        civilite=body.civilite or "",
        nom_naissance=body.nom_naissance or "",
        prenoms=body.prenoms or "",
        date_naissance=body.date_naissance or "",
        lieu_naissance=body.lieu_naissance or "",
    )
    reg = _service(request).submit_civil_status(reg_id, status, sans_nir=body.sans_nir)
    return {"etape": reg.etape, "identifiant_provisoire": reg.identifiant_provisoire}


@router.post("/inscriptions/{reg_id}/piece-identite", summary="⑤ Pièce d'identité")
def identity_document(request: Request, reg_id: str, body: PieceIdentiteIn) -> dict:
    service = _service(request)
    if body.sans_piece_francaise:
        reg = service.declare_no_french_document(reg_id)
    else:
        reg = service.submit_document(reg_id, body.type_titre, body.numero_titre)
    return {
        "etape": reg.etape,
        "justificatif_a_fournir": reg.justificatif_a_fournir,
        "role": service.role_of_registration(reg).value,
    }


@router.post(
    "/inscriptions/{reg_id}/coordonnees", summary="⑥ Coordonnées de contact : « Envoyer le code » (ou le renvoyer)"
)
def contact(request: Request, reg_id: str, body: CoordonneesIn) -> dict:
    reg = _service(request).send_code(reg_id, body.canal, body.valeur, hardening.client_address(request))
    return {"etape": reg.etape, "canal": reg.canal, "destinataire": reg.contact}


@router.post("/inscriptions/{reg_id}/code", summary="⑦ Code de confirmation : « Valider »")
def code(request: Request, reg_id: str, body: CodeIn) -> dict:
    return {"etape": _service(request).confirm_code(reg_id, body.code).etape}


@router.post("/inscriptions/{reg_id}/mot-de-passe", summary="⑧ Mot de passe (le compte est créé)")
def password(request: Request, reg_id: str, body: MotDePasseIn) -> dict:
    return {"etape": _service(request).choose_password(reg_id, body.mot_de_passe).etape}


@router.get("/inscriptions/{reg_id}/recapitulatif", summary="⑨ Récapitulatif (jamais le mot de passe)")
def recap(request: Request, reg_id: str) -> dict:
    reg = _service(request).recap(reg_id)
    franceconnect = request.app.state.franceconnect.provided_identity(reg.id)
    return {
        "etat_civil": {
            "nir": reg.nir,
            "civilite": reg.civilite,
            "nom_naissance": reg.nom_naissance,
            "prenoms": reg.prenoms,
            "date_naissance": reg.date_naissance.isoformat(),
            "lieu_naissance": reg.lieu_naissance,
        },
        "identifiant": reg.identifiant,
        "piece_identite": (
            {"sans_piece_francaise": True}
            if reg.sans_piece_francaise
            else {"franceconnect": True}
            if franceconnect
            else {"type_titre": reg.type_titre, "numero_masque": reg.numero_masque}
        ),
        "justificatif_a_fournir": reg.justificatif_a_fournir,
        "justificatif_en_attente": MSG_JUSTIFICATIF_EN_ATTENTE if reg.justificatif_a_fournir else None,
        "coordonnees": {"canal": reg.canal, "valeur": reg.contact},
    }


# ── login and « Mon espace » ──────────────────────────────────────────────────
@router.post("/session", summary="Se connecter (numéro de sécurité sociale ou identifiant provisoire)")
def login(request: Request, response: Response, body: SessionIn, session: str | None = Cookie(None)) -> dict:
    service = _service(request)
    session_id = hardening.login(request, body.identifiant, body.mot_de_passe)
    service.logout(session)  # a new session id at each login
    set_session_cookie(response, session_id)
    return {"role": service.current_user(session_id).role.value}


@router.delete("/session", status_code=204, summary="Se déconnecter")
def logout(request: Request, session: str | None = Cookie(None)) -> Response:
    _service(request).logout(session)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/espace", summary="Mon espace : rôle et actions permises")
def espace(request: Request, session: str | None = Cookie(None)) -> dict:
    service = _service(request)
    user = service.current_user(session)
    return {
        "identifiant": user.account.identifiant,
        "nom_naissance": user.account.nom_naissance,
        "prenoms": user.account.prenoms,
        "role": user.role.value,
        "role_libelle": user.role.label,
        "actions": [{"code": a.value, "libelle": a.label} for a in user.actions],
        "justificatif_a_fournir": user.account.justificatif_a_fournir,
        "justificatif_en_attente": MSG_JUSTIFICATIF_EN_ATTENTE if user.account.justificatif_a_fournir else None,
        "procuration": service.procuration(user),
    }


@router.post("/demandes", status_code=201, summary="Faire une demande de prestation")
def request_prestation(request: Request, body: DemandeIn, session: str | None = Cookie(None)) -> dict:
    demande = _service(request).request_prestation(session, body.prestation, body.theme)
    return demande_json(demande)


@router.get("/demandes", summary="Suivre mes démarches")
def demandes(request: Request, session: str | None = Cookie(None)) -> list[dict]:
    return [demande_json(d) for d in _service(request).demandes(session)]


@router.get("/dossier", summary="Gérer le dossier")
def dossier(request: Request, session: str | None = Cookie(None)) -> dict:
    service = _service(request)
    user = service.authorize(session, Action.GERER_DOSSIER)
    return {
        "foyer": user.account.foyer_id,
        "role": user.role.value,
        "procuration": service.procuration(user),
        "demandes": [demande_json(d) for d in service.demandes(session)],
    }


@router.get("/donnees-personnelles", summary="Consulter mes données personnelles")
def personal_data(request: Request, session: str | None = Cookie(None)) -> dict:
    user = _service(request).authorize(session, Action.CONSULTER_DONNEES)
    return personal_data_json(user, request.app.state.franceconnect.provided_account_identity(user.account))


@router.put(
    "/coordonnees",
    status_code=202,
    summary="Modifier mes coordonnées de contact : un code est envoyé à la nouvelle adresse ou au nouveau numéro",
)
def update_contact(request: Request, body: CoordonneesIn, session: str | None = Cookie(None)) -> dict:
    service = _service(request)
    canal, valeur = service.request_contact_change(session, body.canal, body.valeur, hardening.client_address(request))
    return {"en_attente": {"canal": canal, "valeur": valeur}, "message": MSG_CODE_NOUVEAU_CONTACT.format(valeur=valeur)}


@router.post("/coordonnees/confirmation", summary="Confirmer les nouvelles coordonnées avec le code reçu")
def confirm_contact(request: Request, body: CodeIn, session: str | None = Cookie(None)) -> dict:
    account = _service(request).confirm_contact_change(session, body.code)
    return {"canal": account.canal, "valeur": account.contact}


@router.post("/separation", status_code=201, summary="Déclarer une séparation")
def separation(request: Request, body: SeparationIn, session: str | None = Cookie(None)) -> dict:
    declared = _service(request).declare_separation(session, body.date_separation)
    return {"date_separation": declared.date_separation.isoformat()}


@router.post("/procuration", summary="Donner ou retirer la procuration au conjoint (responsable du dossier)")
def procuration(request: Request, body: ProcurationIn, session: str | None = Cookie(None)) -> dict:
    return {"procuration": _service(request).set_procuration(session, body.accordee)}


@router.post("/chatbot", summary="Poser une question au Chatbot")
def chatbot(request: Request, body: QuestionIn) -> dict:
    answer = request.app.state.chatbot.ask(body.question)
    return {"reponse": answer.reponse, "regle": answer.regle, "connue": answer.connue}
