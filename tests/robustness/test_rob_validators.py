"""Property-based tests of every validator of ``rules/``: any text in, a French verdict out.

For each validator: it never raises on any text (very long, control characters, NUL,
HTML and SQL injection, emoji, NFC or NFD, spaces around); its refusals name a
catalogue rule and say one of the module's French messages; normalising is idempotent,
keeps an accepted value accepted, and NFC and NFD spellings get the same verdict.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hostile import HOSTILE, NFD_VALUES, any_text, assert_french_refusals, maybe_text, nfc, nfd, verdict
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from moncompte.rules import DEFAULTS, code, nir, roles
from moncompte.rules import coordonnees as contact
from moncompte.rules import etat_civil as ec
from moncompte.rules import identifiant_provisoire as provisional
from moncompte.rules import mot_de_passe as password
from moncompte.rules import piece_identite as identity_document

# Bounded (the whole module runs in well under 20 s) and writing no example database in the work tree.
settings.register_profile(
    "robustesse",
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("robustesse")
few = settings(max_examples=40)  # for strategies that are slow to draw (regexes) or validators slow to run

dates = st.dates(min_value=date(1850, 1, 1), max_value=date(2100, 12, 31))


# ── NIR ───────────────────────────────────────────────────────────────────────
@given(value=any_text, civilite=maybe_text, birth=st.one_of(st.none(), dates), place=maybe_text)
def test_nir_validation_never_raises_and_speaks_french(value, civilite, birth, place):
    refusals = nir.validate_nir(value, civilite=civilite, birth_date=birth, birth_place=place)
    assert_french_refusals(refusals)
    assert all(r.field == "nir" for r in refusals)


@given(value=any_text)
def test_nir_normalize_is_idempotent_and_parse_agrees_with_validation(value):
    once = nir.normalize(value)
    assert nir.normalize(once) == once
    parsed = nir.parse(value)
    if parsed is not None:
        assert nir.validate_nir(once) == nir.validate_nir(value)
        assert all(r.rule_id == "NIR-SEXE" for r in nir.validate_nir(value))  # shape, key and month are right
    if not nir.validate_nir(value):
        assert parsed is not None and len(once) == 15 and once.isascii()


@given(value=any_text)
def test_nir_nfc_and_nfd_get_the_same_verdict(value):
    assert verdict(nir.validate_nir(nfc(value))) == verdict(nir.validate_nir(nfd(value)))


@given(
    sex=st.sampled_from("12"),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    place=st.one_of(
        st.from_regex(r"\A(0[1-9]|[1-8][0-9]|9[0-5])[0-9]{3}\Z"),
        st.from_regex(r"\A2[AB][0-9]{3}\Z"),
        st.from_regex(r"\A97[1-6][0-9]{2}\Z"),
        st.from_regex(r"\A99[1-9][0-9]{2}\Z"),
    ),
    order=st.integers(1, 999),
    spacing=st.sampled_from(["", " ", "-", "."]),
)
@few
def test_a_nir_built_by_rules_nir_build_always_validates(sex, birth, place, order, spacing):
    built = nir.build(sex, birth, place, order)
    civilite = {"1": "Monsieur", "2": "Madame"}[sex]
    assert nir.validate_nir(built, civilite=civilite, birth_date=birth, birth_place=place) == []
    typed = spacing.join([built[0], built[1:3], built[3:5], built[5:10], built[10:13], built[13:]])
    assert nir.validate_nir(f"  {typed.lower()} ", civilite=civilite, birth_date=birth, birth_place=place) == []
    assert nir.parse(typed).place_code == place


@given(body=st.from_regex(r"\A[12][0-9]{4}(0[1-9]|[1-8][0-9]|9[0-5])[0-9]{6}\Z"), wrong=st.integers(1, 96))
@few
def test_a_wrong_key_is_always_refused(body, wrong):
    key = (int(nir.compute_key(body)) + wrong) % 97
    refusals = nir.validate_nir(body + f"{key:02d}")
    assert [r.rule_id for r in refusals][:1] in (["NIR-CLE"], ["NIR-NAISSANCE"]), refusals


# ── état civil ────────────────────────────────────────────────────────────────
FIELDS_OF_EC = ("nir", "civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance")


@given(values=st.fixed_dictionaries({f: any_text for f in FIELDS_OF_EC}), without_nir=st.booleans())
@example(values=dict.fromkeys(FIELDS_OF_EC, "fΐ"), without_nir=False)  # capitals of ΐ: not NFC until recomposed
def test_civil_status_form_never_raises_and_speaks_french(values, without_nir):
    status = ec.CivilStatus(**values)
    assert_french_refusals(ec.validate_civil_status(status, without_nir=without_nir))
    normalized = status.normalized()
    assert normalized.normalized() == normalized


@given(value=any_text)
@example("ß" * 30)
@example("ﬃ" * 50)
@example(HOSTILE["ligature"])
def test_names_refused_or_normalised_consistently(value):
    for validate, limit, field in (
        (ec.validate_birth_name, 50, "nom_naissance"),
        (ec.validate_given_names, 80, "prenoms"),
    ):
        refusals = validate(value)
        assert_french_refusals(refusals)
        assert all(r.field == field for r in refusals)
        assert verdict(validate(nfd(value))) == verdict(refusals) == verdict(validate(nfc(value)))
        cleaned = ec.clean(value)
        assert ec.clean(cleaned) == cleaned
        if not refusals:
            # what is stored (the birth name in capitals) is still a valid name of at most `limit` characters
            stored = ec.CivilStatus("", "", value, value, "", "").normalized()
            kept = stored.nom_naissance if field == "nom_naissance" else stored.prenoms
            assert validate(kept) == [] and len(kept) <= limit, (value, kept)
            assert not any(c in kept for c in '\x00<>;"%')


@given(value=any_text)
def test_civilite_birth_place_and_date_never_raise(value):
    for refusals in (ec.validate_civilite(value), ec.validate_birth_place(value), ec.validate_birth_date(value)):
        assert_french_refusals(refusals)
    assert verdict(ec.validate_birth_place(nfd(value))) == verdict(ec.validate_birth_place(nfc(value)))
    assert verdict(ec.validate_birth_date(nfd(value))) == verdict(ec.validate_birth_date(nfc(value)))
    if not ec.validate_birth_date(value):
        assert ec.parse_date(value) is not None


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date.today()), iso=st.booleans(), pad=st.sampled_from(["", " "])
)
def test_a_real_past_date_is_accepted_in_both_formats(day, iso, pad):
    typed = pad + (day.isoformat() if iso else day.strftime("%d/%m/%Y")) + pad
    assert ec.validate_birth_date(typed) == []
    assert ec.parse_date(typed) == day
    future = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    assert [r.rule_id for r in ec.validate_birth_date(future)] == ["EC-DATE-NAISSANCE"]


@pytest.mark.parametrize("value", NFD_VALUES)
def test_accented_names_typed_in_nfd_are_stored_in_nfc(value):
    stored = ec.CivilStatus("", "Madame", nfd(value), nfd(value), "", "").normalized()
    assert stored.prenoms == nfc(value) and stored.nom_naissance == nfc(value).upper()
    assert ec.validate_given_names(nfd(value)) == ec.validate_given_names(nfc(value))


# ── pièce d'identité ──────────────────────────────────────────────────────────
kinds = st.one_of(st.sampled_from(["cni", "passeport", "titre_sejour"]), maybe_text)


@given(number=maybe_text, kind=kinds)
def test_document_number_never_raises_and_speaks_french(number, kind):
    refusals = identity_document.validate_document_number(number, kind)
    assert_french_refusals(refusals)
    assert (
        verdict(refusals) == verdict(identity_document.validate_document_number(nfd(number or ""), kind)) or not number
    )
    once = identity_document.normalize(number)
    assert identity_document.normalize(once) == once
    if not refusals:
        canonical = identity_document.canonical(number, kind)
        assert canonical.isascii() and canonical.isalnum() and len(canonical) <= 12
        assert identity_document.validate_document_number(once, kind) == []
        masked = identity_document.mask_document_number(number)
        assert masked.endswith(once[-4:]) and len(masked) == len(once) and set(masked[:-4]) <= {"•"}


@given(text=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<", max_size=30))
def test_mrz_check_digit_is_a_digit_for_any_mrz_text(text):
    digit = identity_document.mrz_check_digit(text)
    assert len(digit) == 1 and digit.isdigit()


@given(body=st.from_regex(r"\A[0-9]{2}[A-Z]{2}[0-9]{5}\Z"), wrong=st.integers(1, 9))
@few
def test_passport_with_its_mrz_digit_accepted_and_a_wrong_one_refused(body, wrong):
    right = identity_document.mrz_check_digit(body)
    assert identity_document.validate_document_number(body + right, "passeport") == []
    bad = str((int(right) + wrong) % 10)
    assert [r.rule_id for r in identity_document.validate_document_number(body + bad, "passeport")] == [
        "PI-CONTROLE-MRZ"
    ]


# ── coordonnées ───────────────────────────────────────────────────────────────
@given(channel=st.one_of(st.sampled_from(["email", "sms"]), maybe_text), value=maybe_text)
@few
def test_contact_never_raises_and_speaks_french(channel, value):
    refusals = contact.validate_contact(channel, value)
    assert_french_refusals(refusals)
    if not refusals:
        stored = contact.normalize_contact(channel, value)
        assert contact.validate_contact(channel, stored) == []
        assert contact.normalize_contact(channel, stored) == stored
        assert not any(c in stored for c in '\x00\r\n<>"; ')
    else:
        with pytest.raises(ValueError):
            contact.normalize_contact(channel if channel in ("email", "sms") else "email", value or "")


@given(value=any_text)
@few
def test_contact_nfc_and_nfd_get_the_same_verdict(value):
    for channel in ("email", "sms"):
        assert verdict(contact.validate_contact(channel, nfc(value))) == verdict(
            contact.validate_contact(channel, nfd(value))
        )


@given(
    local=st.from_regex(r"\A[a-z][a-z0-9.]{0,20}[a-z0-9]\Z"),
    domain=st.from_regex(r"\A[a-z]{2,15}\Z"),
    pad=st.sampled_from(["", " ", "  "]),
)
@few
def test_plain_email_addresses_are_accepted_and_kept(local, domain, pad):
    assume(".." not in local)
    address = f"{local}@{domain}.fr"
    assert contact.validate_email(pad + address + pad) == []
    assert contact.normalize_email(pad + address + pad) == address


@given(rest=st.from_regex(r"\A[67][0-9]{8}\Z"))
@few
def test_french_mobiles_in_any_spelling_normalise_to_one_e164(rest):
    national = "0" + rest
    spellings = [
        national,
        f" {national} ",
        " ".join([national[:2], national[2:4], national[4:6], national[6:8], national[8:]]),
        ".".join([national[:2], national[2:4], national[4:6], national[6:8], national[8:]]),
    ]
    verdicts = {tuple(verdict(contact.validate_mobile(s))) for s in spellings}
    assert len(verdicts) == 1
    assert_french_refusals(contact.validate_mobile(national))
    stored = {contact.normalize_mobile(s) for s in spellings}
    assert len(stored) == 1
    (e164,) = stored
    if e164 is not None:  # 06 90 … is a Guadeloupe mobile (+590), 06 12 … a metropolitan one (+33)
        assert e164.startswith("+") and e164.endswith(rest[1:]) and contact.normalize_mobile(e164) == e164
    international = contact.normalize_mobile("+33" + rest)
    assert international in (None, "+33" + rest)


# ── code de confirmation ──────────────────────────────────────────────────────
@given(value=maybe_text)
def test_code_format_never_raises_and_speaks_french(value):
    refusals = code.validate_code_format(value)
    assert_french_refusals(refusals)
    assert verdict(refusals) == verdict(code.validate_code_format(nfd(value or "")))
    if not refusals:
        assert len("".join((value or "").split())) == DEFAULTS["CODE-FORMAT"]["longueur"]


@given(digits=st.from_regex(r"\A[0-9]{6}\Z"), sep=st.sampled_from(["", " ", "  "]))
@few
def test_six_digits_are_a_well_formed_code_with_spaces_around(digits, sep):
    assert code.validate_code_format(f"{sep}{digits[:3]}{sep}{digits[3:]}{sep}") == []


# ── mot de passe ──────────────────────────────────────────────────────────────
@given(value=maybe_text)
@example("Abcdefg1\x00")
@example("Éé" * 3 + "1" + "\u0301")
def test_password_never_raises_and_nfc_nfd_same_verdict(value):
    refusals = password.validate_password(value)
    assert_french_refusals(refusals)
    assert all(r.field == "mot_de_passe" for r in refusals)
    assert (
        verdict(refusals)
        == verdict(password.validate_password(nfd(value or "")))
        == verdict(password.validate_password(nfc(value or "")))
    )
    if not refusals:
        text = nfc(value)
        assert 8 <= len(text) <= 24 and any(c.isdigit() for c in text)
        assert not any(c in text for c in "\x00\r\n\t")


@given(
    lower=st.text("abcdefghijklmnopqrstuvwxyzéè", min_size=1, max_size=8),
    upper=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZÉ", min_size=1, max_size=8),
    digits=st.text("0123456789", min_size=1, max_size=8),
    perm=st.permutations(range(3)),
)
@few
def test_a_password_meeting_every_criterion_is_accepted(lower, upper, digits, perm):
    parts = [lower, upper, digits]
    candidate = "".join(parts[i] for i in perm)
    assume(8 <= len(candidate) <= 24)
    assert password.validate_password(candidate) == []


# ── rôles ─────────────────────────────────────────────────────────────────────
@given(role=st.sampled_from(list(roles.Role)), action=st.sampled_from(list(roles.Action)))
def test_every_role_action_pair_allowed_or_refused_in_french(role, action):
    refusal = roles.refusal_for(role, action)
    assert (refusal is None) == roles.is_allowed(role, action)
    if refusal:
        assert_french_refusals([refusal])
        assert role.label in refusal.message and action.label in refusal.message


@given(role=any_text, action=any_text)
def test_unknown_role_or_action_names_are_refused_with_value_error(role, action):
    assume(role not in set(roles.Role) or action not in set(roles.Action))
    with pytest.raises(ValueError):
        roles.is_allowed(role, action)


@given(role=st.sampled_from(list(roles.Role)), birth=dates, today=dates)
def test_only_a_child_under_the_age_limit_is_refused_an_account(role, birth, today):
    assume(birth <= today)
    refusal = roles.can_create_account(role, birth, today)
    too_young = role is roles.Role.ENFANT and roles.age_on(birth, today) < DEFAULTS["ROLE-ENFANT-15"]["age_min"]
    assert (refusal is not None) == too_young
    if refusal:
        assert_french_refusals([refusal])
        assert refusal.rule_id == "ROLE-ENFANT-AGE"
    assert roles.age_on(birth, today) >= 0


# ── identifiant provisoire ────────────────────────────────────────────────────
@given(value=maybe_text)
def test_provisional_id_check_never_raises(value):
    result = provisional.is_provisional_id(value)
    assert result in (True, False)
    if result:
        assert nfc(value).strip().upper().isascii()


@given(number=st.integers(0, 10**9 - 1), pad=st.sampled_from(["", " ", "  "]), lower=st.booleans())
def test_every_provisional_id_is_recognised_however_typed(number, pad, lower):
    identifier = provisional.from_number(number)
    typed = pad + (identifier.lower() if lower else identifier) + pad
    assert provisional.is_provisional_id(typed)
    assert not nir.validate_nir(identifier) == []


# What a hostile value may legitimately pass: a real name typed in NFD, and a ligature (a letter) as given names.
ACCEPTED_HOSTILE = {"nfd": {"nom_naissance", "prenoms"}, "ligature": {"prenoms"}}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_validator_refuses_each_hostile_value_in_french(name):
    """The table of hostile values, one by one, through every validator of a user field."""
    value = HOSTILE[name]
    checks = {
        "nir": nir.validate_nir(value),
        "civilite": ec.validate_civilite(value),
        "nom_naissance": ec.validate_birth_name(value),
        "prenoms": ec.validate_given_names(value),
        "date_naissance": ec.validate_birth_date(value),
        "lieu_naissance": ec.validate_birth_place(value),
        **{
            kind: identity_document.validate_document_number(value, kind)
            for kind in ("cni", "passeport", "titre_sejour")
        },
        "email": contact.validate_email(value),
        "mobile": contact.validate_mobile(value),
        "code": code.validate_code_format(value),
        "mot_de_passe": password.validate_password(value),
    }
    for refusals in checks.values():
        assert_french_refusals(refusals)
    accepted = {field for field, refusals in checks.items() if not refusals}
    assert accepted == ACCEPTED_HOSTILE.get(name, set())
