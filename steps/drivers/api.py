"""``ApiDriver``: the intents over the reference JSON API (``reference_impl/README.md``).

Refusals come back as ``{"erreurs": [{"regle", "champ", "message"}]}`` with a 4xx
status: the driver turns them into an ``Outcome`` (messages, invalid fields and
the journey step the user is left on). Page navigation has no meaning over the
API: those intents are *not applicable* here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from steps.drivers.base import Driver, NotApplicable, Outcome, TargetError

NAVIGATION = "la navigation se vérifie sur les pages : pilote navigateur"

# Action code (rules.roles.Action value) → how the API carries it out.
ACTION_CALLS = {
    "demander_prestation": ("POST", "/api/demandes"),
    "gerer_dossier": ("GET", "/api/dossier"),
    "consulter_donnees": ("GET", "/api/donnees-personnelles"),
    "modifier_coordonnees": ("PUT", "/api/coordonnees"),
    "declarer_separation": ("POST", "/api/separation"),
}

# Recap labels, as the pages show them (reference_impl/README.md, step ⑨).
RECAP_LABELS = {
    "nir": "Numéro de sécurité sociale",
    "civilite": "Civilité",
    "nom_naissance": "Nom de naissance",
    "prenoms": "Prénoms",
    "date_naissance": "Date de naissance",
    "lieu_naissance": "Lieu de naissance",
}
DOCUMENT_LABELS = {"cni": "Carte nationale d'identité", "passeport": "Passeport français", "titre_sejour": "Titre de séjour"}
CHANNEL_LABELS = {"email": "Adresse e-mail", "sms": "Numéro de téléphone portable"}


class ApiDriver(Driver):
    name = "api"

    def __init__(self, base_url: str, *, timeout: float = 15.0, client: httpx.Client | None = None):
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.Client(base_url=self.base_url, timeout=timeout, follow_redirects=False)
        self.registration: str | None = None
        self._contact: dict[str, str] | None = None
        self._themes: list[dict[str, Any]] | None = None
        self._theme: dict[str, Any] | None = None
        self._prestation: str | None = None

    # ── HTTP plumbing ─────────────────────────────────────────────────────
    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        try:
            response = self.client.request(method, path, json=body)
        except httpx.TransportError as exc:
            raise TargetError(
                f"La cible {self.base_url} ne répond pas ({exc.__class__.__name__} sur {method} {path})."
                " Vérifiez l'adresse passée à --target et que le serveur est démarré."
            ) from None
        if response.status_code >= 500:
            raise TargetError(
                f"La cible a répondu {response.status_code} à {method} {self.base_url}{path} :"
                f" {response.text[:300]}"
            )
        return response

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _outcome(self, response: httpx.Response) -> Outcome:
        body = self._json(response)
        if response.is_success:
            data = body if isinstance(body, dict) else {"items": body}
            step = data.get("etape") if isinstance(data, dict) else None
            return Outcome(True, step=step, data=data or {})
        errors = body.get("erreurs") if isinstance(body, dict) else None
        if isinstance(errors, list):
            messages = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
            fields = [str(e["champ"]) for e in errors if isinstance(e, dict) and e.get("champ")]
            rules = [str(e["regle"]) for e in errors if isinstance(e, dict) and e.get("regle")]
        else:  # not the contract's body (FastAPI's own 422, a plain text): keep what was said
            detail = body.get("detail") if isinstance(body, dict) else response.text
            messages, fields, rules = [str(detail)], [], []
        return Outcome(
            False,
            messages=messages,
            invalid_fields=fields,
            step=self._step_or_none(),
            data={"statut": response.status_code, "regles": rules},
        )

    def _registration_path(self, suffix: str = "") -> str:
        if self.registration is None:
            raise TargetError("Aucune inscription en cours : commencez par « Créer un compte » (start_registration).")
        return f"/api/inscriptions/{self.registration}{suffix}"

    def _step_or_none(self) -> str | None:
        if self.registration is None:
            return None
        response = self._call("GET", self._registration_path())
        if response.status_code != 200:
            return None
        return (self._json(response) or {}).get("etape")

    def _load_themes(self) -> list[dict[str, Any]]:
        if self._themes is None:
            response = self._call("GET", "/api/themes")
            if response.status_code != 200:
                raise TargetError(f"GET {self.base_url}/api/themes a répondu {response.status_code}.")
            self._themes = self._json(response) or []
        return self._themes

    def _prestation_code(self, label: str) -> str:
        wanted = label.strip().casefold()
        for theme in self._load_themes():
            for prestation in theme.get("prestations", []):
                if wanted in (prestation.get("libelle", "").casefold(), prestation.get("code", "").casefold()):
                    return prestation["code"]
        known = ", ".join(p.get("libelle", "?") for t in self._load_themes() for p in t.get("prestations", []))
        raise TargetError(f"Prestation inconnue de la cible : « {label} » (prestations offertes : {known}).")

    def _any_prestation(self) -> str:
        if self._prestation:
            return self._prestation_code(self._prestation)
        for theme in self._load_themes():
            for prestation in theme.get("prestations", []):
                return prestation["code"]
        raise TargetError(f"La cible {self.base_url} n'offre aucune prestation (/api/themes).")

    # ── ① ② ③ navigation ──────────────────────────────────────────────────
    def open_home(self) -> None:
        raise NotApplicable(NAVIGATION)

    def follow(self, element: str) -> None:
        raise NotApplicable(NAVIGATION)

    def is_offered(self, element: str) -> bool:
        raise NotApplicable(NAVIGATION)

    def themes(self) -> list[str]:
        return [t.get("libelle", "") for t in self._load_themes()]

    def choose_theme(self, theme: str) -> list[str]:
        wanted = theme.strip().casefold()
        for t in self._load_themes():
            if wanted in (t.get("libelle", "").casefold(), t.get("code", "").casefold()):
                self._theme = t
                return [p.get("libelle", "") for p in t.get("prestations", [])]
        raise TargetError(f"Thème inconnu de la cible : « {theme} » (thèmes : {', '.join(self.themes())}).")

    def choose_prestation(self, prestation: str) -> None:
        self._prestation_code(prestation)  # raises when unknown
        self._prestation = prestation

    def current_step(self) -> str | None:
        return self._step_or_none()

    # ── ④ … ⑨ the journey ────────────────────────────────────────────────
    def start_registration(self, prestation: str | None = None) -> Outcome:
        code = self._prestation_code(prestation) if prestation else None
        response = self._call("POST", "/api/inscriptions", {"prestation": code})
        outcome = self._outcome(response)
        if outcome.accepted:
            self.registration = outcome.data.get("id")
            self._contact = None
            if not self.registration:
                raise TargetError(f"POST {self.base_url}/api/inscriptions n'a pas renvoyé d'identifiant « id ».")
        return outcome

    def fill_civil_status(self, person: dict[str, str], *, without_nir: bool = False) -> Outcome:
        body = {
            "sans_nir": without_nir,
            "nir": None if without_nir else person.get("nir", ""),
            **{k: person.get(k, "") for k in ("civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance")},
        }
        return self._outcome(self._call("POST", self._registration_path("/etat-civil"), body))

    def submit_identity_document(self, kind: str, number: str) -> Outcome:
        body = {"type_titre": kind, "numero_titre": number}
        return self._outcome(self._call("POST", self._registration_path("/piece-identite"), body))

    def declare_no_french_document(self) -> Outcome:
        body = {"sans_piece_francaise": True}
        return self._outcome(self._call("POST", self._registration_path("/piece-identite"), body))

    def request_code(self, channel: str, value: str) -> Outcome:
        self._contact = {"canal": channel, "valeur": value}
        return self._outcome(self._call("POST", self._registration_path("/coordonnees"), self._contact))

    def resend_code(self) -> Outcome:
        if self._contact is None:
            raise TargetError("« Renvoyer le code » avant tout envoi : demandez d'abord un code (request_code).")
        return self._outcome(self._call("POST", self._registration_path("/coordonnees"), self._contact))

    def submit_code(self, code: str) -> Outcome:
        return self._outcome(self._call("POST", self._registration_path("/code"), {"code": code}))

    def choose_password(self, password: str) -> Outcome:
        body = {"mot_de_passe": password}
        return self._outcome(self._call("POST", self._registration_path("/mot-de-passe"), body))

    def password_rule_text(self) -> str:
        state = self._json(self._call("GET", self._registration_path())) or {}
        for key in ("regle_mot_de_passe", "aide_mot_de_passe", "regle"):
            if isinstance(state.get(key), str) and state[key]:
                return state[key]
        raise NotApplicable("le texte de la règle du mot de passe s'affiche sur la page : pilote navigateur")

    def recap(self) -> dict[str, str]:
        response = self._call("GET", self._registration_path("/recapitulatif"))
        if response.status_code != 200:
            raise TargetError(
                f"GET {self.base_url}{self._registration_path('/recapitulatif')} a répondu {response.status_code}."
            )
        body = self._json(response) or {}
        shown: dict[str, str] = {}
        for key, value in (body.get("etat_civil") or {}).items():
            shown[RECAP_LABELS.get(key, key)] = "" if value is None else str(value)
        if body.get("identifiant"):
            shown["Identifiant"] = str(body["identifiant"])
        document = body.get("piece_identite") or {}
        if document.get("sans_piece_francaise"):
            shown["Pièce d'identité"] = "Je ne dispose pas d'une pièce d'identité française"
        elif document:
            shown["Type de titre d'identité"] = DOCUMENT_LABELS.get(document.get("type_titre"), str(document.get("type_titre")))
            shown["Numéro du titre d'identité"] = str(document.get("numero_masque", ""))
        if body.get("justificatif_a_fournir"):
            shown["Justificatif à fournir"] = "Oui"
        contact = body.get("coordonnees") or {}
        if contact:
            shown[CHANNEL_LABELS.get(contact.get("canal"), "Coordonnées de contact")] = str(contact.get("valeur", ""))
        # Anything else the target returned stays visible to the checks (e.g. a leaked password).
        for key, value in body.items():
            if key not in ("etat_civil", "identifiant", "piece_identite", "justificatif_a_fournir", "coordonnees"):
                shown[key] = str(value)
        return shown

    # ── ⑨ login and espace ───────────────────────────────────────────────
    def login(self, identifier: str, password: str) -> Outcome:
        body = {"identifiant": identifier, "mot_de_passe": password}
        outcome = self._outcome(self._call("POST", "/api/session", body))
        outcome.step = None
        return outcome

    def logout(self) -> None:
        self._call("DELETE", "/api/session")
        self.client.cookies.clear()

    def _espace(self) -> dict[str, Any]:
        response = self._call("GET", "/api/espace")
        if response.status_code != 200:
            raise TargetError(
                f"« Mon espace » ({self.base_url}/api/espace) a répondu {response.status_code} :"
                " la personne devrait être connectée."
            )
        return self._json(response) or {}

    def offered_actions(self) -> list[str]:
        return [a.get("code", "") for a in self._espace().get("actions", [])]

    def attempt(self, action: str) -> Outcome:
        if action not in ACTION_CALLS:
            raise TargetError(f"Action inconnue : {action} (actions : {', '.join(ACTION_CALLS)}).")
        method, path = ACTION_CALLS[action]
        body: dict[str, Any] | None = None
        if action == "demander_prestation":
            body = {"prestation": self._any_prestation()}
        elif action == "modifier_coordonnees":
            espace = self._espace()
            body = {"canal": "email", "valeur": f"nouvelle.adresse.{espace.get('identifiant', 'x')}@exemple.fr".lower()}
        elif action == "declarer_separation":
            body = {"date_separation": date.today().isoformat()}
        outcome = self._outcome(self._call(method, path, body))
        outcome.step = None
        return outcome

    def request_prestation(self, prestation: str) -> Outcome:
        outcome = self._outcome(self._call("POST", "/api/demandes", {"prestation": self._prestation_code(prestation)}))
        outcome.step = None
        return outcome

    def demarches(self) -> list[dict[str, str]]:
        response = self._call("GET", "/api/demandes")
        if response.status_code != 200:
            raise TargetError(f"« Suivre mes démarches » ({self.base_url}/api/demandes) a répondu {response.status_code}.")
        return [
            {"prestation": str(d.get("libelle") or d.get("prestation", "")), "statut": str(d.get("statut", ""))}
            for d in self._json(response) or []
        ]

    def set_procuration(self, granted: bool) -> Outcome:
        outcome = self._outcome(self._call("POST", "/api/procuration", {"accordee": granted}))
        outcome.step = None
        return outcome

    # ── help ──────────────────────────────────────────────────────────────
    def ask_chatbot(self, question: str) -> Outcome:
        response = self._call("POST", "/api/chatbot", {"question": question})
        if response.status_code != 200:
            return self._outcome(response)
        body = self._json(response) or {}
        return Outcome(
            bool(body.get("connue")),
            messages=[str(body.get("reponse", ""))],
            data={"regle": body.get("regle"), "connue": bool(body.get("connue"))},
        )

    def close(self) -> None:
        self.client.close()
