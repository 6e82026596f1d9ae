"""The web chat (web/, bot/webchat.py) against the real Rasa server and action server: its socket
refuses strangers, and in real headless Chromium a user can talk to the assistant by mouse and by
keyboard (web/test/chat.mjs). Screenshots are saved in results/web/."""
import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import jwt
import pytest
import socketio
import yaml

from actions import phrases
from tests.conftest import MODEL, ROOT
from actions.knowledge import load
from tests.test_server import API_TOKEN, LOG_PROBLEM, RASA, entry_text, free_port, get, in_standard, wait_for

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCENARIOS = ROOT / "web" / "test" / "chat.mjs"
ARTEFACTS = ROOT / "results" / "web"
KEY = secrets.token_urlsafe(32)
ALLOWED_ORIGIN = "https://allowed.example"
REPLY_TIMEOUT = 300


class Servers:
    """The action server, and a Rasa server with the repository's credentials.yml that a test can
    stop and start again (the conversations are kept in the SQLite tracker store)."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.rasa_port, actions_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.endpoints = tmp / "endpoints.yml"
        self.endpoints.write_text(
            yaml.safe_dump(
                {
                    "action_endpoint": {"url": f"http://127.0.0.1:{actions_port}/webhook"},
                    "tracker_store": {
                        "type": "bot.tracker_store.RedactingSQLTrackerStore",
                        "dialect": "sqlite",
                        "db": str(tmp / "trackers.db"),
                    },
                }
            )
        )
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "WEBCHAT_JWT_KEY": KEY,
            "WEBCHAT_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
        }
        self.logs = []
        self.actions = self._start(
            [RASA, "run", "actions", "--actions", "actions", "--port", str(actions_port)], "actions.log"
        )
        wait_for(f"http://127.0.0.1:{actions_port}/health", [self.actions], [self.logs[-1]])
        self.rasa = None
        self.start_rasa()

    def _start(self, command, name):
        log = self.tmp / name
        self.logs.append(log)
        return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)

    def start_rasa(self):
        self.rasa = self._start(
            [
                RASA, "run", "--model", str(MODEL), "--endpoints", str(self.endpoints),
                "--credentials", str(ROOT / "credentials.yml"),
                "--interface", "127.0.0.1", "--port", str(self.rasa_port), "--enable-api",
                "--auth-token", API_TOKEN,
            ],
            f"rasa-{len(self.logs)}.log",
        )
        wait_for(f"{self.url}/status", [self.actions, self.rasa], [self.logs[0], self.logs[-1]])

    def stop_rasa(self):
        stop(self.rasa)

    def stop(self):
        for process in (self.rasa, self.actions):
            stop(process)


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it)")
    if not (ROOT / "web" / "dist" / "ia-chat.js").exists():
        pytest.fail("web/dist/ia-chat.js is missing: run `make web` (make test does it)")
    running = Servers(tmp_path_factory.mktemp("web"))
    try:
        yield running
    finally:
        before_stop = running.logs[-1].stat().st_size
        running.stop()
    # The server also stops cleanly, with no socket open.
    with running.logs[-1].open(encoding="utf-8", errors="replace") as log:
        log.seek(before_stop)
        assert [line for line in log.read().splitlines() if LOG_PROBLEM.search(line)] == []


@pytest.fixture(autouse=True)
def logs_stay_clean(servers, request):
    """As in test_server.py: a test fails if it made a server log an error or a traceback."""
    marker = request.node.get_closest_marker("log_allows")
    allowed = re.compile(marker.args[0]) if marker else None
    offsets = {log: log.stat().st_size for log in servers.logs if log.exists()}
    yield
    problems = []
    for log in servers.logs:
        with log.open(encoding="utf-8", errors="replace") as fh:
            fh.seek(offsets.get(log, 0))
            problems += [
                f"{log.name}: {line}" for line in fh.read().splitlines()
                if LOG_PROBLEM.search(line) and not (allowed and allowed.search(line))
            ]
    assert problems == [], "\n".join(problems[:20])


# ----- the socket refuses strangers ----------------------------------------------------------------
class Refused(Exception):
    pass


class Chat:
    """A Socket.IO client speaking the web chat's protocol (long-polling: the venv's aiohttp is
    too old for python-socketio's websocket client; the guard is the same for both)."""

    def __init__(self, url, token=None):
        self.url, self.token = url, token
        self.client = socketio.AsyncClient()
        self.events: asyncio.Queue = asyncio.Queue()
        for name in ("connect", "connect_error", "session_confirm", "bot_uttered", "session_refused"):
            self.client.on(name, self._keeper(name))
        self.session_id = None

    def _keeper(self, name):
        async def keep(data=None):
            await self.events.put((name, data))
        return keep

    async def connect(self):
        """Connects, or raises Refused with the server's reason."""
        auth = {"token": self.token} if self.token else None
        await self.client.connect(self.url, transports=["polling"], auth=auth, wait=False)
        _, name, data = await self.next("connect", "connect_error")
        if name == "connect_error":
            await self.close()
            raise Refused(data.get("message") if isinstance(data, dict) else data)
        return self

    async def next(self, *names):
        """The bot messages that came before the next event named in `names`, and that event."""
        messages = []
        while True:
            name, data = await asyncio.wait_for(self.events.get(), REPLY_TIMEOUT)
            if name in names:
                return messages, name, data
            messages.append(data)

    async def session(self, session_id=None):
        await self.client.emit("session_request", {"session_id": session_id})
        _, _, data = await self.next("session_confirm")
        self.session_id, self.token = data["session_id"], data["token"]
        return data

    async def say(self, text, session_id=None, metadata=None):
        """The bot's answer, or the name of the refusal."""
        body = {"message": text, "session_id": session_id or self.session_id}
        if metadata is not None:
            body["metadata"] = metadata
        await self.client.emit("user_uttered", body)
        messages, name, _ = await self.next("session_confirm", "session_refused")
        return messages if name == "session_confirm" else name

    async def close(self):
        # Without waiting for the pending long-poll to end (up to the 25 s ping interval).
        await self.client.eio.disconnect(abort=True)


