"""The crisis rules added for constructs the classifier missed on held-out writers.

Each construct fires by rule alone (no model), and its everyday look-alike does not. The
sentences are written here; none is copied from a training or test file.
"""

from __future__ import annotations

import pytest

from practice_assistant.safety.patterns import crisis_hits, normalize


def signals(message: str) -> set[str]:
    return {hit.signal for hit in crisis_hits(normalize(message))}


@pytest.mark.parametrize(("message", "signal"), [
    ("when he's drunk he wraps both hands around my neck until I can't talk", "abuse_violence"),
    ("my girlfriend squeezed my throat during the fight on saturday", "abuse_violence"),
    ("he picked me up by the throat and held me there", "abuse_violence"),
    ("whenever I try to leave the room she shoves me against the door", "abuse_violence"),
    ("I've been sitting in the garage with the motor running for an hour", "suicide_ideation"),
    ("the engine is still running and the garage door is down", "suicide_ideation"),
    ("honestly just tired of being alive. is that something you help with?", "passive_ideation"),
    ("so done with existing, nothing dramatic", "passive_ideation"),
    ("it would be a relief if I got hit by a truck on the way home", "passive_ideation"),
    ("some days I wish the plane would crash on the way back", "passive_ideation"),
    ("I keep imagining my own funeral and who would come", "passive_ideation"),
    ("we start counselling in march but I'm not sure I'll still be around by then",
     "passive_ideation"),
    ("at the station I think about how easy it would be to just lean forward off the platform",
     "suicide_ideation"),
    ("I punch my legs when I get angry until there are bruises", "self_harm"),
    ("I bang my head against the wall when we argue", "self_harm"),
    ("I keep picturing stabbing my stepfather while he sleeps", "danger_to_others"),
    ("I want to poison him and I've researched what would be untraceable", "danger_to_others"),
    ("most nights I fall asleep hoping I won't wake up tomorrow", "passive_ideation"),
    ("I pray that God takes me while I'm sleeping", "passive_ideation"),
    ("honestly would anyone notice if I was gone for good", "passive_ideation"),
    ("it would be so much easier to not exist", "passive_ideation"),
    ("my family won't have to put up with me after this weekend", "passive_ideation"),
    ("whenever I say no he keeps going anyway", "abuse_violence"),
    ("my boyfriend pressures me to have sex and pinned me down when I refused", "abuse_violence"),
    ("she usually slaps me when she's had a few drinks", "abuse_violence"),
    ("he took out the knife and put it on the table while we argued", "abuse_violence"),
    ("my ex has broken into my apartment twice since the breakup", "abuse_violence"),
    ("last month I shoved my wife against the wall and she's scared of me now", "danger_to_others"),
    ("my stepdad beats my little brother with a belt", "child_at_risk"),
    ("ugh I cut again last night after three months", "self_harm"),
    ("well that's my clean streak broken, I reset my self-harm free streak today", "self_harm"),
    ("every time I purge, my throat burns and my heart races", "eating_disorder"),
    ("for the record, the abuse includes strangulation", "abuse_violence"),
    ("my husband hurts me and I need a session he won't find out about", "abuse_violence"),
    ("she has isolated me from all my friends and family", "abuse_violence"),
    ("he installed tracking software on my phone", "abuse_violence"),
    ("I'm not allowed to spend money without asking him first", "abuse_violence"),
    ("someone raped me", "abuse_violence"),
    ("my dad's face is drooping on one side and his words come out slurred", "overdose_medical"),
    ("I ate a cashew by mistake and my tongue is swelling and I can barely breathe",
     "overdose_medical"),
    ("her seizure has gone on for eight minutes now", "overdose_medical"),
    ("sudden worst headache of my life, and I threw up twice", "overdose_medical"),
    ("my 2 month old has a temperature of 104 and is really floppy", "overdose_medical"),
    ("my toddler swallowed one of the dishwasher detergent pods", "overdose_medical"),
    ("my blood sugar is at 35 and I'm shaking and can't think", "overdose_medical"),
    ("my ex leaves our 4 year old alone in the flat while he goes out", "child_at_risk"),
    ("she was passed out drunk and the toddler was alone in the bath", "child_at_risk"),
])
def test_each_added_construct_fires_by_rule(message, signal):
    assert signal in signals(message)


@pytest.mark.parametrize("message", [
    "my neck is so stiff my partner rubbed my shoulders and neck for an hour",
    "I get a lump in my throat every time we talk about his mother",
    "the doctor pressed on my neck to check the glands",
    "he warms the car up in the garage with the engine running every winter morning",
    "I'm tired of living paycheck to paycheck",
    "I'm tired of living with my in-laws, how do we set boundaries?",
    "so tired of my life being run by my calendar",
    "I'm not sure I'll be around next week, I'm on a trip, can we move the session?",
    "I could slap myself for forgetting our anniversary",
    "I hit my head on the cabinet door again this morning",
    "her snoring is so loud I have fantasised about smothering her with a pillow, lol",
    "we're thinking about killing the weeds in the yard before the party",
    "we left the baby alone for a minute to grab the laundry, she was in her crib",
    "the baby woke at 5 and I was so disappointed, I hoped I wouldn't wake up till 9 lol",
    "would anyone notice if I was gone from the group chat for a week?",
    "I pray my mom takes me to the airport on friday",
    "he only hits me with questions about the budget, nothing else",
    "my husband kicks me in his sleep, could that be restless legs?",
    "we had a pillow fight and he threw me around the bed, we were laughing so hard",
    "he took out the knife to carve the turkey while we talked about his sister",
    "someone broke into my car last week and I can't stop feeling anxious",
    "I pushed him into the pool at the party and he was so mad",
    "how do I purge the cache on my laptop",
    "the power got cut again during our call",
    "I was raped in college years ago and it still affects how I feel about intimacy",
    "it hurts me when he forgets my birthday",
    "my teen says I'm isolating her by taking her phone at night, is that fair?",
    "my face went numb at the dentist and I couldn't talk properly for an hour",
    "I get a stress headache from work most days, is that something therapy helps with?",
    "our dog had a seizure for two minutes and the vet says he's fine",
    "my baby has a fever of 99 and is teething, is that normal?",
    "I had a sugar crash after the wedding cake, lol",
    "I'd be fine if I got hit with a great idea for our date night",
])
def test_their_everyday_look_alikes_do_not_fire(message):
    assert signals(message) == set()
