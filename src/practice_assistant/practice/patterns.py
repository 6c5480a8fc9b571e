"""Patterns for practical questions about the practice (route ``practice_info``), per topic.

Written from ``training/practice_patterns.md``. A topic word alone is never enough: each pattern
needs a word that only practical questions use (*sliding scale, superbill, waitlist, no-show*), or
a topic word together with an address to the practice (*you, your therapists, the practice*) or
a booking verb. Trap patterns mark the article questions that share those words: whether
therapy *works* or *helps*, a partner as the subject of a relationship verb, *love languages*,
*the cost of avoiding conflict*. A trap vetoes a pattern unless the embedding layer
(:mod:`practice_assistant.practice.route`) is sure.

Each pattern returns the matched text, which becomes the route's ``reason``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Who a practical question addresses: the practice, its people, its office.
ADDRESS = (r"(?:you|your|yours|ya|y'?all|u|ur|you guys|the practice|this practice|your practice|"
           r"the office|your office|the therapists?|your therapists?|the clinicians?|"
           r"your clinicians?|your team|your staff|anyone there|someone there|connected healing)")
_END = r"[^.?!;]"  # stay inside one clause
STATES = (
    r"alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|"
    r"hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|"
    r"massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|"
    r"new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|"
    r"oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|"
    r"vermont|virginia|washington|west virginia|wisconsin|wyoming|d\.?c\.?|nj|ct|nyc|ny|pa|fl|"
    r"ma|ca|tx|long island|upstate|westchester|jersey|philly|boston|new england|the city|"
    r"canada|mexico|the uk|england|london|europe|france|paris|germany|spain|italy|ireland|"
    r"israel|india|australia|japan|brazil|another country|another state|other states|"
    r"a different state|abroad|overseas|out of the country|out of state|out-of-state")
LANGUAGES = (
    r"spanish|espa[nñ]ol|mandarin|cantonese|chinese|russian|portuguese|korean|hebrew|french|"
    r"arabic|hindi|urdu|polish|italian|german|japanese|tagalog|vietnamese|haitian creole|"
    r"creole|yiddish|bengali|punjabi|greek|farsi|persian|turkish|ukrainian|amharic|swahili|"
    r"gujarati|tamil|asl|american sign language|sign language")
INSURERS = (r"aetna|cigna|united ?healthcare|united health|uhc|optum|bcbs|blue ?cross|"
            r"blue ?shield|empire (?:plan|bcbs|blue)|anthem|oxford (?:health|plan|insurance)|"
            r"medicare|medicaid|tricare|humana|kaiser|emblem ?health|healthfirst|fidelis|"
            r"ghi|hip|carelon|magellan|beacon|lyra|spring health|headway|alma|eap|"
            r"employee assistance(?: program)?")
_IDENTITY = (r"\blgbt\w*|\bqueer\b|\btrans(?:gender)?\b|\bnon-?binary\b|\bpolyam\w*|"
             r"\bnon-?monogam\w*|\bkink\w*|\binterfaith\b|\binterracial\b")
APPOINTMENT = r"(?:appointments?|appts?|sessions?|consult\w*|intakes?|visits?|therapy)"


def near(a: str, b: str, gap: int = 40, clause: bool = True) -> str:
    """``a`` and ``b`` in either order, at most ``gap`` characters apart (within one clause
    unless ``clause`` is False: "I live in London. Could I still be a client?")."""
    between = _END if clause else r"[\s\S]"
    return rf"(?:{a}){between}{{0,{gap}}}(?:{b})|(?:{b}){between}{{0,{gap}}}(?:{a})"


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


TOPIC_PATTERNS: dict[str, re.Pattern[str]] = {
    "fees": _rx(
        r"\bsliding[- ]?scale\b", r"\breduced[- ]?(?:fees?|rates?|costs?|price)\b",
        r"\bout[- ]of[- ]pocket\b", r"\bpayment (?:methods?|options?|plans?)\b",
        r"\b(?:venmo|zelle|paypal|apple pay)\b", r"\bstudent (?:rates?|discounts?|pricing)\b",
        r"\blow[- ]cost\b", r"\bpricing\b", r"\bexpensive\b", r"\baffordable\b",
        r"\bset (?:me|us) back\b", r"\bwhat'?s the damage\b",
        r"\bhow much (?:per|a|each|every) (?:session|week|month|hour|visit|appointment)\b",
        r"\bhow much (?:am i|are we|would i|would we|will i|will we) (?:be )?(?:looking at|"
        r"paying|spending|out)\b",
        r"(?:^|: )(?:so |and |ok |okay )?how much (?:is|are|does|do|would|will) (?:it|that|this|"
        r"one|they)(?: cost| be| run)?\??$",
        near(r"\bflexib\w*|\bany options\b|\bhelp with (?:the )?cost\b",
             r"\bmoney\b|\bbudget\b|\bprice\b|\bpay\b|\bcost\b|\bafford\w*|\btight\b", 40,
             clause=False),
        r"\bafford (?:therapy|it|sessions?|the|to (?:pay|see|come))\b",
        r"\bprice (?:per|for|list)\b", r"\bpriced\b",
        r"\bfees?\b(?! (?:for|if) (?:a )?(?:late|no))", r"\brates? (?:per|for)\b",
        r"\bhow much (?:is|are|for|per|would|will|does|do|to)\b(?!" + _END +
        r"*\b(?:help|affect|matter|change|share|tell|talk|work|improve|time|progress|say|"
        r"attention|wait|worry|need to know))" + _END + r"{0,40}\b(?:session|sessions|therapy|"
        r"appointment|consult\w*|counsel\w*|an hour|a month|a week|per|it be|it cost|it run|you|"
        r"u|emdr)\b",
        r"\bhow much (?:do|does|would|will) (?:you|u|it|therapy|a session|sessions|"
        r"couples therapy|counsel\w*)\b" + _END + r"{0,20}"
        r"\b(?:charge|cost|run)\b",
        # "does setting boundaries cost you friendships": a generic "you" as the object of cost
        near(r"\b(?:cost(?! (?:you|u)\b)|costs|price|prices|rates?|charge[sd]?|charging|"
             r"expensive|afford\w*|"
             r"discounts?|pay|paying|bill|billed|billing|invoice\w*)\b",
             rf"\b{ADDRESS}\b|\b{APPOINTMENT}\b|\bper (?:hour|week|month)\b|\ba month\b|"
             r"\bweekly\b|\bup front\b|\bmonthly\b|\bcredit card\b|\bcard\b|\bcash\b|\bcheck\b|"
             r"\bgrad student\b|\bbudget\b|\blost my job\b|\bflexib\w+\b", 45),
    ),
    "insurance": _rx(
        r"\binsur\w*|\binsurnace\b|\binsurence\b|\bin[- ]?network\b|\bout[- ]of[- ]network\b",
        r"\boon\b", r"\bsuper ?bills?\b", r"\breimburs\w*", r"\bcpt\b", r"\bdiagnosis codes?\b",
        r"\bhsa\b", r"\bfsa\b", r"\bco-?pays?\b", r"\bdeductibles?\b", rf"\b(?:{INSURERS})\b",
        near(r"\bcover(?:ed|s|age)?\b", r"\b(?:my|the|our) (?:plan|insurer|employer|policy)\b|"
             r"\bbenefits\b", 40),
        near(r"\bbenefits\b", r"\b(?:verify|check|use|using|my|our)\b", 20),
        r"\bclaims?\b" + _END + r"{0,30}\b(?:file|submit|insurance|plan)\b",
    ),
    "states_served": _rx(
        r"\bstates? (?:do |does )?(?:you|u|the practice|your \w+) (?:serve|cover|see|work|"
        r"practice|operate|offer|licensed)\b",
        r"\b(?:which|what) states?\b",
        r"\blicens\w* (?:in|outside|to practi[cs]e|for|anywhere|elsewhere|besides|other than|"
        r"beyond)\b",
        r"\bpsypact\b", near(r"\blicens\w*", r"\bwhere\b|\bwhich\b|\bwhat states?\b", 30),
        r"\bout[- ]of[- ]state\b", r"\b(?:abroad|overseas)\b",
        # "do we have to be in a crisis before we book": a place must follow "be in"
        rf"\bdo (?:i|we) (?:have|need) to (?:live in|be (?:physically |located )?in "
        rf"(?:the (?:same )?(?:state|country|us)\b|(?:{STATES})\b))", r"\bnew yorkers?\b",
        r"\b(?:do|does) (?:you|u|the practice|your \w+) (?:serve|see clients in|cover|work in)\b",
        r"\b(?:only|just) (?:in|for) (?:ny|new york|nyc|the city)\b",
        near(rf"\b(?:live|living|lives|located|based|moving|move|moved|relocat\w*|travel\w*|"
             rf"visiting|on vacation|from|in|i'?m in|we'?re in)\b{_END}{{0,12}}\b(?:{STATES})\b",
             rf"\b(?:{ADDRESS}|{APPOINTMENT}|clients?|see (?:me|us|someone)|work with|"
             r"continue|keep (?:seeing|working|my|our|going|doing|sessions|therapy)|"
             r"still (?:see|be|do|work|have|meet|continue))\b", 60, clause=False),
        near(rf"\b(?:live|living|i'?m in|im in|we'?re in|based in)\b{_END}{{0,6}}\b(?:{STATES})\b",
             rf"\b(?:work|working|commute|office|job)\b{_END}{{0,12}}\b(?:{STATES})\b", 60,
             clause=False),
    ),
    "format": _rx(
        # "should these talks happen face to face?" is about a couple, not the sessions
        near(r"\bin[- ]person\b|\bface[- ]to[- ]face\b",
             rf"\b(?:{APPOINTMENT}|counsel\w*|office|online|virtual\w*|remote\w*|video|zoom|"
             rf"telehealth|meet\w*|see (?:a|the|someone|them)|option\w*|offer\w*|available|"
             rf"{ADDRESS})\b", 60, clause=False),
        r"^(?:and |or |is it |any )?(?:in[- ]person|face[- ]to[- ]face)\W*$", r"\btelehealth\b",
        r"\bhybrid\b", r"\bzoom\b", r"\bdoxy\b", r"\bgoogle meet\b", r"\bvideo platform\b",
        r"\bphone (?:sessions?|therapy|calls? instead)\b", r"\bover the phone\b",
        r"\bphysical (?:address|office|location)\b", r"\bwalk[- ]and[- ]talk\b",
        r"\b(?:text|chat)[- ]based\b", r"\bjoin from (?:different|separate|two)\b",
        r"\bwhat do (?:i|we) need to (?:join|log ?in|get on)\b", r"\bapp to download\b",
        r"\b(?:download|install) (?:an? |the |some )?(?:app|software|program)\b",
        r"\b(?:sessions?|therapy|appointments?) (?:done|held|offered|happen) (?:over|by|on|via|"
        r"through) (?:video|phone|zoom|the phone|computer)\b",
        near(r"\b(?:sessions?|appointments?)\b", r"\bfrom my (?:phone|laptop|computer|tablet)\b",
             30),
        r"\bcome in(?:to)? (?:the|your) office\b", r"\bhave to come in\b",
        r"\bwhere (?:are|is) (?:you|your office|the office|the practice)\b",
        near(r"\boffice\b", r"\b(?:where|located|location|address|have an?|in (?:manhattan|"
             r"brooklyn|queens|the bronx|staten island|midtown|downtown))\b", 30),
        near(r"\b(?:online|virtual\w*|remote\w*|video|by phone|on the phone)\b",
             rf"\b{ADDRESS}\b|\bor in[- ]person\b|\bonly\b|\bdo (?:i|we) have to\b", 35),
    ),
    "booking": _rx(
        rf"\b(?:book|booking|schedule|scheduling|make|set up|request|arrange)\b{_END}{{0,25}}"
        rf"\b(?:appointments?|appts?|sessions?|consult\w*|intake|first (?:visit|session))\b",
        r"\bhow (?:do|can|would|should|does one) (?:i|we|one)? ?(?:get started|sign up|"
        r"begin|start|become a (?:new )?client)\b(?:\s+(?:with (?:you\w*|the practice|your "
        r"practice|therapy here)|here|therapy with you|working with you|as a (?:new )?client))?"
        r"\s*(?:[?.!]|$)",
        r"\b(?:phone number|email address|e-?mail you|contact form|intake (?:forms?|paperwork)|"
        r"scheduling link|booking link|hear(?:d)? back|get back to me)\b",
        r"\b(?:reach|contact|call|email|text|message) (?:you|someone|a person|a human|the "
        r"practice|the office|your office)\b",
        r"\bget in touch\b",
        # the practice answering the visitor, not "how do I respond when someone...":
        rf"\b(?:you|u|someone|anyone|somebody|they|the office|the practice|a therapist|the "
        rf"therapist)\b{_END}{{0,25}}\b(?:respond\w*|repl(?:y|ies|ied)|gets? back to|call "
        rf"(?:me )?back)\b",
        rf"\b(?:respon\w*|repl\w*|hear back|get back)\b{_END}{{0,30}}\b(?:my |an |the )?"
        rf"(?:e-?mail\w*|messages?|form|voicemail|inquiry|request)\b",
        r"\bhear (?:back )?from (?:you|someone|anyone|somebody|the (?:practice|office|"
        r"therapist))\b",
        r"\bpaperwork before\b",
        r"\b(?:schedule|book)\b (?:online|by (?:phone|text|email))\b",
        r"\b(?:text|call|email) to (?:schedule|book)\b",
        r"\b(?:i'?d|i would|we'?d|we would|i want to|we want to) (?:like to |love to )?"
        r"(?:sign up|book|schedule|get started|become a client|start (?:seeing|working with|"
        r"therapy with)|begin (?:seeing|therapy with))\b",
        r"\bfill out\b" + _END + r"{0,30}\b(?:before|appointment|session|intake|forms?)\b",
        r"\bsign up\b" + _END + rf"{{0,30}}\b{ADDRESS}\b",
        near(r"\b(?<!a )(?<!good )(?<!the )(?:book|booking|booked)\b",
             rf"\b{ADDRESS}\b|\bfor (?:both of us|my \w+)\b|\bonline\b|\bspecific therapist\b", 40),
        r"\b(?:the )?next step\b" + _END + rf"{{0,20}}\b{ADDRESS}\b",
        r"^(?:what(?:'s| is) )?(?:the )?next step\??$",
        rf"\b(?:first|next) step\b{_END}{{0,40}}\b(?:get(?:ting)? started|start(?:ing)?|"
        rf"begin(?:ning)?)\b{_END}{{0,40}}\b{ADDRESS}\b",
    ),
    "wait_time": _rx(
        r"\bwait ?list\w*\b", r"\bwaiting list\b", r"\bwait times?\b", r"\bhow long is the wait\b",
        r"\bopenings?\b", r"\bavailabilit\w+\b", r"\baccepting (?:new )?(?:clients|patients)\b",
        r"\btaking (?:on )?(?:new )?(?:clients|patients)\b", r"\bnew (?:clients|patients)\b",
        r"\b(?:taking|accepting) (?:on )?(?:any )?new (?:couples|people|families|individuals|"
        r"referrals)\b",
        r"\b(?:are|is) (?:you|u|your (?:therapists|practice|team)|the practice) (?:all |currently "
        r")?(?:full|booked up|fully booked|at capacity)\b",
        r"\bhow far out\b", r"\bearliest (?:appointment|opening|available|slot|session)\b",
        r"\basap\b", r"\bfit (?:me|us) in\b",
        r"\bimmediate(?:ly)? (?:availability|appointment|opening|start)\b",
        r"\bget in (?:this|next) (?:week|month)\b",
        r"\bhow (?:soon|quickly|fast) (?:can|could|would|will) (?:i|we|someone)\b(?!" + _END +
        r"*\b(?:results|better|change|progress|improve|feel|notice|difference|work\w*)\b)",
        r"\bwhen (?:can|could|would|will) (?:i|we) (?:actually |realistically |really )?"
        r"(?:start|begin|get in|be seen|see someone)\b",
        r"\bsee someone (?:this|next|soon|quickly|right away)\b",
        r"\bhow long (?:until|till|before) (?:my|our|the|i can have (?:a|my)) first "
        r"(?:session|appointment)\b",
        r"\bcancellation (?:list|spots?)\b",
        near(r"\bearliest\b", r"\b(?:be seen|see (?:me|us|someone)|get in|start|appointment|"
             r"opening)\b", 30),
        r"\bhow long (?:does|will|would) it (?:usually |normally |typically )?take to (?:get "
        r"(?:matched|in|an appointment|seen|started|a first)|be (?:seen|matched))\b",
        r"\b(?:anyone|someone|a therapist) (?:open|free|available)\b",
        rf"\b(?:are|is) (?:you|anyone|someone|a therapist)\b{_END}{{0,20}}\bavailable\b",
        r"\bavailable (?:this|next|tomorrow|today|soon|right away)\b",
        r"\bstart (?:this|next) (?:week|month)\b",
    ),
    "hours": _rx(
        r"\boffice hours\b", r"\byour hours\b", r"\bwhat are (?:your|the) hours\b",
        r"\bhours (?:of operation|are you open)\b", r"\btime ?zones?\b",
        r"\b(?:eastern|pacific|central|mountain) time\b", r"\b(?:est|edt|pst|cst)\b",
        r"\bopen (?:on )?(?:saturdays?|sundays?|weekends?|holidays?|fridays?|mondays?)\b",
        r"\b(?:are|is) (?:you|the office|the practice) open\b", r"\bwhat days\b",
        r"\bwhat times\b", r"\banswer the phone\b",
        r"\blatest (?:appointment|session|time|slot)s?\b",
        r"\b(?:can|could) only (?:do|come|make it|meet) (?:on )?(?:weekends?|evenings?|mornings?|"
        r"nights?|\w+days?|after|before)\b",
        near(r"\b\d{1,2} ?(?:am|pm)\b|\bearly in the morning\b", r"\b(?:is there anything|"
             r"anything|available|slots?|appointments?|sessions?|do you|offer)\b", 40),
        near(r"\b(?:evenings?|weekends?|saturdays?|sundays?|mornings?|lunch(?:time| hour|"
             r" break)?|late[- ]night|daytime|after work|after \d+|before \d+|\d+ ?(?:am|pm)|"
             r"nights?)\b",
             rf"\b(?:{APPOINTMENT}|slots?|availability|offer|open|hours|times?)\b|\b(?:do|are|"
             rf"can) (?:you|u)\b(?! (?:recommend|suggest|tell|explain|give|name|list))", 35),
    ),
    "session_length": _rx(
        r"\b\d{2,3}[- ]?(?:min|mins|minutes?)\b" + _END + r"{0,25}\b(?:session|appointment)s?\b",
        r"\b(?:session|appointment)s?\b" + _END + r"{0,25}\b\d{2,3}[- ]?(?:min|mins|minutes?)\b",
        r"\bhow long (?:is|are|do|does|will|would) (?:a |the |each |your |our |one |an? )?"
        r"(?:\w+ )?(?:sessions?|appointments?)\b",
        r"\b(?:double|extended|shorter|longer|half[- ]hour|full[- ]hour|hour[- ]long|"
        r"30[- ]minute)[- ]?(?:sessions?|appointments?)\b",
        r"\bsession (?:length|lengths|duration)\b", r"\bfull hour\b",
        r"\bhow many (?:minutes|hours)\b" + _END + r"{0,25}\b(?:sessions?|appointments?)\b",
        near(r"\b(?:longer|shorter|same length)\b", r"\b(?:sessions?|appointments?)\b", 35),
        r"\blength of (?:a|the|each|your) session\b",
        r"\bhow (?:often|frequently) (?:are|do|would|will|is) (?:the |your )?(?:sessions|we meet|"
        r"i (?:come|meet|see)|we (?:come|see)|people meet)\b",
        r"\b(?:do|would|will) (?:i|we) have to come every\b",
        r"\bminimum (?:number of )?sessions\b",
        r"\bhow many sessions\b" + _END + r"{0,40}\b(?:sign up|commit|book|usually book|"
        r"minimum|required|have to)\b",
        near(r"\b(?:every other week|biweekly|bi-weekly|fortnightly|twice a week|once a week|"
             r"weekly|monthly)\b", r"\b(?:sessions?|meet|come in|appointments?)\b", 25),
    ),
    "cancellation": _rx(
        r"\bcancell?ations?\b", r"\bno[- ]?shows?\b", r"\breschedul\w*", r"\blate[- ]cancel\w*",
        r"\b(?:24|48|72|twenty[- ]four|forty[- ]eight)[- ]?(?:hours?|hrs?)\b",
        r"\bwaive\w* (?:the )?fee\b", r"\bhow much notice\b",
        r"\b(?:fee|charge|penalty|pay)\b" + _END + r"{0,20}\b(?:missing|missed|skipping|cancel\w*) "
        r"(?:an?|my|the|our) (?:appointments?|appts?|sessions?)\b",
        r"\bcancel\w* (?:late|last[- ]minute|the (?:day|night) (?:of|before))\b",
        # "can I cancel?", "if we cancel the session": not "how do I cancel my gym membership"
        r"\b(?:i|we)\b" + _END + r"{0,15}\bcancel\b(?! (?:plans|on\b))(?! (?:my|the|a|an|our|"
        rf"this|that|his|her|their) (?!{APPOINTMENT}\b|next\b|upcoming\b|first\b|"
        r"tomorrow\b|today\b)\w+)",
        r"\b(?:the )?therapists? (?:has to|needs to|have to) cancel\b",
        r"\brunning (?:\d+ minutes? |a (?:few|bit|little) )?late\b|\b(?:show up|arrive|am) "
        r"late\b",
        r"\bcan'?t (?:make|attend|come to|come in for) (?:it|my|our|the|an?)\b",
        rf"\b(?:i|we|my|our|you|u)\b{_END}{{0,15}}\b(?:cancel\w*|miss|missed|skip|forgot|"
        rf"forget|move|running late|late (?:to|for))\b{_END}{{0,25}}\b(?:my|our|a|the|an)?"
        rf" ?(?:appointments?|appts?|sessions?|consult\w*)\b",
    ),
    "languages": _rx(
        r"\binterpreters?\b", r"\binterpretation services?\b", r"\bbilingual\b",
        # a language's name alone is not a practical question ("do I-statements work in
        # Japanese?"): it needs the practice, a session, speaking, or a one-word fragment
        near(rf"\b(?:{LANGUAGES})\b", rf"\b(?:speak\w*|spoken|fluent|offer\w*|available|"
             rf"therap\w*|counsel\w*|sessions?|appointments?|consult\w*|clinicians?|"
             rf"providers?|someone|anyone|options?|emdr|{ADDRESS})\b", 60),
        rf"^(?:(?:and |or |any |in )?(?:{LANGUAGES})\W*){{1,3}}$",
        r"\bofrecen\b|\bterapia\b|\bterapeutas?\b|\bhabl[ae]\w*\b",
        r"\bonly (?:offered |available |done |held )?in english\b",
        r"\bin english\b" + _END + r"{0,20}\bonly\b",
        r"\b\w+[- ]speaking (?:therapists?|counsel\w*|clinicians?|provider)\b",
        near(r"\b(?<!love )(?<!body )languages?\b(?! of love)",
             rf"\b(?:speak|spoken|offer|therapists?|sessions?|available|{ADDRESS})\b", 30),
        near(r"\b(?:native|first) language\b", rf"\b(?:therapist|session|option|offer|anyone|"
             rf"someone|{ADDRESS})\b", 60, clause=False),
    ),
    "specialties": _rx(
        r"\bcredentials?\b", r"\b(?:lcsw|lmhc|lmft|lpc|psyd|psy\.d)\b", r"\bon staff\b",
        r"\b(?:your|the) (?:team|therapists|clinicians|staff|counselors|providers)\b",
        r"\bwho are (?:your|the) (?:therapists|clinicians|counselors)\b",
        r"\bemdr[- ](?:trained|certified)\b",
        near(r"\bgottman\b|\beft\b|\bemotionally focused\b",
             rf"\b{ADDRESS}\b|\btrained\b|\bcertified\b|\btraining\b", 40),
        # who a visitor is, said to ask whether the practice sees them, not a bare mention
        # ("I'm in a polyamorous relationship; does individual therapy work differently?")
        near(_IDENTITY, rf"\b(?:{ADDRESS}|therapists?|counsel\w*|clinicians?|providers?|"
             r"affirming|friendly|competent|experience\w*|work with|speciali[sz]\w*|familiar|"
             r"comfortable with|understand\w*|judg\w*)\b", 60, clause=False),
        rf"^(?:(?:and |or |any |are you )?(?:{_IDENTITY})\W*){{1,3}}$",
        r"\btherapists? of colou?r\b", r"\bbipoc\b",
        r"\b(?:black|latina?o?|asian|male|female|woman|man|christian|jewish|muslim) "
        r"(?:therapist|counsel\w*|clinician)\b",
        r"\bmatch\w* (?:me |us |clients |people |couples )?(?:with|to)\b",
        r"\bdo (?:you|u) have (?:one|someone|anyone|a therapist|therapists)\b",
        r"\b(?:is|are) there (?:a |an |any )?(?:therapists?|clinicians?|counsel\w*|someone|"
        r"anyone) (?:there|on staff|at (?:the|your) practice)\b",
        r"\bchoose (?:my|a|our) (?:own )?therapist\b",
        r"\bpremarital\b", r"\bprescrib\w*\b", r"\bmedication management\b",
        r"\bpsychiatrist on staff\b", r"\bkacie\b",
        rf"\b(?:do|does|can|could) (?:you|u|your \w+|anyone|any of your \w+|someone there|the "
        rf"practice)\b(?! (?:think|know|tell|explain|give|recommend|suggest|believe|say|mean))"
        rf"{_END}{{0,40}}\b(?:speciali[sz]\w*|work with|treat|see|have (?:someone|anyone|(?:a|an|"
        r"any) (?:\w+ )?(?:therapists?|clinicians?|counsel\w*|specialists?|person|provider|"
        r"psychologists?|psychiatrists?|women|woman|men|man))|focus\w*|experience\w*|offer|"
        r"provide|help with|run|host)\b",
        r"\b(?:do|does) (?:you|u|your \w+|the practice|anyone there)\b help\b",
        r"\b(?:do|does) (?:you|u|the practice|your practice|your therapists) (?:do|offer|run) "
        r"(?:\w+ ){0,2}(?:therapy|counsel\w*|sessions|groups?)\b",
        r"\byour \w+ (?:person|people|specialists?|experts?|therapists?|clinicians?|"
        r"counsel\w*)\b",
        # "what does EMDR specialise in" asks about the method: the practice must be addressed
        r"\bspecialt\w+\b",
        near(r"\bspeciali[sz]\w*", rf"\b{ADDRESS}\b|\bany ?one\b|\bsomeone\b", 40),
        rf"\b(?:teens?|teenagers?|adolescents?|children|kids|minors|families)\b{_END}{{0,30}}"
        rf"\b{ADDRESS}\b|\b{ADDRESS}\b{_END}{{0,30}}\b(?:teens?|teenagers?|adolescents?|"
        r"children|kids|minors|families)\b",
    ),
    "consultation": _rx(
        r"\bconsult\w*\b" + _END + r"{0,20}\bfree\b",
        near(r"\b(?:free )?consult\w*\b|\bintro(?:ductory)? call\b|\bdiscovery call\b|"
             r"\bfree (?:call|phone call|15)\b",
             r"\b(?:how long|phone|video|zoom|call me|you call|charged?|cost\w*|how much|fee|"
             r"credit card|commit\w*|count(?:s)? as|have ready|forms?|insurance card|both "
             r"(?:of us|partners)|more than one|how many|limit|runs? over|really free|actually "
             r"free|is (?:it|that|the \w+) free|offer (?:a )?free|do you (?:offer|do|have)|who "
             r"(?:will|would|do) i|with the therapist|same therapist|sign anything|obligat\w+|"
             r"free\??$|length|logistic\w*|join|location|forms?|with the (?:actual |real |same )"
             r"therapist|(?:talk|speak|meet) (?:to|with) "
             r"(?:the|my|a|an) (?:actual |real )?therapist)\b", 45),
    ),
    "privacy_records": _rx(
        r"\bconfidential\w*\b", r"\bprivacy (?:policy|practices|notice)\b", r"\bhipaa\b",
        r"\brecords?\b", r"\b(?:session|therapy|progress|clinical|therapist'?s) notes\b",
        r"\bthird[- ]part(?:y|ies)\b", r"\bmy (?:data|information|info|file)\b",
        near(r"\brecord(?:ed|ing)\b", rf"\b(?:sessions?|{ADDRESS}|therap\w+)\b", 30),
        r"\brelease of information\b", r"\bsecrets? policy\b",
        rf"\b(?:private|secrets?|privacy)\b{_END}{{0,30}}\b(?:policy|{ADDRESS})\b",
        # the practice as the one who tells: "should I tell my employer about my ADHD?" is not
        rf"\b(?:{ADDRESS}|it|that|this|anything|something|they|information|info|notes|records?|"
        rf"diagnos\w*|be|get|is|are|ever)\b(?: \w+)?"
        rf" (?:shared|share|sent|send|told|tell|reported|report)\b{_END}{{0,25}}\b(?:with |to )?"
        r"(?:my )?(?:insurance|employer|parents|doctor|psychiatrist|school)\b",
        rf"\b(?:tell|inform|notify)\b{_END}{{0,25}}\b(?:my )?(?:employer|boss|insurance|parents|"
        rf"school)\b{_END}{{0,40}}\b(?:therap\w*|counsel\w*|sessions?|seeing (?:a|someone))\b",
        r"\bwho (?:sees|can see|has access to)\b",
        r"\b(?:will|would|does|do|can|could) (?:it|that|this|the therapist|you|they)\b" + _END
        + r"{0,20}\b(?:shared|share|told|tell|disclosed?)\b" + _END
        + r"{0,20}\bwith my (?:partner|husband|wife|spouse|boyfriend|girlfriend)\b",
        r"\b(?:tell|say to|share with) (?:the|my|a|our) (?:couples )?(?:therapist|counsel\w*)\b"
        + _END + r"{0,25}\b(?:privately|in private|alone|one[- ]on[- ]one|in secret)\b",
        r"\bconsent to (?:talk|speak)\b",
        # what the therapist passes on; "should I tell him what I say in my sessions" is not
        near(r"(?<!\bi )(?<!\bwe )\b(?:shared?|told|tell|passed on|disclosed?|repeated)\b",
             r"\b(?:individual|private|own|one[- ]on[- ]one|separate) sessions?\b", 60,
             clause=False),
        r"\b(?:employer|boss|job|work|parents|school|insurance company) (?:will |would |could )?"
        r"(?:find out|know|see|be told|be notified)\b|\bfind out (?:i'?m|that i'?m) in therapy\b",
        near(r"\b(?:secure|safe|protected|encrypted)\b", r"\b(?:forms?|information|notes|data|"
             r"files?|records?)\b", 30),
    ),
}

# Article questions that share the words above (the traps in the patterns guide).
TRAP_PATTERNS: dict[str, re.Pattern[str]] = {
    # Rule 3: whether it works, how long it takes to work.
    "effect": _rx(
        r"\b(?:start(?:s|ed)? (?:to )?work\w*|results?|progress|effective\w*|worth it|worth the|"
        r"as good as|as well as|better than|harder to|easier to|feel distant|too late|right time|"
        r"make a difference|notice a difference|see a difference)\b",
        r"\bis (?:it|therapy|couples therapy|counsel\w*|this) (?:even |really |actually )?worth\b|"
        r"\bworth (?:it|the|paying|spending|going|trying|doing)\b",
        r"\b(?:does|do|did|will|would|can|could|is|isn'?t|doesn'?t|won'?t|might|how much does|"
        r"how much do|how does|how do|how will)\b(?! (?:you|u|your|y'?all)\b)(?: [\w'-]+){0,4} "
        r"(?:really |actually |even |"
        r"still )?(?:help|helps|work|works)\b(?! with| for you| out)"),
    # Rule 2: a partner as the subject of a relationship verb.
    "partner_subject": re.compile(
        r"\b(?:my|our) (?:partner|husband|wife|boyfriend|girlfriend|spouse|fianc\w*|ex|mom|"
        r"dad|mother|father|friend|son|daughter)\b(?! and (?:i|me|my)\b)" + _END
        + r"{0,25}\b(?:keeps?|always|never|"
        r"won'?t|refuses?|doesn'?t|is|cancel\w*|travels?|says?|wants?|reads?|moving|moved|"
        r"has|had|forgets?|misses|lives?|living|works?)\b"),
    "money_topic": re.compile(
        r"\b(?:success|divorce|failure|response|heart|relapse|recovery) rates?\b|\brates? of\b|"
        r"\b(?:cost|price)s? (?:of|to)\b(?! (?:a |the |one |each )?(?:session|therapy|"
        r"appointment|consult))|\bwhat price\b|\bwaste of money\b|\bfight\w* about money\b|"
        r"\bpay(?:ing)? (?:for (?:my|his|her|their|our) (?:partner|mistakes|past)|"
        r"(?:too much |more )?attention)\b|\bcharge into\b|\bhow much (?:should|can) i "
        r"(?:share|tell)\b"),
    "skill_object": re.compile(
        r"\b(?:book|schedule|make|set up|plan)\b" + _END + r"{0,15}\b(?:time|check-?ins?|date "
        r"nights?|a conversation|talks?)\b|\bget started (?:using|with (?:i|setting|the)|on)\b|"
        r"\bfirst step (?:to|in|toward)\b|\bknow (?:if|when|whether) (?:i'?m|we'?re) ready\b|"
        r"\bhow (?:do|can) i (?:start|begin) (?:a|the|to)\b|"
        # "how do I set up my room for an online session": the space, not an appointment
        r"\b(?:set up|prepare|get ready) (?:my|our|the|a) (?:space|room|laptop|computer|camera|"
        r"device|desk)\b"),
    "what_happens": re.compile(
        r"\bwhat (?:happens|to expect|should (?:i|we) expect|do (?:people|therapists|you) "
        r"(?:talk about|do)|should i (?:ask|say)|to ask|to say)\b|\bgood fit\b|\bright fit\b|"
        r"\bnervous\b|\bexpect\b|\bmention\b|\bactual therapy\b|\breal therapy\b|"
        r"\bprepare (?:emotionally|myself)\b|\bstructure of\b|\bphases?\b|\bformat of\b"),
    # "What is the Gottman method?" asks what a thing is, not whether the practice offers it.
    "definition": re.compile(
        rf"^(?:so |and |ok |okay )?(?:what(?:'s| is| are| does)|explain|define|tell me about|"
        rf"how does|how do)\b(?!.*\b{ADDRESS}\b)|"
        # "what's the difference between an LCSW and an LMHC?" compares kinds, not the offer
        rf"\bdifferences? between\b(?!.*\b{ADDRESS}\b)"),
    # "Can you recommend a couples retreat?" asks the assistant for advice, not the practice.
    "ask_assistant": re.compile(
        r"\b(?:can|could|would|will) you (?:please )?(?:recommend|suggest|explain|name|list|"
        r"give me (?:some|a list)|point me to)\b"),
    # "How do I cancel my gym membership?": cancelling something that is not a session.
    "other_object": re.compile(
        rf"\bcancel\w* (?:my|the|a|an|our|this|that|his|her|their) (?!{APPOINTMENT}\b|next\b|"
        r"upcoming\b|first\b|tomorrow\b|today\b|\w+'s\b)\w+"),
    "love_language": re.compile(r"\blove languages?\b|\bbody language\b|\btalk past\b|"
                                r"\bspeak to (?:my|your|him|her)\b"),
    "ordinary_time": re.compile(
        r"\b(?:every night|at night|before bed|weekends? (?:always|are|turn)|on weekends\b"
        r"(?! (?:appointments?|sessions?))|quality time|time together|time-?outs?|never has "
        r"time|schedules? never)\b"),
    "feeling": re.compile(
        r"\b(?:anxious state|state of mind|miss (?:my|him|her|them)|emotionally unavailable|"
        r"unavailable|keep (?:it|things|some things) private|private from|private in a "
        r"relationship|secrets? from me|reads? my texts?|passwords?)\b"),
    "how_to_online": re.compile(
        r"\bhow (?:does|do|will) (?:online|virtual|video|tele) ?(?:therapy|sessions?|"
        r"counsel\w*)\b|\bwhat (?:does|will) an? (?:online|video|virtual) session\b|"
        r"\b(?:set up|prepare|preparing) (?:my|our|the|a) (?:space|room)\b|\binternet\b|"
        r"\bone screen\b|\bmy car\b|\broommates?\b|"
        # "Can EMDR be done online?" / "can I do it over video": whether it can, not the offer
        r"\bcan (?:i|we|it|emdr|therapy|this|that|couples therapy)\b(?:(?!\b(?:you|your|u)\b)"
        r"[^.?!]){0,30}\b(?:over video|by video|on video|online|virtually|remotely|over zoom|"
        r"over the phone|by phone|on the phone)\b(?!" + _END + r"*\binstead\b)"),
}
# Which traps can veto which topics (a trap unrelated to a topic's words never vetoes it).
TRAPS_FOR: dict[str, tuple[str, ...]] = {
    "fees": ("effect", "money_topic", "partner_subject"),
    "insurance": ("effect",),
    "states_served": ("partner_subject", "feeling", "effect", "ask_assistant"),
    "format": ("effect", "how_to_online", "partner_subject", "what_happens", "definition",
               "ask_assistant"),
    "booking": ("skill_object", "partner_subject", "what_happens", "ask_assistant"),
    "wait_time": ("effect", "partner_subject", "feeling"),
    "hours": ("ordinary_time", "partner_subject", "ask_assistant"),
    "session_length": ("effect", "partner_subject", "what_happens"),
    "cancellation": ("partner_subject", "feeling", "other_object"),
    "languages": ("love_language",),
    "specialties": ("effect", "what_happens", "definition", "partner_subject", "ask_assistant"),
    "consultation": ("what_happens",),
    "privacy_records": ("feeling", "how_to_online", "partner_subject", "effect"),
}


# When several topics match, the first in this order wins (the tie-breaks in the patterns guide:
# "reschedule the consultation" is cancellation, "book the consultation" booking, "will
# insurance cover online sessions" insurance, "Spanish-speaking therapist for EMDR" languages).
PRIORITY = ("states_served", "privacy_records", "languages", "cancellation", "insurance",
            "booking", "consultation", "hours", "wait_time", "fees", "session_length", "format",
            "specialties")
_CLAUSE = re.compile(r"[.?!;]+|,\s*(?=(?:and |but |so )?(?:do|does|did|can|could|is|are|will|"
                     r"would|what|how|who|where|when|any|should)\b)")


@dataclass(frozen=True)
class PatternHit:
    """A topic pattern that matched, and the traps in the same clause."""

    topic: str
    matched: str
    traps: tuple[tuple[str, str], ...] = ()

    @property
    def vetoed(self) -> bool:
        return bool(self.traps)


def normalize(text: str) -> str:
    """Lower case, straight apostrophes, single spaces: what every pattern reads."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for mark in _CLAUSE.finditer(text):
        spans.append((start, mark.start()))
        start = mark.end()
    spans.append((start, len(text)))
    return spans


