"""The guided dialogues in nynorsk: the local IA agreement from the introduction to the draft,
and the form that asks where the workplace is. A user who writes nynorsk gets every question,
explanation, error, button, the summary and the draft in nynorsk, and is understood in it; a
user who writes bokmål gets what the dialogues said before."""
import datetime as dt

import pytest

from actions import agreement, phrases, standard
from actions.agreement import (
    ASK_ACTIONS,
    CONFIRMED,
    DRAFT_SHOWN_SLOT,
    ActionAgreementFinish,
    ActionAgreementStart,
    ValidateLocalAgreementForm,
    choice_titles,
)
from actions.contact_form import ASK_ACTIONS as CONTACT_ASK_ACTIONS
from actions.contact_form import ActionAnswerContact, ValidateContactForm
from actions.contacts import CANDIDATES_SLOT, PLACE_SLOT
from actions.draft import SKIPPED, draft_markdown, filename, shown_answer, summary
from actions.forms import FAILURES_SLOT, OUTCOME_SLOT, REASK_SLOT
from actions.knowledge import load
from actions.parsing import match_command, parse_percent, parse_period, split_yes_no, target_text
from bot.written_standard import written_standard
from tests.conftest import bokmal_sentences, form_tracker, run_action, slot_events, written_in

TODAY = dt.date(2026, 11, 22)
@pytest.fixture(scope="module")
def nn():
    return load(standard="nn")


@pytest.fixture(scope="module")
def nb():
    return load(standard="nb")


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(agreement, "today", lambda: TODAY)


class Conversation:
    """A local-agreement dialogue as the action server sees it: each turn's tracker carries
    the answers so far and the user's first message in `written` (nb or nn)."""

    def __init__(self, domain, written):
        self.domain, self.written = domain, written
        self.slots = {}
        self.messages = []

    def run(self, action, tracker):
        messages, events = run_action(action, written_in(tracker, self.written), self.domain)
        self.messages += messages
        return messages, events

    def keep(self, events):
        for name, value in slot_events(events).items():
            if name.startswith("agreement_") or name in (FAILURES_SLOT, REASK_SLOT, OUTCOME_SLOT):
                self.slots[name] = value

    def ask(self, key):
        action = next(a for a in ASK_ACTIONS if a().name() == f"action_ask_agreement_{key}")
        messages, _ = self.run(action(), form_tracker(f"agreement_{key}", None, slots=dict(self.slots)))
        return messages

    def say(self, key, text, **kwargs):
        slots = {**self.slots, **kwargs.pop("slots", {})}
        tracker = form_tracker(f"agreement_{key}", text, slots=slots, **kwargs)
        messages, events = self.run(ValidateLocalAgreementForm(), tracker)
        self.keep(events)
        return messages, slot_events(events)

    def start(self, text="lag ein lokal IA-avtale"):
        messages, events = self.run(ActionAgreementStart(), form_tracker(None, text, slots=dict(self.slots)))
        self.keep(events)
        return messages

    def finish(self, **slots):
        messages, events = self.run(ActionAgreementFinish(), form_tracker(None, "x", slots={**self.slots, **slots}))
        return messages, slot_events(events)


def texts(messages):
    return [m["text"] for m in messages]


def titles(message):
    return [b["title"] for b in message.get("buttons") or []]


