"""Site profiles: what a target differs in, as data (TOML), validated with pydantic.

A profile names its environment and says, field by field (``steps/PROFILS.md``):

- ``name``, ``description``, ``environment`` (``reference``, ``recette``,
  ``preproduction``, ``production``…) and ``base_url`` (the default target);
- ``[parameters.RULE-ID]``: rule parameters whose value on that site differs from
  the guide's, each override with a ``reference`` saying where the site's rule comes from;
- ``[locators]`` and ``[pages]``: how the browser driver finds each element and page
  when the site words or marks them up differently (``steps.locators``);
- ``[expectations]``: known deviations (rule → reason and ticket: a failure of that
  rule is reported ``expected_fail``) and rules not applicable on the site (with a reason);
- ``[identities]``: the test persons the site's identity check accepts (inline, or a
  YAML/CSV file next to the profile);
- ``[codes]``: where the confirmation codes can be read (reference outbox, SMTP
  catcher, Mailpit/MailHog, HTTP sink for an SMS gateway, shell command);
- ``[acces]``: how to get in to a recette site: HTTP basic authentication (the names of
  the environment variables that hold it, ``"${VAR}"``: the values are never written in the
  profile, nor shown) and the certificate of an internal certification authority
  (``steps.target_access`` gives them to every client of the target).

Errors are reported in French with the path of the faulty field.
"""

from __future__ import annotations

import csv
import os
import re
import ssl
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from moncompte import resources as package_resources
from moncompte import rules
from moncompte.rules.model import Settings

DEFAULT_CODE_PATTERN = r"\b(\d{6})\b"  # the same as steps.codes (not imported: codes imports httpx, drivers)
PRODUCTION_ENVIRONMENTS = frozenset({"production", "prod"})


class ProfileError(ValueError):
    """A profile that cannot be used: the message says what and where, in French."""


# ``${NAME}``: a reference to an environment variable, where a profile holds a secret
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Secret:
    """A secret read from the environment: shown as the profile writes it (« ${RECETTE_MDP} »: in
    ``repr``, ``str`` and the profile's dumps), its value given by ``value()`` only."""

    __slots__ = ("reference", "_value")

    def __init__(self, reference: str, value: str):
        self.reference = reference
        self._value = value

    @property
    def variable(self) -> str:
        """The environment variable's name."""
        return ENV_REFERENCE.fullmatch(self.reference)[1]  # type: ignore[index]

    def value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({self.reference!r})"

    def __str__(self) -> str:
        return self.reference

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and (self.reference, self._value) == (other.reference, other._value)

    def __hash__(self) -> int:
        return hash(self.reference)


def _missing_variables(text: str) -> None:
    """A ``${NAME}`` of ``text`` whose variable is not set: the French error (type ``variable_absente``)."""
    for name in ENV_REFERENCE.findall(text):
        if name not in os.environ:
            raise PydanticCustomError(
                "variable_absente", "la variable d'environnement {variable} n'est pas définie", {"variable": name}
            )


def _secret(value: Any) -> Secret:
    """``"${NAME}"`` → the value of the environment variable ``NAME`` (never written in the profile)."""
    if isinstance(value, Secret):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "doit être une chaîne de caractères")
    written = value.strip()
    reference = ENV_REFERENCE.fullmatch(written)
    if not reference:
        raise PydanticCustomError("secret_ecrit", "le nom d'une variable d'environnement est attendu")
    _missing_variables(written)
    resolved = os.environ[reference[1]]
    if not resolved:
        raise PydanticCustomError(
            "variable_vide", "la variable d'environnement {variable} est vide", {"variable": reference[1]}
        )
    return Secret(written, resolved)


EnvSecret = Annotated[
    Secret,
    PlainValidator(_secret),
    PlainSerializer(str, return_type=str),  # dumps show « ${NAME} », never the value
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$",
            "description": "le nom d'une variable d'environnement qui contient la valeur : ${NOM}",
        }
    ),
]


