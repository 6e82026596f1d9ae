"""Turns wait in line (bot/turn_limit.py): at most RASA_TURNS_AT_ONCE of them are worked on at
once in one process, first come, first served; 0 is Rasa's own behaviour. Rasa's own turn
handling is replaced here by a turn that records when it runs, so that the line can be seen."""
import asyncio

import pytest
from rasa.core.processor import MessageProcessor

import bot.component  # noqa: F401  (installs it, as loading the model does)
from bot import turn_limit


@pytest.fixture
def recorded(monkeypatch):
    """Each turn logs its start and end and takes two ticks of the event loop; turn "boom" fails."""
    log = []

    async def turn(self, message):
        log.append(("start", message))
        await asyncio.sleep(0.01)
        log.append(("end", message))
        if message == "boom":
            raise RuntimeError("the turn failed")
        return [message]

    monkeypatch.setattr(turn_limit, "_handle_message", turn)
    yield log
    # The line as the rest of this process expects it: the setting's default.
    monkeypatch.delenv("RASA_TURNS_AT_ONCE", raising=False)
    turn_limit.install()


def most_at_once(log):
    running = most = 0
    for what, _ in log:
        running += 1 if what == "start" else -1
        most = max(most, running)
    return most


async def ten_turns():
    return await asyncio.gather(*(turn_limit.handle_message(None, i) for i in range(10)))


def test_loading_the_components_installs_it():
    assert MessageProcessor.handle_message is turn_limit.handle_message


def test_two_turns_at_once_by_default_in_the_order_they_came(recorded, monkeypatch):
    monkeypatch.delenv("RASA_TURNS_AT_ONCE", raising=False)
    turn_limit.install()
    assert asyncio.run(ten_turns()) == [[i] for i in range(10)]
    assert most_at_once(recorded) == turn_limit.DEFAULT == 2
    assert [m for what, m in recorded if what == "start"] == list(range(10))


def test_the_setting_sets_the_line_and_0_turns_it_off(recorded, monkeypatch):
    monkeypatch.setenv("RASA_TURNS_AT_ONCE", "3")
    turn_limit.install()
    asyncio.run(ten_turns())
    assert most_at_once(recorded) == 3
    recorded.clear()
    monkeypatch.setenv("RASA_TURNS_AT_ONCE", "0")
    turn_limit.install()
    asyncio.run(ten_turns())
    assert most_at_once(recorded) == 10


def test_a_failed_turn_leaves_its_place_in_the_line(recorded, monkeypatch):
    monkeypatch.setenv("RASA_TURNS_AT_ONCE", "1")
    turn_limit.install()

    async def run():
        first = await asyncio.gather(turn_limit.handle_message(None, "boom"), return_exceptions=True)
        return first, await asyncio.wait_for(turn_limit.handle_message(None, "next"), timeout=5)

    first, after = asyncio.run(run())
    assert isinstance(first[0], RuntimeError) and after == ["next"]


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_a_bad_setting_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("RASA_TURNS_AT_ONCE", value)
    with pytest.raises(ValueError, match="RASA_TURNS_AT_ONCE"):
        turn_limit.install()
