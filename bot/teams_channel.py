"""The assistant in Microsoft Teams through the Bot Framework, for a single-tenant Azure Bot.

Rasa 3.6's `botframework` connector cannot serve a bot created in Azure today: it fetches its
outgoing token from the multi-tenant `botframework.com` tenant only (Microsoft creates no new
multi-tenant bots since 2025-07-31), checks incoming tokens for signature and audience but not issuer,
service URL or endorsements, sends buttons Teams cannot click, keeps `<at>` mentions in the text and
calls Microsoft with the synchronous `requests` library inside the event loop. This channel:

- reads its settings from the environment (TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_APP_TENANT_ID;
  TEAMS_OPENID_METADATA_URL and TEAMS_LOGIN_URL only to point it elsewhere); with any of the first
  three unset, /webhooks/teams/webhook answers 503 to everyone;
- accepts an activity only with a Bot Framework JWT that passes every check in Microsoft's
  "Authentication with the Bot Connector API": RS256, signed by a key from the OpenID metadata's
  `jwks_uri` (cached for a day, fetched again for an unknown key id), issuer
  `https://api.botframework.com`, audience the app id, not expired (five minutes' clock skew),
  endorsed for the activity's channel, and a `serviceurl` claim equal to the activity's `serviceUrl`;
- gets its outgoing token from `{TEAMS_LOGIN_URL}/{tenant}/oauth2/v2.0/token` with the client
  credentials and the scope `https://api.botframework.com/.default`, cached until shortly before it
  expires;
- sends buttons as hero cards of `messageBack` actions: a click shows the button's title in the chat
  and sends the bot the button's payload (`/ask_role{"ia_role":"verneombud"}`);
- removes `<at>…</at>` mentions before the text reaches the NLU;
- talks to Microsoft with aiohttp only.
"""
import asyncio
import logging
import os
import re
import time
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple
from urllib.parse import quote

import aiohttp
import jwt
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rate_limit import SenderRateLimit, too_many

logger = logging.getLogger(__name__)

OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
LOGIN_URL = "https://login.microsoftonline.com"
ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"
ALGORITHMS = ["RS256"]
CLOCK_SKEW = 300
KEYS_MAX_AGE = 24 * 3600
# An unknown key id fetches the keys again, but not more often than this.
KEYS_MIN_REFRESH = 60
# A token is renewed this long before it expires.
TOKEN_MARGIN = 300
# Buttons in one hero card; more buttons go into further cards of the same message.
MAX_BUTTONS_PER_CARD = 6
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15)

MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


