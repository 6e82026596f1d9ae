"""Benchmark ia-assistent against the stock `rasa init` bot, measured in the same run.

`make bench` (= `.venv/bin/python bench/run.py --profile-turn`) measures, for the stock bot and
for ia-assistent in each of its two profiles (the embedded default: SQLite tracker store, one
Sanic worker; production: PostgreSQL tracker store, Redis lock store, several Sanic workers for
the Rasa server and for the action server):

1. training time (`rasa train --force` into a temporary --out directory),
2. start-up time (spawn -> first successful reply over the REST webhook, and spawn -> every
   worker has loaded the model; the action server's own start-up, spawn -> GET /health),
3. a concurrency sweep: throughput, p50 and p95 turn latency with 1, 5, 20, 50 and 100
   realistic multi-turn conversations at once (ia-assistent's include its guided dialogues),
4. resident memory of every server process (each Sanic worker, and their sum),
5. NLU parse time alone (POST /model/parse),
6. with --profile-turn: where one turn's time goes (cProfile of an in-process agent).

Everything runs on 127.0.0.1, in a temporary directory (models, SQLite tracker stores, training
caches, logs) and, for the production profile, in a fresh PostgreSQL database and a Redis key
prefix that are removed afterwards; loops are bounded and requests time out; every process started
here is stopped at the end, also on error. Results go to bench/RESULTS.md and the plot to
bench/concurrency.png. See bench/README.md for what each figure means. Nothing here asserts on
timings.
"""
import argparse
import asyncio
import datetime
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
RASA = str(VENV_BIN / "rasa")
VENV_PYTHON = str(VENV_BIN / "python")
MODEL = ROOT / "models" / "ia-assistent.tar.gz"
RESULTS = ROOT / "bench" / "RESULTS.md"
PLOT_NAME = "concurrency.png"

TRAIN_TIMEOUT = 3600  # s, per training run
START_TIMEOUT = 600  # s, per server start
REQUEST_TIMEOUT = 120  # s, per HTTP request
# Between two simulated users' first turns at a level (run_level).
ARRIVAL_S = 0.01
STOP_TIMEOUT = 30  # s, between SIGTERM and SIGKILL
PROFILE_TIMEOUT = 900  # s, for the in-process profile of a turn

LEVELS = (1, 5, 20, 50, 100)  # concurrent conversations in the sweep
TARGET_LEVEL = 20  # the level the project's targets speak of

# Realistic questions. In the sweep they are asked in conversations of three, with follow-ups
# such as "og tillitsvalgte?" that rely on the conversation so far, as a real user's would.
IA_QUESTIONS = [
    "Hva gjør verneombudet i IA-arbeidet?",
    "og tillitsvalgte?",
    "Hva er forskjellen på tillitsvalgt og verneombud?",
    "Hva er IA-avtalen?",
    "Hvilke mål har IA-avtalen for 2025–2028?",
    "Hva er de fire stegene for et bedre IA-samarbeid?",
    "Hvordan skal vi følge opp en sykmeldt arbeidstaker?",
    "Når skal dialogmøte 1 holdes?",
    "Hvilke virkemidler finnes i IA-avtalen?",
    "Finnes det et IA-råd i Rogaland?",
    "kva gjer bedriftshelsetenesta i ia-arbeidet",
    "Takk, det var nyttig!",
]
# The guided dialogues: the first steps of a local IA agreement (left with "avbryt"), and the
# measure recommender with its follow-ups.
IA_AGREEMENT = ["lag en lokal IA-avtale", "Bakeriet", "Ola", "Kari", "nei", "ja", "2 år", "fem prosent",
                "hopp over", "avbryt"]
IA_RECOMMENDER = ["Vi har høyt sykefravær og vet ikke hvor vi skal begynne", "sykehjem",
                  "hvordan søker vi?", "og hvis vi er en barnehage?"]
# ia-assistent's conversations; each simulated user plays them back to back, starting at a
# different one, each under a new sender id.
IA_CONVERSATIONS = [
    IA_AGREEMENT,
    IA_QUESTIONS[0:3],
    IA_RECOMMENDER,
    IA_QUESTIONS[3:6],
    IA_QUESTIONS[6:9],
    IA_QUESTIONS[9:12],
]
# The stock bot's questions, cycled in one conversation per simulated user, each user starting
# at a different one.
BASELINE_QUESTIONS = [
    "hello",
    "I am sad",
    "yes",
    "hi there",
    "I am feeling very good",
    "are you a bot?",
    "good morning",
    "my day was horrible",
    "no",
    "bye",
]


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --------------------------------------------------------------------------- processes