class ParameterOverride(BaseModel):
    """Overrides of one rule's parameters; ``reference`` is required."""

    model_config = ConfigDict(extra="allow")

    reference: str = Field(min_length=1, description="D'où vient la valeur du site (ticket, spécification).")

    def values(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


def _known_rule(rule_id: str, where: str) -> None:
    if rule_id not in rules.BY_ID:
        raise ValueError(f"{where}.{rule_id} : règle inconnue (la liste : « moncompte rules »)")


class Deviation(BaseModel):
    """A rule the site is known not to follow (yet): its failure is reported ``expected_fail``."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, description="Pourquoi le site s'écarte de la règle.")
    ticket: str = Field(default="", description="Lien vers le ticket qui suit l'écart.")


class Expectations(BaseModel):
    """Per-target expectations: ``deviations`` (rule → Deviation), ``not_applicable`` (rule → reason)."""

    model_config = ConfigDict(extra="forbid")

    deviations: dict[str, Deviation] = Field(default_factory=dict)
    not_applicable: dict[str, str] = Field(default_factory=dict)
    # project choices (rules beyond the guide) the site does not follow, each with its reason
    choix_non_retenus: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_rules(self) -> "Expectations":
        for rule_id in self.deviations:
            _known_rule(rule_id, "expectations.deviations")
        for field_name, table in (
            ("not_applicable", self.not_applicable),
            ("choix_non_retenus", self.choix_non_retenus),
        ):
            for rule_id, reason in table.items():
                _known_rule(rule_id, f"expectations.{field_name}")
                if not reason.strip():
                    raise ValueError(f"expectations.{field_name}.{rule_id} : indiquez la raison")
        for rule_id in self.choix_non_retenus:
            if not rules.BY_ID[rule_id].beyond_guide:
                raise ValueError(
                    f"expectations.choix_non_retenus.{rule_id} : règle du guide, pas un choix du projet"
                    " (un site qui ne la suit pas : expectations.deviations, avec le ticket)"
                )
        tables = {
            "écart connu": set(self.deviations),
            "non applicable": set(self.not_applicable),
            "choix non retenu": set(self.choix_non_retenus),
        }
        names = list(tables)
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                both = sorted(tables[first] & tables[second])
                if both:
                    raise ValueError(f"expectations : {', '.join(both)} à la fois {first} et {second}")
        return self

    def off(self) -> dict[str, str]:
        """Rules the run leaves out, with the reason shown: not applicable, and project choices not followed."""
        return {
            **self.not_applicable,
            **{
                rule_id: f"choix du projet non retenu par le site : {reason}"
                for rule_id, reason in self.choix_non_retenus.items()
            },
        }


DOCUMENT_TYPES = ("cni", "passeport", "titre_sejour")
ARRANGEMENTS = ("auto", "navigateur")  # how the browser driver prepares a scenario (``--arrangement``)
ROLES = (
    "non_allocataire",
    "responsable",
    "conjoint_sans_procuration",
    "conjoint_avec_procuration",
    "enfant",
    "personne_a_charge",
)


class IdentityDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["cni", "passeport", "titre_sejour"]
    numero: str = Field(min_length=1)


class TestIdentity(BaseModel):
    """A test person the site's identity check accepts (step ⑤), with their place in a foyer."""

    __test__ = False  # not a pytest test class
    model_config = ConfigDict(extra="forbid")

    civilite: Literal["Madame", "Monsieur"]
    nom_naissance: str = Field(min_length=1)
    prenoms: str = Field(min_length=1)
    date_naissance: date
    lieu_naissance: str = Field(
        min_length=1,
        description="le lieu de naissance tel que la personne l'écrit"
        " (commune, ou pays pour une naissance à l'étranger), ou son code INSEE",
    )
    code_insee: str | None = Field(
        default=None,
        pattern=r"^[0-9][0-9AB][0-9]{3}$",
        description="code INSEE du lieu de naissance (commune, ou 99 + pays)",
    )
    nir: str | None = None
    pieces: list[IdentityDocument] = Field(default_factory=list)
    role: Literal[ROLES] = "non_allocataire"  # type: ignore[valid-type]
    foyer: str | None = Field(default=None, description="identifiant du foyer (personnes d'un même foyer)")
    procuration: bool = False

    @model_validator(mode="after")
    def _code_given_as_place(self) -> "TestIdentity":
        """A birth place written as a code (« 69123 ») is the INSEE code, the name unknown."""
        if self.code_insee is None and re.fullmatch(r"[0-9][0-9AB][0-9]{3}", self.lieu_naissance):
            self.code_insee = self.lieu_naissance
        return self

    @property
    def place_name(self) -> str | None:
        return None if self.lieu_naissance == self.code_insee else self.lieu_naissance


class Forms(BaseModel):
    """How the site's forms ask for what the guide names (``[formulaires]``)."""

    model_config = ConfigDict(extra="forbid")

    lieu_naissance: Literal["code", "nom"] = Field(
        default="code", description="le lieu de naissance : son code INSEE (comme la référence) ou son nom"
    )


class Identities(BaseModel):
    """``persons`` inline (``[[identities.persons]]``) and/or ``file`` (YAML or CSV, relative to the profile)."""

    model_config = ConfigDict(extra="forbid")

    file: str | None = None
    persons: list[TestIdentity] = Field(default_factory=list)
    un_compte_par_personne: bool = Field(
        default=False,
        description="le site refuse un second compte pour une même personne : chaque identité ne"
        " sert qu'une fois par vérification",
    )


class CodeSourceConfig(BaseModel):
    """Where the harness reads the confirmation codes the site sends (one source)."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["outbox", "smtp", "mailpit", "mailhog", "http_sink", "command"] = "outbox"
    host: str = "127.0.0.1"  # smtp, http_sink: where the harness listens
    port: int = Field(default=2525, ge=0, le=65535)
    url: str | None = None  # mailpit, mailhog
    path: str = "/sms"  # http_sink
    to_field: str = "to"
    body_field: str = "message"
    command: str | None = None  # command: « {recipient} » is replaced by the quoted recipient
    pattern: str = DEFAULT_CODE_PATTERN
    timeout: float = Field(default=10.0, gt=0, description="durée maximale d'une lecture (commande, API)")

    @field_validator("command")
    @classmethod
    def _command_variables(cls, value: str | None) -> str | None:
        """A secret in a command is written ``${NAME}``: the shell that runs it reads the variable (the
        harness never puts the value in the command it shows); a variable not set is said now."""
        if value:
            _missing_variables(value)
        return value

    @field_validator("pattern")
    @classmethod
    def _regex(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"expression régulière invalide ({exc})") from None
        return value

    @model_validator(mode="after")
    def _required_per_source(self) -> "CodeSourceConfig":
        if self.source in ("mailpit", "mailhog") and not self.url:
            raise ValueError(f"codes : la source {self.source} demande « url » (adresse de son API HTTP)")
        if self.source == "command" and not self.command:
            raise ValueError("codes : la source command demande « command »")
        return self

    @property
    def listens(self) -> bool:
        """The harness itself listens on ``host:port`` (one process only: see ``--workers``)."""
        return self.source in ("smtp", "http_sink")


class Codes(CodeSourceConfig):
    """``[codes]``: one source for every channel, or one per channel (``[codes.email]``, ``[codes.sms]``:
    e-mail by SMTP and SMS through an HTTP sink, used together); a channel without its own table uses
    the source of ``[codes]`` itself."""

    email: CodeSourceConfig | None = None
    sms: CodeSourceConfig | None = None
    attente_max: int = Field(
        default=60,
        ge=0,
        description="secondes que le harnais peut attendre pour qu'un code"
        " vieillisse sur un site sans horloge de test (délai de renvoi, expiration)",
    )

    def by_channel(self) -> dict[str, CodeSourceConfig]:
        """Channel (``email``, ``sms``) → the source that reads its codes."""
        return {"email": self.email or self, "sms": self.sms or self}

    @property
    def reference_outbox(self) -> bool:
        """Every channel is read in the reference's outbox (``source = "outbox"``, no per-channel table)."""
        return all(config.source == "outbox" for config in self.by_channel().values())

    @property
    def listens(self) -> bool:
        return any(config.source in ("smtp", "http_sink") for config in self.by_channel().values())

    @model_validator(mode="after")
    def _distinct_ports(self) -> "Codes":
        listening = [
            (c.host, c.port)
            for c in {id(c): c for c in self.by_channel().values()}.values()
            if c.source in ("smtp", "http_sink") and c.port
        ]
        if len(listening) != len(set(listening)):
            raise ValueError("codes : les sources e-mail et SMS écoutent sur le même port ; donnez-leur deux ports")
        return self


class Access(BaseModel):
    """``[acces]``: how the harness gets in to a recette site — HTTP basic authentication (the names of the
    environment variables that hold it) and the certificate of an internal certification authority."""

    model_config = ConfigDict(extra="forbid")

    utilisateur: EnvSecret | None = Field(
        default=None, description="authentification HTTP : « ${VARIABLE} » qui contient l'identifiant"
    )
    mot_de_passe: EnvSecret | None = Field(
        default=None, description="authentification HTTP : « ${VARIABLE} » qui contient le mot de passe"
    )
    certificats_ca: str | None = Field(
        default=None,
        min_length=1,
        description="certificat(s) PEM de l'autorité qui signe le certificat du site, relatif au profil",
    )

    @model_validator(mode="after")
    def _both_or_none(self) -> "Access":
        if (self.utilisateur is None) != (self.mot_de_passe is None):
            raise ValueError("indiquez utilisateur et mot_de_passe ensemble (authentification HTTP)")
        return self

    @property
    def credentials(self) -> tuple[str, str] | None:
        """(user, password) of the HTTP basic authentication, or ``None``."""
        if self.utilisateur is None or self.mot_de_passe is None:
            return None
        return self.utilisateur.value(), self.mot_de_passe.value()

    @property
    def variables(self) -> str:
        """The variables that hold the credentials, for a message (« RECETTE_UTILISATEUR, RECETTE_MDP »)."""
        return ", ".join(s.variable for s in (self.utilisateur, self.mot_de_passe) if s is not None)


LOCATOR_SHORTHANDS = ("role", "label", "text", "testid", "css")


def _locator_entry(key: str, spec: Any) -> Any:
    """``{ role = "button", name = "Suivant" }``, ``{ label = "…" }``… → ``{ kind, value, name, exact }``."""
    if not isinstance(spec, dict) or "kind" in spec:
        return spec
    given = [k for k in LOCATOR_SHORTHANDS if k in spec]
    if len(given) != 1:
        raise ValueError(
            f"locators.{key} : indiquez exactement une façon de trouver l'élément parmi"
            f" {', '.join(LOCATOR_SHORTHANDS)} (ou kind + value)"
        )
    kind = given[0]
    entry = {"kind": kind, "value": spec[kind]}
    entry.update({k: v for k, v in spec.items() if k != kind})
    return entry


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    environment: str = "reference"
    base_url: str | None = None
    arrangement: Literal[ARRANGEMENTS] = Field(  # type: ignore[valid-type]
        default="auto",
        description="comment le pilote navigateur prépare un scénario (ses « Étant donné ») : « auto » (défaut),"
        " sur les pages lues en HTTP là où elles s'en passent de JavaScript, le navigateur ailleurs ; « navigateur » :"
        " toujours dans le navigateur (l'option --arrangement de moncompte check l'emporte)",
    )
    parameters: dict[str, ParameterOverride] = Field(default_factory=dict)
    locators: dict[str, Any] = Field(default_factory=dict)
    pages: dict[str, str] = Field(default_factory=dict)
    expectations: Expectations = Field(default_factory=Expectations)
    identities: Identities = Field(default_factory=Identities)
    codes: Codes = Field(default_factory=Codes)
    formulaires: Forms = Field(default_factory=Forms)
    messages: dict[str, str] = Field(default_factory=dict)
    acces: Access = Field(default_factory=Access)

    @field_validator("messages")
    @classmethod
    def _known_messages(cls, value: dict[str, str]) -> dict[str, str]:
        import difflib

        from moncompte.rules.messages import BY_ID

        errors = []
        for message_id, text in value.items():
            if message_id not in BY_ID:
                close = difflib.get_close_matches(message_id, list(BY_ID), n=3, cutoff=0.6)
                hint = f" (vouliez-vous dire : {', '.join(close)} ?)" if close else ""
                errors.append(
                    f"messages.{message_id} : message inconnu{hint} ; la liste : « moncompte rules --messages »"
                )
            elif not text.strip():
                errors.append(f"messages.{message_id} : indiquez le texte du site")
            elif text.startswith("/") and text.rstrip("i").endswith("/"):
                try:
                    re.compile(text.strip("/").removesuffix("/i"))
                except re.error as exc:
                    errors.append(f"messages.{message_id} : expression régulière invalide ({exc})")
        if errors:
            raise ValueError(" ; ".join(errors))
        return value

    @field_validator("parameters")
    @classmethod
    def _known_rules(cls, value: dict[str, ParameterOverride]) -> dict[str, ParameterOverride]:
        rules.settings({rule_id: o.values() for rule_id, o in value.items()})  # raises ValueError in French
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://[^/\s]+", value):
            raise ValueError(f"adresse invalide : {value} (attendu : http://… ou https://…)")
        return value

    @field_validator("locators")
    @classmethod
    def _locators(cls, value: dict[str, Any]) -> dict[str, Any]:
        from moncompte.steps.locators import LocatorError, merge_overrides

        entries = {key: _locator_entry(key, spec) for key, spec in value.items()}
        try:
            merged = merge_overrides(entries)
        except LocatorError as exc:
            raise ValueError(str(exc)) from None
        return {key: merged[key] for key in entries}

    @field_validator("pages")
    @classmethod
    def _pages(cls, value: dict[str, str]) -> dict[str, str]:
        from moncompte.steps.locators import LocatorError, merge_pages

        try:
            merge_pages(value)
        except LocatorError as exc:
            raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _overrides_not_empty(self) -> "Profile":
        for rule_id, override in self.parameters.items():
            if not override.values():
                raise ValueError(f"parameters.{rule_id} : aucune valeur de paramètre à remplacer")
        return self

    def settings(self) -> Settings:
        return rules.settings({rule_id: o.values() for rule_id, o in self.parameters.items()})

    @property
    def is_production(self) -> bool:
        return self.environment.strip().lower() in PRODUCTION_ENVIRONMENTS


# pydantic's messages are in English: the usual ones, said in French.
_MESSAGES_FR = {
    "extra_forbidden": "clé inconnue (les clés permises : moncompte profile doc)",
    "missing": "champ obligatoire manquant",
    "string_type": "doit être une chaîne de caractères",
    "string_too_short": "ne doit pas être vide",
    "string_too_long": "trop long",
    "dict_type": "doit être une table TOML",
    "model_type": "doit être une table TOML",
    "literal_error": "valeur non permise",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "date_type": "date attendue (AAAA-MM-JJ)",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "list_type": "liste attendue",
    "bool_type": "true ou false attendu",
    "greater_than": "doit être positif",
    "less_than_equal": "valeur trop grande",
    "greater_than_equal": "valeur trop petite",
}


def _french(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():  # never err["input"]: it may be a secret
        where = ".".join(str(p) for p in err["loc"]) or "profil"
        if err["type"] in ("variable_absente", "variable_vide"):
            state = "n'est pas définie" if err["type"] == "variable_absente" else "est vide"
            parts.append(f"la variable d'environnement {err['ctx']['variable']} ({where}) {state}")
            continue
        if err["type"] == "secret_ecrit":
            parts.append(
                f"{where} : écrivez le nom de la variable d'environnement qui contient la valeur, "
                "« ${NOM_DE_LA_VARIABLE} » (la valeur elle-même ne s'écrit jamais dans un profil)"
            )
            continue
        message = _MESSAGES_FR.get(err["type"], err["msg"].removeprefix("Value error, "))
        if err["type"] == "literal_error" and err.get("ctx", {}).get("expected"):
            message += f" (attendu : {err['ctx']['expected']})"
        parts.append(f"{where} : {message}")
    return "; ".join(parts)


def builtin(name: str) -> Path:
    """Path of a profile shipped with the package (``default``, ``exemple-mdp-10``)."""
    path = Path(str(resources.files("moncompte.steps").joinpath(f"profiles/{name}.toml")))
    if not path.exists():
        known = sorted(p.stem for p in package_resources.path("moncompte.steps", "profiles").glob("*.toml"))
        raise ProfileError(
            f"Profil intégré inconnu : {name} (profils intégrés : {', '.join(known)} ; ou le chemin d'un fichier .toml)"
        )
    return path


def load(path: str | Path) -> Profile:
    """Read and validate a profile file; a bare name designates a built-in profile.

    An identities ``file`` is read relative to the profile's folder; its persons are
    added to the inline ones.
    """
    path = Path(path)
    if not path.suffix and not path.exists():
        path = builtin(str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"Profil introuvable : {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"Profil {path} : TOML invalide ({exc})") from None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"Profil {path} invalide : {_french(exc)}") from None
    if profile.identities.file:
        file = Path(profile.identities.file)
        file = file if file.is_absolute() else path.parent / file
        profile.identities.persons = [*profile.identities.persons, *load_identities(file)]
    if profile.acces.certificats_ca:
        profile.acces.certificats_ca = str(
            certificate_authority(
                path.parent, profile.acces.certificats_ca, f"Profil {path} invalide : acces.certificats_ca"
            )
        )
    return profile


def certificate_authority(folder: Path, written: str, where: str) -> Path:
    """The CA file of ``[acces] certificats_ca`` (relative to ``folder``: the profile's), checked readable as
    PEM; else a ProfileError whose message starts with ``where``."""
    file = Path(written).expanduser()
    file = (file if file.is_absolute() else folder / file).resolve()
    if not file.is_file():
        raise ProfileError(f"{where} : fichier introuvable : {file}")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=str(file))
    except (ssl.SSLError, ValueError, OSError) as exc:
        raise ProfileError(f"{where} : {file} n'est pas un certificat PEM lisible ({exc})") from None
    return file


def load_identities(path: Path) -> list[TestIdentity]:
    """Test persons from a YAML file (a list, or ``{persons: [...]}``) or a CSV file.

    CSV columns: the fields of ``TestIdentity``; documents as ``piece_type`` and
    ``piece_numero`` (one document), an empty cell is an absent value.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(f"Fichier d'identités introuvable : {path}") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            loaded = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            raise ProfileError(f"Fichier d'identités {path} : YAML invalide ({exc})") from None
        rows = loaded.get("persons", loaded.get("personnes", [])) if isinstance(loaded, dict) else loaded
    elif path.suffix.lower() == ".csv":
        rows = []
        for row in csv.DictReader(text.splitlines()):
            entry: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
            kind, number = entry.pop("piece_type", None), entry.pop("piece_numero", None)
            if kind and number:
                entry["pieces"] = [{"type": kind, "numero": number}]
            if "procuration" in entry:
                entry["procuration"] = entry["procuration"].strip().lower() in ("1", "oui", "true", "vrai")
            rows.append(entry)
    else:
        raise ProfileError(f"Fichier d'identités {path} : format inconnu (attendu : .yaml, .yml ou .csv)")
    if not isinstance(rows, list):
        raise ProfileError(f"Fichier d'identités {path} : une liste de personnes est attendue")
    persons = []
    for i, row in enumerate(rows, start=1):
        try:
            persons.append(TestIdentity.model_validate(row))
        except ValidationError as exc:
            raise ProfileError(f"Fichier d'identités {path}, personne n° {i} invalide : {_french(exc)}") from None
    return persons
