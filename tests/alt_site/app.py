"""« Espace allocataire » : an alternative front end the harness was not designed for.

A small Starlette app implementing steps ④ to ⑨ of the guide and the login, with
its own markup and words (« N° de sécurité sociale », « Nom à la naissance »,
buttons « Suivant », « Recevoir mon code »), its own URL scheme (``/compte/…``),
``data-testid`` attributes, error blocks without ARIA roles, its own test
identities (``identites.yaml``: its identity registry) and confirmation codes
sent by e-mail over SMTP. It validates with its own code (``validation.py``:
its own checks and its own wording of each message), nothing borrowed from the
harness. Each refused field carries ``aria-invalid`` and an ``aria-describedby``
pointing to its message (``erreur-<champ>``), next to the field, besides the error
block listing every message.

Not implemented (the profile declares these rules not applicable): the pages
①②③, the provisional identifier, « pas de pièce française », SMS, resending a
code, the roles of the foyer, the Chatbot, FranceConnect.

Deviation switch: ``--mdp-max N`` accepts passwords up to N characters while
still showing the site's normal rule (a site bug the harness must catch).

Run: ``python -m tests.alt_site.app --port 8100 --smtp-port 2525``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import secrets
import smtplib
import threading
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from . import validation as v
from .validation import EtatCivil, Refus

HERE = Path(__file__).parent
COOKIE = "espace_session"

STEPS = ["identite", "document", "contact", "code", "secret", "synthese"]
PATHS = {step: f"/compte/etape/{i}-{step}" for i, step in enumerate(STEPS, start=1)}
TITLES = {"identite": "Votre identité", "document": "Votre pièce d'identité", "contact": "Vos coordonnées",
          "code": "Vérification de vos coordonnées", "secret": "Votre mot de passe",
          "synthese": "Synthèse de votre inscription"}
DOCUMENT_LABELS = {"cni": "Carte nationale d'identité", "passeport": "Passeport", "titre_sejour": "Titre de séjour"}

MSG_ETAPE = "Cette étape n'est pas encore disponible : terminez d'abord l'étape en cours."
MSG_IDENTITE = "Le numéro du titre d'identité ne correspond pas à l'identité saisie."
MSG_CONTACT = "Indiquez une adresse e-mail pour recevoir votre code."
MSG_SMS = "L'envoi du code par SMS n'est pas disponible : indiquez une adresse e-mail."
MSG_CONNEXION = "Identifiant ou mot de passe incorrect."


def _hash(password: str) -> str:  # a test site: a salted SHA-256 is enough here
    salt = secrets.token_hex(8)
    return salt + "$" + hashlib.sha256((salt + password).encode()).hexdigest()


def _matches(stored: str, password: str) -> bool:
    salt, digest = stored.split("$", 1)
    return secrets.compare_digest(digest, hashlib.sha256((salt + password).encode()).hexdigest())


class Site:
    def __init__(self, identities: list[dict], smtp_host: str, smtp_port: int, password_max: int | None = None,
                 code_minutes: float = v.CODE_VALIDITE_MINUTES):
        self.registry = identities
        self.code_minutes = code_minutes  # a recette may shorten it (--validite-code)
        self.smtp = (smtp_host, smtp_port)
        # the rule shown always states v.MDP_MAX; --mdp-max only changes what is accepted
        self.password_max = password_max or v.MDP_MAX
        self.sessions: dict[str, dict] = {}
        self.accounts: dict[str, dict] = {}  # NIR → account (a new registration replaces it: test identities)
        self.lock = threading.Lock()

    # ── sessions ──────────────────────────────────────────────────────────
    def session(self, request: Request) -> tuple[str, dict]:
        sid = request.cookies.get(COOKIE)
        with self.lock:
            if not sid or sid not in self.sessions:
                sid = secrets.token_urlsafe(16)
                self.sessions[sid] = {}
            return sid, self.sessions[sid]

    # ── mail ──────────────────────────────────────────────────────────────
    def send_code(self, to: str, code: str) -> None:
        message = EmailMessage()
        message["From"] = "ne-pas-repondre@espace.exemple.invalid"
        message["To"] = to
        message["Subject"] = "Votre code de vérification"
        message.set_content(f"Bonjour,\n\nVotre code de vérification est : {code}\n"
                            f"Il est valable {self.code_minutes:g} minute{'s' if self.code_minutes >= 2 else ''}.\n")
        with smtplib.SMTP(*self.smtp, timeout=10) as smtp:
            smtp.send_message(message)

    def identity_of(self, nir: str, kind: str, number: str) -> dict | None:
        for person in self.registry:
            if v.normaliser_nss(str(person.get("nir") or "")) != nir:
                continue
            for piece in person.get("pieces", []):
                if (piece["type"] == kind
                        and v.numero_canonique(str(piece["numero"]), kind) == v.numero_canonique(number, kind)):
                    return person
        return None


# ── rendering ─────────────────────────────────────────────────────────────
def page(title: str, body: str, *, errors: list[str] = (), info: str = "", status: int = 200,
         sid: str | None = None, step: str | None = None) -> HTMLResponse:
    e = html.escape
    blocks = ""
    if errors:
        items = "".join(f"<li>{e(m)}</li>" for m in errors)
        blocks += f'<div class="bandeau-erreur" data-testid="erreurs"><p>Veuillez corriger :</p><ul>{items}</ul></div>'
    if info:
        blocks += f'<div class="bandeau-info" data-testid="info"><p>{e(info)}</p></div>'
    progress = (f'<p class="progression" data-testid="progression">Étape {STEPS.index(step) + 1} sur 6</p>'
                if step else "")
    doc = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{e(title)} – Espace allocataire</title>
<style>body{{font-family:sans-serif;max-width:44rem;margin:auto}} .bandeau-erreur{{background:#fee;padding:.5rem}}
.champ{{margin:.6rem 0}} label{{display:block}}</style></head>
<body><div class="entete"><a href="/">Espace allocataire</a> · <a href="/acces">Accès à mon compte</a></div>
<div class="page">{progress}<h1>{e(title)}</h1>{blocks}{body}</div></body></html>"""
    response = HTMLResponse(doc, status_code=status)
    if sid:
        response.set_cookie(COOKIE, sid, httponly=True, samesite="lax")
    return response


