"""The assistant in Slack: the real Rasa server and action server with the Slack channel configured,
Slack's Web API replaced by a local stand-in, and events signed as Slack signs them."""
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from actions.render import answer_text
from bot.slack_channel import slack_text
from tests.stand_in import WAIT, StandIn
# logs_stay_clean: the autouse check that no test makes a server log an ERROR or a traceback.
from tests.test_server import get, logs_stay_clean, running_servers  # noqa: F401

BOT_TOKEN = "xoxb-" + uuid.uuid4().hex
SIGNING_SECRET = uuid.uuid4().hex
BOT_USER = "UBOT0001"
GREETING_PAYLOAD = '/ask_role{"ia_role":"verneombud"}'
POST_MESSAGE = r"/api/chat\.postMessage"


def post_message(request):
    if request["headers"].get("Authorization") != f"Bearer {BOT_TOKEN}":
        return 200, {"ok": False, "error": "invalid_auth"}
    return 200, {"ok": True, "channel": request["body"]["channel"], "ts": f"{time.time():.6f}"}


@pytest.fixture(scope="module")
def slack():
    with StandIn({("POST", POST_MESSAGE): post_message}) as stand_in:
        yield stand_in


BURST = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory, slack):
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.url + "/api/",
        # A small burst, so that the flood test needs few messages; each other test sends fewer.
        "RATE_LIMIT_BURST": str(BURST), "RATE_LIMIT_PER_MINUTE": "6",
    }
    with running_servers(tmp_path_factory.mktemp("slack"), env) as started:
        yield started


def signed(body: bytes, timestamp=None, secret=SIGNING_SECRET):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def send(server, body: bytes, content_type: str, headers):
    """Status, headers and text of the webhook's answer."""
    request = urllib.request.Request(
        server["url"] + "/webhooks/slack/webhook", data=body, headers={"Content-Type": content_type, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read().decode()


def event_body(text, user, channel, kind="message", event_id=None):
    event = {"type": kind, "user": user, "text": text, "channel": channel, "ts": f"{time.time():.6f}"}
    if kind == "message":
        event["channel_type"] = "im"
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
            "event_time": int(time.time()),
            "authorizations": [{"user_id": BOT_USER, "is_bot": True}],
            "event": event,
        }
    ).encode()


def say(server, text, user, channel, **kwargs):
    body = event_body(text, user, channel, **kwargs)
    status, _, _ = send(server, body, "application/json", signed(body))
    assert status == 200
    return body


def click(server, value, user, channel):
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"id": channel},
        "message": {"ts": f"{time.time():.6f}"},
        "actions": [{"type": "button", "action_id": "button_0", "value": value}],
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    status, _, _ = send(server, body, "application/x-www-form-urlencoded", signed(body))
    assert status == 200


def posts_to(slack, channel, count):
    return [r["body"] for r in slack.wait_for(count, "POST", POST_MESSAGE, lambda r: r["body"]["channel"] == channel)]


def ids():
    tag = uuid.uuid4().hex[:8].upper()
    return "U" + tag, "D" + tag


def tracker(server, sender):
    return get(f"{server['url']}/conversations/{sender}/tracker")


def heard(server, sender, count):
    """The user events of the conversation once it holds `count` of them: Rasa posts a turn's
    answers before it saves the turn, so the tracker can lag behind the stand-in for a moment."""
    deadline = time.monotonic() + WAIT
    while True:
        events = [e for e in tracker(server, sender)["events"] if e["event"] == "user"]
        if len(events) >= count or time.monotonic() > deadline:
            return events
        time.sleep(0.2)


def user_texts(server, sender, count):
    return [e["text"] for e in heard(server, sender, count)]


def test_a_signed_direct_message_is_answered_through_the_web_api(server, slack, kb):
    user, channel = ids()
    say(server, "Hva gjør verneombudet i IA-arbeidet?", user, channel)
    [posted] = posts_to(slack, channel, 1)
    entry = kb.roles["verneombud"]
    assert posted["text"] == slack_text(answer_text(entry))
    assert "as_user" not in posted
    section, actions = posted["blocks"]
    assert section["text"]["text"] == slack_text(answer_text(entry))
    assert "<https://" in section["text"]["text"]
    assert [b["text"]["text"] for b in actions["elements"]] == [kb.resolve(r).question for r in entry.next]
    assert [b["value"] for b in actions["elements"]] == [kb.payload(r) for r in entry.next]


def test_a_mention_in_a_channel_reaches_the_nlu_without_the_mention(server, slack, kb):
    user, _ = ids()
    channel = "C" + user[1:]
    say(server, f"<@{BOT_USER}> Hva gjør verneombudet i IA-arbeidet?", user, channel, kind="app_mention")
    [posted] = posts_to(slack, channel, 1)
    assert posted["text"] == slack_text(answer_text(kb.roles["verneombud"]))
    assert user_texts(server, user, 1) == ["Hva gjør verneombudet i IA-arbeidet?"]


