"""Readiness, and a polite answer when a turn fails for a technical reason.

Configured as a channel in credentials.yml (`bot.health.HealthChannel:`), this adds
`GET /webhooks/health/ready`: 200 {"ready": true} once this server process has loaded its
model, else 503 {"ready": false}. It needs no token and tells nothing else.

It also makes sure the user hears something when a turn cannot be answered:
- the action server does not answer or fails: Rasa logs the error and drops the action's
  events, so the step the user is on stays as it was; the user is asked to try again;
- the lock store (Redis) does not answer, or the turn fails in another way: Rasa's channels
  would log the exception and send nothing; the error is logged in one clear line (with the
  traceback when its cause is not known), and the user is asked to try again. (The tracker
  store's own failures Rasa handles itself, see bot/resilient_store.py.)
Each turn apologises at most once. The apology is sent, not stored in the conversation.
Rasa 3.6 has no setting for either, so `install()` wraps `RemoteAction.run` and
`Agent.handle_message` once, when the channel is set up.
"""
import contextvars
import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from actions import phrases
from actions.standard import DEFAULT, of_events
from bot.written_standard import message_standard

logger = logging.getLogger(__name__)


def try_again(standard: str = DEFAULT) -> str:
    """What the user is told when a turn fails, in `standard`."""
    return phrases.text("service.try_again", standard)


# Set for each turn: whether the user was already asked to try again, and in which standard.
_apologised: contextvars.ContextVar[Optional[list]] = contextvars.ContextVar("apologised", default=None)
_standard: contextvars.ContextVar[str] = contextvars.ContextVar("turn_standard", default=DEFAULT)


async def apologise(output_channel: Optional[OutputChannel], recipient_id: str) -> None:
    turn = _apologised.get()
    if output_channel is None or (turn is not None and turn):
        return
    if turn is not None:
        turn.append(True)
    try:
        await output_channel.send_text_message(recipient_id, try_again(_standard.get()))
    except Exception as error:  # the channel itself may be what failed
        logger.error(f"Could not tell the user to try again: {error}")


def _causes(error: BaseException):
    """The error and what caused it (Rasa's lock store wraps Redis's errors in a LockError)."""
    seen = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def _what_failed(agent: Agent, error: Exception) -> Optional[str]:
    for cause in _causes(error):
        if type(cause).__module__.startswith("redis"):
            red = getattr(agent.lock_store, "red", None)
            where = ""
            if red is not None:
                kwargs = red.connection_pool.connection_kwargs
                where = f" at {kwargs.get('host')}:{kwargs.get('port')}"
            return f"Redis (the lock store){where} did not answer ({_first_line(cause)})"
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _guard_turns(handle_message: Callable[..., Awaitable[Any]]):
    async def guarded(self: Agent, message: UserMessage):
        _apologised.set([])
        # The message's own standard, until the conversation's is known (the tracker may not be).
        _standard.set(message_standard(message.text, message.metadata))
        try:
            return await handle_message(self, message)
        except Exception as error:
            what = _what_failed(self, error)
            if what is None:
                logger.exception(f"The turn of conversation {message.sender_id} failed; the user was asked to try again.")
            else:
                logger.error(
                    f"{what}; the turn of conversation {message.sender_id} was not answered "
                    "and the user was asked to try again."
                )
            await apologise(message.output_channel, message.sender_id)
            return None

    guarded.guards_turns = True
    return guarded


def _apologise_when_failing(run: Callable[..., Awaitable[Any]]):
    async def run_or_apologise(self: RemoteAction, output_channel, nlg, tracker, domain):
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception:
            _standard.set(of_events(event.as_dict() for event in tracker.events).standard)
            await apologise(output_channel, tracker.sender_id)
            raise

    run_or_apologise.guards_turns = True
    return run_or_apologise


def install() -> None:
    if not getattr(Agent.handle_message, "guards_turns", False):
        Agent.handle_message = _guard_turns(Agent.handle_message)
    if not getattr(RemoteAction.run, "guards_turns", False):
        RemoteAction.run = _apologise_when_failing(RemoteAction.run)


class HealthChannel(InputChannel):
    """No messages come in here; it only answers whether this process is ready."""

    @classmethod
    def name(cls) -> str:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        install()
        health = Blueprint("health_webhook", __name__)

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request):
            agent = getattr(request.app.ctx, "agent", None)
            is_ready = bool(agent is not None and agent.is_ready())
            return response.json({"ready": is_ready}, status=200 if is_ready else 503)

        return health
