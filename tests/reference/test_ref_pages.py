"""The pages: navigation ① ② ③, the journey ④ to ⑨ by forms, accessibility, « Mon espace »."""

from __future__ import annotations

import re

import pytest
from refhelpers import PASSWORD, Page, civil_status, csrf_token, make_person

from moncompte.steps.drivers.accessibility import horizontal_overflow

FIELDS = {
    "etat-civil": [
        "Numéro de sécurité sociale",
        "Je n'ai pas de numéro de sécurité sociale",
        "Civilité",
        "Nom de naissance",
        "Prénoms",
        "Date de naissance",
        "Lieu de naissance",
        "Votre question",
    ],
    "piece-identite": ["Type de titre d'identité", "Numéro du titre d'identité", "Votre question"],
    "coordonnees": ["Adresse e-mail", "Numéro de téléphone portable", "Votre question"],
    "code": ["Code de confirmation", "Votre question"],
    "mot-de-passe": ["Mot de passe", "Votre question"],
}


def get(client, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return Page.of(response.text)


def post(client, path: str, data: dict, status: int = 200) -> Page:
    response = client.post(path, data=data | {"csrf": csrf_token(client)})
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    return Page.of(response.text)


def check_labels(page: Page) -> None:
    """Every visible control has a <label for> (hidden inputs excepted)."""
    labelled = {e.attrs.get("for") for e in page.find("label")}
    controls = [
        e for e in page.elements if e.tag in ("input", "select", "textarea") and e.attrs.get("type") != "hidden"
    ]
    assert controls and all(c.attrs["id"] in labelled for c in controls)


def test_navigation_follows_the_guide(client):
    home = get(client, "/")
    assert home.link("Mon Compte") == "/mon-compte"
    (icon,) = home.find("a", **{"aria-label": "Mon Compte"})
    assert "header" in icon.parents
    demarches = get(client, get(client, home.link("Aides et démarches")).link("Mes démarches"))
    (section,) = [s for s in demarches.find("section") if s.attrs.get("aria-labelledby")]
    assert demarches.by_id(section.attrs["aria-labelledby"]).text == "Faites une demande de prestation en ligne"
    theme = get(client, demarches.link("Logement"))
    prestation = get(client, theme.link("Aide personnalisée au logement (APL)"))
    assert "Faire la demande" in prestation.buttons()

    choice = post(client, "/prestations/apl/demande", {})  # not logged in: create an account first
    assert choice.link("Se connecter") == "/connexion?prestation=apl"
    assert "Commencer" in get(client, choice.link("Créer un compte")).buttons()
    shortcut = get(client, "/mon-compte")  # the « Mon Compte » icon leads straight to ③
    assert shortcut.link("Créer un compte") == "/creer-un-compte" and shortcut.link("Se connecter") == "/connexion"


def walk_pages(client, person: dict, *, email: str, prestation: str = "") -> list[Page]:
    """Steps ③ to ⑨ through the forms; returns the page shown after each step."""
    pages = [post(client, "/creer-un-compte", {"prestation": prestation})]
    form = civil_status(person)
    form["sans_nir"] = "1" if form.pop("sans_nir") else ""
    pages.append(post(client, "/inscription/etat-civil", form))
    pages.append(post(client, "/inscription/piece-identite", person["pieces"][0]))
    pages.append(post(client, "/inscription/coordonnees", {"email": email, "mobile": ""}))
    messages = client.get("/__outbox__", params={"to": email}).json()
    code = re.search(r"\b\d{6}\b", messages[-1]["body"]).group()
    pages.append(post(client, "/inscription/code", {"code": code}))
    pages.append(post(client, "/inscription/mot-de-passe", {"mot_de_passe": PASSWORD}))
    return pages


def test_whole_journey_through_the_pages(api, client):
    person = api.seed_person(nom="Lefèvre", prenoms="Anaïs")
    pages = walk_pages(client, person, email="anais@exemple.fr", prestation="apl")
    for number, (page, path) in enumerate(zip(pages, FIELDS), start=1):
        assert f"Étape {number} sur 6" in page.text
        assert [" ".join(e.text.split()) for e in page.find("label")] == FIELDS[path]
        check_labels(page)
    recap = pages[-1]
    assert "Étape 6 sur 6" in recap.text and recap.texts("h1") == ["Récapitulatif"]
    terms = dict(zip(recap.texts("dt"), recap.texts("dd")))
    assert terms == {
        "Numéro de sécurité sociale": person["nir"],
        "Civilité": "Madame",
        "Nom de naissance": "LEFÈVRE",
        "Prénoms": "Anaïs",
        "Date de naissance": "15/03/1990",
        "Lieu de naissance": "75056",
        "Type de titre d'identité": "Passeport français",
        "Numéro du titre d'identité": "•••••" + person["pieces"][0]["numero_titre"][-4:],
        "Adresse e-mail": "anais@exemple.fr",
    }
    assert PASSWORD not in recap.text

    login = get(client, recap.link("Se connecter"))
    espace = post(
        client,
        "/connexion",
        {
            "identifiant": person["nir"],
            "mot_de_passe": PASSWORD,
            "prestation": login.find("input", name="prestation")[0].attrs["value"],
        },
    )
    assert espace.texts("h1") == ["Mon espace"] and "Pas encore allocataire" in espace.text
    assert {a.text for a in espace.find("a")} >= {
        "Faire une demande de prestation",
        "Suivre mes démarches",
        "Gérer le dossier",
        "Consulter mes données personnelles",
        "Modifier mes coordonnées de contact",
    }
    assert "Déclarer une séparation" not in espace.text
    # ACCES-COMPTE-REQUIS: the prestation chosen before registering can now be requested.
    assert espace.link("Continuer ma demande : Aide personnalisée au logement (APL)") == "/prestations/apl"
    demarches = post(client, "/prestations/apl/demande", {})
    assert demarches.texts("td")[:2] == ["Aide personnalisée au logement (APL)", "En cours d'instruction"]
    assert "Continuer ma demande" not in get(client, "/espace").text


def test_a_long_email_address_wraps_on_a_small_screen(api, client, page):
    """The code page (⑦) writes the address the code went to: a long one wraps at 360 px instead of making
    the page scroll sideways (A11Y-PETIT-ECRAN; generated addresses of 40 characters and more did)."""
    email = "marie.christine.delafontaine.saintgervais@mairiedesaintremylescheveuse.exemple.fr"  # no hyphen to break at
    code_page = walk_pages(client, api.seed_person(), email=email)[3]
    assert email in code_page.text
    page.set_content(code_page.source)
    assert horizontal_overflow(page, 360, 740) is None


def test_provisional_identifier_is_shown_and_logs_in(api, client):
    person = api.seed_person(with_nir=False, place="99350")
    pages = walk_pages(client, person, email="sans.nir@exemple.fr")
    status = " ".join(pages[1].texts("div", role="status"))
    provisional = re.search(r"Votre identifiant provisoire : (P\d{9})", status).group(1)
    terms = dict(zip(pages[-1].texts("dt"), pages[-1].texts("dd")))
    assert terms["Identifiant provisoire"] == provisional
    espace = post(client, "/connexion", {"identifiant": provisional, "mot_de_passe": PASSWORD})
    assert f"Identifiant : {provisional}" in espace.text


def test_no_french_document_button_and_justificatif(api, client):
    person = api.seed_person(pieces=False)
    post(client, "/creer-un-compte", {})
    form = civil_status(person)
    form.pop("sans_nir")
    page = post(client, "/inscription/etat-civil", form)
    assert "Je ne dispose pas d'une pièce d'identité française" in page.buttons()
    page = post(client, "/inscription/piece-identite", {"sans_piece_francaise": "1"})
    assert "Étape 3 sur 6" in page.text


def test_errors_are_announced_and_fields_marked(api, client):
    person = api.seed_person()
    post(client, "/creer-un-compte", {})
    form = civil_status(person, nir="123", lieu_naissance="")
    form.pop("sans_nir")
    page = post(client, "/inscription/etat-civil", form, status=422)
    assert "Le numéro de sécurité sociale doit comporter 15 caractères" in page.alert
    assert "Ce champ est obligatoire : Lieu de naissance." in page.alert
    for label, message in [
        ("Numéro de sécurité sociale", "15 caractères"),
        ("Lieu de naissance", "Ce champ est obligatoire : Lieu de naissance."),
    ]:
        field = page.field(label)
        assert field.attrs["aria-invalid"] == "true"
        described = [page.by_id(i).text for i in field.attrs["aria-describedby"].split()]
        assert any(message in text for text in described)
    assert page.field("Nom de naissance").attrs.get("aria-invalid") is None
    assert page.field("Nom de naissance").attrs["value"] == "Martin"  # what was typed is kept
    assert "Étape 1 sur 6" in page.text
    assert "Étape 1 sur 6" in get(client, "/inscription/piece-identite").text  # not advanced


def test_password_rule_is_under_the_field(api, client):
    reg_id = api.register(api.seed_person(), until="mot_de_passe")  # reached through the API…
    client.cookies.set("inscription", reg_id)  # …and continued on the pages
    page = get(client, "/inscription/mot-de-passe")
    field = page.field("Mot de passe")
    assert field.attrs["type"] == "password"
    rule = page.by_id(field.attrs["aria-describedby"]).text
    assert rule == (
        "Il doit faire entre 8 et 24 caractères et se composer d'au moins 1 chiffre,"
        " 1 lettre majuscule et 1 lettre minuscule."
    )
    page = post(client, "/inscription/mot-de-passe", {"mot_de_passe": "court"}, status=422)
    assert "Le mot de passe doit faire entre 8 et 24 caractères." in page.alert
    assert page.field("Mot de passe").attrs.get("value") is None  # never sent back


def test_journey_pages_redirect_to_the_current_step(client):
    assert client.get("/inscription/code", follow_redirects=False).headers["location"] == "/creer-un-compte"
    post(client, "/creer-un-compte", {})
    response = client.get("/inscription/mot-de-passe", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/inscription/etat-civil?trop_tot=mot-de-passe"


def test_password_page_before_the_code_says_why(api, client):
    reg_id = api.register(api.seed_person(), until="code")
    client.cookies.set("inscription", reg_id)
    page = get(client, "/inscription/mot-de-passe")  # redirected to the code page, with the reason
    assert "Étape 4 sur 6" in page.text
    assert "Confirmez d'abord vos coordonnées de contact avec le code reçu" in page.alert


def test_chatbot_panel_answers_on_journey_pages(client):
    post(client, "/creer-un-compte", {})
    page = get(client, "/inscription/etat-civil?question=Combien+de+caract%C3%A8res+pour+le+MOT+DE+PASSE+%3F")
    (form,) = [f for f in page.find("form") if f.attrs.get("method") == "get"]
    assert page.by_id(form.attrs["aria-labelledby"]).text == "Une question ?"
    assert "Demander au Chatbot" in page.buttons()
    (answer,) = page.find("section", **{"aria-label": "Réponse du Chatbot"})
    assert "(Règle MDP-LONGUEUR)" in answer.text


@pytest.mark.parametrize("role, allowed", [("responsable", True), ("conjoint", False)])
def test_espace_offers_only_the_allowed_actions(api, client, role, allowed):
    members = {"responsable": make_person(civilite="Monsieur", nom="Petit"), "conjoint": make_person(nom="Blanc")}
    api.seed_foyer(members)
    api.register(members[role])
    espace = post(client, "/connexion", {"identifiant": members[role]["nir"], "mot_de_passe": PASSWORD})
    links = {" ".join(a.text.split()) for a in espace.find("a")}
    assert ("Faire une demande de prestation" in links) is allowed
    assert ("Gérer le dossier" in links) is allowed
    assert "Déclarer une séparation" in links
    response = client.get("/espace/demande-de-prestation")
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "ne permet pas cette action : Faire une demande de prestation." in Page.of(response.text).alert
        refused = client.post("/prestations/apl/demande", data={"csrf": csrf_token(client)})
        assert refused.status_code == 403 and "ne permet pas cette action" in Page.of(refused.text).alert


def test_procuration_buttons_for_the_responsable(api, client):
    members = {"responsable": make_person(civilite="Monsieur", nom="Petit"), "conjoint": make_person(nom="Blanc")}
    api.seed_foyer(members)
    api.register(members["responsable"])
    espace = post(client, "/connexion", {"identifiant": members["responsable"]["nir"], "mot_de_passe": PASSWORD})
    assert "Donner procuration" in espace.buttons()
    espace = post(client, "/espace/procuration", {"accordee": "1"})
    assert "Retirer la procuration" in espace.buttons()
    espace = post(client, "/espace/procuration", {"accordee": "0"})
    assert "Donner procuration" in espace.buttons()


def test_demande_form_then_suivre_mes_demarches(api, client):
    person = api.seed_person()
    api.register(person)
    post(client, "/connexion", {"identifiant": person["nir"], "mot_de_passe": PASSWORD})
    page = get(client, "/espace/demande-de-prestation")
    assert [" ".join(e.text.split()) for e in page.find("label")] == ["Thème", "Prestation"]
    page = post(client, "/espace/demande-de-prestation", {"theme": "logement", "prestation": "rsa"}, status=422)
    assert "Cette prestation ne fait pas partie du thème choisi." in page.alert
    page = post(client, "/espace/demande-de-prestation", {"theme": "solidarite-et-insertion", "prestation": "rsa"})
    assert page.texts("h1") == ["Suivre mes démarches"]
    assert page.texts("th") == ["Prestation", "Statut", "Date"]
    assert page.texts("td")[:2] == ["Revenu de solidarité active (RSA)", "En cours d'instruction"]


def test_espace_pages_need_a_login(client):
    for path in ("/espace", "/espace/demarches", "/espace/separation"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/connexion"


def test_wrong_login_shows_the_generic_message(client):
    page = post(client, "/connexion", {"identifiant": "P123456789", "mot_de_passe": "x"}, status=401)
    assert page.alert.endswith("Identifiant ou mot de passe incorrect.")
    assert page.field("Identifiant").attrs["aria-invalid"] == "true"


def test_changing_contact_details_in_mon_espace_asks_for_a_code_sent_to_the_new_address(api, client):
    """Security (low finding): the new contact detail was saved at once, with no code sent to it."""
    person = api.seed_person()
    api.register(person)
    token = csrf_token(client, "/connexion")
    client.post("/connexion", data={"csrf": token, "identifiant": person["nir"], "mot_de_passe": PASSWORD})
    token = csrf_token(client, "/espace/coordonnees")
    page = client.post("/espace/coordonnees", data={"csrf": token, "email": "nouvelle@exemple.fr", "mobile": ""})
    assert page.status_code == 200 and "Un code de confirmation a été envoyé à nouvelle@exemple.fr" in page.text
    code = api.last_code("nouvelle@exemple.fr")
    token = csrf_token(client, "/espace/coordonnees")
    done = client.post("/espace/coordonnees/confirmation", data={"csrf": token, "code": code}, follow_redirects=True)
    assert "Vos coordonnées de contact ont été enregistrées." in done.text
    assert "nouvelle@exemple.fr" in client.get("/espace/donnees-personnelles").text


def test_without_a_french_document_the_recap_and_mon_espace_say_the_justificatif_is_awaited(api, client):
    """Security finding 1, through the pages: an account made « sans pièce d'identité française » for the
    responsable of a foyer gets none of the foyer's role, and the recap and « Mon espace » say why."""
    from moncompte.reference_impl.service import MSG_JUSTIFICATIF_EN_ATTENTE

    responsable = api.seed_person(civilite="Monsieur", nom="Durand", pieces=False)
    api.seed_foyer({"responsable": responsable, "conjoint": api.seed_person()}, procuration=True)
    post(client, "/creer-un-compte", {})
    form = civil_status(responsable)
    form.pop("sans_nir")
    post(client, "/inscription/etat-civil", form)
    post(client, "/inscription/piece-identite", {"sans_piece_francaise": "1"})
    post(client, "/inscription/coordonnees", {"email": "sans.piece@exemple.fr", "mobile": ""})
    post(client, "/inscription/code", {"code": api.last_code("sans.piece@exemple.fr")})
    recap = post(client, "/inscription/mot-de-passe", {"mot_de_passe": PASSWORD})
    terms = dict(zip(recap.texts("dt"), recap.texts("dd")))
    assert terms["Pièce d'identité"] == "Je ne dispose pas d'une pièce d'identité française"
    assert terms["Justificatif en attente"] == MSG_JUSTIFICATIF_EN_ATTENTE

    espace = post(client, "/connexion", {"identifiant": responsable["nir"], "mot_de_passe": PASSWORD})
    assert f"Justificatif en attente : {MSG_JUSTIFICATIF_EN_ATTENTE}" in espace.text
    assert "Votre rôle : Pas encore allocataire." in espace.text
    assert "Déclarer une séparation" not in {a.text for a in espace.find("a")}
    assert "Procuration" not in espace.texts("h2") and "Retirer la procuration" not in espace.buttons()
    dossier = dict(zip(*(get(client, "/espace/dossier").texts(t) for t in ("dt", "dd"))))
    assert dossier == {"Dossier": "Dossier personnel", "Demandes": "0"}  # not the foyer's file
