"""Out-of-scope detection: requests the assistant must decline even though nobody is in danger.

Checked only after crisis routing found nothing. Each check is a small set of regular expressions
over :func:`practice_assistant.safety.patterns.normalize`'d text and returns ``(signal, phrase)``.
The off-topic check is deliberately conservative: a false positive costs a visitor a real answer,
while an unclear message that slips through meets retrieval's own no-answer floor.
"""

from __future__ import annotations

import re

_IDENTITY = re.compile(
    r"\b(?:are|r) (?:you|u) (?:a |an |actually |really |even |just |an actual |a real )*"
    r"(?:real|human|person|bot|robot|ai|a\.i\.|chat ?bot|therapist|counsel+or|psychologist|"
    r"psychiatrist|doctor|machine|computer|program|automated|live person|actual person|"
    r"chatgpt|gpt|language model|llm)\b|"
    r"\b(?:am i|is this|i'?m|are we) (?:\w+ )?(?:talking|chatting|speaking|texting|writing) "
    r"(?:to|with) (?:a |an )?(?:real|human|person|bot|robot|ai|machine|computer|therapist|"
    r"someone real|actual|live)\b|"
    r"\bis (?:this|it) (?:a |an )?(?:bot|robot|ai|chat ?bot|real person|human|automated|"
    r"real therapist)\b|\bwho am i (?:talking|chatting|speaking) (?:to|with)\b|"
    r"^(?:what|who) are you\??$|\bis there a (?:real )?(?:human|person) (?:here|there|"
    r"on the other)")

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass) (?:all |any )?(?:of )?(?:the |your |these "
    r"|those )?(?:previous|prior|above|earlier|preceding|initial|original|system|existing|"
    r"safety|following)(?: and (?:following|previous|subsequent|prior))? (?:instructions?|"
    r"prompts?|rules|directions|guidelines|messages?|programming)\b|"
    r"\b(?:ignore|disregard|forget) (?:all (?:of )?)?(?:your (?:instructions|rules|guidelines|"
    r"programming)|(?:the |my )?(?:instructions|rules|guidelines) you (?:got|were given|"
    r"received))\b|\b(?:ignore|disregard) all (?:the )?instructions\b|"
    r"\bforget everything (?:you (?:learned|know|were told)|above|before)\b|"
    r"\bstop everything\b[^a-z]{0,20}(?:now\b[^a-z]{0,10})?(?:just )?(?:say|print|output)\b|"
    r"\b(?:your|the) (?:initial|starting|original|hidden|secret|first) (?:instructions|prompt|"
    r"configuration|system message)\b|\bsystem ?(?:prompt|instructions|configuration|"
    r"message)\b|\binitiali[sz]ation string\b|\btext (?:above|you were given)\b|"
    r"\bwhat were you told before\b|\b(?:i was instructed to|my instructions are)\b|"
    r"\b(?:administrator|admin) override\b|\bmaintenance mode\b|"
    r"\bwhat are you not (?:supposed|allowed) to (?:tell|say)\b|"
    r"\brepeat (?:this entire conversation|the above|everything above|the text above)\b|"
    r"\b(?:ignore|disregard) (?:all |your )(?:instructions|rules|guidelines)\b|"
    r"\b(?:show|reveal|print|repeat|tell me|display|output|leak|give me|what (?:is|are|were)|"
    r"share|dump)\b[^.?!]{0,40}\b(?:system prompt|(?:your|the) (?:initial |original |hidden |"
    r"secret )?(?:instructions|prompt|system message)|instructions you were given)\b|"
    r"\b(?:do anything now|developer mode|dan mode|jailbreak(?:ed)? mode|jailbroken|"
    r"dude mode|anti-?dan|evil confidant)\b|\b(?:you are|you're|act as|become) (?:now )?dan\b|"
    r"\bpretend (?:that )?you (?:have no|are not bound by|don'?t have|aren'?t bound by) "
    r"(?:any )?(?:rules|restrictions|guidelines|filters|limits)|"
    r"\b(?:no|without any|free of all) (?:ethical |moral )?(?:restrictions|filters|guidelines|"
    r"limitations) (?:mode|from now on)\b|\bfrom now on,? you (?:will|are|must|shall) "
    r"(?:act|respond|answer|be|pretend)\b|\[(?:gpt|jailbreak|dan|classic|🔓\w*|🔒\w*)\]|"
    r"\bstay in character\b")

