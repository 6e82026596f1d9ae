"""Benchmark ia-assistent against the stock `rasa init` bot, measured in the same run.

`make bench` (= `.venv/bin/python bench/run.py`) measures, for both bots:

1. training time (`rasa train --force` into a temporary --out directory),
2. start-up time (spawn -> first successful reply over the REST webhook; the action
   server's own start-up, spawn -> GET /health, separately),
3. turn latency p50/p95 in one conversation,
4. throughput and p95 latency with 1 and with 20 concurrent conversations,
5. resident memory (VmRSS summed over each server and its child processes),
6. NLU parse time alone (POST /model/parse).

Everything runs on 127.0.0.1, in a temporary directory (models, SQLite tracker stores,
training caches, logs), with bounded loops and timeouts; every process started here is
stopped at the end, also on error. Results are written to bench/RESULTS.md.
See bench/README.md for what each figure means. Nothing here asserts on timings.
"""
import argparse
import asyncio
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
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

TRAIN_TIMEOUT = 3600  # s, per training run
START_TIMEOUT = 600  # s, per server start
REQUEST_TIMEOUT = 120  # s, per HTTP request
STOP_TIMEOUT = 30  # s, between SIGTERM and SIGKILL

# Realistic questions, asked in this order (cycled; each concurrent conversation starts at a
# different one). The follow-up "og tillitsvalgte?" relies on the conversation so far, as a
# real user's would.
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


def rss_mib(pid: int) -> float:
    """VmRSS summed over pid and its descendants, in MiB."""
    total_kib = 0
    for member in descendants(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


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


# --------------------------------------------------------------------------- the two bots


@dataclass
class Bot:
    key: str
    title: str
    project: Path  # the directory Rasa is run from
    questions: List[str]
    pythonpath: Optional[str]
    tracker_store_type: str
    with_actions: bool
    model: Optional[Path] = None  # what is served
    figures: Dict[str, float] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)
    busy: Dict[str, Tuple[float, float]] = field(default_factory=dict)  # phase -> (others, steal), cores
    url: str = ""
    rasa: Optional[subprocess.Popen] = None
    actions: Optional[subprocess.Popen] = None
    servers: List[subprocess.Popen] = field(default_factory=list)
    logs: List[Path] = field(default_factory=list)

    def pids(self) -> List[int]:
        return [process.pid for process in self.servers]