def _error_attributes(name: str, errors: dict[str, list[str]], described_by: str = "") -> tuple[str, str]:
    """(attributes of a field, the element holding its messages) — ties a refused field to its messages."""
    ids = [described_by] if described_by else []
    if not errors.get(name):
        return (f' aria-describedby="{" ".join(ids)}"' if ids else ""), ""
    ids.append(f"erreur-{name}")
    messages = "<br>".join(html.escape(m) for m in errors[name])
    return (f' aria-invalid="true" aria-describedby="{" ".join(ids)}"',
            f'<p id="erreur-{name}" class="erreur-champ">{messages}</p>')


def field(name: str, label: str, values: dict, errors: dict[str, list[str]], *, kind: str = "text",
          extra: str = "", described_by: str = "") -> str:
    e = html.escape
    bad, message = _error_attributes(name, errors, described_by)
    return (f'<div class="champ"><label for="f-{name}">{e(label)}</label>'
            f'<input id="f-{name}" name="{name}" type="{kind}" value="{e(values.get(name, ""))}"'
            f' data-testid="champ-{name}"{bad}{extra}>{message}</div>')


def select(name: str, label: str, options: list[tuple[str, str]], values: dict, errors: dict[str, list[str]]) -> str:
    e = html.escape
    bad, message = _error_attributes(name, errors)
    opts = "".join(f'<option value="{e(v)}"{" selected" if values.get(name) == v else ""}>{e(t)}</option>'
                   for v, t in options)
    return (f'<div class="champ"><label for="f-{name}">{e(label)}</label>'
            f'<select id="f-{name}" name="{name}" data-testid="champ-{name}"{bad}>'
            f'<option value="">Choisir…</option>{opts}</select>{message}</div>')