class Processes:
    """Every child process started by the benchmark, each in its own process group."""

    def __init__(self) -> None:
        self.running: List[subprocess.Popen] = []

    def spawn(self, cmd: List[str], cwd: Path, env: Dict[str, str], log: Path) -> subprocess.Popen:
        with log.open("wb") as out:
            process = subprocess.Popen(
                cmd,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: its children are stopped too
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        """SIGTERM to the process group, wait, then SIGKILL whatever of it is left."""
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                say(f"process {process.pid} did not stop within {STOP_TIMEOUT} s: killing it")
        try:
            os.killpg(process.pid, signal.SIGKILL)  # stragglers left in its group, if any
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            say(f"process {process.pid} still running after SIGKILL")
        if process in self.running:
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in reversed(list(self.running)):
            self.stop(process)


def log_tail(log: Path, chars: int = 3000) -> str:
    try:
        return log.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def descendants(pid: int) -> List[int]:
    """pid and all its descendants, from the parent ids in /proc/<pid>/stat."""
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


CLK_TCK = os.sysconf("SC_CLK_TCK")
BUSY_THRESHOLD = 0.15  # other processes' CPU, in cores on average, above which a phase is flagged


def system_cpu_s() -> Tuple[float, float]:
    """(busy, steal) CPU seconds of the whole machine since boot, all cores: busy is what
    processes and the kernel used, steal what the hypervisor gave to other machines while
    this one wanted to run."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq) / CLK_TCK, steal / CLK_TCK


def tree_cpu_s(pids: Sequence[int]) -> float:
    """CPU time (user + system) the live process trees of pids have used, in s."""
    total = 0.0
    for pid in pids:
        for member in descendants(pid):
            try:
                stat = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(stat[11]) + int(stat[12])) / CLK_TCK  # utime, stime
    return total


def our_cpu_s(pids: Sequence[int]) -> float:
    """CPU time of this process, its reaped children and the live process trees of pids."""
    own = os.times()
    return own.user + own.system + own.children_user + own.children_system + tree_cpu_s(pids)


class CpuWatch:
    """How much CPU other processes, and the hypervisor (steal), took while a phase ran."""

    def __init__(self, bot: "Bot", phase: str, pids: Sequence[int] = ()) -> None:
        self.bot, self.phase = bot, phase
        self.wall, self.system, self.ours = time.monotonic(), system_cpu_s(), our_cpu_s(pids)

    def stop(self, pids: Sequence[int] = ()) -> None:
        wall = max(time.monotonic() - self.wall, 1e-9)
        busy, steal = system_cpu_s()
        other = (busy - self.system[0]) - (our_cpu_s(pids) - self.ours)
        others, stolen = max(other, 0.0) / wall, (steal - self.system[1]) / wall
        self.bot.busy[self.phase] = (others, stolen)
        if others > BUSY_THRESHOLD or stolen > BUSY_THRESHOLD:
            say(f"  note: during {self.phase} other processes used {others:.2f} cores and the "
                f"hypervisor took {stolen:.2f} cores (steal) on average")

def process_memory(pid: int) -> List[Tuple[int, float, float]]:
    """(pid, RSS MiB, PSS MiB) of pid and each of its descendants (the Sanic workers).

    PSS (proportional set size, from /proc/<pid>/smaps_rollup) splits pages that forked workers
    share between them, so its sum over the processes is what they hold together."""
    found = []
    for member in descendants(pid):
        rss = pss = 0
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
        except OSError:
            continue
        found.append((member, rss / 1024, pss / 1024))
    return found


# --------------------------------------------------------------------------- the bots


@dataclass
class Bot:
    key: str  # baseline, default, production
    title: str
    project: Path  # the directory Rasa is run from
    questions: List[str]  # every text the bot is asked (warm-up, NLU parses)
    conversations: Optional[List[List[str]]]  # None: cycle `questions` in one conversation per user
    pythonpath: Optional[str]
    tracker_store_type: str
    with_actions: bool
    workers: int = 1  # Sanic workers of the Rasa server (SANIC_WORKERS)
    action_workers: int = 1  # Sanic workers of the action server (ACTION_SERVER_SANIC_WORKERS)
    model: Optional[Path] = None  # what is served
    figures: Dict[str, float] = field(default_factory=dict)
    sweep: Dict[int, Dict[str, float]] = field(default_factory=dict)  # level -> figures
    memory: List[Tuple[int, float, float]] = field(default_factory=list)  # Rasa server after the load
    notes: List[str] = field(default_factory=list)
    busy: Dict[str, Tuple[float, float]] = field(default_factory=dict)  # phase -> (others, steal), cores
    url: str = ""
    actions_port: Optional[int] = None
    rasa: Optional[subprocess.Popen] = None
    actions: Optional[subprocess.Popen] = None
    servers: List[subprocess.Popen] = field(default_factory=list)
    logs: List[Path] = field(default_factory=list)
    measured_from: Dict[Path, int] = field(default_factory=dict)  # log -> its size when start-up ended

    def pids(self) -> List[int]:
        return [process.pid for process in self.servers]


def user_turns(bot: Bot, user: int, count: int) -> List[Tuple[int, str]]:
    """(conversation number, text) of one simulated user's `count` turns.

    The stock bot: its questions cycled, starting at the user's number, a new conversation after
    each pass over them (left to grow, its conversations slowed it down and, past a few dozen
    turns, it answered some turns with nothing).
    ia-assistent: its conversations back to back, starting at the user's number, each a new
    conversation (so a new sender id); a user with fewer turns left than a conversation has
    plays its beginning."""
    if bot.conversations is None:
        size = len(bot.questions)
        return [(turn // size, bot.questions[(user + turn) % size]) for turn in range(count)]
    turns: List[Tuple[int, str]] = []
    number = 0
    while len(turns) < count:  # each conversation has at least one turn
        script = bot.conversations[(user + number) % len(bot.conversations)]
        turns += [(number, text) for text in script]
        number += 1
    return turns[:count]


def child_env(bot: Bot, tmp: Path) -> Dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONPATH", "SANIC_WORKERS", "ACTION_SERVER_SANIC_WORKERS"):
        env.pop(name, None)
    if bot.pythonpath:
        env["PYTHONPATH"] = bot.pythonpath
    env.update(
        {
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            # Training caches go to the temporary directory, not to the project's .rasa/.
            "RASA_CACHE_DIRECTORY": str(tmp / f"cache-{bot.key}"),
            # The action server (rasa_sdk) binds to SANIC_HOST; keep it on loopback.
            "SANIC_HOST": "127.0.0.1",
        }
    )
    return env


def run_to_end(procs: Processes, cmd: List[str], cwd: Path, env: Dict[str, str], log: Path, what: str,
               timeout: float = TRAIN_TIMEOUT) -> float:
    """Runs a command to its end; returns the wall time in seconds."""
    say(f"{what}: {' '.join(cmd[1:])} (log: {log.name})")
    start = time.monotonic()
    process = procs.spawn(cmd, cwd, env, log)
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        procs.stop(process)
        raise RuntimeError(f"{what} took longer than {timeout} s:\n{log_tail(log)}")
    elapsed = time.monotonic() - start
    procs.running.remove(process)
    if code != 0:
        raise RuntimeError(f"{what} failed (exit {code}):\n{log_tail(log)}")
    say(f"{what}: done in {elapsed:.1f} s")
    return elapsed


def create_baseline(procs: Processes, tmp: Path) -> Path:
    """The stock bot of `rasa init --no-prompt` (which also trains it once)."""
    project = tmp / "baseline"
    project.mkdir()
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.update(
        {
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "RASA_CACHE_DIRECTORY": str(tmp / "cache-init"),
        }
    )
    run_to_end(procs, [RASA, "init", "--no-prompt", "--init-dir", str(project)], project, env,
               tmp / "rasa-init.log", "baseline: rasa init --no-prompt")
    return project


def train(procs: Processes, bot: Bot, tmp: Path) -> None:
    out = tmp / f"model-{bot.key}"
    out.mkdir()
    cmd = [RASA, "train", "--force", "--out", str(out), "--fixed-model-name", bot.key]
    watch = CpuWatch(bot, "training")
    seconds = run_to_end(procs, cmd, bot.project, child_env(bot, tmp), tmp / f"train-{bot.key}.log",
                         f"{bot.title}: training")
    watch.stop()
    bot.figures["train_s"] = seconds
    models = sorted(out.glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"{bot.title}: training wrote no model to {out}")
    bot.model = models[0]


# --------------------------------------------------------------------------- the production profile

POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = {"host": "127.0.0.1", "port": 6379}


class Production:
    """What the production profile needs besides its servers: a fresh PostgreSQL database
    (created here, dropped at the end) and a Redis database number with a key prefix of its
    own for the lock store (its keys deleted at the end)."""

    def __init__(self, redis_db: int) -> None:
        suffix = uuid.uuid4().hex[:12]
        self.database = f"ia_bench_{suffix}"
        self.key_prefix = f"iabench{suffix}"  # the lock store wants it alphanumeric
        self.wanted_redis_db = redis_db
        self.redis_db: Optional[int] = None
        self.created = False

    def _postgres(self):
        import psycopg2

        connection = psycopg2.connect(dbname="postgres", connect_timeout=10, **POSTGRES)
        connection.autocommit = True
        return connection

    def _redis(self, db: int):
        import redis

        return redis.Redis(db=db, socket_timeout=10, socket_connect_timeout=10, **REDIS)

    def open(self) -> None:
        try:
            connection = self._postgres()
        except Exception as error:  # psycopg2.OperationalError and the like
            raise RuntimeError(f"PostgreSQL on {POSTGRES['host']}:{POSTGRES['port']} (user postgres) "
                               f"is needed for the production profile (or leave it out: --profiles default): "
                               f"{error}".strip())
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.database}"')
            self.created = True
        finally:
            connection.close()
        say(f"production profile: created the PostgreSQL database {self.database}")
        # The first empty Redis database from the wanted number on (16 are configured by default).
        try:
            for offset in range(16):
                db = (self.wanted_redis_db + offset) % 16
                if self._redis(db).dbsize() == 0:
                    self.redis_db = db
                    break
        except Exception as error:  # redis.ConnectionError and the like
            raise RuntimeError(f"Redis on {REDIS['host']}:{REDIS['port']} is needed for the production "
                               f"profile (or leave it out: --profiles default): {error}")
        if self.redis_db is None:
            self.redis_db = self.wanted_redis_db
            say(f"production profile: no empty Redis database, using {self.redis_db} with its own key prefix")
        say(f"production profile: Redis database {self.redis_db}, lock keys prefixed {self.key_prefix}")

    def close(self) -> None:
        if self.redis_db is not None:
            try:
                client = self._redis(self.redis_db)
                for key in client.scan_iter(match=f"{self.key_prefix}*", count=1000):
                    client.delete(key)
            except Exception as error:
                say(f"production profile: could not delete the lock keys: {error}")
        if self.created:
            try:
                connection = self._postgres()
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                finally:
                    connection.close()
                self.created = False
                say(f"production profile: dropped the PostgreSQL database {self.database}")
            except Exception as error:
                say(f"production profile: could not drop the database {self.database}: {error}")


def default_endpoints(path: Path, tracker_store_type: str, database: Path, actions_port: Optional[int]) -> Path:
    """The embedded default: a SQLite tracker store in a file of its own (no lock store: Rasa's
    in-memory one, which allows one Sanic worker only)."""
    endpoints: Dict[str, object] = {
        "tracker_store": {"type": tracker_store_type, "dialect": "sqlite", "db": str(database)},
    }
    if actions_port is not None:
        endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{actions_port}/webhook"}
    path.write_text(yaml.safe_dump(endpoints))
    return path


def production_endpoints(path: Path, actions_port: int, database: str, redis_db: int, key_prefix: str) -> Path:
    """The production profile: ia-assistent's tracker store on PostgreSQL and a Redis lock store
    (which lets Rasa run several Sanic workers: rasa.core.utils.number_of_sanic_workers).

    A tracker store given by its module path gets the endpoint's `url` as its `host` argument
    (rasa.core.tracker_store._load_from_module_name_in_endpoint_config): a `host` key as well
    would be passed twice, so the PostgreSQL host goes under `url`."""
    endpoints = {
        "action_endpoint": {"url": f"http://127.0.0.1:{actions_port}/webhook"},
        "tracker_store": {
            "type": "bot.tracker_store.RedactingSQLTrackerStore",
            "dialect": "postgresql",
            "url": POSTGRES["host"],
            "port": POSTGRES["port"],
            "db": database,
            "username": POSTGRES["user"],
        },
        "lock_store": {
            "type": "redis",
            "url": REDIS["host"],
            "port": REDIS["port"],
            "db": redis_db,
            "key_prefix": key_prefix,
        },
    }
    path.write_text(yaml.safe_dump(endpoints))
    return path


# --------------------------------------------------------------------------- HTTP


async def ask(session: aiohttp.ClientSession, url: str, sender: str, text: str):
    """One turn over the REST webhook: (seconds, answered, reply).

    answered: HTTP 200 with a JSON list (possibly empty: a bot may choose to say nothing)."""
    start = time.perf_counter()
    try:
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as r:
            reply = await r.json(content_type=None) if r.status == 200 else None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return time.perf_counter() - start, False, None
    seconds = time.perf_counter() - start
    return seconds, isinstance(reply, list), reply


async def wait_until(probe, processes: List[subprocess.Popen], logs: List[Path], what: str) -> float:
    """Polls probe() until it returns True; returns the monotonic time it first did."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs):
            if process.poll() is not None:
                raise RuntimeError(f"{what}: a server exited while starting:\n{log_tail(log)}")
        if await probe():
            return time.monotonic()
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{what}: no answer within {START_TIMEOUT} s:\n{log_tail(logs[-1])}")


@dataclass
class Load:
    latencies: List[float]
    failures: int
    empty: int
    wall_s: float

    @property
    def turns(self) -> int:
        return len(self.latencies) + self.failures


async def run_level(session, bot: Bot, users: int, turns_per_user: int, prefix: str) -> Load:
    """`users` simulated users at once, each playing `turns_per_user` turns (user_turns); each
    waits for the answer before its next turn."""
    latencies: List[float] = []

    async def user(number: int) -> Tuple[int, int]:
        # Users arrive one after the other, ARRIVAL_S apart, as people do, not all in the same
        # instant: a burst of new connections was often all accepted by one of several Sanic
        # workers, which then served every user while the others idled.
        await asyncio.sleep(number * ARRIVAL_S)
        failures = empty = 0
        for conversation, text in user_turns(bot, number, turns_per_user):
            seconds, answered, reply = await ask(session, bot.url, f"{prefix}-u{number}-{conversation}", text)
            if answered:
                latencies.append(seconds)
                empty += not reply
            else:
                failures += 1
        return failures, empty

    start = time.perf_counter()
    counts = await asyncio.gather(*(user(number) for number in range(users)))
    return Load(latencies, sum(c[0] for c in counts), sum(c[1] for c in counts), time.perf_counter() - start)


async def measure_parse(session, url: str, questions: List[str], count: int):
    latencies, failures = [], 0
    for i in range(count):
        start = time.perf_counter()
        try:
            async with session.post(f"{url}/model/parse", json={"text": questions[i % len(questions)]}) as r:
                await r.read()
                ok = r.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        if ok:
            latencies.append(time.perf_counter() - start)
        else:
            failures += 1
    return latencies, failures


# --------------------------------------------------------------------------- serving

UP_AND_RUNNING = "Rasa server is up and running."  # rasa/core/run.py logs it once per worker
LOG_PROBLEM = re.compile(r"\bERROR\b|Traceback \(most recent call last\)")


def log_count(log: Path, text: str) -> int:
    try:
        return log.read_text(errors="replace").count(text)
    except OSError:
        return 0


async def start_servers(procs: Processes, bot: Bot, tmp: Path, session: aiohttp.ClientSession,
                        live: List[int], production: Optional[Production]) -> None:
    """Starts the bot's action server (if any) and Rasa server; times both start-ups.

    live: the pids of every server running so far (this bot's are appended), so their CPU is
    counted as the benchmark's own and not as another process's.
    """
    env = child_env(bot, tmp)
    f = bot.figures
    if bot.with_actions:
        bot.actions_port = free_port()
        log = tmp / f"actions-{bot.key}.log"
        actions_env = dict(env)
        if bot.action_workers > 1:
            actions_env["ACTION_SERVER_SANIC_WORKERS"] = str(bot.action_workers)
        say(f"{bot.title}: starting the action server on 127.0.0.1:{bot.actions_port} "
            f"({bot.action_workers} worker{'s' if bot.action_workers > 1 else ''})")
        watch = CpuWatch(bot, "the action server's start-up", live)
        spawned = time.monotonic()
        bot.actions = procs.spawn(
            [RASA, "run", "actions", "--actions", "actions", "--port", str(bot.actions_port)],
            bot.project, actions_env, log,
        )
        live.append(bot.actions.pid)
        bot.servers.append(bot.actions)
        bot.logs.append(log)

        async def healthy() -> bool:
            try:
                async with session.get(f"http://127.0.0.1:{bot.actions_port}/health",
                                       timeout=aiohttp.ClientTimeout(total=5)) as r:
                    return r.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                return False

        f["actions_startup_s"] = await wait_until(healthy, bot.servers, bot.logs, "action server") - spawned
        watch.stop(live)
        say(f"{bot.title}: action server answered /health after {f['actions_startup_s']:.1f} s")

    port = free_port()
    bot.url = f"http://127.0.0.1:{port}"
    if bot.key == "production":
        assert production is not None and production.redis_db is not None
        endpoints = production_endpoints(tmp / f"endpoints-{bot.key}.yml", bot.actions_port, production.database,
                                         production.redis_db, production.key_prefix)
    else:
        endpoints = default_endpoints(tmp / f"endpoints-{bot.key}.yml", bot.tracker_store_type,
                                      tmp / f"trackers-{bot.key}.db", bot.actions_port)
    rasa_env = dict(env)
    if bot.workers > 1:
        rasa_env["SANIC_WORKERS"] = str(bot.workers)
    log = tmp / f"rasa-{bot.key}.log"
    cmd = [
        RASA, "run", "--model", str(bot.model), "--endpoints", str(endpoints),
        "--credentials", str(bot.project / "credentials.yml"),
        "--interface", "127.0.0.1", "--port", str(port), "--enable-api",
    ]
    say(f"{bot.title}: starting the Rasa server on {bot.url} (model {bot.model.name}, "
        f"{bot.workers} worker{'s' if bot.workers > 1 else ''})")
    watch = CpuWatch(bot, "the Rasa server's start-up", live)
    spawned = time.monotonic()
    bot.rasa = procs.spawn(cmd, bot.project, rasa_env, log)
    live.append(bot.rasa.pid)
    bot.servers.append(bot.rasa)
    bot.logs.append(log)

    async def replies() -> bool:
        _, answered, reply = await ask(session, bot.url, "bench-startup", bot.questions[0])
        return answered and bool(reply)

    f["startup_s"] = await wait_until(replies, bot.servers, bot.logs, "Rasa server") - spawned
    say(f"{bot.title}: first reply after {f['startup_s']:.1f} s")

    async def all_workers_up() -> bool:
        return log_count(log, UP_AND_RUNNING) >= bot.workers

    f["startup_all_s"] = await wait_until(all_workers_up, bot.servers, bot.logs, "Rasa server's workers") - spawned
    watch.stop(live)
    if bot.workers > 1:
        say(f"{bot.title}: all {bot.workers} workers had loaded the model after {f['startup_all_s']:.1f} s")
    f["rss_start_mib"] = sum(rss for _, rss, _ in process_memory(bot.rasa.pid))

    # Warm-up (not measured): every conversation once per worker; show what the bot answers.
    scripts = bot.conversations if bot.conversations is not None else [bot.questions]
    for round_ in range(bot.workers):
        for number, script in enumerate(scripts):
            for text in script:
                _, answered, reply = await ask(session, bot.url, f"bench-warmup-{round_}-{number}", text)
                if round_ == 0:
                    shown = (reply[-1].get("text") or "(no text)") if answered and reply else "(no reply)"
                    say(f"  warm-up  {text!r} -> {shown[:70].replace(chr(10), ' ')!r}")


def turns_per_user(level: int, args) -> int:
    return max(math.ceil(args.min_turns / level), args.turns_per_user)


async def serve_and_measure(procs: Processes, bots: List[Bot], tmp: Path, args,
                            production: Optional[Production]) -> Optional[Dict]:
    """Starts the bots' servers one after the other, then runs each measurement for every bot
    back to back (baseline, then ia-assistent's profiles), so slow drifts of the machine's speed
    hit all bots' figures alike. A server that is not being measured sits idle.

    Returns the summary of --profile-turn (or None)."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    live: List[int] = []
    profile = None
    connector = aiohttp.TCPConnector(limit=0)  # no cap: 100 users need 100 connections at once
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        try:
            for bot in bots:
                await start_servers(procs, bot, tmp, session, live, production)
                bot.measured_from = {log: log.stat().st_size for log in bot.logs if log.exists()}

            for level in args.levels:
                per_user = turns_per_user(level, args)
                for bot in bots:
                    say(f"{bot.title}: {level} conversation{'s' if level > 1 else ''} at once, "
                        f"{per_user} turns each")
                    watch = CpuWatch(bot, f"the load with {level} at once", live)
                    cpu = tree_cpu_s(bot.pids())
                    load = await run_level(session, bot, level, per_user, f"bench-c{level}")
                    cpu_ms = (tree_cpu_s(bot.pids()) - cpu) / max(load.turns, 1) * 1000
                    watch.stop(live)
                    s = bot.sweep[level] = {
                        "turns": load.turns,
                        "failed": load.failures,
                        "empty": load.empty,
                        "wall_s": load.wall_s,
                        "tput": len(load.latencies) / load.wall_s,
                        "p50_ms": percentile(load.latencies, 50) * 1000,
                        "p95_ms": percentile(load.latencies, 95) * 1000,
                        "cpu_ms": cpu_ms,
                    }
                    say(f"  {s['tput']:.1f} turns/s, p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, "
                        f"server CPU per turn {cpu_ms:.0f} ms, failed {load.failures}, empty replies "
                        f"{load.empty}, wall {load.wall_s:.1f} s")

            for bot in bots:
                f = bot.figures
                bot.memory = process_memory(bot.rasa.pid)
                f["rss_load_mib"] = sum(rss for _, rss, _ in bot.memory)
                f["rss_max_mib"] = max((rss for _, rss, _ in bot.memory), default=0.0)
                f["pss_load_mib"] = sum(pss for _, _, pss in bot.memory)
                if bot.actions is not None:
                    f["rss_actions_mib"] = sum(rss for _, rss, _ in process_memory(bot.actions.pid))
                say(f"{bot.title}: RSS after the load: Rasa server "
                    + " + ".join(f"{rss:.0f}" for _, rss, _ in bot.memory)
                    + f" = {f['rss_load_mib']:.0f} MiB (PSS {f['pss_load_mib']:.0f} MiB)"
                    + (f", action server {f['rss_actions_mib']:.0f} MiB" if bot.actions is not None else ""))

            for bot in bots:
                f = bot.figures
                say(f"{bot.title}: {args.parses} NLU parses (POST /model/parse)")
                watch = CpuWatch(bot, "the NLU parses", live)
                parses, parse_failures = await measure_parse(session, bot.url, bot.questions, args.parses)
                watch.stop(live)
                f["parse_p50_ms"] = percentile(parses, 50) * 1000
                f["parse_p95_ms"] = percentile(parses, 95) * 1000
                f["parse_failed"] = parse_failures
                say(f"  parse p50 {f['parse_p50_ms']:.1f} ms, p95 {f['parse_p95_ms']:.1f} ms")

            if args.profile_turn:
                ia = next(bot for bot in bots if bot.with_actions)
                profile = profile_turn(procs, ia, tmp, args)
        finally:
            for bot in reversed(bots):
                for process in reversed(bot.servers):
                    procs.stop(process)
            say("servers stopped")
    return profile


def profile_turn(procs: Processes, bot: Bot, tmp: Path, args) -> Dict:
    """Runs bench/profile_turn.py: bot's model in an agent of its own (in a child process), with
    a fresh SQLite tracker store and bot's running action server; args.profile_turns turns of
    the sweep's conversations. Returns its summary, with the action server's CPU per turn."""
    turns = [(f"profile-{number}", text) for number, text in user_turns(bot, 0, args.profile_turns)]
    turns_file, out = tmp / "profile-turns.json", tmp / "profile-summary.json"
    turns_file.write_text(json.dumps(turns, ensure_ascii=False), encoding="utf-8")
    endpoints = default_endpoints(tmp / "endpoints-profile.yml", "bot.tracker_store.RedactingSQLTrackerStore",
                                  tmp / "trackers-profile.db", bot.actions_port)
    actions_cpu = tree_cpu_s([bot.actions.pid])
    run_to_end(procs, [VENV_PYTHON, str(ROOT / "bench" / "profile_turn.py"), "--model", str(bot.model),
                       "--endpoints", str(endpoints), "--turns", str(turns_file), "--out", str(out)],
               ROOT, child_env(bot, tmp), tmp / "profile-turn.log", f"{bot.title}: profiling {len(turns)} turns",
               timeout=PROFILE_TIMEOUT)
    summary = json.loads(out.read_text(encoding="utf-8"))
    # Two passes (warm-up and profiled) reached the action server.
    summary["actions_cpu_ms"] = (tree_cpu_s([bot.actions.pid]) - actions_cpu) / (2 * len(turns)) * 1000
    summary["bot"] = bot.title
    return summary


# --------------------------------------------------------------------------- report


def machine() -> Dict[str, str]:
    info = {"nproc": str(len(os.sched_getaffinity(0)))}
    meminfo = Path("/proc/meminfo").read_text()
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    info["cpu"] = cpu
    versions = subprocess.run(
        [VENV_PYTHON, "-c",
         "import sys, importlib.metadata as m; "
         "print(sys.version.split()[0], m.version('rasa'), m.version('rasa-sdk'))"],
        capture_output=True, text=True, timeout=60,
    ).stdout.split()
    info["python"], info["rasa"], info["rasa_sdk"] = (versions + ["?"] * 3)[:3]
    return info


ROWS = [
    # key, label, unit, decimals
    ("train_s", "Training time, `rasa train --force`", "s", 1),
    ("model_mib", "Model file size", "MiB", 1),
    ("startup_s", "Start-up: spawn Rasa server → first reply over REST", "s", 1),
    ("startup_all_s", "Start-up: spawn Rasa server → every worker has loaded the model", "s", 1),
    ("actions_startup_s", "Start-up: spawn action server → GET /health", "s", 1),
    ("p50_c1_ms", "Turn latency p50, one conversation at a time", "ms", 0),
    ("p95_c1_ms", "Turn latency p95, one conversation at a time", "ms", 0),
    ("tput_c1", "Throughput, one conversation at a time", "turns/s", 1),
    ("cpu_c1_ms", "Server CPU time per turn, one conversation at a time", "ms", 0),
    ("tput_cN", "Throughput, {n} conversations at once", "turns/s", 1),
    ("p50_cN_ms", "Turn latency p50, {n} conversations at once", "ms", 0),
    ("p95_cN_ms", "Turn latency p95, {n} conversations at once", "ms", 0),
    ("cpu_cN_ms", "Server CPU time per turn, {n} conversations at once", "ms", 0),
    ("rss_start_mib", "RSS Rasa server after start-up, all its processes", "MiB", 0),
    ("rss_load_mib", "RSS Rasa server after the sweep, all its processes", "MiB", 0),
    ("rss_max_mib", "RSS of the largest Rasa server process after the sweep", "MiB", 0),
    ("pss_load_mib", "PSS Rasa server after the sweep, all its processes", "MiB", 0),
    ("rss_actions_mib", "RSS action server after the sweep, all its processes", "MiB", 0),
    ("parse_p50_ms", "NLU parse p50, POST /model/parse × {parses}", "ms", 1),
    ("parse_p95_ms", "NLU parse p95, POST /model/parse × {parses}", "ms", 1),
    ("empty", "Turns the bot answered with no message (of all turns of the sweep)", "", 0),
    ("failed", "Failed requests: error or timeout (of all requests)", "", 0),
]


def cell(value: Optional[float], decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{decimals}f}"


def ratio(a: Optional[float], b: Optional[float]) -> str:
    if a is None or b is None or b == 0 or math.isnan(a) or math.isnan(b):
        return "–"
    return f"{a / b:.2f}"


def trained_epochs() -> str:
    """"IntentEnsemble for 30": the epochs config.yml trains ia-assistent's components for."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    parts = [
        f"{part['name'].rsplit('.', 1)[-1].replace('Classifier', '').replace('Policy', '')} for {part['epochs']}"
        for part in config["pipeline"] + config["policies"]
        if "epochs" in part
    ]
    return " and ".join(parts) or "no component for a fixed number of epochs"