def child_env(bot: Bot, tmp: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
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


def run_to_end(procs: Processes, cmd: List[str], cwd: Path, env: Dict[str, str], log: Path, what: str) -> float:
    """Runs a command to its end; returns the wall time in seconds."""
    say(f"{what}: {' '.join(cmd[1:])} (log: {log.name})")
    start = time.monotonic()
    process = procs.spawn(cmd, cwd, env, log)
    try:
        code = process.wait(timeout=TRAIN_TIMEOUT)
    except subprocess.TimeoutExpired:
        procs.stop(process)
        raise RuntimeError(f"{what} took longer than {TRAIN_TIMEOUT} s:\n{log_tail(log)}")
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


async def conversation(session, url: str, sender: str, questions: List[str], turns: int, offset: int,
                       latencies: List[float]) -> Tuple[int, int]:
    """One conversation; returns (failed requests, empty replies)."""
    failures = empty = 0
    for turn in range(turns):
        seconds, answered, reply = await ask(session, url, sender, questions[(offset + turn) % len(questions)])
        if answered:
            latencies.append(seconds)
            empty += not reply
        else:
            failures += 1
    return failures, empty


async def run_load(session, url: str, questions: List[str], prefix: str, senders: int, turns: int,
                   concurrent: bool) -> Load:
    """senders conversations of `turns` turns each, all at once or one after another."""
    latencies: List[float] = []
    start = time.perf_counter()
    if concurrent:
        counts = await asyncio.gather(
            *(conversation(session, url, f"{prefix}-{i}", questions, turns, i, latencies) for i in range(senders))
        )
    else:
        counts = [
            await conversation(session, url, f"{prefix}-{i}", questions, turns, i, latencies)
            for i in range(senders)
        ]
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


def write_endpoints(bot: Bot, tmp: Path, actions_port: Optional[int]) -> Path:
    endpoints = {
        "tracker_store": {
            "type": bot.tracker_store_type,
            "dialect": "sqlite",
            "db": str(tmp / f"trackers-{bot.key}.db"),
        }
    }
    if actions_port is not None:
        endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{actions_port}/webhook"}
    path = tmp / f"endpoints-{bot.key}.yml"
    path.write_text(yaml.safe_dump(endpoints))
    return path


async def start_servers(procs: Processes, bot: Bot, tmp: Path, session: aiohttp.ClientSession,
                        live: List[int]) -> None:
    """Starts the bot's action server (if any) and Rasa server; times both start-ups.

    live: the pids of every server running so far (this bot's are appended), so their CPU is
    counted as the benchmark's own and not as another process's.
    """
    env = child_env(bot, tmp)
    f = bot.figures
    actions_port = None
    if bot.with_actions:
        actions_port = free_port()
        log = tmp / f"actions-{bot.key}.log"
        say(f"{bot.title}: starting the action server on 127.0.0.1:{actions_port}")
        watch = CpuWatch(bot, "the action server's start-up", live)
        spawned = time.monotonic()
        bot.actions = procs.spawn(
            [RASA, "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            bot.project, env, log,
        )
        live.append(bot.actions.pid)
        bot.servers.append(bot.actions)
        bot.logs.append(log)

        async def healthy() -> bool:
            try:
                async with session.get(f"http://127.0.0.1:{actions_port}/health",
                                       timeout=aiohttp.ClientTimeout(total=5)) as r:
                    return r.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                return False

        f["actions_startup_s"] = await wait_until(healthy, bot.servers, bot.logs, "action server") - spawned
        watch.stop(live)
        say(f"{bot.title}: action server answered /health after {f['actions_startup_s']:.1f} s")

    port = free_port()
    bot.url = f"http://127.0.0.1:{port}"
    endpoints = write_endpoints(bot, tmp, actions_port)
    log = tmp / f"rasa-{bot.key}.log"
    cmd = [
        RASA, "run", "--model", str(bot.model), "--endpoints", str(endpoints),
        "--credentials", str(bot.project / "credentials.yml"),
        "--interface", "127.0.0.1", "--port", str(port), "--enable-api",
    ]
    say(f"{bot.title}: starting the Rasa server on {bot.url} (model {bot.model.name})")
    watch = CpuWatch(bot, "the Rasa server's start-up", live)
    spawned = time.monotonic()
    bot.rasa = procs.spawn(cmd, bot.project, env, log)
    live.append(bot.rasa.pid)
    bot.servers.append(bot.rasa)
    bot.logs.append(log)

    async def replies() -> bool:
        _, answered, reply = await ask(session, bot.url, "bench-startup", bot.questions[0])
        return answered and bool(reply)

    f["startup_s"] = await wait_until(replies, bot.servers, bot.logs, "Rasa server") - spawned
    watch.stop(live)
    say(f"{bot.title}: first reply after {f['startup_s']:.1f} s")
    f["rss_start_mib"] = rss_mib(bot.rasa.pid)

    # Warm-up (not measured): every question once; show what the bot answers.
    for question in bot.questions:
        _, answered, reply = await ask(session, bot.url, "bench-warmup", question)
        text = (reply[0].get("text") or "") if answered and reply else "(no reply)"
        say(f"  warm-up  {question!r} -> {text[:70].replace(chr(10), ' ')!r}")


async def serve_and_measure(procs: Processes, bots: List[Bot], tmp: Path, args) -> None:
    """Starts the bots' servers one after the other, then runs each measurement for every bot
    back to back (baseline, then ia-assistent), so slow drifts of the machine's speed hit both
    bots' figures alike. A server that is not being measured sits idle."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    live: List[int] = []
    n = args.senders
    async with aiohttp.ClientSession(timeout=timeout) as session:
        try:
            for bot in bots:
                await start_servers(procs, bot, tmp, session, live)

            for bot in bots:
                f = bot.figures
                say(f"{bot.title}: {args.turns} turns in one conversation")
                watch = CpuWatch(bot, "the single conversation", live)
                cpu = tree_cpu_s(bot.pids())
                single = await run_load(session, bot.url, bot.questions, "bench-single", 1, args.turns, False)
                f["cpu_single_ms"] = (tree_cpu_s(bot.pids()) - cpu) / single.turns * 1000
                watch.stop(live)
                f["p50_ms"] = percentile(single.latencies, 50) * 1000
                f["p95_ms"] = percentile(single.latencies, 95) * 1000
                f["failed"] = single.failures
                f["empty"] = single.empty
                f["turns_only"] = single.turns
                f["turns"] = single.turns
                say(f"  p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms, server CPU per turn "
                    f"{f['cpu_single_ms']:.0f} ms, failed {single.failures}, empty replies {single.empty}")

            for concurrency in (1, n):
                for bot in bots:
                    f = bot.figures
                    say(f"{bot.title}: {n} conversations x {args.turns_per_sender} turns, "
                        f"{concurrency} at a time")
                    watch = CpuWatch(bot, f"the load with {concurrency} at a time", live)
                    cpu = tree_cpu_s(bot.pids())
                    load = await run_load(session, bot.url, bot.questions, f"bench-c{concurrency}",
                                          n, args.turns_per_sender, concurrency > 1)
                    f[f"cpu_c{concurrency}_ms"] = (tree_cpu_s(bot.pids()) - cpu) / load.turns * 1000
                    watch.stop(live)
                    f[f"tput_c{concurrency}"] = len(load.latencies) / load.wall_s
                    f[f"p95_c{concurrency}_ms"] = percentile(load.latencies, 95) * 1000
                    f["failed"] += load.failures
                    f["empty"] += load.empty
                    f["turns"] += load.turns
                    f["turns_only"] += load.turns
                    say(f"  {f[f'tput_c{concurrency}']:.1f} turns/s, "
                        f"p95 {f[f'p95_c{concurrency}_ms']:.0f} ms, "
                        f"server CPU per turn {f[f'cpu_c{concurrency}_ms']:.0f} ms, failed {load.failures}, "
                        f"empty replies {load.empty}, "
                        f"wall {load.wall_s:.1f} s")
                    if concurrency == n:
                        f["rss_load_mib"] = rss_mib(bot.rasa.pid)
                        if bot.actions is not None:
                            f["rss_actions_mib"] = rss_mib(bot.actions.pid)
                        say(f"{bot.title}: RSS after the load: Rasa server {f['rss_load_mib']:.0f} MiB"
                            + (f", action server {f['rss_actions_mib']:.0f} MiB"
                               if bot.actions is not None else ""))

            for bot in bots:
                f = bot.figures
                say(f"{bot.title}: {args.parses} NLU parses (POST /model/parse)")
                watch = CpuWatch(bot, "the NLU parses", live)
                parses, parse_failures = await measure_parse(session, bot.url, bot.questions, args.parses)
                watch.stop(live)
                f["parse_p50_ms"] = percentile(parses, 50) * 1000
                f["parse_p95_ms"] = percentile(parses, 95) * 1000
                f["failed"] += parse_failures
                f["turns"] += args.parses
                say(f"  parse p50 {f['parse_p50_ms']:.1f} ms, p95 {f['parse_p95_ms']:.1f} ms")
        finally:
            for bot in reversed(bots):
                for process in reversed(bot.servers):
                    procs.stop(process)
            say("servers stopped")


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
    ("actions_startup_s", "Start-up: spawn action server → GET /health", "s", 1),
    ("p50_ms", "Turn latency p50, 1 conversation × {turns} turns", "ms", 0),
    ("p95_ms", "Turn latency p95, 1 conversation × {turns} turns", "ms", 0),
    ("cpu_single_ms", "Server CPU time per turn, 1 conversation × {turns} turns", "ms", 0),
    ("tput_c1", "Throughput, {senders} conversations × {tps} turns, 1 at a time", "turns/s", 1),
    ("p95_c1_ms", "Turn latency p95, 1 at a time", "ms", 0),
    ("cpu_c1_ms", "Server CPU time per turn, 1 at a time", "ms", 0),
    ("tput_cN", "Throughput, {senders} conversations × {tps} turns, {senders} at a time", "turns/s", 1),
    ("p95_cN_ms", "Turn latency p95, {senders} at a time", "ms", 0),
    ("cpu_cN_ms", "Server CPU time per turn, {senders} at a time", "ms", 0),
    ("rss_start_mib", "RSS Rasa server after start-up", "MiB", 0),
    ("rss_load_mib", "RSS Rasa server after the load", "MiB", 0),
    ("rss_actions_mib", "RSS action server after the load", "MiB", 0),
    ("parse_p50_ms", "NLU parse p50, POST /model/parse × {parses}", "ms", 1),
    ("parse_p95_ms", "NLU parse p95, POST /model/parse × {parses}", "ms", 1),
    ("empty", "Turns the bot answered with no message (of all turns)", "", 0),
    ("failed", "Failed requests: error or timeout (of all requests)", "", 0),
]


def cell(value: Optional[float], decimals: int) -> str:
    if value is None:
        return "–"
    return f"{value:.{decimals}f}"


def ratio(a: Optional[float], b: Optional[float]) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def trained_epochs() -> str:
    """"DIET for 60 and TED for 40": the epochs config.yml trains ia-assistent's components for."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    parts = [
        f"{part['name'].replace('Classifier', '').replace('Policy', '')} for {part['epochs']}"
        for part in config["pipeline"] + config["policies"]
        if "epochs" in part
    ]
    return " and ".join(parts)


def reading(ia: Dict[str, float], base: Dict[str, float], args) -> str:
    """Three sentences computed from the figures (no claims the figures do not show)."""
    n, turns = args.senders, args.turns
    sentences = []

    # 1. Turn cost, in short conversations and in one long one. Server CPU time per turn leaves
    #    out time spent waiting for a core (queueing, CPU steal), though not a slowed-down CPU.
    first = (
        f"Over {n} short conversations served one at a time ia-assistent answers "
        f"{ia['tput_c1']:.1f} turns/s against {base['tput_c1']:.1f} for the stock bot "
        f"({ia['tput_c1'] / base['tput_c1']:.2f}×) and its servers use {ia['cpu_c1_ms']:.0f} ms of CPU "
        f"per turn against {base['cpu_c1_ms']:.0f} ms ({ia['cpu_c1_ms'] / base['cpu_c1_ms']:.2f}×); "
        f"in one conversation of {turns} turns "
        f"the median turn takes {ia['p50_ms']:.0f} against {base['p50_ms']:.0f} ms "
        f"({ia['p50_ms'] / base['p50_ms']:.2f}×)"
    )
    # CPU per turn in the long conversation relative to the short ones.
    growth_ia = ia["cpu_single_ms"] / ia["cpu_c1_ms"]
    growth_base = base["cpu_single_ms"] / base["cpu_c1_ms"]
    if max(growth_ia, growth_base) / min(growth_ia, growth_base) > 1.3:
        slower = "stock bot's" if growth_base > growth_ia else "ia-assistent's"
        first += (
            f": the {slower} turns get dearer as a conversation grows (CPU per turn in the long "
            f"conversation / in the short ones: {growth_ia:.1f}× for ia-assistent, "
            f"{growth_base:.1f}× for the stock bot)"
        )
    sentences.append(first + ".")

    # 2. NLU share and concurrency.
    parse_ratio = ia["parse_p50_ms"] / base["parse_p50_ms"]
    second = (
        f"NLU parsing alone takes {ia['parse_p50_ms']:.0f} against {base['parse_p50_ms']:.0f} ms at the "
        f"median, a small part of either bot's turn"
    )
    if 0.75 < parse_ratio < 1.33 and abs(ia["tput_c1"] / base["tput_c1"] - 1) > 0.2:
        second += (
            ", so the difference between the bots lies in the dialogue policies, the action server "
            "and the tracker store rather than in the NLU pipeline"
        )
    gain_ia, gain_base = ia["tput_cN"] / ia["tput_c1"], base["tput_cN"] / base["tput_c1"]
    if max(gain_ia, gain_base) < 1.3:
        second += (
            f"; with {n} conversations at once neither serves more turns per second "
            f"({ia['tput_cN']:.1f} and {base['tput_cN']:.1f}), but p95 latency rises to "
            f"{ia['p95_cN_ms'] / 1000:.1f} and {base['p95_cN_ms'] / 1000:.1f} s: one Rasa process "
            f"works through the turns essentially one at a time, so more users wait longer"
        )
    else:
        second += (
            f"; with {n} conversations at once throughput goes to {ia['tput_cN']:.1f} and "
            f"{base['tput_cN']:.1f} turns/s while p95 latency rises to {ia['p95_cN_ms'] / 1000:.1f} and "
            f"{base['p95_cN_ms'] / 1000:.1f} s"
        )
    sentences.append(second + ".")

    # 3. Start-up, training, memory.
    memory = ia["rss_load_mib"] + ia.get("rss_actions_mib", 0)
    third = (
        f"ia-assistent starts in {ia['startup_s']:.0f} s against {base['startup_s']:.0f} s"
    )
    if "train_s" in ia and "train_s" in base:
        third += (
            f" and trains in {ia['train_s']:.0f} s against {base['train_s']:.0f} s (the stock default "
            f"config trains DIET, TED and UnexpecTEDIntentPolicy for 100 epochs each, on a few dozen "
            f"examples; ia-assistent's trains {trained_epochs()}, on far more)"
        )
    third += (
        f", and its two servers hold {memory:.0f} MiB resident against {base['rss_load_mib']:.0f} MiB "
        f"({memory / base['rss_load_mib']:.2f}×)."
    )
    sentences.append(third)
    return " ".join(sentences)


def write_results(path: Path, ia: Bot, base: Bot, info: Dict[str, str], args, started: datetime.datetime,
                  total_s: float) -> None:
    n = args.senders
    for bot in (ia, base):
        f = bot.figures
        f["tput_cN"], f["p95_cN_ms"], f["cpu_cN_ms"] = f[f"tput_c{n}"], f[f"p95_c{n}_ms"], f[f"cpu_c{n}_ms"]
        if bot.model is not None:
            f["model_mib"] = bot.model.stat().st_size / 1024 / 1024
    lines = [
        "# Benchmark: ia-assistent against the stock `rasa init` bot",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M')} (local time), whole run {total_s / 60:.1f} min",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory; "
        f"Python {info['python']}, Rasa {info['rasa']}, rasa-sdk {info['rasa_sdk']}",
        "- Reproduce: `make bench` (= `.venv/bin/python bench/run.py`); what is measured and how: "
        "[README.md](README.md)",
        "- Both bots were measured in the same run on 127.0.0.1, each with its own temporary SQLite "
        "tracker store, ia-assistent with its action server; both servers ran at once and each "
        "measurement was taken for the baseline and then for ia-assistent, never for both at the same time.",
    ]
    if args.skip_training:
        lines.append("- Training was skipped in this run (`--skip-training`): the served models are "
                     "models/ia-assistent.tar.gz and the one `rasa init` trained.")
    lines += [
        "",
        "| metric | ia-assistent | baseline (rasa init) | ratio (ia-assistent / baseline) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, label, unit, decimals in ROWS:
        a, b = ia.figures.get(key), base.figures.get(key)
        if a is None and b is None:
            continue
        label = label.format(turns=args.turns, senders=n, tps=args.turns_per_sender, parses=args.parses)
        if unit:
            label += f" ({unit})"
        if key in ("failed", "empty"):
            total = "turns" if key == "failed" else "turns_only"
            a_text = f"{cell(a, 0)} of {int(ia.figures[total])}"
            b_text = f"{cell(b, 0)} of {int(base.figures[total])}"
            lines.append(f"| {label} | {a_text} | {b_text} | – |")
            continue
        lines.append(f"| {label} | {cell(a, decimals)} | {cell(b, decimals)} | {ratio(a, b)} |")
    lines += ["", reading(ia.figures, base.figures, args), ""]
    disturbed = [
        f"{bot.title}, {phase}: {others:.2f} cores other processes, {stolen:.2f} cores steal"
        for bot in (ia, base)
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
        worst = max((max(c) for bot in (ia, base) for c in bot.busy.values()), default=0.0)
        lines += [
            "No other process, and no CPU steal by the hypervisor, took noticeable CPU while the phases "
            f"were measured (at most {worst:.2f} cores on average, from /proc/stat).",
            "",
        ]
    notes = ia.notes + base.notes
    if notes:
        lines += ["Notes from this run:", ""] + [f"- {note}" for note in notes] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=100, help="turns in the single conversation")
    parser.add_argument("--senders", type=int, default=20, help="concurrent conversations")
    parser.add_argument("--turns-per-sender", type=int, default=15, help="turns per concurrent conversation")
    parser.add_argument("--parses", type=int, default=100, help="POST /model/parse requests")
    parser.add_argument("--skip-training", action="store_true",
                        help="do not time training; serve models/ia-assistent.tar.gz and rasa init's model")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory (logs)")
    return parser.parse_args()


def on_sigterm(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def main() -> int:
    args = parse_args()
    for name in ("turns", "senders", "turns_per_sender", "parses"):
        if getattr(args, name) < 1:
            sys.exit(f"--{name.replace('_', '-')} must be at least 1")
    if not Path(RASA).exists():
        sys.exit(f"{RASA} is missing: run `make install`")
    if args.skip_training and not MODEL.exists():
        sys.exit(f"{MODEL} is missing: run `make train`")
    signal.signal(signal.SIGTERM, on_sigterm)

    started = datetime.datetime.now()
    t0 = time.monotonic()
    info = machine()
    say(f"machine: {info['nproc']} CPUs, {info['cpu']}, {info['memory']}; "
        f"Python {info['python']}, Rasa {info['rasa']}")
    tmp = Path(tempfile.mkdtemp(prefix="ia-bench-"))
    say(f"temporary directory: {tmp}")
    procs = Processes()
    ia = Bot("ia-assistent", "ia-assistent", ROOT, IA_QUESTIONS, str(ROOT),
             "bot.tracker_store.RedactingSQLTrackerStore", with_actions=True)
    try:
        base = Bot("baseline", "baseline", create_baseline(procs, tmp), BASELINE_QUESTIONS, None,
                   "sql", with_actions=False)
        if args.skip_training:
            ia.model = MODEL
            base.model = sorted((base.project / "models").glob("*.tar.gz"))[0]
        else:
            for bot in (base, ia):
                train(procs, bot, tmp)
        asyncio.run(serve_and_measure(procs, [base, ia], tmp, args))
        for bot in (ia, base):
            if bot.figures.get("failed"):
                bot.notes.append(f"{bot.title}: {bot.figures['failed']:.0f} requests failed (HTTP error or "
                                 "timeout); latency figures count answered requests only.")
        write_results(args.output, ia, base, info, args, started, time.monotonic() - t0)
        say(f"results written to {args.output}")
        print()
        print(args.output.read_text(encoding="utf-8"))
        return 0
    finally:
        procs.stop_all()
        if args.keep_tmp:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
