"""The confirmation code (⑥ ⑦): sent at once, hashed, single use, expiry, attempts, resend delay."""

from __future__ import annotations

import re

from refhelpers import errors
from sqlalchemy import select

from moncompte.reference_impl.db import ConfirmationCode

EMAIL = "code@exemple.fr"
WRONG = "Le code de confirmation est incorrect. Il vous reste {} essai(s)."
EPUISE = "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code."
EXPIRE = "Ce code a expiré. Demandez un nouveau code."
UTILISE = "Ce code n'est plus valable. Demandez un nouveau code."


def at_code(api) -> str:
    return api.register(api.seed_person(), until="code", email=EMAIL)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_code_is_sent_at_once_by_email_in_french(api, client):
    at_code(api)
    (message,) = client.get("/__outbox__", params={"to": EMAIL}).json()
    assert message["to"] == EMAIL and message["channel"] == "email"
    assert message["subject"] == "Votre code de confirmation Mon Compte"
    assert len(re.findall(r"\b\d{6}\b", message["body"])) == 1
    assert "valable 10 minutes" in message["body"]


def test_the_code_is_stored_hashed(api, app):
    at_code(api)
    code = api.last_code(EMAIL)
    with app.state.service.sessions() as db:
        (row,) = db.scalars(select(ConfirmationCode)).all()
    assert code not in (row.digest, row.salt) and len(row.digest) == 64


def test_attempts_are_limited_then_the_code_is_invalidated(api):
    reg_id = at_code(api)
    code = api.last_code(EMAIL)
    for left in (2, 1):
        response = api.step(reg_id, "code", {"code": wrong(code)})
        assert response.status_code == 422 and errors(response) == [("CODE-VALIDATION", WRONG.format(left))]
    response = api.step(reg_id, "code", {"code": wrong(code)})
    assert response.status_code == 429 and errors(response) == [("CODE-TENTATIVES", EPUISE)]
    response = api.step(reg_id, "code", {"code": code})  # even the right one, now
    assert response.status_code == 429 and api.etape(reg_id) == "code"


def test_an_expired_code_is_refused(api, client):
    reg_id = at_code(api)
    code = api.last_code(EMAIL)
    assert client.post("/__test__/vieillir-codes", json={"to": EMAIL, "secondes": 10 * 60}).json() == {"codes": 1}
    response = api.step(reg_id, "code", {"code": code})
    assert response.status_code == 422 and errors(response) == [("CODE-EXPIRATION", EXPIRE)]
    assert api.etape(reg_id) == "code"


def test_a_code_is_valid_just_before_it_expires(api, client):
    reg_id = at_code(api)
    client.post("/__test__/vieillir-codes", json={"to": EMAIL, "secondes": 9 * 60 + 50})
    assert api.step(reg_id, "code", {"code": api.last_code(EMAIL)}).status_code == 200


def test_a_confirmed_code_cannot_be_used_again(api):
    reg_id = at_code(api)
    code = api.last_code(EMAIL)
    assert api.step(reg_id, "code", {"code": code}).status_code == 200
    response = api.step(reg_id, "code", {"code": code})
    assert response.status_code == 422 and errors(response) == [("CODE-USAGE-UNIQUE", UTILISE)]
    assert api.etape(reg_id) == "mot_de_passe"


def test_resend_waits_for_the_delay_and_replaces_the_previous_code(api, client):
    reg_id = at_code(api)
    first = api.last_code(EMAIL)
    response = api.step(reg_id, "coordonnees", {"canal": "email", "valeur": EMAIL})
    assert response.status_code == 429
    ((rule, message),) = errors(response)
    assert rule == "CODE-RENVOI" and re.fullmatch(
        r"Un code vient d'être envoyé\. Vous pourrez en demander un nouveau dans (60|59) secondes\.", message
    )
    assert len(client.get("/__outbox__", params={"to": EMAIL}).json()) == 1

    client.post("/__test__/vieillir-codes", json={"to": EMAIL, "secondes": 60})
    assert api.step(reg_id, "coordonnees", {"canal": "email", "valeur": EMAIL}).status_code == 200
    second = api.last_code(EMAIL)
    if second != first:  # one chance in a million that both codes are equal
        response = api.step(reg_id, "code", {"code": first})
        assert errors(response) == [("CODE-USAGE-UNIQUE", UTILISE)]
    assert api.step(reg_id, "code", {"code": second}).status_code == 200


def test_code_format_is_checked_first(api):
    reg_id = at_code(api)
    response = api.step(reg_id, "code", {"code": "12a"})
    assert errors(response) == [("CODE-FORMAT", "Le code de confirmation comporte 6 chiffres.")]
    response = api.step(reg_id, "code", {"code": ""})
    assert errors(response) == [("CODE-VALIDATION", "Ce champ est obligatoire : Code de confirmation.")]