def derive_figures(bot: Bot, args) -> None:
    """The main table's figures from the sweep, the model and the error counts."""
    f = bot.figures
    for level, suffix in ((1, "c1"), (args.target_level, "cN")):
        s = bot.sweep.get(level)
        if s is None:
            continue
        f[f"tput_{suffix}"], f[f"cpu_{suffix}_ms"] = s["tput"], s["cpu_ms"]
        f[f"p50_{suffix}_ms"], f[f"p95_{suffix}_ms"] = s["p50_ms"], s["p95_ms"]
    f["empty"] = sum(s["empty"] for s in bot.sweep.values())
    f["turns_only"] = sum(s["turns"] for s in bot.sweep.values())
    f["failed"] = sum(s["failed"] for s in bot.sweep.values()) + f.get("parse_failed", 0)
    f["turns"] = f["turns_only"] + args.parses
    if bot.model is not None:
        f["model_mib"] = bot.model.stat().st_size / 1024 / 1024


MB_PER_MIB = 1.048576


def targets(ia_bots: List[Bot], base: Bot, args) -> List[str]:
    """The project's targets, each checked for every ia-assistent profile measured."""
    b, n = base.figures, args.target_level

    def check(bot: Bot, what: str) -> str:
        f = bot.figures
        try:
            if what == "tput":
                value = f["tput_cN"] / b["tput_cN"]
                return f"{'met' if value >= 4 else 'not met'}: {value:.2f}×"
            if what == "p95":
                value = f["p95_cN_ms"] / b["p95_cN_ms"]
                return f"{'met' if value <= 0.25 else 'not met'}: {value:.2f}×"
            if what == "startup":
                value = f["startup_s"]
                return f"{'met' if value < 15 else 'not met'}: {value:.1f} s"
            if what == "memory":
                value = f["rss_max_mib"] * MB_PER_MIB
                return f"{'met' if value < 800 else 'not met'}: {value:.0f} MB"
            if what == "p50":
                value = f["p50_c1_ms"] / b["p50_c1_ms"]
                return f"{'met' if value < 0.5 else 'not met'}: {value:.2f}×"
        except (KeyError, ZeroDivisionError):
            pass
        return "not measured"

    rows = [
        ("tput", f"Throughput with {n} conversations at once ≥ 4× the stock bot's"),
        ("p95", f"p95 latency with {n} conversations at once ≤ ¼ of the stock bot's"),
        ("startup", "Start-up, spawn → first answer, < 15 s"),
        ("memory", "Resident memory < 800 MB per Rasa server process (the largest one)"),
        ("p50", "One conversation at a time: p50 < ½ of the stock bot's"),
    ]
    lines = [
        "## Targets",
        "",
        "| target | " + " | ".join(bot.title for bot in ia_bots) + " |",
        "| --- | " + " | ".join("---" for _ in ia_bots) + " |",
    ]
    for what, label in rows:
        lines.append(f"| {label} | " + " | ".join(check(bot, what) for bot in ia_bots) + " |")
    return lines + [""]