def test_buttons_arrive_as_block_kit_and_a_click_comes_back_as_the_intent(server, slack, kb):
    user, channel = ids()
    say(server, "hei", user, channel)
    [greeting] = posts_to(slack, channel, 1)
    [first] = [b for b in greeting["blocks"] if b["type"] == "actions"][0]["elements"][:1]
    assert first["type"] == "button" and first["value"] == GREETING_PAYLOAD
    click(server, first["value"], user, channel)
    answer = posts_to(slack, channel, 2)[1]
    assert answer["text"] == slack_text(answer_text(kb.roles["verneombud"]))
    clicked = heard(server, user, 2)[1]
    assert clicked["text"] == GREETING_PAYLOAD
    assert clicked["parse_data"]["intent"]["name"] == "ask_role"
    assert [(e["entity"], e["value"]) for e in clicked["parse_data"]["entities"]] == [("ia_role", "verneombud")]


def test_more_than_five_buttons_are_all_sent(server, slack):
    user, channel = ids()
    say(server, "Hvem kan vi kontakte for å få hjelp med IA-arbeidet?", user, channel)
    [question] = posts_to(slack, channel, 1)
    buttons = [e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert len(buttons) == 16  # the 15 counties and "vet ikke"
    assert len({b["action_id"] for b in buttons}) == 16


@pytest.mark.parametrize("reason", ["http_timeout", "http_error"])
def test_a_retried_event_is_answered_once(server, slack, reason):
    user, channel = ids()
    first = say(server, "Hva er IA-avtalen?", user, channel)
    posts_to(slack, channel, 1)
    retry_headers = {**signed(first), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": reason}
    status, headers, _ = send(server, first, "application/json", retry_headers)
    assert status == 200
    # Messages of one conversation are handled in order: when the next one is answered, an
    # answer to the retry would have been posted before it.
    say(server, "Takk!", user, channel)
    posts_to(slack, channel, 2)
    assert len([r for r in slack.received("POST", POST_MESSAGE) if r["body"]["channel"] == channel]) == 2
    assert user_texts(server, user, 2) == ["Hva er IA-avtalen?", "Takk!"]
    # Slack is told not to try again.
    assert headers["X-Slack-No-Retry"] == "1"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="unsigned"),
        pytest.param({"X-Slack-Signature": "v0=" + "0" * 64, "X-Slack-Request-Timestamp": "now"}, id="bad timestamp"),
        pytest.param("wrong secret", id="wrong secret"),
        pytest.param("stale", id="older than five minutes"),
    ],
)
def test_requests_without_a_valid_recent_signature_are_refused(server, slack, headers):
    user, channel = ids()
    body = event_body("Hva er IA-avtalen?", user, channel)
    if headers == "wrong secret":
        headers = signed(body, secret=uuid.uuid4().hex)
    elif headers == "stale":
        headers = signed(body, timestamp=int(time.time()) - 6 * 60)
    status, _, _ = send(server, body, "application/json", headers)
    assert status == 401
    # The same user's next, signed message is the first one the assistant hears and answers.
    say(server, "Takk!", user, channel)
    posts_to(slack, channel, 1)
    assert user_texts(server, user, 1) == ["Takk!"]
    assert len([r for r in slack.received("POST", POST_MESSAGE) if r["body"]["channel"] == channel]) == 1


def test_slacks_url_verification_is_answered_only_when_signed(server):
    body = json.dumps({"type": "url_verification", "token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}).encode()
    status, _, text = send(server, body, "application/json", signed(body))
    assert status == 200 and json.loads(text) == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    status, _, _ = send(server, body, "application/json", {})
    assert status == 401


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"{not json", "application/json"),
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        (b"payload=" + urllib.parse.quote_plus('{"actions": [{"type": "button", "value": "/greet"}]}').encode(),
         "application/x-www-form-urlencoded"),
        (b"hei", "text/plain"),
    ],
)
def test_a_signed_request_that_cannot_be_read_is_refused_politely(server, body, content_type):
    status, _, text = send(server, body, content_type, signed(body))
    assert status == 400 and text


def test_a_user_who_floods_is_asked_to_wait_in_their_standard_and_others_are_not(server, slack, kb):
    from actions import phrases

    user, channel = ids()
    for _ in range(BURST + 2):
        say(server, "Kva er IA-avtalen?", user, channel)
    posted = [p["text"] for p in posts_to(slack, channel, BURST + 2)]
    wait = slack_text(phrases.text("service.too_many", "nn"))
    # Slack gets its acknowledgement at once and the answers come as they are ready, so the
    # order of the posts is not the order of the messages.
    assert posted.count(wait) == 2
    assert len(heard(server, user, BURST)) == BURST
    other, elsewhere = ids()
    say(server, "Hva er IA-avtalen?", other, elsewhere)
    [answer] = posts_to(slack, elsewhere, 1)
    assert answer["text"] == slack_text(answer_text(kb.topics["ask_ia_agreement"]))
