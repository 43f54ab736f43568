"""Registre des personnes de test (généré de façon déterministe à partir d'une graine et
de la date du jour : les âges valent le jour où le site tourne)."""
from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field

from . import places
from .validation import cle_nir, normaliser_nom

NOMS = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen",
    "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël",
    "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard", "Barbier",
    "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard",
    "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud",
    "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis",
    "Olivier", "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Rivière",
    "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Ménard",
    "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît", "Paris", "Maillard", "Marchal",
    "Aubry", "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet", "Prévost", "Poirier",
    "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons", "Paul", "Laine", "Carré", "Breton",
    "Rémy", "Schneider", "Perrot", "Guyot", "Barré", "Marty", "Cousin", "Lebrun-Mercier",
    "Saint-Martin", "Le Goff", "D'Almeida", "N'Diaye", "L'Hermitte", "D'Arcy", "Bénard",
    "Hoarau", "Payet", "Grondin", "Fontaine-Dubreuil", "Théodore", "Célestin", "Jean-Louis",
    "Santoni", "Casanova", "Paoli", "Mattei", "Quilichini",
]
NOMS_ETRANGERS = [
    "Benali", "El Amrani", "Bouzid", "Haddad", "Benyoussef", "Diallo", "Traoré", "Koné", "Diop",
    "Ndiaye", "Sow", "Ferreira", "Pereira", "Oliveira", "Schmidt", "Wagner", "Fernández",
    "Rossi", "Esposito", "Smith", "Yilmaz", "Demir", "Wang", "Li", "Zhang", "Tran", "Pham",
    "Kouassi", "Yao", "Coulibaly", "Popescu", "Kowalski", "Nowak", "Jean-Baptiste", "Saïd",
    "Ben Ahmed", "O'Brien", "Mbappé", "Van den Berg", "Janssens",
]
PRENOMS_F = [
    "Marie", "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Zoé", "Anaïs",
    "Hélène", "Élodie", "Céline", "Nathalie", "Isabelle", "Sophie", "Aurélie", "Julie",
    "Margaux", "Laëtitia", "Noémie", "Gaëlle", "Océane", "Mélanie", "Françoise", "Brigitte",
    "Anne-Sophie", "Marie-Claire", "Élise", "Agathe", "Fatou", "Aïcha", "Yasmine", "Mei",
    "Ana", "Louise", "Jeanne", "Rose", "Maëlys", "Clémence",
]
PRENOMS_M = [
    "Jean", "Pierre", "Louis", "Lucas", "Hugo", "Thomas", "Nicolas", "Julien", "Mathieu",
    "Antoine", "François", "Jérôme", "Stéphane", "Sébastien", "Frédéric", "Noël", "Gaël",
    "Loïc", "Jean-Baptiste", "Jean-Pierre", "Paul-Henri", "Benoît", "Rémi", "Théo", "Raphaël",
    "Mohamed", "Karim", "Mamadou", "Moussa", "Ibrahim", "João", "Hakan", "Minh", "Youssef",
    "Dylan", "Enzo", "Maël", "Timothée", "Grégoire", "Élie",
]
ROLES = ("non_allocataire", "responsable", "conjoint_sans_procuration",
         "conjoint_avec_procuration", "enfant", "personne_a_charge")


@dataclass
class Personne:
    ident: int
    civilite: str  # "F" ou "M"
    nom: str
    prenoms: str
    naissance: dt.date
    lieu: places.Lieu
    nir: str  # vide si aucun
    piece_type: str  # cni | passeport | titre_sejour | ""
    piece_numero: str
    role: str  # non_allocataire | responsable | conjoint | enfant | personne_a_charge
    foyer: str = ""
    procuration_initiale: bool = False
    cle_identite: str = field(default="", repr=False)

    @property
    def civilite_texte(self) -> str:
        return "Madame" if self.civilite == "F" else "Monsieur"

    @property
    def role_export(self) -> str:
        if self.role == "conjoint":
            return "conjoint_avec_procuration" if self.procuration_initiale else "conjoint_sans_procuration"
        return self.role


def cle_identite(nom: str, prenoms: str, naissance: dt.date) -> str:
    return f"{normaliser_nom(nom)}|{normaliser_nom(prenoms)}|{naissance.isoformat()}"


def _anniversaire(date: dt.date, annees: int) -> dt.date:
    try:
        return date.replace(year=date.year - annees)
    except ValueError:  # 29 février
        return date.replace(year=date.year - annees, day=28)