# ----- the whole dialogue ------------------------------------------------------------------------
def test_the_local_agreement_in_nynorsk_from_start_to_draft(domain, nn):
    talk = Conversation(domain, "nn")
    [intro] = talk.start()
    assert intro["text"].startswith("Flott! Eg leier dykk gjennom ein lokal IA-avtale")

    [asked] = talk.ask("workplace")
    assert asked["text"].startswith("Steg 1 av 14: Kva heiter arbeidsplassen")
    assert "\nDøme: Solbakken sjukeheim" in asked["text"]
    # An answer that is noise, twice: what was wrong, then the step explained and a way out.
    messages, slots = talk.say("workplace", "asdfgh")
    assert texts(messages) == ["Det svaret forstod eg ikkje. Skriv med vanlege ord, gjerne kort."]
    messages, slots = talk.say("workplace", "qwerty")
    assert nn.agreement.step("workplace").help in messages[0]["text"]
    assert "Dette steget må vere med i avtalen." in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "Ta ein pause", "payload": "pause"}, {"title": "Avbryt", "payload": "avbryt"}]
    talk.ask("workplace")
    talk.say("workplace", "Solbakken sjukeheim")

    talk.ask("employer")
    messages, _ = talk.say("employer", "hopp over")
    assert messages[0]["text"].startswith("Dette spørsmålet kan ikkje hoppast over.")
    talk.say("employer", "Kari Hansen, dagleg leiar")
    talk.ask("employees")
    talk.say("employees", "Per Olsen, hovudtillitsvald i Fagforbundet")

    [asked] = talk.ask("verneombud")
    assert titles(asked) == ["Ja, verneombodet er med", "Nei", "Hopp over"]
    _, slots = talk.say("verneombud", "ja")
    assert slots["agreement_verneombud"] == "Ja, verneombudet er med i IA-arbeidet"  # kept in bokmål

    talk.ask("intention")
    messages, _ = talk.say("intention", "nei")
    assert messages[0]["text"].startswith("Dei tre punkta er kjernen i malen til partane")
    # The second wrong answer in a row: what to write, the step's help, and that it is required.
    messages, _ = talk.say("intention", "kanskje")
    assert messages[0]["text"].startswith("Svar «ja» dersom de står bak dei tre punkta, gjerne med eit tillegg: «ja, og …».\n")
    assert nn.agreement.step("intention").help in messages[0]["text"]
    assert titles(messages[0]) == ["Ta ein pause", "Avbryt"]
    _, slots = talk.say("intention", "ja, og vi vil òg rekruttere unge")
    assert slots["agreement_intention"] == "Vi vil òg rekruttere unge"

    talk.ask("period")
    messages, _ = talk.say("period", "så lenge det trengst")
    assert messages[0]["text"].startswith("Eg forstod ikkje perioden. Skriv ei varigheit («2 år», «18 månader»)")
    # Back to the step before, and forward again.
    messages, slots = talk.say("period", "gå attende")
    assert texts(messages) == ["Greitt, tilbake til det førre spørsmålet (felles intensjon)."]
    assert slots["agreement_intention"] is None
    talk.ask("intention")
    talk.say("intention", "Ja, vi står bak alle tre")
    talk.ask("period")
    _, slots = talk.say("period", "18 månader")
    assert slots["agreement_period"] == "18 måneder"

    talk.ask("sick_leave_target")
    messages, _ = talk.say("sick_leave_target", "mykje lågare")
    assert messages[0]["text"].startswith("Skriv målet som eit tal i prosent, til dømes «6 %»")
    messages, _ = talk.say("sick_leave_target", "150 prosent")
    assert "Målet må vere eit tal i prosent mellom 0 og 100" in messages[0]["text"]
    assert titles(messages[0]) == ["Hopp over", "Ta ein pause", "Avbryt"]
    talk.say("sick_leave_target", "fem prosent")

    talk.ask("other_goals")
    messages, slots = talk.say("other_goals", "gå vidare")
    assert texts(messages) == ["Greitt, vi hoppar over det."] and slots["agreement_other_goals"] == SKIPPED

    [asked] = talk.ask("focus_areas")
    assert titles(asked)[:2] == ["Førebyggjande arbeidsmiljøarbeid", "Lange og ofte gjentekne sjukefråvær"]
    _, slots = talk.say("focus_areas", "Lange og ofte gjentekne sjukefråvær")
    assert slots["agreement_focus_areas"] == nn.agreement.step("focus_areas").choices["Lange og ofte gjentatte sykefravær"]

    talk.ask("activities")
    # The draft so far, in the middle of the dialogue.
    messages, slots = talk.say("activities", "vis utkastet")
    assert messages[0]["text"] == "Slik ser utkastet ut så langt:"
    assert messages[1]["text"].startswith("Lokal IA-avtale for Solbakken sjukeheim\nUtkast under arbeid, laga med IA-assistenten")
    assert slots[DRAFT_SHOWN_SLOT] is True
    talk.say("activities", "Kartleggje arbeidsmiljøet og lage ein plan for oppfølging av sjukmelde")
    talk.ask("meetings")
    talk.say("meetings", "Fast punkt i AMU kvart kvartal")
    talk.ask("evaluation")
    talk.say("evaluation", "Kvart halvår")
    [asked] = talk.ask("measures")
    assert titles(asked)[-2:] == ["Alle som passar for oss", "Hopp over"]
    _, slots = talk.say("measures", "Alle som passar for oss")
    assert slots["agreement_measures"].startswith("NAV Arbeidslivssenter, Tilskudd til ekspertbistand")  # bokmål names kept
    talk.ask("signing")
    talk.say("signing", "Drammen")

    # The summary, and a change from it.
    [asked] = talk.ask("confirm")
    lines = asked["text"].splitlines()
    assert lines[0] == "Her er svara dine. Stemmer alt, eller vil du endre noko?"
    assert "4. Verneombod: Ja, verneombodet er med i IA-arbeidet" in lines
    assert "6. Periode: 18 månader" in lines
    assert "7. Mål for sjukefråværet: Sjukefråværet skal ned til 5 % eller lågare" in lines
    assert "8. Andre mål: (hoppa over)" in lines
    assert "9. Innsatsområde: Oppfølging av lange og ofte gjentekne sjukefråvær" in lines
    assert any(line.startswith("13. Verkemiddel: NAV Arbeidslivssenter, Tilskot til ekspertbistand") for line in lines)
    assert lines[-1] == "Skriv «ja» for å få utkastet, eller «endre» og nummeret på svaret du vil endre, til dømes «endre 6»."
    assert titles(asked) == ["Ja, lag utkastet", "Endre eit svar"]
    messages, _ = talk.say("confirm", "nei")
    assert messages[0]["text"] == "Kva for eit svar vil du endre?"
    assert messages[0]["buttons"][5] == {"title": "Endre 6: Periode", "payload": "endre 6"}
    messages, _ = talk.say("confirm", "tja")
    assert texts(messages) == ["Skriv «ja» for å få utkastet, eller «endre» og nummeret på svaret, til dømes «endre 6»."]
    messages, slots = talk.say("confirm", "endre perioden")
    assert texts(messages) == ["Greitt, vi endrar «periode»."] and slots["agreement_period"] is None
    talk.ask("period")
    talk.say("period", "inntil vidare")
    [asked] = talk.ask("confirm")
    assert "6. Periode: Inntil vidare; partane vurderer avtalen ved kvar evaluering" in asked["text"].splitlines()
    _, slots = talk.say("confirm", "ja, lag utkastet")
    assert slots["agreement_confirm"] == CONFIRMED

    messages, slots = talk.finish()
    assert messages[0]["text"] == nn.agreement.texts["done"]
    draft = messages[2]["custom"]["data"]
    assert draft["filename"] == "lokal-ia-avtale-solbakken-sjukeheim.md"
    content = draft["content"]
    for line in [
        "# Lokal IA-avtale for Solbakken sjukeheim",
        "*Utkast, laga med IA-assistenten 22.11.2026. Partane tilpassar og signerer sjølve.*",
        "## 1. Partar",
        "- Verneombod (god praksis): Ja, verneombodet er med i IA-arbeidet",
        "Partane er samde om dette:",
        "Inntil vidare; partane vurderer avtalen ved kvar evaluering",
        "- Mål for sjukefråværet: Sjukefråværet skal ned til 5 % eller lågare",
        "- Andre mål: " + nn.agreement.draft["not_agreed"],
        "- Innsatsområde: Oppfølging av lange og ofte gjentekne sjukefråvær",
        "Kvart halvår",
        "## 8. Verkemiddel (god praksis)",
        "Stad: Drammen    Dato: ______________________",
        "For arbeidsgivaren: Kari Hansen, dagleg leiar",
        "For dei tilsette: Per Olsen, hovudtillitsvald i Fagforbundet",
        "## Om avtalen",
    ]:
        assert line in content.splitlines(), line
    assert all(slots[s.slot] is None for s in nn.agreement.steps)

    assert bokmal_sentences(talk.messages) == []
    # The document is text a user reads too.
    assert bokmal_sentences([{"text": content}]) == []