# A practical question is about therapy here: it addresses the practice, names something of
# therapy, or is a short fragment ("pricing?"). "What time does the stock market open?" is none.
_CONTEXT = re.compile(
    rf"\b(?:{ADDRESS}|{APPOINTMENT}|therap\w*|counsel\w*|clinicians?|psycholog\w*|"
    rf"psychiatr\w*|emdr|couples?|marriage|clients?|patients?|practice|office|provider|"
    rf"insur\w*|in-network|out-of-network|superbill|copay|{INSURERS}|telehealth|waitlist|"
    rf"wait list|hipaa|no-show|sliding scale|intake|book\w*|schedul\w*|cancel\w*|sign up|get in|"
    rf"be seen|see someone|call|e-?mail|contact|plan|benefits|pay|paying|fees?|price|cost|rates?|"
    rf"free|wait|weekly|monthly|every (?:other )?week)\b")
SHORT_FRAGMENT_WORDS = 4


def in_context(text: str) -> bool:
    """Whether a message could be a practical question to a therapy practice at all."""
    norm = normalize(text)
    return len(norm.split()) <= SHORT_FRAGMENT_WORDS or bool(_CONTEXT.search(norm))


# Traps that no similarity overrides: a definition ("what is the Gottman Method?") or a
# request for the assistant's own advice is never a question about the practice's offer.
HARD_TRAPS = frozenset({"definition", "ask_assistant"})
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i'd|i've|me|my|we|we're|we'd|us|our|is there|are there|"
                           r"usual|usually|typical|typically|normally)\b")


