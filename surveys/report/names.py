"""People named in an answer who are not on the partner list, found by the words around them.

The partner list's names are redacted by `privacy.Redactor`; an answer may also name an
officer, a member or a colleague who was never invited ("Cllr Jones", "Renée at the CVS").
These rules find such names for a private round's report, keeping what the words said of
the person's role ("Cllr [name]", "[name] at the CVS").
"""

from __future__ import annotations

import re
import unicodedata

from surveys.themes.spelling import whole_words

# A person named by a title ("Cllr Jones", "Dr. Patel", "Insp Hughes", "PC Ali") whether or
# not they are on the partner list: an answer may name a colleague, an officer or a member
# who was never invited. The title stays (it says what role was meant, not who); the name
# after it goes. After a title the next word is a name when capitalised and not a role
# ("Chief Inspector", "Lord Mayor", "Mr Chairman"); "Lord", "Lady", "Sir", "Dame" and the
# police ranks count only as written with their capital ("lady luck", "a pc"), and "Ms" only
# as "Ms" ("MS Teams") and "Miss" as "Miss" ("we miss Sure Start"); district councils'
# "DC" is no title here. A lower-case word after a title is not taken for a name ("Cllr
# attendance is excellent", "cllr support"): the demo's own answers showed that guessing
# there blanks the point. A second capitalised word is the surname ("PC Ali Khan"), an
# acronym after the name is not ("Cllr Smith LAA lead").
_ROLE_WORDS = ("Mayor|Chair|Chairman|Chairwoman|Chairperson|Leader|Lieutenant|Executive|"
               "Constable|Officer|Commissioner|Inspector|Superintendent|Sergeant|Councillor|"
               "Councillors|Member|Members|Justice|Bishop|Secretary|Director|Chief|"
               # what a councillor's or an officer's title also heads ("Councillor Briefing")
               "Briefing|Briefings|Group|Groups|Forum|Panel|Champion|Champions|Support|"
               "Attendance|Training|Development|Surgery|Surgeries|Who|What|When|Where|Why|How")
_WORD = r"[\w'’-]+"
_TITLED = re.compile(
    r"(?:\b(?i:cllr|councillor|mrs?|mx|dr|prof|professor|rev|revd|insp|inspector|sgt|"
    r"sergeant|supt|superintendent)|\b(?:Ms|Miss|Lord|Lady|Sir|Dame|PC|DCI))\.?[ \t]+"
    rf"(?P<name>(?!(?:{_ROLE_WORDS})\b)[A-Z]{_WORD}"
    rf"(?:[ \t]+(?!(?:{_ROLE_WORDS})\b)[A-Z][a-z'’-]+\b)?)")
_POSSESSIVE_END = re.compile(r"['’]s$")


def titled_names(text: str, replacement: str = "[name]") -> str:
    """Text with the name after every title replaced, the title (and a possessive's "'s")
    kept: "Mrs Brown's group" -> "Mrs [name]'s group"."""
    def keep_title(m: re.Match[str]) -> str:
        name = m.group("name")
        tail = _POSSESSIVE_END.search(name)
        return (m.group(0)[:m.start("name") - m.start(0)] + replacement
                + (tail.group() if tail else ""))
    return _TITLED.sub(keep_title, text)


# A person named without a title who is not on the partner list: "spoke to Renée at the
# CVS", "Bob said", "thanks to Priya". Most capitalised words are places, organisations and
# programmes ("Whitehall said", "Crewe at the weekend"), so a capitalised word is taken for a
# name only where the words around it speak of a person: before it "spoke to", "ask",
# "thanks to", "emailed"…; after it "said", "told us", "chaired"…, or where they work ("at
# the CVS", "from the council": an acronym or an organisation's word). In mid-sentence it
# must not follow an article or a possessive ("the Government said", "our Cabinet agreed");
# opening a sentence it must also not be a plural or a word for people in general
# ("Partners said", "Nobody told us", "Staff at the council"). A run of capitalised words
# longer than a first name and surname, or holding an acronym or an organisation's word, is
# an organisation ("ask Age UK", "contact Citizens Advice") and is kept.
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_CAP = rf"(?:[{_UPPER}]['’])?[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"  # "O'Neill"
_BEFORE = (r"(?i:spoke|speak|spoken|speaking|talk|talked|talking|thanks|thank|"
           r"write|wrote|writing|turn|turned|reported)"
           r"[ \t]+to|(?i:ask|asked|asking|tell|told|telling|thank|thanked|email|emailed|"
           r"emailing|phone|phoned|phoning|ring|rang|met|meet|chase|chased|chasing|contact|"
           r"contacted|cc|cc'd|copied|ping|pinged)")  # not "called", "via": things have names
_AFTER = (r"(?i:said|says|say|told|tells|asked|asks|wrote|writes|emailed|rang|phoned|"
          r"chaired|mentioned|mentions|explained|explains|promised|promises|suggested|"
          r"suggests|reckons|reckoned|thinks|thought|agreed|agrees|pointed|"
          r"admitted|admits|insisted|insists)\b")
