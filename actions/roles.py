"""Answers what each role does in IA work (leader, tillitsvalgt, verneombud, AMU, BHT ...)."""
from typing import Text

from actions.render import KeyedAnswerAction


class ActionAnswerRole(KeyedAnswerAction):
    intent = "ask_role"

    def name(self) -> Text:
        return "action_answer_role"
