"""What the assistant says on the crisis and out-of-scope routes: short, warm, non-clinical.

Crisis replies list the resources configured in ``settings.crisis_resources``
(``PA_CRISIS_RESOURCES`` as JSON for a practice outside the US), never an article digest or a
consultation prompt.
"""

from __future__ import annotations

from practice_assistant.models import RouteDecision
from practice_assistant.settings import Resource, Settings

ABUSE_SIGNALS = frozenset({"abuse_violence", "child_at_risk"})

_CRISIS_OPENINGS = {
    "overdose_medical": "This sounds like it could be a medical emergency. Please get help right "
                        "now: {emergency}, or ask someone near you to call for you.",
    "abuse_violence": "I'm so sorry you're going through this. No one deserves to be hurt, "
                      "threatened or made to feel afraid, and your safety comes first.",
    "child_at_risk": "When a child may be in danger, their safety comes first, and you don't "
                     "have to sort this out alone.",
    "danger_to_others": "It sounds like things feel very intense right now. If you feel you might "
                        "hurt someone, or someone is in danger, please reach out for help now.",
    "passive_ideation": "Thank you for telling me. Feeling that you'd rather not be here, or "
                        "that you're a weight on the people around you, is heavy to carry, and "
                        "you don't have to carry it alone. You deserve to talk it through with a "
                        "real person, even if you're not in danger right now.",
    "concern_for_other": "It's frightening when someone you care about may be in danger, and "
                         "you're doing the right thing by looking for help.",
}
_DEFAULT_OPENING = ("I'm really sorry you're going through this, and I'm glad you reached out. "
                    "You deserve support from a real person right now.")
_CLOSINGS = {
    "concern_for_other": "If they are in immediate danger, don't leave them alone if you can "
                         "safely stay, and call for help right away.",
    "child_at_risk": "If a child is in immediate danger, call for emergency help right away.",
    "danger_to_others": "If you can, put some distance between yourself and anything you could "
                        "use to hurt someone, and talk to someone now.",
}
_DEFAULT_CLOSING = ("If you can, let someone you trust know how you're feeling and stay close to "
                    "them. You don't have to go through this alone.")


def crisis_resources(decision: RouteDecision, settings: Settings) -> list[dict[str, str]]:
    """The configured resources for this decision, as ``[{"name", "contact"}]``.

    Abuse hotlines are added (first) when the signal is abuse-related; everything else always.
    """
    abuse = decision.signal in ABUSE_SIGNALS
    chosen = [r for r in settings.crisis_resources if r.kind != "abuse" or abuse]
    if abuse:
        chosen.sort(key=lambda r: r.kind != "abuse")
    return [{"name": r.name, "contact": r.contact} for r in chosen]


def crisis_reply(decision: RouteDecision, settings: Settings) -> str:
    """A short Markdown message that points to people who can help now."""
    emergency = _first(settings.crisis_resources, "emergency")
    emergency_text = (f"contact {emergency.name} ({emergency.contact})" if emergency
                      else "call your local emergency number")
    opening = _CRISIS_OPENINGS.get(decision.signal or "", _DEFAULT_OPENING)
    lines = [opening.format(emergency=emergency_text), "",
             "I'm an automated assistant, so I can't give you the help you deserve here, but "
             "these people can, any time of day:", ""]
    lines += [f"- **{r['name']}**: {r['contact']}" for r in crisis_resources(decision, settings)]
    lines += ["", _CLOSINGS.get(decision.signal or "", _DEFAULT_CLOSING)]
    return "\n".join(lines)


def out_of_scope_reply(decision: RouteDecision, settings: Settings) -> tuple[str, bool]:
    """``(Markdown text, whether the consultation prompt fits)`` for an out-of-scope request."""
    practice = settings.practice_name
    signal = decision.signal or ""
    if signal == "identity":
        return (f"I'm an automated assistant for {practice}, not a person and not a therapist. "
                "I can share what the practice's articles say about relationships, therapy and "
                "the practice's services, and help you book a free consultation with one of "
                "the practice's therapists.", True)
    if signal == "therapist_role":
        return ("I'm an automated assistant, not a therapist, so I can't do therapy with you or "
                "give you personal clinical advice. I can share what the practice's articles say "
                "about a topic (for example how EMDR or couples therapy works), and a free "
                "consultation is the way to start working with one of the practice's licensed "
                "therapists.", True)
    if signal == "diagnosis":
        return ("I can't tell whether you, or someone in your life, has a particular condition: "
                "only a licensed clinician can assess that, after getting to know you. I can "
                "share what the practice's articles say about a topic (for example how ADHD can "
                "affect relationships), and a free consultation is a good place to talk through "
                "what you're noticing.", True)
    if signal == "medication":
        emergency = _first(settings.crisis_resources, "emergency")
        urgent = (f" If you've taken more than prescribed or feel unwell, contact "
                  f"{emergency.name} ({emergency.contact})." if emergency else "")
        return ("I can't give advice about medication or doses. Please ask the doctor who "
                "prescribes it, or a pharmacist. The practice's therapists don't prescribe "
                f"medication, but I'm glad to share what the articles say about therapy.{urgent}",
                False)
    if signal == "legal":
        return ("I can't give legal advice. For questions about custody, divorce or your rights, "
                "please talk to a family-law attorney. If it helps, I can share what the "
                "practice's articles say about the emotional side, like communicating during a "
                "separation.", False)
    if signal == "non_english":
        lifeline = _first(settings.crisis_resources, "suicide")
        emergency = _first(settings.crisis_resources, "emergency")
        safety = " ".join(f"{r.name}: {r.contact}." for r in (lifeline, emergency) if r)
        return ("Sorry, I can only answer in English for now. Please write your question in "
                "English and I'll look through the practice's articles."
                + (f"\n\nIf you are in danger or thinking about suicide: {safety}" if safety
                   else ""), False)
    if signal == "injection":
        return ("I can't change how I work or share my instructions. I'm here to answer "
                f"questions about relationships, therapy and {practice}'s services from the "
                "practice's articles.", False)
    return (f"I can only help with questions about relationships, therapy and {practice}'s "
            "services, so I can't help with that one. You could ask me, for example, what "
            "happens in a free consultation or how couples therapy works.", False)


def _first(resources: tuple[Resource, ...], kind: str) -> Resource | None:
    return next((r for r in resources if r.kind == kind), None)
