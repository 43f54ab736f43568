"""Site profiles (TOML) and the ``moncompte rules`` command."""

import json
import re

import pytest

from moncompte import rules
from moncompte.harness.cli import main
from moncompte.rules.mot_de_passe import validate_password
from moncompte.steps.profile import ProfileError, load

NINE = "Abcdefgh1"  # 9 characters: accepted by the guide, refused by a 10-character minimum


# ── profiles ──────────────────────────────────────────────────────────────────


def test_builtin_default_profile_keeps_the_guide_values():
    profile = load("default")
    assert profile.name == "default"
    assert profile.parameters == {}
    settings = profile.settings()
    assert settings["MDP-LONGUEUR"] == {"min": 8, "max": 24}
    assert validate_password(NINE, settings) == []


def test_builtin_example_profile_overrides_the_password_minimum():
    profile = load("exemple-mdp-10")
    assert profile.environment == "recette"
    assert profile.parameters["MDP-LONGUEUR"].reference.startswith("Politique de sécurité du site")
    settings = profile.settings()
    assert settings["MDP-LONGUEUR"] == {"min": 10, "max": 24}
    assert settings.is_overridden("MDP-LONGUEUR", "min")
    (refusal,) = validate_password(NINE, settings)
    assert refusal.rule_id == "MDP-LONGUEUR"
    assert "entre 10 et 24 caractères" in refusal.message
    assert validate_password(NINE) == []  # the default still accepts it


