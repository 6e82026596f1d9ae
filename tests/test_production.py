"""The production profile on the real PostgreSQL and Redis: two Rasa servers (one with two
Sanic workers) and one action server, started by scripts/production.sh as an operator would,
sharing a fresh database and a Redis database of their own; then the faults.

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password) and Redis on 127.0.0.1:6379;
when they do not answer, scripts/services.sh is run to start them (and, as root, to install them)."""
import contextlib
import json
import logging
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import redis

from actions import phrases
from bot.health import try_again
from tests.conftest import MODEL, ROOT
from tests.test_server import (  # noqa: F401 (logs_stay_clean is a fixture)
    API_TOKEN, LOG_PROBLEM, START_TIMEOUT, ask, entry_text, free_port, get, logs_stay_clean,
    step_question, texts, wait_for,
)

LAUNCHER = str(ROOT / "scripts" / "production.sh")
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS_PORT = 6379
REDIS_DB = 14
JWT_SECRET = uuid.uuid4().hex
ORIGIN = "https://chat.example.no"


def pg(database):
    return psycopg2.connect(dbname=database, connect_timeout=5, **PG)


def postgresql_answers() -> bool:
    try:
        pg("postgres").close()
        return True
    except psycopg2.OperationalError:
        return False


def redis_answers() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=REDIS_PORT, socket_timeout=5).ping()
    except redis.RedisError:
        return False


def ensure_services():
    if postgresql_answers() and redis_answers():
        return
    started = subprocess.run(["bash", str(ROOT / "scripts" / "services.sh")], capture_output=True, text=True,
                             timeout=600)
    if not (postgresql_answers() and redis_answers()):
        pytest.fail("PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) does not answer, and "
                    f"scripts/services.sh could not start them:\n{started.stderr[-2000:]}")


def admin_command(sql):
    admin = pg("postgres")
    admin.autocommit = True
    admin.cursor().execute(sql)
    admin.close()


