"""The assistant in Slack: Rasa 3.6's Slack connector, configured from environment variables.

What it changes in Rasa's `SlackInput` and `SlackBot` (rasa/core/channels/slack.py):
- Settings come from the environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL), so the
  repository's credentials.yml names the channel without a secret; with the token or the secret unset,
  the webhook answers 503 to everyone and the rest of the assistant runs as before.
- Every request must carry a valid `X-Slack-Signature` over a timestamp at most five minutes old
  (Rasa's check, with a bad timestamp logged as a warning instead of an error).
- An event Slack delivers again (a retry after a slow or lost answer) is answered once: events are
  remembered by Slack's `event_id` for an hour. Rasa only skipped retries whose reason is `http_timeout`.
- Buttons go out as Block Kit: a section with the text, then actions blocks of at most 25 buttons
  (Rasa sent no buttons at all when there were more than five); a click comes back as the button's
  payload, e.g. `/ask_role{"ia_role":"verneombud"}`.
- Messages are posted as the bot (Rasa passed `as_user`, which only classic Slack apps may use), with
  `&`, `<` and `>` escaped as Slack asks and web addresses as links, to a Web API base URL that can
  be changed (SLACK_API_URL).
- Custom payloads (the local agreement's Markdown document) are not posted: the same draft is also
  sent as chat text.
"""
import asyncio
import json
import logging
import os
import re
import time
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.rate_limit import SenderRateLimit, too_many

logger = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
# How long an event id is remembered to recognise Slack's retries (Slack retries within minutes).
SEEN_EVENTS_TTL = 3600
# Block Kit limits: text of a section, buttons in one actions block, a button's label and value.
MAX_SECTION_TEXT = 3000
MAX_BUTTONS_PER_BLOCK = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000


URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:!?)\]]")


def slack_text(text: Text) -> Text:
    """Text as Slack's mrkdwn fields want it: `&`, `<` and `>` escaped, so that nothing the user
    typed becomes a mention or a link, and the web addresses written as Slack links."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return URL.sub(lambda m: f"<{m.group(0)}>", escaped)


def chunks(text: Text, size: int) -> List[Text]:
    """`text` cut into pieces of at most `size` characters, at line ends where possible."""
    pieces: List[Text] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        cut = cut if cut > 0 else size
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return pieces + [text] if text else pieces


def button_blocks(text: Text, buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The Block Kit blocks of a message with buttons."""
    blocks: List[Dict[Text, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece, "verbatim": True}}
        for piece in chunks(slack_text(text), MAX_SECTION_TEXT)
    ]
    elements = []
    for index, button in enumerate(buttons):
        title = str(button["title"])
        if len(title) > MAX_BUTTON_TEXT:
            title = title[: MAX_BUTTON_TEXT - 1] + "…"
        elements.append(
            {
                "type": "button",
                "action_id": f"button_{index}",
                "text": {"type": "plain_text", "text": title, "emoji": False},
                "value": str(button["payload"])[:MAX_BUTTON_VALUE],
            }
        )
    for start in range(0, len(elements), MAX_BUTTONS_PER_BLOCK):
        blocks.append({"type": "actions", "elements": elements[start : start + MAX_BUTTONS_PER_BLOCK]})
    return blocks


class SlackOutput(SlackBot):
    """Posts the assistant's messages with chat.postMessage, as the bot."""

    def __init__(self, token: Text, api_url: Text, channel: Optional[Text], thread_id: Optional[Text]) -> None:
        self.slack_channel = channel
        self.thread_id = thread_id
        self.client = AsyncWebClient(token, base_url=api_url)
        OutputChannel.__init__(self)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)  # Rasa's image and attachment messages pass it
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        try:
            await self.client.chat_postMessage(channel=channel, **kwargs)
        except SlackApiError as error:
            logger.error("Slack refused a message for %s: %s", channel, error.response.get("error"))
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("Could not reach Slack's Web API at %s: %s", self.client.base_url, error)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._post_message(self.slack_channel or recipient_id, text=slack_text(text))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._post_message(
            self.slack_channel or recipient_id, text=slack_text(text), blocks=button_blocks(text, buttons)
        )

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        logger.debug("Custom payload not posted to Slack (its content is also sent as text).")