def test_profile_file_with_an_override(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(
        'name = "site"\n[parameters.ROLE-ENFANT-15]\nage_min = 15\nreference = "Ticket RECETTE-42"\n',
        encoding="utf-8",
    )
    assert load(path).settings()["ROLE-ENFANT-15"]["age_min"] == 15
    assert load(str(path)).name == "site"


@pytest.mark.parametrize(
    "content, fragments",
    [
        pytest.param(
            'name = "x"\ncouleur = "rouge"\n',
            ["couleur", "clé inconnue"],
            id="cle-inconnue",
        ),
        pytest.param(
            'description = "sans nom"\n',
            ["name", "champ obligatoire manquant"],
            id="nom-manquant",
        ),
        pytest.param(
            'name = ""\n',
            ["name", "ne doit pas être vide"],
            id="nom-vide",
        ),
        pytest.param(
            'name = "x"\n[parameters.MDP-LONGUEUR]\nmin = 10\n',
            ["parameters.MDP-LONGUEUR.reference", "champ obligatoire manquant"],
            id="reference-manquante",
        ),
        pytest.param(
            'name = "x"\n[parameters.MDP-INCONNU]\nmin = 10\nreference = "r"\n',
            ["parameters", "Règle inconnue dans le profil : MDP-INCONNU"],
            id="regle-inconnue",
        ),
        pytest.param(
            'name = "x"\n[parameters.MDP-LONGUEUR]\nminimum = 10\nreference = "r"\n',
            ["parameters", "n'a pas de paramètre « minimum »"],
            id="parametre-inconnu",
        ),
        pytest.param(
            'name = "x"\n[parameters.MDP-LONGUEUR]\nmin = "10"\nreference = "r"\n',
            ["parameters", "MDP-LONGUEUR.min", "attendu int"],
            id="mauvais-type",
        ),
        pytest.param(
            'name = "x"\n[parameters.MDP-LONGUEUR]\nreference = "r"\n',
            ["parameters.MDP-LONGUEUR", "aucune valeur de paramètre à remplacer"],
            id="aucune-valeur",
        ),
        pytest.param(
            'name = "x"\n[parameters.MDP-LONGUEUR\nmin = 10\n',
            ["TOML invalide"],
            id="toml-invalide",
        ),
        pytest.param(
            'name = "x"\n[acces]\nutilisateur = "${MONCOMPTE_JAMAIS_DEFINIE}"\nmot_de_passe = "${MONCOMPTE_JAMAIS_DEFINIE}"\n',
            [
                "la variable d'environnement MONCOMPTE_JAMAIS_DEFINIE (acces.utilisateur) n'est pas définie",
                "la variable d'environnement MONCOMPTE_JAMAIS_DEFINIE (acces.mot_de_passe) n'est pas définie",
            ],
            id="variable-non-definie",
        ),
        pytest.param(
            'name = "x"\n[acces]\nmot_de_passe = "motdepasse-en-clair"\nutilisateur = "moi"\n',
            ["acces.mot_de_passe : écrivez le nom de la variable d'environnement", "acces.utilisateur : écrivez"],
            id="secret-ecrit-dans-le-profil",
        ),
    ],
)
def test_invalid_profile_names_the_field(tmp_path, content, fragments):
    path = tmp_path / "mauvais.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError) as excinfo:
        load(path)
    message = str(excinfo.value)
    assert message.startswith(f"Profil {path}")
    for fragment in fragments:
        assert fragment in message


def test_missing_profile_file(tmp_path):
    with pytest.raises(ProfileError, match="Profil introuvable"):
        load(tmp_path / "absent.toml")


def test_unknown_builtin_profile():
    with pytest.raises(ProfileError, match="Profil intégré inconnu : inexistant"):
        load("inexistant")


# ── moncompte rules ───────────────────────────────────────────────────────────


def _json(capsys, *args):
    assert main(["rules", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_rules_json(capsys):
    catalogue = _json(capsys)
    assert isinstance(catalogue, list)
    assert all({"id", "title", "quote", "step", "level", "parameters"} <= set(entry) for entry in catalogue)
    assert [entry["id"] for entry in catalogue] == [r.id for r in rules.RULES]
    by_id = {entry["id"]: entry for entry in catalogue}
    longueur = by_id["MDP-LONGUEUR"]
    assert longueur["title"] == "Mot de passe de 8 à 24 caractères"
    assert longueur["quote"] == "Il doit faire entre 8 et 24 caractères"
    assert (longueur["step"], longueur["level"]) == ("⑧", "MUST")
    assert longueur["parameters"]["min"]["value"] == 8
    enfant = by_id["ROLE-ENFANT-15"]["parameters"]["age_min"]
    assert (enfant["value"], enfant["choice"]) == (16, True)
    assert enfant["rationale"]


def test_rules_json_with_profile_shows_the_effective_value(capsys):
    longueur = {e["id"]: e for e in _json(capsys, "--profile", "exemple-mdp-10")}["MDP-LONGUEUR"]
    assert longueur["parameters"]["min"]["value"] == 10
    assert longueur["parameters"]["min"]["default"] == 8


def test_rules_json_for_one_step(capsys):
    assert [e["id"] for e in _json(capsys, "--step", "⑧")] == [
        "MDP-CHOIX",
        "MDP-LONGUEUR",
        "MDP-CHIFFRE",
        "MDP-MAJUSCULE",
        "MDP-MINUSCULE",
    ]


def test_rules_table(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Étape", "Niveau", "Origine", "Titre", "/", "paramètres"]
    assert any(line.startswith("MDP-LONGUEUR") and "Mot de passe de 8 à 24 caractères" in line for line in lines)
    assert any(re.match(r"NIR-SEXE\s+④\s+SHOULD\s+projet\s", line) for line in lines)  # beyond the guide
    assert any(re.match(r"MDP-LONGUEUR\s+⑧\s+MUST\s+guide\s", line) for line in lines)
    assert "min=8, max=24" in out
    assert "age_min=16†" in out  # a choice left open by the guide
    assert "† valeur laissée ouverte par le guide" in out
    assert re.search(r"\d+ règles : \d+ du guide, \d+ choix du projet au-delà du guide", out)


def test_rules_table_with_profile_marks_the_overridden_value(capsys):
    assert main(["rules", "--profile", "exemple-mdp-10"]) == 0
    out = capsys.readouterr().out
    assert "min=10*, max=24" in out
    assert "* valeur du profil" in out


def test_rules_markdown(capsys):
    assert main(["rules", "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| ID | Étape | Niveau | Origine | Titre | Citation du guide | Paramètres |"
    assert lines[1] == "|---|---|---|---|---|---|---|"
    row = next(line for line in lines if line.startswith("| MDP-LONGUEUR |"))
    assert row == (
        "| MDP-LONGUEUR | ⑧ | MUST | guide | Mot de passe de 8 à 24 caractères"
        " | « Il doit faire entre 8 et 24 caractères » | min=8, max=24 |"
    )
    row = next(line for line in lines if line.startswith("| CODE-TENTATIVES |"))
    assert "| MUST | choix du projet : Le guide ne limite pas les essais ; MUST par nécessité de sécurité" in row


def test_a_profile_turns_off_a_project_choice_with_a_reason_but_not_a_guide_rule(tmp_path):
    good = tmp_path / "bon.toml"
    good.write_text(
        'name = "x"\n[expectations.choix_non_retenus]\nNIR-SEXE = "le site ne contrôle pas la cohérence du numéro"\n',
        encoding="utf-8",
    )
    assert load(good).expectations.off() == {
        "NIR-SEXE": "choix du projet non retenu par le site : le site ne contrôle pas la cohérence du numéro"
    }
    bad = tmp_path / "mauvais.toml"
    bad.write_text('name = "x"\n[expectations.choix_non_retenus]\nMDP-LONGUEUR = "pas envie"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="MDP-LONGUEUR : règle du guide, pas un choix du projet"):
        load(bad)


def test_rules_with_a_missing_profile_exits_2_with_a_french_message(tmp_path, capsys):
    assert main(["rules", "--profile", str(tmp_path / "absent.toml")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("moncompte : Profil introuvable :")


def test_rules_with_an_invalid_profile_exits_2(tmp_path, capsys):
    path = tmp_path / "faux.toml"
    path.write_text('name = "x"\n[parameters.MDP-INCONNU]\nmin = 10\nreference = "r"\n', encoding="utf-8")
    assert main(["rules", "--profile", str(path)]) == 2
    assert "Règle inconnue dans le profil : MDP-INCONNU" in capsys.readouterr().err


def test_profile_elements_lists_every_element_with_the_words_looked_for(capsys):
    from moncompte.steps.locators import ELEMENTS

    assert main(["profile", "elements"]) == 0
    out = capsys.readouterr().out
    for key in ELEMENTS:
        assert re.search(rf"(?m)^{key}\s", out), key
    assert re.search(r"(?m)^civilite\s+champ ou groupe nommé « Civilité »", out)
    assert re.search(r"(?m)^commencer\s+bouton ou lien nommé « Commencer »", out)


def test_rules_messages_lists_the_ids_and_the_values_in_force(capsys):
    assert main(["rules", "--messages", "--profile", "exemple-mdp-10"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"(?m)^mdp\.longueur\s+MDP-LONGUEUR\s+Le mot de passe doit faire entre 10 et 24 caractères\.$", out
    )
    assert re.search(r"(?m)^nir\.cle\s+NIR-CLE\s+La clé du numéro", out)
    assert main(["rules", "--messages", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id": "code.format", "regle": "CODE-FORMAT", "champ": "code"}.items() <= rows[
        [r["id"] for r in rows].index("code.format")
    ].items()


def test_a_profile_gives_the_sites_messages_by_id_and_an_unknown_id_is_refused(tmp_path):
    from moncompte.steps.profile import ProfileError, load

    good = tmp_path / "bon.toml"
    good.write_text(
        'name = "x"\n[messages]\n"mdp.longueur" = "Votre mot de passe : {min} à {max} caractères"\n'
        '"nir.cle" = "/clé .* fausse/i"\n',
        encoding="utf-8",
    )
    assert load(good).messages["nir.cle"] == "/clé .* fausse/i"
    bad = tmp_path / "mauvais.toml"
    bad.write_text('name = "x"\n[messages]\n"mdp.longeur" = "…"\n', encoding="utf-8")
    with pytest.raises(
        ProfileError, match=r"messages\.mdp\.longeur : message inconnu \(vouliez-vous dire : mdp\.longueur"
    ):
        load(bad)


def test_identity_plan_counts_what_the_scenarios_may_take_and_what_is_missing(tmp_path):
    from moncompte.steps.identities import identity_plan

    csv = tmp_path / "identites.csv"
    csv.write_text(
        "civilite,nom_naissance,prenoms,date_naissance,lieu_naissance,code_insee,nir,piece_type,piece_numero,"
        "role,foyer,procuration\n"
        "Madame,Durand,Camille,1985-05-12,Lyon,69123,285056912300059,cni,X4RTBPFW4,non_allocataire,,non\n"
        "Monsieur,Alaoui,Karim,1988-03-02,Maroc,99350,,passeport,12AB34567,non_allocataire,,non\n",
        encoding="utf-8",
    )
    profile = tmp_path / "p.toml"
    profile.write_text(
        'name = "x"\n[identities]\nfile = "identites.csv"\nun_compte_par_personne = true\n', encoding="utf-8"
    )
    persons = load(profile).identities.persons
    lines = identity_plan([["MDP-LONGUEUR"], ["MDP-CHIFFRE"], ["ID-PROVISOIRE"], ["ROLE-RESPONSABLE"]], persons)
    assert "non allocataire, avec NIR et pièce d'identité : au plus 2 (profil : 1) : il en manque peut-être 1" in lines
    assert "sans numéro de sécurité sociale : au plus 1 (profil : 1)" in lines
    assert "d'un foyer (rôle du foyer) : au plus 2 (profil : 0) : il en manque peut-être 2" in lines
