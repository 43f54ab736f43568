"""The journey ④ to ⑨ through the JSON API: accepted paths, and refusals that store nothing."""

from __future__ import annotations

import json
import re

from refhelpers import PASSWORD, civil_status, errors
from sqlalchemy import func, select

from moncompte.reference_impl.db import OutboxMessage
from moncompte.reference_impl.registry import DATA_FILE


def test_themes_list_the_banner_prestations(client):
    themes = {t["libelle"]: [p["libelle"] for p in t["prestations"]] for t in client.get("/api/themes").json()}
    assert themes["Logement"] == ["Aide personnalisée au logement (APL)", "Allocation de logement familiale"]
    assert "Allocation aux adultes handicapés (AAH)" in themes["Handicap"]


def test_whole_journey_with_a_nir(api, client):
    person = api.seed_person(nom="Lefèvre", prenoms="Anaïs Claire")
    reg_id = api.start("apl")
    assert api.etape(reg_id) == "etat_civil"

    response = api.step(reg_id, "etat-civil", civil_status(person))
    assert response.json() == {"etape": "piece_identite", "identifiant_provisoire": None}
    response = api.step(reg_id, "piece-identite", person["pieces"][0])
    assert response.json() == {"etape": "coordonnees", "justificatif_a_fournir": False, "role": "non_allocataire"}
    response = api.step(reg_id, "coordonnees", {"canal": "sms", "valeur": "06 12 34 56 78"})
    assert response.json() == {"etape": "code", "canal": "sms", "destinataire": "+33612345678"}
    assert api.step(reg_id, "code", {"code": api.last_code("06 12 34 56 78")}).json() == {"etape": "mot_de_passe"}
    assert api.step(reg_id, "mot-de-passe", {"mot_de_passe": PASSWORD}).json() == {"etape": "recapitulatif"}

    recap = client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()
    assert recap == {
        "etat_civil": {
            "nir": person["nir"],
            "civilite": "Madame",
            "nom_naissance": "LEFÈVRE",
            "prenoms": "Anaïs Claire",
            "date_naissance": "1990-03-15",
            "lieu_naissance": "75056",
        },
        "identifiant": person["nir"],
        "piece_identite": {
            "type_titre": "passeport",
            "numero_masque": "•••••" + person["pieces"][0]["numero_titre"][-4:],
        },
        "justificatif_a_fournir": False,
        "justificatif_en_attente": None,
        "coordonnees": {"canal": "sms", "valeur": "+33612345678"},
    }
    assert PASSWORD not in json.dumps(recap)

    spaced = " ".join(re.findall(".{1,3}", person["nir"]))
    assert api.login(spaced).json() == {"role": "non_allocataire"}
    espace = client.get("/api/espace").json()
    assert espace["identifiant"] == person["nir"] and espace["role_libelle"] == "Pas encore allocataire"


def test_a_person_of_the_shipped_registry_can_register(api):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    adult = next(p for p in data["personnes"] if p["nir"] and p["pieces"])
    reg_id = api.register(adult, until="coordonnees")
    assert api.client.get(f"/api/inscriptions/{reg_id}").json()["role"] == "non_allocataire"


def test_without_nir_a_provisional_identifier_is_issued_and_used_to_log_in(api, client):
    person = api.seed_person(with_nir=False, place="99350", civilite="Monsieur", prenoms="Karim")
    reg_id = api.start()
    response = api.step(reg_id, "etat-civil", civil_status(person))
    assert response.status_code == 200
    provisional = response.json()["identifiant_provisoire"]
    assert re.fullmatch(r"P\d{9}", provisional)
    for name, body in [
        ("piece-identite", person["pieces"][0]),
        ("coordonnees", {"canal": "email", "valeur": "k@exemple.fr"}),
    ]:
        assert api.step(reg_id, name, body).status_code == 200
    api.step(reg_id, "code", {"code": api.last_code("k@exemple.fr")})
    api.step(reg_id, "mot-de-passe", {"mot_de_passe": PASSWORD})

    recap = client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()
    assert recap["identifiant"] == provisional and recap["etat_civil"]["nir"] is None
    assert api.login(provisional.lower()).status_code == 200
    assert client.get("/api/espace").json()["identifiant"] == provisional


def test_provisional_identifiers_are_distinct(api):
    ids = set()
    for _ in range(5):
        person = api.seed_person(with_nir=False)
        reg_id = api.start()
        ids.add(api.step(reg_id, "etat-civil", civil_status(person)).json()["identifiant_provisoire"])
    assert len(ids) == 5