def test_pause_resume_and_cancel_in_nynorsk(domain, nn):
    talk = Conversation(domain, "nn")
    talk.slots = {"agreement_workplace": "Solbakken", "agreement_employer": "Kari", "agreement_employees": "Per"}
    _, slots = talk.say("verneombud", "ta ein pause")
    assert slots[OUTCOME_SLOT] == "paused"
    messages, _ = talk.finish()
    assert texts(messages) == [nn.agreement.texts["paused"]]
    talk.slots[OUTCOME_SLOT] = None
    [resumed] = talk.start("fortset avtalen")
    assert resumed["text"] == "Velkomen tilbake til den lokale IA-avtalen. Du har svart på 3 av 14 steg, og vi held fram der du slapp."
    messages, _ = talk.say("verneombud", "lag ein lokal ia-avtale", intent="start_local_agreement")
    assert texts(messages) == ["Vi er allereie i gang. Her er spørsmålet vi står på:"]
    messages, _ = talk.say("verneombud", "x" * 501)
    assert texts(messages) == ["Svaret er for langt for avtalen (over 500 teikn). Skriv det kortare – stikkord held."]
    messages, _ = talk.say("verneombud", "sjå utkastet")
    assert messages[0]["text"] == "Slik ser utkastet ut så langt:"
    _, slots = talk.say("verneombud", "gløym det")
    assert slots[OUTCOME_SLOT] == "cancelled" and slots["agreement_workplace"] is None
    messages, _ = talk.finish(**{DRAFT_SHOWN_SLOT: True})
    assert texts(messages) == [nn.agreement.texts["cancelled"] + " " + nn.agreement.texts["cancelled_after_draft"]]
    assert bokmal_sentences(talk.messages) == []