class Refused(Exception):
    """An incoming request that is not from the Bot Connector: the status and why."""

    def __init__(self, status: HTTPStatus, reason: Text) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class BotConnectorAuth:
    """Checks incoming Bot Connector tokens and gets outgoing ones; keys and tokens are cached."""

    def __init__(self, app_id: Text, password: Text, tenant: Text, metadata_url: Text, login_url: Text) -> None:
        self.app_id = app_id
        self.password = password
        self.token_url = f"{login_url.rstrip('/')}/{tenant}/oauth2/v2.0/token"
        self.metadata_url = metadata_url
        self.keys: Dict[Text, Dict[Text, Any]] = {}
        # When the keys are fetched again anyway, and the earliest time an unknown key id may fetch them.
        self.keys_expire = 0.0
        self.keys_next_try = 0.0
        self.token: Optional[Text] = None
        self.token_expires = 0.0
        self.lock = asyncio.Lock()

    async def fetch_keys(self) -> None:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            async with session.get(self.metadata_url) as answer:
                answer.raise_for_status()
                metadata = await answer.json(content_type=None)
            async with session.get(metadata["jwks_uri"]) as answer:
                answer.raise_for_status()
                keys = (await answer.json(content_type=None))["keys"]
        self.keys = {key["kid"]: key for key in keys if "kid" in key}
        self.keys_expire = time.monotonic() + KEYS_MAX_AGE

    def keys_stale(self, kid: Text) -> bool:
        now = time.monotonic()
        return now > self.keys_expire or (kid not in self.keys and now > self.keys_next_try)

    async def key(self, kid: Text) -> Dict[Text, Any]:
        if self.keys_stale(kid):
            async with self.lock:
                if self.keys_stale(kid):  # not fetched meanwhile by a request that waited less
                    self.keys_next_try = time.monotonic() + KEYS_MIN_REFRESH
                    try:
                        await self.fetch_keys()
                    except (aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError) as error:
                        logger.error("Could not fetch the Bot Framework signing keys from %s: %s", self.metadata_url, error)
                        # The keys held so far stay in use; the next try comes a minute later.
                        self.keys_expire = self.keys_next_try
        if kid not in self.keys:
            raise Refused(HTTPStatus.FORBIDDEN, "the token's key is not one of the Bot Framework's keys")
        return self.keys[kid]

    async def claims(self, authorization: Optional[Text]) -> Tuple[Dict[Text, Any], List[Text]]:
        """The verified claims of the request's token and the endorsements of its key."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Refused(HTTPStatus.UNAUTHORIZED, "no bearer token")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Refused(HTTPStatus.UNAUTHORIZED, "the bearer token is not a JWT")
        if header.get("alg") not in ALGORITHMS:
            raise Refused(HTTPStatus.FORBIDDEN, f"signing algorithm {header.get('alg')!r} is not allowed")
        key = await self.key(str(header.get("kid")))
        try:
            claims = jwt.decode(
                token,
                key=jwt.PyJWK(key, algorithm="RS256").key,
                algorithms=ALGORITHMS,
                audience=self.app_id,
                issuer=ISSUER,
                leeway=CLOCK_SKEW,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Refused(HTTPStatus.FORBIDDEN, f"token refused: {error}")
        return claims, list(key.get("endorsements") or [])

    async def check(self, authorization: Optional[Text], activity: Dict[Text, Any]) -> None:
        """Raises `Refused` unless the request's token is valid for this bot and this activity."""
        claims, endorsements = await self.claims(authorization)
        if not claims.get("serviceurl") or claims["serviceurl"] != activity.get("serviceUrl"):
            raise Refused(HTTPStatus.FORBIDDEN, "the token was issued for another service URL")
        if endorsements and activity.get("channelId") not in endorsements:
            raise Refused(HTTPStatus.FORBIDDEN, f"the key is not endorsed for channel {activity.get('channelId')!r}")

    async def bearer(self, session: aiohttp.ClientSession) -> Text:
        """The bot's own access token for the Bot Connector, fetched when missing or expiring."""
        async with self.lock:
            if self.token is None or time.monotonic() > self.token_expires:
                form = {
                    "grant_type": "client_credentials",
                    "client_id": self.app_id,
                    "client_secret": self.password,
                    "scope": SCOPE,
                }
                async with session.post(self.token_url, data=form) as answer:
                    answer.raise_for_status()
                    token = await answer.json(content_type=None)
                self.token = token["access_token"]
                self.token_expires = time.monotonic() + int(token.get("expires_in", 3600)) - TOKEN_MARGIN
            return self.token