def user_texts(servers, session_id):
    tracker = get(f"{servers.url}/conversations/{session_id}/tracker")
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


def token(session_id, key=KEY, seconds=600, algorithm="HS256"):
    return jwt.encode({"sub": session_id, "exp": int(time.time()) + seconds}, key, algorithm=algorithm)


def test_a_new_session_gets_an_id_and_a_token_made_by_the_server(servers, kb):
    async def talk():
        chat = await Chat(servers.url).connect()
        asked_for = uuid.uuid4().hex
        confirmed = await chat.session(asked_for)
        answer = await chat.say("Hva gjør verneombudet i IA-arbeidet?", metadata={"lang": "nn", "x": "<b>"})
        await chat.close()
        return asked_for, confirmed, answer

    asked_for, confirmed, answer = asyncio.run(talk())
    assert confirmed["session_id"] != asked_for
    claims = jwt.decode(confirmed["token"], KEY, algorithms=["HS256"])
    assert claims["sub"] == confirmed["session_id"] and claims["exp"] == confirmed["expires"]
    assert claims["exp"] - claims["iat"] == 3600
    assert [m["text"] for m in answer] == [entry_text(kb.roles["verneombud"])]
    tracker = get(f"{servers.url}/conversations/{confirmed['session_id']}/tracker")
    [said] = [e for e in tracker["events"] if e["event"] == "user"]
    assert said["input_channel"] == "webchat"
    assert said["metadata"]["lang"] == "nn" and "x" not in said["metadata"]


def test_the_draft_document_arrives_as_one_message(servers):
    async def talk():
        chat = await Chat(servers.url).connect()
        await chat.session()
        await chat.say("lag en lokal IA-avtale")
        await chat.say("Bakeriet")
        shown = await chat.say("vis utkastet")
        await chat.close()
        return shown

    shown = asyncio.run(talk())
    [document] = [m for m in shown if m.get("type") == "document"]
    assert document["mime"] == "text/markdown" and document["filename"].endswith(".md")
    assert document["content"].startswith("# Lokal IA-avtale for Bakeriet")


