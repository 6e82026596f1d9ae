"""Calls to the action server reuse kept-alive connections (bot/endpoint_sessions.py), with the
same requests as Rasa's own, and every session is closed in the end."""
import asyncio
import gc
import json
import logging

import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

import bot.component  # noqa: F401  (installs it, as loading the model does)
from bot import endpoint_sessions


def test_loading_the_components_installs_it():
    assert EndpointConfig.session is endpoint_sessions.shared_session


async def serve(seen):
    async def webhook(request):
        seen.append((request.transport.get_extra_info("peername"), dict(request.query),
                     request.headers.get("X-Test"), await request.json()))
        if request.query.get("fail"):
            return web.Response(status=500, text="broken")
        return web.json_response({"events": [], "responses": [{"text": "ok"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


def test_calls_share_one_connection_and_send_what_rasa_sends(caplog):
    seen = []

    async def calls():
        runner, port = await serve(seen)
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", token="secret",
                                  headers={"X-Test": "yes"})
        replies = [await endpoint.request(json={"n": n}, method="post") for n in range(5)]
        with pytest.raises(ClientResponseError):
            await endpoint.request(json={"n": 5}, method="post", params={"fail": "1"})
        await runner.cleanup()
        return endpoint, replies

    with caplog.at_level(logging.DEBUG):
        endpoint, replies = asyncio.run(calls())
        assert replies == [{"events": [], "responses": [{"text": "ok"}]}] * 5
        assert [body for *_, body in seen] == [{"n": n} for n in range(6)]
        assert {peer for peer, *_ in seen[:5]} == {seen[0][0]}  # one connection for all five
        assert all(query["token"] == "secret" and header == "yes" for _, query, header, _ in seen)

        session = endpoint._shared_session
        endpoint_sessions.close_all()
        assert session.closed
        del session, endpoint
        gc.collect()
    assert "Unclosed" not in caplog.text


def test_a_new_event_loop_gets_a_new_session_and_the_old_one_is_closed():
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")

    async def session():
        async with endpoint.session() as s:
            return s

    first = asyncio.run(session())
    second = asyncio.run(session())
    assert first is not second and first.closed and not second.closed
    endpoint_sessions.close_all()
    assert second.closed


def test_the_body_holds_the_json_values_the_standard_library_writes():
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    tracker = DialogueStateTracker.from_events("sender/ø", [
        ActionExecuted("action_listen"),
        UserUttered("Hva gjør verneombudet? <b>«æøå»</b> 😀", {"name": "ask_role", "confidence": 0.1 + 0.2},
                    [{"entity": "ia_role", "value": "verneombud", "start": 8, "end": 21}]),
        SlotSet("employees", 10**20), SlotSet("ratio", -0.0), SlotSet("empty", None), SlotSet("list", [True, 1.5e-300]),
        BotUttered("Svar\nmed linjeskift og \"sitat\" og \\ og /", {"buttons": [{"title": "Ja", "payload": "/affirm"}]}),
    ])
    body = {"next_action": "action_answer_role", "tracker": tracker.current_state(EventVerbosity.ALL)}
    assert json.loads(endpoint_sessions.dumps(body)) == json.loads(json.dumps(body))


def test_a_value_json_cannot_write_is_refused_as_before():
    for value in ({"x": object()}, {"x": {1, 2}}):
        with pytest.raises(TypeError):
            json.dumps(value)
        with pytest.raises(TypeError):
            endpoint_sessions.dumps(value)
