"""The programs of "Using the library" (``docs/examples/``) run, against the Osen example.

Each test makes the Osen example in ``tmp_path`` and runs one program: the notebook
(pandas), the nightly e-mail (to an SMTP server started here), the web service (called
in-process and over HTTP on a free localhost port). The numbers they must show are
counted here from the example's own lists (``examples/osen/data/*.csv`` and the plan),
not taken from the library.
"""

from __future__ import annotations

import csv
import email
import email.policy
import importlib.util
import json
import re
import runpy
import socketserver
import subprocess
import sys
import threading
import tomllib
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server
from wsgiref.util import setup_testing_defaults

import pytest

from interessent import Workspace, init_workspace, log_interaction

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
OSEN = ROOT / "examples" / "osen"
AS_OF = "2026-11-26"

TESTED = {"coverage_frame.py", "nightly_coverage_mail.py", "coverage_service.py"}


# --- what the Osen example's lists say, counted by hand -----------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    with (OSEN / "data" / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _plan() -> dict[str, Any]:
    return tomllib.loads((OSEN / "interessent.toml").read_text(encoding="utf-8"))


def _befolkningen_members() -> int:
    """Befolkningen has no rule in the plan: its members are the stakeholders whose
    `målgrupper` cell names it."""
    assert "rule" not in next(g for g in _plan()["groups"] if g["key"] == "befolkningen")
    return sum("befolkningen" in r["målgrupper"].split("|") for r in _rows("stakeholders.csv"))


def _befolkningen_broadcasts() -> dict[str, int]:
    """Interactions of 2026 up to AS_OF addressed to befolkningen, by channel."""
    return dict(Counter(
        r["kanal"] for r in _rows("interactions.csv")
        if "befolkningen" in r["målgrupper"].split("|") and "2026-01-01" <= r["dato"] <= AS_OF))


def _b1_counts() -> tuple[int, int, int]:
    """B1, «news in the local media every month» (kinds = ["article"], monthly, in the
    start-up year 2026): (actual, expected, logged) as of AS_OF. Expected: the months begun
    by 26 November, January to November; actual: those with an article; logged: every
    article."""
    b1 = next(c for c in _plan()["commitments"] if c["id"] == "B1")
    assert (b1["kinds"], b1["cadence"], b1["count"]) == (["article"], "month", 1)
    articles = [r["dato"] for r in _rows("interactions.csv")
                if r["type"] == "article" and "2026-01-01" <= r["dato"] <= AS_OF]
    return len({d[:7] for d in articles}), 11, len(articles)


def test_the_hand_counts_are_what_the_lists_say() -> None:
    """The counts the tests below use, on their own: 88 in befolkningen; 28 posts, 21 web
    pages, 11 articles and 2 meetings addressed to it; B1 kept in 9 of 11 months (none in
    September or October) with 11 articles."""
    assert _befolkningen_members() == 88
    assert _befolkningen_broadcasts() == {"sosiale_medier": 28, "hjemmeside": 21,
                                          "media": 11, "direkte": 2}
    assert _b1_counts() == (9, 11, 11)


