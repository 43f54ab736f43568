"""Auto-test du site de recette indépendant (tests/other_site) : il ne dépend que du site.

Le site tourne dans un fil d'exécution sur un port libre de 127.0.0.1, avec un serveur SMTP
(aiosmtpd) et une passerelle SMS HTTP en mémoire ; le parcours est joué avec httpx.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import json
import re
import subprocess
import sys
import threading
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from moncompte.net import free_port
from tests.other_site import create_app
from tests.other_site.registry import Registre
from tests.other_site.validation import chiffre_controle, cle_nir

RACINE = Path(__file__).resolve().parents[1]
MDP = "Recette-2025-Caf"


# --------------------------------------------------------------------------- doublures
class _Boite:
    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - API aiosmtpd
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg.get_body().get_content()))
        return "250 OK"

    def pour(self, adresse: str) -> list[str]:
        return [texte for dest, texte in self.messages if adresse in dest]


class _Sms(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        corps = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.recus.append(json.loads(corps))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"statut": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def doublures():
    boite = _Boite()
    smtp = Controller(boite, hostname="127.0.0.1", port=free_port())
    smtp.start()
    sms = ThreadingHTTPServer(("127.0.0.1", 0), _Sms)
    sms.recus = []  # type: ignore[attr-defined]
    threading.Thread(target=sms.serve_forever, daemon=True).start()
    yield boite, smtp.port, sms
    sms.shutdown()
    smtp.stop()


class Site:
    def __init__(self, app, serveur):
        self.app = app
        self.serveur = serveur
        self.url = f"http://127.0.0.1:{serveur.server_port}"
        self.registre = app.etat.registre

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=True, timeout=10)

    def avancer(self, secondes: float) -> None:
        self.app.etat.decalage += secondes


@pytest.fixture(scope="module")
def fabrique(doublures):
    boite, port_smtp, sms = doublures
    registre = Registre(1)
    serveurs = []

    def creer(*ecarts: str) -> Site:
        app = create_app(
            ecarts=ecarts,
            smtp_host="127.0.0.1",
            smtp_port=port_smtp,
            sms_url=f"http://127.0.0.1:{sms.server_port}/sms",
            registre=registre,
        )
        serveur = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=serveur.serve_forever, daemon=True).start()
        serveurs.append(serveur)
        return Site(app, serveur)

    yield creer
    for s in serveurs:
        s.shutdown()


@pytest.fixture(scope="module")
def site(fabrique):
    return fabrique()


# --------------------------------------------------------------------------- outils HTML
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def _attr(balise: str, nom: str) -> str | None:
    m = re.search(rf'\b{nom}="([^"]*)"', balise)
    return html.unescape(m.group(1)) if m else None


def formulaire(reponse: httpx.Response, bouton: str) -> tuple[str, str, dict]:
    """(méthode, URL absolue, champs cachés) du formulaire contenant le bouton."""
    for m in _FORM.finditer(reponse.text):
        attrs, corps = m.groups()
        if re.search(
            r"<button[^>]*>\s*"
            + re.escape(html.escape(bouton, quote=True).replace("&#x27;", "&#39;"))
            + r"\s*</button>",
            corps,
        ) or re.search(r"<button[^>]*>\s*" + re.escape(bouton) + r"\s*</button>", corps):
            caches = {}
            for inp in re.finditer(r"<input\b[^>]*>", corps):
                if _attr(inp.group(0), "type") == "hidden":
                    caches[_attr(inp.group(0), "name")] = _attr(inp.group(0), "value") or ""
            return (
                (_attr(attrs, "method") or "get").lower(),
                urljoin(str(reponse.url), _attr(attrs, "action") or ""),
                caches,
            )
    raise AssertionError(f"bouton « {bouton} » introuvable sur {reponse.url}")


def soumettre(client: httpx.Client, reponse: httpx.Response, bouton: str, **champs) -> httpx.Response:
    methode, url, caches = formulaire(reponse, bouton)
    donnees = {**caches, **champs}
    if methode == "get":
        return client.get(url, params=donnees)
    return client.post(url, data=donnees)


def lien(reponse: httpx.Response, texte: str, dans: str | None = None) -> str:
    source = reponse.text
    if dans:
        source = re.search(rf"<{dans}\b.*?</{dans}>", source, re.S).group(0)
    for m in re.finditer(r"<a\b([^>]*)>(.*?)</a>", source, re.S):
        visible = re.sub(r"<[^>]+>", "", m.group(2))
        if " ".join(html.unescape(visible).split()) == texte:
            return urljoin(str(reponse.url), _attr(m.group(1), "href"))
    raise AssertionError(f"lien « {texte} » introuvable sur {reponse.url}")


def alerte(reponse: httpx.Response) -> str:
    m = re.search(r'<div[^>]*role="alert"[^>]*>(.*?)</div>', reponse.text, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))) if m else ""


def texte(reponse: httpx.Response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", reponse.text)).split())


# --------------------------------------------------------------------------- parcours
def champs_identite(p) -> dict:
    return {
        "nir": p.nir,
        "sans_nir": "" if p.nir else "oui",
        "civilite": p.civilite,
        "nom": p.nom,
        "prenoms": p.prenoms,
        "jour": f"{p.naissance.day:02d}",
        "mois": f"{p.naissance.month:02d}",
        "annee": str(p.naissance.year),
        "lieu": p.lieu.nom,
    }


def commencer(client: httpx.Client) -> httpx.Response:
    r = client.get("/creer-mon-compte")
    r = client.get(lien(r, "Commencer"))
    assert "Étape 1 sur 6" in r.text
    return r


_compteur = iter(range(10_000))


def contact_unique(canal: str) -> str:
    n = next(_compteur)
    return f"usager{n}@exemple.fr" if canal == "email" else f"06 {10 + n // 100:02d} {n % 100:02d} 00 00"


def dernier_code(doublures, canal: str, contact: str) -> str:
    boite, _port, sms = doublures
    if canal == "email":
        textes = boite.pour(contact)
    else:
        textes = [m["texte"] for m in sms.recus if m["destinataire"] == contact]
    assert textes, f"aucun code reçu pour {contact}"
    return re.search(r"\b(\d{6})\b", textes[-1]).group(1)


def jusqu_au_code(client, r, p, doublures, canal="email", contact=None, sans_piece=False):
    r = soumettre(client, r, "Continuer", **champs_identite(p))
    assert "Étape 2 sur 6" in r.text, alerte(r)
    if sans_piece or not p.piece_type:
        r = soumettre(client, r, "Je ne dispose pas d'une pièce d'identité française")
    else:
        r = soumettre(client, r, "Vérifier ma pièce d'identité", type_piece=p.piece_type, numero=p.piece_numero)
    assert "Étape 3 sur 6" in r.text, alerte(r)
    contact = contact or contact_unique(canal)
    r = soumettre(
        client,
        r,
        "Envoyer le code",
        canal=canal,
        **({"email": contact} if canal == "email" else {"telephone": contact}),
    )
    assert "Étape 4 sur 6" in r.text, alerte(r)
    return r, contact


def creer_compte(site, doublures, p, canal="email", sans_piece=False) -> httpx.Response:
    with site.client() as client:
        r = commencer(client)
        r, contact = jusqu_au_code(client, r, p, doublures, canal, sans_piece=sans_piece)
        dest = contact if canal == "email" else "+33" + "".join(contact.split())[1:]
        r = soumettre(client, r, "Valider", code=dernier_code(doublures, canal, dest))
        assert "Étape 5 sur 6" in r.text, alerte(r)
        r = soumettre(client, r, "Valider", mot_de_passe=MDP, confirmation=MDP)
        assert "Récapitulatif de votre inscription" in r.text, alerte(r)
        return r


def connecter(site, identifiant: str, mdp: str = MDP) -> tuple[httpx.Client, httpx.Response]:
    client = site.client()
    r = client.get("/connexion")
    r = soumettre(client, r, "Se connecter", identifiant=identifiant, mot_de_passe=mdp)
    return client, r


def personne(site, role, pris=set(), **filtres):
    for p in site.registre.personnes:
        if (
            p.role_export == role
            and p.ident not in pris
            and all((f(p) if callable(f) else getattr(p, k) == f) for k, f in filtres.items())
        ):
            pris.add(p.ident)
            return p
    raise AssertionError(f"aucune personne {role} {filtres}")


def age(p) -> int:
    d, n = dt.date.today(), p.naissance
    return d.year - n.year - ((d.month, d.day) < (n.month, n.day))


# --------------------------------------------------------------------------- tests
def test_liste_ecarts_et_export(tmp_path):
    sortie = subprocess.run(
        [sys.executable, "-m", "tests.other_site", "--liste-ecarts"],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    noms = [ligne.split("\t")[0] for ligne in sortie.splitlines()]
    assert len(noms) >= 13 and "piece-non-verifiee" in noms and "procuration-ignoree" in noms
    fichier = tmp_path / "identites.csv"
    create_app(export=str(fichier))
    lignes = fichier.read_text(encoding="utf-8").splitlines()
    assert lignes[0] == (
        "civilite,nom_naissance,prenoms,date_naissance,lieu_naissance,code_insee,nir,"
        "piece_type,piece_numero,role,foyer,procuration"
    )
    import csv

    rangs = list(csv.DictReader(lignes))
    roles = {r["role"] for r in rangs}
    assert roles == {
        "non_allocataire",
        "responsable",
        "conjoint_sans_procuration",
        "conjoint_avec_procuration",
        "enfant",
        "personne_a_charge",
    }
    for r in rangs:
        if r["nir"]:
            assert int(r["nir"][13:]) == cle_nir(r["nir"][:13])
            assert r["nir"][5:10] in (r["code_insee"], "20" + r["code_insee"][2:])
    assert len({r["piece_numero"] for r in rangs if r["piece_numero"]}) == sum(1 for r in rangs if r["piece_numero"])


def test_parcours_complet_par_email(site, doublures):
    p = personne(site, "non_allocataire", piece_type="cni", lieu=lambda q: q.lieu.genre == "metropole")
    with site.client() as client:
        r = client.get("/")
        for nom, valeur in (
            ("content-security-policy", "frame-ancestors"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", ""),
        ):
            assert valeur in r.headers[nom]
        assert lien(r, "Mon Compte", dans="header")
        r = client.get(lien(r, "Aides et démarches", dans="header"))
        r = client.get(lien(r, "Mes démarches"))
        assert re.search(r'<section[^>]*aria-labelledby="([^"]+)"', r.text)
        assert "Faites une demande de prestation en ligne" in r.text
        r = client.get(lien(r, "Se loger"))
        r = soumettre(client, r, "Faire la demande")
        assert formulaire(r, "Créer un compte")[0] == "get"
        r = soumettre(client, r, "Créer un compte")
        assert re.search(r'<a class="fr-btn" href="[^"]+">Commencer</a>', r.text)
        r = client.get(lien(r, "Commencer"))
        assert "Étape 1 sur 6" in r.text and "<h1>" in r.text
        # le mot de passe n'est pas accessible avant la confirmation du code
        url_mdp = str(r.url).replace("etat-civil", "mot-de-passe")
        assert 'type="password"' not in client.get(url_mdp).text
        r, adresse = jusqu_au_code(client, r, p, doublures, "email")
        r = soumettre(client, r, "Valider", code=dernier_code(doublures, "email", adresse))
        assert "Étape 5 sur 6" in r.text
        assert re.search(r'id="mot_de_passe"[^>]*aria-describedby="mot_de_passe-aide"', r.text)
        assert "entre 12 et 64 caractères" in r.text
        r = soumettre(client, r, "Valider", mot_de_passe=MDP, confirmation=MDP)
        assert "Récapitulatif de votre inscription" in r.text
        recap = dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', html.unescape(r.text)))
        assert recap["Nom de naissance"] == p.nom and recap["Lieu de naissance"] == p.lieu.nom
        assert recap["Date de naissance"] == p.naissance.strftime("%d/%m/%Y")
        assert recap["Pièce d'identité"].endswith("●" + p.piece_numero[-4:])
        assert recap["Adresse électronique"] == adresse and MDP not in r.text and "<dl" not in r.text
        assert "".join(recap["N° de sécurité sociale"].split()) == p.nir
    espace_client, r = connecter(site, " ".join([p.nir[:1], p.nir[1:7], p.nir[7:]]))
    with closing(espace_client):
        assert "<h1>Mon espace</h1>" in r.text and p.nom in html.unescape(r.text)
        assert "Déclarer une séparation" not in r.text  # pas encore allocataire
        r = espace_client.get(lien(r, "Faire une demande de prestation"))
        r = soumettre(espace_client, r, "Envoyer ma demande", prestation="LOG01")
        assert "Suivre mes démarches" in r.text and "En cours d&#39;instruction" in r.text
        assert re.search(r"<th[^>]*>Prestation</th><th[^>]*>Date</th><th[^>]*>Statut</th>", r.text)
        # sécurité de la session
        assert espace_client.cookies.get("caf_session")
        r = espace_client.post("/espace/demande-prestation", data={"prestation": "LOG02"})
        assert r.status_code in (400, 403)
        r = espace_client.get("/espace")
        r = soumettre(espace_client, r, "Se déconnecter")
        assert "Mon espace" not in r.text
    # demande postée sans être connecté : refusée
    with site.client() as anonyme:
        assert anonyme.post("/espace/demande-prestation", data={"prestation": "LOG01"}).status_code == 401
    # deuxième compte avec le même NIR : refusé à l'étape ④, avec un lien de connexion
    with site.client() as client:
        r = soumettre(client, commencer(client), "Continuer", **champs_identite(p))
        assert "Un compte existe déjà" in alerte(r) and "Se connecter" in r.text


def test_parcours_par_sms_sans_nir(site, doublures):
    p = personne(site, "non_allocataire", nir="", piece_type="titre_sejour")
    _boite, _port, sms = doublures
    with site.client() as client:
        r = commencer(client)
        r = soumettre(client, r, "Continuer", **champs_identite(p))
        ident = re.search(r"Votre identifiant provisoire : <strong>(T\d{10})</strong>", r.text).group(1)
        numero = p.piece_numero + str(chiffre_controle(p.piece_numero))  # avec chiffre de contrôle
        r = soumettre(client, r, "Vérifier ma pièce d'identité", type_piece="titre_sejour", numero=numero)
        assert "Étape 3 sur 6" in r.text, alerte(r)
        r = soumettre(client, r, "Envoyer le code", canal="sms", telephone="0692 40 41 42", email="")
        assert sms.recus[-1]["destinataire"] == "+262692404142"
        assert "Caf" in sms.recus[-1]["texte"]
        r = soumettre(client, r, "Valider", code=dernier_code(doublures, "sms", "+262692404142"))
        r = soumettre(client, r, "Valider", mot_de_passe=MDP, confirmation=MDP)
        assert ident in r.text and "Téléphone portable" in r.text
    client, r = connecter(site, ident.lower())
    with closing(client):
        assert "<h1>Mon espace</h1>" in r.text and ident in r.text


def test_refus_etat_civil(site, doublures):
    p = personne(site, "non_allocataire", piece_type="cni")
    enfant15 = personne(site, "enfant", naissance=lambda q: age(q) == 15)
    jour = dt.date.today()
    enfant16 = personne(
        site,
        "enfant",
        naissance=lambda q: age(q) == 16 and (q.naissance.month, q.naissance.day) == (jour.month, jour.day),
    )
    mauvaise_cle = p.nir[:13] + f"{(int(p.nir[13:]) % 97) + 1:02d}"
    nia = "7" + p.nir[1:13]
    nia += f"{cle_nir(nia):02d}"
    cas = [
        ({"nir": mauvaise_cle}, "nir", "clé"),
        ({"nir": nia}, "nir", "Je n'ai pas de numéro de sécurité sociale"),
        ({"civilite": "F" if p.civilite == "M" else "M"}, "nir", "civilité"),
        ({"nom": "A" * 61}, "nom", "60 caractères"),
        ({"prenoms": "Jean3"}, "prenoms", "lettres"),
        ({"annee": str(dt.date.today().year + 1)}, "date", "futur"),
        ({"jour": "31", "mois": "02"}, "date", "n'existe pas"),
        ({"lieu": "Atlantide"}, "lieu", "ne trouvons pas"),
    ]
    with site.client() as client:
        r0 = commencer(client)
        for modif, champ, attendu in cas:
            r = soumettre(client, r0, "Continuer", **{**champs_identite(p), **modif})
            assert r.status_code == 422 and "Étape 1 sur 6" in r.text, modif
            assert attendu in html.unescape(alerte(r)), (modif, alerte(r))
            ident = "date-jour" if champ == "date" else champ
            assert re.search(
                rf'id="{ident}"[^>]*aria-describedby="[^"]*{champ}-erreur"[^>]*aria-invalid="true"', r.text
            ), modif
        # les valeurs saisies sont conservées
        assert 'value="Atlantide"' in r.text
        r = soumettre(client, r0, "Continuer", **champs_identite(enfant15))
        assert "à partir de 16 ans" in alerte(r)
        r = soumettre(client, r0, "Continuer", **champs_identite(enfant16))
        assert "Étape 2 sur 6" in r.text, alerte(r)
        # pièce inconnue du registre : refusée ; bouton « sans pièce » : accepté
        r = soumettre(client, r, "Vérifier ma pièce d'identité", type_piece="passeport", numero="18AB12345")
        assert "n'a pas pu être vérifiée" in html.unescape(alerte(r))
        r = soumettre(
            client,
            r,
            "Vérifier ma pièce d'identité",
            type_piece="cni",
            numero=enfant16.piece_numero + str((chiffre_controle(enfant16.piece_numero) + 1) % 10),
        )
        assert "chiffre de contrôle" in alerte(r)
        r = soumettre(client, r, "Vérifier ma pièce d'identité", type_piece="cni", numero=enfant16.piece_numero.lower())
        assert "Étape 3 sur 6" in r.text
        for tel, attendu in (("01 45 67 89 01", "portable"), ("+49 151 12345678", "étrangers"), ("0612", "valide")):
            r2 = soumettre(client, r, "Envoyer le code", canal="sms", telephone=tel)
            assert attendu in alerte(r2), tel
        r2 = soumettre(client, r, "Envoyer le code", canal="email", email="pas-une-adresse")
        assert "n'est pas valide" in html.unescape(alerte(r2))


def test_code_essais_et_renvoi(site, doublures):
    p = personne(site, "non_allocataire", piece_type="passeport")
    with site.client() as client:
        r, adresse = jusqu_au_code(client, commencer(client), p, doublures, "email")
        bon = dernier_code(doublures, "email", adresse)
        faux = f"{(int(bon) + 1) % 10**6:06d}"
        r = soumettre(client, r, "Valider", code="12a")
        assert "6 chiffres" in alerte(r)
        for reste in (4, 3, 2, 1):
            r = soumettre(client, r, "Valider", code=faux)
            assert f"Il vous reste {reste} essai" in alerte(r)
        r = soumettre(client, r, "Valider", code=faux)
        assert "nombre maximal de 5 essais" in alerte(r)
        r = soumettre(client, r, "Valider", code=bon)
        assert "Étape 4 sur 6" in r.text and "nouveau code" in alerte(r)
        nb = len(doublures[0].pour(adresse))
        r = soumettre(client, r, "Renvoyer le code")
        assert r.status_code == 429 and len(doublures[0].pour(adresse)) == nb
        site.avancer(31)
        r = soumettre(client, r, "Renvoyer le code")
        assert len(doublures[0].pour(adresse)) == nb + 1
        nouveau = dernier_code(doublures, "email", adresse)
        if nouveau != bon:
            assert "Étape 4 sur 6" in soumettre(client, r, "Valider", code=bon).text
        site.avancer(15 * 60 + 1)
        assert "expiré" in alerte(soumettre(client, r, "Valider", code=nouveau))
        site.avancer(-(15 * 60 + 1))
        r = soumettre(client, r, "Valider", code=nouveau)
        assert "Étape 5 sur 6" in r.text
        for mdp, attendu in (
            ("court1A", "au moins 12"),
            ("sansmajuscule123", "majuscule"),
            ("SANSMINUSCULE123", "minuscule"),
            ("SansChiffreDuTout", "chiffre"),
        ):
            r2 = soumettre(client, r, "Valider", mot_de_passe=mdp, confirmation=mdp)
            assert attendu in alerte(r2), mdp
        r2 = soumettre(client, r, "Valider", mot_de_passe="Élégance-2025x", confirmation="Autre-2025xyz")
        assert "identiques" in alerte(r2)
        r = soumettre(client, r, "Valider", mot_de_passe="Élégance-2025x", confirmation="Élégance-2025x")
        assert "Récapitulatif de votre inscription" in r.text
    # connexion : message unique, blocage après 5 échecs
    for ident in (p.nir, "299999999999999"):
        client, r = connecter(site, ident, "Mauvais-Mot-2025")
        client.close()
        assert "Identifiant ou mot de passe incorrect." in r.text
    for _ in range(4):
        connecter(site, p.nir, "Mauvais-Mot-2025")[0].close()
    client, r = connecter(site, p.nir, "Élégance-2025x")
    client.close()
    assert "bloquée" in r.text and "Mon espace" not in r.text


def test_csrf_et_roles(site, doublures):
    with site.client() as client:
        r = commencer(client)
        assert client.post(str(r.url), data={"nom": "Martin"}).status_code == 400
    resp = personne(
        site,
        "responsable",
        piece_type="cni",
        foyer=lambda q: any(m.role_export == "conjoint_sans_procuration" for m in site.registre.foyers[q.foyer]),
    )
    conj = next(m for m in site.registre.foyers[resp.foyer] if m.role == "conjoint")
    assert conj.role_export == "conjoint_sans_procuration"
    creer_compte(site, doublures, conj, "sms")
    creer_compte(site, doublures, resp)
    c_conj, r = connecter(site, conj.nir)
    with closing(c_conj):
        assert "Faire une demande de prestation" not in r.text and "Déclarer une séparation" in r.text
        r403 = c_conj.get("/espace/demande-prestation")
        assert r403.status_code == 403 and "Conjoint sans procuration" in r403.text
        jeton = formulaire(r, "Se déconnecter")[2]["csrf_token"]
        assert (
            c_conj.post("/espace/demande-prestation", data={"csrf_token": jeton, "prestation": "LOG01"}).status_code
            == 403
        )
        assert c_conj.post("/espace/procuration", data={"csrf_token": jeton, "action": "accorder"}).status_code == 403
        c_resp, r = connecter(site, resp.nir)
        with closing(c_resp):
            r = soumettre(c_resp, r, "Accorder une procuration", action="accorder")
            assert "Révoquer la procuration" in r.text
        r = c_conj.get("/espace")
        assert "Faire une demande de prestation" in r.text
        r = soumettre(
            c_conj,
            c_conj.get("/espace/declarer-separation"),
            "Déclarer la séparation",
            jour="01",
            mois="01",
            annee="2024",
            certifie="oui",
        )
        assert 'role="status"' in r.text and "séparation" in r.text


# --------------------------------------------------------------------------- écarts
def test_ecart_icone_absente(fabrique):
    r = httpx.get(fabrique("icone-absente").url + "/")
    with pytest.raises(AssertionError):
        lien(r, "Mon Compte", dans="header")


def test_ecart_sans_creer_compte(fabrique):
    with fabrique("sans-creer-compte").client() as client:
        r = client.get("/faire-la-demande", params={"prestation": "FAM01"})
        assert r.url.path == "/connexion" and "Créer un compte</button>" not in r.text


def test_ecart_nir_cle_ignoree(fabrique):
    s = fabrique("nir-cle-ignoree")
    p = personne(s, "non_allocataire", piece_type="cni")
    with s.client() as client:
        r = soumettre(
            client,
            commencer(client),
            "Continuer",
            **{**champs_identite(p), "nir": p.nir[:13] + f"{(int(p.nir[13:]) % 97) + 1:02d}"},
        )
        assert "Étape 2 sur 6" in r.text


def test_ecart_nom_apostrophe_refusee(site, fabrique):
    p = personne(site, "non_allocataire", nom=lambda q: "'" in q.nom)
    for s, refuse in ((site, False), (fabrique("nom-apostrophe-refusee"), True)):
        with s.client() as client:
            r = soumettre(client, commencer(client), "Continuer", **champs_identite(p))
            assert ("Étape 1 sur 6" in r.text) is refuse


def test_ecart_piece_non_verifiee(fabrique):
    s = fabrique("piece-non-verifiee")
    p = personne(s, "non_allocataire", piece_type="cni")
    with s.client() as client:
        r = soumettre(client, commencer(client), "Continuer", **champs_identite(p))
        r = soumettre(client, r, "Vérifier ma pièce d'identité", type_piece="passeport", numero="18AB12345")
        assert "Étape 3 sur 6" in r.text


def test_ecart_fixe_accepte(fabrique, doublures):
    s = fabrique("fixe-accepte")
    p = personne(s, "non_allocataire", piece_type="cni")
    with s.client() as client:
        r, _ = jusqu_au_code(client, commencer(client), p, doublures, "sms", contact="01 45 67 89 02")
    assert doublures[2].recus[-1]["destinataire"] == "+33145678902"


def test_ecart_code_delai(fabrique, doublures):
    s = fabrique("code-delai")
    p = personne(s, "non_allocataire", piece_type="cni")
    with s.client() as client:
        r, adresse = jusqu_au_code(client, commencer(client), p, doublures, "email")
    assert doublures[0].pour(adresse) == []


def test_ecart_tentatives_illimitees(fabrique, doublures):
    s = fabrique("tentatives-illimitees")
    p = personne(s, "non_allocataire", piece_type="cni")
    with s.client() as client:
        r, adresse = jusqu_au_code(client, commencer(client), p, doublures, "email")
        bon = dernier_code(doublures, "email", adresse)
        for _ in range(7):
            r = soumettre(client, r, "Valider", code=f"{(int(bon) + 1) % 10**6:06d}")
        assert "Étape 5 sur 6" in soumettre(client, r, "Valider", code=bon).text


def test_ecart_mdp_sans_majuscule(fabrique, doublures):
    s = fabrique("mdp-sans-majuscule")
    p = personne(s, "non_allocataire", piece_type="cni")
    with s.client() as client:
        r, adresse = jusqu_au_code(client, commencer(client), p, doublures, "email")
        r = soumettre(client, r, "Valider", code=dernier_code(doublures, "email", adresse))
        assert "1 lettre majuscule" in r.text
        r = soumettre(client, r, "Valider", mot_de_passe="sansmajuscule123", confirmation="sansmajuscule123")
        assert "Récapitulatif de votre inscription" in r.text


def test_ecart_recap_sans_lieu(fabrique, doublures):
    s = fabrique("recap-sans-lieu")
    r = creer_compte(s, doublures, personne(s, "non_allocataire", piece_type="cni"))
    assert "Lieu de naissance" not in r.text and "Date de naissance" in r.text


def test_ecart_connexion_id_provisoire(fabrique, doublures):
    s = fabrique("connexion-id-provisoire")
    r = creer_compte(s, doublures, personne(s, "non_allocataire", nir="", piece_type="titre_sejour"))
    ident = re.search(r"T\d{10}", r.text).group(0)
    client, r = connecter(s, ident)
    client.close()
    assert "Identifiant ou mot de passe incorrect." in r.text


def test_ecarts_roles(fabrique, doublures):
    s = fabrique("conjoint-demande")
    conj = personne(s, "conjoint_sans_procuration")
    creer_compte(s, doublures, conj)
    client, r = connecter(s, conj.nir)
    client.close()
    assert "Faire une demande de prestation" in r.text

    s = fabrique("procuration-ignoree")
    conj = personne(s, "conjoint_avec_procuration")
    creer_compte(s, doublures, conj)
    client, r = connecter(s, conj.nir)
    client.close()
    assert "Faire une demande de prestation" not in r.text

    s = fabrique("enfant-15-accepte")
    enfant = personne(s, "enfant", naissance=lambda q: age(q) == 15)
    with s.client() as client:
        r = soumettre(client, commencer(client), "Continuer", **champs_identite(enfant))
        assert "Étape 2 sur 6" in r.text