class SlackChannel(SlackInput):
    """Slack's Events API and interactivity on /webhooks/slack/webhook."""

    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        token = os.environ.get("SLACK_BOT_TOKEN", "")
        secret = os.environ.get("SLACK_SIGNING_SECRET", "")
        self.configured = bool(token and secret)
        self.api_url = os.environ.get("SLACK_API_URL") or SLACK_API_URL
        if not self.api_url.endswith("/"):
            self.api_url += "/"
        self.seen_events: Dict[Text, float] = {}
        self.rate_limit = SenderRateLimit()
        if self.configured:
            super().__init__(token, slack_signing_secret=secret)
            logger.info("Slack channel on /webhooks/slack/webhook, Web API at %s", self.api_url)
        else:
            missing = [n for n, v in [("SLACK_BOT_TOKEN", token), ("SLACK_SIGNING_SECRET", secret)] if not v]
            log = logger.warning if token or secret else logger.info
            log("Slack channel not configured (%s unset): it answers 503.", ", ".join(missing))

    def is_request_from_slack_authentic(self, request: Request) -> bool:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not timestamp.isdigit():
            return False
        return super().is_request_from_slack_authentic(request)

    def first_delivery(self, event_id: Optional[Text]) -> bool:
        """False for an event already received (Slack's retry of it); remembers the event."""
        if not event_id:
            return True
        now = time.monotonic()
        self.seen_events = {e: t for e, t in self.seen_events.items() if now - t < SEEN_EVENTS_TTL}
        if event_id in self.seen_events:
            return False
        self.seen_events[event_id] = now
        return True

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackOutput(self.slack_token, self.api_url, channel or self.slack_channel, thread_id)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.text("Slack is not configured.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            if not self.is_request_from_slack_authentic(request):
                logger.warning("Refused a Slack request without a valid, recent signature.")
                return response.text("Invalid or stale X-Slack-Signature.", status=HTTPStatus.UNAUTHORIZED)
            content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
            try:
                if content_type == "application/json":
                    return await self.handle_event(request.json or {}, request, on_new_message)
                if content_type == "application/x-www-form-urlencoded":
                    payload = json.loads(request.form.get("payload") or "{}")
                    return await self.handle_interaction(payload, on_new_message)
            except (InvalidUsage, ValueError, TypeError, AttributeError, KeyError):
                logger.warning("Refused a signed Slack request that could not be read.")
            return response.text("Unsupported request.", status=HTTPStatus.BAD_REQUEST)

        return slack_webhook

    async def handle_event(
        self, body: Dict[Text, Any], request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge")})
        if not self.first_delivery(body.get("event_id")):
            logger.info(
                "Slack delivered event %s again (retry %s, %s): already answered.",
                body.get("event_id"),
                request.headers.get("X-Slack-Retry-Num"),
                request.headers.get("X-Slack-Retry-Reason"),
            )
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        if not self._is_user_message(body):
            return response.text("")
        event = body["event"]
        users = [a.get("user_id") for a in body.get("authorizations") or [] if a.get("user_id")]
        metadata = {
            "out_channel": event.get("channel"),
            "thread_id": event.get("thread_ts") or event.get("ts"),
            "users": body.get("authed_users") or users,
        }
        if not self._is_supported_channel(body, metadata):
            return response.text("")
        text = self._sanitize_user_message(event.get("text", ""), metadata["users"])
        await self.dispatch(text, event.get("user"), metadata, on_new_message)
        return response.text("")

    async def handle_interaction(
        self, payload: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if not self._is_interactive_message(payload):
            return response.text("")
        text = self._get_interactive_response(payload["actions"][0])
        if text is None:  # a link button: nothing to answer
            return response.text("")
        message = payload.get("message") or {}
        metadata = {
            "out_channel": (payload.get("channel") or {}).get("id"),
            "thread_id": message.get("thread_ts") or message.get("ts"),
            "users": [payload["user"]["id"]],
        }
        await self.dispatch(text, payload["user"]["id"], metadata, on_new_message)
        return response.text("")

    async def dispatch(
        self,
        text: Text,
        user: Optional[Text],
        metadata: Dict[Text, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Hands the message to Rasa in the background: Slack wants its answer within 3 seconds."""
        thread_id = metadata["thread_id"] if self.use_threads else None
        conversation = self._get_conversation_id(user, metadata["out_channel"], metadata["thread_id"])
        output = self.get_output_channel(metadata["out_channel"], thread_id)
        if not self.rate_limit.allow(conversation):
            # Acknowledged (Slack would retry an error); the sender is told to wait.
            work = output.send_text_message(conversation, too_many(text))
        else:
            work = on_new_message(UserMessage(text, output, conversation, input_channel=self.name(), metadata=metadata))
        # Kept referenced until done, as `process_message` of Rasa's SlackInput does.
        task = asyncio.create_task(work)
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