class Registre:
    def __init__(self, graine: int = 1, aujourd_hui: dt.date | None = None):
        self.aujourd_hui = aujourd_hui or dt.date.today()
        self.rng = random.Random(graine)
        self.personnes: list[Personne] = []
        self.par_nir: dict[str, Personne] = {}
        self.par_identite: dict[str, list[Personne]] = {}
        self.foyers: dict[str, list[Personne]] = {}
        self._nirs: set[str] = set()
        self._pieces: set[str] = set()
        self._ordres: dict[str, int] = {}
        self._generer()

    # ------------------------------------------------------------------ outils
    def _date_adulte(self, age_min: int = 19, age_max: int = 80) -> dt.date:
        debut = _anniversaire(self.aujourd_hui, age_max)
        fin = _anniversaire(self.aujourd_hui, age_min)
        return debut + dt.timedelta(days=self.rng.randrange((fin - debut).days))

    def _lieu(self, genre: str | None = None) -> places.Lieu:
        if genre == "etranger":
            return self.rng.choice(places.PAYS)
        if genre == "france":
            return self.rng.choice(places.COMMUNES)
        tirage = self.rng.random()
        if tirage < 0.6:
            choix = [c for c in places.COMMUNES if c.genre == "metropole"]
        elif tirage < 0.72:
            choix = [c for c in places.COMMUNES if c.genre == "corse"]
        elif tirage < 0.87:
            choix = [c for c in places.COMMUNES if c.genre == "outre-mer"]
        else:
            choix = list(places.PAYS)
        return self.rng.choice(choix)

    def _nir(self, civilite: str, naissance: dt.date, lieu: places.Lieu) -> str:
        lieu_nir = lieu.code
        if lieu.genre == "corse" and naissance.year < 1976:
            lieu_nir = "20" + lieu.code[2:]
        debut = f"{'1' if civilite == 'M' else '2'}{naissance.year % 100:02d}{naissance.month:02d}{lieu_nir}"
        while True:
            ordre = self.rng.randint(1, 999)
            treize = f"{debut}{ordre:03d}"
            nir = f"{treize}{cle_nir(treize):02d}"
            if nir not in self._nirs:
                self._nirs.add(nir)
                return nir

    def _piece(self, type_piece: str) -> str:
        rng = self.rng
        alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        while True:
            if type_piece == "cni":
                if rng.random() < 0.6:
                    numero = "".join(rng.choice(alnum) for _ in range(9))
                else:
                    annee = rng.randint(5, 20)
                    numero = (f"{annee:02d}{rng.randint(1, 12):02d}"
                              f"{rng.choice(['75', '13', '69', '33', '59', '2A', '2B', '97'])}"
                              f"{rng.choice('0123456789ABC')}{rng.randint(0, 99999):05d}")
            elif type_piece == "passeport":
                numero = (f"{rng.randint(10, 24):02d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
                          f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(0, 99999):05d}")
            else:
                numero = f"{rng.randint(1, 9)}{rng.randint(0, 999999999):09d}"
            if numero not in self._pieces:
                self._pieces.add(numero)
                return numero

    def _prenoms(self, civilite: str, etranger: bool = False) -> str:
        liste = PRENOMS_F if civilite == "F" else PRENOMS_M
        n = self.rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        choisis: list[str] = []
        while len(choisis) < n:
            p = self.rng.choice(liste)
            if p not in choisis:
                choisis.append(p)
        return " ".join(choisis)

    def _ajouter(self, *, civilite: str | None = None, naissance: dt.date, lieu: places.Lieu,
                 avec_nir: bool = True, piece: str = "cni", role: str = "non_allocataire",
                 foyer: str = "", nom: str | None = None, procuration: bool = False) -> Personne:
        civilite = civilite or self.rng.choice("FM")
        while True:
            if nom is None:
                source = NOMS_ETRANGERS if (lieu.etranger and self.rng.random() < 0.7) else NOMS
                nom_choisi = self.rng.choice(source)
                if self.rng.random() < 0.05:
                    nom_choisi = f"{nom_choisi}-{self.rng.choice(NOMS)}"
            else:
                nom_choisi = nom
            prenoms = self._prenoms(civilite)
            cle = cle_identite(nom_choisi, prenoms, naissance)
            if cle not in self.par_identite:
                break
        nir = self._nir(civilite, naissance, lieu) if avec_nir else ""
        numero = self._piece(piece) if piece else ""
        p = Personne(len(self.personnes) + 1, civilite, nom_choisi, prenoms, naissance, lieu, nir,
                     piece, numero, role, foyer, procuration, cle)
        self.personnes.append(p)
        self.par_identite.setdefault(cle, []).append(p)
        if nir:
            self.par_nir[nir] = p
        if foyer:
            self.foyers.setdefault(foyer, []).append(p)
        return p

    # ------------------------------------------------------------------ génération
    def _generer(self) -> None:
        rng = self.rng
        for _ in range(250):
            self._ajouter(naissance=self._date_adulte(), lieu=self._lieu(), piece="cni")
        for _ in range(40):
            self._ajouter(naissance=self._date_adulte(), lieu=self._lieu(), piece="passeport")
        for _ in range(40):
            self._ajouter(naissance=self._date_adulte(), lieu=self._lieu("etranger"), piece="titre_sejour")
        for i in range(40):
            if i % 4 == 0:
                self._ajouter(naissance=self._date_adulte(), lieu=self._lieu("france"), avec_nir=False,
                              piece=rng.choice(["cni", "passeport"]))
            else:
                self._ajouter(naissance=self._date_adulte(), lieu=self._lieu("etranger"), avec_nir=False,
                              piece="titre_sejour")
        for _ in range(40):
            self._ajouter(naissance=self._date_adulte(), lieu=self._lieu("etranger"), piece="")

        numero = 0

        def nouveau_foyer() -> tuple[str, Personne]:
            nonlocal numero
            numero += 1
            code = f"F{numero:04d}"
            resp = self._ajouter(naissance=self._date_adulte(30, 60), lieu=self._lieu(),
                                 piece=rng.choice(["cni", "cni", "passeport"]), role="responsable",
                                 foyer=code)
            return code, resp

        for avec in (False, True):
            for _ in range(40):
                code, resp = nouveau_foyer()
                self._ajouter(civilite="M" if resp.civilite == "F" else "F",
                              naissance=self._date_adulte(28, 62), lieu=self._lieu(),
                              piece="cni", role="conjoint", foyer=code, procuration=avec)
        aujourd_hui = self.aujourd_hui
        demain = aujourd_hui + dt.timedelta(days=1)
        enfants = [
            lambda: _anniversaire(aujourd_hui, 16),
            lambda: _anniversaire(demain, 16),
            lambda: _anniversaire(aujourd_hui, 17) - dt.timedelta(days=rng.randint(1, 300)),
            lambda: _anniversaire(aujourd_hui, 15) - dt.timedelta(days=rng.randint(1, 300)),
            lambda: _anniversaire(aujourd_hui, 12) - dt.timedelta(days=rng.randint(1, 300)),
        ]
        for date_enfant in enfants:
            for _ in range(20):
                code, resp = nouveau_foyer()
                naissance = date_enfant()
                lieu = self._lieu("france")
                self._ajouter(naissance=naissance, lieu=lieu, piece="cni", role="enfant", foyer=code,
                              nom=resp.nom)
        for _ in range(30):
            code, resp = nouveau_foyer()
            self._ajouter(naissance=self._date_adulte(60, 95), lieu=self._lieu(),
                          piece=rng.choice(["cni", "cni", ""]), role="personne_a_charge", foyer=code)

    # ------------------------------------------------------------------ recherche
    def trouver(self, nir: str, nom: str, prenoms: str, naissance: dt.date) -> Personne | None:
        """La personne du registre dont l'état civil correspond (None sinon)."""
        cle = cle_identite(nom, prenoms, naissance)
        if nir:
            p = self.par_nir.get(nir)
            if p and p.cle_identite == cle:
                return p
            return None
        for p in self.par_identite.get(cle, []):
            if not p.nir:
                return p
        return None

    # ------------------------------------------------------------------ export
    COLONNES = ["civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance",
                "code_insee", "nir", "piece_type", "piece_numero", "role", "foyer", "procuration"]

    def exporter(self, chemin: str) -> None:
        with open(chemin, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(self.COLONNES)
            for p in self.personnes:
                w.writerow([p.civilite_texte, p.nom, p.prenoms, p.naissance.isoformat(), p.lieu.nom,
                            p.lieu.code, p.nir, p.piece_type, p.piece_numero, p.role_export, p.foyer,
                            "oui" if p.role_export == "conjoint_avec_procuration" else "non"])