def by_field(refusals: list[Refus]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for refusal in refusals:
        grouped.setdefault(refusal.champ, []).append(refusal.message)
    return grouped


def redirect(url: str, sid: str | None = None) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    if sid:
        response.set_cookie(COOKIE, sid, httponly=True, samesite="lax")
    return response


def build_app(site: Site) -> Starlette:
    def step_form(step: str, values: dict, errors: dict[str, list[str]]) -> str:
        if step == "identite":
            return ('<form method="post" novalidate>'
                    + field("nss", "N° de sécurité sociale", values, errors)
                    + select("civilite", "Vous êtes", [("Madame", "Madame"), ("Monsieur", "Monsieur")], values, errors)
                    + field("nom", "Nom à la naissance", values, errors)
                    + field("prenoms", "Prénom(s)", values, errors)
                    + field("naissance", "Né(e) le (JJ/MM/AAAA)", values, errors)
                    + field("lieu", "Lieu de naissance (code INSEE)", values, errors)
                    + '<button type="submit" data-testid="suivant">Suivant</button></form>')
        if step == "document":
            return ('<form method="post" novalidate>'
                    + select("piece", "Type de pièce", list(DOCUMENT_LABELS.items()), values, errors)
                    + field("numero", "Numéro de la pièce", values, errors)
                    + '<button type="submit" data-testid="suivant">Suivant</button></form>')
        if step == "contact":
            return ('<form method="post" novalidate>'
                    + field("courriel", "Courriel", values, errors, kind="email")
                    + field("portable", "Téléphone mobile", values, errors, kind="tel")
                    + '<button type="submit" data-testid="recevoir-code">Recevoir mon code</button></form>')
        if step == "code":
            return ('<form method="post" novalidate>'
                    + field("code", "Code reçu", values, errors, extra=' inputmode="numeric" autocomplete="one-time-code"')
                    + '<button type="submit">Confirmer</button></form>')
        if step == "secret":
            return ('<form method="post" novalidate>'
                    + field("secret", "Choisissez un mot de passe", values | {"secret": ""}, errors, kind="password",
                            described_by="regle-secret")
                    + f'<p id="regle-secret">{html.escape(v.texte_regle_mdp())}</p>'
                    + '<button type="submit">Enregistrer</button></form>')
        raise KeyError(step)

    def guard(request: Request, step: str) -> tuple[str, dict, Response | None]:
        sid, state = site.session(request)
        current = state.get("etape")
        if current is None:
            state["flash"] = MSG_ETAPE
            return sid, state, redirect("/compte/nouveau", sid)
        if current != step:
            state["flash"] = MSG_ETAPE
            return sid, state, redirect(PATHS[current], sid)
        return sid, state, None

    async def home(request: Request) -> Response:
        return page("Espace allocataire", '<p><a href="/compte/nouveau">Ouvrir mon espace</a></p>')

    async def start(request: Request) -> Response:
        sid, state = site.session(request)
        if request.method == "POST":
            state.clear()
            state["etape"] = "identite"
            return redirect(PATHS["identite"], sid)
        return page("Ouvrir mon espace", '<form method="post"><button type="submit" data-testid="demarrer">'
                    "Démarrer mon inscription</button></form>", errors=[state.pop("flash")] if "flash" in state else [],
                    sid=sid)

    def step_endpoint(step: str):
        async def endpoint(request: Request) -> Response:
            sid, state, refused = guard(request, step)
            if refused:
                return refused
            if request.method == "GET":
                flash = [state.pop("flash")] if "flash" in state else []
                body = recap(state) if step == "synthese" else step_form(step, state.get("saisie", {}), {})
                return page(TITLES[step], body, errors=flash, sid=sid, step=step)
            form = {k: str(v) for k, v in (await request.form()).items()}
            refusals = HANDLERS[step](state, form)
            if refusals:
                return page(TITLES[step], step_form(step, form, by_field(refusals)),
                            errors=[r.message for r in refusals], sid=sid, step=step, status=422)
            return redirect(PATHS[state["etape"]], sid)
        return endpoint

    def do_identity(state: dict, form: dict) -> list[Refus]:
        identity, refusals = v.valider_etat_civil(form)
        if refusals:
            return refusals
        state["identite"] = identity
        state["etape"] = "document"
        return []

    def do_document(state: dict, form: dict) -> list[Refus]:
        kind, number = form.get("piece", ""), form.get("numero", "")
        refusals = v.valider_piece(kind, number)
        if refusals:
            return refusals
        if site.identity_of(state["identite"].nir, kind, number) is None:
            return [Refus("numero", MSG_IDENTITE)]
        state["piece"] = (kind, number)
        state["etape"] = "contact"
        return []

    def do_contact(state: dict, form: dict) -> list[Refus]:
        email, mobile = form.get("courriel", "").strip(), form.get("portable", "").strip()
        if not email and not mobile:
            return [Refus("courriel", MSG_CONTACT)]
        if not email:
            return v.valider_portable(mobile) or [Refus("portable", MSG_SMS)]
        refusals = v.valider_courriel(email)
        if refusals:
            return refusals
        code = f"{secrets.randbelow(10**v.CODE_CHIFFRES):0{v.CODE_CHIFFRES}d}"
        site.send_code(email, code)
        state.update(courriel=email, code={"valeur": code, "envoye": datetime.now(timezone.utc), "essais": 0,
                                           "utilise": False}, etape="code")
        return []

    def do_code(state: dict, form: dict) -> list[Refus]:
        typed = v.normaliser_code(form.get("code", ""))
        refusals = v.valider_format_code(typed)
        if refusals:
            return refusals
        sent, maximum = state["code"], v.CODE_ESSAIS
        if sent["essais"] >= maximum:
            return [Refus("code", v.CODE_EPUISE)]
        if sent["utilise"]:
            return [Refus("code", v.CODE_UTILISE)]
        if datetime.now(timezone.utc) - sent["envoye"] > timedelta(minutes=site.code_minutes):
            return [Refus("code", v.code_expire(site.code_minutes))]
        if not secrets.compare_digest(typed, sent["valeur"]):
            sent["essais"] += 1
            return [Refus("code", v.message_code_faux(maximum - sent["essais"]))]
        sent["utilise"] = True
        state["etape"] = "secret"
        return []

    def do_secret(state: dict, form: dict) -> list[Refus]:
        password = form.get("secret", "")
        refusals = v.valider_mot_de_passe(password, maximum=site.password_max)
        if refusals:
            return refusals
        identity = state["identite"]
        with site.lock:
            site.accounts[identity.nir] = {"identite": identity, "mot_de_passe": _hash(password),
                                           "courriel": state["courriel"]}
        state["etape"] = "synthese"
        return []

    HANDLERS = {"identite": do_identity, "document": do_document, "contact": do_contact, "code": do_code,
                "secret": do_secret}

    def recap(state: dict) -> str:
        e = html.escape
        identity: EtatCivil = state["identite"]
        kind, number = state["piece"]
        rows = [("N° de sécurité sociale", identity.nir), ("Civilité", identity.civilite),
                ("Nom à la naissance", identity.nom_naissance), ("Prénom(s)", identity.prenoms),
                ("Date de naissance", datetime.fromisoformat(identity.date_naissance).strftime("%d/%m/%Y")),
                ("Lieu de naissance", identity.lieu_naissance),
                ("Pièce d'identité", f"{DOCUMENT_LABELS[kind]} {v.masquer_numero(number, kind)}"),
                ("Courriel", state["courriel"])]
        items = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
        return (f'<p data-testid="info">Votre espace est créé.</p><dl data-testid="synthese">{items}</dl>'
                '<p><a href="/acces">Accéder à mon compte</a></p>')

    async def login(request: Request) -> Response:
        sid, state = site.session(request)
        body = ('<form method="post" novalidate>'
                + "{fields}"
                + '<button type="submit">Connexion</button></form>')
        if request.method == "GET":
            return page("Accès à mon compte", body.format(fields=field("identifiant", "Identifiant (N° de sécurité sociale)", {}, {})
                        + field("mdp", "Votre mot de passe", {}, {}, kind="password")), sid=sid)
        form = {k: str(v) for k, v in (await request.form()).items()}
        account = site.accounts.get(v.normaliser_nss(form.get("identifiant", "")))
        if account is None or not _matches(account["mot_de_passe"], form.get("mdp", "")):
            refused = {"identifiant": [MSG_CONNEXION], "mdp": [MSG_CONNEXION]}
            fields = (field("identifiant", "Identifiant (N° de sécurité sociale)", form, refused)
                      + field("mdp", "Votre mot de passe", {}, refused, kind="password"))
            return page("Accès à mon compte", body.format(fields=fields), errors=[MSG_CONNEXION], status=401, sid=sid)
        state.clear()
        state["compte"] = account["identite"].nir
        return redirect("/tableau-de-bord", sid)

    async def dashboard(request: Request) -> Response:
        sid, state = site.session(request)
        account = site.accounts.get(state.get("compte", ""))
        if account is None:
            return redirect("/acces", sid)
        identity = account["identite"]
        body = (f"<p>Bonjour {html.escape(identity.prenoms)} {html.escape(identity.nom_naissance)}.</p>"
                '<ul><li><a href="/tableau-de-bord/informations" data-testid="lien-informations">Mes informations</a></li></ul>'
                '<form method="post" action="/deconnexion"><button type="submit">Déconnexion</button></form>')
        return page("Tableau de bord", body, sid=sid)

    async def informations(request: Request) -> Response:
        sid, state = site.session(request)
        account = site.accounts.get(state.get("compte", ""))
        if account is None:
            return redirect("/acces", sid)
        identity = account["identite"]
        return page("Mes informations", f"<p>{html.escape(identity.prenoms)} {html.escape(identity.nom_naissance)},"
                    f" {html.escape(account['courriel'])}</p>", sid=sid)

    async def logout(request: Request) -> Response:
        sid, state = site.session(request)
        state.clear()
        return redirect("/acces", sid)

    routes = [Route("/", home), Route("/compte/nouveau", start, methods=["GET", "POST"]),
              *(Route(PATHS[s], step_endpoint(s), methods=["GET", "POST"]) for s in STEPS),
              Route("/acces", login, methods=["GET", "POST"]), Route("/tableau-de-bord", dashboard),
              Route("/tableau-de-bord/informations", informations), Route("/deconnexion", logout, methods=["POST"])]
    return Starlette(routes=routes)


def load_identities(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["personnes"]


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Site alternatif « Espace allocataire » (tests du harnais)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--smtp-host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument("--identites", type=Path, default=HERE / "identites.yaml")
    parser.add_argument("--mdp-max", type=int, default=None, help="écart volontaire : longueur maximale acceptée")
    parser.add_argument("--validite-code", type=float, default=v.CODE_VALIDITE_MINUTES, metavar="MINUTES",
                        help="durée de validité des codes (réglage de recette)")
    args = parser.parse_args(argv)
    site = Site(load_identities(args.identites), args.smtp_host, args.smtp_port, args.mdp_max, args.validite_code)
    uvicorn.run(build_app(site), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