def test_without_french_document_the_account_needs_a_justificatif(api, client):
    person = api.seed_person(pieces=False)
    reg_id = api.start()
    api.step(reg_id, "etat-civil", civil_status(person))
    response = api.step(reg_id, "piece-identite", {"sans_piece_francaise": True})
    assert response.json() == {"etape": "coordonnees", "justificatif_a_fournir": True, "role": "non_allocataire"}
    reg_id = api.register(person, sans_piece=True)
    recap = client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()
    assert recap["piece_identite"] == {"sans_piece_francaise": True} and recap["justificatif_a_fournir"] is True
    api.login(person["nir"])
    assert client.get("/api/espace").json()["justificatif_a_fournir"] is True


def test_without_french_document_a_foyer_member_has_no_role_until_the_justificatif_is_checked(api, client):
    """Security finding 1: NIR, names and birth date are printed on payslips; « sans pièce » they gave
    the household's full role at once. The account now has no place in the foyer until a CAF agent has
    checked its justificatif (test mode: ``POST /__test__/justificatif-verifie``)."""
    responsable = api.seed_person(civilite="Monsieur", nom="Durand", pieces=False)
    api.seed_foyer({"responsable": responsable, "conjoint": api.seed_person()})
    reg_id = api.register(responsable, until="piece_identite")
    response = api.step(reg_id, "piece-identite", {"sans_piece_francaise": True})
    assert response.json() == {"etape": "coordonnees", "justificatif_a_fournir": True, "role": "non_allocataire"}
    reg_id = api.register(responsable, sans_piece=True)
    recap = client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()
    assert "identité vérifiée" in recap["justificatif_en_attente"]
    assert api.login(responsable["nir"]).status_code == 200
    espace = client.get("/api/espace").json()
    assert espace["role"] == "non_allocataire" and "identité vérifiée" in espace["justificatif_en_attente"]
    assert client.post("/api/procuration", json={"accordee": True}).status_code == 403
    assert client.post("/api/separation", json={"date_separation": "2024-09-01"}).status_code == 403
    assert client.get("/api/dossier").json()["foyer"] is None
    # A CAF agent checks the justificatif: the account takes its place in the foyer.
    assert client.post("/__test__/justificatif-verifie", json={}).status_code == 200
    espace = client.get("/api/espace").json()
    assert espace["role"] == "responsable" and espace["justificatif_en_attente"] is None
    assert client.get("/api/dossier").json()["foyer"] is not None


def test_without_french_document_a_responsable_neither_sees_nor_adds_to_the_household_file(api, client):
    """Security finding 1, the household's file itself: the foyer's demandes (made here by the conjoint,
    who has the procuration) are not shown to the account made « sans pièce » with the responsable's
    identity, its own demande is not added to them, and it cannot withdraw the procuration."""
    responsable = api.seed_person(civilite="Monsieur", nom="Durand", pieces=False)
    conjoint = api.seed_person(nom="Roux")
    api.seed_foyer({"responsable": responsable, "conjoint": conjoint}, procuration=True)
    api.register(conjoint)
    assert api.login(conjoint["nir"]).json() == {"role": "conjoint_avec_procuration"}
    assert client.post("/api/demandes", json={"prestation": "apl"}).status_code == 201
    api.register(responsable, sans_piece=True, email="sans.piece@exemple.fr")

    assert api.login(responsable["nir"]).json() == {"role": "non_allocataire"}
    assert client.get("/api/dossier").json() == {
        "foyer": None,
        "role": "non_allocataire",
        "procuration": None,
        "demandes": [],
    }
    assert client.get("/api/demandes").json() == []
    assert client.post("/api/demandes", json={"prestation": "rsa"}).status_code == 201  # its own, not the foyer's
    assert client.post("/api/procuration", json={"accordee": False}).status_code == 403
    assert client.post("/api/separation", json={"date_separation": "01/09/2024"}).status_code == 403

    api.login(conjoint["nir"])
    assert client.get("/api/espace").json()["procuration"] is True  # untouched
    assert [d["prestation"] for d in client.get("/api/demandes").json()] == ["apl"]


MSG_COMPTE_EXISTANT = (
    "Un compte existe déjà pour ce numéro de sécurité sociale. Connectez-vous"
    " avec votre numéro de sécurité sociale et votre mot de passe."
)


def test_the_civil_status_step_does_not_tell_whether_a_nir_has_an_account(api):
    """Security finding 2: ④ answered « un compte existe déjà » for any name typed with a NIR."""
    person, stranger = api.seed_person(), api.seed_person()
    api.register(person)
    answers = []
    for who in (person, stranger):
        reg_id = api.start()
        response = api.step(reg_id, "etat-civil", civil_status(who))
        answers.append((response.status_code, response.json()["etape"]))
    assert answers[0] == answers[1] == (200, "piece_identite")


