"""The identity registry: its generator is deterministic, its persons consistent, every case covered."""

from __future__ import annotations

import json
from datetime import date

from moncompte.reference_impl.registry import DATA_FILE, RegistryIn, generate, main
from moncompte.rules.coordonnees import validate_mobile
from moncompte.rules.etat_civil import CivilStatus, validate_civil_status
from moncompte.rules.piece_identite import validate_document_number
from moncompte.rules.roles import age_on

TODAY = date(2025, 6, 1)


def everyone(data: dict) -> list[dict]:
    return [m for f in data["foyers"] for m in f["membres"]] + data["personnes"]


def test_generator_is_deterministic(tmp_path):
    assert generate(42, TODAY) == generate(42, TODAY)
    assert generate(42, TODAY) != generate(7, TODAY)
    out = tmp_path / "registry.json"
    assert main(["--seed", "42", "--today", "2025-06-01", "--output", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == generate(42, TODAY)


def test_shipped_file_is_the_generator_output_for_its_date():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    RegistryIn.model_validate(data)
    assert data == generate(data["graine"], date.fromisoformat(data["genere_pour"]))


def test_every_person_is_consistent():
    for person in everyone(generate(42, TODAY)):
        status = CivilStatus(
            person["nir"] or "",
            person["civilite"],
            person["nom_naissance"],
            person["prenoms"],
            person["date_naissance"],
            person["lieu_naissance"],
        )
        assert validate_civil_status(status, without_nir=person["nir"] is None, today=TODAY) == [], person["cas"]
        for piece in person["pieces"]:
            assert validate_document_number(piece["numero_titre"], piece["type_titre"]) == [], person["cas"]
        assert validate_mobile(person["mobile"]) == [], person["cas"]


def test_every_role_and_edge_case_is_covered():
    data = generate(42, TODAY)
    people = everyone(data)
    roles = {(m["role"], f["procuration"]) for f in data["foyers"] for m in f["membres"]}
    assert {
        ("responsable", False),
        ("conjoint", False),
        ("conjoint", True),
        ("enfant", False),
        ("personne_a_charge", False),
    } <= roles
    children = [
        date.fromisoformat(m["date_naissance"]) for f in data["foyers"] for m in f["membres"] if m["role"] == "enfant"
    ]
    assert sorted(age_on(born, TODAY) for born in children) == [15, 16]
    places = {p["lieu_naissance"][:2] for p in people}
    assert {"2A", "2B", "99", "97"} <= places
    assert any(p["nir"] is None for p in people) and any(p["pieces"] == [] for p in people)
    assert any(p["mobile"].startswith(("+262", "+590", "+596", "+594")) for p in people)
    assert any(p["nir"] and p["nir"][5:7] == "20" for p in people)  # Corsica before 1976
    assert {piece["type_titre"] for p in people for piece in p["pieces"]} == {"cni", "passeport", "titre_sejour"}
