"""``ApiDriver``: the intents over the reference JSON API (``reference_impl/README.md``).

Refusals come back as ``{"erreurs": [{"regle", "champ", "message"}]}`` with a 4xx
status: the driver turns them into an ``Outcome`` (messages, invalid fields and
the journey step the user is left on). Page navigation has no meaning over the
API: those intents are *not applicable* here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from http.cookiejar import Cookie, CookieJar
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from moncompte.steps.drivers.base import Driver, NotApplicable, NotRun, Outcome, TargetError
from moncompte.steps.drivers.html_forms import HtmlPage, submission
from moncompte.steps.locators import ELEMENTS, LocatorSpec, merge_overrides
from moncompte.steps.target_access import client_options

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
DOCUMENT_LABELS = {
    "cni": "Carte nationale d'identité",
    "passeport": "Passeport français",
    "titre_sejour": "Titre de séjour",
}
CHANNEL_LABELS = {"email": "Adresse e-mail", "sms": "Numéro de téléphone portable"}
FRANCECONNECT_DOCUMENT = "Identité fournie par FranceConnect"  # the recap's « Pièce d'identité » (pages)
INTENTIONS = ("creation", "connexion")
PROVIDER_REDIRECTS = 10  # redirects followed at the FranceConnect provider before giving up


class ApiDriver(Driver):
    name = "api"

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 15.0,
        client: httpx.Client | None = None,
        locators: Mapping[str, LocatorSpec | Mapping[str, Any]] | None = None,
        access: Any = None,
    ):
        self.base_url = base_url.rstrip("/")
        # access: the profile's [acces] (basic authentication, internal CA: steps.target_access)
        self.client = client or httpx.Client(
            base_url=self.base_url, timeout=timeout, follow_redirects=False, **client_options(access, self.base_url)
        )
        # The FranceConnect provider's pages are browsed as a browser would, with their own cookies,
        # and their elements found with the browser driver's locators (overridable by a profile).
        # The profile's CA is trusted there too; the target's credentials are not sent there.
        self.provider = httpx.Client(timeout=timeout, follow_redirects=False, **client_options(access, None))
        self.locators = merge_overrides(locators) if locators else ELEMENTS
        self._fc_session = False  # the session was opened with FranceConnect (logout goes through it)
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
                f"La cible a répondu {response.status_code} à {method} {self.base_url}{path} : {response.text[:300]}"
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
            **{
                k: person.get(k, "")
                for k in ("civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance")
            },
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

    def choose_password(self, password: str, confirmation: str | None = None) -> Outcome:
        if confirmation is not None:
            raise NotApplicable("l'API de la référence ne demande pas de confirmation du mot de passe")
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
        elif document.get("franceconnect"):
            shown["Pièce d'identité"] = FRANCECONNECT_DOCUMENT
        elif document:
            shown["Type de titre d'identité"] = DOCUMENT_LABELS.get(
                document.get("type_titre"), str(document.get("type_titre"))
            )
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

    def proof_notice(self) -> str | None:
        return "Justificatif à fournir" if self.recap().get("Justificatif à fournir") == "Oui" else None

    def recap_text(self) -> str:
        """The whole answer of the recap, as sent (every key and value)."""
        response = self._call("GET", self._registration_path("/recapitulatif"))
        if response.status_code != 200:
            raise TargetError(
                f"GET {self.base_url}{self._registration_path('/recapitulatif')} a répondu {response.status_code}."
            )
        return response.text

    # ── ⑨ login and espace ───────────────────────────────────────────────
    def login(self, identifier: str, password: str) -> Outcome:
        body = {"identifiant": identifier, "mot_de_passe": password}
        outcome = self._outcome(self._call("POST", "/api/session", body))
        outcome.step = None
        return outcome

    def logout(self) -> None:
        if self._fc_session:
            self._fc_logout()
        else:
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
            raise TargetError(
                f"« Suivre mes démarches » ({self.base_url}/api/demandes) a répondu {response.status_code}."
            )
        return [
            {"prestation": str(d.get("libelle") or d.get("prestation", "")), "statut": str(d.get("statut", ""))}
            for d in self._json(response) or []
        ]

    def set_procuration(self, granted: bool) -> Outcome:
        outcome = self._outcome(self._call("POST", "/api/procuration", {"accordee": granted}))
        outcome.step = None
        return outcome

    def espace_identity(self) -> str:
        espace = self._espace()
        return " ".join(str(espace.get(k) or "") for k in ("identifiant", "prenoms", "nom_naissance")).strip()

    # ── FranceConnect ─────────────────────────────────────────────────────
    # The reference's flow (reference_impl/README.md, « FranceConnect »): GET
    # /api/franceconnect/autorisation gives the provider's URL (and sets the ``franceconnect``
    # cookie); the provider's pages are followed over HTTP; its answer (a redirect to the site's
    # redirect_uri) is passed as is to /api/franceconnect/retour, with the same cookies.
    def franceconnect_with_wrong_state(self, account: Mapping[str, str], intention: str = "creation") -> Outcome:
        return self.franceconnect(intention, account, wrong_state=True)

    def franceconnect(self, intention: str, account: Mapping[str, str] | None, *, wrong_state: bool = False) -> Outcome:
        if intention not in INTENTIONS:
            raise ValueError(f"intention inconnue : « {intention} » (attendu : {', '.join(INTENTIONS)})")
        if intention == "creation":
            self.registration, self._contact = None, None  # a new journey: whatever comes back is its state
        query = {"intention": intention} | ({"prestation": self._any_prestation()} if self._prestation else {})
        path = f"/api/franceconnect/autorisation?{urlencode(query)}"
        response = self._call("GET", path)
        body = self._json(response) or {}
        if response.status_code != 200 or not isinstance(body.get("url"), str):
            raise TargetError(
                f"« S'identifier avec FranceConnect » : GET {self.base_url}{path} a répondu {response.status_code}"
                f" au lieu de l'adresse du fournisseur FranceConnect : {response.text[:300]}"
            )
        answer = self._at_provider(body["url"], account)
        if wrong_state:
            answer["state"] = secrets.token_urlsafe(32)
        response = self._call("GET", f"/api/franceconnect/retour?{urlencode(answer)}")
        outcome = self._outcome(response)
        started = (self._json(response) or {}).get("id") if intention == "creation" else None
        if started and not outcome.accepted:  # refused, yet a registration was started: what it is at
            self.registration = str(started)
            outcome.step = self._step_or_none()
        if intention == "creation" and outcome.accepted:
            self.registration = outcome.data.get("id")
            if not self.registration:
                raise TargetError(f"GET {self.base_url}/api/franceconnect/retour n'a pas renvoyé d'identifiant « id ».")
        if intention == "connexion":
            outcome.step = None
            self._fc_session = outcome.accepted
        return outcome

    def _element(self, key: str) -> LocatorSpec:
        return self.locators[key]

    def _at_provider(self, url: str, account: Mapping[str, str] | None) -> dict[str, str]:
        """Choose the identity provider, then log in with ``account`` (or « Annuler » when None);
        return the query of the provider's answer to the site (``code``/``error`` and ``state``)."""
        page = self._provider_page("GET", url)
        page = self._provider_page(*self._press(page, "fc_fournisseur_identite"))
        if account is None:
            answer = self._provider_page(*self._press(page, "fc_annuler"))
        else:
            answer = self._provider_page(
                *self._press(
                    page,
                    "fc_se_connecter",
                    {"fc_identifiant": account["login"], "fc_mot_de_passe": account["password"]},
                )
            )
        if isinstance(answer, httpx.Response):
            alerts = " ".join(HtmlPage.parse(answer.text).alerts)
            raise TargetError(
                f"Le fournisseur FranceConnect n'a pas renvoyé vers le site après la connexion"
                f" ({answer.status_code} sur {answer.url}){f' : {alerts}' if alerts else ''}"
            )
        return dict(parse_qsl(urlsplit(answer).query))

    def _provider_page(self, method: str, url: str, data: dict[str, str] | None = None) -> httpx.Response | str:
        """A request at the provider, its redirects followed while they stay there: its last page,
        or the URL of the site it sends the user back to."""
        site = urlsplit(self.base_url).netloc
        for _ in range(PROVIDER_REDIRECTS):
            if urlsplit(url).netloc == site:
                return url
            try:
                response = self.provider.request(method, url, data=data)
            except httpx.TransportError as exc:
                raise TargetError(
                    f"Le fournisseur FranceConnect ne répond pas ({exc.__class__.__name__} sur {url})."
                ) from None
            if not response.is_redirect:
                return response
            method, data, url = "GET", None, str(response.url.join(response.headers["location"]))
        raise TargetError(f"Trop de redirections chez le fournisseur FranceConnect (dernière : {url}).")

    def _press(
        self, page: httpx.Response | str, key: str, values: Mapping[str, str] | None = None
    ) -> tuple[str, str, dict[str, str]]:
        """The request a browser makes when ``values`` (element key → text) are typed in the form of
        the button ``key``, then the button is pressed."""
        if isinstance(page, str):
            raise TargetError(f"Le fournisseur FranceConnect a renvoyé vers le site ({page}) avant « {key} ».")
        parsed = HtmlPage.parse(page.text)
        found = parsed.find_button(self._element(key))
        if found is None:
            alerts = " ".join(parsed.alerts)
            raise TargetError(
                f"Élément « {self._element(key).display_name(key)} » introuvable chez le fournisseur FranceConnect"
                f" ({page.status_code} sur {page.url}) [clé « {key} », localisateur {self._element(key).describe()}]"
                f"{f' : {alerts}' if alerts else ''}"
            )
        form, button = found
        typed = {}
        for field_key, value in (values or {}).items():
            name = HtmlPage.field_name(form, self._element(field_key))
            if name is None:
                raise TargetError(
                    f"Champ « {self._element(field_key).display_name(field_key)} » introuvable chez le fournisseur"
                    f" FranceConnect ({page.url}) [clé « {field_key} », localisateur {self._element(field_key).describe()}]"
                )
            typed[name] = value
        action = str(page.url.join(form.action or str(page.url)))
        return ("POST" if form.method == "post" else "GET"), action, submission(form, button, typed)

    def _fc_logout(self) -> None:
        """« Se déconnecter » of a session opened with FranceConnect: Mon Compte, then the provider
        (its session/end sends the user back to the site, whose page is opened)."""
        response = self._call("DELETE", "/api/franceconnect/session")
        self._fc_session = False
        if response.status_code != 200:
            raise TargetError(f"DELETE {self.base_url}/api/franceconnect/session a répondu {response.status_code}.")
        url = (self._json(response) or {}).get("url_deconnexion")
        if url:
            back = self._provider_page("GET", url)
            if isinstance(back, str):
                self._call("GET", back)
            else:
                raise TargetError(f"La déconnexion chez FranceConnect n'a pas renvoyé vers le site ({back.url}).")

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

    # ── security (rules SEC-…) ────────────────────────────────────────────
    def session_cookies(self) -> dict[str, dict[str, Any]]:
        jar = self.client.cookies.jar
        return session_carriers(
            jar, list(jar), self.base_url, lambda: self._call("GET", "/api/espace").status_code != 200
        )

    def security_headers(self) -> dict[str, str]:
        response = self._call("GET", "/")
        return {name.lower(): value for name, value in response.headers.items()}

    def forged_form_post(self, civil_status: Mapping[str, str]) -> Outcome:
        """The état civil posted as another site's page would: form-urlencoded (a page cannot send JSON to
        another site without its consent), without the cookie (SameSite=Lax keeps it home). A route the
        target does not have (404, 405) says nothing: *non vérifié*."""
        path = self._registration_path("/etat-civil")
        request = self.client.build_request(
            "POST",
            path,
            data={
                k: civil_status.get(k, "")
                for k in ("nir", "civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance")
            },
        )
        request.headers.pop("cookie", None)
        try:
            status = self.client.send(request).status_code
        except httpx.TransportError as exc:
            raise TargetError(
                f"La cible {self.base_url} ne répond pas ({exc.__class__.__name__} sur POST {path})."
            ) from None
        if status in (404, 405):
            raise NotRun(f"POST {self.base_url}{path} répond {status} : la route n'existe pas, le refus ne prouve rien")
        return Outcome(status < 400, data={"reponse": f"POST {path} : {status}"})

    def oversized_post(self, civil_status: Mapping[str, str], size: int) -> Outcome:
        path = self._registration_path("/etat-civil")
        keys = ("nir", "civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance")
        body = {"sans_nir": False} | {k: civil_status.get(k, "") for k in keys}
        body["commentaire"] = "x" * max(0, size - len(str(body)))
        try:
            response = self.client.post(path, json=body)
        except httpx.TransportError as exc:  # closed while the body was still being sent: a refusal too
            return Outcome(False, data={"statut": None, "reponse": f"connexion fermée ({exc.__class__.__name__})"})
        said = f"POST {path} ({size} octets) : {response.status_code}"
        return Outcome(
            response.is_success, step=self._step_or_none(), data={"statut": response.status_code, "reponse": said}
        )

    def close(self) -> None:
        self.client.close()
        self.provider.close()


def session_carriers(
    jar: CookieJar, cookies: Iterable[Cookie], base_url: str, refused: Callable[[], bool]
) -> dict[str, dict[str, Any]]:
    """Of ``cookies`` (in ``jar``), those that carry the session: each taken away, then given back, those
    without which ``refused()`` (« Mon espace » refused); by name, as ``Driver.session_cookies`` says."""
    https = urlsplit(base_url).scheme == "https"
    carrying = {}
    for cookie in cookies:
        jar.clear(cookie.domain, cookie.path, cookie.name)
        if refused():
            carrying[cookie.name] = {
                "value": cookie.value,
                "https": https,
                "httponly": cookie.has_nonstandard_attr("HttpOnly"),
                "secure": cookie.secure,
                "samesite": (cookie.get_nonstandard_attr("SameSite") or "").lower() or None,
            }
        jar.set_cookie(cookie)
    return carrying
