"""Email: header-injection checks, multipart/alternative, delivery to a local aiosmtpd."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from briefing_data import ALL_SOURCES, NOW, fill_store, perspective
from clitools import run_cli
from smtpinbox import Inbox, free_port

from manysides.config import Config, EmailConfig
from manysides.errors import ManysidesError, UserError
from manysides.mail import build_message, check_address, list_headers, send_message
from manysides.pipeline import RunContext
from manysides.pipeline.briefing import briefing_step
from manysides.store import Store


def _auth(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
    return AuthResult(success=ok)


@pytest.fixture()
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_auth, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.mark.parametrize(
    "bad",
    [
        "a@b.org\r\nBcc: x@evil.org",
        "a@b.org\nX: y",
        "a@b.org, c@d.org",
        "no-at-sign",
        'Eve" <a@b.org>',
        "a@b.org\x00",
        "a@@b.org",
    ],
)
def test_bad_addresses_are_rejected(bad: str) -> None:
    with pytest.raises(UserError):
        check_address(bad)


def test_subject_injection_is_rejected() -> None:
    for subject in ("Hi\r\nBcc: x@evil.org", "Hi\nthere", "Hi\u2028there", ""):
        with pytest.raises(UserError):
            build_message(
                subject=subject, sender="a@b.org", recipients=["c@d.org"], text="t", html="h"
            )
    with pytest.raises(UserError):
        build_message(subject="ok", sender="a@b.org", recipients=[], text="t", html="h")


def test_delivery_multipart_and_auth(
    smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp
    monkeypatch.setenv("TEST_SMTP_PW", "s3cret")
    cfg = EmailConfig(
        host="127.0.0.1",
        port=port,
        starttls=False,
        username="bot",
        password_env="TEST_SMTP_PW",
        timeout=5,
    )
    msg = build_message(
        subject="Briefing: 2026-03-10 — é",
        sender="Bot <bot@news.example>",
        recipients=["a@x.example", "b@y.example"],
        text="plain body",
        html="<p>html body</p>",
    )
    assert send_message(cfg, msg) == ["a@x.example", "b@y.example"]
    [(rcpts, raw)] = inbox.messages
    assert rcpts == ["a@x.example", "b@y.example"]
    got = email.message_from_bytes(raw, policy=email.policy.default)
    assert got["Subject"] == "Briefing: 2026-03-10 — é"
    assert got.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in got.iter_parts()] == ["text/plain", "text/html"]


def test_list_headers() -> None:
    cfg = EmailConfig(sender="Daily <bot@news.example>")
    assert list_headers(cfg, "Morning Brief") == {
        "List-Id": "<morning-brief.news.example>",
        "List-Unsubscribe": "<mailto:bot@news.example?subject=unsubscribe>",
    }
    http = EmailConfig(sender="bot@news.example", unsubscribe_url="http://x.example/u")
    assert "List-Unsubscribe-Post" not in list_headers(http, "t")  # one-click needs https
    for bad in ("javascript:alert(1)", "https://x.example/u\r\nBcc: e@x.example", "https://x/ <a>"):
        with pytest.raises(ManysidesError):
            list_headers(EmailConfig(sender="bot@news.example", unsubscribe_url=bad), "t")
    with pytest.raises(UserError):
        list_headers(EmailConfig(sender="bot@news.example", list_id="a\nb"), "t")


def test_unreachable_server_is_one_clear_error() -> None:
    cfg = EmailConfig(host="127.0.0.1", port=1, starttls=False, timeout=2)
    msg = build_message(subject="s", sender="a@b.org", recipients=["c@d.org"], text="t", html="h")
    with pytest.raises(ManysidesError, match="cannot send email via 127.0.0.1:1"):
        send_message(cfg, msg)


def test_send_command(
    smtp: tuple[Inbox, int], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    inbox, port = smtp
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        fill_store(
            store,
            [
                perspective(1, ALL_SOURCES, first_id=1, headline="Budget deal", hostile=False),
                perspective(2, ALL_SOURCES[:3], first_id=6, hostile=True),
            ],
        )
        cfg = Config().replace("briefing", output_dir=str(tmp_path / "out"))
        briefing_step(RunContext(store=store, config=cfg, now=NOW))
    conf = tmp_path / "config.toml"
    conf.write_text(
        f'[store]\npath = "{db}"\n[briefing]\ntitle = "Daily"\nbase_url = "https://n.example"\n'
        f'[email]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\nsender = "bot@n.example"\n'
        'recipients = ["x@n.example"]\nunsubscribe_url = "https://n.example/unsubscribe?list=daily"\n'
        'unsubscribe_mailto = "leave@n.example"\n'
    )
    assert (
        run_cli(["--config", str(conf), "send", "--to", "a@n.example", "--to", "b@n.example"]) == 0
    )
    [(rcpts, raw)] = inbox.messages
    assert rcpts == ["a@n.example", "b@n.example"]
    got = email.message_from_bytes(raw, policy=email.policy.default)
    assert got["Subject"] == "manysides daily briefing: 2026-03-10"  # title stored at build
    text = got.get_body(("plain",)).get_content()
    html = got.get_body(("html",)).get_content()
    assert "Budget deal" in text and "Budget deal" in html
    assert "https://n.example/story/1" in html and "&lt;script&gt;" in html
    assert "<script>" not in html
    # Bulk-mail headers (RFC 2369, 2919, 8058) and the parts as a mail client reads them.
    assert got["List-Unsubscribe"] == (
        "<https://n.example/unsubscribe?list=daily>, <mailto:leave@n.example?subject=unsubscribe>"
    )
    assert got["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert got["List-Id"] == "<manysides-daily-briefing.n.example>"
    assert got["Auto-Submitted"] == "auto-generated" and got["Message-ID"]
    assert [p.get_content_type() for p in got.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in got.iter_parts())
    assert html.startswith("<!doctype html>") and '<div role="main">' in html
    assert 'href="https://n.example/unsubscribe?list=daily"' in html
    assert text.splitlines()[3] == "Read on the web: https://n.example/briefing/2026-03-10"
    assert text.rstrip().endswith("Unsubscribe: https://n.example/unsubscribe?list=daily")
    # Only the wrapper tables keep presentational attributes (what Outlook needs).
    assert html.count("cellpadding") == 2 and " align=" not in html and " bgcolor=" not in html
    # Header injection through the command line: exit 2 with one line, nothing sent.
    assert (
        run_cli(["--config", str(conf), "send", "--to", "a@n.example\r\nBcc: evil@x.example"]) == 2
    )
    assert "line break" in capsys.readouterr().err
    assert run_cli(["--config", str(conf), "send", "--date", "2020-01-01"]) == 2
    assert run_cli(["--config", str(conf), "send", "--date", "tomorrow"]) == 2
    assert len(inbox.messages) == 1