@pytest.mark.log_allows(r"WARNING +bot\.webchat +- Web chat: ")
def test_a_stranger_can_neither_write_into_nor_read_a_conversation(servers, kb):
    intruder = "Jeg er en fremmed i denne samtalen"

    async def talk():
        victim = await Chat(servers.url).connect()
        await victim.session()
        await victim.say("Hva gjør verneombudet i IA-arbeidet?")
        results = {}

        # No token: a message into the victim's session is refused, and asking for that session
        # gives a new one.
        stranger = await Chat(servers.url).connect()
        results["no token, no session"] = await stranger.say(intruder, victim.session_id)
        confirmed = await stranger.session(victim.session_id)
        results["no token, asked for the session"] = confirmed["session_id"]
        results["no token, after a session"] = await stranger.say(intruder, victim.session_id)
        await stranger.close()

        # A token for the victim's session that the server did not make, or that has expired, or
        # is not signed: the connection is refused.
        for name, forged in [
            ("signed with another key", token(victim.session_id, key=secrets.token_urlsafe(32))),
            ("expired", token(victim.session_id, seconds=-60)),
            ("unsigned", token(victim.session_id, key=None, algorithm="none")),
            ("not a token", "eyJhbGciOiJIUzI1NiJ9.e30.x"),
        ]:
            try:
                await (await Chat(servers.url, forged).connect()).close()
                results[name] = "connected"
            except Refused as refused:
                results[name] = f"refused: {refused}"

        # A valid token for another session: bound to that session, never the victim's.
        other = await Chat(servers.url).connect()
        await other.session()
        other_id, other_token = other.session_id, other.token
        await other.close()
        stranger = await Chat(servers.url, other_token).connect()
        confirmed = await stranger.session(victim.session_id)
        results["other token, asked for the session"] = confirmed["session_id"]
        results["other token"] = await stranger.say(intruder, victim.session_id)
        # What the victim is told next does not reach the stranger.
        victim_answer = await victim.say("og tillitsvalgte?")
        stranger_answer = await stranger.say("Hva er IA-avtalen?")
        await stranger.close()
        await victim.close()
        return results, other_id, victim_answer, stranger_answer, victim.session_id

    results, other_id, victim_answer, stranger_answer, victim_id = asyncio.run(talk())
    assert results == {
        "no token, no session": "session_refused",
        "no token, asked for the session": results["no token, asked for the session"],
        "no token, after a session": "session_refused",
        "signed with another key": "refused: invalid_session",
        "expired": "refused: invalid_session",
        "unsigned": "refused: invalid_session",
        "not a token": "refused: invalid_session",
        "other token, asked for the session": other_id,
        "other token": "session_refused",
    }
    assert results["no token, asked for the session"] not in (victim_id, other_id)
    assert [m["text"] for m in victim_answer] == [entry_text(kb.roles["tillitsvalgt"])]
    assert [m["text"] for m in stranger_answer] == [entry_text(kb.topics["ask_ia_agreement"])]
    assert user_texts(servers, victim_id) == ["Hva gjør verneombudet i IA-arbeidet?", "og tillitsvalgte?"]


def handshake(servers, origin):
    request = urllib.request.Request(f"{servers.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Access-Control-Allow-Origin")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Access-Control-Allow-Origin")


@pytest.mark.log_allows(r"https://evil\.example is not an accepted origin|WARNING +bot\.webchat +- Web chat: refused a connection from the page origin")
def test_only_the_configured_origins_may_open_the_socket(servers):
    assert handshake(servers, "https://evil.example") == (400, None)
    assert handshake(servers, ALLOWED_ORIGIN) == (200, ALLOWED_ORIGIN)
    assert handshake(servers, servers.url) == (200, servers.url)