def sweep_table(bots: List[Bot], base: Bot, args) -> List[str]:
    lines = [
        "## Concurrency sweep",
        "",
        f"![p50 and p95 latency and throughput against concurrency]({PLOT_NAME})",
        "",
        "Each level runs that many simulated users at once; each user waits for an answer before its "
        "next turn. Turns per user at each level: "
        + ", ".join(f"{level} → {turns_per_user(level, args)}" for level in args.levels)
        + ". Ratios are to the stock bot at the same level.",
        "",
        "| conversations at once | bot | turns | failed | throughput (turns/s) | ratio | p50 (ms) | ratio "
        "| p95 (ms) | ratio | server CPU per turn (ms) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for level in args.levels:
        b = base.sweep.get(level, {})
        for bot in bots:
            s = bot.sweep.get(level)
            if s is None:
                continue
            is_base = bot is base
            lines.append(
                f"| {level} | {bot.title} | {s['turns']} | {s['failed']} | {cell(s['tput'], 1)} | "
                f"{'' if is_base else ratio(s['tput'], b.get('tput'))} | {cell(s['p50_ms'], 0)} | "
                f"{'' if is_base else ratio(s['p50_ms'], b.get('p50_ms'))} | {cell(s['p95_ms'], 0)} | "
                f"{'' if is_base else ratio(s['p95_ms'], b.get('p95_ms'))} | {cell(s['cpu_ms'], 0)} |"
            )
    return lines + [""]


def memory_lines(bots: List[Bot]) -> List[str]:
    lines = ["Resident memory of each Rasa server process after the sweep (RSS / PSS, MiB):", ""]
    for bot in bots:
        parts = [f"{rss:.0f} / {pss:.0f}" for _, rss, pss in bot.memory]
        if bot.workers > 1 and len(bot.memory) > 1:
            text = (f"the main process {parts[0]}, its {len(parts) - 1} workers " + ", ".join(parts[1:]))
        else:
            text = ", ".join(parts) or "–"
        lines.append(f"- {bot.title}: {text}")
    return lines + [""]


def profile_lines(profile: Dict) -> List[str]:
    turns = profile["turns"]
    per_turn = profile["wall_s"] / turns * 1000
    lines = [
        "## Where a turn's time goes",
        "",
        f"The model of {profile['bot']} in one agent of its own (`Agent.handle_text`, as the REST channel calls it), "
        f"with a fresh SQLite tracker store and the action server of the run as a separate process: "
        f"{turns} turns of the sweep's conversations (guided dialogues and questions), after one unprofiled "
        f"pass, under cProfile. A turn took {per_turn:.0f} ms on average (wall time, inflated by the "
        f"profiler, which slows Python-heavy code most), {profile['cpu_s'] / turns * 1000:.0f} ms of it in "
        f"this process's code; the action server used {profile['actions_cpu_ms']:.0f} ms of CPU per turn "
        "(its own process, from /proc). cProfile counts a coroutine only while it runs: time spent waiting "
        "for the network is the line \"event loop waiting\". The lines of a group nest in its first line, "
        "and groups overlap (the action call includes serialising the tracker and validating the reply), "
        "so the lines do not add up.",
        "",
        "| area | ms per turn | share of a turn |",
        "| --- | ---: | ---: |",
    ]
    for area in profile["areas"]:
        ms = area["seconds"] / turns * 1000
        if area["group"] != "turn" and ms < 0.05:
            continue
        lines.append(f"| {area['label']} | {ms:.1f} | {area['seconds'] / profile['wall_s'] * 100:.0f} % |")
    return lines + [""]


def reading(ia_bots: List[Bot], base: Bot, args) -> str:
    """Sentences computed from the figures (no claims the figures do not show)."""
    b, n = base.figures, args.target_level
    sentences = []
    for bot in ia_bots:
        f = bot.figures
        if "tput_c1" in f and "tput_c1" in b:
            sentence = (
                f"One conversation at a time, {bot.title} answers {f['tput_c1']:.1f} turns/s against "
                f"{b['tput_c1']:.1f} for the stock bot ({f['tput_c1'] / b['tput_c1']:.2f}×), its median turn "
                f"taking {f['p50_c1_ms']:.0f} against {b['p50_c1_ms']:.0f} ms "
                f"({f['p50_c1_ms'] / b['p50_c1_ms']:.2f}×) and its servers using {f['cpu_c1_ms']:.0f} ms of CPU "
                f"per turn against {b['cpu_c1_ms']:.0f} ms"
            )
            if "tput_cN" in f and "tput_cN" in b:
                sentence += (
                    f"; with {n} at once it answers {f['tput_cN']:.1f} against {b['tput_cN']:.1f} turns/s "
                    f"({f['tput_cN'] / b['tput_cN']:.2f}×) with a p95 of {f['p95_cN_ms'] / 1000:.2f} against "
                    f"{b['p95_cN_ms'] / 1000:.2f} s ({f['p95_cN_ms'] / b['p95_cN_ms']:.2f}×)"
                )
            sentences.append(sentence + ".")
    top = max(args.levels)
    if top > 1 and all(1 in bot.sweep and top in bot.sweep for bot in [base] + ia_bots):
        gains = ", ".join(
            f"{bot.title} {bot.sweep[1]['tput']:.1f} → {bot.sweep[top]['tput']:.1f}"
            for bot in [base] + ia_bots
        )
        sentence = f"From one conversation to {top} at once, throughput (turns/s) goes {gains}"
        flat = [bot.title for bot in [base] + ia_bots if bot.sweep[top]["tput"] < 1.3 * bot.sweep[1]["tput"]]
        if flat:
            sentence += (f"; {', '.join(flat)} serve{'s' if len(flat) == 1 else ''} hardly more turns per "
                         f"second with more conversations at once, so the extra turns wait and latency grows")
        sentences.append(sentence + ".")
    if "parse_p50_ms" in b:
        sentences.append(
            "NLU parsing alone (POST /model/parse) takes "
            + ", ".join(f"{bot.figures['parse_p50_ms']:.0f} ms for {bot.title}" for bot in ia_bots)
            + f" and {b['parse_p50_ms']:.0f} ms for the stock bot at the median."
        )
    for bot in ia_bots:
        f = bot.figures
        memory = f["rss_load_mib"] + f.get("rss_actions_mib", 0)
        sentence = f"{bot.title} answers {f['startup_s']:.0f} s after it was started against {b['startup_s']:.0f} s"
        if bot.workers > 1:
            sentence += f" (all {bot.workers} workers ready after {f['startup_all_s']:.0f} s)"
        sentence += (
            f"; its servers hold {memory:.0f} MiB resident against {b['rss_load_mib']:.0f} MiB "
            f"({memory / b['rss_load_mib']:.2f}×)"
        )
        if bot.workers > 1:
            sentence += (f", its largest Rasa process {f['rss_max_mib']:.0f} MiB (RSS counts pages the "
                         f"forked workers share once per worker; PSS, which splits them, sums to "
                         f"{f['pss_load_mib']:.0f} MiB)")
        sentences.append(sentence + ".")
    if "train_s" in b and any("train_s" in bot.figures for bot in ia_bots):
        train_s = next(bot.figures["train_s"] for bot in ia_bots if "train_s" in bot.figures)
        sentences.append(
            f"ia-assistent trains in {train_s:.0f} s against {b['train_s']:.0f} s (the stock default config "
            f"trains DIET, TED and UnexpecTEDIntentPolicy for 100 epochs each, on a few dozen examples; "
            f"ia-assistent's trains {trained_epochs()}, on far more)."
        )
    return " ".join(sentences)


def write_results(path: Path, bots: List[Bot], info: Dict[str, str], args, started: datetime.datetime,
                  total_s: float, profile: Optional[Dict]) -> None:
    base = next(bot for bot in bots if bot.key == "baseline")
    ia_bots = [bot for bot in bots if bot is not base]
    for bot in bots:
        derive_figures(bot, args)
    profiles = {
        "default": "the embedded default (SQLite tracker store, one Sanic worker, one action server worker)",
        "production": (f"production (PostgreSQL tracker store, Redis lock store, {args.workers} Sanic workers "
                       f"(`SANIC_WORKERS`), {args.workers} action server workers "
                       f"(`ACTION_SERVER_SANIC_WORKERS`))"),
    }
    lines = [
        "# Benchmark: ia-assistent against the stock `rasa init` bot",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M')} (local time), whole run {total_s / 60:.1f} min",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory; "
        f"Python {info['python']}, Rasa {info['rasa']}, rasa-sdk {info['rasa_sdk']}",
        "- Reproduce: `make bench` (= `.venv/bin/python bench/run.py --profile-turn`); what is measured and "
        "how: [README.md](README.md)",
        "- ia-assistent's profiles: " + "; ".join(profiles[bot.key] for bot in ia_bots) + ". The stock bot "
        "runs as `rasa init` makes it, with a temporary SQLite tracker store and one worker.",
        "- All bots were measured in the same run on 127.0.0.1; all servers ran at once and each "
        "measurement was taken for one bot after the other (stock bot first), never for two at the same time.",
    ]
    if args.quick:
        lines.append("- **A quick smoke run (`--quick`)**: few turns and concurrency levels; the figures "
                     "show that the benchmark works, not how fast the bots are.")
    if not any("train_s" in bot.figures for bot in bots):
        lines.append(f"- Training was skipped in this run (`--no-train`): the served models are "
                     f"{ia_bots[0].model.name if ia_bots else '–'} and the one `rasa init` trained.")
    header = "| metric | " + " | ".join(bot.title for bot in ia_bots) + f" | {base.title} | " + " | ".join(
        f"ratio {bot.title} / {base.title}" for bot in ia_bots) + " |"
    lines += [
        "",
        header,
        "| --- | " + " | ".join("---:" for _ in range(2 * len(ia_bots) + 1)) + " |",
    ]
    for key, label, unit, decimals in ROWS:
        values = [bot.figures.get(key) for bot in ia_bots]
        b = base.figures.get(key)
        if all(v is None for v in values) and b is None:
            continue
        label = label.format(n=args.target_level, parses=args.parses)
        if unit:
            label += f" ({unit})"
        if key in ("failed", "empty"):
            total = "turns" if key == "failed" else "turns_only"
            texts = [f"{cell(bot.figures.get(key), 0)} of {int(bot.figures[total])}" for bot in ia_bots + [base]]
            lines.append(f"| {label} | " + " | ".join(texts) + " | " + " | ".join("–" for _ in ia_bots) + " |")
            continue
        lines.append(
            f"| {label} | " + " | ".join(cell(v, decimals) for v in values) + f" | {cell(b, decimals)} | "
            + " | ".join(ratio(v, b) for v in values) + " |"
        )
    lines += ["", reading(ia_bots, base, args), ""]
    lines += memory_lines(bots)
    disturbed = [
        f"{bot.title}, {phase}: {others:.2f} cores other processes, {stolen:.2f} cores steal"
        for bot in bots
        for phase, (others, stolen) in bot.busy.items()
        if others > BUSY_THRESHOLD or stolen > BUSY_THRESHOLD
    ]
    if disturbed:
        lines += [
            "**Disturbed phases.** Other processes on the machine, or the hypervisor (CPU steal), took "
            f"more than {BUSY_THRESHOLD:.2f} cores on average while these phases ran (from /proc/stat); "
            "their figures are likely too slow, and ratios between a disturbed and an undisturbed phase "
            "are skewed: " + "; ".join(disturbed) + ".",
            "",
        ]
    else:
        worst = max((max(c) for bot in bots for c in bot.busy.values()), default=0.0)
        lines += [
            "No other process, and no CPU steal by the hypervisor, took noticeable CPU while the phases "
            f"were measured (at most {worst:.2f} cores on average, from /proc/stat).",
            "",
        ]
    notes = [note for bot in bots for note in bot.notes]
    if notes:
        lines += ["Notes from this run:", ""] + [f"- {note}" for note in notes] + [""]
    if ia_bots:
        lines += targets(ia_bots, base, args)
    lines += sweep_table(bots, base, args)
    if profile is not None:
        lines += profile_lines(profile)
    path.write_text("\n".join(lines), encoding="utf-8")


def plot(path: Path, bots: List[Bot], args) -> None:
    """p50 and p95 latency, and throughput, against the number of conversations at once."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    colours = {"baseline": "tab:grey", "default": "tab:blue", "production": "tab:orange"}
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(12, 4.8))
    for bot in bots:
        levels = [level for level in args.levels if level in bot.sweep]
        if not levels:
            continue
        colour = colours.get(bot.key)
        latency.plot(levels, [bot.sweep[lv]["p50_ms"] for lv in levels], "o-", color=colour,
                     label=f"{bot.title}, p50")
        latency.plot(levels, [bot.sweep[lv]["p95_ms"] for lv in levels], "s--", color=colour,
                     label=f"{bot.title}, p95")
        throughput.plot(levels, [bot.sweep[lv]["tput"] for lv in levels], "o-", color=colour, label=bot.title)
    for axes in (latency, throughput):
        axes.set_xscale("log")
        axes.xaxis.set_minor_locator(NullLocator())
        axes.set_xticks(list(args.levels))
        axes.set_xticklabels([str(level) for level in args.levels])
        axes.set_xlabel("conversations at once")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    latency.set_yscale("log")
    latency.set_ylabel("turn latency (ms, log scale)")
    latency.set_title("Turn latency")
    throughput.set_ylabel("turns per second")
    throughput.set_ylim(bottom=0)
    throughput.set_title("Throughput")
    figure.suptitle("ia-assistent against the stock rasa init bot" + (" (quick smoke run)" if args.quick else ""))
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def log_problems(bots: List[Bot]) -> None:
    """A note for every server log that shows an error or a traceback, during start-up (and the
    warm-up) and during the measurements apart: while a server starts, the probe's requests may
    reach a worker that is still loading and be cancelled (Rasa's REST channel logs that as an
    error)."""
    for bot in bots:
        for log in bot.logs:
            try:
                text = log.read_bytes()
            except OSError:
                continue
            offset = bot.measured_from.get(log, 0)
            for part, when in ((text[:offset], "while starting"), (text[offset:], "during the measurements")):
                problems = [line for line in part.decode(errors="replace").splitlines() if LOG_PROBLEM.search(line)]
                if problems:
                    bot.notes.append(f"{bot.title}: {log.name} shows {len(problems)} error line(s) {when}, the "
                                     f"first: `{problems[0].strip()[:200]}`")


# --------------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", default="default,production",
                        help="ia-assistent's profiles to measure, comma-separated: default, production")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)),
                        help="concurrency levels of the sweep, comma-separated")
    parser.add_argument("--min-turns", type=int, default=600, help="turns per level at least")
    parser.add_argument("--turns-per-user", type=int, default=6, help="turns per simulated user at least")
    parser.add_argument("--parses", type=int, default=100, help="POST /model/parse requests")
    parser.add_argument("--workers", type=int, default=2,
                        help="Sanic workers of the production profile's Rasa server and action server")
    parser.add_argument("--redis-db", type=int, default=7,
                        help="Redis database for the production profile's lock store (the first empty one "
                             "from this number on is used)")
    parser.add_argument("--no-train", "--skip-training", dest="no_train", action="store_true",
                        help="do not time training; serve --model and the model `rasa init` trained")
    parser.add_argument("--model", type=Path, default=None,
                        help=f"serve this ia-assistent model instead of training one (default with "
                             f"--no-train: {MODEL.relative_to(ROOT)})")
    parser.add_argument("--profile-turn", action="store_true",
                        help="also profile where a turn's time goes (cProfile, bench/profile_turn.py)")
    parser.add_argument("--profile-turns", type=int, default=60, help="turns profiled with --profile-turn")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: no training, levels 1 and 5, a few turns")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help=f"where to write the results (the plot, {PLOT_NAME}, goes beside it)")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args()
    if args.quick:
        args.no_train = True
        args.levels, args.min_turns, args.turns_per_user = "1,5", 10, 3
        args.parses, args.profile_turns = 10, 12
    try:
        args.levels = sorted({int(level) for level in args.levels.split(",") if level.strip()})
    except ValueError:
        parser.error("--levels takes whole numbers, e.g. 1,5,20,50,100")
    args.profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    if not args.profiles or set(args.profiles) - {"default", "production"}:
        parser.error("--profiles takes default, production or both")
    for name in ("min_turns", "turns_per_user", "parses", "workers", "profile_turns"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if not args.levels or min(args.levels) < 1:
        parser.error("--levels must be at least 1")
    if not 0 <= args.redis_db <= 15:
        parser.error("--redis-db must be between 0 and 15")
    if args.model is not None:
        args.model = args.model.resolve()
    # The level the targets speak of; a quick run reports its highest level instead.
    args.target_level = TARGET_LEVEL if TARGET_LEVEL in args.levels else max(args.levels)
    return args


def on_sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def main() -> int:
    args = parse_args()
    if not Path(RASA).exists():
        sys.exit(f"{RASA} is missing: run `make install`")
    model = args.model or (MODEL if args.no_train else None)
    if model is not None and not model.exists():
        sys.exit(f"{model} is missing: run `make train`")
    signal.signal(signal.SIGTERM, on_sigterm)

    started = datetime.datetime.now()
    t0 = time.monotonic()
    info = machine()
    say(f"machine: {info['nproc']} CPUs, {info['cpu']}, {info['memory']}; "
        f"Python {info['python']}, Rasa {info['rasa']}")
    tmp = Path(tempfile.mkdtemp(prefix="ia-bench-"))
    say(f"temporary directory: {tmp}")
    procs = Processes()
    texts = [text for conversation in IA_CONVERSATIONS for text in conversation]
    ia_bots = []
    if "default" in args.profiles:
        ia_bots.append(Bot("default", "ia-assistent (default)", ROOT, texts, IA_CONVERSATIONS, str(ROOT),
                           "bot.tracker_store.RedactingSQLTrackerStore", with_actions=True))
    if "production" in args.profiles:
        ia_bots.append(Bot("production", "ia-assistent (production)", ROOT, texts, IA_CONVERSATIONS, str(ROOT),
                           "bot.tracker_store.RedactingSQLTrackerStore", with_actions=True,
                           workers=args.workers, action_workers=args.workers))
    production = Production(args.redis_db) if "production" in args.profiles else None
    try:
        if production is not None:
            production.open()
        base = Bot("baseline", "stock bot", create_baseline(procs, tmp), BASELINE_QUESTIONS, None, None,
                   "sql", with_actions=False)
        if args.no_train:
            base.model = sorted((base.project / "models").glob("*.tar.gz"))[0]
        else:
            train(procs, base, tmp)
        if model is not None:
            for bot in ia_bots:
                bot.model = model
        else:
            train(procs, ia_bots[0], tmp)
            for bot in ia_bots[1:]:
                bot.model, bot.figures["train_s"] = ia_bots[0].model, ia_bots[0].figures["train_s"]
        bots = [base] + ia_bots
        profile = asyncio.run(serve_and_measure(procs, bots, tmp, args, production))
        log_problems(bots)
        for bot in bots:
            failed = sum(s["failed"] for s in bot.sweep.values()) + bot.figures.get("parse_failed", 0)
            if failed:
                bot.notes.append(f"{bot.title}: {failed:.0f} requests failed (HTTP error or timeout after "
                                 f"{REQUEST_TIMEOUT} s); latency figures count answered requests only.")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_results(args.output, bots, info, args, started, time.monotonic() - t0, profile)
        plot(args.output.parent / PLOT_NAME, bots, args)
        say(f"results written to {args.output}, the plot to {args.output.parent / PLOT_NAME}")
        print()
        print(args.output.read_text(encoding="utf-8"))
        return 0
    finally:
        procs.stop_all()
        if production is not None:
            production.close()
        if args.keep_tmp:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