def test_the_first_step_cannot_go_back_and_help_explains_in_nynorsk(domain, nn):
    talk = Conversation(domain, "nn")
    messages, _ = talk.say("workplace", "gå tilbake")
    assert texts(messages) == ["Dette er det første spørsmålet, så eg kan ikkje gå lenger tilbake."]
    messages, _ = talk.say("period", "kva betyr det?")
    step = nn.agreement.step("period")
    assert texts(messages) == [f"{step.why}\n{step.help}"]
    messages, _ = talk.say("workplace", "", intent="inform")
    assert texts(messages) == ["Eg fekk ikkje noko svar. Skriv svaret ditt med eigne ord."]
    [asked] = talk.ask("period")
    assert asked["text"].startswith("Steg 6 av 14: Kor lenge skal avtalen gjelde?")
    assert bokmal_sentences(talk.messages) == []


def test_a_user_who_writes_bokmal_gets_what_the_dialogue_said_before(domain, nb):
    talk = Conversation(domain, "nb")
    talk.slots = {"agreement_workplace": "Solbakken", "agreement_employer": "Kari", "agreement_employees": "Per"}
    [asked] = talk.ask("period")
    assert asked["text"].startswith("Steg 6 av 14: Hvor lenge skal avtalen gjelde?\n")
    assert asked["text"].endswith("\nEksempel: 2 år, ut 2027 eller 2026–2028")
    assert titles(asked)[-1] == "Hopp over"
    messages, _ = talk.say("other_goals", "hopp over")
    assert texts(messages) == ["Greit, vi hopper over det."]
    messages, _ = talk.say("period", "tilbake")
    assert texts(messages) == ["Greit, tilbake til forrige spørsmål (felles intensjon)."]
    messages, _ = talk.say("sick_leave_target", "masse", slots={FAILURES_SLOT: 1})
    assert messages[0]["buttons"] == [
        {"title": "Hopp over", "payload": "hopp over"},
        {"title": "Ta en pause", "payload": "pause"},
        {"title": "Avbryt", "payload": "avbryt"},
    ]
    assert "Du kan hoppe over dette steget og ta det opp senere, ta en pause eller avbryte." in messages[0]["text"]
    text = draft_markdown(nb.agreement, {"workplace": "Solbakken", "signing": "Drammen", "other_goals": SKIPPED}, TODAY)
    assert "*Utkast, laget med IA-assistenten 22.11.2026. Partene tilpasser og signerer selv.*" in text
    assert "Partene er enige om dette:" in text and "Sted: Drammen    Dato: " in text
    assert "For arbeidsgiveren: \n" in text and "For de ansatte: " in text
    assert summary(nb.agreement, {"other_goals": SKIPPED}).splitlines()[7] == "8. Andre mål: (hoppet over)"
    assert not any(written_standard(s) == "nn" for m in talk.messages for s in m["text"].splitlines())