_CONDITION = (
    r"(?:adhd|autis\w*|asperger'?s?|bipolar|bpd|borderline(?: personality(?: disorder)?)?|npd|"
    r"narcissis\w*|(?:a )?narcissist|(?:a )?sociopath|(?:a )?psychopath|ocd|c?-?ptsd|"
    r"depress(?:ed|ion)|(?:an? )?anxiety(?: disorder)?|generali[sz]ed anxiety|social anxiety|"
    r"panic disorder|schizo\w*|psychotic|psychosis|(?:an? )?eating disorder|"
    r"dyslexi\w*|dementia|alzheimer'?s|(?:a )?personality disorder|(?:an? )?attachment "
    r"disorder|(?:a )?mental (?:illness|disorder)|(?:a )?(?:sex|porn|gambling) addiction|"
    r"an alcoholic|alcoholism|insomnia|postpartum depression|seasonal affective disorder|"
    r"hoarding disorder|dissociative identity disorder|tourette'?s?|a disorder|"
    r"(?:a )?codependen\w*|(?:a )?gaslighter)")
_PERSON = (r"(?:husband|wife|partner|boyfriend|girlfriend|ex|mom|mother|dad|father|son|daughter|"
           r"child|kid|brother|sister|boss|friend|coworker|teen|teenager|spouse|fianc\w*|"
           r"toddler|baby|stepson|stepdaughter|roommate|mother-in-law|father-in-law)")
_DIAGNOSIS = re.compile(
    rf"\b(?:do|might|could|would|can) i (?:possibly |actually |really |maybe |also )?have "
    rf"{_CONDITION}\b|\bam i (?:a |an |just |actually |really |maybe )?{_CONDITION}\b|"
    rf"\b(?:is|are) (?:my (?:\w+ )?{_PERSON}s?|he|she|they) (?:a |an |actually |really )?"
    rf"{_CONDITION}\b|\b(?:does|do) (?:my (?:\w+ )?{_PERSON}s?|he|she|they) (?:have|suffer from) "
    rf"{_CONDITION}\b|\b(?:can|could|would|will|please|you) (?:\w+ )?diagnose (?:me|my|him|"
    rf"her|them)\b|\bdiagnose me\b(?= ?[?.!]|$)|"
    rf"\b(?:can|could) you (?:tell|say) (?:me )?(?:if|whether) (?:i|he|she|my \w+)\b"
    rf"[^.?!]{{0,30}}{_CONDITION}|\bdo you think (?:i|he|she|my \w+) (?:have|has|am|is|might|"
    rf"could)\b[^.?!]{{0,20}}{_CONDITION}|\bwhat (?:disorder|diagnosis|mental illness|"
    rf"condition) do (?:i|you think i) have\b|\bwhat(?:'s| is) my diagnosis\b|"
    rf"\bis (?:it|this) {_CONDITION} or\b")

_DRUG = (
    r"(?:sertraline|zoloft|prozac|fluoxetine|lexapro|escitalopram|citalopram|celexa|paxil|"
    r"paroxetine|wellbutrin|bupropion|effexor|venlafaxine|cymbalta|duloxetine|adderall|"
    r"ritalin|vyvanse|concerta|methylphenidate|xanax|alprazolam|ativan|lorazepam|klonopin|"
    r"clonazepam|valium|diazepam|lithium|lamictal|lamotrigine|seroquel|quetiapine|abilify|"
    r"aripiprazole|risperdal|risperidone|trazodone|buspirone|buspar|hydroxyzine|mirtazapine|"
    r"remeron|strattera|atomoxetine|gabapentin|propranolol|ambien|zolpidem|melatonin|"
    r"ketamine|spravato|naltrexone|suboxone)")
