"""Routes that exist only in test mode (``--test-mode``): the outbox and the registry seeding.

They let a harness read the codes sent and add the persons it needs. Never
mounted otherwise: the paths then answer 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from moncompte.reference_impl.registry import FoyerIn, PersonIn

router = APIRouter(tags=["Mode test"])


class VieillirIn(BaseModel):
    to: str
    secondes: int


@router.get("/__outbox__", summary="Messages gardés par la boîte d'envoi (les plus récents à la fin)")
def outbox(request: Request, to: str | None = None) -> list[dict]:
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
