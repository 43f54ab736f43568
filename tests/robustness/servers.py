"""Real servers for the robustness tests: `moncompte serve` under uvicorn on 127.0.0.1, and the
journey through the JSON API over HTTP (httpx), with synthetic identities."""

from __future__ import annotations

import itertools
import re
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import httpx

from moncompte.harness import targets
from moncompte.rules import nir as nir_rules

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Abcdefg1"
_serial = itertools.count(1)


from moncompte.net import free_port  # noqa: E402  (used by the robustness tests)


@dataclass
class Server:
    """``moncompte serve`` in a child process, its output kept in a file (read it with ``output()``)."""

    database: str
    log_dir: Path
    extra: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    test_mode: bool = True
    process: subprocess.Popen | None = None
    _starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.log_dir / f"serveur-{self.port}.log"

    def start(self, timeout: float = 60) -> "Server":
        args = [
            sys.executable,
            "-m",
            "moncompte.harness.cli",
            "serve",
            "--port",
            str(self.port),
            "--database",
            self.database,
            *(["--test-mode"] if self.test_mode else []),
            *self.extra,
        ]
        self.process = targets.start_process(args, self.log_file, cwd=ROOT)
        self._starts += 1
        try:
            targets.wait_until_up(self.url + "/api/themes", self.process, self.log_file, timeout)
        except targets.CheckError as exc:
            self.stop()
            raise RuntimeError(str(exc)) from None
        return self

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM (uvicorn's graceful shutdown), then SIGKILL if it lingers; only our own process."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def kill(self) -> None:
        """A crash: SIGKILL, no graceful shutdown."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def output(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace") if self.log_file.exists() else ""

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ── identities and the journey over HTTP ─────────────────────────────────────
def identity(
    n: int | None = None, *, civilite: str = "Madame", born: date = date(1990, 3, 15), place: str = "75056"
) -> dict:
    """Body of step ④ with a NIR consistent with the person (unique for each ``n`` below 12 × 999)."""
    n = next(_serial) if n is None else n
    born = born.replace(month=1 + n % 12)
    order = 1 + (n // 12) % 999
    return {
        "sans_nir": False,
        "nir": nir_rules.build("2" if civilite == "Madame" else "1", born, place, order),
        "civilite": civilite,
        "nom_naissance": "Martin",
        "prenoms": "Élodie Marie",
        "date_naissance": born.strftime("%d/%m/%Y"),
        "lieu_naissance": place,
    }


def new_email() -> str:
    return f"robustesse.{secrets.token_hex(6)}@exemple.fr"


class Journey:
    """The journey through the JSON API of a target (httpx, sync)."""

    def __init__(self, client: httpx.Client):
        self.client = client

    def start(self) -> str:
        response = self.client.post("/api/inscriptions", json={"prestation": None})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def step(self, reg_id: str, name: str, body: dict) -> httpx.Response:
        return self.client.post(f"/api/inscriptions/{reg_id}/{name}", json=body)

    def etape(self, reg_id: str) -> str:
        return self.client.get(f"/api/inscriptions/{reg_id}").json()["etape"]

    def last_code(self, to: str) -> str:
        messages = self.client.get("/__outbox__", params={"to": to}).json()
        return re.search(r"\b\d{6}\b", messages[-1]["body"]).group()

    def seed_passport(self, person: dict) -> dict:
        """Make ``person`` known to the target's registry with a passport (test mode); the body of ⑤."""
        document = {
            "type_titre": "passeport",
            "numero_titre": f"{secrets.randbelow(100):02d}RB{secrets.randbelow(10**5):05d}",
        }
        born = datetime.strptime(person["date_naissance"], "%d/%m/%Y").date().isoformat()
        entry = {k: person[k] for k in ("nir", "civilite", "nom_naissance", "prenoms", "lieu_naissance")}
        response = self.client.post("/__test__/personnes", json=entry | {"date_naissance": born, "pieces": [document]})
        assert response.status_code == 201, response.text
        return document

    def register(
        self,
        person: dict | None = None,
        *,
        email: str | None = None,
        until: str = "recapitulatif",
        password: str = PASSWORD,
        document: dict | None = None,
    ) -> tuple[str, dict, str]:
        """Walk the journey up to ``until``: with ``document`` (see ``seed_passport``) at ⑤, or « sans pièce
        d'identité française » (no registry needed; the account's identity is then unverified)."""
        person = person or identity()
        email = email or new_email()
        reg_id = self.start()
        steps = [
            ("etat_civil", "etat-civil", lambda: person),
            ("piece_identite", "piece-identite", lambda: document or {"sans_piece_francaise": True}),
            ("coordonnees", "coordonnees", lambda: {"canal": "email", "valeur": email}),
            ("code", "code", lambda: {"code": self.last_code(email)}),
            ("mot_de_passe", "mot-de-passe", lambda: {"mot_de_passe": password}),
        ]
        for etape, name, body in steps:
            if etape == until:
                break
            response = self.step(reg_id, name, body())
            assert response.status_code == 200, (name, response.status_code, response.text)
        return reg_id, person, email