# ----- understanding answers in nynorsk ---------------------------------------------------------
@pytest.mark.parametrize(
    "text, command",
    [
        ("hopp over", "skip"),
        ("gå vidare", "skip"),
        ("veit ikkje", "skip"),
        ("det veit vi ikkje enno", "skip"),
        ("ikkje no", "skip"),
        ("gå attende", "back"),
        ("førre", "back"),
        ("gløym det", "cancel"),
        ("eg vil ikkje meir", "cancel"),
        ("ta ein pause", "pause"),
        ("fortset seinare", "pause"),
        ("held fram seinare", "pause"),
        ("sjå utkastet", "show_draft"),
        ("korleis ser avtalen ut", "show_draft"),
        ("kva betyr det", "help"),
        ("kva meiner du med det", "help"),
        ("eg skjønar ikkje", "help"),
    ],
)
def test_nynorsk_commands(nn, text, command):
    assert match_command(text, nn.form_words.commands) == command


@pytest.mark.parametrize(
    "text, answer",
    [("ja", True), ("Ja takk", True), ("greitt", True), ("sjølvsagt", True), ("nei", False), ("nei takk", False), ("ikkje", False)],
)
def test_nynorsk_yes_and_no(nn, text, answer):
    assert split_yes_no(text, nn.form_words.yes, nn.form_words.no)[0] is answer


@pytest.mark.parametrize(
    "text, kept, shown",
    [
        ("18 månader", "18 måneder", "18 månader"),
        ("ein månad", "1 måned", "1 månad"),
        ("eit halvt år", "6 måneder", "6 månader"),
        ("to år", "2 år", "2 år"),
        ("ut 2027", "Ut 2027", "Ut 2027"),
        ("til 30.6.2027", "Til 30.6.2027", "Til 30.6.2027"),
        ("inntil vidare", "Inntil videre; partene vurderer avtalen ved hver evaluering",
         "Inntil vidare; partane vurderer avtalen ved kvar evaluering"),
        ("løpande", "Inntil videre; partene vurderer avtalen ved hver evaluering",
         "Inntil vidare; partane vurderer avtalen ved kvar evaluering"),
        ("same periode som IA-avtalen", "Ut 2028, som den nasjonale IA-avtalen (2025–2028)",
         "Ut 2028, som den nasjonale IA-avtalen (2025–2028)"),
    ],
)
def test_a_period_in_nynorsk_is_kept_in_bokmal_and_shown_in_nynorsk(nn, text, kept, shown):
    assert parse_period(text, TODAY) == kept
    standard.use_standard("nn")
    assert shown_answer(nn.agreement.step("period"), kept) == shown


