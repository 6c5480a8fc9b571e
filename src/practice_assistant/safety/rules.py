"""The crisis rules: regular expressions with the signal each one raises.

Rules match :func:`practice_assistant.safety.patterns.normalize`'d text (lower case, straight
apostrophes, single spaces). Each carries a short name for the route's ``reason``, and flags for the
checks :func:`practice_assistant.safety.patterns.crisis_hits` applies: negation ("I'm not
suicidal"), definitional questions ("what is self-harm?"), figurative use (``exclude``, matched on
the sentence around the hit) and game or story context (``fiction``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    signal: str
    name: str
    regex: re.Pattern[str]
    negatable: bool = False      # "I'm not suicidal" must not fire
    topic: bool = False          # a bare topic word: skipped in definitional questions
    exclude: re.Pattern[str] | None = None   # figurative use, checked on the match's sentence
    fiction: bool = False        # skipped when the message is about a game, sport or story


def _r(pattern: str) -> re.Pattern[str]:
    for key, value in _MACROS.items():
        pattern = pattern.replace(key, value)
    return re.compile(pattern)


_MACROS = {
    "{SELF}": r"(?:my ?self|myself|my own self)",
    "{IM}": r"(?:i'?m|i am|im)",
    "{DONT}": r"(?:don'?t|do not|dont|no longer|never)",
    "{PERSON}": (r"(?:(?:a|an|the|my|his|her|their|our|this|that|some|random|other) )?"
                 r"(?:person|people|human|humans|someone|somebody|anyone|everyone|everybody|man|"
                 r"woman|men|women|guy|girl|boy|child|children|kids?|baby|toddler|teens?|wife|"
                 r"husband|partner|spouse|boyfriend|girlfriend|ex|ex-\w+|mom|mother|dad|father|"
                 r"parents?|brother|sister|siblings?|son|daughter|family|neighbou?rs?|boss|"
                 r"co-?workers?|colleagues?|teachers?|classmates?|roommates?|friends?|strangers?|"
                 r"managers?|supervisors?|stepdad|stepfather|stepmom|stepmother|uncle|aunt|"
                 r"cousin|landlord|girlfriend's \w+|boyfriend's \w+|"
                 r"cops?|police officers?|politicians?|president|date|tinder date|grandparents?|"
                 r"grandmother|grandfather|him|her|them|others)(?:'s)?"),
    "{KID}": (r"(?:(?:\d{1,2}[- ]?(?:year|yr)[- ]?old|little|baby|young|teenage|teen|infant|"
              r"newborn) )?(?:child|children|kids?|sons?|daughters?|stepsons?|stepdaughters?|"
              r"bab(?:y|ies)|toddlers?|niece|nephew|grandchild|granddaughter|grandson|"
              r"little (?:brother|sister)|students?)"),
    "{FAM}": (r"(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|bf|gf|fianc[eé]e?|"
              r"ex|ex-\w+|dad|father|stepdad|stepfather|mom|mother|stepmom|stepmother|parents?|"
              r"brother|sister|son|daughter|roommate|uncle|aunt|grandfather|grandpa|spouse|"
              r"family|cousin|landlord|pimp|(?:mom|mother|dad|father)'s (?:boyfriend|girlfriend|"
              r"husband|wife|partner)))"),
    "{PILLS}": (r"(?:pills?|tablets?|capsules?|meds|medications?|medicine|sleeping pills|"
                r"painkillers|tylenol|ibuprofen|advil|paracetamol|acetaminophen|aspirin|xanax|"
                r"benzos?|opioids?|oxy\w*|insulin|antidepressants?)"),
    "{ADV}": (r"(?:just|has|had|have|always|then|also|actually|even|once|literally|physically|"
              r"repeatedly|violently|again|almost|nearly|sometimes|often|still|constantly|"
              r"regularly|now|badly|really|only|usually|mostly|occasionally)"),
    "{PARTNER}": (r"(?:my (?:husband|wife|partner|boyfriend|girlfriend|bf|gf|fianc[eé]e?|spouse|"
                  r"roommate))"),
    "{RECENT}": (r"(?:last night|yesterday|today|this morning|tonight|this afternoon|"
                 r"this weekend|last weekend|an hour ago|a few (?:hours|days) ago|just now|again)"),
}

FICTION = re.compile(  # games, sport and stories: "kill someone in Call of Duty"
    r"\b(?:games?|gaming|video ?games?|call of duty|gta|minecraft|fortnite|counter[- ]?strike|"
    r"battlefield|witcher|skyrim|overwatch|valorant|league of legends|roblox|d&d|dungeons|"
    r"novels?|stor(?:y|ies)|books?|films?|movies?|tv shows?|series|screenplay|script|"
    r"characters?|fiction|fictional|plot|scene|(?:a|the|school) play|on stage|judo|karate|"
    r"boxing|wrestling|mma|jiu[- ]?jitsu|chess|checkers|card game|poker|paintball|laser tag|"
    r"shooting range|target practice|sparring|fencing)\b")


def _rule(signal: str, name: str, pattern: str, *, negatable: bool = False,
          topic: bool = False, exclude: str | None = None, fiction: bool = False) -> Rule:
    return Rule(signal, name, _r(pattern), negatable=negatable, topic=topic,
                exclude=_r(exclude) if exclude else None, fiction=fiction)


_FIG_DIE = (r"\bdie (?:of|from) (?:embarrass|shame|laugh|boredom|cringe|cuteness|happiness|"
            r"excitement|jealousy)|dying to\b|laugh|\blol\b|\blmao\b|haha")

CRISIS_RULES: tuple[Rule, ...] = (
    # --- suicide: topic words, direct phrases, methods, indirect warning signs
    _rule("suicide_ideation", "suicide", r"\bsuicid(?:e|es|al|ality)\b|\bsewer ?slide\b",
          negatable=True, topic=True),
    _rule("suicide_ideation", "kill myself",
          r"\b(?:kill(?:ing|ed|s)?|off(?:ing)?|unaliv(?:e|ing)|murder(?:ing)?) {SELF}\b|"
          r"\bkms\b|\bunaliv(?:e|ing)\b|"
          r"\b(?:how|best|place|places|way|ways|where|tips|methods?|easiest|quickest|painless"
          r"\w*)\b[^.?!]{0,40}\b(?:kill|end|hang|shoot|drown|poison) (?:yourself|oneself|"
          r"themselves|your (?:own )?life)\b", negatable=True),
    _rule("suicide_ideation", "end my life",
          r"\b(?:end(?:ing|ed)?|take|taking|took|took away) (?:my|my own) (?:life|existence)\b|"
          r"\bend(?:ing)? it all\b|\bend (?:it|everything|things) (?:tonight|today|for good|"
          r"once and for all)\b|\bend my (?:suffering|misery|pain) (?:for good|forever|"
          r"permanently)", negatable=True),
    _rule("suicide_ideation", "want to die",
          r"\b(?:want|wanna|wanted|wanting|ready|wish|wishing|deserve|hope|long|longing|need|"
          r"would like|praying) (?:to )?(?:just |simply |finally )?die\b|"
          r"\b(?:wish(?:ing)? (?:i (?:was|were|could be)|to be)|rather be|better off|"
          r"want(?:ed)? to be|i'?d be|deserve to be) dead\b|"
          r"\b(?:wish|long|pray|hope|ready) for (?:my|my own) death\b|"
          r"\b(?:embrace|welcome|ready for|waiting for) (?:my )?death\b",
          negatable=True, exclude=_FIG_DIE),
    _rule("suicide_ideation", "better off without me",
          r"\b(?:better off|happier|fine|okay|ok|easier|better) (?:\w+ )?without me\b|"
          r"\b(?:better off|happier|easier for everyone) (?:if|when|once) i (?:just |was |were |"
          r"am |'?m )?(?:wasn'?t|weren'?t|was not|were not|not|no longer|never) (?:here|around|"
          r"alive|born)\b|\b(?:better off|happier) (?:if|when|once) i(?:'m| am| was| were)? "
          r"(?:gone|dead|died)\b|"
          r"\bno(?:body| one) (?:would|will|'?d|is going to) (?:even )?(?:miss|notice|care)\b"
          r"[^.?!]{0,25}\b(?:if|when) i(?:'m| am| was| were)? (?:gone|dead|died|disappeared|"
          r"not here|not around)", exclude=r"\b(?:job|team|company|work|band|group project)\b"),
    _rule("suicide_ideation", "don't want to live",
          r"\b{DONT} (?:really |even )?(?:want|wanna|wish|care) to (?:be alive|live|exist|"
          r"wake up|go on|keep going|keep living|be around anymore|be here anymore|"
          r"be here any ?more|continue living|stay alive)\b(?! (?:with|in|at|near|there|"
          r"together|alone|like|on|by|far|close|under|apart|here|through))"),
    _rule("suicide_ideation", "no reason to live",
          r"\bno (?:reason|point|purpose|will) (?:in |to |of |for )?(?:living|live|being alive|"
          r"staying alive|going on|existing|keep(?:ing)? going|my life)\b|"
          r"\b(?:isn'?t|is not|not|no longer|never) worth (?:living|being alive|it anymore)\b|"
          r"\bis (?:it|life|my life|living) (?:even |really |still )?worth (?:me )?"
          r"(?:being alive|staying alive|living|going on)\b|"
          r"\bcan'?t (?:go on|keep going|keep living|live like this) (?:anymore|any ?more|"
          r"any longer)\b"),
    _rule("suicide_ideation", "method",
          r"\b(?:hang(?:ing|ed)?|drown(?:ing|ed)?|shoot(?:ing)?|shot|gas(?:sing)?|"
          r"electrocut(?:e|ing)|suffocat(?:e|ing)|smother(?:ing)?|poison(?:ing|ed)?|"
          r"throw(?:ing)?) {SELF}\b|"
          r"\bslit(?:ting)? (?:my|your|his|her|their|one'?s) (?:own )?(?:wrists?|throat)\b|"
          r"\b(?:jump|jumping|leap|leaping) (?:off|from) (?:a|the|my|our|some) (?:\w+ )?"
          r"(?:bridge|building|roof|rooftop|balcony|tower|overpass|ledge|cliff|parking garage)\b|"
          r"\b(?:step|stepping|walk|walking|jump|jumping|lie|lying|throw myself) (?:down )?"
          r"in front of (?:a |the |an )?(?:train|bus|car|truck|subway|tram)\b|"
          r"\b(?:lethal|fatal|deadly|killing) (?:dose|amount|overdose|quantity|combination)\b|"
          r"\bhow many {PILLS}\b[^.?!]{0,50}\b(?:die|kill|overdose|od|lethal|fatal|never wake|"
          r"end it)\b|\b(?:tie|tied|tying|made|make|bought|buy) (?:a |the )?noose\b|"
          r"\b(?:sever|cut|pierce|slash) (?:my|your) (?:own )?(?:\w+ )?(?:artery|arteries|"
          r"veins?|jugular)\b|\bdrive (?:my car )?(?:into|off) (?:a |the )?(?:wall|tree|cliff|"
          r"bridge|river|oncoming)",
          negatable=True,
          exclude=r"shoot(?:ing)? {SELF} in the foot|shot {SELF} in the foot|"
                  r"drown(?:ing|ed)? {SELF} in (?!the (?:lake|river|sea|ocean|bath|bathtub|pool|"
                  r"water))|"
                  r"bungee|cliff div|into the (?:water|pool|lake|sea|ocean)|selfie"),
    _rule("suicide_ideation", "final arrangements",
          r"\bgiv(?:e|es|ing|en) (?:away )?(?:all |most )?(?:of )?my (?:things|stuff|belongings|"
          r"possessions|valuables)(?: away)?\b|"
          r"\b(?:won'?t|will not|not going to) be (?:here|around|alive) (?:much longer|for long|"
          r"tomorrow|next week|by|anymore|any ?more)\b|"
          r"\b(?:this is|these are) my (?:last|final) (?:message|words|night|goodbye|post)\b|"
          r"\b(?:wrote|written|writing|write) (?:a |my )?(?:goodbye|farewell) (?:letters?|"
          r"notes?)\b|"
          r"\b(?:say(?:ing)?|said) (?:my )?(?:final|last) goodbyes?\b|"
          r"\b(?:go to sleep|fall asleep|sleep|close my eyes) and (?:never|not) wake up\b|"
          r"\bwish i (?:could )?(?:would )?(?:never|not|wouldn'?t) wake up\b|"
          r"\bhope i (?:don'?t|never) wake up\b|"
          r"\bwish (?:i'?d|i had) never been born\b|"
          r"\b(?:want|wish|wishing|need) to (?:stop existing|cease to exist|not exist|"
          r"disappear forever|disappear for good|vanish forever)\b|"
          r"\bwish i (?:didn'?t|did not) exist\b"),
    # --- imminence, plans and preparation (by construct: means at hand, a dangerous place,
    # a chosen time, goodbyes, notes), and passive wishes not to exist or to be a burden
    _rule("suicide_ideation", "means at hand",
          r"\b(?:{PILLS}|(?:the |a |my |his |dad'?s )?(?:gun|pistol|rifle|revolver|rope|noose|"
          r"razor|blade|knife|belt|cord|bottle)s?)\b[^.?!]{0,40}\b(?:in front of me|in my (?:hand|"
          r"hands|lap|pocket|palm)|next to me|beside me|on my (?:lap|desk|bed|nightstand)|"
          r"right here|here with me|(?:sitting )?in (?:my|the) car with me|sitting in my car|"
          r"(?:is |are )?(?:loaded|ready|counted out|lined up|laid out|tied)\b)|"
          r"\b(?:holding|counted out|lined up|laid out|staring at|looking at) (?:all )?(?:the |my |"
          r"a |his |these )?(?:{PILLS}|gun|pistol|rifle|rope|noose|razor|blade)\b",
          negatable=True,
          exclude=r"\b(?:vitamins?|prescribed dose|as prescribed|cooking|recipe|hunting trip|"
                  r"range|cleaning (?:it|my gun)|gun safe|for my (?:headache|cold))\b"),
    _rule("suicide_ideation", "at a dangerous place",
          r"\b(?:{IM}|i'?ve been|i have been|sitting|standing|been standing|been sitting) "
          r"(?:\w+ ){0,2}(?:on|at|by|near) (?:the |a |this )?(?:edge of (?:the |a )?)?(?:bridge|"
          r"roof|rooftop|ledge|cliff|overpass|train tracks|tracks|railway|platform edge|"
          r"edge of the platform|top of the (?:building|parking garage|car park|stairwell))\b"
          r"[^.?!]{0,60}\b(?:looking down|the water|jump|fall|edge|tonight|now|goodbye|end it|"
          r"train)\b|"
          r"\b(?:car|engine) (?:is )?running in (?:the|a|my) (?:closed |shut )?garage\b",
          exclude=r"\b(?:view|sunset|photos?|pictures?|picnic|fixing|repair\w*|gutters?|party|"
                  r"bar|tour|hike|hiking|commute|wedding|bungee)\b"),
    _rule("suicide_ideation", "goodbyes and a last night",
          r"\b(?:said|saying|say) (?:all )?(?:of )?my goodbyes\b|\bthis is goodbye\b|"
          r"\b(?:this is|tonight is|today is|it'?s) my (?:last|final) (?:night|day|sunset|"
          r"breath)\b|\bmy (?:last|final) (?:night|day|breaths?) (?:alive|on earth|here)\b|"
          r"\b(?:tell|let) (?:my \w+|them|everyone) (?:i'?m sorry|i love (?:them|her|him|you))"
          r"[^.?!]{0,30}\b(?:when i'?m gone|after i'?m gone|after tonight|for me)\b|"
          r"\b(?:won'?t|will not|not going to) (?:be (?:here|alive|around)|wake up|make it) "
          r"(?:to see |by |in the )?(?:morning|tomorrow|sunrise|the weekend|christmas|"
          r"my birthday)\b",
          exclude=r"\b(?:vacation|trip|move|moving|job|party|visit|holiday|flight|leaving for|"
                  r"last night of (?:the|our) (?:trip|vacation|holiday))\b"),
    _rule("suicide_ideation", "a chosen time and notes",
          r"\b(?:picked|chosen|chose|set|decided on|marked) (?:a|the) (?:date|day|time|night)\b"
          r"[^.?!]{0,60}\b(?:notes?|letters?|goodbyes?|end it|do it|go through with)|"
          r"\b(?:wrote|written|writing|left|leaving|drafted) (?:a |my |the |all the |all my )?"
          r"(?:suicide )?notes?\b[^.?!]{0,40}\b(?:for (?:my|when|after)|to my|everyone|family|"
          r"kids|goodbye)|\bsuicide note|\b(?:updated|wrote|finished|signed) my will\b"
          r"[^.?!]{0,60}\b(?:before i|so (?:they|nobody|no one)|goodbye|gone)",
          negatable=True),
    _rule("suicide_ideation", "method research",
          r"\b(?:which|what|whats|what'?s the) (?:way|method|methods|option)s? (?:\w+ ){0,3}"
          r"(?:hurt|hurts|painful|pain)\w* (?:the )?(?:least|less)\b|\bhurt (?:the )?least\b"
          r"[^.?!]{0,30}\b(?:die|dying|go|end|method|way)\b|"
          r"\b(?:researched|researching|looked up|looking up|googled|googling|reading about)\b"
          r"[^.?!]{0,50}\b(?:ways to die|how to die|lethal|overdose|fatal|survivable|"
          r"how (?:many|much) (?:it|\w+) would take|how long it takes to (?:die|bleed out|"
          r"drown|suffocate))\b|"
          r"\bhow long (?:does it take|would it take|until you) (?:to )?(?:bleed out|die|drown|"
          r"suffocate|pass out and die)\b|"
          r"\b(?:would|will|could) (?:a fall|the fall|jumping|it) (?:from|off) [^.?!]{0,40}"
          r"\b(?:kill|be (?:fatal|survivable|enough))\b",
          negatable=True),
    _rule("suicide_ideation", "formal intent",
          r"\b(?:formulated|formed|made|have|developed|finali[sz]ed) (?:a |the )?(?:\w+ )?"
          r"plan (?:to|for) (?:end|ending|take|taking|terminate|terminating|conclude) "
          r"(?:my|my own) (?:life|existence)\b|"
          r"\b(?:terminate|terminating|conclude|concluding|cease|extinguish) (?:my|my own) "
          r"(?:life|existence)\b",
          negatable=True),
    _rule("passive_ideation", "sleep and not wake",
          r"\b(?:go to sleep|fall asleep|sleep|close my eyes|drift off) and (?:just )?"
          r"(?:stay asleep|never (?:wake|open)|not (?:wake|open)|sleep forever|be gone)\b|"
          r"\b(?:sleep|asleep) (?:forever|for good|permanently)\b|"
          r"\b(?:wish|want|hope)\w* (?:i|to) (?:could )?(?:just )?(?:not wake up|never wake up|"
          r"stop waking up|disappear|vanish|cease|not exist|stop existing|be erased)\b",
          negatable=True,
          exclude=r"\b(?:weekend|saturday|sunday|vacation|alarm|nap|jet lag|lol|haha)\b|"
                  r"disappear (?:for|into) (?:a|the) (?:week|weekend|day|hour|mountains|woods|"
                  r"cabin|beach)"),
    _rule("passive_ideation", "burden",
          r"\b(?:{IM}|i feel like|i feel i'?m|i'?ve become|i have become|i'?m nothing but) "
          r"(?:just |only |such |nothing but |always )?(?:a |an |the )?(?:\w+ )?(?:burden|"
          r"weight|dead weight|drain|waste of space|waste of oxygen)\b[^.?!]{0,40}\b(?:everyone|"
          r"everybody|my family|my (?:wife|husband|kids|parents|mom|dad|partner)|them|others|"
          r"people|to all|carry|has to)\b|"
          r"\b(?:they|everyone|everybody|my family|the world)(?:'d| would| will)? (?:be )?"
          r"(?:better|happier|relieved|free)\b[^.?!]{0,20}\b(?:without me|once i'?m gone|"
          r"if i (?:disappeared|was gone|were gone|wasn'?t here|weren'?t here|didn'?t exist))",
          exclude=r"\b(?:financial burden|tax|budget|backpack|luggage|workload|gym|lifting)\b"),
    # --- abuse: coercive control, thrown objects, a weapon with revenge, a child's secret
    _rule("abuse_violence", "coercive control",
          r"\b(?:{FAM}|she|he) (?:\w+ ){0,2}(?:won'?t|will not|doesn'?t|does not|never) let(?:s)? "
          r"me (?:see|talk to|call|visit|text|have|keep|work|drive|leave|go)\b[^.?!]{0,60}"
          r"(?:,|\band\b|\bor\b)[^.?!]{0,80}\b(?:reads?|checks?|tracks?|monitors?|takes?|took|"
          r"controls?|threw|throws|hit|hits|threaten\w*|locks?|locked)\b|"
          r"\b(?:reads?|checks?|goes through|tracks?|monitors?) (?:all of )?my (?:phone|texts|"
          r"messages|location|email)\b[^.?!]{0,80}\b(?:won'?t let me|not allowed|takes? my|"
          r"took my|controls? (?:my|all)|threaten\w*|isolat\w*|cut me off|hit|hits|threw)\b|"
          r"\b(?:takes?|took|keeps?|holds?|hides?) (?:all )?my (?:paycheck|money|bank card|"
          r"cards|passport|car keys|keys|documents|phone)\b[^.?!]{0,60}\b(?:won'?t let|not allowed"
          r"|so i can'?t|threaten\w*|leave)\b|"
          r"\bthreaten(?:s|ed|ing)? (?:to )?(?:take (?:the|my) (?:kids|children|baby)|report me|"
          r"call immigration|have me deported)\b"),
    _rule("abuse_violence", "objects thrown",
          r"\b{FAM} (?:{ADV} )?(?:threw|throws|hurled|smashed) (?:a |the |his |her |my )?"
          r"(?:\w+ )?(?:plate|glass|bottle|chair|phone|mug|lamp|knife|remote|bowl|shoe|book)s? "
          r"(?:at|towards?) (?:me|my head|us)\b"),
    _rule("danger_to_others", "weapon and revenge",
          r"\b(?:gun|pistol|rifle|knife|bat|machete|weapon)\b[^.?!]{0,80}\b(?:(?:is |are )?"
          r"(?:going to|gonna|will) pay|make (?:him|her|them) pay|get (?:him|her|them) back|"
          r"revenge|teach (?:him|her|them) a lesson|finish (?:him|her|them)|"
          r"end (?:him|her|them))\b|"
          r"\b(?:(?:is |are )?(?:going to|gonna|will) pay|make (?:him|her|them) pay|revenge)\b"
          r"[^.?!]{0,80}\b(?:gun|pistol|rifle|knife|machete|weapon)\b",
          fiction=True),
    _rule("child_at_risk", "a secret touch",
          r"\btouch(?:es|ed|ing)? me\b[^.?!]{0,80}\b(?:secret|don'?t tell|not to tell|can'?t tell|"
          r"nobody can know)\b|\b(?:our|a) (?:little |special )?secret\b[^.?!]{0,80}\btouch\w*|"
          r"\b(?:adult|grown ?up|uncle|stepdad|coach|teacher|babysitter|cousin|neighbou?r|"
          r"(?:mom|mother)'s boyfriend)\b[^.?!]{0,60}\b(?:touches|touched|comes into) (?:me|my "
          r"(?:room|bed|private))"),
    _rule("suicide_ideation", "attempt",
          r"\b(?:attempted to (?:kill|end|take) (?:myself|my "
          r"(?:own )?life))\b|\b(?:after|since|before) my (?:last |first |recent |second |"
          r"third )?attempt\b(?! (?:at|to|on|in|of))|\b(?:found|stopped|caught) me (?:before|"
          r"just before) it (?:worked|was too late)\b|\b(?:tried|try|trying) (?:to )?(?:kill|end|"
          r"hang|drown|poison|overdose) (?:myself|my (?:own )?life)\b|\bshould have finished "
          r"it\b",
          negatable=True),
    _rule("suicide_ideation", "stockpiled means",
          r"\benough (?:\w+ ){0,2}(?:{PILLS}|insulin|medication)\b[^.?!]{0,40}\b(?:to (?:die|kill "
          r"me|end (?:it|my life|things)|cause my death|not wake up|overdose|do it))\b|"
          r"\b(?:stockpil\w*|saving up|hoarding|collecting|stashing) (?:all )?(?:of )?(?:my |the "
          r"|these )?{PILLS}\b",
          negatable=True),
    _rule("suicide_ideation", "better off deceased",
          r"\b(?:be|am|i'?d be|would be|i'?m) better off (?:deceased|dead|gone|not alive|not "
          r"here|not existing)\b|\bpassive si\b|\b(?:don'?t|do not) want "
          r"to (?:be|stay) alive\b",
          negatable=True),
    _rule("overdose_medical", "took the lot",
          r"\b(?:swallowed|took|taken|downed|ate|popped|drank) (?:the |my |a |his |her |their )?"
          r"(?:whole|entire|full|rest of the) (?:bottle|pack|packet|box|strip|prescription|blister)"
          r"\b|\b(?:swallowed|took|taken|downed|popped) (?:all|every one|everything|the rest) "
          r"(?:of )?(?:them|my|the|in the|his|her)\b|\b(?:already|just) (?:took|swallowed|"
          r"taken|downed) (?:them|it|all|everything|the lot)\b|\btook (?:way |far |a lot |much |so "
          r"much )?more (?:\w+ )?than (?:i should|i was supposed|prescribed|i'?m supposed)",
          exclude=r"\b(?:vitamins?|gummies|supplements?|candy|cookies|chips|pizza|snacks?|"
                  r"advice|notes|test|exam|class|course|photos?|pictures?|took the whole "
                  r"(?:day|week|weekend|class|course))\b"),
    _rule("abuse_violence", "violence by someone close",
          r"\b{FAM} (?:{ADV} )?(?:choked|strangled|punched|slapped|kicked|bit|burned|beat|"
          r"smothered|suffocated) (?:me|us|my (?:face|neck|head))\b(?! (?:out|off|up|awake))|"
          r"\b{FAM} (?:{ADV} )?(?:pushed|shoved|threw|slammed|dragged|pinned) me (?:down|into|"
          r"against|off|onto|to the (?:ground|floor)|by my|across|over|out of)\b|"
          r"\b{FAM} (?:{ADV} )?broke my (?:arm|nose|ribs?|jaw|wrist|finger|hand|leg|collarbone)\b|"
          r"\b(?:banging|pounding|kicking) (?:on|in) (?:the|my) (?:door|window)\b[^.?!]{0,60}"
          r"\b(?:locked|hiding|scared|afraid|help)\b|\b(?:locked|hiding) (?:my ?self|me) in "
          r"(?:the |a |my )?(?:bathroom|bedroom|room|closet|car)\b[^.?!]{0,60}\b(?:he|she|they|"
          r"him|her|them|scared|afraid|banging)\b",
          fiction=True,
          exclude=r"\b(?:when i was (?:a |little|young|\d|small)|as a (?:kid|child|teen)|"
                  r"growing up|years ago|in (?:a )?(?:game|match|practice|judo|karate|boxing)|"
                  r"playful|playfully|tickl\w*|pushed me to (?:apply|try|go|be|do|grow))\b"),
    _rule("danger_to_others", "weapon and a target",
          r"\b(?:gun|pistol|rifle|revolver|shotgun|firearm|knife|blade|machete|ammo|ammunition|"
          r"bullets|strap|bat)\b[^.?!]{0,80}\b(?:know where (?:he|she|they|my \w+|his|her) "
          r"(?:lives|is|works|stays|will be|sleeps)|outside (?:his|her|their|my \w+'s) "
          r"(?:house|place|job|work|apartment|school)|waiting for (?:him|her|them|my \w+)|"
          r"(?:use it|going to use it) on (?:him|her|them|my \w+))\b|"
          r"\b(?:know where (?:he|she|they|my \w+) (?:lives|is|works|stays|will be))\b"
          r"[^.?!]{0,80}\b(?:gun|pistol|rifle|knife|blade|machete|ammo|ammunition|bullets)\b|"
          r"\bhomicidal (?:ideation|thoughts|urges|intent|plans?)\b",
          fiction=True, negatable=True),
    _rule("child_at_risk", "child sexual abuse or grooming",
          r"\b(?:does|did|doing|makes? me do|made me do|make me) (?:sex(?:ual)? (?:stuff|things)|"
          r"stuff to me|things to me|sexual (?:stuff|things) (?:to|with) me)\b|"
          r"\b(?:send|sending|sent) (?:him |her |them )?(?:\w+ )?(?:pics|pictures|photos|nudes|"
          r"videos)\b[^.?!]{0,60}\b(?:without (?:my )?clothes|naked|nude|"
          r"or (?:he|she|they)'?(?:ll| will)|tell everyone|threaten\w*)|"
          r"\b(?:\d{1,2} ?(?:yo|yr|year)s? ?old|i'?m 1[0-7]|my (?:\d{1,2} ?(?:yo|yr|year) ?old )?"
          r"(?:son|daughter|kid|child|niece|nephew|student))\b[^.?!]{0,80}\b(?:asking (?:for|me "
          r"for|her for|him for)|asks (?:for|me for)|wants (?:me )?to send|send (?:him|her)) "
          r"(?:\w+ )?(?:pics|pictures|photos|nudes)\b"),
    # --- self-harm
    _rule("self_harm", "self-harm",
          r"\bself[- ]?harm\w*|\bself[- ]?injur\w*|\bself[- ]?mutilat\w*|\bnssi\b|"
          r"\bshtwt\b|\bbloodlet\w*",
          negatable=True, topic=True),
    _rule("self_harm", "SH (abbreviation)", r"(?<![\w'*.-])sh(?![\w'*-])",
          exclude=r"^\W*sh\s*[,!]"),   # "sh, be quiet" is an interjection
    _rule("self_harm", "hurt myself",
          r"\b(?:cut|cuts|cutting|burn|burns|burned|burnt|burning|scratch(?:es|ed|ing)?|"
          r"hurt(?:s|ing)?|harm(?:s|ed|ing)?|injur(?:e|es|ed|ing)|stab(?:s|bed|bing)?|"
          r"carv(?:e|es|ed|ing)|pierc(?:e|ed|ing)|slic(?:e|es|ed|ing)|slash(?:es|ed|ing)?|"
          r"starv(?:e|es|ed|ing)|bruis(?:e|ed|ing)|gut(?:ting)?|impal(?:e|ing)|flay(?:ing)?|"
          r"mutilat(?:e|ing)|bleed(?:ing)?) "
          r"{SELF}\b(?! (?:some slack|a break|off|out\b|short|loose|free|a piece|a slice|in\b))",
          negatable=True,
          exclude=r"accident|by mistake|while (?:cooking|shaving|playing|working|running|"
                  r"lifting|chopping)|at the gym|work(?:ing)? out|sports?|skiing|"
                  r"\b(?:it'?s|it is|that'?s|which is|it was|they'?re) (?:only |just |really |"
                  r"also )?(?:harming|hurting) {SELF}|"
                  r"(?:cut|burn|scratch|hurt|slice) {SELF} (?:on|with) (?:a |the )?"
                  r"(?:paper|stove|oven|pan|kettle)"),
    _rule("self_harm", "cutting",
          r"\b(?:cut|cutting|slice|slicing|slash(?:ing)?|carv(?:e|ing)|scratch(?:ing)?|"
          r"burn(?:ing)?|flay(?:ing)?) (?:on |into |up )?(?:my|myself|my own) ?(?:wrists?|arms?|"
          r"forearms?|"
          r"legs?|thighs?|skin|stomach|hips?|body|flesh)\b|"
          r"\b(?:started|start|stop|stopped|quit|quitting|relapsed?|urges?|urge to|want to|"
          r"wanna|wish to|keep|kept|been|still|clean from|addicted to|the|about|my|i|i've|"
          r"also|to|of) (?:\w+ )?(?:cut|cutting)\b(?! (?:back|down|off|out|ties|class|classes|"
          r"school|corners?|costs?|board|edge|carbs|sugar|hair|in line|the|a|an|it|them|him|"
          r"her|my|me|your|our|this|that|those|these|some|any|people|someone|cord|contact|"
          r"loose|through|into|onion|vegetables|meat|paper|grass|lawn|wood|\d))(?:[^.?!]{0,80}"
          r"\b(?:blade|razor|scars?|bleed|blood|wounds?|deep|deeper|veins?|relapse|clean|urge|"
          r"arms?|thighs?|legs?|wrists?|pain|hurt))|"
          r"\b(?:fresh|new|deep|deeper|my) cuts\b(?![^.?!]{0,20}\b(?:budget|pay|hair|meat|"
          r"funding|tax))|\bhide (?:my|the) (?:cuts|scars|wounds|marks|burns)\b|"
          r"\bcut (?:deep|deeper|too deep)\b|\bhow deep (?:should|do|can|to)\b[^.?!]{0,20}\bcut\b|"
          r"\b(?:razor|blade|knife|box cutter|sharpener|lighter)\b[^.?!]{0,60}"
          r"\b(?:my (?:wrists?|arms?|legs?|thighs?|skin)|punish {SELF}|hurt {SELF}|bleed)\b",
          negatable=True,
          exclude=r"accident|by mistake|while (?:cooking|shaving|chopping)|hair|recipe|"
                  r"paper cut|finger"),
    _rule("self_harm", "urge to self-harm",
          r"\burges? to (?:cut|burn|bleed|hurt {SELF}|harm {SELF}|punish {SELF}|hit {SELF}|"
          r"self[- ]?harm)\b|"
          r"\b(?:urges?|wish|want|wanna|need|needed|tempted|itching|itch|craving) to cut\b(?! "
          r"(?:back|down|off|out|ties|class|classes|school|corners|costs|carbs|sugar|my hair|"
          r"hair|in line|the|a|an|it|them|him|her|my|me|your|our|this|that|those|these|some|"
          r"any|people|someone|loose|through|into|\d))|"
          r"\b(?:hit|hitting|punch|punching|bang|banging) (?:{SELF}|my head) (?:until|till|so "
          r"hard|against)\b|\bbite (?:my|the inside of my) (?:\w+ )?(?:until|till) (?:it|they) "
          r"bleed"),
    _rule("self_harm", "self-harm as coping",
          r"\bi (?:used to |still |started to |began to |would )?cut (?:for|since|again|every|"
          r"daily|"
          r"weekly|regularly|on and off|a lot|when i)\b|"
          r"\b(?:the cuts|the blade|bleeding|the blood|the burns?|the scars?)\b[^.?!]{0,60}"
          r"\b(?:endorphins?|a (?:kind of )?(?:rush|high)|felt (?:so |really )?good|feels (?:so |"
          r"really )?good|calm(?:s|ed|ing)? me|satisf\w*)|"
          r"\b(?:cutting|self[- ]?harm\w*|burning myself|hurting myself)\b[^.?!]{0,60}"
          r"\bcop(?:e|ing)(?: mechanisms?| methods?| skills?| strateg\w*)?\b|"
          r"\b(?:replace|replacing|swap|trade|numb|numbing|use|used|using)\b[^.?!]{0,60}"
          r"\b(?:emotional|inner|mental) pain\b[^.?!]{0,40}\bphysical pain\b"),
    _rule("self_harm", "fantasies of being hurt",
          r"\b(?:enjoy|like|love|fantasi[sz]e|fantasi[sz]ing|daydream|dream)\w* (?:about |of )?"
          r"(?:thinking (?:about|of) )?(?:being (?:hurt|killed|dead)|dying|my (?:own )?death|"
          r"getting (?:hurt|killed))\b",
          negatable=True),
    # --- eating disorders (harmful requests and glorification)
    _rule("eating_disorder", "starving / purging",
          r"\bstarv(?:e|ing|ed) {SELF}\b|"
          r"\b(?:stop|quit|avoid|give up) (?:{SELF} from )?eating (?:and drinking )?(?:for (?:a|"
          r"\d+|two|three|"
          r"several|many) (?:days?|weeks?)|until|so (?:i|that)|to lose|completely|entirely|"
          r"altogether)\b|\bnot eat(?:ing)? (?:anything )?for (?:a |\d+ |two |three |several )"
          r"?(?:days?|weeks?)\b|"
          r"\b(?:make|making|made|force|forcing) {SELF} (?:throw up|vomit|puke|be sick|sick)\b|"
          r"\b(?:binge|binging|bingeing) (?:eat(?:ing)? )?and (?:then )?(?:purge|vomit|throw)"),
    _rule("eating_disorder", "pro-eating-disorder request",
          r"\b(?:pro[- ]?ana|pro[- ]?mia|thinspo\w*|meanspo|bonespo|ana coach|ana buddy)\b|"
          r"\b(?:anorexi\w*|bulimi\w*|eating disorder|my ed)\b[^.?!]{0,40}\b(?:healthy|lifestyle|"
          r"tips|empowering|good thing|choice|speed up|faster|hide|hiding|maintain|encourage)\b|"
          r"\b(?:speed up|keep up|maintain|hide|hiding) (?:my |an |the )?(?:anorexi\w*|bulimi\w*|"
          r"eating disorder|ed|weight loss from)\b|"
          r"\b(?:develop|get|become|becoming) (?:anorexi[ac]|bulimi[ac]|an eating disorder)\b|"
          r"\b(?:ribs?|ribcage|hip ?bones?|collar ?bones?|spine)\b[^.?!]{0,40}\b(?:stick(?:s)? out|"
          r"show|visible|poke out|jut)\b|\bthigh gap\b|"
          r"\blaxatives? (?:for|to) (?:lose|weight|slim|get thin)|\b(?:effective|best|strongest) "
          r"laxatives?\b|\bdiet pills\b[^.?!]{0,30}\b(?:fast|quick|a lot)\b|"
          r"\bexercis\w* (?:excessively|obsessively|until i (?:pass out|collapse|faint|throw up))|"
          r"\bexercise (?:\w+ ){0,3}without (?:getting )?(?:tired|eating)\b|"
          r"\b(?:dangerously|extremely|very) low[- ]calorie\b|\b(?:only|under|less than|below) "
          r"\d{2,3} (?:calories|cals|kcal)\b|"
          r"\blose (?:\d+ (?:pounds|lbs|kg|kilos) |(?:a lot of |the )?weight )?(?:really )?"
          r"(?:fast|quickly|rapidly|in (?:just |only )?(?:a few|\d+|two|three|four|five|a|one) "
          r"(?:days?|weeks?)|by (?:tomorrow|next week)|without eating)\b|"
          r"\b(?:quickly|rapidly|fast) lose (?:\w+ )?weight\b|"
          r"\btips (?:on|for|to) (?:being |becoming |staying |getting )?(?:anorexic|bulimic|"
          r"skinny|thinner|underweight)\b|"
          r"\b(?:struggling with|suffering from|relapsed into|back in|back into|i have|i'?ve got|"
          r"diagnosed with|i'?m) (?:\w+ )?(?:anorexi[ac]\w*|bulimi[ac]\w*)\b"),
    # --- overdose and medical emergency
    _rule("overdose_medical", "overdose", r"\boverdos\w*|\bod(?:'d|'ed|ed|ing)\b",
          negatable=True, topic=True),
    _rule("overdose_medical", "took too many pills",
          r"\b(?:took|take|taken|taking|swallowed|swallow|downed|ate) (?:a bunch of|a handful of|"
          r"too many|all (?:of )?(?:my|the|his|her)|the whole|a whole|every|\d{2,} |twenty |thirty "
          r"|fifty |lots of |so many |extra |double )[^.?!]{0,25}{PILLS}|"
          r"\b(?:drank|drink|drinking|swallowed|swallow|ate) (?:some )?(?:bleach|antifreeze|"
          r"poison|drain cleaner|pesticide|rat poison|weed killer)\b|"
          r"\b(?:household )?(?:chemicals?|poisons?) (?:i|to) (?:can )?(?:use to )?"
          r"(?:poison|kill|end) {SELF}"),
    _rule("overdose_medical", "medical emergency",
          r"\b(?:he|she|they|my \w+|someone|somebody|the baby|my baby)(?:'s| is| isn'?t| has| "
          r"just| suddenly)? (?:not |stopped |has stopped )?(?:breathing|unresponsive|unconscious)"
          r"\b|\b(?:won'?t|can'?t|cannot|couldn'?t) wake (?:him|her|them|up my|my)\b|"
          r"\bbleeding (?:a lot|heavily|badly|profusely|won'?t stop|that won'?t stop|everywhere)\b|"
          r"\bcan'?t stop (?:the )?bleeding\b|\b(?:is|am|i'?m) having a (?:heart attack|stroke|"
          r"seizure)\b",
          exclude=r"\b(?:panic|anxiety|anxious|nightmare|dream|felt like|feels like|feel like)\b"),
    # --- violence and abuse against the visitor
    _rule("abuse_violence", "being hurt at home",
          r"\b{FAM} (?:{ADV} ){0,2}(?:hits|beats|chokes|strangles|punches|kicks|slaps|shoves|"
          r"attacks|rapes|assaults|burns|whips|throws things at|smacks|grabs me by|"
          r"(?:is|keeps) (?:hitting|beating|choking|hurting|raping)) (?:me|us)\b|"
          r"\b(?:i'?m|i am|i get|i'?ve been|i have been|getting|being|keep getting) (?:{ADV} ){0,2}"
          r"(?:beaten|hit|choked|strangled|raped|sexually assaulted|sexually abused|assaulted|"
          r"molested|physically abused|kicked|slapped|punched|trafficked)\b(?! (?:by a (?:car|"
          r"ball|wave)|out|off|on|with|up|in the))|"
          r"\b{FAM} (?:is|has been|'s been|gets|keeps being) (?:{ADV} )?"
          r"(?:physically (?:abusive|violent)|violent (?:with|towards?|to) me)\b",
          exclude=r"\bhit (?:me )?(?:up|back)\b|hits? me (?:with (?:questions?|an? (?:idea|"
                  r"question|request|"
                  r"reality check|bill|guilt trip)|"
                  r"facts|news|the (?:truth|news|facts|bill)|guilt|criticism|sarcasm|comments?)|"
                  r"that)|it hit me|hit by a car|"
                  r"\b(?:verbally|emotionally|mentally|psychologically|financially) "
                  r"(?:abused|abusive)|abused (?:verbally|emotionally|mentally)|playful|"
                  r"in (?:a )?(?:game|match|practice)|kick(?:s|ed)? (?:me )?out|"
                  r"(?:from|after|about|of) (?:almost |nearly )?being|"
                  r"in (?:his|her|their|my) sleep"),
    _rule("abuse_violence", "recent assault",
          r"\b{PARTNER} (?:{ADV} ){0,2}(?:hit|beat|choked|strangled|punched|kicked|slapped|"
          r"shoved|attacked|raped|assaulted|burned|whipped|pushed|pinned|threw things at) "
          r"(?:me|us)\b|"
          r"\b{FAM} (?:{ADV} ){0,2}(?:hit|beat|choked|strangled|punched|kicked|slapped|shoved|"
          r"attacked|raped|assaulted|burned|whipped|threw things at|pushed|pinned) (?:me|us)\b"
          r"[^.?!]{0,40}{RECENT}|"
          r"\b(?:was|got|been|i'?ve been) (?:{ADV} )?(?:raped|sexually assaulted|assaulted|"
          r"attacked|beaten up|beaten|drugged|choked|strangled) {RECENT}\b",
          exclude=r"\bhit (?:me )?(?:up|back)\b|hits? me (?:with (?:questions?|an? (?:idea|"
                  r"question|request|"
                  r"reality check|bill|guilt trip)|"
                  r"facts|news|the (?:truth|news|facts|bill)|guilt|criticism|sarcasm|comments?)|"
                  r"that)|it hit me|kick(?:s|ed)? "
                  r"(?:me )?out|\b(?:when i was (?:a |little|young|\d|small|growing|in (?:school|"
                  r"high school|college))|as a (?:kid|child|teen)|growing up|years ago|"
                  r"in the past|used to|would|my childhood|was a (?:kid|child|teen)|my ex\b|"
                  r"ex-|in high school|in college|in a (?:game|match|practice)|in checkers|"
                  r"in chess|playful)"),
    _rule("abuse_violence", "threats",
          r"\b(?:threaten(?:s|ed|ing)?|said|says|told me|tells me|swore|swears|promised|keeps "
          r"saying|texted|texts) (?:that |me )?(?:\w+ ){0,3}(?:kill|murder|hurt|shoot|stab|"
          r"beat|strangle|choke|rape|burn) (?:me|us|my (?:kids|children|family|son|daughter|baby|"
          r"dog|cat)|the (?:kids|baby|children))\b|"
          r"\bthreaten(?:s|ed|ing)? (?:to )?(?:kill|hurt|shoot) (?:him|her|them) ?sel(?:f|ves) "
          r"if (?:i|we)\b|"
          r"\bthreaten(?:s|ed|ing) (?:me )?with (?:a )?(?:gun|knife|weapon)\b|"
          r"\b(?:pulled|pointed|held|waved) a (?:gun|knife) (?:on|at|to) (?:me|my)\b",
          exclude=r"\b(?:joking|jokingly|kidding|in a game|as a joke)\b"),
    _rule("abuse_violence", "fear for safety",
          r"\b(?:i'?m|i am|i feel|feeling|i'?ve been|i get|we are|we're) (?:\w+ ){0,2}(?:afraid|"
          r"scared|terrified|frightened|fearful) (?:for (?:my|our) (?:life|lives|safety)|"
          r"(?:that )?{FAM}(?:'ll| will| is going to| might| may| could| would|'s going to| is "
          r"gonna)? (?:\w+ ){0,2}(?:kill|hurt|hit|beat|attack|rape|murder|harm|find) (?:me|us)\b|"
          r"to go (?:back )?home\b|of my (?:husband|wife|partner|boyfriend|girlfriend|dad|father|"
          r"stepdad|stepfather|mom|mother|stepmom|ex)\b)|"
          r"\bfear(?:ing)? for my (?:life|safety)\b|\b(?:i'?m|i am) not safe\b|"
          r"\b(?:don'?t|do not) feel safe (?:at home|in my (?:own )?(?:home|house|apartment)|"
          r"around (?:him|her|them|my \w+)|with (?:him|her|them|my \w+)|going home)\b|"
          r"\b(?:he|she|they|my \w+) (?:won'?t|will not|doesn'?t|does not) let me (?:leave|go out|"
          r"out of the house|see my family|have my phone|call)\b|\blocked me (?:in|inside)\b"),
    _rule("abuse_violence", "living with abuse",
          r"\b(?:i'?m|i am|living|live|experiencing|going through|victim of|being) (?:\w+ ){0,3}"
          r"(?:domestic (?:violence|abuse)|an abusive (?:home|marriage|relationship))\b",
          exclude=r"survivor|survived|past|used to|\bex\b|years ago|left (?:him|her|them)|"
                  r"emotional|verbal|mental"),
    # --- danger to others
    _rule("danger_to_others", "intent to hurt someone",
          r"\b(?:i|me|i'?m) (?:\w+ )?(?:want|wanna|need|going|gonna|plan(?:ning)?|intend(?:ing)?|"
          r"tempted|about|ready|decided|will|'?ll|feel like) (?:to )?(?:\w+ )?(?:kill|murder|hurt|"
          r"stab|shoot|strangle|choke|poison|beat up|beat|attack|harm|smother|drown|run over|"
          r"torture) {PERSON}\b(?! (?:in|at) (?:a |the )?(?:game|chess|checkers|cards))",
          fiction=True, negatable=True,
          exclude=r"\bif (?:i|he|she|they) (?:lose|win|forget|don'?t)\b|"
                  r"\b(?:afraid|scared|worried|fear|terrified|nervous|anxious)\b"),
    _rule("danger_to_others", "asking how to hurt someone",
          r"\b(?:how (?:do|can|could|should|would|to)|best (?:way|place|method)s? (?:to|of|for)|"
          r"easiest way (?:to|of)|ways? (?:to|of)|where (?:can|should|do|is a good place to)|"
          r"should|help me|tell me how to|teach me (?:how )?to) (?:i |you |one |we |someone )?"
          r"(?:best |easily |secretly |quickly |quietly |physically |seriously |get away with )?"
          r"(?:kill(?:ing)?|murder(?:ing)?|poison(?:ing)?|stab(?:bing)?|shoot(?:ing)?|"
          r"strangl(?:e|ing)|chok(?:e|ing)|throttl(?:e|ing)|smother(?:ing)?|drown(?:ing)?|"
          r"hurt(?:ing)?|harm(?:ing)?|beat(?:ing)? up|beat(?:ing)?|attack(?:ing)?|kidnap(?:ping)?|"
          r"assault(?:ing)?|rap(?:e|ing)|tortur(?:e|ing)|behead(?:ing)?|dismember(?:ing)?|"
          r"execut(?:e|ing)|electrocut(?:e|ing)|run over|punch(?:ing)?|abduct(?:ing)?|"
          r"capture|capturing|eliminat(?:e|ing)|terminat(?:e|ing)|euthani[sz](?:e|ing)) "
          r"{PERSON}\b",
          fiction=True),
    _rule("danger_to_others", "injuring a person",
          r"\b(?:break|breaking|smash|smashing|crush|crushing|cut|slit|stab|stabbing|snap|"
          r"snapping|punch|punching|shatter|fracture) (?:\w+ )?(?:someone|somebody|a person|"
          r"people|a human|my \w+|his|her|their|a child|a kid|a woman|a man)(?:'s|s')? "
          r"(?:jaw|face|skull|neck|legs?|arms?|ribs?|nose|throat|spine|head|teeth|kneecaps?)\b|"
          r"\bphysically (?:hurt|hurting|harm|harming|assault|assaulting|attack|attacking) "
          r"{PERSON}\b|\b(?:assault|attack|stab|shoot) (?:my|a|the) (?:teacher|boss|neighbou?r|"
          r"coworker|classmates?|ex|wife|husband|partner|mom|dad|mother|father)\b",
          fiction=True),
    _rule("danger_to_others", "violent thoughts about people",
          r"\b(?:thoughts?|urges?|fantas(?:y|ies|ize|izing)|impulses?|voices?) (?:\w+ ){0,3}"
          r"(?:of|about|to|that tell me to) (?:kill(?:ing)?|hurt(?:ing)?|murder(?:ing)?|"
          r"stab(?:bing)?|shoot(?:ing)?|harm(?:ing)?|strangl(?:e|ing)) {PERSON}\b|"
          r"\b(?:kill|murder|shoot|stab|bomb) (?:them all|everyone|everybody|people at "
          r"(?:school|work))\b|\b(?:shoot up|bomb|blow up|set fire to|burn down) (?:my|the|a|our|"
          r"this) (?:school|office|workplace|church|mosque|synagogue|mall|concert|hospital|"
          r"house|home)\b",
          fiction=True, exclude=r"\b(?:test|exam|interview|presentation|audition)\b"),
    # --- a child at risk, or someone else at risk of suicide
    _rule("child_at_risk", "child being harmed",
          r"\b{KID} (?:is|are|keeps? getting|gets?|has been|have been) (?:being )?(?:\w+ )?"
          r"(?:abused|molested|beaten|hit|touched|neglected|starved|locked (?:in|up)|"
          r"sexually abused|groomed)\b(?! by (?:a )?(?:car|ball|bus))|"
          r"\b(?:he|she|they|my [\w']+|someone|somebody|her [\w']+|his [\w']+) (?:\w+ ){0,2}"
          r"(?:molests?|molested|molesting|abus(?:es|ing)|beats?|beating|hits|hitting|hurts|"
          r"hurting|rapes?|raping|grooms?|grooming|touch(?:es|ing|ed) (?:\w+ )?(?:inappropriately"
          r"|sexually|private)) (?:my|our|the|his|her) {KID}\b|"
          r"\b(?:afraid|scared|worried) (?:that )?(?:i|he|she|they)(?:'ll| will| might| may| "
          r"could| am going to) (?:\w+ )?(?:hurt|shake|hit|kill|harm|drown|smother) "
          r"(?:my|the|our) {KID}\b|\b(?:urges?|want|wanna) to (?:hurt|shake|hit|harm|kill|smother) "
          r"(?:my|the|our) {KID}\b",
          exclude=r"\b(?:when i was|years ago|as a (?:kid|child))\b"),
    _rule("child_at_risk", "sexual content involving children",
          r"\b(?:videos?|images?|photos?|pictures?|pics|links?|websites?|material|porn|content|"
          r"stor(?:y|ies))\b[^.?!]{0,40}\b(?:child|children|kids?|minors?|underage|preteens?|"
          r"little girls?|little boys?|young (?:girls|boys)|\d{1,2}[- ]year[- ]olds?)\b"
          r"[^.?!]{0,30}\b(?:sex|naked|nude|undress\w*)|"
          r"\b(?:find|get|buy|download|watch|see|link|links|send|share|access|website|sites?|"
          r"web)\b[^.?!]{0,40}\b(?:child|kiddie|underage|minor) (?:porn\w*|sex material|sexual "
          r"(?:images|abuse material))\b|\bcsam\b|\bpedophil\w* (?:groups?|forums?|communit\w*)\b|"
          r"\b(?:have sex|sleep|hook up|sexually|romantic\w*) (?:with )?(?:a |an )?(?:child|"
          r"children|kids?|minors?|underage|\d{1,2}[- ]year[- ]old|little (?:girl|boy))\b|"
          r"\b(?:my|his) (?:penis|dick|genitals?|genitalia|private parts|boner)\b[^.?!]{0,60}"
          r"\b(?:child|children|kids?|toddler|year old)\b|"
          r"\b(?:child|children|kids?|toddler|\d year old)\b[^.?!]{0,60}\b(?:my|his) (?:penis|"
          r"dick|genitals?|genitalia|boner|private parts)\b|"
          r"\b(?:masturbat\w*|boner|erection)\b[^.?!]{0,60}\b(?:kids?|children|child)\b|"
          r"\b(?:see|watch|find|get) (?:\w+ )?(?:kids?|children|child|minors?)\b[^.?!]{0,20}"
          r"\b(?:naked|nude|undress\w*)\b|\b(?:attracted to|fantasi[sz]\w* about) (?:children|"
          r"kids|minors|little (?:girls|boys)|young (?:girls|boys))\b|\bplayed with (?:their|"
          r"his|her) genital\w*"),
    # --- constructs the classifier missed when their writer's bank was held out (read on
    # training banks only, never on a test set): strangulation, a car in a closed garage, a
    # weary or accidental wish to be dead, imagining one's funeral, "how easy it would be",
    # hitting oneself, a fantasy of killing someone, a small child left alone
    _rule("abuse_violence", "strangulation",
          r"\b(?:squeez\w*|grabb?\w*|clutch\w*|crush\w*|press\w*|held|holds?|holding|"
          r"chok\w*|strangl\w*) (?:me )?(?:by )?my (?:throat|neck|windpipe)\b|"
          r"\b(?:hands?|arms?|fingers|forearm) (?:around|round|on|over|against|across) my "
          r"(?:throat|neck|windpipe)\b|\bby (?:the|my) throat\b",
          fiction=True,
          exclude=r"\b(?:massag\w*|tight|sore|stiff|scarf|necklace|collar|tie|hug\w*|doctor|"
                  r"nurse|dentist|physio\w*|chiropract\w*|lump|swallow\w*|cough\w*|anxiety|"
                  r"panic|felt like|feels like|feel like|stress|tension|lump in my throat|"
                  r"when i was (?:a |little|young|small)|years ago|as a (?:kid|child))\b"),
    _rule("abuse_violence", "violence by someone close, ongoing",
          r"\b{FAM} (?:{ADV} ){0,2}(?:pushes|shoves|throws|slams|drags|pins) me (?:down|into|"
          r"against|onto|to the (?:ground|floor)|by my|across)\b",
          fiction=True,
          exclude=r"\b(?:playful|playfully|tickl\w*|in (?:a )?(?:game|match|practice|judo|"
                  r"karate|boxing|wrestling)|dance|dancing)\b"),
    _rule("abuse_violence", "sexual coercion",
          r"\b(?:held|holds|holding|pinned|pins|forced|forces|forcing) me down\b[^.?!]{0,40}"
          r"\b(?:refused|said no|say no|sex|didn'?t want|don'?t want)\b|"
          r"\bwhen(?:ever)? i (?:say|said|tell him|told him) no\b[^.?!]{0,30}\b(?:does it anyway|"
          r"did it "
          r"anyway|keeps? going|kept going|forces? me|forced me|doesn'?t stop|didn'?t stop|"
          r"gets rough|got rough)\b|"
          r"\b(?:doesn'?t|does not|won'?t|didn'?t) (?:really )?take no for an answer\b"
          r"[^.?!]{0,30}\b(?:in bed|sex|sexually)\b|"
          r"\b(?:makes|made|forces?|forced|pressur\w+) me (?:to )?(?:have sex|sleep with (?:him|"
          r"her|them)|do sexual|perform sexual)\b|"
          r"\bi (?:was|am|'?m) crying and (?:he|she) (?:kept|keeps) going\b|"
          r"\b(?:getting rough and forcing me|forc(?:e|es|ed|ing) (?:himself|herself) on me)\b"),
    _rule("abuse_violence", "physical harm at home, more wordings",
          r"\b{FAM} (?:only |usually |mostly |occasionally |still |even |sometimes |has |had )?"
          r"(?:hits|struck|strikes|has struck|kicks|slaps|punches|beats) me\b(?! (?:up|out|off|"
          r"back|with (?:an idea|a question|questions|facts)))|"
          r"\band (?:then )?(?:kicks|punches|slaps|beats|chokes) me (?:if|when|until|every)\b|"
          r"\b(?:holds?|held|holding|pushe[sd]|pushing) (?:me|my head) (?:under ?water|under the "
          r"water|under the bath)\b|\bthrows? me around\b|\bthrew me around\b|"
          r"\b(?:gets?|got|takes?|took|pulls?|pulled|brings?|brought|sets?|puts?) (?:out )?"
          r"(?:the|his|her|a) (?:gun|knife|pistol|rifle|shotgun)\b[^.?!]{0,60}\b(?:when (?:he|"
          r"she)'?s? (?:angry|mad|drunk)|while we (?:argue\w*|fight\w*|fought|yell\w*)|"
          r"during (?:our )?(?:fights?|arguments?)|to scare "
          r"me|on the table)\b|"
          r"\b(?:he|she|my ex|they)(?:'s| has| had| have)? (?:\w+ ){0,2}(?:broke|broken|breaks) "
          r"into my (?:place|house|apartment|home|flat|room)\b|"
          r"\b(?:keeps?|kept) (?:showing up|turning up|waiting) (?:outside|at) my (?:work|job|"
          r"house|apartment|place|school|new)\b|"
          r"\b(?:make sure|swore|says?|said)\b[^.?!]{0,20}\bi (?:will |'?ll )?never see another "
          r"(?:birthday|christmas|day|year)\b|"
          r"\b(?:hits?|beats?|beat|whips?|whipped) me with (?:a |the |his |her )?(?:belt|cable|"
          r"cord|stick|wire|hanger|extension cord|bat|pipe)\b",
          fiction=True,
          exclude=r"\b(?:playful|playfully|tickl\w*|dance|dancing|wrestl\w*|pillow fight|"
                  r"in (?:a )?(?:game|match|practice)|in (?:his|her|their) sleep|under the "
                  r"table|hunting|cleaning|range|lottery|carv\w*|turkey|steak|cook\w*|"
                  r"chop\w*)\b"),
    _rule("danger_to_others", "hurting a partner or child",
          r"\bi (?:\w+ )?(?:pushed|shoved|threw|kicked|punched|choked|strangled|slapped|hit|beat) "
          r"(?:her|him|my (?:wife|husband|partner|girlfriend|boyfriend|gf|bf|son|daughter|kid|"
          r"child|mom|dad|mother|father)) (?:down the stairs|into the wall|against the wall|"
          r"across the room|so hard|until (?:she|he) (?:cried|bled|couldn'?t))\b",
          fiction=True,
          exclude=r"\b(?:pool|swing|stroller|wheelchair|playful|joke|game|snow)\b"),
    _rule("child_at_risk", "a child beaten or touched",
          r"\b(?:hits?|beats?|beat|whips?|whipped) (?:them|my (?:son|daughter|kids?|children|"
          r"stepson|stepdaughter)|our (?:son|daughter|kids?|children)|the (?:kids|children)) with "
          r"(?:a |the |his |her )?(?:belt|cable|cord|stick|wire|hanger|shoe|wooden spoon|"
          r"extension cord|ruler|rod|switch)\b|"
          r"\btouch(?:es|ed|ing)? (?:my|our|his|her|the) {KID}\b[^.?!]{0,30}\b(?:in ways|"
          r"inappropriate\w*|private|make (?:her|him) cry|makes (?:her|him) cry|under (?:her|his) "
          r"(?:clothes|shirt|skirt))",
          exclude=r"\b(?:when i was|years ago|as a (?:kid|child))\b"),
    _rule("self_harm", "self-harm again",
          r"(?:^|\bi |\bso i |\band i |\bi just |\bi kinda )(?:\w+ ){0,2}(?:cut|sh'?d|sh'?ed|"
          r"burned myself|burnt myself|hurt myself) again\b|"
          r"\b(?:broke|ruined|lost|ended|reset) my (?:clean|self[- ]?harm[- ]?free|sh[- ]?free) "
          r"streak\b|\bso much for (?:\d+|a hundred|100|a year|six months) (?:days? )?clean\b|"
          r"\b(?:two|three|\d) episodes of (?:cutting|self[- ]?harm|burning)\b",
          exclude=r"\b(?:hair|bangs|fringe|class|coupon|carbs|sugar|corners|power|electricity|"
                  r"wifi|internet|budget|funding|hours|pay|grass|lawn|line|finger|cooking|"
                  r"shaving|sober|sobriety|drinking|alcohol|weed|vape|vaping|smoking|drugs|"
                  r"porn|gambling|diet)\b"),
    _rule("eating_disorder", "purging",
          r"\b(?:i|every time i|after i|then i|when i) (?:\w+ )?(?:purge|purged|purging)"
          r"(?=\s*(?:[.,!?;]|$|because\b|after\b|again\b|every\b|when\b|until\b|till\b|"
          r"and\b|so\b|to (?:feel|lose|get)\b))",
          exclude=r"\b(?:inbox|emails?|closet|files|wardrobe|photos|contacts|clutter|"
                  r"toxins|cleanse|juice|spring clean\w*|friends list|followers)\b"),
    _rule("abuse_violence", "abuse disclosed in formal terms",
          r"\b(?:i am|i'?m|as) (?:seeking support as )?(?:a )?victim of (?:intimate partner|"
          r"domestic|family) (?:violence|abuse)\b|"
          r"\b(?:incidents?|abuse|violence|relationship|marriage) (?:currently )?(?:include|"
          r"includes|included|including|involves?) (?:ongoing )?(?:strangulation|choking|physical "
          r"(?:abuse|violence)|sexual (?:abuse|violence)|being (?:struck|hit|beaten))\b|"
          r"\bspouse engages in non-?consensual\b|"
          r"\b(?:i (?:was|have been|experienced|believe i was)|victim of) (?:\w+ ){0,2}"
          r"(?:drug-facilitated sexual assault|sexual coercion)\b|"
          r"^\W*(?:\w+\W+){0,6}(?:i was (?:just )?raped|(?:he|she|they|someone|a man|a guy|"
          r"my \w+) (?:just )?raped me)\W*$",
          exclude=r"\b(?:when i was (?:a |little|young|\d|small|growing|in (?:school|high "
                  r"school|college))|as a (?:kid|child|teen)|growing up|years ago|decades ago|"
                  r"in the past|used to|my childhood|was a (?:kid|child|teen)|decade ago|"
                  r"\w+ years ago|at university|in (?:college|university|high school)|"
                  r"anniversary|when i was younger)\b"),
    _rule("abuse_violence", "rough handling and fists",
          r"\b(?:roughs?|roughed|roughing) me up\b|\bslam(?:s|med|ming)? (?:me|you) (?:into|"
          r"against) (?:the )?walls?\b|\buses (?:his|her) fists\b|"
          r"\b{FAM} (?:{ADV} )?hurts me\b(?! (?:by|with|emotionally|when (?:he|she) (?:says|"
          r"ignores|forgets|doesn'?t|does not|won'?t)|feelings))|"
          r"\b(?:it'?s|it is|it isn'?t|it'?s not) (?:not )?safe (?:for me )?(?:to [\w ]{1,20} )?"
          r"(?:at home|in (?:my|our) (?:house|home|apartment|flat))\b[^.?!]{0,30}\bbecause "
          r"(?:of )?(?:my|him|her|he|she)\b",
          fiction=True,
          exclude=r"\b(?:playful|tickl\w*|wrestl\w*|game|match|practice|rugby|football|"
                  r"hockey|emotionally|feelings|words)\b"),
    _rule("abuse_violence", "coercive control, more wordings",
          r"\bisolat(?:ed|es|ing) me from (?:my |all my |everyone|every)(?:\w+ )?(?:family|"
          r"friends|support network|support system|people|one|body)?\b|"
          r"\binstall(?:ed|s)? (?:a )?(?:monitoring|tracking|spy|spyware)(?: software| app|"
          r" apps)? on my\b|"
          r"\b(?:complete|total) (?:financial )?control (?:over|of) (?:me|my|our|everything)\b|"
          r"\bexercises complete financial control\b|\bwithh[eo]ld(?:s|ing)? (?:access to )?"
          r"(?:my|our joint) (?:money|salary|accounts|paycheck|passport|documents|medication)\b|"
          r"\b(?:monitors?|monitoring) my (?:communications|location|devices|every move|"
          r"movements)\b|"
          r"\btakes? (?:away )?my phone (?:for days|for a week|as (?:a )?punishment|so i can'?t)\b|"
          r"\b(?:he|she)(?:'?ll| will| says? (?:he|she)'?ll| says? (?:he|she) will| said (?:he|"
          r"she)'?d) (?:call|report me to) (?:immigration|ice)\b|"
          r"\b(?:not allowed|isn'?t allowed|am not allowed|'?m not allowed) to (?:spend (?:any )?"
          r"money|see my (?:friends|family)|leave the house|have (?:my own )?(?:money|a phone|"
          r"friends))(?: without (?:asking|his|her|permission))?\b",
          exclude=r"\b(?:we (?:both )?share|agreed|both of us|mutual|for safety|my (?:teen|son|"
                  r"daughter|kid)'s phone|parental controls?|my parents (?:say|said)|curfew|"
                  r"doctor|diet)\b"),
    # --- medical emergencies by their warning signs (a stroke, anaphylaxis, a long seizure,
    # a sudden worst headache, a very ill baby, a child who swallowed something dangerous)
    _rule("overdose_medical", "signs of a stroke",
          r"\b(?:face|smile|mouth)\b[^.?!]{0,40}\b(?:droop\w*|lopsided|numb|uneven|sagging)\b"
          r".{0,100}\b(?:speech|words|slurr\w*|talk\w*|arm|speak\w*)\b|"
          r"\b(?:can'?t|cannot|unable to|couldn'?t) (?:lift|raise|move|feel) (?:his|her|my) "
          r"(?:right|left) (?:arm|leg|side)\b|"
          r"\b(?:speech is slurred|slurr(?:ed|ing) (?:speech|(?:his |her |my )?words)|words are "
          r"(?:jumbled|slurr\w*)|trouble finding (?:her|his|my)? ?words)\b.{0,80}\b(?:sudden\w*|"
          r"face|arm|one side|numb|droop\w*|lopsided)\b",
          exclude=r"\b(?:drunk|wine|beer|tipsy|dentist|novocaine|anesthe\w*|"
                  r"sleep paralysis|lol)\b"),
    _rule("overdose_medical", "anaphylaxis or a severe asthma attack",
          r"\b(?:lips?|face|tongue|throat|mouth)\b[^.?!]{0,10}\b(?:is |are |keeps? )?(?:swelling|"
          r"swollen|swelled|closing)\b.{0,60}\b(?:wheez\w*|breath\w*|cough\w*|epi-?pen|"
          r"can'?t swallow)\b|\b(?:bee sting|stung|peanuts?|allerg\w*|shellfish)\b.{0,80}"
          r"\b(?:swell\w*|hives)\b.{0,60}\b(?:wheez\w*|breath\w*|throat)\b|"
          r"\b(?:can'?t|cannot|unable to|couldn'?t) (?:say|finish|complete|get out) (?:a )?"
          r"(?:full )?sentences?\b|\bwheez\w* for hours\b",
          exclude=r"\b(?:last year|years ago|as a kid|when i was|in the past|lol)\b"),
    _rule("overdose_medical", "a seizure that does not stop",
          r"\b(?:seizure|seizing|convuls\w*|fit)\b[^.?!]{0,40}\b(?:(?:\d+|five|six|seven|"
          r"eight|ten) minutes|won'?t stop|not stop|doesn'?t stop|isn'?t stopping|another one|"
          r"one after another|without waking)\b",
          exclude=r"\b(?:dog|cat|puppy|kitten|pet|last year|years ago|tantrum|fit of|"
                  r"keeps? fit|fitness|fit in)\b"),
    _rule("overdose_medical", "a sudden worst headache",
          r"\b(?:sudden\w*|worst|like (?:an )?explosion|thunderclap|terrible|very strong)\b"
          r"[^.?!]{0,40}\bheadache\b.{0,120}\b(?:vomit\w*|throwing up|threw up|double|vision|"
          r"light|stiff neck|confus\w*|never (?:had|have|i have)|helmet|sleepy|nothing like)\b",
          exclude=r"\b(?:hangover|hungover|migraine again|usual migraine|every month|period|"
                  r"caffeine|stress headache|from work|lol)\b"),
    _rule("overdose_medical", "a very ill baby",
          r"\b(?:baby|infant|newborn|\d+[- ](?:week|month)s?[- ]old|(?:one|two|three|four|five|"
          r"six|seven|eight|nine|ten|eleven)[- ](?:week|month)s?[- ]old|\(\d+ months?\))\b.{0,100}"
          r"\b(?:fever of 10[3-6]|10[3-6](?:\.\d)?(?: ?f| degrees)?\b|floppy|limp|won'?t wake|"
          r"not waking|hard to wake|(?:doesn'?t|does not|won'?t) fade|blue lips|turning blue|"
          r"not breathing|vomited twice|unusually sleepy)|"
          r"\b(?:rolled|fell|dropped)\b.{0,60}\b(?:baby|infant|newborn)\b.{0,80}"
          r"\b(?:vomit\w*|sleepy|won'?t wake|unconscious|limp)\b",
          exclude=r"\b(?:dog|cat|puppy|kitten|pet|doll|baby (?:shower|steps|monitor|food))\b"),
    _rule("overdose_medical", "a child swallowed something dangerous",
          r"\b(?:kid|child|son|daughter|toddler|baby|\d+[- ]year[- ]old|(?:one|two|three|four|"
          r"five)[- ]year[- ]old)\b.{0,40}\b(?:ate|drank|chugged|swallowed|bit into|got into|"
          r"licked)\b.{0,40}\b(?:laundry pods?|detergent pods?|detergent|bleach|washer fluid|"
          r"antifreeze|button batter(?:y|ies)|batter(?:y|ies)|magnets?|pills|meds|medication|"
          r"cleaning (?:fluid|product|spray)|chemicals?|lye|drain cleaner|lamp oil|nicotine|"
          r"vape (?:juice|liquid)|edibles?|weed gummies)\b",
          exclude=r"\b(?:dog|cat|puppy|kitten|pet|vitamins?|gummy vitamins|as prescribed|"
                  r"his meds|her meds (?:today|on time))\b"),
    _rule("overdose_medical", "dangerously low blood sugar",
          r"\b(?:blood sugar|sugar|glucose|bg|bgl)\b[^.?!]{0,20}\b(?:crash\w*|tanking|dropping "
          r"fast|plummet\w*|(?:is |at |reads? |reading (?:shows )?)?(?:[1-4]\d) ?(?:mg|mg/dl)?\b)"
          r"[^.?!]{0,60}\b(?:can'?t|cannot|confus\w*|shak\w*|sweat\w*|barely|out of|combative|"
          r"won'?t)\b",
          exclude=r"\b(?:sugar crash after|candy|dessert|cake|soda|lol|in class|at work after "
                  r"lunch)\b"),
    _rule("suicide_ideation", "a car in a closed garage",
          r"\b(?:garage|carport)\b[^.?!]{0,50}\b(?:engine|motor|car|exhaust)\b[^.?!]{0,20}"
          r"\b(?:running|on|idling)\b|\b(?:engine|motor|car) (?:is |'s )?(?:still )?(?:running|on|"
          r"idling)"
          r"\b[^.?!]{0,40}\bgarage\b|\bexhaust\b[^.?!]{0,40}\b(?:hose|pipe|window)\b",
          exclude=r"\b(?:warm\w* (?:\w+ ){0,2}up|defrost\w*|mechanic|repair\w*|fix\w*|oil change|"
                  r"leak\w*|"
                  r"carbon monoxide detector|smell of)\b"),
    _rule("passive_ideation", "weary of being alive",
          r"\b(?:tired|sick|exhausted|weary|done) (?:of|with) (?:being alive|living|existing|"
          r"life itself|being here on (?:earth|this earth)|this life|my life|breathing)"
          r"(?=\s*(?:[.,!?;:)]|$|anymore\b|any more\b|and\b|but\b|so\b|honestly\b|tbh\b|"
          r"ngl\b|fr\b|is that\b|like genuinely\b|,))",
          negatable=True,
          exclude=r"\b(?:sick of (?:my life|this life) being|tired of my life (?:revolving|"
                  r"being)|lol|haha)\b"),
    _rule("passive_ideation", "not minding an accidental death",
          r"\b(?:wouldn'?t mind|would not mind|wouldn'?t care|would not care|don'?t care|"
          r"do not care|it'?d be (?:fine|okay|ok|a relief)|it would be (?:fine|okay|ok|a relief)|"
          r"(?:secretly )?(?:hope|hoping|wish|wishing|pray|praying))\b[^.?!]{0,20}\b(?:if |that )?"
          r"(?:i|me) (?:got|get|gets|were|was|getting|would get) (?:hit|run over|killed|struck)"
          r"\b|\bwish(?:es|ing)? (?:the|my|this) (?:plane|car|bus|train|flight) would (?:just )?"
          r"(?:crash|go down|fall)\b|\b(?:hope|hoping|wish|wishing) (?:i|that i) (?:just )?"
          r"(?:get|got) (?:cancer|a fatal|killed|in a (?:fatal )?(?:crash|accident))\b",
          exclude=r"\b(?:hit (?:by|with) (?:an idea|inspiration|traffic|a ball)|lottery|jackpot|"
                  r"lol|haha|jk)\b"),
    _rule("passive_ideation", "imagining one's own funeral",
          r"\b(?:picture|picturing|imagine|imagining|daydream\w*|fantasi[sz]\w*|think about|"
          r"thinking about|keep seeing) (?:about |of )?(?:my own|my) funeral\b|"
          r"\bnot sure i'?ll (?:still )?be (?:here|around|alive) (?:by|for|next|much longer|"
          r"tomorrow|then)\b|\b(?:might|may) not (?:still )?be (?:here|around|alive) (?:by then|"
          r"much longer|next (?:week|month)|tomorrow)\b",
          exclude=r"\b(?:pre-?plan\w*|prepaid|lease|contract|job|company|town|city|move|moving|"
                  r"visa|school|semester|in the office|trip|travel\w*|vacation|holiday|"
                  r"out of town|away|abroad|follow-?up|appointment|shift|rotation)\b"),
    _rule("passive_ideation", "hoping not to wake",
          r"\b(?:hop(?:e|es|ing)|pray(?:s|ing)?|wish(?:ing)?)\b[^.?!]{0,12}\b(?:i|"
          r"that i) (?:just )?"
          r"(?:won'?t|wouldn'?t|don'?t|do not|will not|never) wake(?: up)?\b|"
          r"\bpray(?:s|ing)? (?:every night |each night |at night )?(?:to |that i )?(?:not|never|"
          r"don'?t) (?:to )?wake\b|"
          r"\bdisappointed\b[^.?!]{0,30}\b(?:i|you) (?:woke|wake|still wake) up\b|"
          r"\bpray\w*\b[^.?!]{0,40}\b(?:god|the lord|lord|jesus|he|him)\b[^.?!]{0,12}\b"
          r"(?:to )?takes? me\b(?! (?:to (?:church|work|school|the)|out|back|through|there))|"
          r"\btakes? me (?:home|away)? ?(?:in my sleep|while i'?m (?:asleep|sleeping)|while i am "
          r"(?:asleep|sleeping))\b",
          exclude=r"\b(?:alarm|nap|jet lag|baby|kids? (?:wake|woke)|lol|haha|weekend|hangover)\b"),
    _rule("passive_ideation", "would anyone notice if I were gone",
          r"\b(?:would|will|'?d) (?:anyone|anybody|my \w+|they|people|someone|everyone) (?:even |"
          r"actually |really |ever )?(?:notice|miss me|care|be sad|be relieved)\b[^.?!]{0,25}"
          r"\b(?:if|when|once) i (?:just )?(?:was |were |'?m )?(?:gone|dead|died|disappeared|"
          r"not here|wasn'?t here|weren'?t here|wasn'?t around)\b|"
          r"\bwho (?:would|will|'?d) (?:even |actually |really )?miss me\b|"
          r"\bif i disappeared (?:tomorrow|today|tonight|forever)\b[^.?!]{0,40}\b(?:notice|miss|"
          r"care)\w*|"
          r"\bif i (?:just )?(?:wasn'?t|weren'?t|was not|were not) (?:here|around|alive) "
          r"any ?more\b|\b(?:kindest|best|easiest) thing (?:i could do|for everyone) (?:\w+ )?"
          r"(?:is|would be) (?:to )?(?:not be here|disappear|not exist|be gone)\b",
          exclude=r"\b(?:job|work|office|company|team|city|town|country|move|moving|school|"
                  r"class|party|group chat|social media|vacation|trip|week off)\b"),
    _rule("passive_ideation", "relief not to exist",
          r"\bunexist\w*\b|\b(?:nice|easier|better|peaceful|a relief|simpler|so much easier) "
          r"(?:it would be |it'?d be |if i could )?to (?:just )?(?:not exist|not be here|not be "
          r"alive|stop existing|not wake up|never wake up)\b|"
          r"\bno (?:reason|point|purpose) (?:for me )?to (?:continue|carry on)\b(?=\s*(?:[.,!?;]|$|"
          r"any ?more|living|at all))|\bany reason to (?:continue|keep living|go on)\b(?=\s*"
          r"(?:[.,!?;]|$))|"
          r"\b(?:won'?t|will not|no longer) (?:have to )?(?:deal with|worry about|put up with) me "
          r"(?:after (?:this|tonight|today|tomorrow|next)|any ?more|much longer|soon)\b",
          exclude=r"\b(?:job|quit|quitting|resign\w*|move|moving|retire\w*|graduat\w*|"
                  r"semester|lease|contract|project|class|course|lol|haha)\b"),
    _rule("suicide_ideation", "how easy it would be",
          r"\b(?:how easy it would be|how easy it'?d be|it would be so easy|it'?d be so easy|"
          r"thought about how easy|i could just|part of me wants to|urge to|tempted to) (?:to )?"
          r"(?:just )?(?:step|jump|fall|lean|walk|swerve|drive|let go)(?: forward| off| over| out)?"
          r"\b[^.?!]{0,30}\b(?:forward|edge|tracks|platform|traffic|oncoming|ledge|bridge|"
          r"railing|balcony|roof|off|over|into the (?:road|water|river|lane))\b",
          negatable=True,
          exclude=r"\b(?:job|diet|gym|class|course|relationship|project|conversation|argument|"
                  r"fight|chat|group|app|social media|off (?:work|the couch))\b"),
    _rule("self_harm", "hitting oneself",
          r"\b(?:i|and) (?:still |sometimes |often |always |keep |started |start |will |)?"
          r"(?:hit|hits|hitting|punch|punches|punching|slap|slapping|smack|smacking|bang|"
          r"banging|bite|biting|scratch|scratching|pull out|pulling out) (?:myself|my own (?:head|"
          r"face|arms?|legs?)|my head|my face|my arms?|my legs?)(?: (?:in|on|against) the (?:head|"
          r"face|wall|floor|desk))?\b[^.?!]{0,40}\b(?:when|until|till|hard|so hard|over and "
          r"over|bruis\w*|bleed\w*|overwhelmed|angry|upset|fight|argu\w*|punish)\b",
          exclude=r"\b(?:could (?:have )?(?:slap|kick|hit|smack)|should (?:slap|kick)|accident\w*|"
                  r"by mistake|cabinet|door frame|doorframe|shelf|ceiling|head ?phones|forehead "
                  r"slap|facepalm|mosquito|awake|yawn\w*|hair|nails?)\b"),
    _rule("danger_to_others", "a fantasy of killing someone",
          r"\b(?:fantas\w*|daydream\w*|(?:keep|kept) (?:picturing|imagining)|thinking about|"
          r"thoughts of|plan\w*|looked up|researched|googled) (?:about |of |how to )?"
          r"(?:poisoning|poison|killing|kill|stabbing|stab|strangling|strangle|shooting|shoot|"
          r"smothering|drowning|running over) (?:my |her |him |them |his |their |the )"
          r"(?:\w+[- ]?){0,3}|\b(?:poison\w*|kill\w*|hurt\w*)\b[^.?!]{0,60}\b(?:looked up|"
          r"researched|googled|searched) (?:what|how|which)\b",
          fiction=True, negatable=True,
          exclude=r"\b(?:snor\w*|instead|joke|joking|jokingly|kidding|jk|lol|lmao|haha|"
                  r"weeds?|plants?|rats?|mice|bugs?|ants?|roaches|pests?|mosquito\w*|"
                  r"flies|wasps?|bacteria|germs|mold|time|the vibe|the mood|the engine|"
                  r"the lights|the process|the habit|game|character|novel|story|essay|paper|"
                  r"podcast|true crime|documentary|history)\b"),
    _rule("child_at_risk", "a small child left alone",
          r"\b(?:leaves?|left|leaving|locks?|locked) (?:our|my|the|his|her|their|a) (?:\w+ )?"
          r"(?:baby|toddler|infant|newborn|little one|[1-8][- ]?(?:year|yr)[- ]?old|"
          r"(?:one|two|three|four|five|six|seven|eight)[- ]year[- ]old)\b[^.?!]{0,15}\balone\b"
          r"|\b(?:passed out|blacked out|unconscious|drunk|high|wasted)\b[^.?!]{0,60}\b(?:baby|"
          r"toddler|infant|[1-6][- ]?(?:year|yr)[- ]?old)\b[^.?!]{0,30}\b(?:bath|tub|pool|"
          r"alone|stove|road|street|car)\b",
          exclude=r"\b(?:for a (?:minute|second|moment)|monitor|nap|crib|playpen|asleep in "
                  r"(?:her|his) (?:crib|bed))\b"),
    _rule("concern_for_other", "someone else at risk",
          r"\b(?:my|our) (?:\w+ )?(?:child|kid|son|daughter|stepson|stepdaughter|teen|teenager|"
          r"\d{1,2}[- ]?(?:year|yr)[- ]?old|little one|toddler|"
          r"student|niece|nephew|grandchild|granddaughter|grandson|brother|sister|friend|"
          r"best friend|partner|husband|wife|boyfriend|girlfriend|mom|mother|dad|father|"
          r"roommate|client|coworker)\b[^.?!]{0,60}\b(?:wants? to (?:die|kill (?:him|her|them)"
          r"(?:self|selves)|end (?:his|her|their) life)|says? (?:that )?(?:s?he|they) "
          r"wants? to die|(?:is|was|seems|sounds|has been|'s) (?:\w+ )?suicidal|"
          r"(?:talks?|talking|talked|texted|posted|wrote|writes) about (?:killing (?:him|her|them)"
          r"self|suicide|dying|wanting to die|ending it)|(?:cuts?|cutting|self[- ]?harms?|"
          r"hurting|hurts|burning|starving) (?:him|her|them)(?:self|selves)|threaten(?:s|ed|ing)? "
          r"(?:to )?(?:kill|hurt) (?:him|her|them)(?:self|selves)|tried to (?:kill|hang|"
          r"overdose|end)|(?:overdosed|took too many))"),
)


# --- multilingual fallbacks: crisis in a handful of common languages (before non-English)
FOREIGN_CRISIS = re.compile(
    r"\b(?:suicid\w*|me quiero morir|quiero morir(?:me)?|matarme|quitarme la vida|"
    r"no quiero vivir|je veux mourir|me suicider|me tuer|en finir|ich will sterben|"
    r"mich umbringen|selbstmord|umbringen|quero morrer|me matar|voglio morire|"
    r"uccidermi|farla finita|autolesi\w*|me corto|cortarme|je me scarifie)\b|"
    r"自杀|自殺|想死|不想活|死にたい|자살|죽고 싶|покончить с собой|хочу умереть|суицид")
