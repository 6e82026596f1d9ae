"""The web chat's channel: Rasa's Socket.IO channel with every conversation bound to a token.

Rasa's own `socketio` channel lets anyone who knows (or guesses) a session id join that
conversation's room and write into it; its optional JWT is checked once, on connect, and is
bound to nothing. Here the server makes every session id itself and hands it out with a
short-lived JWT whose `sub` is that id. A connection that shows a valid token is bound to its
session for good; one without a token can only ask for a new session. Every message is
written into the session the connection is bound to, never into one the client names.

It also serves the chat's bundle (web/dist/ia-chat.js) and, if `demo` is on, the demo page,
under /webchat/, so one port serves the page, the script and the socket.

Configuration (credentials.yml under `bot.webchat.WebChatInput`, secrets from the environment):
- WEBCHAT_JWT_KEY: the key the tokens are signed with (at least 32 characters). Unset, a random
  key is made at start, and conversations cannot be continued after a restart.
- WEBCHAT_ALLOWED_ORIGINS: the other origins (space or comma separated, e.g.
  "https://www.nav.no https://www.idebanken.org") whose pages may open the socket. The
  server's own origin is always allowed, every other one refused.
- `token_ttl` (seconds, default 3600): a conversation ends after this long without a message.
- `demo` (default true): serve the demo page at /webchat/.
"""
import asyncio
import logging
import os
import re
import secrets
import time
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import jwt
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError

from bot.rate_limit import SenderRateLimit, too_many

logger = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parent.parent / "web"
# The only files served, with their types.
FILES = {
    "ia-chat.js": (WEB / "dist" / "ia-chat.js", "text/javascript; charset=utf-8"),
    "demo.css": (WEB / "demo" / "demo.css", "text/css; charset=utf-8"),
    "index.html": (WEB / "demo" / "index.html", "text/html; charset=utf-8"),
}
# The demo page loads nothing but its own stylesheet and script and talks only to this server.
DEMO_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

ALGORITHM = "HS256"
MIN_KEY_LENGTH = 32
# What a client may say about itself: the language of the page it sits on.
LANG = re.compile(r"^[a-z]{2,3}$")
# What the client is told when its token is not accepted; it then starts a new session.
INVALID_SESSION = "invalid_session"


def key_from_environment() -> str:
    key = os.environ.get("WEBCHAT_JWT_KEY", "")
    if not key:
        logger.info("WEBCHAT_JWT_KEY is not set: web chat sessions end when the server restarts.")
        return secrets.token_urlsafe(32)
    if len(key) < MIN_KEY_LENGTH:
        raise ValueError(f"WEBCHAT_JWT_KEY must be at least {MIN_KEY_LENGTH} characters long.")
    return key


def origins_from_environment() -> List[str]:
    origins = [o.strip().rstrip("/").lower() for o in re.split(r"[\s,]+", os.environ.get("WEBCHAT_ALLOWED_ORIGINS", ""))]
    origins = [o for o in origins if o]
    for origin in origins:
        if not re.fullmatch(r"https?://[a-z0-9.-]+(:\d+)?", origin):
            raise ValueError(
                f"WEBCHAT_ALLOWED_ORIGINS: {origin!r} is not an origin such as https://www.nav.no "
                "(every origin must be listed; '*' is not accepted)."
            )
    return origins


def own_origins(environ: Dict[str, Any]) -> List[str]:
    """The origins this server is reached at, as a browser on a page it serves names them."""
    host = environ.get("HTTP_HOST", "")
    request = environ.get("sanic.request")
    scheme = "https" if request is not None and request.scheme in ("https", "wss") else "http"
    origins = [f"{scheme}://{host}"]
    if "HTTP_X_FORWARDED_PROTO" in environ or "HTTP_X_FORWARDED_HOST" in environ:
        proto = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
        forwarded = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
        origins.append(f"{proto}://{forwarded}")
    return [o.lower() for o in origins]


def clean_metadata(metadata: Any) -> Dict[str, str]:
    """Only the page's language is taken from the client."""
    lang = metadata.get("lang") if isinstance(metadata, dict) else None
    return {"lang": lang} if isinstance(lang, str) and LANG.match(lang) else {}


class WebChatOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """The custom payload's `data` (the draft document) as one bot message. Rasa's channel
        passes every key of the payload to `emit` as an argument, so any other key failed."""
        await self._send_message(recipient_id, json_message.get("data", json_message))