_MED = (rf"(?:{_DRUG}|medications?|meds|medicine|antidepressants?|anti-?anxiety (?:meds|"
        r"medication)|pills?|ssris?|snris?|benzos?|benzodiazepines?|stimulants?|"
        r"mood stabili[sz]ers?|antipsychotics?|sleeping pills)")
_MEDICATION = re.compile(
    r"\b(?:should i|can i|is it (?:safe|ok|okay|bad|dangerous|fine) to|how (?:do|can|should) i|"
    r"when should i|do i need to|what happens if i) (?:\w+ ){0,2}(?:take|taking|stop|stopping|"
    r"start|starting|increase|decrease|up|lower|double|skip|quit|come off|get off|go off|"
    r"wean off|taper|switch|mix|drink (?:on|while|with)|combine|be on|go on|get on|try)\b"
    rf"[^.?!]{{0,40}}\b{_MED}\b|"
    rf"\b{_MED}\b[^.?!]{{0,30}}\b(?:dos(?:e|age|ing)|\d+(?:\.\d+)? ?mg|milligrams?)\b|"
    rf"\b(?:dos(?:e|age|ing)|\d+(?:\.\d+)? ?mg) (?:of )?{_DRUG}\b|"
    rf"\bhow (?:much|many) (?:mg |milligrams |pills? |tablets? )?(?:of )?{_DRUG}\b|"
    r"\b(?:which|what) (?:medications?|meds|medicines?|antidepressants?|pills?|drugs?|ssris?) "
    r"(?:should|would|do you recommend|is (?:the )?best|are (?:the )?best|works? best|can i|"
    r"to take|for)\b|\b(?:can|could|will) (?:you|u) prescribe\b|\bprescribe me\b|"
    rf"\b{_DRUG}\b[^.?!]{{0,30}}\b(?:side effects?|withdrawal|with alcohol|and alcohol)\b")

_LEGAL = re.compile(
    r"\b(?:legal advice|legally|is it (?:il)?legal|against the law|lawyer|attorney|sue|suing|"
    r"lawsuit|press charges|file (?:for|a) (?:divorce|custody|restraining order|protective "
    r"order|lawsuit|complaint)|restraining order|protective order|custody (?:battle|case|"
    r"hearing|rights|laws?|evaluation)|(?:full|sole|joint|primary) custody|(?:get|win|lose) "
    r"custody|child support|alimony|spousal support|prenup\w*|divorce (?:law|laws|lawyer|"
    r"attorney|papers|settlement|court|proceedings)|visitation rights|court order|subpoena|"
    r"mandated reporter|hipaa (?:rules?|laws?|violations?|rights?|complaints?|says?|allows?))\b")

#: a question: a sentence ending in "?" or opening with a question or request word
_QUESTION = re.compile(
    r"[^.?!]*\?|(?:^|(?<=[.!] ))(?:how|what|can|could|should|is|are|do|does|will|would|am|who|"
    r"where|when|which|please|tell me|i need|i want)\b[^.?!]*")

_ROLE = (r"(?:therapist|counsel+or|psychologist|psychiatrist|shrink|life coach|psychotherapist|"
         r"doctor|physician|clinician|psychiatric nurse|mental health (?:professional|nurse))")
