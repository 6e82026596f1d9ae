"""The assistant in Microsoft Teams: the real Rasa server and action server with the Teams channel
configured; Microsoft's OpenID metadata, signing keys, login and Bot Connector service replaced by a
local stand-in, with RSA keys made in the test."""
import json
import re
import time
import urllib.error
import urllib.request
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from actions.fallback import not_understood
from actions.render import answer_text
from bot.teams_channel import message_text
from tests.stand_in import StandIn
# logs_stay_clean: the autouse check that no test makes a server log an ERROR or a traceback.
from tests.test_server import get, logs_stay_clean, running_servers  # noqa: F401

APP_ID = str(uuid.uuid4())
APP_PASSWORD = uuid.uuid4().hex
TENANT = str(uuid.uuid4())
KEY_ID = "test-key-1"
ISSUER = "https://api.botframework.com"
ACCESS_TOKEN = "outgoing-" + uuid.uuid4().hex
GREETING_PAYLOAD = '/ask_role{"ia_role":"verneombud"}'

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
REPLIES = r"/teams/v3/conversations/[^/]+/activities"
TOKEN_PATH = f"/{TENANT}/oauth2/v2.0/token"


@pytest.fixture(scope="module")
def microsoft():
    jwk = {**json.loads(RSAAlgorithm.to_jwk(KEY.public_key())), "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}

    def token(request):
        expected = {
            "grant_type": "client_credentials",
            "client_id": APP_ID,
            "client_secret": APP_PASSWORD,
            "scope": "https://api.botframework.com/.default",
        }
        if request["body"] != expected:
            return 401, {"error": "invalid_client"}
        return 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": ACCESS_TOKEN}

    def reply(request):
        if request["headers"].get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return 401, {"error": "Unauthorized"}
        return 201, {"id": uuid.uuid4().hex}

    stand_in = StandIn(
        {
            ("GET", "/openid"): lambda r: (
                200,
                {
                    "issuer": ISSUER,
                    "jwks_uri": stand_in.url + "/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                },
            ),
            ("GET", "/keys"): lambda r: (200, {"keys": [jwk]}),
            ("POST", TOKEN_PATH): token,
            ("POST", REPLIES): reply,
        }
    )
    with stand_in:
        yield stand_in


BURST = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory, microsoft):
    env = {
        "TEAMS_APP_ID": APP_ID,
        "TEAMS_APP_PASSWORD": APP_PASSWORD,
        "TEAMS_APP_TENANT_ID": TENANT,
        "TEAMS_OPENID_METADATA_URL": microsoft.url + "/openid",
        "TEAMS_LOGIN_URL": microsoft.url,
        # A small burst, so that the flood test needs few messages; each other test sends fewer.
        "RATE_LIMIT_BURST": str(BURST), "RATE_LIMIT_PER_MINUTE": "6",
    }
    with running_servers(tmp_path_factory.mktemp("teams"), env) as started:
        yield started


def service_url(microsoft):
    return microsoft.url + "/teams/"


def token_for(microsoft, key=KEY, kid=KEY_ID, **claims):
    now = int(time.time())
    body = {"iss": ISSUER, "aud": APP_ID, "nbf": now - 60, "exp": now + 3600, "serviceurl": service_url(microsoft)}
    body.update(claims)
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm="RS256", headers={"kid": kid})


def activity(microsoft, text, user, conversation=None, **extra):
    return {
        "type": "message",
        "id": uuid.uuid4().hex,
        "channelId": "msteams",
        "serviceUrl": service_url(microsoft),
        "from": {"id": user, "name": "Kari Nordmann"},
        "conversation": {"id": conversation or f"a:{uuid.uuid4().hex}", "conversationType": "personal", "tenantId": TENANT},
        "recipient": {"id": f"28:{APP_ID}", "name": "IA-assistent"},
        "text": text,
        "textFormat": "plain",
        "locale": "nb-NO",
        **extra,
    }