def test_a_nir_that_already_has_an_account_is_refused_once_the_document_proves_the_identity(api):
    person = api.seed_person()
    api.register(person)
    reg_id = api.register(person, until="piece_identite")
    response = api.step(reg_id, "piece-identite", person["pieces"][0])
    assert response.status_code == 409
    assert errors(response) == [("CNX-NIR", MSG_COMPTE_EXISTANT)]
    assert api.etape(reg_id) == "piece_identite"


def test_an_account_made_without_a_document_never_locks_the_owner_of_the_nir_out(api, client):
    """Security finding 2: an account « sans pièce » held the NIR (a unique column), and its real owner
    got « un compte existe déjà » forever. Now the owner's verified registration goes through, and each
    logs in with their own password."""
    owner = api.seed_person()
    usurper_reg = api.register(owner, sans_piece=True, password="Usurpation2024!")
    assert client.get(f"/api/inscriptions/{usurper_reg}/recapitulatif").json()["justificatif_a_fournir"]
    reg_id = api.register(owner)  # asserts each step is accepted, ⑧ included
    assert client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()["justificatif_a_fournir"] is False
    assert api.login(owner["nir"]).status_code == 200
    assert client.get("/api/espace").json()["justificatif_en_attente"] is None
    assert api.login(owner["nir"], "Usurpation2024!").status_code == 200
    assert client.get("/api/espace").json()["justificatif_a_fournir"] is True
    # Once the owner's account is verified, the other one's justificatif cannot take the NIR.
    assert client.post("/__test__/justificatif-verifie", json={}).status_code == 409


def test_a_second_account_without_a_document_for_the_same_nir_gives_the_same_answer(api, client):
    person = api.seed_person(pieces=False)
    first = api.register(person, sans_piece=True)
    second = api.register(person, sans_piece=True, password="Autre2024Motdepasse!")
    for reg_id in (first, second):
        assert client.get(f"/api/inscriptions/{reg_id}/recapitulatif").json()["justificatif_a_fournir"] is True


def test_bad_civil_status_is_refused_with_every_reason_and_nothing_stored(api, client):
    person = api.seed_person()
    reg_id = api.start()
    bad_key = person["nir"][:13] + f"{(int(person['nir'][13:]) + 1) % 100:02d}"
    response = api.step(
        reg_id, "etat-civil", civil_status(person, nir=bad_key, civilite="", date_naissance="31/02/1990")
    )
    assert response.status_code == 422
    assert errors(response) == [
        ("NIR-CLE", "La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi."),
        ("EC-CIVILITE", "Choisissez une civilité : Madame ou Monsieur."),
        ("EC-DATE-NAISSANCE", "La date de naissance n'est pas une date valide (format JJ/MM/AAAA)."),
    ]
    assert client.get(f"/api/inscriptions/{reg_id}").json() | {"id": None} == {
        "id": None,
        "etape": "etat_civil",
        "prestation": None,
        "identifiant_provisoire": None,
        "justificatif_a_fournir": False,
        "role": None,
        "canal": None,
        "destinataire": None,
    }


def test_a_document_that_does_not_match_the_identity_is_refused(api):
    person = api.seed_person()
    other = api.seed_person(nom="Bernard")
    reg_id = api.start()
    api.step(reg_id, "etat-civil", civil_status(person))
    for piece in (other["pieces"][0], {"type_titre": "passeport", "numero_titre": "99ZZ99999"}):
        response = api.step(reg_id, "piece-identite", piece)
        assert response.status_code == 422
        assert errors(response) == [
            ("PI-VERIFICATION", "Le numéro du titre d'identité ne correspond pas à l'identité saisie.")
        ]
    response = api.step(reg_id, "piece-identite", {"type_titre": "passeport", "numero_titre": "1234"})
    assert errors(response) == [
        ("PI-NUMERO", "Le numéro de passeport doit comporter 2 chiffres, 2 lettres puis 5 chiffres (ex. 12AB34567).")
    ]
    assert api.etape(reg_id) == "piece_identite"


def test_identity_check_ignores_accents_case_and_the_mrz_digit(api):
    from moncompte.rules.piece_identite import mrz_check_digit

    person = api.seed_person(nom="Lefèvre-Dubois", prenoms="Éloïse Anne")
    reg_id = api.start()
    typed = civil_status(person, nom_naissance="lefevre-dubois", prenoms="ELOISE")
    assert api.step(reg_id, "etat-civil", typed).status_code == 200
    number = person["pieces"][0]["numero_titre"]
    response = api.step(
        reg_id, "piece-identite", {"type_titre": "passeport", "numero_titre": number.lower() + mrz_check_digit(number)}
    )
    assert response.status_code == 200, response.text


