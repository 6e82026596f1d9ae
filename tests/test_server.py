"""The real Rasa server and action server, started as a user would, asked over HTTP."""
import contextlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter

import pytest
import yaml

from actions import phrases
from actions.fallback import INPUT_PROBLEMS, not_understood
from actions.knowledge import load
from actions.render import answer_text
from bot.privacy import REDACTED
from tests import real_questions
from tests.conftest import MODEL, ROOT, sentences_in

RASA = str(ROOT / ".venv" / "bin" / "rasa")
START_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Rasa's HTTP API (trackers, parsing) answers only with this token; the chat channel needs none.
API_TOKEN = uuid.uuid4().hex


def get(url: str, token: str = API_TOKEN):
    with urllib.request.urlopen(f"{url}?token={token}", timeout=10) as response:
        return json.loads(response.read())


def wait_for(url: str, processes, logs) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs):
            if process.poll() is not None:
                pytest.fail(f"a server exited while starting:\n{log.read_text()[-3000:]}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(1)
    pytest.fail(f"{url} did not answer within {START_TIMEOUT} s")


@contextlib.contextmanager
def running_servers(tmp, env=None):
    """Both servers started in `tmp` with the repository's credentials.yml and the environment
    variables `env` added; stopped on exit."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it)")
    rasa_port, actions_port = free_port(), free_port()
    database = tmp / "trackers.db"
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {
                "action_endpoint": {"url": f"http://127.0.0.1:{actions_port}/webhook"},
                "tracker_store": {
                    "type": "bot.tracker_store.RedactingSQLTrackerStore",
                    "dialect": "sqlite",
                    "db": str(database),
                },
            }
        )
    )
    env = {
        # Slack and Teams stay unconfigured unless `env` configures them.
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_"))},
        **(env or {}),
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    logs = [tmp / "actions.log", tmp / "rasa.log"]
    commands = [
        [RASA, "run", "actions", "--actions", "actions", "--port", str(actions_port)],
        [
            RASA, "run", "--model", str(MODEL), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "credentials.yml"),
            "--interface", "127.0.0.1", "--port", str(rasa_port), "--enable-api",
            "--auth-token", API_TOKEN,
        ],
    ]
    processes = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        for cmd, log in zip(commands, logs)
    ]
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", processes, logs)
        wait_for(f"http://127.0.0.1:{rasa_port}/status", processes, logs)
        startup = [log.read_text(errors="replace") for log in logs]
        yield {"url": f"http://127.0.0.1:{rasa_port}", "database": database, "logs": logs, "startup": startup}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_servers(tmp_path_factory.mktemp("server")) as started:
        yield started


# What may never appear in either server's log during a normal conversation.
LOG_PROBLEM = re.compile(r"\bERROR\b|Traceback \(most recent call last\)|\bexception\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def logs_stay_clean(server, request):
    """Each test fails if it made either server log an error or a traceback, but for the lines
    a test that is not a normal conversation expects (`@pytest.mark.log_allows(pattern)`)."""
    marker = request.node.get_closest_marker("log_allows")
    allowed = re.compile(marker.args[0]) if marker else None
    offsets = [log.stat().st_size if log.exists() else 0 for log in server["logs"]]
    yield
    for log, offset in zip(server["logs"], offsets):
        with log.open(encoding="utf-8", errors="replace") as fh:
            fh.seek(offset)
            new = fh.read()
        problems = [
            line for line in new.splitlines()
            if LOG_PROBLEM.search(line) and not (allowed and allowed.search(line))
        ]
        assert problems == [], f"{log.name}:\n" + "\n".join(problems[:20])


def ask(server, text, sender=None):
    body = json.dumps({"sender": sender or uuid.uuid4().hex, "message": text}).encode()
    request = urllib.request.Request(
        server["url"] + "/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def entry_text(entry, asked=""):
    return answer_text(entry, asked)


def test_the_typical_question_gets_the_sourced_answer_and_next_questions(server, kb):
    [answer] = ask(server, "Hva gjør verneombudet i IA-arbeidet?")
    entry = kb.roles["verneombud"]
    assert answer["text"] == entry_text(entry)
    assert "Kilde" in answer["text"] and "https://" in answer["text"]
    assert [b["title"] for b in answer["buttons"]] == [kb.resolve(r).question for r in entry.next]


def test_a_followup_is_understood_in_the_conversation(server, kb):
    sender = uuid.uuid4().hex
    ask(server, "Hva gjør verneombudet i IA-arbeidet?", sender)
    [answer] = ask(server, "og tillitsvalgte?", sender)
    assert answer["text"] == entry_text(kb.roles["tillitsvalgt"])


@pytest.mark.parametrize(
    "question, role, answered_in",
    [
        ("kva gjer verneombodet i ia-arbeidet", "verneombud", "nn"),
        ("What does the safety representative do in IA work?", "verneombud", "nb"),
        ("hva er lederens ansvar i ia arbeidet", "leder", "nb"),
    ],
)
def test_nynorsk_lower_case_and_english_are_understood(server, question, role, answered_in):
    """Each in the standard the question is written in; English gets bokmål."""
    answers = ask(server, question)
    entry = load(standard=answered_in).roles[role]
    assert answers[0]["text"] == in_standard(answered_in, lambda: entry_text(entry))


def test_a_topic_question(server, kb):
    [answer] = ask(server, "Hva er de fire stegene for et bedre IA-samarbeid?")
    assert answer["text"] == entry_text(kb.topics["ask_four_steps"])


def test_a_council_question_with_a_place_says_whom_to_contact_there(server, kb):
    answers = ask(server, "Finnes det fortsatt et IA-råd i Bærum kommune?")
    assert len(answers) == 2
    assert answers[0]["text"].startswith("Bærum kommune ligger i Akershus.")
    assert "NAV Arbeidslivssenter Vest-Viken" in answers[0]["text"]
    assert answers[1]["text"].startswith("Fra 2014 til 2018 hadde hvert fylke et IA-råd")
    assert all("\nKild" in a["text"] for a in answers)


@pytest.mark.log_allows(r"ERROR +rasa\.server +- User is not authenticated\.$")
@pytest.mark.parametrize("token", ["", "not-the-token"])
def test_the_http_api_refuses_a_stranger(server, token):
    """Conversations can be read or written over the API only with the token."""
    sender = uuid.uuid4().hex
    ask(server, "Hva gjør verneombudet i IA-arbeidet?", sender)
    for path, body in [(f"/conversations/{sender}/tracker", None), ("/model/parse", b'{"text": "hei"}'),
                       (f"/conversations/{sender}/messages", b'{"text": "hei", "sender": "user"}')]:
        request = urllib.request.Request(f"{server['url']}{path}?token={token}", data=body,
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401, path
    assert get(f"{server['url']}/conversations/{sender}/tracker")["sender_id"] == sender


def test_slack_and_teams_refuse_everyone_until_configured(server):
    for path in ["/webhooks/slack/webhook", "/webhooks/teams/webhook"]:
        request = urllib.request.Request(server["url"] + path, data=b'{"type": "message", "text": "hei"}',
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 503, path


def test_unrelated_requests_are_declined_honestly(server):
    for question in ["Hvordan blir været i Bergen i morgen?", "Kan du bestille en pizza til meg?"]:
        answers = ask(server, question)
        assert answers[0]["text"] == phrases.text("fallback.out_of_scope"), question


@pytest.mark.parametrize(
    "message, problem",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("hei " * 50_000, "too_long"),
        ("<script>alert('hei')</script>", "markup_only"),
        ("\x00\x01\x02\x03\x04\x05\x7f", "no_text"),
    ],
)
def test_bad_input_gets_a_polite_answer_and_the_bot_keeps_going(server, kb, message, problem):
    sender = uuid.uuid4().hex
    assert [a["text"] for a in ask(server, message, sender)] == [not_understood(problem)]
    [answer] = ask(server, "Hva er IA-avtalen?", sender)
    assert answer["text"] == entry_text(kb.topics["ask_ia_agreement"])


def post_raw(server, body: bytes):
    """POSTs `body` as it is to the REST webhook: (status, parsed JSON reply)."""
    request = urllib.request.Request(
        server["url"] + "/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'["Hva er IA?"]',
        b"42",
        b'"Hva er IA?"',
        b"null",
        b"",
        b"{not json",
        b"\xff\xfe\x00binary",
        b'{"message": "Hva er IA?"}',
        b'{"sender": "", "message": "Hva er IA?"}',
        b'{"sender": 7, "message": "Hva er IA?"}',
        json.dumps({"sender": "x" * 100_000, "message": "Hva er IA?"}).encode(),
        b'{"sender": "me", "message": {"text": "Hva er IA?"}}',
        b'{"sender": "me", "message": "Hva er IA?", "metadata": [1]}',
    ],
)
def test_a_malformed_webhook_body_gets_a_clean_400_and_the_next_message_works(server, kb, body):
    status, reply = post_raw(server, body)
    assert status == 400 and reply["error"]
    [answer] = ask(server, "Hva er IA-avtalen?")
    assert answer["text"] == entry_text(kb.topics["ask_ia_agreement"])


def test_a_message_cannot_claim_to_come_from_another_channel(server):
    sender = uuid.uuid4().hex
    body = {"sender": sender, "message": "Hva er IA-avtalen?", "input_channel": "slack"}
    status, _ = post_raw(server, json.dumps(body).encode())
    assert status == 200
    events = get(f"{server['url']}/conversations/{sender}/tracker")["events"]
    assert [e["input_channel"] for e in events if e["event"] == "user"] == ["rest"]


def test_a_sender_who_floods_is_asked_to_wait_and_others_are_not(server, kb):
    flooder = uuid.uuid4().hex
    body = json.dumps({"sender": flooder, "message": "hei"}).encode()
    statuses = [post_raw(server, body) for _ in range(45)]
    limited = [reply for status, reply in statuses if status == 429]
    assert limited, "45 messages in a few seconds were all answered"
    assert limited[0][0]["text"].startswith("Du sender mange meldinger på kort tid")
    [answer] = ask(server, "Hva er IA-avtalen?")
    assert answer["text"] == entry_text(kb.topics["ask_ia_agreement"])


def test_identity_numbers_are_neither_needed_nor_stored(server, domain):
    sender = uuid.uuid4().hex
    answers = ask(server, "fødselsnummeret mitt er 01019010046, er jeg registrert?", sender)
    assert [a["text"] for a in answers] == [phrases.text("dialogue.personal_data", "nb")]
    ask(server, "Takk!", sender)
    with sqlite3.connect(server["database"]) as db:
        rows = db.execute("select data from events where sender_id = ?", (sender,)).fetchall()
    user_texts = [json.loads(r[0])["text"] for r in rows if json.loads(r[0])["event"] == "user"]
    # The conversation itself is kept, without the number.
    assert user_texts[0] == f"fødselsnummeret mitt er {REDACTED}, er jeg registrert?"
    assert not any("01019010046" in row[0] for row in rows)
    tracker = get(f"{server['url']}/conversations/{sender}/tracker")
    assert "01019010046" not in json.dumps(tracker)


def test_phone_numbers_and_email_addresses_are_neither_needed_nor_stored_nor_logged(server, domain):
    sender = uuid.uuid4().hex
    said = "Ring meg på 912 34 567 eller skriv til kari.nordmann@bedrift.no om IA-avtalen"
    answers = ask(server, said, sender)
    assert [a["text"] for a in answers] == [phrases.text("dialogue.personal_data", "nb")]
    with sqlite3.connect(server["database"]) as db:
        stored = " ".join(row[0] for row in db.execute("select data from events where sender_id = ?", (sender,)))
    tracker = json.dumps(get(f"{server['url']}/conversations/{sender}/tracker"))
    logs = " ".join(log.read_text(errors="replace") for log in server["logs"])
    for secret in ["912 34 567", "kari.nordmann@bedrift.no", "bedrift.no"]:
        assert secret not in stored and secret not in tracker and secret not in logs
    assert "[telefonnummer fjernet]" in stored and "[e-post fjernet]" in stored


def test_two_stage_fallback_offers_topics_then_gives_up_honestly(server, kb):
    """The fallback loop with the real servers; button payloads stand in for unclear messages."""
    sender = uuid.uuid4().hex
    [offer] = ask(server, "/nlu_fallback", sender)
    assert offer["text"] == "Jeg er ikke helt sikker på hva du mener. Mente du en av disse?"
    assert offer["buttons"][-1] == {"title": "Noe annet", "payload": "/out_of_scope"}
    [rephrase] = ask(server, "/out_of_scope", sender)
    assert rephrase["text"].startswith("Beklager at jeg ikke forstod.")
    ask(server, "/nlu_fallback", sender)
    give_up = ask(server, "/out_of_scope", sender)
    assert "idebanken.org, nav.no eller arbeidstilsynet.no" in give_up[0]["text"]
    assert give_up[1]["text"].startswith("Jeg kan svare på spørsmål om:")


def test_picking_a_suggested_topic_answers_it(server, kb):
    sender = uuid.uuid4().hex
    ask(server, "/nlu_fallback", sender)
    [answer] = ask(server, "/ask_ia_council", sender)
    assert answer["text"] == entry_text(kb.topics["ask_ia_council"])


def test_servers_started_without_errors(server):
    for log, text in zip(server["logs"], server["startup"]):
        problems = [line for line in text.splitlines() if LOG_PROBLEM.search(line)]
        assert problems == [], log.name


def test_the_greeting_and_its_first_button(server, domain, kb):
    sender = uuid.uuid4().hex
    [greeting] = ask(server, "hei", sender)
    assert greeting["text"] == phrases.text("dialogue.greet", "nb")
    payload = greeting["buttons"][0]["payload"]
    assert payload == '/ask_role{"ia_role":"verneombud"}'
    [answer] = ask(server, payload, sender)
    assert answer["text"] == entry_text(kb.roles["verneombud"])


# ----- the guided local IA agreement ---------------------------------------------------------
def texts(answers):
    return [a.get("text") for a in answers if a.get("text")]


def step_question(kb, key):
    return kb.agreement.step(key).question


def test_the_whole_local_agreement_dialogue_with_a_question_in_the_middle(server, kb):
    sender = uuid.uuid4().hex
    intro, first = ask(server, "Jeg vil lage en lokal IA-avtale", sender)
    assert intro["text"].startswith("Flott! Jeg leder dere gjennom en lokal IA-avtale")
    assert first["text"].startswith("Steg 1 av 14: " + step_question(kb, "workplace"))

    conversation = [
        ("Solbakken sykehjem & Co <b>", "employer"),
        ("Kari Hansen, daglig leder", "employees"),
    ]
    for said, next_step in conversation:
        replies = ask(server, said, sender)
        assert step_question(kb, next_step) in replies[-1]["text"], said

    # A question in the middle is answered, then the same step is asked again, short.
    replies = ask(server, "Hva gjør verneombudet i IA-arbeidet?", sender)
    assert replies[0]["text"] == entry_text(kb.roles["verneombud"])
    assert replies[-1]["text"].startswith("Steg 3 av 14: " + step_question(kb, "employees"))
    assert kb.agreement.step("employees").why not in replies[-1]["text"]

    conversation = [
        ("Per Olsen, hovedtillitsvalgt", "verneombud"),
        ("Ja, Lise Berg er verneombud", "intention"),
        ("Ja, vi står bak alle tre", "period"),
        ("to år", "sick_leave_target"),
        ("fem prosent", "other_goals"),
        ("hopp over", "focus_areas"),
        ("Begge", "activities"),
        ("Kartlegge arbeidsmiljøet og lage en rutine for oppfølging", "meetings"),
        ("Fast punkt i AMU hvert kvartal", "evaluation"),
        ("Én gang i året, med sykefraværsstatistikken", "measures"),
        ("NAV Arbeidslivssenter og ekspertbistand", "signing"),
    ]
    for said, next_step in conversation:
        replies = ask(server, said, sender)
        assert step_question(kb, next_step) in replies[-1]["text"], said

    [summary] = ask(server, "Drammen", sender)
    assert "2. Arbeidsgiver: Kari Hansen, daglig leder" in summary["text"]
    assert "7. Mål for sykefraværet: Sykefraværet skal ned til 5 % eller lavere" in summary["text"]
    assert "13. Virkemidler: NAV Arbeidslivssenter, Tilskudd til ekspertbistand" in summary["text"]

    done, draft, custom = ask(server, "Ja, lag utkastet", sender)
    assert done["text"] == kb.agreement.texts["done"]
    document = custom["custom"]["data"]
    assert document["type"] == "document" and document["mime"] == "text/markdown"
    assert document["filename"] == "lokal-ia-avtale-solbakken-sykehjem-co.md"
    content = document["content"]
    # The markup the user typed was removed before the NLU; the ampersand is escaped.
    assert content.startswith("# Lokal IA-avtale for Solbakken sykehjem &amp; Co\n")
    for expected in [
        "- Arbeidsgiver: Kari Hansen, daglig leder",
        "- De ansattes representant: Per Olsen, hovedtillitsvalgt",
        "- Verneombud (god praksis): Ja – Lise Berg er verneombud",
        "2 år",
        "- Mål for sykefraværet: Sykefraværet skal ned til 5 % eller lavere",
        f"- Andre mål: {kb.agreement.draft['not_agreed']}",
        "Fast punkt i AMU hvert kvartal",
        "Sted: Drammen",
        "For de ansatte: Per Olsen, hovedtillitsvalgt",
        "frivillig og gir ingen automatiske rettigheter",
    ]:
        assert expected in content, expected
    assert draft["text"].startswith("Lokal IA-avtale for Solbakken sykehjem & Co\n")
    assert "\n\n" not in draft["text"]

    # The answers are not kept once the draft is delivered.
    tracker = get(f"{server['url']}/conversations/{sender}/tracker")
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None
    assert all(tracker["slots"][s.slot] is None for s in kb.agreement.steps)


def test_leave_the_agreement_and_come_back_to_it_later(server, kb):
    sender = uuid.uuid4().hex
    ask(server, "kan du hjelpe oss å skrive ei lokal IA-avtale", sender)
    ask(server, "Bakeriet", sender)
    ask(server, "Ola Dunk, daglig leder", sender)
    [paused] = ask(server, "pause", sender)
    assert paused["text"] == kb.agreement.texts["paused"]
    # Outside the dialogue, questions are answered as usual.
    [answer] = ask(server, "Hva er IA-avtalen?", sender)
    assert answer["text"] == entry_text(kb.topics["ask_ia_agreement"])
    welcome, question = ask(server, "fortsett avtalen", sender)
    assert welcome["text"].startswith("Velkommen tilbake") and "svart på 2 av 14" in welcome["text"]
    assert question["text"].startswith("Steg 3 av 14: " + step_question(kb, "employees"))


def test_an_identity_number_typed_as_an_answer_is_not_stored(server, domain):
    sender = uuid.uuid4().hex
    ask(server, "lag en lokal IA-avtale", sender)
    replies = ask(server, "Kari Hansen 010190 10046", sender)
    assert replies[0]["text"] == phrases.text("dialogue.personal_data", "nb")
    assert replies[-1]["text"].startswith("Steg 1 av 14")
    with sqlite3.connect(server["database"]) as db:
        rows = db.execute("select data from events where sender_id = ?", (sender,)).fetchall()
    assert rows and not any("10046" in row[0] for row in rows)
    assert "10046" not in json.dumps(get(f"{server['url']}/conversations/{sender}/tracker"))


def test_cancel_tells_what_was_kept(server, kb):
    sender = uuid.uuid4().hex
    ask(server, "lag en lokal IA-avtale", sender)
    ask(server, "Bakeriet", sender)
    shown = ask(server, "vis utkastet", sender)
    assert shown[0]["text"] == "Slik ser utkastet ut så langt:"
    assert shown[2]["custom"]["data"]["content"].startswith("# Lokal IA-avtale for Bakeriet")
    [cancelled] = ask(server, "avbryt", sender)
    assert cancelled["text"] == kb.agreement.texts["cancelled"] + " " + kb.agreement.texts["cancelled_after_draft"]
    tracker = get(f"{server['url']}/conversations/{sender}/tracker")
    assert tracker["slots"]["agreement_workplace"] is None


def test_wrong_answers_twice_then_the_offer_to_skip(server, kb):
    sender = uuid.uuid4().hex
    ask(server, "lag en lokal IA-avtale", sender)
    for said in ["Bakeriet", "Ola", "Kari", "nei", "ja", "2 år"]:
        ask(server, said, sender)
    first = ask(server, "veldig lavt", sender)
    assert "tall i prosent" in first[0]["text"]
    second = ask(server, "150", sender)
    assert "mellom 0 og 100" in second[0]["text"]
    assert [b["payload"] for b in second[0]["buttons"]] == ["hopp over", "pause", "avbryt"]
    skipped = ask(server, "hopp over", sender)
    assert step_question(kb, "other_goals") in skipped[-1]["text"]


@pytest.mark.parametrize("target", ["5 %", "5", "5,2"])
def test_a_bare_number_is_an_answer_to_the_percentage_step(server, kb, target):
    sender = uuid.uuid4().hex
    ask(server, "lag en lokal IA-avtale", sender)
    for said in ["Bakeriet", "Ola", "Kari", "nei", "ja", "2 år"]:
        ask(server, said, sender)
    replies = ask(server, target, sender)
    assert step_question(kb, "other_goals") in replies[-1]["text"]
    assert get(f"{server['url']}/conversations/{sender}/tracker")["slots"]["agreement_sick_leave_target"] is not None


@pytest.mark.parametrize("message", ["", "<script>alert(1)</script>", "x" * 5000, "\x00\x01\x02"])
def test_bad_input_inside_the_dialogue_is_answered_and_the_step_kept(server, kb, message):
    sender = uuid.uuid4().hex
    ask(server, "lag en lokal IA-avtale", sender)
    replies = ask(server, message, sender)
    assert replies[0]["text"] in [not_understood(p) for p in INPUT_PROBLEMS]
    assert replies[-1]["text"].startswith("Steg 1 av 14: " + step_question(kb, "workplace"))


# ----- the measure recommender -----------------------------------------------------------------
def test_a_situation_gets_the_measures_that_fit_and_the_follow_ups_work(server, kb):
    sender = uuid.uuid4().hex
    replies = ask(server, "Vi har høyt sykefravær og vet ikke hvor vi skal begynne", sender)
    # The industry was not said, so it is asked for; the problem is not asked again.
    assert replies[-1]["text"].startswith(kb.recommender.steps[0].question)
    [suggestion] = ask(server, "sykehjem", sender)
    lines = suggestion["text"].splitlines()
    assert lines[0] == "Ut fra det du forteller (sykehjem, høyt sykefravær), passer dette best:"
    assert lines[1].startswith("1. Bransjeprogram: ")
    assert lines[2].startswith("2. NAV Arbeidslivssenter: ")
    assert suggestion["buttons"][-1]["payload"] == "/start_local_agreement"
    [how] = ask(server, "hvordan søker vi?", sender)
    assert how["text"].startswith("Bransjeprogram: " + kb.recommender.options["bransjeprogram"].fit["first_step"])
    [other] = ask(server, "og hvis vi er en barnehage?", sender)
    assert other["text"].startswith("Ut fra det du forteller (barnehager, høyt sykefravær)")


def test_a_situation_that_says_everything_is_answered_at_once(server):
    replies = ask(server, "en medarbeider har vært sykmeldt i et halvt år og vi vet ikke hva vi skal gjøre")
    assert len(replies) == 1
    assert replies[0]["text"].splitlines()[1].startswith("1. Oppfølgingsplikten ved sykefravær: ")


# ----- whom to contact -------------------------------------------------------------------------
def test_whom_to_contact_asks_where_then_which_then_switches_place(server):
    sender = uuid.uuid4().hex
    [question] = ask(server, "Hvem kan vi kontakte for å få hjelp med IA-arbeidet?", sender)
    assert question["text"].startswith("Hvilket fylke eller hvilken kommune gjelder det?")
    assert len(question["buttons"]) == 16  # the 15 counties and "vet ikke"
    [which] = ask(server, "Herøy", sender)
    assert which["text"] == "«Herøy» kan bety flere steder. Hvilket mener du?"
    contact, council = ask(server, which["buttons"][1]["payload"], sender)
    assert contact["text"].startswith("Herøy kommune ligger i Nordland.\nArbeidsplasser i Nordland hører til NAV Arbeidslivssenter Nordland")
    assert "55 55 33 36" in contact["text"]
    assert [b["payload"] for b in council["buttons"]][-1] == "/ask_contact"
    contact, _ = ask(server, "og i Sandvika?", sender)
    assert contact["text"].startswith("Sandvika ligger i Bærum kommune i Akershus.")


def test_real_questions_get_the_right_answer_or_a_question_back(server, kb):
    """The whole bot on every real question: at least MIN_RIGHT answered right, at most MAX_WRONG
    answered about something else (today's level; the target is TARGET_RIGHT and TARGET_WRONG).
    The report lists every question not answered right."""
    verdicts = real_questions.ask_all(server["url"], API_TOKEN, kb, real_questions.load_questions())
    shares = Counter(v.how for v in verdicts)
    report = real_questions.report(verdicts)
    print(report)
    assert shares["right"] / len(verdicts) >= real_questions.MIN_RIGHT, report
    assert shares["wrong"] / len(verdicts) <= real_questions.MAX_WRONG, report


# ----- bokmål and nynorsk ----------------------------------------------------------------------
def in_standard(standard_name, make):
    """What `make()` gives when the conversation is in `standard_name`."""
    from actions import standard

    standard.use_standard(standard_name)
    try:
        return make()
    finally:
        standard.use_standard(standard.DEFAULT)


class Conversation:
    """One new sender's conversation with the server: `turn(text)` gives the replies to one
    message, and `said` keeps every reply so far."""

    def __init__(self, server):
        self.server, self.sender, self.said = server, uuid.uuid4().hex, []

    def turn(self, text):
        replies = ask(self.server, text, self.sender)
        self.said.extend(replies)
        return replies


def test_a_conversation_in_nynorsk_is_answered_in_nynorsk_until_the_user_chooses_bokmal(server, kb):
    nn, nb = load(standard="nn"), kb
    talk = Conversation(server)
    turn, said = talk.turn, talk.said

    greeting = turn("Hei! Kva kan du hjelpe meg med?")
    assert sentences_in(greeting, "nn"), greeting
    [answer] = turn("Kva gjer verneombodet i IA-arbeidet?")
    assert answer["text"] == in_standard("nn", lambda: entry_text(nn.roles["verneombud"]))
    assert [b["title"] for b in answer["buttons"]] == [nn.resolve(r).question for r in nn.roles["verneombud"].next]
    [answer] = turn("og tillitsvalde?")
    assert answer["text"] == in_standard("nn", lambda: entry_text(nn.roles["tillitsvalgt"]))
    # Neutral messages keep nynorsk: unreadable input, a place, a plain "ok".
    assert texts(turn("qwerty asdf")) == [in_standard("nn", lambda: not_understood("no_text"))]
    turn("Vestland")
    turn("ok")
    assert sentences_in(said, "nb") == [], "bokmål in a nynorsk conversation"

    assert texts(turn("svar på bokmål, takk")) == [phrases.text("dialogue.standard_chosen", "nb")]
    [answer] = turn("Kva er IA-avtalen?")  # one message in nynorsk does not undo a choice
    assert answer["text"] == entry_text(nb.topics["ask_ia_agreement"])


def test_a_conversation_in_bokmal_never_shows_nynorsk(server, kb):
    talk = Conversation(server)
    for text in ["Hei", "Hva gjør verneombudet i IA-arbeidet?", "og tillitsvalgte?", "qwerty asdf", "Rogaland", "takk"]:
        talk.turn(text)
    said = talk.said
    assert said and sentences_in(said, "nn") == [], said
    assert said[-1]["text"] == phrases.text("dialogue.thank", "nb")


def test_the_local_agreement_in_nynorsk_from_greeting_to_draft_never_shows_bokmal(server):
    """A whole conversation in nynorsk: greeting, a question, a follow-up, a fallback, the guided
    dialogue with a question and a wrong answer in the middle, the summary and the draft."""
    nn = load(standard="nn")
    talk = Conversation(server)
    turn, said = talk.turn, talk.said

    turn("Hei, eg er verneombod i ein barnehage")
    turn("Kva gjer tillitsvalde i IA-arbeidet?")
    turn("og bedriftshelsetenesta?")
    turn("blæh")
    intro, first = turn("Kan du hjelpe oss å lage ein lokal IA-avtale?")
    assert first["text"].startswith("Steg 1 av 14: " + nn.agreement.step("workplace").question)
    for answer, next_step in [
        ("Solbakken barnehage", "employer"),
        ("Kari Hansen, dagleg leiar", "employees"),
        ("Per Olsen, hovudtillitsvald", "verneombud"),
        ("Ja, Lise Berg er verneombod", "intention"),
        ("Ja, vi står bak alle tre", "period"),
        ("ein halv dag", "period"),  # not a period: asked again
        ("to år", "sick_leave_target"),
        ("Kva er eigentleg ein IA-avtale?", "sick_leave_target"),  # answered, the step kept
        ("ned med 10 prosent", "other_goals"),
        ("hopp over", "focus_areas"),
        ("Begge", "activities"),
        ("Kartleggje arbeidsmiljøet og lage ein rutine for oppfølging", "meetings"),
        ("Fast punkt i AMU kvart kvartal", "evaluation"),
        ("Ein gong i året", "measures"),
        ("NAV Arbeidslivssenter", "signing"),
    ]:
        replies = turn(answer)
        assert nn.agreement.step(next_step).question in replies[-1]["text"], (answer, texts(replies))
    [summary] = turn("Bergen")
    assert "Arbeidsgivar: Kari Hansen, dagleg leiar" in summary["text"], summary["text"]
    done, shown, custom = turn("Ja, lag utkastet")
    assert done["text"] == nn.agreement.texts["done"]
    content = custom["custom"]["data"]["content"]
    assert "Partane er samde om dette:" in content and "Stad: Bergen" in content
    drafted = [{"text": line} for line in content.splitlines()]
    assert sentences_in(said, "nb") == [] and sentences_in(drafted, "nb") == []
    assert len(sentences_in(said, "nn")) > 20