_THERAPIST_ROLE = re.compile(
    rf"(?:\b(?:you|u) (?:to )?|^(?:please |can you |could you |now )?|\b(?:and|now|then) )"
    rf"(?:be|become|act as|act like|play|play the (?:role|part) of|take the role of|"
    rf"pretend (?:to be|you'?re|you are|that you'?re|that you are)|role-?play as|"
    rf"role-?play|serve as|are now|imagine you'?re|imagine you are) (?:my|a|an|the) (?:\w+ )?"
    rf"{_ROLE}\b|\b(?:you'?re|you are|ur) (?:now )?(?:my|a|an) (?:\w+ )?{_ROLE} (?:now|today|"
    rf"for this|from now on)\b|"
    r"\b(?:assess|evaluate|screen) me (?:for|and)\b|"
    r"\b(?:which|what) (?:diagnosis|disorder|condition|mental illness|label)s? (?:best )?"
    r"(?:fits?|matches|applies|describes) (?:me|my|what i)\b|"
    r"\b(?:can|could|will|would) (?:you|u) (?:please )?(?:do|start|run|conduct|practice|try|"
    r"have) (?:a |some |an )?(?:\w+ )?(?:therapy|counsel+ing|emdr|cbt|dbt|session|exposure) "
    r"(?:with|for|on) me\b|\b(?:give|provide) me (?:some )?(?:therapy|counsel+ing|a (?:therapy "
    r")?session)\b|\b(?:can|could|will) (?:you|u) (?:treat|counsel|psychoanaly[sz]e|"
    r"analy[sz]e) me\b|\b(?:i want|i need|i'?d like) (?:you|this (?:bot|chat)) to (?:be|act "
    r"as) my (?:therapist|counsel+or)\b|\b(?:talk|walk) me through (?:an? )?(?:emdr|cbt|"
    r"exposure|therapy)(?: session| exercise)?\b|\bcan (?:you|u) be my (?:therapist|"
    r"counsel+or)\b|\blet'?s (?:do|start|have) (?:a |an |our )?(?:therapy|counsel+ing|emdr|"
    r"cbt) ?(?:session)? (?:here|now|right now)\b|\b(?:be|act as) my therapist\b")

_TOPICAL = re.compile(
    r"\b(?:therap\w*|counsel\w*|couples?|relationship\w*|partner|marri\w*|husband|wife|"
    r"boyfriend|girlfriend|emdr|anxi\w*|depress\w*|trauma\w*|adhd|feel\w*|emotion\w*|"
    r"boundar\w*|session|consultation|stress\w*|grief|griev\w*|family|parent\w*|kids?|"
    r"child\w*|mental|mood|lonel\w*|sad|angry|anger|worr\w*|panic|sleep|insomnia|habit|"
    r"self|confiden\w*|motivat\w*|procrastinat\w*|cope|coping|practice)\b")
_OFF_TOPIC = re.compile(
    r"\b(?:weather|forecast) (?:today|tomorrow|this week|tonight|in|for|like)\b|"
    r"\bwill it (?:rain|snow)\b|\bis it (?:going to )?(?:rain|snow)|"
    r"\b(?:write|debug|fix|refactor|optimi[sz]e) (?:me )?(?:a |an |this |my |some )?(?:python|"
    r"javascript|java|typescript|c\+\+|c#|rust|sql|html|css|bash|php|ruby|kotlin|swift)? ?"
    r"(?:code|script|function|program|class|query|regex|algorithm)\b|"
    r"\b(?:python|javascript|java|sql|c\+\+|html|css|linux|bash|excel|regex|c program)\b"
    r"[^.?!]{0,30}\b(?:error|bug|function|script|process|command|syntax|install|compile|loop|"
    r"list|array|program|formula)\b|```|\bdef \w+\(|\bconsole\.log\b|"
    r"\brecipes? (?:for|of)\b|\bhow (?:do i|to|can i|should i) (?:bake|cook|make|grill|roast|fry) "
    r"(?:a |an |some |the )?(?:cake|cookies|bread|pasta|pizza|soup|chicken|steak|rice|pancakes|"
    r"lasagna|curry|salad|cupcakes|brownies|pie|eggs?|omelet\w*)\b|"
    r"\bwhat(?:'s| is) the capital of\b|\bwho (?:won|wins|will win) the (?:world cup|super bowl|"
    r"election|nba|oscars?|match|championship)\b|\bhow (?:tall|far|old|big|deep) is (?:the )?"
    r"(?:mount everest|moon|sun|eiffel tower|earth|pacific|empire state)|"
    r"\bhow many (?:planets|continents|countries|states|bones)\b|\bwho is the (?:president|prime "
    r"minister|king|queen|ceo) of\b|\b(?:stock|share) price\b|\bbitcoin\b|\bcryptocurrenc\w*\b|"
    r"\blottery numbers\b|\bsolve (?:this|the|for|my)\b[^.?!]{0,30}\b(?:equation|integral|"
    r"derivative|for x)\b|\bwhat(?:'s| is) \d+ ?(?:[-+*x×/÷]|plus|minus|times|divided by) ?\d+|"
    r"\b(?:help (?:me )?with|do) my (?:\w+ )?homework\b|\bmy (?:math|maths|chemistry|physics|"
    r"history|biology|algebra|calculus|geometry) (?:homework|assignment)\b|"
    r"\btranslate\b[^.?!]{0,40}\b(?:into|to|from) (?:english|spanish|french|german|italian|"
    r"chinese|japanese|korean|portuguese|russian|arabic|hindi)\b|\btell me a joke\b|"
    r"\b(?:book|find) me (?:a |cheap )?(?:flights?|hotels?|uber|taxi)\b|"
    r"\bwrite (?:me )?(?:an? )?(?:essay|book report|term paper|cover letter|resume|limerick|"
    r"haiku)\b")