def test_steps_cannot_be_skipped(api):
    person = api.seed_person()
    reg_id = api.start()
    response = api.step(reg_id, "piece-identite", person["pieces"][0])
    assert response.status_code == 409 and errors(response)[0][0] == "GUIDAGE"
    reg_id = api.register(person, until="code")
    response = api.step(reg_id, "mot-de-passe", {"mot_de_passe": PASSWORD})
    assert response.status_code == 409
    assert errors(response) == [
        (
            "CODE-VERIFICATION-CONTACT",
            "Confirmez d'abord vos coordonnées de contact avec le code reçu : le mot de passe se choisit ensuite.",
        )
    ]
    assert api.etape(reg_id) == "code"


def test_unknown_registration_is_404(client):
    assert client.get("/api/inscriptions/nope").status_code == 404
    assert client.post("/api/inscriptions/nope/code", json={"code": "123456"}).status_code == 404


def test_bad_contact_is_refused_and_no_code_sent(api, app):
    reg_id = api.register(api.seed_person(), until="coordonnees")
    response = api.step(reg_id, "coordonnees", {"canal": "sms", "valeur": "01 23 45 67 89"})
    assert errors(response) == [
        ("CONTACT-MOBILE", "Ce numéro n'est pas un numéro de téléphone portable : le code est envoyé par SMS.")
    ]
    response = api.step(reg_id, "coordonnees", {"canal": "email", "valeur": "pas-une-adresse"})
    assert errors(response) == [
        ("CONTACT-EMAIL", "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).")
    ]
    with app.state.service.sessions.begin() as db:
        assert db.scalar(select(func.count(OutboxMessage.id))) == 0
    assert api.etape(reg_id) == "coordonnees"


def test_overseas_mobile_receives_the_code(api, client):
    reg_id = api.register(api.seed_person(), until="coordonnees")
    response = api.step(reg_id, "coordonnees", {"canal": "sms", "valeur": "+262 692 12 34 56"})
    assert response.json()["destinataire"] == "+262692123456"
    assert client.get("/__outbox__", params={"to": "+262692123456"}).json()[0]["channel"] == "sms"


def test_bad_password_is_refused_and_no_account_created(api):
    person = api.seed_person()
    reg_id = api.register(person, until="mot_de_passe")
    response = api.step(reg_id, "mot-de-passe", {"mot_de_passe": "abcdefgh"})
    assert errors(response) == [
        ("MDP-CHIFFRE", "Le mot de passe doit contenir au moins 1 chiffre."),
        ("MDP-MAJUSCULE", "Le mot de passe doit contenir au moins 1 lettre majuscule."),
    ]
    assert api.etape(reg_id) == "mot_de_passe"
    assert api.login(person["nir"], "abcdefgh").status_code == 401


def test_login_refusals_are_the_same_for_unknown_identifier_and_wrong_password(api, client):
    person = api.seed_person()
    api.register(person)
    for identifier, password in [(person["nir"], "Wrong1234"), ("P000000001", PASSWORD), ("", "")]:
        response = api.login(identifier, password)
        assert response.status_code == 401
        assert errors(response) == [("CNX-MDP", "Identifiant ou mot de passe incorrect.")]
        assert "set-cookie" not in response.headers
    assert client.get("/api/espace").status_code == 401


def test_session_cookie_is_httponly_lax_and_renewed_at_login(api, client):
    person = api.seed_person()
    api.register(person)
    first = api.login(person["nir"])
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    old_id = client.cookies["session"]
    api.login(person["nir"])
    assert client.cookies["session"] != old_id
    client.cookies.set("session", old_id)
    assert client.get("/api/espace").status_code == 401  # the previous session ended
    api.login(person["nir"])
    assert client.delete("/api/session").status_code == 204
    assert client.get("/api/espace").status_code == 401


def test_malformed_body_answers_in_the_error_format(client):
    reg_id = client.post("/api/inscriptions", json={}).json()["id"]
    response = client.post(f"/api/inscriptions/{reg_id}/etat-civil", json={"sans_nir": "peut-être"})
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["message"].startswith("Requête invalide")
    response = client.post("/api/inscriptions", json={"prestation": "inconnue"})
    assert errors(response) == [("NAV-CHOIX-PRESTATION", "Choisissez une prestation parmi celles proposées.")]
