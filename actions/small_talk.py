"""Small talk: greeting, thanks, goodbye, who the assistant is, what it can do, the answer
to a message with personal data, and the confirmation of a chosen written standard. Each says one phrase of data/ia/phrases/dialogue.yml in the
conversation's written standard."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import phrases, standard


class PhraseAction(Action):
    action_name = ""
    phrase = ""

    def name(self) -> Text:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        standard.use(tracker)
        phrases.utter(dispatcher, self.phrase)
        return []


class ActionGreet(PhraseAction):
    action_name, phrase = "action_greet", "dialogue.greet"


class ActionGoodbye(PhraseAction):
    action_name, phrase = "action_goodbye", "dialogue.goodbye"


class ActionThank(PhraseAction):
    action_name, phrase = "action_thank", "dialogue.thank"


class ActionBotChallenge(PhraseAction):
    action_name, phrase = "action_bot_challenge", "dialogue.bot_challenge"


class ActionCapabilities(PhraseAction):
    action_name, phrase = "action_capabilities", "dialogue.capabilities"


class ActionPersonalData(PhraseAction):
    action_name, phrase = "action_personal_data", "dialogue.personal_data"


class ActionWrittenStandardChosen(PhraseAction):
    """"svar på nynorsk": said in the standard chosen, which the conversation now has."""

    action_name, phrase = "action_written_standard_chosen", "dialogue.standard_chosen"
