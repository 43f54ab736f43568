"""Site de recette « Caf — Espace personnel (recette) » : application Flask.

Tout l'état est en mémoire : un nouveau processus est un nouveau site.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field

from flask import Flask, abort, g, redirect, render_template, request, url_for
from markupsafe import Markup

from . import places
from .ecarts import ECARTS
from .envoi import Expediteur
from .registry import Personne, Registre, cle_identite
from .validation import (TYPES_PIECE, age, controler_mdp,
                         controler_nir_coherence, controler_nir_forme, controler_nom, formater_nir,
                         lire_date, lire_email, lire_mobile, lire_piece, masquer, nettoyer_nir,
                         propre)

CODE_VALIDITE_MINUTES = 15.0  # en production ; réglable en recette (--validite-code)
CODE_ESSAIS = 5
CODE_DELAI_RENVOI = 30
CONNEXION_ECHECS = 5
CONNEXION_FENETRE = 15 * 60
AGE_MINIMUM = 16
COOKIE = "caf_session"

# --------------------------------------------------------------------------- catalogue
THEMES = [
    ("se-loger", "Se loger", "Payer son loyer, déménager, s'installer dans un premier logement.", [
        ("LOG01", "Aide au logement", "Une aide mensuelle pour réduire le montant de votre loyer."),
        ("LOG02", "Prime de déménagement", "Une aide ponctuelle pour les familles nombreuses qui déménagent."),
        ("LOG03", "Aide à la première installation étudiante", "Pour le premier logement d'un étudiant."),
    ]),
    ("famille-et-enfants", "Famille et enfants", "Naissance, garde, scolarité de vos enfants.", [
        ("FAM01", "Prime à la naissance", "Versée avant la naissance de votre enfant."),
        ("FAM02", "Allocation de base du jeune enfant", "Pour vous aider à faire face aux dépenses de votre enfant de moins de 3 ans."),
        ("FAM03", "Allocation de rentrée scolaire", "Pour les dépenses de rentrée des enfants de 6 à 18 ans."),
        ("FAM04", "Complément de libre choix du mode de garde", "Si vous faites garder votre enfant de moins de 6 ans."),
    ]),
    ("travail-et-revenus", "Travail et revenus", "Compléter des revenus modestes, retrouver un emploi.", [
        ("REV01", "Prime d'activité", "Un complément de revenus pour les travailleurs aux ressources modestes."),
        ("REV02", "Revenu de solidarité active", "Un revenu minimum pour les personnes sans ressources ou aux ressources faibles."),
    ]),
    ("handicap-et-dependance", "Handicap et dépendance", "Compenser les dépenses liées au handicap.", [
        ("HAN01", "Allocation aux adultes handicapés", "Un revenu minimum pour les personnes en situation de handicap."),
        ("HAN02", "Allocation d'éducation de l'enfant handicapé", "Pour l'éducation et les soins d'un enfant handicapé."),
        ("HAN03", "Aide au proche aidant", "Pour les personnes qui cessent de travailler pour aider un proche."),
    ]),
]
PRESTATIONS = {code: (nom, slug) for slug, _t, _d, liste in THEMES for code, nom, _x in liste}

ETAPES = ["Identité", "Pièce d'identité", "Coordonnées de contact", "Code de confirmation",
          "Mot de passe", "Récapitulatif"]
ETAPES_URL = ["etat_civil", "piece", "coordonnees", "code", "mot_de_passe", "recapitulatif"]

ROLES_TEXTE = {
    "non_allocataire": "Non allocataire",
    "responsable": "Responsable du dossier",
    "conjoint_avec_procuration": "Conjoint avec procuration",
    "conjoint_sans_procuration": "Conjoint sans procuration",
    "enfant": "Enfant du foyer",
    "personne_a_charge": "Personne à charge",
}
TOUTES = {"demande", "dossier", "donnees", "coordonnees", "separation", "suivi"}
DROITS = {
    "non_allocataire": {"demande", "dossier", "donnees", "coordonnees", "suivi"},
    "responsable": set(TOUTES),
    "conjoint_avec_procuration": set(TOUTES),
    "conjoint_sans_procuration": {"donnees", "coordonnees", "separation"},
    "enfant": {"donnees", "coordonnees", "separation"},
    "personne_a_charge": {"donnees", "coordonnees", "separation"},
}
ACTIONS = {  # clé : (texte du lien, point d'entrée, motif du refus)
    "demande": ("Faire une demande de prestation", "espace_demande",
                "faire une demande de prestation : seuls le responsable du dossier, un conjoint "
                "disposant d'une procuration ou une personne non encore allocataire le peuvent"),
    "dossier": ("Gérer le dossier", "espace_dossier",
                "gérer le dossier : seuls le responsable du dossier, un conjoint disposant d'une "
                "procuration ou une personne non encore allocataire le peuvent"),
    "donnees": ("Consulter mes données personnelles", "espace_donnees", "consulter ces données"),
    "coordonnees": ("Modifier mes coordonnées de contact", "espace_coordonnees",
                    "modifier ces coordonnées"),
    "separation": ("Déclarer une séparation", "espace_separation",
                   "déclarer une séparation : il faut faire partie d'un foyer allocataire"),
    "suivi": ("Suivre mes démarches", "espace_suivi",
              "suivre les démarches du dossier : seuls le responsable du dossier, un conjoint "
              "disposant d'une procuration ou une personne non encore allocataire le peuvent"),
}
ACTION_PAR_POINT = {v[1]: k for k, v in ACTIONS.items()}
CONNEXION_REQUISE = set(ACTION_PAR_POINT) | {"espace", "espace_procuration"}


# --------------------------------------------------------------------------- état
@dataclass
class CodeEnvoye:
    valeur: str
    envoye_a: float
    essais: int = 0
    mort: bool = False
    utilise: bool = False


@dataclass
class Inscription:
    ident: str
    sid: str
    etape: int = 1  # étape à remplir (1 à 6)
    saisie_ec: dict = field(default_factory=dict)
    nir: str = ""
    id_provisoire: str = ""
    civilite: str = ""
    nom: str = ""
    prenoms: str = ""
    naissance: dt.date | None = None
    lieu: places.Lieu | None = None
    personne: Personne | None = None
    piece_type: str = ""
    piece_numero: str = ""
    sans_piece: bool = False
    canal: str = ""
    email: str = ""
    mobile_e164: str = ""
    mobile_affichage: str = ""
    code: CodeEnvoye | None = None
    dernier_envoi: float | None = None
    compte: str = ""


@dataclass
class Compte:
    identifiant: str
    nir: str
    id_provisoire: str
    civilite: str
    nom: str
    prenoms: str
    naissance: dt.date
    lieu: places.Lieu
    personne: Personne | None
    piece_type: str
    piece_numero: str
    justificatif_a_demander: bool
    canal: str
    email: str
    mobile_e164: str
    mobile_affichage: str
    sel: bytes
    empreinte: bytes
    demandes: list = field(default_factory=list)
    evenements: list = field(default_factory=list)


def _hacher(mdp: str, sel: bytes) -> bytes:
    return hashlib.scrypt(mdp.encode("utf-8"), salt=sel, n=2 ** 14, r=8, p=1, dklen=32)


class Etat:
    def __init__(self, registre: Registre, ecarts: set[str], expediteur: Expediteur):
        self.registre = registre
        self.ecarts = ecarts
        self.expediteur = expediteur
        self.verrou = threading.RLock()
        self.sessions: dict[str, dict] = {}
        self.inscriptions: dict[str, Inscription] = {}
        self.comptes: dict[str, Compte] = {}
        self.ids_provisoires: dict[str, str] = {}
        self.echecs: dict[str, list[float]] = {}
        self.procurations = {p.foyer: p.procuration_initiale for p in registre.personnes
                             if p.role == "conjoint"}
        self.decalage = 0.0  # secondes ajoutées à l'horloge (auto-test)

    def maintenant(self) -> float:
        return time.time() + self.decalage

    def aujourd_hui(self) -> dt.date:
        return dt.date.fromtimestamp(self.maintenant())

    def ecart(self, nom: str) -> bool:
        return nom in self.ecarts

    def nouvel_id_provisoire(self) -> str:
        pris = set(self.ids_provisoires.values())
        while True:
            ident = "T" + "".join(secrets.choice("0123456789") for _ in range(10))
            if ident not in pris:
                return ident

    def role(self, compte: Compte) -> str:
        p = compte.personne
        if p is None:
            return "non_allocataire"
        if p.role == "conjoint":
            procuration = self.procurations.get(p.foyer, False) and not self.ecart("procuration-ignoree")
            return "conjoint_avec_procuration" if procuration else "conjoint_sans_procuration"
        return p.role

    def droits(self, compte: Compte) -> set[str]:
        role = self.role(compte)
        droits = set(DROITS[role])
        if role == "conjoint_sans_procuration" and self.ecart("conjoint-demande"):
            droits.add("demande")
        return droits


def duree_lisible(minutes: float) -> str:
    """15 → « 15 minutes », 1 → « 1 minute », 0.5 → « 30 secondes »."""
    if minutes == int(minutes):
        return f"{int(minutes)} minute{'s' if minutes >= 2 else ''}"
    secondes = round(minutes * 60)
    return f"{secondes} seconde{'s' if secondes >= 2 else ''}"


# --------------------------------------------------------------------------- application
def create_app(ecarts=(), smtp_host=None, smtp_port=None, sms_url=None, graine: int = 1,
               export: str | None = None, delai_code: float = 40.0, validite_code: float = CODE_VALIDITE_MINUTES,
               aujourd_hui: dt.date | None = None, registre: Registre | None = None) -> Flask:
    inconnus = set(ecarts) - set(ECARTS)
    if inconnus:
        raise ValueError(f"écart inconnu : {', '.join(sorted(inconnus))}")
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    registre = registre or Registre(graine, aujourd_hui)
    if export:
        registre.exporter(export)
    expediteur = Expediteur(smtp_host, smtp_port, sms_url,
                            delai=delai_code if "code-delai" in ecarts else 0.0,
                            validite=duree_lisible(validite_code))
    etat = Etat(registre, set(ecarts), expediteur)
    app.etat = etat  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ sessions
    def session_courante(creer: bool = False) -> dict | None:
        if getattr(g, "session", None) is not None:
            return g.session
        sid = "" if g.get("sans_cookie") else request.cookies.get(COOKIE, "")
        sess = etat.sessions.get(sid) if sid else None
        if sess is None and creer:
            sid = secrets.token_urlsafe(32)
            sess = {"sid": sid, "csrf": secrets.token_urlsafe(32), "compte": None, "flash": []}
            etat.sessions[sid] = sess
            g.cookie_a_poser = sid
        g.session = sess
        return sess

    def compte_courant() -> Compte | None:
        sess = session_courante()
        if sess and sess.get("compte"):
            return etat.comptes.get(sess["compte"])
        return None

    def flash(message: str) -> None:
        session_courante(creer=True)["flash"].append(message)

    def jeton_csrf() -> str:
        return session_courante(creer=True)["csrf"]

    def champ_csrf() -> Markup:
        return Markup('<input type="hidden" name="csrf_token" value="%s">') % jeton_csrf()

    @app.context_processor
    def contexte():
        sess = session_courante()
        messages = []
        if sess and sess.get("flash"):
            messages, sess["flash"] = sess["flash"], []
        return {"csrf": champ_csrf, "compte": compte_courant(), "ecart": etat.ecart,
                "validite_code": duree_lisible(validite_code),
                "messages": messages, "THEMES": THEMES}

    def page(modele: str, statut: int = 200, **ctx):
        return render_template(modele, **ctx), statut

    def refus(statut: int, titre: str, message: str, lien: tuple[str, str] | None = None):
        return page("refus.html", statut, titre=titre, message=message, lien=lien)

    @app.before_request
    def avant():
        etat.verrou.acquire()
        g.verrou = True
        point = request.endpoint
        if point in CONNEXION_REQUISE:
            compte = compte_courant()
            if compte is None:
                if request.method == "POST":
                    return refus(401, "Connexion requise",
                                 "Vous devez être connecté à votre espace personnel pour effectuer "
                                 "cette action. Aucune donnée n'a été enregistrée.",
                                 (url_for("connexion"), "Se connecter"))
                return redirect(url_for("connexion", suite=request.full_path.rstrip("?")))
            action = ACTION_PAR_POINT.get(point)
            if action and action not in etat.droits(compte):
                return refus_role(compte, action)
        if request.method == "POST":
            sess = session_courante()
            jeton = request.form.get("csrf_token", "")
            if not sess or not jeton or not hmac.compare_digest(jeton, sess["csrf"]):
                return refus(400, "Requête refusée",
                             "Le jeton de sécurité du formulaire est absent ou invalide. Rechargez la "
                             "page et recommencez.")
        return None

    def refus_role(compte: Compte, action: str):
        role = etat.role(compte)
        return refus(403, "Accès refusé",
                     f"Votre profil « {ROLES_TEXTE[role]} » ne vous permet pas de "
                     f"{ACTIONS[action][2]}.", (url_for("espace"), "Retour à Mon espace"))

    @app.teardown_request
    def apres_tout(_exc):
        if g.pop("verrou", False):
            etat.verrou.release()

    @app.after_request
    def entetes(reponse):
        sid = g.pop("cookie_a_poser", None)
        if sid:
            reponse.set_cookie(COOKIE, sid, httponly=True, samesite="Lax", path="/")
        if g.pop("cookie_a_effacer", False) and not sid:
            reponse.delete_cookie(COOKIE, path="/", httponly=True, samesite="Lax")
        reponse.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
        reponse.headers["X-Content-Type-Options"] = "nosniff"
        reponse.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        reponse.headers["X-Frame-Options"] = "DENY"
        reponse.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if reponse.mimetype == "text/html":
            reponse.headers["Cache-Control"] = "no-store"
        return reponse

    @app.errorhandler(404)
    def introuvable(_e):
        return page("refus.html", 404, titre="Page introuvable",
                    message="La page demandée n'existe pas ou n'est plus disponible.",
                    lien=("/", "Retour à l'accueil"))

    @app.errorhandler(405)
    def methode(_e):
        return page("refus.html", 405, titre="Action impossible",
                    message="Cette adresse ne peut pas être utilisée de cette façon.",
                    lien=("/", "Retour à l'accueil"))

    @app.errorhandler(413)
    def trop_gros(_e):
        return page("refus.html", 413, titre="Requête trop volumineuse",
                    message="Les informations envoyées sont trop volumineuses.", lien=None)

    # ------------------------------------------------------------------ pages publiques
    @app.get("/")
    def accueil():
        return page("accueil.html")

    @app.get("/aides-et-demarches")
    def aides():
        return page("aides.html")

    @app.get("/aides-et-demarches/mes-demarches")
    def mes_demarches():
        return page("mes_demarches.html")

    @app.get("/aides-et-demarches/mes-demarches/<slug>")
    def theme(slug):
        for t in THEMES:
            if t[0] == slug:
                return page("theme.html", theme=t)
        abort(404)

    @app.get("/faire-la-demande")
    def faire_la_demande():
        code = request.args.get("prestation", "")
        if code not in PRESTATIONS:
            abort(404)
        compte = compte_courant()
        suite = url_for("faire_la_demande", prestation=code)
        if compte is None:
            if etat.ecart("sans-creer-compte"):
                return redirect(url_for("connexion", suite=suite))
            return page("compte_requis.html", prestation=code, nom_prestation=PRESTATIONS[code][0],
                        suite=suite)
        if "demande" not in etat.droits(compte):
            return refus_role(compte, "demande")
        return page("demande.html", choisie=code)

    @app.get("/mon-compte")
    def mon_compte():
        if compte_courant():
            return redirect(url_for("espace"))
        return page("mon_compte.html")

    @app.get("/creer-mon-compte")
    def creer_compte():
        return page("creer_compte.html", prestation=request.args.get("prestation", ""))

    @app.get("/creer-mon-compte/commencer")
    def commencer():
        sess = session_courante(creer=True)
        ins = Inscription(ident=str(uuid.uuid4()), sid=sess["sid"])
        etat.inscriptions[ins.ident] = ins
        return redirect(url_for("etat_civil", ins=ins.ident))

    # ------------------------------------------------------------------ inscription
    def inscription(ins_id: str, etape: int):
        """L'inscription de la session, ou une réponse (redirection / refus)."""
        sess = session_courante()
        ins = etat.inscriptions.get(ins_id)
        if ins is None or sess is None or ins.sid != sess["sid"]:
            return None, refus(404, "Inscription introuvable",
                               "Cette inscription n'existe pas ou a expiré. Recommencez la création "
                               "de votre compte.", (url_for("creer_compte"), "Créer un compte"))
        if ins.compte and etape != 6:
            return None, redirect(url_for("recapitulatif", ins=ins.ident))
        if etape > ins.etape:
            flash(f"Terminez d'abord l'étape « {ETAPES[ins.etape - 1]} ».")
            return None, redirect(url_for(ETAPES_URL[ins.etape - 1], ins=ins.ident))
        return ins, None

    def rendu_etape(modele: str, ins: Inscription, etape: int, statut: int = 200, **ctx):
        return page(modele, statut, ins=ins, etape=etape, etapes=ETAPES, **ctx)

    @app.route("/creer-mon-compte/<ins>/etat-civil", methods=["GET", "POST"])
    def etat_civil(ins):
        ins, reponse = inscription(ins, 1)
        if reponse:
            return reponse
        if request.method == "GET":
            return rendu_etape("etape_etat_civil.html", ins, 1, v=ins.saisie_ec, erreurs={})
        f = request.form
        v = {k: f.get(k, "") for k in ("nir", "civilite", "nom", "prenoms", "jour", "mois", "annee", "lieu")}
        v["sans_nir"] = f.get("sans_nir", "") == "oui"
        erreurs: dict[str, list[str]] = {}

        def err(champ, msg):
            erreurs.setdefault(champ, []).append(msg)

        nir = ""
        if not v["sans_nir"]:
            nir = nettoyer_nir(v["nir"])
            m = controler_nir_forme(nir, verifier_cle=not etat.ecart("nir-cle-ignoree"))
            if m:
                err("nir", m)
        civilite = v["civilite"] if v["civilite"] in ("F", "M") else ""
        if not civilite:
            err("civilite", "Choisissez votre civilité : Madame ou Monsieur.")
        apostrophe = not etat.ecart("nom-apostrophe-refusee")
        m = controler_nom(v["nom"], "Indiquez votre nom de naissance.", "Le nom de naissance", apostrophe)
        if m:
            err("nom", m)
        m = controler_nom(v["prenoms"], "Indiquez votre ou vos prénoms.", "Le champ « Prénom(s) »", apostrophe)
        if m:
            err("prenoms", m)
        naissance, m = lire_date(v["jour"], v["mois"], v["annee"], etat.aujourd_hui())
        if m:
            err("date", m)
        lieu = None
        saisie_lieu = v["lieu"].strip()
        if not saisie_lieu:
            err("lieu", "Indiquez votre commune de naissance ou, si vous êtes né(e) à l'étranger, votre pays de naissance.")
        else:
            trouves = places.chercher(saisie_lieu)
            if len(trouves) == 1:
                lieu = trouves[0]
            elif len(trouves) > 1:
                err("lieu", "Plusieurs communes portent ce nom : précisez, par exemple "
                    + " ou ".join(f"« {t.nom} »" for t in trouves) + ".")
            elif places.normaliser(saisie_lieu) == "france":
                err("lieu", "Indiquez le nom de votre commune de naissance, et non « France ».")
            else:
                err("lieu", "Nous ne trouvons pas ce lieu de naissance. Saisissez le nom de votre commune "
                    "de naissance (par exemple « Lyon ») ou, si vous êtes né(e) à l'étranger, le nom "
                    "du pays (par exemple « Maroc »).")
        if nir and "nir" not in erreurs:
            m = controler_nir_coherence(nir, civilite or None, naissance, lieu)
            if m:
                err("nir", m)
        if naissance and "date" not in erreurs:
            seuil = AGE_MINIMUM - 1 if etat.ecart("enfant-15-accepte") else AGE_MINIMUM
            if age(naissance, etat.aujourd_hui()) < seuil:
                err("date", "Vous avez moins de 16 ans : un enfant peut créer son espace personnel "
                    "à partir de 16 ans.")
        compte_existant = False
        id_provisoire = ""
        if not erreurs:
            nom, prenoms = propre(v["nom"]), propre(v["prenoms"])
            if nir:
                if nir in etat.comptes:
                    compte_existant = True
                    err("nir", "Un compte existe déjà pour ce numéro de sécurité sociale : "
                        "connectez-vous avec votre numéro et votre mot de passe.")
            else:
                cle = cle_identite(nom, prenoms, naissance) + "|" + lieu.code
                id_provisoire = etat.ids_provisoires.get(cle, "")
                if id_provisoire and id_provisoire in etat.comptes:
                    compte_existant = True
                    err("sans_nir", "Un compte existe déjà pour cette personne : connectez-vous avec "
                        "votre identifiant provisoire et votre mot de passe.")
                elif not id_provisoire:
                    id_provisoire = etat.nouvel_id_provisoire()
                    etat.ids_provisoires[cle] = id_provisoire
        ins.saisie_ec = v
        if erreurs:
            return rendu_etape("etape_etat_civil.html", ins, 1, 422, v=v, erreurs=erreurs,
                               compte_existant=compte_existant)
        ins.nir, ins.id_provisoire = nir, id_provisoire
        ins.civilite, ins.nom, ins.prenoms = civilite, propre(v["nom"]), propre(v["prenoms"])
        ins.naissance, ins.lieu = naissance, lieu
        ins.personne = etat.registre.trouver(nir, ins.nom, ins.prenoms, naissance)
        ins.piece_type = ins.piece_numero = ""
        ins.sans_piece = False
        ins.code = None
        ins.etape = 2
        return redirect(url_for("piece", ins=ins.ident))

    @app.route("/creer-mon-compte/<ins>/piece-identite", methods=["GET", "POST"])
    def piece(ins):
        ins, reponse = inscription(ins, 2)
        if reponse:
            return reponse
        v = {"type_piece": ins.piece_type, "numero": ins.piece_numero}
        if request.method == "GET":
            return rendu_etape("etape_piece.html", ins, 2, v=v, erreurs={}, types=TYPES_PIECE)
        v = {"type_piece": request.form.get("type_piece", ""), "numero": request.form.get("numero", "")}
        erreurs: dict[str, list[str]] = {}
        if v["type_piece"] not in TYPES_PIECE:
            erreurs["type_piece"] = ["Choisissez le type de votre pièce d'identité."]
            if not v["numero"].strip():
                erreurs["numero"] = ["Indiquez le numéro de votre pièce d'identité."]
        else:
            numero, m = lire_piece(v["type_piece"], v["numero"])
            if m:
                erreurs["numero"] = [m]
            elif not etat.ecart("piece-non-verifiee"):
                p = ins.personne
                if not (p and p.piece_type == v["type_piece"] and p.piece_numero == numero):
                    erreurs["numero"] = [
                        "Cette pièce d'identité n'a pas pu être vérifiée : son type ou son numéro ne "
                        "correspond pas à l'identité indiquée à l'étape précédente. Vérifiez votre saisie "
                        "ou, si vous n'avez pas de pièce d'identité française, utilisez le bouton "
                        "« Je ne dispose pas d'une pièce d'identité française »."]
        if erreurs:
            return rendu_etape("etape_piece.html", ins, 2, 422, v=v, erreurs=erreurs, types=TYPES_PIECE)
        ins.piece_type, ins.piece_numero, ins.sans_piece = v["type_piece"], numero, False
        ins.etape = 3
        ins.code = None
        flash("Votre pièce d'identité a été vérifiée : votre identité est confirmée.")
        return redirect(url_for("coordonnees", ins=ins.ident))

    @app.post("/creer-mon-compte/<ins>/piece-identite/sans-piece")
    def sans_piece(ins):
        ins, reponse = inscription(ins, 2)
        if reponse:
            return reponse
        ins.piece_type = ins.piece_numero = ""
        ins.sans_piece = True
        ins.etape = 3
        ins.code = None
        flash("Vous poursuivez sans pièce d'identité française : une pièce justificative pourra vous "
              "être demandée plus tard.")
        return redirect(url_for("coordonnees", ins=ins.ident))

    def envoyer_code(ins: Inscription) -> str | None:
        """Génère et envoie un nouveau code ; renvoie un message d'erreur éventuel."""
        now = etat.maintenant()
        if ins.dernier_envoi is not None and now - ins.dernier_envoi < CODE_DELAI_RENVOI:
            reste = int(CODE_DELAI_RENVOI - (now - ins.dernier_envoi)) + 1
            return (f"Un code vient de vous être envoyé. Vous pourrez demander un nouveau code dans "
                    f"{reste} secondes.")
        code = f"{secrets.randbelow(10 ** 6):06d}"
        destinataire = ins.email if ins.canal == "email" else ins.mobile_e164
        if not etat.expediteur.envoyer(ins.canal, destinataire, code):
            return "Le code n'a pas pu être envoyé pour le moment. Réessayez dans quelques instants."
        ins.code = CodeEnvoye(code, now)
        ins.dernier_envoi = now
        return None

    @app.route("/creer-mon-compte/<ins>/coordonnees", methods=["GET", "POST"])
    def coordonnees(ins):
        ins, reponse = inscription(ins, 3)
        if reponse:
            return reponse
        if request.method == "GET":
            v = {"canal": ins.canal, "email": ins.email, "telephone": ins.mobile_affichage}
            return rendu_etape("etape_coordonnees.html", ins, 3, v=v, erreurs={})
        f = request.form
        v = {"canal": f.get("canal", ""), "email": f.get("email", ""), "telephone": f.get("telephone", "")}
        erreurs: dict[str, list[str]] = {}
        email = mobile = None
        if v["canal"] not in ("email", "sms"):
            erreurs["canal"] = ["Choisissez comment recevoir votre code : par e-mail ou par SMS."]
        elif v["canal"] == "email":
            email, m = lire_email(v["email"])
            if m:
                erreurs["email"] = [m]
        else:
            mobile, m = lire_mobile(v["telephone"], fixe_accepte=etat.ecart("fixe-accepte"))
            if m:
                erreurs["telephone"] = [m]
        if erreurs:
            return rendu_etape("etape_coordonnees.html", ins, 3, 422, v=v, erreurs=erreurs)
        ancien = (ins.canal, ins.email, ins.mobile_e164)
        ins.canal = v["canal"]
        ins.email = email or ""
        ins.mobile_e164 = mobile.e164 if mobile else ""
        ins.mobile_affichage = mobile.affichage if mobile else ""
        m = envoyer_code(ins)
        if m:
            ins.canal, ins.email, ins.mobile_e164 = ancien
            return rendu_etape("etape_coordonnees.html", ins, 3, 429 if "secondes" in m else 503,
                               v=v, erreurs={"canal": [m]})
        ins.etape = 4
        flash("Un code de confirmation vient de vous être envoyé "
              + (f"à l'adresse {ins.email}." if ins.canal == "email" else f"par SMS au {ins.mobile_affichage}."))
        return redirect(url_for("code", ins=ins.ident))

    @app.route("/creer-mon-compte/<ins>/code", methods=["GET", "POST"])
    def code(ins):
        ins, reponse = inscription(ins, 4)
        if reponse:
            return reponse
        if request.method == "GET":
            return rendu_etape("etape_code.html", ins, 4, erreurs={})
        saisie = "".join((request.form.get("code") or "").split())
        erreurs: dict[str, list[str]] = {}
        c = ins.code
        illimite = etat.ecart("tentatives-illimitees")
        if not saisie:
            erreurs["code"] = ["Indiquez le code à 6 chiffres que vous avez reçu."]
        elif not (len(saisie) == 6 and saisie.isdigit()):
            erreurs["code"] = ["Le code doit être composé de 6 chiffres."]
        elif c is None or c.utilise:
            erreurs["code"] = ["Ce code n'est plus valable. Demandez un nouveau code."]
        elif c.mort:
            erreurs["code"] = [f"Vous avez atteint le nombre maximal de {CODE_ESSAIS} essais : ce code "
                               "n'est plus valable. Demandez un nouveau code."]
        elif etat.maintenant() - c.envoye_a > validite_code * 60:
            erreurs["code"] = [f"Ce code a expiré : il n'est valable que {duree_lisible(validite_code)}."
                               " Demandez un nouveau code."]
        elif not hmac.compare_digest(saisie, c.valeur):
            c.essais += 1
            reste = CODE_ESSAIS - c.essais
            if illimite:
                erreurs["code"] = ["Le code saisi est incorrect. Vérifiez-le et réessayez."]
            elif reste <= 0:
                c.mort = True
                erreurs["code"] = [f"Le code saisi est incorrect. Vous avez atteint le nombre maximal de "
                                   f"{CODE_ESSAIS} essais : ce code n'est plus valable. Demandez un nouveau code."]
            else:
                erreurs["code"] = [f"Le code saisi est incorrect. Il vous reste {reste} "
                                   f"essai{'s' if reste > 1 else ''}."]
        if erreurs:
            return rendu_etape("etape_code.html", ins, 4, 422, erreurs=erreurs)
        c.utilise = True
        ins.etape = 5
        flash("Vos coordonnées de contact sont confirmées.")
        return redirect(url_for("mot_de_passe", ins=ins.ident))

    @app.post("/creer-mon-compte/<ins>/code/renvoyer")
    def renvoyer(ins):
        ins, reponse = inscription(ins, 4)
        if reponse:
            return reponse
        m = envoyer_code(ins)
        if m:
            return rendu_etape("etape_code.html", ins, 4, 429 if "secondes" in m else 503,
                               erreurs={"renvoi": [m]})
        flash("Un nouveau code vous a été envoyé. Le code précédent n'est plus valable.")
        return redirect(url_for("code", ins=ins.ident))

    @app.route("/creer-mon-compte/<ins>/mot-de-passe", methods=["GET", "POST"])
    def mot_de_passe(ins):
        ins, reponse = inscription(ins, 5)
        if reponse:
            return reponse
        if request.method == "GET":
            return rendu_etape("etape_mot_de_passe.html", ins, 5, erreurs={})
        mdp = request.form.get("mot_de_passe", "")
        confirmation = request.form.get("confirmation", "")
        erreurs: dict[str, list[str]] = {}
        m = controler_mdp(mdp, exiger_majuscule=not etat.ecart("mdp-sans-majuscule"))
        if m:
            erreurs["mot_de_passe"] = m
        if not confirmation:
            erreurs["confirmation"] = ["Confirmez votre mot de passe."]
        elif confirmation != mdp:
            erreurs["confirmation"] = ["Les deux mots de passe saisis ne sont pas identiques."]
        identifiant = ins.nir or ins.id_provisoire
        if not erreurs and identifiant in etat.comptes:
            erreurs["mot_de_passe"] = ["Un compte existe déjà pour cette identité : connectez-vous."]
        if erreurs:
            return rendu_etape("etape_mot_de_passe.html", ins, 5, 422, erreurs=erreurs)
        sel = secrets.token_bytes(16)
        etat.comptes[identifiant] = Compte(
            identifiant=identifiant, nir=ins.nir, id_provisoire=ins.id_provisoire, civilite=ins.civilite,
            nom=ins.nom, prenoms=ins.prenoms, naissance=ins.naissance, lieu=ins.lieu,
            personne=ins.personne, piece_type=ins.piece_type, piece_numero=ins.piece_numero,
            justificatif_a_demander=ins.sans_piece, canal=ins.canal, email=ins.email,
            mobile_e164=ins.mobile_e164, mobile_affichage=ins.mobile_affichage, sel=sel,
            empreinte=_hacher(mdp, sel))
        ins.compte = identifiant
        ins.etape = 6
        return redirect(url_for("recapitulatif", ins=ins.ident))

    @app.get("/creer-mon-compte/<ins>/recapitulatif")
    def recapitulatif(ins):
        ins, reponse = inscription(ins, 6)
        if reponse:
            return reponse
        compte = etat.comptes[ins.compte]
        return rendu_etape("etape_recapitulatif.html", ins, 6, c=compte, lignes=lignes_identite(compte, True))

    def lignes_identite(c: Compte, recap: bool) -> list[tuple[str, str]]:
        lignes = []
        if c.nir:
            lignes.append(("N° de sécurité sociale", formater_nir(c.nir)))
        else:
            lignes.append(("Identifiant provisoire", c.id_provisoire))
        lignes += [
            ("Civilité", "Madame" if c.civilite == "F" else "Monsieur"),
            ("Nom de naissance", c.nom),
            ("Prénom(s)", c.prenoms),
            ("Date de naissance", c.naissance.strftime("%d/%m/%Y")),
        ]
        if not (recap and etat.ecart("recap-sans-lieu")):
            lignes.append(("Lieu de naissance", c.lieu.nom))
        if c.piece_type:
            lignes.append(("Pièce d'identité", f"{TYPES_PIECE[c.piece_type]} n° {masquer(c.piece_numero)}"))
        else:
            lignes.append(("Pièce d'identité", "Aucune pièce d'identité française : une pièce "
                                               "justificative pourra vous être demandée."))
        if c.canal == "email":
            lignes.append(("Adresse électronique", c.email))
        else:
            lignes.append(("Téléphone portable", c.mobile_affichage))
        return lignes

    # ------------------------------------------------------------------ connexion
    def suite_sure(suite: str) -> str:
        if suite.startswith("/") and not suite.startswith("//") and "\\" not in suite:
            return suite
        return url_for("espace")

    @app.route("/connexion", methods=["GET", "POST"])
    def connexion():
        suite = request.values.get("suite", "")
        if request.method == "GET":
            # the deviation: « Faire la demande » sends to a login page that offers no account creation
            sans_creation = etat.ecart("sans-creer-compte") and suite.startswith("/faire-la-demande")
            return page("connexion.html", v={}, erreur=None, suite=suite, sans_creation=sans_creation)
        brut = request.form.get("identifiant", "")
        mdp = request.form.get("mot_de_passe", "")
        ident = "".join(brut.split()).replace(".", "").upper()
        v = {"identifiant": brut}
        if not ident or not mdp:
            return page("connexion.html", 422, v=v, suite=suite,
                        erreur="Indiquez votre identifiant et votre mot de passe.")
        now = etat.maintenant()
        echecs = [t for t in etat.echecs.get(ident, []) if now - t < CONNEXION_FENETRE]
        etat.echecs[ident] = echecs
        blocage = ("Après 5 tentatives de connexion infructueuses, la connexion à ce compte est "
                   "bloquée pendant 15 minutes. Réessayez plus tard.")
        if len(echecs) >= CONNEXION_ECHECS:
            return page("connexion.html", 429, v=v, suite=suite, erreur=blocage)
        compte = etat.comptes.get(ident)
        if compte and etat.ecart("connexion-id-provisoire") and ident.startswith("T"):
            compte = None
        if compte is None:
            _hacher(mdp, b"\0" * 16)  # même coût de calcul qu'un compte existant
            ok = False
        else:
            ok = hmac.compare_digest(_hacher(mdp, compte.sel), compte.empreinte)
        if not ok:
            echecs.append(now)
            if len(echecs) >= CONNEXION_ECHECS:
                return page("connexion.html", 429, v=v, suite=suite, erreur=blocage)
            return page("connexion.html", 401, v=v, suite=suite,
                        erreur="Identifiant ou mot de passe incorrect.")
        etat.echecs.pop(ident, None)
        ancienne = session_courante()
        if ancienne:
            etat.sessions.pop(ancienne["sid"], None)
        g.session = None
        g.sans_cookie = True  # nouvelle session : identifiant régénéré à la connexion
        sess = session_courante(creer=True)
        sess["compte"] = compte.identifiant
        return redirect(suite_sure(suite))

    @app.post("/deconnexion")
    def deconnexion():
        sess = session_courante()
        if sess:
            etat.sessions.pop(sess["sid"], None)
        g.session = None
        g.sans_cookie = True
        g.cookie_a_effacer = True
        return redirect(url_for("accueil"))

    # ------------------------------------------------------------------ espace
    def contexte_espace(compte: Compte) -> dict:
        droits = etat.droits(compte)
        return {"role": etat.role(compte), "roles_texte": ROLES_TEXTE,
                "liens": [(ACTIONS[k][0], url_for(ACTIONS[k][1])) for k in
                          ("demande", "dossier", "donnees", "coordonnees", "separation", "suivi")
                          if k in droits],
                "identifiant_affiche": formater_nir(compte.nir) if compte.nir else compte.id_provisoire}

    @app.get("/espace")
    def espace():
        compte = compte_courant()
        ctx = contexte_espace(compte)
        p = compte.personne
        conjoint = None
        if p and p.role == "responsable":
            conjoint = next((m for m in etat.registre.foyers.get(p.foyer, []) if m.role == "conjoint"), None)
        return page("espace.html", **ctx, conjoint=conjoint,
                    procuration=etat.procurations.get(p.foyer, False) if p else False)

    @app.post("/espace/procuration")
    def espace_procuration():
        compte = compte_courant()
        p = compte.personne
        if not (p and p.role == "responsable"):
            return refus(403, "Accès refusé",
                         f"Votre profil « {ROLES_TEXTE[etat.role(compte)]} » ne vous permet pas de gérer "
                         "une procuration : seul le responsable du dossier peut accorder ou révoquer "
                         "une procuration à son conjoint.", (url_for("espace"), "Retour à Mon espace"))
        if p.foyer not in etat.procurations:
            return refus(403, "Action impossible",
                         "Aucun conjoint n'est rattaché à votre dossier : il n'y a pas de procuration à gérer.",
                         (url_for("espace"), "Retour à Mon espace"))
        action = request.form.get("action", "")
        if action not in ("accorder", "revoquer"):
            return refus(400, "Requête refusée", "Action inconnue.", (url_for("espace"), "Retour à Mon espace"))
        etat.procurations[p.foyer] = action == "accorder"
        flash("La procuration a été accordée à votre conjoint." if action == "accorder"
              else "La procuration de votre conjoint a été révoquée.")
        return redirect(url_for("espace"))

    @app.route("/espace/demande-prestation", methods=["GET", "POST"])
    def espace_demande():
        compte = compte_courant()
        if request.method == "GET":
            return page("demande.html", choisie=request.args.get("prestation", ""))
        code = request.form.get("prestation", "")
        if code not in PRESTATIONS:
            return page("demande.html", 422, choisie="",
                        erreurs={"prestation": ["Choisissez la prestation que vous demandez."]})
        compte.demandes.append({"code": code, "nom": PRESTATIONS[code][0],
                                "date": etat.aujourd_hui(), "statut": "En cours d'instruction"})
        flash(f"Votre demande de « {PRESTATIONS[code][0]} » a bien été enregistrée.")
        if "suivi" in etat.droits(compte):
            return redirect(url_for("espace_suivi"))
        return redirect(url_for("espace_demande"))

    @app.get("/espace/mes-demarches")
    def espace_suivi():
        return page("suivi.html", demandes=compte_courant().demandes)

    @app.route("/espace/dossier", methods=["GET", "POST"])
    def espace_dossier():
        compte = compte_courant()
        p = compte.personne
        membres = etat.registre.foyers.get(p.foyer, []) if p and p.foyer else []
        if request.method == "POST":
            changement = request.form.get("changement", "")
            if changement not in CHANGEMENTS:
                return page("dossier.html", 422, membres=membres, roles_texte=ROLES_TEXTE,
                            changements=CHANGEMENTS,
                            erreurs={"changement": ["Choisissez le changement de situation à signaler."]})
            compte.evenements.append(("changement", CHANGEMENTS[changement], etat.aujourd_hui()))
            flash(f"Votre changement de situation (« {CHANGEMENTS[changement]} ») a bien été enregistré.")
            return redirect(url_for("espace_dossier"))
        return page("dossier.html", membres=membres, roles_texte=ROLES_TEXTE, changements=CHANGEMENTS,
                    erreurs={})

    @app.get("/espace/donnees-personnelles")
    def espace_donnees():
        compte = compte_courant()
        return page("donnees.html", lignes=lignes_identite(compte, False),
                    role_texte=ROLES_TEXTE[etat.role(compte)])

    @app.route("/espace/coordonnees", methods=["GET", "POST"])
    def espace_coordonnees():
        compte = compte_courant()
        if request.method == "GET":
            return page("coordonnees.html", v={"email": compte.email, "telephone": compte.mobile_affichage},
                        erreurs={})
        v = {"email": request.form.get("email", ""), "telephone": request.form.get("telephone", "")}
        erreurs: dict[str, list[str]] = {}
        email = mobile = None
        if not v["email"].strip() and not v["telephone"].strip():
            erreurs["email"] = ["Indiquez au moins une adresse électronique ou un numéro de téléphone portable."]
        if v["email"].strip():
            email, m = lire_email(v["email"])
            if m:
                erreurs["email"] = [m]
        if v["telephone"].strip():
            mobile, m = lire_mobile(v["telephone"])
            if m:
                erreurs["telephone"] = [m]
        if erreurs:
            return page("coordonnees.html", 422, v=v, erreurs=erreurs)
        compte.email = email or ""
        compte.mobile_e164 = mobile.e164 if mobile else ""
        compte.mobile_affichage = mobile.affichage if mobile else ""
        if compte.canal == "email" and not compte.email:
            compte.canal = "sms"
        elif compte.canal == "sms" and not compte.mobile_e164:
            compte.canal = "email"
        flash("Vos coordonnées de contact ont été mises à jour.")
        return redirect(url_for("espace_coordonnees"))

    @app.route("/espace/declarer-separation", methods=["GET", "POST"])
    def espace_separation():
        compte = compte_courant()
        if request.method == "GET":
            return page("separation.html", v={}, erreurs={})
        v = {k: request.form.get(k, "") for k in ("jour", "mois", "annee")}
        v["certifie"] = request.form.get("certifie", "") == "oui"
        erreurs: dict[str, list[str]] = {}
        date, m = lire_date(v["jour"], v["mois"], v["annee"], etat.aujourd_hui())
        if m:
            erreurs["date_separation"] = [m.replace("de naissance", "de séparation")]
        if not v["certifie"]:
            erreurs["certifie"] = ["Cochez la case pour certifier l'exactitude de votre déclaration."]
        if erreurs:
            return page("separation.html", 422, v=v, erreurs=erreurs)
        compte.evenements.append(("separation", date, etat.aujourd_hui()))
        flash(f"Votre déclaration de séparation au {date.strftime('%d/%m/%Y')} a bien été enregistrée.")
        return redirect(url_for("espace_separation"))

    return app


CHANGEMENTS = {
    "demenagement": "Déménagement",
    "naissance": "Naissance ou arrivée d'un enfant",
    "ressources": "Changement de ressources",
    "activite": "Reprise ou arrêt d'activité",
}

