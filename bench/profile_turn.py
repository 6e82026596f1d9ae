"""Where a turn's time goes: one Rasa agent in this process, a few dozen turns under cProfile.

Run by `bench/run.py --profile-turn` (with PYTHONPATH set to the repository and an action
server already running); it can also be run on its own:

    .venv/bin/python bench/profile_turn.py --model models/ia-assistent.tar.gz \
        --endpoints ENDPOINTS.yml --turns TURNS.json --out SUMMARY.json

TURNS.json is a list of [sender, text] pairs. Every distinct conversation is played once
unprofiled first (loading lazily built parts), then all turns are handled under cProfile one
after the other with `Agent.handle_text`, as the REST channel would. SUMMARY.json gets the wall
time and, for each area of a turn, the cumulative time cProfile measured in it.

cProfile counts a coroutine's time only while it runs, not while it awaits: the time a turn
waits for the action server's reply (or for anything else on the network) shows up as the event
loop waiting in epoll, reported on its own line.
"""
import argparse
import asyncio
import cProfile
import inspect
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

Key = Tuple[str, int, str]


def key_of(function: Callable) -> Optional[Key]:
    """cProfile's key (file, first line, name) of a Python function, or None."""
    function = inspect.unwrap(getattr(function, "__func__", function))
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    return code.co_filename, code.co_firstlineno, code.co_name


def cumulative(stats: Dict[Key, Any], function: Callable) -> float:
    key = key_of(function)
    return stats[key][3] if key in stats else 0.0


def builtin_total(stats: Dict[Key, Any], name_part: str) -> float:
    """Own time of built-in functions whose name contains name_part (e.g. epoll's poll)."""
    return sum(value[2] for key, value in stats.items() if key[0] == "~" and name_part in key[2])


def areas(agent, stats: Dict[Key, Any]) -> List[Dict[str, Any]]:
    """(group, label, seconds) for the parts of a turn, from cumulative times.

    Lines of one group may nest in the group's first line (its total); lines of different
    groups may nest too (the action call includes serialising the tracker and validating the
    reply), so the seconds do not add up to the turn."""
    import jsonschema
    from rasa.core.actions.action import RemoteAction
    from rasa.core.lock_store import LockStore
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.core.policies.policy import Policy
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    rows: List[Dict[str, Any]] = []

    def add(group: str, label: str, seconds: float) -> None:
        rows.append({"group": group, "label": label, "seconds": seconds})

    add("turn", "whole turn (MessageProcessor.handle_message)", cumulative(stats, MessageProcessor.handle_message))

    # The graph's nodes: NLU components (process), policies and their ensemble, and the
    # nodes that convert between them.
    from rasa.core.policies.ensemble import PolicyPredictionEnsemble

    runner = agent.processor.graph_runner
    nodes = getattr(runner, "_instantiated_nodes", {})
    by_function: Dict[Key, List[str]] = {}
    group_of: Dict[Key, str] = {}
    for node in nodes.values():
        key = key_of(node._fn)
        if key is None:
            continue
        name = f"{node._component_class.__name__}.{node._fn_name}"
        if name not in by_function.setdefault(key, []):
            by_function[key].append(name)
        if issubclass(node._component_class, (Policy, PolicyPredictionEnsemble)):
            group_of[key] = "policies"
        elif node._fn_name == "process":
            group_of[key] = "NLU"
        else:
            group_of[key] = "graph"

    def nodes_of(group: str) -> None:
        for key, names in by_function.items():
            if group_of[key] == group and key in stats and stats[key][3] > 0:
                add(group, f"{group}: " + " / ".join(names), stats[key][3])

    add("NLU", "NLU: the whole pipeline (MessageProcessor.parse_message)",
        cumulative(stats, MessageProcessor.parse_message))
    nodes_of("NLU")
    add("policies", "policies: predicting the next actions (MessageProcessor._predict_next_with_tracker)",
        cumulative(stats, MessageProcessor._predict_next_with_tracker))
    nodes_of("policies")
    nodes_of("graph")

    # Tracker store: the outermost retrieve and save (the store is wrapped in an awaitable one).
    load = max([cumulative(stats, MessageProcessor.fetch_tracker_and_update_session),
                cumulative(stats, MessageProcessor.get_tracker)])
    add("tracker store", "tracker store: load the conversation (fetch_tracker_and_update_session)", load)
    add("tracker store", "tracker store: save it (MessageProcessor.save_tracker)",
        cumulative(stats, MessageProcessor.save_tracker))
    add("tracker store", "lock store: the conversation's lock (LockStore.lock)", cumulative(stats, LockStore.lock))

    add("action server", "action server call, client side (RemoteAction.run)", cumulative(stats, RemoteAction.run))
    # The method in force (the project may replace it with a cheaper one).
    add("action server", "validating the action server's reply (RemoteAction._validate_action_result)",
        cumulative(stats, RemoteAction._validate_action_result))
    add("action server", "jsonschema.validate (checks the schema itself, then the reply)",
        cumulative(stats, jsonschema.validate))
    add("action server", "event loop waiting for the network (epoll), mostly for the action server's reply",
        builtin_total(stats, "poll"))

    add("serialisation", "tracker state for the action server (DialogueStateTracker.current_state)",
        cumulative(stats, DialogueStateTracker.current_state))
    add("serialisation", "events to dicts (Event.as_dict, all subclasses)",
        sum(value[3] for key, value in stats.items()
            if key[0].endswith("rasa/shared/core/events.py") and key[2] == "as_dict"))
    add("serialisation", "json.dumps + json.loads (all callers)",
        sum(value[3] for key, value in stats.items()
            if key[0].endswith("json/__init__.py") and key[2] in ("dumps", "loads")))
    add("serialisation", "responses rendered (TemplatedNaturalLanguageGenerator.generate)",
        cumulative(stats, TemplatedNaturalLanguageGenerator.generate))
    return rows


async def profile(model: str, endpoints_path: str, turns: List[Tuple[str, str]]) -> Dict[str, Any]:
    import rasa.utils.io
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Logging as `rasa run` sets it up (rasa/__main__.py): unconfigured, Rasa's structlog and
    # the policies log at debug level, which would be profiled as part of every turn.
    configure_logging_and_warnings(None, None, warn_only_once=True, filter_repeated_logs=True)
    rasa.utils.io.configure_colored_logging(None)
    configure_structlog(None)

    endpoints = AvailableEndpoints.read_endpoints(endpoints_path)
    started = time.monotonic()
    agent = await load_agent(model_path=model, endpoints=endpoints)
    if agent is None or not agent.is_ready():
        raise SystemExit(f"the model {model} did not load")
    load_s = time.monotonic() - started

    # Warm-up, unprofiled: each conversation once under other sender ids.
    for sender, text in turns:
        await agent.handle_text(text, sender_id=f"warmup-{sender}")

    profiler = cProfile.Profile()
    empty = 0
    started = time.perf_counter()
    profiler.enable()
    for sender, text in turns:
        replies = await agent.handle_text(text, sender_id=sender)
        empty += not replies
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return {"turns": len(turns), "wall_s": wall, "load_s": load_s, "empty": empty,
            "cpu_s": sum(value[2] for value in stats.values()) - builtin_total(stats, "poll"),
            "areas": areas(agent, stats)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--endpoints", required=True)
    parser.add_argument("--turns", required=True, type=Path, help="JSON list of [sender, text]")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    turns = [(str(sender), str(text)) for sender, text in json.loads(args.turns.read_text(encoding="utf-8"))]
    if not turns:
        sys.exit("no turns to profile")
    summary = asyncio.run(profile(args.model, args.endpoints, turns))
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