@pytest.fixture
def osen_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Osen example as `osen-demo` in the current directory, as the guide has it."""
    init_workspace(tmp_path / "osen-demo", example="osen").close()
    monkeypatch.chdir(tmp_path)
    return tmp_path / "osen-demo"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name[:-3]}", EXAMPLES / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_example_is_tested_here() -> None:
    assert {p.name for p in EXAMPLES.glob("*.py")} == TESTED


@pytest.mark.parametrize("name", sorted(TESTED - {"coverage_frame.py"}))
def test_the_programs_run_as_scripts(name: str) -> None:
    done = subprocess.run([sys.executable, str(EXAMPLES / name), "--help"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "workspace" in done.stdout and "--db" in done.stdout


def test_ci_type_checks_and_lints_the_examples() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    mypy = next(line for line in ci.splitlines() if line.startswith(".venv/bin/mypy"))
    ruff = next(line for line in ci.splitlines() if line.startswith(".venv/bin/ruff"))
    assert "--strict" in mypy and "docs/examples" in mypy.split()
    assert "docs/examples" in ruff.split()


# --- (a) the notebook ---------------------------------------------------------------------


def test_the_notebook_turns_coverage_into_dataframes(
        osen_demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas", reason="the docs extra: pip install '.[test]'")
    ns = runpy.run_path(str(EXAMPLES / "coverage_frame.py"), run_name="__main__")
    groups, commitments, broadcasts = ns["groups"], ns["commitments"], ns["broadcasts"]
    plan = _plan()
    assert list(groups.index) == [g["key"] for g in plan["groups"]]  # 6, in the plan's order
    assert int(groups.loc["befolkningen", "members"]) == _befolkningen_members()  # 88
    assert int(groups.loc["befolkningen", "touchpoints"]) == sum(
        _befolkningen_broadcasts().values())  # 28 + 21 + 11 + 2 = 62
    column = broadcasts["befolkningen"]
    assert {k: int(v) for k, v in column.items() if v} == _befolkningen_broadcasts()
    # every commitment of the plan names a group, so each has its row once
    assert sorted(commitments.index) == sorted(c["id"] for c in plan["commitments"])
    b1 = commitments.loc["B1"]
    assert (int(b1["actual"]), int(b1["expected"]), int(b1["logged"])) == _b1_counts()
    assert b1["status"] == "behind"  # September and October missed, November kept
    out = capsys.readouterr().out
    assert "Befolkningen i Osen" in out and "behind" in out


# --- (b) the nightly e-mail ---------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: each message it is given goes to ``server.inbox``."""

    server: _SMTPServer

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._reply("220 localhost test SMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250-localhost")
                self._reply("250 8BITMIME")
            elif verb == "MAIL":
                sender = command
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command)
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.inbox.append((sender, recipients, bytes(data)))
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 OK")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.inbox: list[tuple[str, list[str], bytes]] = []


@pytest.fixture
def smtp_server() -> Iterator[_SMTPServer]:
    server = _SMTPServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_nightly_job_mails_the_coverage_summary(
        osen_demo: Path, smtp_server: _SMTPServer) -> None:
    mail = _load("nightly_coverage_mail.py")
    port = smtp_server.server_address[1]
    code = mail.main([str(osen_demo), "--period", "2026", "--as-of", AS_OF,
                      "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                      "--from", "interessent@osen.example", "--to", "leiar@osen.example",
                      "--to", "styret@osen.example"])
    assert code == 0
    assert len(smtp_server.inbox) == 1
    sender, recipients, data = smtp_server.inbox[0]
    assert "interessent@osen.example" in sender
    assert len(recipients) == 2 and "styret@osen.example" in recipients[1]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["Subject"] == "Coverage 2026-01-01..2026-12-31 as of 2026-11-26"
    assert message["To"] == "leiar@osen.example, styret@osen.example"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    line = next(x for x in text.splitlines() if x.startswith("Befolkningen i Osen "))
    found = re.search(r"(\d+) of (\d+) members reached directly.* (\d+) touchpoints", line)
    assert found, line
    assert int(found.group(2)) == _befolkningen_members()  # 88
    assert int(found.group(3)) == sum(_befolkningen_broadcasts().values())  # 62
    actual, expected, _ = _b1_counts()
    assert f"B1 behind: {actual} of {expected} – " in text  # 9 of 11
    assert len([x for x in text.splitlines() if " members reached directly" in x]) == len(
        _plan()["groups"])  # a line per group: 6


