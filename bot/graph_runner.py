"""The model's graph is run in an order worked out once, not planned anew by dask at every call.

Rasa 3.6 runs the trained graph (the NLU pipeline for a message, the policies for each next action)
with `DaskGraphRunner.run`, which on every call walks the schema for the nodes the targets need
(recursively, without remembering nodes it has seen), builds a dask graph from them and hands it
to dask's synchronous scheduler, which orders and runs it. Profiled under load (py-spy, 20
conversations at once, 2026-12-07), that planning took 9 % of the Rasa server's time, beside 22 %
in the components themselves.

`install()` replaces `DaskGraphRunner.run` with one that keeps, per set of targets, the nodes those
targets need in an order where every node comes after the nodes it needs (worked out once), and
calls them in that order. What runs is unchanged: the same nodes, with the same inputs, each once;
inputs given to `run` take the place of the node of their name, as in dask; a node whose input
nobody provides gets that input's name, as dask gives it (the node then says so and fails); the
result maps each target to its output; an input named like a node is refused with the same
`GraphRunError`. Nodes that need nothing of each other may run in another order than dask's; the
graph's nodes read only their inputs.

Installed when the NLU components of this project are imported (`bot/component.py`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphNode
from rasa.engine.runner.dask import DaskGraphRunner

# Rasa's own, which the tests compare with.
dask_run = DaskGraphRunner.run

Plan = List[Tuple[Text, GraphNode, Tuple[Text, ...]]]


def plan(runner: DaskGraphRunner, targets: Tuple[Text, ...]) -> Plan:
    """The nodes `targets` need, each after the nodes it needs: (name, node, names it needs)."""
    nodes = runner._graph_schema.nodes
    ordered: Plan = []
    done = set()

    def visit(name: Text, path: Tuple[Text, ...]) -> None:
        if name in done or name not in nodes:
            return
        if name in path:
            raise GraphRunError(f"The graph has a cycle through '{name}'.")
        needs = tuple(nodes[name].needs.values())
        for need in needs:
            visit(need, path + (name,))
        done.add(name)
        ordered.append((name, runner._instantiated_nodes[name], needs))

    for target in targets:
        visit(target, ())
    return ordered


def run(
    self: DaskGraphRunner,
    inputs: Optional[Dict[Text, Any]] = None,
    targets: Optional[List[Text]] = None,
) -> Dict[Text, Any]:
    """What `DaskGraphRunner.run` does, in the order `plan` keeps."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    plans: Dict[Tuple[Text, ...], Plan] = self.__dict__.setdefault("_plans", {})
    steps = plans.get(run_targets)
    if steps is None:
        steps = plans[run_targets] = plan(self, run_targets)

    outputs: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and (value in outputs or any(value == step[0] for step in steps)):
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema."
            )
        outputs[name] = (name, value)
    try:
        for name, node, needs in steps:
            if name not in outputs:
                outputs[name] = node(*(outputs.get(need, need) for need in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(outputs[target] for target in run_targets)


def install() -> None:
    DaskGraphRunner.run = run  # type: ignore[assignment]


__all__ = ["dask_run", "install", "plan", "run"]