@pytest.mark.parametrize(
    "text, shown",
    [
        ("fem prosent", "Sjukefråværet skal ned til 5 % eller lågare"),
        ("under 5,5 %", "Sjukefråværet skal ned til 5,5 % eller lågare"),
        ("det skal reduserast med 10 %", "Redusere sjukefråværet med 10 %"),
        ("redusere med ti prosent", "Redusere sjukefråværet med 10 %"),
    ],
)
def test_a_target_in_nynorsk(nn, text, shown):
    kept = target_text(*parse_percent(text))
    standard.use_standard("nn")
    assert shown_answer(nn.agreement.step("sick_leave_target"), kept) == shown


def test_nynorsk_answers_to_the_steps(domain, nn):
    talk = Conversation(domain, "nn")
    _, slots = talk.say("verneombud", "nei")
    assert slots["agreement_verneombud"] == "Nei, verneombudet er ikke med i IA-arbeidet etter avtalen"  # kept in bokmål
    _, slots = talk.say("verneombud", "Ja, verneombodet er med")
    assert slots["agreement_verneombud"] == "Ja – verneombodet er med"
    _, slots = talk.say("focus_areas", "Førebyggjande arbeidsmiljøarbeid")
    assert slots["agreement_focus_areas"] == "Forebyggende arbeidsmiljøarbeid"
    _, slots = talk.say("measures", "alle som passar")
    assert slots["agreement_measures"] == ", ".join(m.name for m in load(standard="nb").measures.values())
    _, slots = talk.say("period", "kanskje 2 år?", intent="nlu_fallback")
    assert slots["agreement_period"] == "2 år"
    filled = {s.slot: f"svar {s.key}" for s in nn.agreement.steps if s.key != "confirm"}
    for text, step in [("endre 6", "period"), ("endra 1", "workplace"), ("nei, endre 14", "signing"), ("endre verneombodet", "verneombud")]:
        talk.slots = dict(filled)
        messages, slots = talk.say("confirm", text)
        assert slots[f"agreement_{step}"] is None, text
        assert messages[0]["text"].startswith("Greitt, vi endrar «"), text
    talk.slots = dict(filled)
    _, slots = talk.say("confirm", "ja")
    assert slots["agreement_confirm"] == CONFIRMED
    assert bokmal_sentences(talk.messages) == []


def test_a_choice_is_read_from_its_button_in_either_standard(nb, nn):
    for step in nb.agreement.steps:
        buttons = zip(step.buttons, nn.agreement.step(step.key).buttons)
        for bokmal_title, nynorsk_title in buttons:
            if bokmal_title in step.choices:
                assert choice_titles(step)[nynorsk_title] == step.choices[bokmal_title]


# ----- the summary and the draft ------------------------------------------------------------------
ANSWERS = {
    "workplace": "Solbakken sjukeheim",
    "employer": "Kari Hansen, dagleg leiar",
    "employees": "Per Olsen, hovudtillitsvald",
    "verneombud": "Nei, verneombudet er ikke med i IA-arbeidet etter avtalen",
    "intention": "Ja",
    "period": "18 måneder",
    "sick_leave_target": "Redusere sykefraværet med 10 %",
    "other_goals": SKIPPED,
    "focus_areas": "Forebyggende arbeidsmiljøarbeid og oppfølging av lange og ofte gjentatte sykefravær",
    "activities": "Kartleggje arbeidsmiljøet",
    "meetings": "Fast punkt i AMU hvert kvartal",
    "evaluation": "Én gang i året, med sykefraværsstatistikken",
    "measures": "NAV Arbeidslivssenter, Tilskudd til ekspertbistand, Sykefraværsstatistikk for virksomheten",
    "signing": SKIPPED,
    "confirm": "ja",
}