def test_the_nightly_job_refuses_a_bad_period_and_sends_nothing(
        osen_demo: Path, smtp_server: _SMTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    mail = _load("nightly_coverage_mail.py")
    with pytest.raises(SystemExit) as stop:
        mail.main([str(osen_demo), "--period", "2026-H7", "--smtp-port",
                   str(smtp_server.server_address[1]), "--from", "a@b.example", "--to",
                   "c@d.example"])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "2026-H7" in err and "Traceback" not in err
    assert smtp_server.inbox == []


def test_the_nightly_job_says_so_when_no_server_answers(
        osen_demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mail = _load("nightly_coverage_mail.py")
    closed = _SMTPServer()  # a port that was free a moment ago and is closed now
    port = closed.server_address[1]
    closed.server_close()
    with pytest.raises(SystemExit) as stop:
        mail.main([str(osen_demo), "--as-of", AS_OF, "--smtp-host", "127.0.0.1",
                   "--smtp-port", str(port), "--from", "a@b.example", "--to", "c@d.example"])
    assert stop.value.code == 1
    assert capsys.readouterr().err.startswith(f"Error: could not send through 127.0.0.1:{port}")


# --- (c) the web service ------------------------------------------------------------------


def _call(app: Any, path: str, query: str = "") -> tuple[str, Any]:
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update(PATH_INFO=path, QUERY_STRING=query)
    status: list[str] = []
    body = b"".join(app(environ, lambda s, headers: status.append(s)))
    return status[0], json.loads(body)


def test_the_web_service_answers_coverage_as_json(osen_demo: Path) -> None:
    service = _load("coverage_service.py")
    app = service.make_app(osen_demo)
    status, data = _call(app, "/coverage", f"period=2026&as_of={AS_OF}&group=befolkningen")
    assert status == "200 OK"
    assert (data["period"], data["as_of"]) == ("2026-01-01..2026-12-31", AS_OF)
    [group] = data["groups"]
    assert group["key"] == "befolkningen"
    assert group["members"] == _befolkningen_members()  # 88
    assert group["broadcasts"] == _befolkningen_broadcasts()  # 28, 21, 11, 2
    assert group["touchpoints"] == 62  # 28 + 21 + 11 + 2
    b1 = next(c for c in group["commitments"] if c["id"] == "B1")
    assert (b1["actual"], b1["expected"], b1["logged"]) == _b1_counts()  # 9, 11, 11

    # one Workspace per request: what another writer logs is in the next answer
    with Workspace(osen_demo) as ws:
        log_interaction(ws, kind="post", date="2026-11-25", channel="sosiale_medier",
                        groups=["befolkningen"], topic="Ope kontordag")
    status, data = _call(app, "/coverage", f"period=2026&as_of={AS_OF}&group=befolkningen")
    assert data["groups"][0]["touchpoints"] == 63  # 62 + the post just logged
    assert data["groups"][0]["broadcasts"]["sosiale_medier"] == 29  # 28 + 1


def test_the_web_service_over_http(osen_demo: Path) -> None:
    service = _load("coverage_service.py")

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    with make_server("127.0.0.1", 0, service.make_app(osen_demo),
                     handler_class=Quiet) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with urllib.request.urlopen(f"{base}/commitments?period=2026&as_of={AS_OF}",
                                        timeout=60) as answer:
                assert answer.headers["Content-Type"].startswith("application/json")
                data = json.load(answer)
            ids = [c["id"] for c in data["commitments"]]
            assert sorted(ids) == sorted(c["id"] for c in _plan()["commitments"])  # 19
            b1 = data["commitments"][ids.index("B1")]
            assert (b1["actual"], b1["expected"], b1["logged"]) == _b1_counts()
            assert b1["status"] == "behind"

            for path, code, words in [
                ("/coverage?period=2026-H7", 400, "2026-H7"),
                ("/coverage?group=no-such-group", 404, "no-such-group"),
                ("/nowhere", 404, "/nowhere"),
            ]:
                with pytest.raises(urllib.error.HTTPError) as failed:
                    urllib.request.urlopen(base + path, timeout=60)
                assert failed.value.code == code
                assert words in json.load(failed.value)["error"]
                failed.value.close()
        finally:
            server.shutdown()
            thread.join(timeout=10)
