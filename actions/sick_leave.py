"""Answers about sick-leave follow-up: the whole timeline or one milestone."""
from typing import Text

from actions.render import KeyedAnswerAction


class ActionAnswerSickLeave(KeyedAnswerAction):
    intent = "ask_sick_leave_followup"
    also_answers = ("ask_measures",)

    def name(self) -> Text:
        return "action_answer_sick_leave"