def addressed(text: str) -> bool:
    """The message speaks to the practice, for the visitor, or about what is usual (or is a
    short fragment): "what time does the session of Congress start?" does none of these."""
    norm = normalize(text)
    return (len(norm.split()) <= SHORT_FRAGMENT_WORDS or bool(re.search(rf"\b{ADDRESS}\b", norm))
            or bool(_FIRST_PERSON.search(norm)))


def traps_for(text: str, topic: str) -> list[tuple[str, str]]:
    """The traps anywhere in ``text`` that speak against ``topic``."""
    norm = normalize(text)
    return [(name, m.group(0)) for name in TRAPS_FOR.get(topic, ())
            if (m := TRAP_PATTERNS[name].search(norm))]


def pattern_hits(text: str) -> list[PatternHit]:
    """Every topic whose pattern matches, in PRIORITY order, each with the traps in the clause
    where its match ends.

    A trap in another clause does not veto: in "my husband has ADHD, do you have someone who
    works with that?" the practical clause is the second one (rule 2 of the guide).
    """
    norm = normalize(text)
    clauses = _clauses(norm)
    traps = [(name, m) for name, rx in TRAP_PATTERNS.items() for m in rx.finditer(norm)]
    hits: list[PatternHit] = []
    for name in PRIORITY:
        match = TOPIC_PATTERNS[name].search(norm)
        if not match:
            continue
        # The clause where the match ends: a match that runs from "my husband works nights"
        # into ", are there daytime slots" is judged by its practical end.
        start, end = next((a, b) for a, b in clauses if a <= match.end() - 1 <= b)
        allowed = TRAPS_FOR.get(name, ())
        vetoes = tuple(dict.fromkeys((t, m.group(0)) for t, m in traps
                                     if t in allowed and m.start() < end and m.end() > start))
        hits.append(PatternHit(name, match.group(0), vetoes))
    return hits