def send(server, body, authorization):
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(server["url"] + "/webhooks/teams/webhook", data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def replies_in(microsoft, conversation):
    path = re.escape(f"/teams/v3/conversations/{conversation}/activities")
    return [r["body"] for r in microsoft.received("POST", path)]


def say(server, microsoft, text, user, conversation=None, **extra):
    """Sends an activity with a valid token; the replies it got (the channel answers before it returns)."""
    body = activity(microsoft, text, user, conversation, **extra)
    assert send(server, body, f"Bearer {token_for(microsoft)}") == 200
    return replies_in(microsoft, body["conversation"]["id"])


def tracker(server, sender):
    return get(f"{server['url']}/conversations/{sender}/tracker")


def user_events(server, sender):
    """What the assistant heard from `sender`."""
    return [e["text"] for e in tracker(server, sender)["events"] if e["event"] == "user"]


def new_user():
    return f"29:{uuid.uuid4().hex}"


def test_a_valid_activity_is_answered_through_the_service_url(server, microsoft, kb):
    user = new_user()
    [reply] = say(server, microsoft, "Hva gjør verneombudet i IA-arbeidet?", user)
    entry = kb.roles["verneombud"]
    assert reply["type"] == "message" and reply["textFormat"] == "plain"
    assert reply["text"] == answer_text(entry)
    assert reply["recipient"]["id"] == user and reply["from"]["id"] == f"28:{APP_ID}"
    actions = [a for card in reply["attachments"] for a in card["content"]["buttons"]]
    assert {card["contentType"] for card in reply["attachments"]} == {"application/vnd.microsoft.card.hero"}
    assert [a["title"] for a in actions] == [kb.resolve(r).question for r in entry.next]
    assert [(a["type"], a["text"]) for a in actions] == [("messageBack", kb.payload(r)) for r in entry.next]
    # The bot's own token came from the app's tenant with the client credentials, and is reused.
    say(server, microsoft, "Takk!", user)
    assert len(microsoft.received("POST", TOKEN_PATH)) == 1
    assert len(microsoft.received("GET", "/openid")) == 1


def test_a_button_click_arrives_as_the_intent(server, microsoft, kb):
    user = new_user()
    conversation = f"a:{uuid.uuid4().hex}"
    [greeting] = say(server, microsoft, "hei", user, conversation)
    first = greeting["attachments"][0]["content"]["buttons"][0]
    assert first["type"] == "messageBack" and first["text"] == GREETING_PAYLOAD
    assert first["displayText"] == first["title"]
    # Teams sends a messageBack click as a message with the action's text and value.
    replies = say(server, microsoft, first["text"], user, conversation, value=first["value"])
    assert replies[-1]["text"] == answer_text(kb.roles["verneombud"])
    latest = tracker(server, user)["latest_message"]
    assert latest["intent"]["name"] == "ask_role"
    assert [(e["entity"], e["value"]) for e in latest["entities"]] == [("ia_role", "verneombud")]


def test_a_mention_in_a_team_channel_is_removed_before_the_nlu(server, microsoft, kb):
    user = new_user()
    conversation = f"19:{uuid.uuid4().hex}@thread.tacv2;messageid=1700000000000"
    mention = {"type": "mention", "text": "<at>IA-assistent</at>", "mentioned": {"id": f"28:{APP_ID}", "name": "IA-assistent"}}
    [reply] = say(
        server, microsoft, "<at>IA-assistent</at> Hva gjør verneombudet i IA-arbeidet?", user, conversation,
        entities=[mention],
    )
    assert reply["text"] == answer_text(kb.roles["verneombud"])
    assert reply["conversation"]["id"] == conversation
    assert user_events(server, user) == ["Hva gjør verneombudet i IA-arbeidet?"]


def test_a_bare_mention_gets_a_polite_answer(server, microsoft):
    conversation = f"19:{uuid.uuid4().hex}@thread.tacv2;messageid=1700000000001"
    [reply] = say(server, microsoft, "<at>IA-assistent</at>", new_user(), conversation)
    assert reply["text"] == not_understood("empty")


def test_mentions_of_other_people_are_removed_too():
    text = message_text(
        {"text": "<at>IA-assistent</at> hva sier <at>Ola Nordmann</at> om IA?", "recipient": {"id": "28:x"}, "entities": []}
    )
    assert text == "hva sier om IA?"


@pytest.mark.parametrize(
    "authorization, status",
    [
        pytest.param(None, 401, id="no token"),
        pytest.param("Basic dXNlcjpwYXNz", 401, id="not a bearer token"),
        pytest.param("Bearer not-a-jwt", 401, id="not a JWT"),
        pytest.param(lambda ms: token_for(ms, key=OTHER_KEY), 403, id="forged signature"),
        pytest.param(lambda ms: token_for(ms, kid="unknown-key"), 403, id="unknown key"),
        pytest.param(lambda ms: token_for(ms, exp=int(time.time()) - 3600), 403, id="expired"),
        pytest.param(lambda ms: token_for(ms, exp=None), 403, id="no expiry"),
        pytest.param(lambda ms: token_for(ms, aud=str(uuid.uuid4())), 403, id="wrong audience"),
        pytest.param(lambda ms: token_for(ms, iss="https://sts.windows.net/someone/"), 403, id="wrong issuer"),
        pytest.param(lambda ms: token_for(ms, serviceurl="https://evil.example/"), 403, id="other service URL"),
        pytest.param(lambda ms: token_for(ms, serviceurl=None), 403, id="no service URL"),
        pytest.param(lambda ms: jwt.encode({"iss": ISSUER, "aud": APP_ID, "exp": int(time.time()) + 60, "serviceurl": service_url(ms)},
                                           uuid.uuid4().hex * 2, algorithm="HS256", headers={"kid": KEY_ID}), 403, id="HS256"),
    ],
)
def test_a_request_without_a_valid_token_is_refused(server, microsoft, authorization, status):
    user = new_user()
    body = activity(microsoft, "Hva er IA-avtalen?", user)
    if callable(authorization):
        authorization = f"Bearer {authorization(microsoft)}"
    assert send(server, body, authorization) == status
    assert replies_in(microsoft, body["conversation"]["id"]) == []
    assert user_events(server, user) == []


def test_a_channel_the_key_is_not_endorsed_for_is_refused(server, microsoft):
    user = new_user()
    body = activity(microsoft, "Hva er IA-avtalen?", user, channelId="webchat")
    assert send(server, body, f"Bearer {token_for(microsoft)}") == 403
    assert user_events(server, user) == []


def test_a_user_who_floods_is_asked_to_wait_in_their_standard_and_others_are_not(server, microsoft, kb):
    from actions import phrases

    user, conversation = new_user(), f"a:{uuid.uuid4().hex}"
    for _ in range(BURST + 2):
        replies = say(server, microsoft, "Kva er IA-avtalen?", user, conversation)
    texts = [r["text"] for r in replies]
    wait = phrases.text("service.too_many", "nn")
    assert texts.count(wait) == 2 and wait not in texts[:BURST]  # Teams waits for each answer
    assert len(user_events(server, user)) == BURST
    [answer] = say(server, microsoft, "Hva er IA-avtalen?", new_user())
    assert answer["text"] == answer_text(kb.topics["ask_ia_agreement"])