_EN_WORDS = frozenset(
    "the a an and or but i you my me is are am was were to of in on for with how what why do "
    "does can it that this have has be not no yes we he she they your about if so at as from "
    "would should could will there when who help feel want need get know like just because "
    "after before our their them his her".split())
_FOREIGN_WORDS = frozenset(
    "el la los las del que y en un una es por para con mi se lo como pero estoy tengo quiero "
    "ayuda puedo muy más sí hola gracias terapia pareja necesito hablar usted ustedes le les des "
    "et est je tu vous il elle nous pas qui avec dans sur mon ma mes suis ai bonjour merci aide "
    "thérapie besoin der das und ist ich nicht ein eine mit für auf zu mein meine sie wir hallo "
    "danke hilfe bin habe o os não eu você meu minha estou obrigado olá ajuda il gli di che è "
    "sono ho mio mia ciao grazie aiuto sto voglio ne ja nie jest się tak".split())
_GREETINGS = frozenset("hola bonjour hallo ciao olá salut buenas привет 你好 こんにちは".split())


def is_non_english(message: str) -> bool:
    """Cheap language guess: non-Latin script, or more foreign than English function words."""
    letters = [c for c in message if c.isalpha()]
    if not letters:
        return False
    if len(letters) >= 2 and sum(c.isascii() for c in letters) / len(letters) < 0.5:
        return True
    words = re.findall(r"[^\W\d_]+", message.lower())
    if len(words) <= 2:
        return bool(words) and all(w in _GREETINGS for w in words)
    english = sum(w in _EN_WORDS for w in words)
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    return foreign >= 2 and foreign > english


def scope_check(text: str, message: str) -> tuple[str, str] | None:
    """``(signal, phrase)`` for an out-of-scope request in normalized ``text``, else None."""
    if match := _IDENTITY.search(text):
        return "identity", match.group(0)
    if match := _INJECTION.search(text):
        return "injection", match.group(0)
    if is_non_english(message):
        return "non_english", "mostly non-English words"
    for signal, regex in (("therapist_role", _THERAPIST_ROLE), ("medication", _MEDICATION),
                          ("diagnosis", _DIAGNOSIS)):
        if match := regex.search(text):
            return signal, match.group(0)
    for sentence in _QUESTION.findall(text):
        if match := _LEGAL.search(sentence):
            return "legal", match.group(0)
    if not _TOPICAL.search(text) and (match := _OFF_TOPIC.search(text)):
        return "off_topic", match.group(0)
    return None