def test_the_draft_in_nynorsk_differs_from_bokmal_where_words_differ(nb, nn):
    bokmal_draft = draft_markdown(nb.agreement, ANSWERS, TODAY).splitlines()
    standard.use_standard("nn")
    nynorsk_draft = draft_markdown(nn.agreement, ANSWERS, TODAY).splitlines()
    assert len(nynorsk_draft) == len(bokmal_draft)
    differs = {
        "*Utkast, laget med IA-assistenten 22.11.2026. Partene tilpasser og signerer selv.*":
            "*Utkast, laga med IA-assistenten 22.11.2026. Partane tilpassar og signerer sjølve.*",
        "## 1. Parter": "## 1. Partar",
        "- Verneombud (god praksis): Nei, verneombudet er ikke med i IA-arbeidet etter avtalen":
            "- Verneombod (god praksis): Nei, verneombodet er ikkje med i IA-arbeidet etter avtalen",
        "Partene er enige om dette:": "Partane er samde om dette:",
        "18 måneder": "18 månader",
        "- Mål for sykefraværet: Redusere sykefraværet med 10 %": "- Mål for sjukefråværet: Redusere sjukefråværet med 10 %",
        "- Innsatsområder: Forebyggende arbeidsmiljøarbeid og oppfølging av lange og ofte gjentatte sykefravær":
            "- Innsatsområde: Førebyggjande arbeidsmiljøarbeid og oppfølging av lange og ofte gjentekne sjukefråvær",
        # A button clicked in bokmål is shown as the nynorsk button.
        "Fast punkt i AMU hvert kvartal": "Fast punkt i AMU kvart kvartal",
        "Én gang i året, med sykefraværsstatistikken": "Éin gong i året, med sjukefråværsstatistikken",
        "NAV Arbeidslivssenter, Tilskudd til ekspertbistand, Sykefraværsstatistikk for virksomheten":
            "NAV Arbeidslivssenter, Tilskot til ekspertbistand, Sjukefråværsstatistikk for verksemda",
        "Sted: ______________________    Dato: ______________________":
            "Stad: ______________________    Dato: ______________________",
        "For arbeidsgiveren: Kari Hansen, dagleg leiar": "For arbeidsgivaren: Kari Hansen, dagleg leiar",
        "For de ansatte: Per Olsen, hovudtillitsvald": "For dei tilsette: Per Olsen, hovudtillitsvald",
    }
    pairs = dict(zip(bokmal_draft, nynorsk_draft))
    for bokmal_line, nynorsk_line in differs.items():
        assert pairs[bokmal_line] == nynorsk_line
    # What the user typed is shown as typed, in both.
    assert "- Aktiviteter: Kartleggje arbeidsmiljøet" in bokmal_draft
    assert "- Aktivitetar: Kartleggje arbeidsmiljøet" in nynorsk_draft
    assert "- Arbeidsplass: Solbakken sjukeheim" in bokmal_draft and "- Arbeidsplass: Solbakken sjukeheim" in nynorsk_draft
    assert bokmal_sentences([{"text": "\n".join(nynorsk_draft)}]) == []
    assert filename(ANSWERS) == "lokal-ia-avtale-solbakken-sjukeheim.md"


def test_the_summary_in_nynorsk(nn):
    standard.use_standard("nn")
    lines = summary(nn.agreement, ANSWERS).splitlines()
    assert lines[3] == "4. Verneombod: Nei, verneombodet er ikkje med i IA-arbeidet etter avtalen"
    assert lines[7] == "8. Andre mål: (hoppa over)"
    assert lines[13] == "14. Stad for signering: (hoppa over)"
    assert bokmal_sentences([{"text": "\n".join(lines)}]) == []


