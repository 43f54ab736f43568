"""Routes that exist only in test mode (``--test-mode``): the outbox and the registry seeding.

They let a harness read the codes sent and add the persons it needs. Never
mounted otherwise: the paths then answer 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Cookie, Query, Request
from pydantic import BaseModel, Field

from moncompte.reference_impl.registry import FoyerIn, PersonIn

router = APIRouter(tags=["Mode test"])


MAX_AGING_SECONDS = 366 * 24 * 3600  # a year: far more than any delay of the guide, far less than overflows


class VieillirIn(BaseModel):
    to: str
    secondes: int = Field(ge=0, le=MAX_AGING_SECONDS)


@router.get("/__outbox__", summary="Messages gardés par la boîte d'envoi (les plus récents à la fin)")
def outbox(
    request: Request, to: str = Query(min_length=1, description="L'adresse e-mail ou le numéro du destinataire")
) -> list[dict]:
    """Only one recipient's messages: never the codes of everyone at once."""
    return [
        {"to": m.to, "channel": m.channel, "subject": m.subject, "body": m.body, "sent_at": m.sent_at.isoformat() + "Z"}
        for m in request.app.state.service.outbox(to)
    ]


@router.post("/__test__/foyers", status_code=201, summary="Ajouter (ou remplacer) un foyer du registre")
def add_foyer(request: Request, foyer: FoyerIn) -> dict:
    return {"id": request.app.state.service.add_foyer(foyer)}


@router.post("/__test__/personnes", status_code=201, summary="Ajouter au registre une personne hors foyer")
def add_person(request: Request, person: PersonIn) -> dict:
    return {"id": request.app.state.service.add_person(person)}


@router.post("/__test__/vieillir-codes", summary="Reculer dans le temps les codes et messages d'un destinataire")
def age_codes(request: Request, body: VieillirIn) -> dict:
    return {"codes": request.app.state.service.age_codes(body.to, body.secondes)}


@router.post(
    "/__test__/justificatif-verifie",
    summary="Un agent de la CAF a vérifié le justificatif du compte connecté : il rejoint son foyer",
)
def verify_justificatif(request: Request, session: str | None = Cookie(None)) -> dict:
    user = request.app.state.service.verify_justificatif(session)
    return {"role": user.role.value, "justificatif_a_fournir": user.account.justificatif_a_fournir}