@contextlib.contextmanager
def new_database(prefix):
    """A new, empty database, dropped at the end."""
    ensure_services()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_command(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        admin_command(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def database():
    """A fresh database for this module, dropped at the end."""
    with new_database("ia_assistent_test") as name:
        yield name


@pytest.fixture(scope="module")
def redis_prefix():
    """A key prefix of this module's own in a Redis database the project uses for tests only."""
    prefix = "iatest" + uuid.uuid4().hex[:12]
    ensure_services()
    shared = redis.Redis(host="127.0.0.1", port=REDIS_PORT, db=REDIS_DB, socket_timeout=5)
    yield prefix
    for key in shared.scan_iter(match=f"{prefix}:*"):
        shared.delete(key)


def profile_env(database, prefix, **settings):
    """The environment an operator sets for the production profile (.env.example)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "JWT_", "CORS_"))}
    env.update({
        "RASA_MODEL": str(MODEL), "RASA_API_TOKEN": API_TOKEN, "CORS_ORIGINS": ORIGIN,
        "DB_HOST": PG["host"], "DB_PORT": str(PG["port"]), "DB_NAME": database, "DB_USER": PG["user"],
        "DB_PASSWORD": "", "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(REDIS_PORT),
        "REDIS_DB": str(REDIS_DB), "REDIS_PASSWORD": "", "REDIS_KEY_PREFIX": prefix,
    })
    env.update({k: str(v) for k, v in settings.items()})
    return env


class Process:
    """A process started in its own process group (Sanic's workers are stopped with it)."""

    def __init__(self, command, env, log):
        self.command, self.env, self.log = command, env, log
        self.process = None

    def start(self):
        with self.log.open("a") as out:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def stop(self):
        """SIGTERM to the main process, which stops its workers; anything left is killed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def workers(self):
        """The pids of the worker processes Sanic forked."""
        pid = self.process.pid
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return children.read().split()


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory):
    """A Redis server of this test's own, so that stopping it touches nothing else."""
    port = free_port()
    log = tmp_path_factory.mktemp("redis") / "redis.log"
    process = Process(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                       "--appendonly", "no"], dict(os.environ), log)

    def start():
        process.start()
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        pytest.fail(f"redis-server did not start:\n{log.read_text()}")

    start()
    yield {"port": port, "stop": process.stop, "start": start}
    process.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, database, redis_prefix, own_redis):
    """An action server and two Rasa servers, A with two Sanic workers and B with one and a JWT
    secret besides the token, sharing the database and the lock store; and C, with its locks in
    a Redis of its own that a test stops."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it)")
    tmp = tmp_path_factory.mktemp("production")
    actions_port, port_a, port_b, port_c = free_port(), free_port(), free_port(), free_port()
    action_server_url = f"http://127.0.0.1:{actions_port}/webhook"
    base = profile_env(database, redis_prefix, ACTIONS_PORT=actions_port, ACTION_SERVER_URL=action_server_url)
    # Once before the servers: creates the conversation table.
    checked = subprocess.run(["bash", LAUNCHER, "check"], env=base, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    actions = Process(["bash", LAUNCHER, "actions"], {**base, "ACTION_SERVER_SANIC_WORKERS": "2"},
                      tmp / "actions.log")
    a = Process(["bash", LAUNCHER, "rasa"], {**base, "RASA_PORT": str(port_a), "SANIC_WORKERS": "2"}, tmp / "a.log")
    b = Process(["bash", LAUNCHER, "rasa"],
                {**base, "RASA_PORT": str(port_b), "SANIC_WORKERS": "1", "JWT_SECRET": JWT_SECRET},
                tmp / "b.log")
    c = Process(["bash", LAUNCHER, "rasa"],
                {**base, "RASA_PORT": str(port_c), "SANIC_WORKERS": "1", "REDIS_PORT": str(own_redis["port"]),
                 "REDIS_DB": "0"}, tmp / "c.log")
    started = [actions.start(), a.start(), b.start(), c.start()]
    try:
        processes, logs = [p.process for p in started], [p.log for p in started]
        wait_for(f"http://127.0.0.1:{actions_port}/health", processes, logs)
        for port in (port_a, port_b, port_c):
            wait_for(f"http://127.0.0.1:{port}/webhooks/health/ready", processes, logs)
        yield {
            "a": f"http://127.0.0.1:{port_a}", "b": f"http://127.0.0.1:{port_b}", "c": f"http://127.0.0.1:{port_c}",
            "actions": actions, "rasa": [a, b, c], "database": database, "logs": logs,
            "actions_url": f"http://127.0.0.1:{actions_port}/health",
            "startup": [log.read_text(errors="replace") for log in logs],
        }
    finally:
        for process in started:
            process.stop()


def turn(url, text, sender):
    answers = ask({"url": url}, text, sender)
    assert all(a["recipient_id"] == sender for a in answers)
    return answers


def tracker(url, sender):
    return get(f"{url}/conversations/{sender}/tracker")


def stored_events(database, sender):
    with pg(database) as connection, connection.cursor() as cursor:
        cursor.execute("select type_name, data from events where sender_id = %s order by id", (sender,))
        rows = cursor.fetchall()
    connection.close()
    return [(kind, json.loads(data)) for kind, data in rows]


def said(events, kind):
    return [data.get("text") for name, data in events if name == kind]


# ----- the profile -----------------------------------------------------------------------------
def test_the_servers_start_clean_with_workers_and_are_ready(server):
    for log, text in zip(server["logs"], server["startup"]):
        problems = [line for line in text.splitlines() if LOG_PROBLEM.search(line)]
        assert problems == [], f"{log.name}:\n" + "\n".join(problems[:20])
    assert len(server["rasa"][0].workers()) == 2
    assert len(server["actions"].workers()) == 2
    for url in (server["a"], server["b"], server["c"]):
        with urllib.request.urlopen(url + "/webhooks/health/ready", timeout=10) as response:
            assert json.loads(response.read()) == {"ready": True}


def jwt_for(secret):
    import jwt

    return jwt.encode({"user": {"username": "drift", "role": "admin"}}, secret, algorithm="HS256")


@pytest.mark.log_allows(r"ERROR +rasa\.server +- User is not authenticated\.$")
def test_the_http_api_needs_the_token_or_the_jwt(server):
    sender = uuid.uuid4().hex
    turn(server["a"], "hei", sender)
    path = f"/conversations/{sender}/tracker"
    for url, headers in [
        (server["a"] + path, {}),
        (server["a"] + path + "?token=not-the-token", {}),
        (server["b"] + path, {"Authorization": "Bearer " + jwt_for(uuid.uuid4().hex)}),
    ]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10)
        assert refused.value.code == 401, url
    request = urllib.request.Request(server["b"] + path, headers={"Authorization": "Bearer " + jwt_for(JWT_SECRET)})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["sender_id"] == sender
    assert tracker(server["a"], sender)["sender_id"] == sender


def test_cors_answers_only_the_configured_origin(server):
    for origin, allowed in [(ORIGIN, ORIGIN), ("https://fremmed.example", None)]:
        request = urllib.request.Request(server["a"] + "/", headers={"Origin": origin})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers.get("Access-Control-Allow-Origin") == allowed, origin


# ----- two servers, one conversation -------------------------------------------------------------
AGREEMENT = [
    ("lag en lokal IA-avtale", "workplace"),
    ("Bakeriet", "employer"),
    ("Ola", "employees"),
    ("Kari", "verneombud"),
    ("nei", "intention"),
    ("ja", "period"),
    ("2 år", "sick_leave_target"),
]


def test_a_conversation_alternating_between_the_servers_keeps_slots_form_and_history(server, kb):
    sender = uuid.uuid4().hex
    servers = [server["a"], server["b"]]
    for i, (text, next_step) in enumerate(AGREEMENT):
        replies = turn(servers[i % 2], text, sender)
        assert step_question(kb, next_step) in replies[-1]["text"], text
        # The other server sees the same state.
        state = tracker(servers[(i + 1) % 2], sender)
        assert state["active_loop"]["name"] == "local_agreement_form"
        assert state["slots"]["requested_slot"] == kb.agreement.step(next_step).slot
    slots = tracker(server["a"], sender)["slots"]
    assert slots["agreement_workplace"] == "Bakeriet"
    assert slots["agreement_employer"] == "Ola"
    assert slots["agreement_employees"] == "Kari"
    assert all(slots[kb.agreement.step(key).slot] is not None for key in ["verneombud", "intention", "period"])
    # The whole history is in PostgreSQL, once, in order.
    events = stored_events(server["database"], sender)
    assert said(events, "user") == [text for text, _ in AGREEMENT]
    assert len(events) == len(tracker(server["b"], sender)["events"])


# ----- many conversations at once -----------------------------------------------------------------
def conversation_script(kb, domain):
    return [
        ("hei", [phrases.text("dialogue.greet", "nb")]),
        ("Hva gjør verneombudet i IA-arbeidet?", [entry_text(kb.roles["verneombud"])]),
        ("og tillitsvalgte?", [entry_text(kb.roles["tillitsvalgt"])]),
        ("Hva er IA-avtalen?", [entry_text(kb.topics["ask_ia_agreement"])]),
    ]


def converse(servers, script, index, done=None):
    """One conversation, its turns alternating between the servers; returns what came back."""
    sender = f"load-{index}-{uuid.uuid4().hex[:8]}"
    replies = []
    for i, (text, _) in enumerate(script):
        replies.append(texts(turn(servers[(index + i) % 2], text, sender)))
        if done is not None:
            done()
    return sender, replies


def check_stored(database, script, conversations):
    """Every conversation got exactly the expected answers, and PostgreSQL holds each user
    message and each answer once."""
    for sender, replies in conversations:
        assert replies == [expected for _, expected in script], sender
        events = stored_events(database, sender)
        assert said(events, "user") == [text for text, _ in script], sender
        assert said(events, "bot") == [t for expected in replies for t in expected], sender


def test_fifty_conversations_in_parallel_lose_no_event_and_get_no_duplicate(server, kb, domain):
    script = conversation_script(kb, domain)
    servers = [server["a"], server["b"]]
    with ThreadPoolExecutor(max_workers=50) as pool:
        conversations = list(pool.map(lambda i: converse(servers, script, i), range(50)))
    check_stored(server["database"], script, conversations)
    for sender, _ in conversations[:5]:
        assert len(stored_events(server["database"], sender)) == len(tracker(server["a"], sender)["events"])


# ----- faults ----------------------------------------------------------------------------------
ACTION_SERVER_DOWN = (
    r"Failed to run custom action '\w+'\. Couldn't connect to the server at"
    r"|Encountered an exception while running action '\w+'\.Bot will continue"
    r"|^Traceback \(most recent call last\):$"
    r"|^The above exception was the direct cause of the following exception:$"
    r"|^During handling of the above exception, another exception occurred:$"
    r"|^rasa\.shared\.exceptions\.RasaException: Failed to execute custom action '\w+'\. Couldn't connect"
)


@pytest.mark.log_allows(ACTION_SERVER_DOWN)
def test_the_action_server_stopped_mid_conversation(server, kb):
    """The user is asked to try again; once the action server is back, the step goes on."""
    sender = uuid.uuid4().hex
    turn(server["a"], "lag en lokal IA-avtale", sender)
    turn(server["b"], "Bakeriet", sender)
    actions = server["actions"]
    actions.stop()
    try:
        assert texts(turn(server["a"], "Ola", sender)) == [try_again()]
        assert texts(turn(server["b"], "Hva gjør verneombudet i IA-arbeidet?", sender)) == [try_again()]
        assert texts(turn(server["a"], "Hva er IA-avtalen?", uuid.uuid4().hex)) == [try_again()]
    finally:
        actions.start()
        wait_for(server["actions_url"], [actions.process], [actions.log])
    replies = turn(server["b"], "Ola", sender)
    assert replies[-1]["text"].startswith("Steg 3 av 14: " + step_question(kb, "employees"))
    slots = tracker(server["a"], sender)["slots"]
    assert (slots["agreement_workplace"], slots["agreement_employer"]) == ("Bakeriet", "Ola")
    for rasa in server["rasa"][:2]:
        assert "Couldn't connect to the server at" in rasa.log.read_text(errors="replace")


def pg_cluster(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
                          capture_output=True, text=True, timeout=120)


def test_postgresql_restarted_during_load_loses_and_duplicates_no_event(server, kb, domain):
    script = conversation_script(kb, domain)
    servers = [server["a"], server["b"]]
    turns_done = threading.Semaphore(0)
    with ThreadPoolExecutor(max_workers=24) as pool:
        running = [pool.submit(converse, servers, script, i, turns_done.release) for i in range(24)]
        try:
            for _ in range(20):  # some turns are answered, the rest are still to come
                turns_done.acquire(timeout=START_TIMEOUT)
            restarted = pg_cluster("restart")
            assert restarted.returncode == 0, restarted.stderr
        finally:
            if not postgresql_answers():
                pg_cluster("start")
        conversations = [future.result() for future in running]
    check_stored(server["database"], script, conversations)
    # The restart did reach turns in flight: they waited for the database instead of failing.
    assert any("The database did not answer while" in rasa.log.read_text(errors="replace")
               for rasa in server["rasa"][:2])


@pytest.mark.log_allows(r"ERROR +bot\.health +- Redis \(the lock store\) at 127\.0\.0\.1:\d+ did not answer \(")
def test_redis_down_gives_a_clear_error_then_the_conversation_goes_on(server, own_redis, kb):
    server_c = server["c"]
    sender = uuid.uuid4().hex
    turn(server_c, "lag en lokal IA-avtale", sender)
    turn(server_c, "Bakeriet", sender)
    own_redis["stop"]()
    try:
        assert texts(turn(server_c, "Ola", sender)) == [try_again()]
    finally:
        own_redis["start"]()
    log = server["rasa"][2].log.read_text(errors="replace")
    assert f"Redis (the lock store) at 127.0.0.1:{own_redis['port']} did not answer (" in log
    replies = turn(server_c, "Ola", sender)
    assert replies[-1]["text"].startswith("Steg 3 av 14: " + step_question(kb, "employees"))
    assert tracker(server["a"], sender)["slots"]["agreement_employer"] == "Ola"


def test_a_server_whose_model_did_not_load_is_alive_but_not_ready(tmp_path):
    """Rasa keeps running when its model fails to load: `GET /` still answers, so the load
    balancer must ask /webhooks/health/ready, which says no."""
    model = tmp_path / "broken.tar.gz"
    model.write_bytes(b"not a model" * 100)
    (tmp_path / "endpoints.yml").write_text("{}\n")
    port = free_port()
    rasa = Process([str(ROOT / ".venv" / "bin" / "rasa"), "run", "--model", str(model),
                    "--endpoints", str(tmp_path / "endpoints.yml"), "--credentials", str(ROOT / "credentials.yml"),
                    "--interface", "127.0.0.1", "--port", str(port), "--enable-api", "--auth-token", API_TOKEN],
                   {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"},
                   tmp_path / "rasa.log").start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert rasa.process.poll() is None, rasa.log.read_text()
            assert time.monotonic() < deadline, f"{url} did not answer"
            try:
                with urllib.request.urlopen(url + "/", timeout=10) as response:
                    assert response.read().startswith(b"Hello from Rasa")
                break
            except OSError:
                time.sleep(1)
        with pytest.raises(urllib.error.HTTPError) as not_ready:
            urllib.request.urlopen(url + "/webhooks/health/ready", timeout=10)
        assert not_ready.value.code == 503
        assert json.loads(not_ready.value.read()) == {"ready": False}
    finally:
        rasa.stop()
    assert f"No valid model found at {model}" in rasa.log.read_text(errors="replace")


# ----- the launcher refuses to start what cannot work --------------------------------------------
def launch(env, mode="rasa"):
    return subprocess.run(["bash", LAUNCHER, mode], env=env, capture_output=True, text=True, timeout=120)


def test_the_launcher_says_what_is_missing_before_starting(server, tmp_path):
    env = profile_env(server["database"], "x", RASA_MODEL=tmp_path / "missing.tar.gz", RASA_API_TOKEN="",
                      DB_PORT=free_port(), REDIS_PORT=free_port())
    started = launch(env)
    assert started.returncode == 1
    errors = started.stderr.splitlines()
    assert errors[0] == f"error: The model {tmp_path / 'missing.tar.gz'} does not exist: train one with `make train` or set RASA_MODEL."
    assert errors[1].startswith("error: The HTTP API needs RASA_API_TOKEN or JWT_SECRET")
    assert errors[2].startswith(f"error: PostgreSQL at 127.0.0.1:{env['DB_PORT']} (database {server['database']}, user postgres) does not answer: ")
    assert errors[3].startswith(f"error: Redis at 127.0.0.1:{env['REDIS_PORT']} (db {REDIS_DB}) does not answer: ")
    assert len(errors) == 4


def test_the_launcher_refuses_a_corrupt_model(server, tmp_path):
    import tarfile

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(MODEL.read_bytes()[:200_000])
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not a model" * 100)
    other = tmp_path / "other.tar.gz"
    (tmp_path / "notes.txt").write_text("hei")
    with tarfile.open(other, "w:gz") as archive:
        archive.add(tmp_path / "notes.txt", arcname="notes.txt")
    for model, says in [
        (truncated, "is not a readable model archive (.tar.gz): "),
        (garbage, "is not a readable model archive (.tar.gz): "),
        (other, "is a .tar.gz but not a Rasa model"),
    ]:
        started = launch(profile_env(server["database"], "x", RASA_MODEL=model))
        assert started.returncode == 1, model
        assert started.stderr.startswith(f"error: The model {model} {says}"), started.stderr


def test_stores_starting_at_once_on_a_new_database_create_the_table_without_an_error(caplog):
    """Workers or servers starting together on a new database: one creates the events table, the
    others find it (Rasa alone lets each try, and logs an error for every one that loses)."""
    from rasa.shared.core.domain import Domain

    from bot.resilient_store import ResilientSQLTrackerStore

    stores, start = [], threading.Barrier(4)

    def open_store(name):
        start.wait()
        stores.append(ResilientSQLTrackerStore(domain=Domain.empty(), host=PG["host"], dialect="postgresql",
                                               port=str(PG["port"]), db=name, username=PG["user"], password=""))

    with new_database("ia_assistent_tables") as name:
        try:
            with caplog.at_level(logging.WARNING):
                threads = [threading.Thread(target=open_store, args=(name,)) for _ in range(4)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(60)
            assert len(stores) == 4
            assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
            with pg(name) as connection, connection.cursor() as cursor:
                cursor.execute("select count(*) from events")
                assert cursor.fetchone() == (0,)
            connection.close()
        finally:
            for store in stores:
                store.engine.dispose()