_WORKPLACE = r"(?i:at|from)[ \t]+(?:(?i:the|our|their)[ \t]+)?(?P<place>[\w&'’-]+)"
_UNTITLED = re.compile(
    rf"(?:(?P<cue>\b(?:{_BEFORE}))[ \t]+)?(?P<name>\b{_CAP}(?:[ \t]+{_CAP})?)(?P<s>['’]s)?"
    # What follows is looked at, not taken: "We emailed O'Neill" must leave "emailed" to be
    # the cue of the name after it.
    rf"(?=(?P<next>[ \t]+[\w&'’-]+)?)"
    rf"(?=(?:(?P<after>[ \t]+{_AFTER})|(?P<work>[ \t]+{_WORKPLACE}))?)")
ORGANISATION_WORDS = frozenset("""
    council councils police constabulary nhs trust trusts hospital hospitals service services
    partnership partnerships board boards office offices group team teams forum network
    agency authority department ministry government parliament cabinet treasury whitehall
    centre center school schools college university association society foundation charity
    church housing homes advice fire rescue health care surgery practice ltd limited cic plc
    club committee commission unit hub project programme scheme alliance collaborative
    federation union jobcentre library cvs pct ccg icb lsp laa cdrp csp scrutiny executive
    borough county city
    district town village parish ward north south east west central upon
""".split())
# Capitalised words that are not names: calendar words, pronouns and words for people in
# general at a sentence's start, and words an answer capitalises for emphasis or as a body.
NOT_NAMES = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december christmas easter spring summer
    autumn winter i we you he she they it this that these those there here who what when
    where why how which nobody everyone everybody someone somebody anyone anybody none one
    each every all most some many few both either neither staff people management
    leadership officers members partners colleagues government ministers whitehall
    parliament cabinet treasury council police health chair chairs the a an and but or so
    then also even just only still yet if as our their my your his her its
    mr mrs ms dr cllr england britain london whoever whatever no not yes very too more less
    much well really honestly frankly personally generally overall again please thanks
    enough nothing everything anything something
""".split()) | frozenset(r.lower() for r in _ROLE_WORDS.split("|")) | frozenset("""
    volunteer manager head clerk treasurer coordinator worker resident user client patient
    commissioner lead nurse doctor teacher governor minister mp mayor speaker vicar colleague
""".split())  # a role, not a person: "Inspector said", "Volunteer said"
EVERYDAY_RANK = 15_000
_DETERMINERS = frozenset("the a an our their my your his her its this that these those "
                         "every each no any some".split())


def _capital_run_is_organisation(words: list[str], following: str | None) -> bool:
    """Whether a capitalised run is an organisation's name rather than a person's."""
    if following is not None:
        nxt = following.strip()
        if nxt[:1].isupper():   # a longer run of capitals: "Age UK", "Sure Start Centre"
            return True
    return any(w.lower() in ORGANISATION_WORDS or w.isupper() for w in words)


def _a_name_opening_a_sentence(words: list[str], person_verb: bool) -> bool:
    """Whether a capitalised run opening a sentence is a name: "Bob said", "Renée Okafor at
    the CVS", "Renée at the CVS", but not "Partners said" or "Funding from the PCT".
    A plural or a word with a noun's, verb's or adverb's ending is never taken; before "at
    the CVS" only a first name and surname, or a word that is no everyday word of the
    vocabulary (not among its commonest 15,000: "Renée" is not, "Funding" and "Feedback" are)."""
    first = words[0].lower()
    if first.endswith(("s", "ed", "ing", "ly", "tion", "ment", "ness", "ity")):
        return False
    if person_verb or len(words) == 2:
        return True
    plain = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    rank = whole_words().get(plain)   # the vocabulary is BERT's, accents stripped
    return rank is None or rank > EVERYDAY_RANK


def untitled_names(text: str, replacement: str = "[name]") -> str:
    """Text with every untitled name of a person (by the words around it) replaced."""
    def swap(m: re.Match[str]) -> str:
        name, whole = m.group("name"), m.group(0)
        words = name.split()
        cue, after, work = m.group("cue"), m.group("after"), m.group("work")
        if cue is None and after is None and work is None:
            return whole
        if work is not None and cue is None:
            place = m.group("place")
            if not ((place.isupper() and len(place) >= 2)
                    or place.lower() in ORGANISATION_WORDS):
                return whole
        # After a cue alone, a capital word next makes the run an organisation's name.
        following = m.group("next") if after is None and work is None else None
        if _capital_run_is_organisation(words, following) or words[0].lower() in NOT_NAMES:
            return whole
        if cue is None:
            before = text[:m.start("name")].rstrip(" \t")
            previous = before.split()[-1].lower() if before.split() else ""
            opens = not before or before[-1] in ".!?:;\n\"“("
            if previous in _DETERMINERS or (
                    opens and not _a_name_opening_a_sentence(words, after is not None)):
                return whole
        start = m.start("name") - m.start(0)
        return whole[:start] + replacement + whole[start + len(name):]
    return _UNTITLED.sub(swap, text)
