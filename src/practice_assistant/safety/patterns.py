"""Matching the crisis rules: negation, figurative use and definitional questions.

The rules themselves live in :mod:`practice_assistant.safety.rules`. A hit carries the machine
signal and the phrase that fired, so every decision can be traced back to the words that caused it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from practice_assistant.safety.rules import CRISIS_RULES, FICTION, FOREIGN_CRISIS
from practice_assistant.text import STOPS, sentences

__all__ = [
    "CRISIS_RULES",
    "FICTION",
    "FOREIGN_CRISIS",
    "Hit",
    "crisis_hits",
    "has_negated_crisis",
    "is_definitional",
    "is_informational",
    "is_negated",
    "mask_idioms",
    "mask_negated_crisis",
    "normalize",
    "sentence_of",
]


def normalize(text: str) -> str:
    """Lower case, NFKC, straight quotes (also literal ``\\u2019`` escapes), single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\\+u2019|\\+u2018", "'", text)
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u201c": '"',
                                         "\u201d": '"', "\u2013": "-", "\u2014": "-"}))
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return _TEXTING.sub(lambda m: _SPELLINGS[m.group(0)], text)


# Texting and common misspellings, so a rule written once matches "i jus wanna be ded" too.
_SPELLINGS = {
    "ded": "dead", "kil": "kill", "myslef": "myself", "mysef": "myself", "myslf": "myself",
    "suicde": "suicide", "sucide": "suicide", "suiside": "suicide", "wanna": "want to",
    "gonna": "going to", "gunna": "going to", "finna": "going to", "tryna": "trying to",
    "rn": "right now", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow",
    "2nite": "tonight", "tonite": "tonight", "2night": "tonight", "nite": "night",
    "b4": "before", "pils": "pills", "pillz": "pills", "scard": "scared", "cant": "can't",
    "dont": "don't", "wont": "won't", "im": "i'm", "ive": "i've", "bf": "boyfriend",
    "gf": "girlfriend", "hes": "he's", "shes": "she's", "evry": "every", "anymor": "anymore",
    "aftr": "after", "wud": "would", "wuld": "would", "ppl": "people", "jus": "just",
    "hurtin": "hurting", "cuttin": "cutting", "killin": "killing", "thinkin": "thinking",
    "wants 2": "wants to", "want 2": "want to", "going 2": "going to", "have 2": "have to",
    "need 2": "need to", "tryin": "trying", "goin": "going", "gettin": "getting",
}
_TEXTING = re.compile(r"(?<![\w'])(?:" + "|".join(
    re.escape(k) for k in sorted(_SPELLINGS, key=len, reverse=True)) + r")(?![\w'])")


@dataclass(frozen=True)
class Hit:
    signal: str
    name: str
    phrase: str


_DEFINITIONAL = re.compile(
    r"^(?:so |and |but |ok |okay )?(?:what(?:'s| is| are| does| do)|define|definition of|"
    r"meaning of|how (?:common|prevalent|often|many people)|why do (?:people|teens|teenagers|"
    r"some people|kids|adolescents)|what causes|is there a link|how (?:can|do|should) (?:i|we|"
    r"parents|you|someone) (?:help|support|talk to|recogni[sz]e|spot)|"
    r"(?:what are )?(?:the )?(?:warning )?signs (?:of|that)|how (?:did|was|were) [a-z]+ [a-z]+)")
_HOWTO = re.compile(
    r"\b(?:best|easiest|quickest|fastest|painless\w*|surest|ways?|methods?|how to|tips|"
    r"help me|should i|can i|could i|where|which|how many|how much)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|i'd|i'll|me|my|myself|mine)\b")