def hero_cards(buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The buttons as hero cards of messageBack actions."""
    actions = [
        {
            "type": "messageBack",
            "title": str(button["title"]),
            "displayText": str(button["title"]),
            "text": str(button["payload"]),
            "value": {"payload": str(button["payload"])},
        }
        for button in buttons
    ]
    return [
        {"contentType": "application/vnd.microsoft.card.hero", "content": {"buttons": actions[i : i + MAX_BUTTONS_PER_CARD]}}
        for i in range(0, len(actions), MAX_BUTTONS_PER_CARD)
    ]


class TeamsOutput(OutputChannel):
    """Replies in the conversation an activity came from, through its service URL."""

    @classmethod
    def name(cls) -> Text:
        return "teams"

    def __init__(self, auth: BotConnectorAuth, activity: Dict[Text, Any]) -> None:
        self.auth = auth
        service_url = activity["serviceUrl"].rstrip("/")
        conversation = quote(str(activity["conversation"]["id"]), safe="")
        self.url = f"{service_url}/v3/conversations/{conversation}/activities"
        self.reply = {
            "type": "message",
            "from": activity.get("recipient"),
            "recipient": activity.get("from"),
            "conversation": activity["conversation"],
            "replyToId": activity.get("id"),
        }

    async def post(self, **content: Any) -> None:
        body = {**self.reply, **content}
        try:
            async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
                headers = {"Authorization": f"Bearer {await self.auth.bearer(session)}"}
                async with session.post(self.url, json=body, headers=headers) as answer:
                    if answer.status >= 300:
                        logger.error("The Bot Connector refused a reply (%s): %s", answer.status, await answer.text())
        except (aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError) as error:
            logger.error("Could not send a reply to Teams: %s", error)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.post(text=text, textFormat="plain")

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.post(text=text, textFormat="plain", attachmentLayout="list", attachments=hero_cards(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self.post(attachments=[{"contentType": "application/vnd.microsoft.card.hero", "content": {"images": [{"url": image}]}}])

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        logger.debug("Custom payload not sent to Teams (its content is also sent as text).")


def message_text(activity: Dict[Text, Any]) -> Text:
    """What the user said or clicked: a button's payload, or the text without mentions."""
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("payload"), str):
        return value["payload"]
    text = str(activity.get("text") or "")
    bot_id = (activity.get("recipient") or {}).get("id")
    for entity in activity.get("entities") or []:
        if entity.get("type") == "mention" and (entity.get("mentioned") or {}).get("id") == bot_id:
            text = text.replace(str(entity.get("text") or ""), " ")
    return " ".join(MENTION.sub(" ", text).split())


class TeamsChannel(InputChannel):
    """Bot Framework activities from Teams on /webhooks/teams/webhook."""

    @classmethod
    def name(cls) -> Text:
        return "teams"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        app_id = os.environ.get("TEAMS_APP_ID", "")
        password = os.environ.get("TEAMS_APP_PASSWORD", "")
        tenant = os.environ.get("TEAMS_APP_TENANT_ID", "")
        self.auth: Optional[BotConnectorAuth] = None
        self.rate_limit = SenderRateLimit()
        if app_id and password and tenant:
            self.auth = BotConnectorAuth(
                app_id,
                password,
                tenant,
                os.environ.get("TEAMS_OPENID_METADATA_URL") or OPENID_METADATA_URL,
                os.environ.get("TEAMS_LOGIN_URL") or LOGIN_URL,
            )
            logger.info("Teams channel on /webhooks/teams/webhook for app %s in tenant %s", app_id, tenant)
        else:
            settings = [("TEAMS_APP_ID", app_id), ("TEAMS_APP_PASSWORD", password), ("TEAMS_APP_TENANT_ID", tenant)]
            log = logger.warning if any(v for _, v in settings) else logger.info
            log("Teams channel not configured (%s unset): it answers 503.", ", ".join(n for n, v in settings if not v))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        teams_webhook = Blueprint("teams_webhook", __name__)

        @teams_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if self.auth is None:
                return response.text("Teams is not configured.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            try:
                activity = request.json
            except InvalidUsage:
                activity = None
            if not isinstance(activity, dict):
                return response.text("An activity is a JSON object.", status=HTTPStatus.BAD_REQUEST)
            try:
                await self.auth.check(request.headers.get("Authorization"), activity)
            except Refused as refused:
                logger.warning("Refused a Teams request: %s.", refused.reason)
                return response.text("Not a valid Bot Connector request.", status=refused.status)
            if activity.get("type") != "message":
                return response.text("", status=HTTPStatus.OK)
            try:
                output = TeamsOutput(self.auth, activity)
                sender = str(activity["from"]["id"])
            except (KeyError, TypeError, AttributeError):
                return response.text("The activity lacks its conversation or sender.", status=HTTPStatus.BAD_REQUEST)
            text = message_text(activity)
            if not self.rate_limit.allow(sender):
                # The activity is acknowledged (Teams would retry an error); the sender is told to wait.
                await output.send_text_message(sender, too_many(text))
                return response.text("", status=HTTPStatus.OK)
            await on_new_message(UserMessage(text, output, sender, input_channel=self.name()))
            return response.text("", status=HTTPStatus.OK)

        return teams_webhook
