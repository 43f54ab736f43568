"""Code sources for sites the harness does not own: SMTP catcher, Mailpit/MailHog, SMS sink, command."""

import smtplib
from datetime import timedelta
from email.message import EmailMessage

import httpx
import pytest

from moncompte.steps.catchers import CommandSource, HttpSinkSource, MailpitSource, SmtpCatcher
from moncompte.steps.codes import now
from moncompte.steps.drivers.base import TargetError


def send_mail(port: int, to: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "recette@exemple.fr", to, "Votre code de confirmation"
    msg.set_content(body)
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.send_message(msg)


@pytest.fixture
def catcher():
    source = SmtpCatcher("127.0.0.1", 0).start()
    yield source
    source.close()


def test_smtp_catcher_gives_the_latest_code_for_the_right_recipient(catcher):
    before = now()
    send_mail(catcher.port, "autre@exemple.fr", "Votre code : 111111")
    send_mail(catcher.port, "Lea.Martin@exemple.fr", "Votre code : 222222")
    send_mail(catcher.port, "lea.martin@exemple.fr", "Votre nouveau code : 333333")
    assert catcher.wait_for_code("lea.martin@exemple.fr", before, timeout=5) == "333333"


def test_smtp_catcher_ignores_messages_sent_before_the_request(catcher):
    send_mail(catcher.port, "lea@exemple.fr", "Votre code : 222222")
    later = now() + timedelta(seconds=5)
    with pytest.raises(TimeoutError, match="Aucun message reçu par lea@exemple.fr"):
        catcher.wait_for_code("lea@exemple.fr", later, timeout=0.3)


def test_smtp_catcher_on_a_taken_port_says_so_in_french(catcher):
    with pytest.raises(TargetError, match=f"Impossible de démarrer le récepteur SMTP sur 127.0.0.1:{catcher.port}"):
        SmtpCatcher("127.0.0.1", catcher.port).start()


def test_code_pattern_comes_from_the_profile(catcher):
    before = now()
    send_mail(catcher.port, "lea@exemple.fr", "Dossier 123456. Code : AB-7788")
    assert catcher.wait_for_code("lea@exemple.fr", before, timeout=5) == "123456"
    custom = SmtpCatcher("127.0.0.1", 0, pattern=r"Code : ([A-Z]{2}-\d{4})").start()
    try:
        send_mail(custom.port, "lea@exemple.fr", "Dossier 123456. Code : AB-7788")
        assert custom.wait_for_code("lea@exemple.fr", before, timeout=5) == "AB-7788"
    finally:
        custom.close()


def test_sms_sink_receives_json_and_form_posts():
    sink = HttpSinkSource("127.0.0.1", 0, path="/sms").start()
    try:
        before = now()
        assert httpx.post(sink.url, json={"to": "+33612345678", "message": "Code : 445566"}).status_code == 202
        assert sink.wait_for_code("06 12 34 56 78", before, timeout=5) == "445566"
        assert httpx.post(sink.url, data={"to": "+262692123456", "message": "Code : 778899"}).status_code == 202
        assert sink.wait_for_code("+262692123456", before, timeout=5) == "778899"
        assert httpx.post(sink.url, json={"message": "sans destinataire"}).status_code == 400
        assert httpx.post(sink.url.replace("/sms", "/autre"), json={"to": "x", "message": "y"}).status_code == 404
    finally:
        sink.close()


def _mailpit_api(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v1/search":
        assert request.url.params["query"] == 'to:"lea@exemple.fr"'
        return httpx.Response(
            200,
            json={
                "messages": [
                    {"ID": "b", "Created": "2030-01-01T10:00:05Z", "Subject": "Code"},
                    {"ID": "a", "Created": "2030-01-01T10:00:00Z", "Subject": "Code"},
                ]
            },
        )
    bodies = {"/api/v1/message/a": "Code : 101010", "/api/v1/message/b": "Code : 202020"}
    return httpx.Response(200, json={"Text": bodies[request.url.path]})


def test_mailpit_api_newest_message_wins():
    from moncompte.steps.codes import parse_time

    source = MailpitSource("http://mailpit.invalid", transport=httpx.MockTransport(_mailpit_api))
    assert source.wait_for_code("lea@exemple.fr", parse_time("2030-01-01T09:59:00Z"), timeout=1) == "202020"


def test_mailhog_api():
    def api(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/v2/search" and request.url.params["kind"] == "to"
        return httpx.Response(
            200,
            json={
                "items": [
                    {
                        "Created": "2030-01-01T10:00:00Z",
                        "Content": {"Body": "Votre code : 303030", "Headers": {"Subject": ["Code"]}},
                    }
                ]
            },
        )

    from moncompte.steps.codes import parse_time

    source = MailpitSource("http://mailhog.invalid", flavour="mailhog", transport=httpx.MockTransport(api))
    assert source.wait_for_code("lea@exemple.fr", parse_time("2030-01-01T09:00:00Z"), timeout=1) == "303030"


def test_unreachable_mail_server_is_a_clear_error():
    source = MailpitSource("http://127.0.0.1:9")
    with pytest.raises(TargetError, match="Le serveur de courrier http://127.0.0.1:9 ne répond pas"):
        source.messages("lea@exemple.fr")


def test_command_source_reads_the_printed_message_for_the_recipient():
    source = CommandSource('echo "SMS pour {recipient} : votre code est 654321"')
    assert source.wait_for_code("+33612345678", now(), timeout=2) == "654321"
    failing = CommandSource("echo 'passerelle indisponible' >&2; exit 3")
    with pytest.raises(TargetError, match="code 3.*passerelle indisponible"):
        failing.messages("+33612345678")


def test_relay_lets_other_processes_read_a_listening_source(catcher, monkeypatch):
    """``moncompte check`` starts the catcher once; each xdist worker reads it through the relay."""
    from moncompte.steps.catchers import RELAY_ENV, MailboxRelay, open_source
    from moncompte.steps.profile import Codes

    relay = MailboxRelay(catcher)
    monkeypatch.setenv(RELAY_ENV, relay.url)
    worker_side = open_source(Codes(source="smtp", port=catcher.port))  # what the fixture opens under the relay
    try:
        before = now()
        send_mail(catcher.port, "autre@exemple.fr", "Votre code : 111111")
        send_mail(catcher.port, "lea@exemple.fr", "Votre code : 654321")
        assert worker_side.wait_for_code("lea@exemple.fr", before, timeout=5) == "654321"
        [message] = worker_side.messages("LEA@exemple.fr")
        assert (message.channel, message.subject, message.sent_at >= before) == (
            "email",
            "Votre code de confirmation",
            True,
        )
        assert httpx.get(f"{relay.url}/messages").status_code == 404  # no recipient: nothing listed
    finally:
        worker_side.close()
        relay.close()
    with pytest.raises(TargetError, match=f"Le relais des codes {relay.url} ne répond pas"):
        open_source(Codes(source="smtp", port=catcher.port)).messages("lea@exemple.fr")


def test_one_source_per_channel_read_together(tmp_path):
    """[codes.email] by SMTP and [codes.sms] through an HTTP sink: both started, each recipient read in
    its own; through the relay as well (what the workers of moncompte check read)."""
    from moncompte.steps.catchers import ByChannel, MailboxRelay, RelaySource, open_source
    from moncompte.steps.profile import Profile

    profile = Profile.model_validate(
        {
            "name": "deux-canaux",
            "codes": {
                "email": {"source": "smtp", "port": 0},
                "sms": {
                    "source": "http_sink",
                    "port": 0,
                    "path": "/sms",
                    "to_field": "destinataire",
                    "body_field": "texte",
                },
            },
        }
    )
    assert profile.codes.listens and not profile.codes.reference_outbox
    source = open_source(profile.codes)
    try:
        assert isinstance(source, ByChannel)
        before = now()
        send_mail(source.sources["email"].port, "lea@exemple.fr", "Votre code : 123456")
        httpx.post(source.sources["sms"].url, json={"destinataire": "+33612345678", "texte": "Code 654321"}, timeout=5)
        assert source.wait_for_code("lea@exemple.fr", before, timeout=5) == "123456"
        assert source.wait_for_code("06 12 34 56 78", before, timeout=5) == "654321"
        relay = MailboxRelay(source)
        try:
            read = RelaySource(relay.url)
            assert [m.body for m in read.messages("+33 6 12 34 56 78")] == ["Code 654321"]
            assert read.messages("lea@exemple.fr")[0].channel == "email"
            read.close()
        finally:
            relay.close()
    finally:
        source.close()


def test_two_listening_sources_on_one_port_are_refused_in_french():
    from pydantic import ValidationError

    from moncompte.steps.profile import Profile, _french

    with pytest.raises(ValidationError) as error:
        Profile.model_validate(
            {
                "name": "x",
                "codes": {"email": {"source": "smtp", "port": 2525}, "sms": {"source": "http_sink", "port": 2525}},
            }
        )
    assert "écoutent sur le même port" in _french(error.value)
