"""Property-based fuzzing of the HTTP endpoints of the real Rasa server: whatever arrives, the
answer is a reply or a clean 4xx, never a 500, the server logs no error, and it keeps answering."""
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_server import API_TOKEN, ask, entry_text, logs_stay_clean, server  # noqa: F401

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=200),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=20), inner, max_size=5),
    max_leaves=20,
)
# Messages as people and scripts send them: any text, markup, emoji, control characters, long runs.
messages = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=2000),
    st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE events; --", "😀" * 1000, "\x00\x1b[31m", " " * 50]),
)


def request(url, body=None, method="POST"):
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def webhook(server):  # noqa: F811
    return server["url"] + "/webhooks/rest/webhook"


@FUZZ
@given(body=json_values)
def test_any_json_body_gets_a_reply_or_a_clean_4xx(server, body):  # noqa: F811
    status, reply = request(webhook(server), json.dumps(body).encode())
    assert status in (200, 400, 429), (status, reply[:300])
    if status == 200:
        assert isinstance(json.loads(reply), list)


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_any_bytes_get_a_clean_4xx(server, raw):  # noqa: F811
    status, reply = request(webhook(server), raw)
    assert status in (200, 400, 429), (status, reply[:300])


@FUZZ
@given(message=messages, sender=st.text(min_size=1, max_size=200))
def test_any_message_from_any_sender_gets_a_reply_or_a_clean_4xx(server, message, sender):  # noqa: F811
    status, reply = request(webhook(server), json.dumps({"sender": sender, "message": message}).encode())
    assert status in (200, 400, 429), (status, reply[:300])
    if status == 200:
        assert all("text" in m or "custom" in m or "buttons" in m for m in json.loads(reply))


@FUZZ
@given(text=messages)
def test_the_parse_endpoint_takes_any_text(server, text):  # noqa: F811
    status, reply = request(f"{server['url']}/model/parse?token={API_TOKEN}", json.dumps({"text": text}).encode())
    assert status in (200, 400), (status, reply[:300])


@FUZZ
@given(sender=st.text(min_size=1, max_size=300))
def test_any_conversation_id_in_the_tracker_url(server, sender):  # noqa: F811
    quoted = urllib.parse.quote(sender, safe="")
    status, reply = request(f"{server['url']}/conversations/{quoted}/tracker?token={API_TOKEN}", method="GET")
    assert status in (200, 400, 404), (status, reply[:300])


def test_the_server_still_answers_after_the_fuzzing(server, kb):  # noqa: F811
    [answer] = ask(server, "Hva er IA-avtalen?", uuid.uuid4().hex)
    assert answer["text"] == entry_text(kb.topics["ask_ia_agreement"])