class WebChatInput(SocketIOInput):
    """Socket.IO for the embeddable web chat, with server-made sessions and tokens."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            token_ttl=int(credentials.get("token_ttl", 3600)),
            demo=bool(credentials.get("demo", True)),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        socketio_path: Text = "/socket.io",
        token_ttl: int = 3600,
        demo: bool = True,
    ) -> None:
        super().__init__(
            user_message_evt=user_message_evt,
            bot_message_evt=bot_message_evt,
            session_persistence=True,
            socketio_path=socketio_path,
            jwt_key=key_from_environment(),
            jwt_method=ALGORITHM,
        )
        self.token_ttl = token_ttl
        self.demo = demo
        self.allowed_origins = origins_from_environment()
        self.rate_limit = SenderRateLimit()

    def url_prefix(self) -> Text:
        # Absolute, so Rasa serves the channel at /webchat/ and not under /webhooks/.
        return "/webchat"

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else super().get_output_channel()

    # ----- tokens ------------------------------------------------------------------------------
    def issue_token(self, session_id: str) -> Dict[str, Any]:
        now = int(time.time())
        expires = now + self.token_ttl
        token = jwt.encode({"sub": session_id, "iat": now, "exp": expires}, self.jwt_key, algorithm=ALGORITHM)
        return {"session_id": session_id, "token": token, "expires": expires}

    def verify_token(self, token: Any) -> Optional[Dict[str, Any]]:
        if not isinstance(token, str):
            return None
        try:
            claims = jwt.decode(
                token, self.jwt_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]}
            )
        except jwt.InvalidTokenError:
            return None
        return claims if isinstance(claims.get("sub"), str) and claims["sub"] else None

    def origin_allowed(self, origin: Optional[str], environ: Dict[str, Any]) -> bool:
        """Whether a page at `origin` may open the socket. Asked for every request; one without an
        Origin header comes from no web page (a browser always sends it with a socket)."""
        if origin is None:
            return False
        allowed = origin.rstrip("/").lower() in self.allowed_origins + own_origins(environ)
        if not allowed:
            logger.warning(f"Web chat: refused a connection from the page origin {origin!r}.")
        return allowed

    # ----- the channel -------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # No cookies are used: pages get no credentialed cross-origin access.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.origin_allowed, cors_credentials=False)
        webchat = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)
        self.sio = sio

        async def serve(name: str) -> HTTPResponse:
            path, content_type = FILES[name]
            if not path.exists():
                logger.warning(f"Web chat: {path} is missing; build it with `make web`.")
                return response.text(f"{path.name} is not built: run `make web`.", status=404)
            headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
            if name == "index.html":
                headers["Content-Security-Policy"] = DEMO_POLICY
            return response.raw(path.read_bytes(), content_type=content_type, headers=headers)

        @webchat.route("/ia-chat.js", methods=["GET"])
        async def bundle(_: Request) -> HTTPResponse:
            return await serve("ia-chat.js")

        if self.demo:
            @webchat.route("/", methods=["GET"])
            async def demo_page(_: Request) -> HTTPResponse:
                return await serve("index.html")

            @webchat.route("/demo.css", methods=["GET"])
            async def demo_style(_: Request) -> HTTPResponse:
                return await serve("demo.css")

        @webchat.listener("before_server_stop")
        async def close_connections(*_: Any) -> None:
            # Closes every open socket (the pages reconnect by themselves) and ends the sockets'
            # waiting ping tasks before the server stops: otherwise asyncio logs each of them
            # as an error ("Task was destroyed but it is pending").
            if sio.eio.sockets:  # (engineio's disconnect-all fails when there are none)
                await sio.eio.disconnect()
            await sio.shutdown()
            for task in asyncio.all_tasks():
                if getattr(task.get_coro(), "__qualname__", "") == "AsyncSocket._send_ping":
                    task.cancel()

        @sio.on("connect")
        async def connect(sid: Text, environ: Dict, auth: Any) -> None:
            token = auth.get("token") if isinstance(auth, dict) else None
            if token is None:
                await sio.save_session(sid, {})
                return
            claims = self.verify_token(token)
            if claims is None:
                logger.warning("Web chat: refused a connection with an invalid or expired token.")
                raise ConnectionRefusedError(INVALID_SESSION)
            await sio.save_session(sid, {"session_id": claims["sub"]})

        @sio.on("session_request")
        async def session_request(sid: Text, data: Any) -> None:
            session = await sio.get_session(sid)
            session_id = session.get("session_id")
            requested = data.get("session_id") if isinstance(data, dict) else None
            if session_id is None:
                # A connection without a token gets a new session, whatever id it asks for.
                session_id = uuid.uuid4().hex
                await sio.save_session(sid, {"session_id": session_id})
            elif requested and requested != session_id:
                logger.warning("Web chat: a connection asked for a session its token is not for.")
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", self.issue_token(session_id), room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: Text, data: Any) -> None:
            session_id = (await sio.get_session(sid)).get("session_id")
            if not isinstance(data, dict) or session_id is None or data.get("session_id") != session_id:
                logger.warning("Web chat: refused a message for a session the connection is not bound to.")
                await sio.emit("session_refused", {"reason": INVALID_SESSION}, room=sid)
                return
            if not self.rate_limit.allow(session_id):
                await WebChatOutput(sio, self.bot_message_evt).send_text_message(
                    session_id, too_many(data.get("message"), clean_metadata(data.get(self.metadata_key)))
                )
                await sio.emit("session_confirm", self.issue_token(session_id), room=sid)
                return
            text = data.get("message")
            message = UserMessage(
                text if isinstance(text, str) else "",
                WebChatOutput(sio, self.bot_message_evt),
                session_id,
                input_channel=self.name(),
                metadata=clean_metadata(data.get(self.metadata_key)),
            )
            try:
                await on_new_message(message)
            finally:
                # The turn is over (the chat hides its typing indicator), and the token is
                # renewed: each message keeps the conversation open for another token_ttl.
                await sio.emit("session_confirm", self.issue_token(session_id), room=sid)

        return webchat