def test_every_answer_the_assistant_words_has_both_standards(nb, nn):
    """Each choice of a step and the skip mark are shown in nynorsk; a test here fails when a
    choice is added to data/ia/agreement.yml without its phrase in data/ia/phrases/draft.yml."""
    assert SKIPPED == phrases.text("draft.skipped", "nb")
    standard.use_standard("nn")
    for step in nn.agreement.steps:
        for value in step.choices.values():
            shown = shown_answer(step, value)
            assert shown != value and written_standard(shown) != "nb", (step.key, value)
    for step in nn.agreement.steps:
        for title in nb.agreement.step(step.key).buttons:
            assert written_standard(shown_answer(step, title)) != "nb", (step.key, title)


# ----- the contact form -------------------------------------------------------------------------
def contact(domain, written, text=None, slots=None):
    if text is None:
        [action] = CONTACT_ASK_ACTIONS
        tracker = form_tracker("contact_place", None, form="contact_form", slots=slots)
        return run_action(action(), written_in(tracker, written), domain)
    tracker = form_tracker("contact_place", text, form="contact_form", slots=slots)
    return run_action(ValidateContactForm(), written_in(tracker, written), domain)


def test_the_contact_form_in_nynorsk(domain):
    said = []
    messages, _ = contact(domain, "nn")
    said += messages
    assert messages[0]["text"].startswith("Kva fylke eller kva kommune gjeld det?\n")
    assert messages[0]["buttons"][-1] == {"title": "Veit ikkje", "payload": "veit ikkje"}
    messages, events = contact(domain, "nn", "Atlantis")
    said += messages
    assert texts(messages) == [
        "Eg fann ikkje «Atlantis» blant fylka, kommunane og stadene eg kjenner. Sjekk skrivemåten, "
        "skriv kommunen staden ligg i, eller vel fylket."
    ]
    messages, _ = contact(domain, "nn", "Atlantis", slots={FAILURES_SLOT: 1})
    said += messages
    assert "Du kan hoppe over dette steget og ta det opp seinare" in messages[0]["text"]
    assert titles(messages[0]) == ["Hopp over", "Ta ein pause", "Avbryt"]
    messages, events = contact(domain, "nn", "veit ikkje")
    said += messages
    assert slot_events(events)[PLACE_SLOT] == SKIPPED
    # Which of several places: the button to say «I do not know» is nynorsk too.
    _, events = contact(domain, "nn", "Herøy")
    messages, _ = contact(domain, "nn", slots={CANDIDATES_SLOT: slot_events(events)[CANDIDATES_SLOT]})
    said += messages
    assert messages[0]["buttons"][-1] == {"title": "Veit ikkje", "payload": "veit ikkje"}
    # «Veit ikkje»: the ways to reach NAV Arbeidslivssenter anywhere.
    tracker = form_tracker(None, "veit ikkje", slots={PLACE_SLOT: SKIPPED})
    messages, _ = run_action(ActionAnswerContact(), written_in(tracker, "nn"), domain)
    said += messages
    _, events = contact(domain, "nn", "avbryt")
    tracker = form_tracker(None, "avbryt", slots={OUTCOME_SLOT: slot_events(events)[OUTCOME_SLOT]})
    messages, _ = run_action(ActionAnswerContact(), written_in(tracker, "nn"), domain)
    said += messages
    assert texts(messages) == ["Greitt. Spør gjerne igjen når du vil vite kven de kan kontakte."]
    assert bokmal_sentences(said) == []


def test_the_contact_form_in_bokmal_is_unchanged(domain):
    messages, _ = contact(domain, "nb")
    assert messages[0]["text"].startswith("Hvilket fylke eller hvilken kommune gjelder det?\n")
    assert messages[0]["buttons"][-1] == {"title": "Vet ikke", "payload": "vet ikke"}
    tracker = form_tracker(None, "avbryt", slots={OUTCOME_SLOT: "cancelled"})
    messages, _ = run_action(ActionAnswerContact(), written_in(tracker, "nb"), domain)
    assert texts(messages) == ["Greit. Spør gjerne igjen når du vil vite hvem dere kan kontakte."]