_NEGATOR = re.compile(
    r"\b(?:not|never|no|nor|without|hardly|barely|don'?t|dont|doesn'?t|didn'?t|won'?t|"
    r"wouldn'?t|can'?t|cannot|isn'?t|aren'?t|wasn'?t|weren'?t|haven'?t|hasn'?t|hadn'?t|"
    r"shouldn'?t|no longer|nothing)\b(?! (?:know|care|understand|see|get|sure|think so|matter|"
    r"everyone|everybody|all|only|just|because|a big deal|one))")


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence (or line) around a match, for figurative-use checks."""
    left = max(text.rfind(c, 0, start) for c in ".!?;\n")
    rights = [i for i in (text.find(c, end) for c in ".!?;\n") if i != -1]
    return text[left + 1:min(rights) if rights else len(text)]


# "no thoughts of", "not having any thoughts about", "I'm not going to", "I would never": a
# denial that leads into the phrase from further back than two words, in the same clause.
_DENIAL_LEAD = re.compile(
    r"\b(?:no|not|never|without|don'?t|do not|dont|denies?|denied)\b(?: \w+){0,4} "
    r"(?:thoughts?|ideas?|intent\w*|plans?|urges?|desires?|wish(?:es)?|history) "
    r"(?:of|about|to|toward|or)(?: \w+)?$|"
    r"\b(?:not|never|n'?t) (?:going|gonna|planning|about|trying) to$|"
    r"\b(?:would|will|could) never(?: ever)?$|\bnot (?:thinking|talking) (?:of|about)$|"
    r"\bnot considering$|\b(?:don'?t|do not|dont|never) (?:want|wanna|plan|intend|mean) to$")


def is_negated(text: str, start: int, end: int) -> bool:
    """A negator inside the match or in the two words before it, within the same clause,
    or a denial such as "no thoughts of" leading into it."""
    before = text[max(0, start - 80):start]
    for mark in (".", "!", "?", ";", ",", " but ", " and "):
        cut = before.rfind(mark)
        if cut != -1:
            before = before[cut + len(mark):]
    window = " ".join(before.split()[-2:]) + " " + text[start:end]
    return bool(_NEGATOR.search(window)) or bool(_DENIAL_LEAD.search(before.strip()))


def is_definitional(text: str) -> bool:
    """A short factual question about a topic ("what is self-harm?"), not about oneself."""
    # Every stop or line break ends a piece; the stops themselves are not part of it.
    pieces = [s.rstrip(STOPS).rstrip()
              for s in sentences(text, at="stop", lines=True, closers=False)]
    pieces = [p for p in pieces if p]
    if not pieces or len(text.split()) > 30:
        return False
    for sentence in pieces:
        if not _DEFINITIONAL.match(sentence):
            return False
        rest = _HELPER.sub("", sentence)
        if _HOWTO.search(rest) or _FIRST_PERSON.search(rest):
            return False
    return True


_HELPER = re.compile(r"^how (?:can|do|should) (?:i|we|parents|you|someone) "
                     r"(?:help|support|talk to|recogni[sz]e|spot)")


# A question about a topic for study, work, teaching, fiction or helping in general: "statistics
# on teen suicide for my paper", "how do overdoses damage the liver? I'm a nursing student".
_INFORMATIONAL_FRAME = re.compile(
    r"\b(?:paper|essay|thesis|dissertation|research\w*|study|studies|statistics?|stats|rates?|"
    r"prevention|awareness|warning signs|signs of|myths?|true that|difference between|"
    r"students?|nursing|nurses?|teachers?|school counsel\w*|class(?:mates?|room)?|course|"
    r"training|curriculum|lesson|presentation|project|book|novel|story|character|show|series|"
    r"film|movie|documentary|podcast|article|journalis\w*|reporters?|history|historical|"
    r"therapists?|clinicians?|doctors?|psychologists?|schools?|parents?|kids|children|"
    r"(?:someone|people|a person|a friend|friends|loved ones?) (?:who|with|in|at)|"
    r"how (?:do|does|can|should) (?:i|we|you|someone|people|parents|teachers) (?:help|support|"
    r"talk|respond|ask|recogni[sz]e|spot|tell|write|explain))\b")
# Anything that puts the writer, or a named person close to them, in the picture.
_PERSONAL_RISK = re.compile(
    r"\b(?:myself|me|my (?:own )?(?:suicid\w*|self[- ]?harm\w*|overdos\w*|attempt|plan|note|"
    r"thoughts?|urges?|feelings?)|i (?:feel|felt|want|wanna|wish|think about|keep|kept|have been|"
    r"'ve been|am going|'m going|might|may|will|plan|planned|tried|attempted|can'?t|cant|"
    r"took|take|did|cut|hurt|harm)|i'?m (?:going|gonna|thinking|planning|scared|afraid|"
    r"suicidal|not okay|done)|tonight|right now)\b")


def is_informational(text: str) -> bool:
    """A question about a crisis topic asked for study, work, fiction or helping in general,
    with nothing that puts the writer at risk; its bare topic words are left to the classifier."""
    if len(text.split()) > 60 or ("?" not in text and not _DEFINITIONAL.match(text)):
        return False
    return bool(_INFORMATIONAL_FRAME.search(text)) and not _PERSONAL_RISK.search(text)


def crisis_hits(text: str) -> list[Hit]:
    """All crisis rules that fire on normalized ``text``, after negation and figurative checks."""
    hits: list[Hit] = []
    topic_only = is_definitional(text) or is_informational(text)
    for rule in CRISIS_RULES:
        if rule.topic and topic_only:
            continue
        for match in rule.regex.finditer(text):
            start, end = match.span()
            if rule.negatable and is_negated(text, start, end):
                continue
            sentence = sentence_of(text, start, end)
            if rule.exclude is not None and rule.exclude.search(sentence):
                continue
            if rule.fiction and FICTION.search(sentence):
                continue
            hits.append(Hit(rule.signal, rule.name, match.group(0).strip()))
            break
    return hits


_NEGATED_CRISIS = re.compile(
    r"\b(?:not|never|no|n't|nothing)\b[^.?!,]{0,25}\b(?:suicid\w*|self[- ]?harm\w*|"
    r"kill(?:ing)? myself|hurt(?:ing)? myself|harm(?:ing)? myself|want to die|in danger|"
    r"crisis|emergency|thoughts of)")


_NEGATED_CLAUSE = re.compile(
    r"(?:\b(?:not|never|no|nothing)\b|n't)(?:(?!\b(?:and|but|so)\b)[^.?!,;]){0,25}?"
    r"\b(?:suicid\w*|self[- ]?harm\w*|"
    r"kill(?:ing)? myself|hurt(?:ing)? myself|harm(?:ing)? myself|want to die|in danger|"
    r"crisis|emergency|thoughts of)[^.?!,;]*?(?=[.?!,;]|\bbut\b|$)", re.IGNORECASE)


def mask_negated_crisis(text: str) -> str:
    """``text`` without its denied crisis clauses ("I'm not suicidal, just curious" keeps "I'm ,
    just curious"): the classifier must not read a denial as the thing denied."""
    return re.sub(r"\s{2,}", " ", _NEGATED_CLAUSE.sub(" ", text)).strip()


#: everyday hyperbole about death and violence: the words are a crisis's, the sense is not
_IDIOM = re.compile(
    r"\b(?:is|are|was|were|'s|'re) (?:\w+ )?killing me\b|"
    r"\b(?:will|would|'ll|gonna|going to) (?:literally |actually )?(?:murder|kill) me if\b|"
    r"\bbeat(?:s|ing)? (?:myself|yourself|ourselves) up\b|"
    r"\bdying (?:to|for) (?!die\b|end\b|kill\b|be dead\b)|\bto die for\b|"
    r"\bdie of (?:embarrassment|boredom|laughter|shame|cringe)\b|"
    r"\b(?:could|would|'d) kill for\b|"
    r"\bkill (?:the|a|that|this|my) (?:habit|process|task|time|vibe|mood|lights|engine)\b",
    re.IGNORECASE)


def mask_idioms(text: str) -> str:
    """``text`` without everyday death-and-violence hyperbole ("my feet are killing me"), which
    the rules already ignore and the classifier must not read literally."""
    return re.sub(r"\s{2,}", " ", _IDIOM.sub(" ", text)).strip()


def has_negated_crisis(text: str) -> bool:
    """"I'm not suicidal", "no thoughts of self-harm": the sentence must not count as crisis."""
    return bool(_NEGATED_CRISIS.search(text.replace("n't", " n't")))