def test_the_bundle_and_the_demo_page_are_served_and_nothing_else(servers):
    def fetch(path):
        try:
            with urllib.request.urlopen(servers.url + path, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, b""

    status, headers, body = fetch("/webchat/ia-chat.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert body == (ROOT / "web" / "dist" / "ia-chat.js").read_bytes()
    status, headers, body = fetch("/webchat/")
    assert status == 200 and b"<ia-chat" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    for path in ["/webchat/index.html", "/webchat/../credentials.yml", "/webchat/%2e%2e/credentials.yml", "/webchat/dist/ia-chat.js"]:
        assert fetch(path)[0] == 404, path


# ----- in the browser ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def expectations(kb, domain, tmp_path_factory):
    """What the browser scenarios expect to see, from the knowledge base and the domain."""
    role, follow_up = kb.roles["verneombud"], kb.roles["tillitsvalgt"]
    first_button = phrases.buttons("dialogue.greet", "nb")[0]
    assert first_button["payload"] == '/ask_role{"ia_role":"verneombud"}'
    step = lambda key: kb.agreement.step(key).question  # noqa: E731
    nynorsk = load(standard="nn").roles["verneombud"]
    data = {
        # On a page with lang="nn" (the chat's own texts are in web/src/texts.js).
        "nynorsk": {
            "greeting": phrases.text("dialogue.greet", "nn"),
            "greetingReplies": [b["title"] for b in phrases.buttons("dialogue.greet", "nn")],
            "hint": "Ikkje skriv personnummer eller helseopplysningar.",
            "question": "Kva gjer verneombodet i IA-arbeidet?",
            "answer": in_standard("nn", lambda: entry_text(nynorsk)),
        },
        "greeting": phrases.text("dialogue.greet", "nb"),
        "greetingReply": {
            "title": first_button["title"],
            "text": entry_text(role),
            "next": [kb.resolve(r).question for r in role.next],
        },
        "role": {
            "question": "Hva gjør verneombudet i IA-arbeidet?",
            "text": entry_text(role),
            "sources": [s.url for s in role.sources[:2]],
        },
        "followUp": {"question": "og tillitsvalgte?", "text": entry_text(follow_up)},
        "agreement": {
            "start": "Jeg vil lage en lokal IA-avtale",
            "first": "Steg 1 av 14: " + step("workplace"),
            "steps": [
                ["Solbakken sykehjem & Co <b>", step("employer"), "typed"],
                ["Kari Hansen, daglig leder", step("employees"), "typed"],
                ["Per Olsen, hovedtillitsvalgt", step("verneombud"), "typed"],
                ["Ja, verneombudet er med", step("intention"), "button"],
                ["Ja, vi står bak alle tre", step("period"), "button"],
                ["to år", step("sick_leave_target"), "typed"],
                ["fem prosent", step("other_goals"), "typed"],
                ["hopp over", step("focus_areas"), "typed"],
                ["Begge", step("activities"), "typed"],
                ["Kartlegge arbeidsmiljøet og lage en rutine for oppfølging", step("meetings"), "typed"],
                ["Fast punkt i AMU hvert kvartal", step("evaluation"), "typed"],
                ["Én gang i året, med sykefraværsstatistikken", step("measures"), "typed"],
                ["NAV Arbeidslivssenter og ekspertbistand", step("signing"), "typed"],
                ["Drammen", "2. Arbeidsgiver: Kari Hansen, daglig leder", "typed"],
            ],
            "summary": [
                "7. Mål for sykefraværet: Sykefraværet skal ned til 5 % eller lavere",
                "13. Virkemidler: NAV Arbeidslivssenter, Tilskudd til ekspertbistand",
            ],
            "confirm": "Ja, lag utkastet",
            "filename": "lokal-ia-avtale-solbakken-sykehjem-co.md",
            "contentStart": "# Lokal IA-avtale for Solbakken sykehjem &amp; Co\n",
            "content": [
                "- Arbeidsgiver: Kari Hansen, daglig leder",
                "- Verneombud (god praksis): Ja – verneombudet er med",
                "Sted: Drammen",
                "frivillig og gir ingen automatiske rettigheter",
            ],
        },
    }
    path = tmp_path_factory.mktemp("expectations") / "expectations.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def browse(servers, scenario, expectations):
    """Runs one scenario of web/test/chat.mjs; stops and starts Rasa when it asks."""
    if not (os.path.exists(CHROMIUM) and shutil.which("node")):
        pytest.fail(f"the browser tests need Node.js and Chromium at {CHROMIUM} (apt-get install chromium)")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        ["node", str(SCENARIOS), scenario, f"{servers.url}/webchat/", str(expectations), str(ARTEFACTS)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output = []
    for line in process.stdout:
        output.append(line)
        if line.strip() in ("@stop-rasa", "@start-rasa"):
            servers.stop_rasa() if line.strip() == "@stop-rasa" else servers.start_rasa()
            process.stdin.write("done\n")
            process.stdin.flush()
    process.wait()
    assert process.returncode == 0, "".join(output) + "\nThe Rasa server's log ends:\n" + "".join(
        servers.logs[-1].read_text(errors="replace").splitlines(keepends=True)[-30:]
    )


@pytest.mark.parametrize("scenario", ["question", "reload", "agreement", "accessibility", "offline", "nynorsk"])
def test_in_the_browser(servers, expectations, scenario):
    browse(servers, scenario, expectations)


def test_a_session_that_floods_is_asked_to_wait(servers):
    from bot.rate_limit import too_many

    async def flood():
        chat = await Chat(servers.url).connect()
        await chat.session()
        answers = [await chat.say("hei") for _ in range(40)]
        await chat.close()
        return answers

    answers = asyncio.run(flood())
    texts = [m.get("text") for answer in answers if isinstance(answer, list) for m in answer]
    assert too_many() in texts
    assert texts[0] != too_many()  # a person's first messages are answered
