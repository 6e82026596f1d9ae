"""Rasa's REST channel with its request checked before anything reads it.

Rasa's own `RestInput` reads `request.json.get(...)`: a JSON array or number as the body raises
inside the handler and the caller gets HTTP 500; a missing sender puts every such caller into one
shared conversation ("default"); a body may claim to come from any other channel
(`input_channel`). This channel answers such requests with a clean 400 and a short reason, and
always records its own name as the input channel. A sender who sends too much too fast gets
HTTP 429 with a friendly bot message (bot/rate_limit.py). The webhook stays /webhooks/rest/webhook.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.rate_limit import SenderRateLimit, too_many

# Longest sender id accepted (Rasa's SQL tracker store keeps it in a 255-character column).
MAX_SENDER_CHARS = 128


def problem_with(body: Any) -> Optional[str]:
    """Why a webhook body cannot be taken, or None when it can."""
    if not isinstance(body, dict):
        return "the body must be a JSON object: {\"sender\": \"...\", \"message\": \"...\"}"
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return "\"sender\" must be a non-empty string that names the conversation"
    if len(sender) > MAX_SENDER_CHARS:
        return f"\"sender\" must be at most {MAX_SENDER_CHARS} characters"
    if not isinstance(body.get("message", ""), str):
        return "\"message\" must be a string"
    if not isinstance(body.get("metadata") or {}, dict):
        return "\"metadata\" must be a JSON object"
    return None


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook {"sender": "...", "message": "..."} -> the bot's messages."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self) -> None:
        super().__init__()
        self.rate_limit = SenderRateLimit()

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def check_body(request: Request):
            if request.method != "POST":
                return None
            try:
                body = request.json
            except Exception:  # Sanic's own parse error: not JSON at all
                body = None
            problem = problem_with(body)
            if problem:
                return response.json({"error": problem}, status=400)
            if not self.rate_limit.allow(body["sender"]):
                text = too_many(body.get("message"), body.get("metadata"))
                return response.json([{"recipient_id": body["sender"], "text": text}], status=429)
            return None

        return webhook
