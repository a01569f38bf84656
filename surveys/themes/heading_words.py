"""The words the rules of `phrases` and `headings` read by: what a heading may not open or
close on, what makes it a sentence, where a run of words may stop. Word lists only; the
rules are in `phrases` (where a run may start and stop) and `headings` (what may head a
theme).
"""

from __future__ import annotations

# Words a heading neither opens nor closes on: function words, pronouns, negations,
# auxiliaries, fillers and hedges.
# Prepositions: a run that opens on one's object ("at the board") left its subject behind.
PREPOSITIONS = frozenset("""
    of to in on for with at by from into onto over under about beyond within without through
    between among after before behind above below against along upon towards toward via
    per near during despite throughout across around amongst amid alongside beside
""".split())
EDGE = PREPOSITIONS | frozenset("""
    a an the and or nor but like enough round instead up down out off besides
    as than then so if when while whilst because though although since until unless
    is are was were be been being am isn't aren't wasn't weren't
    have has had having haven't hasn't hadn't do does did doing don't doesn't didn't done
    will would shall should can could may might must won't wouldn't can't cannot couldn't
    shouldn't mustn't needn't it's that's there's what's who's let's i'm i've i'd we're
    we've we'd they're they've they'd you're you've he's she's
    isnt arent wasnt werent havent hasnt hadnt dont doesnt didnt wont wouldnt cant couldnt
    shouldnt mustnt neednt im ive
    i me my mine we us our ours you your yours he him his she her hers it its they them their
    theirs this that these those there here who whom whose which what where how why
    somebody someone something anybody anyone anything everybody everyone everything
    nobody none nothing no not never neither either no-one noone
    very too also just only even still really quite rather much many more most less least
    some any all each every both few lot lots bit kind sort thing things stuff way ways
    little whole
    well etc eg ie e.g i.e yes yeah ok okay maybe perhaps probably definitely actually
    basically generally usually often sometimes always ever again already yet now
    get gets got getting go goes went going gone make makes made making take takes took
    say says said saying know knows knew think thinks thought feel feels felt seem seems
    seemed want wants wanted need needs needed keep keeps kept put puts give gives gave
    come comes came tend tends tended try tries tried use used
    one ones own other others another same such
""".split())
# Pronouns a heading never holds anywhere ("Reach they don't", "Nobody's said", "Started
# wondering myself").
PRONOUNS = frozenset("""
    i me my mine we us our ours you your yours he him his she her hers they them their theirs
    somebody someone anybody anyone everybody everyone nobody i'm i've i'd we're we've we'd
    they're they've they'd you're you've he's she's nobody's somebody's
    myself ourselves yourself yourselves himself herself themselves
""".split())
# Never inside a heading: "it" leans on what came before; a month or a day is a detail.
NO_HEADING = frozenset("""
    it them january february march april june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday
""".split())
# The words that name the bodies round a partnership's table ("Local authority", "Hospital
# trust", "County council", "Housing association"). A label made only of these says who
# an answer spoke of, not what it said (as features.PARTNERS: which partner an answer names
# is not its theme); at county size two new themes were headed so, over answers about a
# local government review and about waiting lists. The building a body meets in stands for
# it ("Town hall", "County Hall", "the council chamber"): over dev_mixed's answers about
# induction packs and faith groups, "Town hall" headed a theme.
BODIES = frozenset("""
    local county district borough city town parish unitary hospital health housing fire
    rescue primary care community voluntary statutory acute ambulance police probation
    authority authorities council councils trust trusts constabulary service services
    association associations department departments agency agencies nhs pct pcts ccg cvs
    college colleges school schools university
    hall halls chamber chambers
""".split())
# What one answer is about rather than what several share: a person or a post, a place, an
# occasion. A label whose head noun is one of these or a body (BODIES, INSTANCE_BODIES)
# names the one partner's colleague, building or meeting its answer told of: on the dev
# sets (no codebook) "Busiest person in the building", "Head of housing", "County member",
# "Risk meeting", "Refresh date", "Fun day in the park", "Summer fair", each over a theme
# of answers about something else (`headings.names_one`). Singular where the plural names
# a kind ("Board meetings", "Affluent areas", "Fewer members" are what partners share).
PEOPLE = frozenset("""
    person officer officers member head lead manager managers leader councillor councillors
    chief director directors nurse nurses woman man lady guy bloke chap rep representative
    chairman chairwoman principal worker executive
""".split())
PLACES = frozenset("""
    park room village villages area estate ward boundary street road
    office patch
""".split())
OCCASIONS = frozenset("meeting day date event fair night evening morning session".split())
INSTANCE_BODIES = frozenset("organisation team charity".split())
# What a partnership should have, said of a post or a body: "Right person", "Named lead
# for every priority", "Proper support team", "Independent chair" name a shared wish.
WISHED = frozenset("""
    proper right named decent dedicated independent adequate strong single clear
""".split())
# Never inside a heading: auxiliaries make it a sentence ("Board was poor").
PARTICLES = frozenset("away back aside apart around along".split())
PASSIVE_AUXILIARIES = frozenset("been being be is are was were get gets got".split())
AUXILIARIES = frozenset("""
    is are was were be been being am has have had do does did will would shall should can
    could may might must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't
    didn't won't wouldn't can't couldn't shouldn't isnt arent wasnt werent hasnt havent hadnt
    dont doesnt didnt wont wouldnt cant couldnt shouldnt
""".split())
# Words a heading does not end on: they leave it hanging ("Enough local", "Being listened").
DANGLING = frozenset("""
    local poor good bad better worse best great real big small new old right wrong same
    important hard difficult easy clear able available involved enough well
    over together around across sure certain possible necessary needed
    ago instead though anyway overall including far especially particularly mainly mostly
    afterwards later again anymore recently currently nowadays today effective ineffective
    overnight yesterday tomorrow lately soon eventually meanwhile beforehand
    useful helpful successful positive negative once twice forever proper
""".split())
# Nouns that end in -ly, which otherwise marks an adverb a heading does not open or end on.
LY_NOUNS = frozenset("family assembly supply ally rally monopoly anomaly".split())
# Past tenses and bare verbs a heading does not open on ("Met people", "Spent meetings").
VERB_START = frozenset("""
    met spent sat saw heard told asked tried seemed became began brought bought led left
    felt found gave got had kept made meant paid ran said sent set took thought went won
    threw thrown wrote written broke broken drove fell grew knew rose spoke stood
    agree agreed allow allowed become bring build built call called carry change changed
    cut decide decided deliver delivered depend ensure find gets help helped hold let look
    looked lost move moved pull pushed raise raised reach reached run see show showed stop
    stopped talk talked tell turned turn work worked works worry sit sits meets means
    happens stops comes goes takes makes seems needs helps matters feels
""".split())
# Verbs a heading does not end on: "Partners buy", "Links happen", "board waits".
VERB_END = frozenset("""
    buy buys happen happens wait waits slip slips exist exists matter matters fail fails
    stall stalls drift drifts attend attends listen listens read reads decide decides
    agree agrees follow follows deliver delivers engage engages commit commits join joins
    respond responds set sets get gets show shows seem seems work works meet meets know
    knows say says help helps turn turns sit sits chase chases shout shouts collapse
    collapsed collapses happened waited slipped stalled drifted attended listened decided
    agreed followed delivered engaged committed joined responded worked helped turned
    chased shouted improve improves improved change changes changed go goes went come
    split splits answer answers leave leaves bypass bypasses
    comes came make makes made take takes took give gives gave bother bothers depend
    depends depended
""".split())
# Verbs above that open a heading as nouns ("Work with schools", "Help for small groups").
NOUNS_TOO = frozenset("""
    work works change changes set sets show read help helps meet turn buy say wait go make
    take come give get know matter matters
""".split())
# A verb inside a label of more than four words makes it a sentence partners wrote, which
# is quoted, not a heading ("Feedback never comes back" is short enough to head a theme).
CLAUSE_VERBS = VERB_END | VERB_START | frozenset("""
    get gets go goes come comes make makes take takes keep keeps need needs want wants
    feel feels seem seems think thinks know knows say says put puts give gives
""".split())
# How often something happened: a heading does not open on one ("Once by the district" of
# "blessed twice, once by the district and once by county" is half of a count of times).
HOW_OFTEN = frozenset("once twice thrice".split())
# Words that float between a subject and its verb ("councillors all expecting…", "partners
# still arguing…"): a run ending on an -ing verb right after one is a clause cut short. Not
# "each", which is far more often a determiner ("honest feedback each spring").
FLOATING = frozenset("all both still just always never often ever already also only even"
                     .split())
# Spans of time a partner spent doing something: "a year arguing…" is no heading.
SPANS = frozenset("year years month months week weeks day days hour hours time ages".split())
COUNTS = frozenset("""
    one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    hundred couple several
""".split())
# Where a run may stop short of its clause's end: before a conjunction or a preposition
# (a new part of the clause begins there).
BREAKS = frozenset("""
    and or nor but plus so because although though while whilst when if unless until since
    as than whereas where which who that whether then
    for with at by from in on into onto to about over under after before between among
    through within without against during per via like across around towards toward
    beyond behind above below along upon despite throughout instead rather including
    especially particularly mainly mostly except
""".split())
# Words that open a new clause: a run holding one crossed from one clause into the next
# ("expectations and then disappoint": "then" opens what happened next).
SUBORDINATORS = frozenset("""
    if when because unless although though whether while whilst which who whom whose
    that where whereas but so then
""".split())
# Relative pronouns: the verb after one belongs to a subject before it, so a run opening
# there has lost who did it ("Benefit from the LSP are keen" of "the partners who benefit
# from the LSP are keen").
RELATIVES = frozenset("who which whom".split())
# Forms of "be": what follows one is said of a subject before it ("…be seen as a leader",
# "we're in people's homes every day"), so a run opening there or on a preposition after
# it has lost what it is said of. Not "being", which opens a gerund: "maybe being
# questioned by other partners" says what, whole.
BE = frozenset("""
    be been is are was were am isn't aren't wasn't weren't isnt arent wasnt werent
    i'm we're you're they're it's that's he's she's who's what's
""".split())
# Pronouns only ever an object: what follows one straight after says what a verb made of
# them, not what ("Awake at night" of "what keeps them awake at night").
OBJECTS = frozenset("them us me him".split())
# Words a run may not start right after: what follows leans on them.
INTENSIFIERS = frozenset("too very so really quite rather far fairly pretty extremely".split())
NEGATIONS = frozenset("no not never nobody nothing none neither nor cannot".split())
# Negations typed without the apostrophe, as on a phone ("cant commit", "groups dont").
NEGATIONS |= frozenset(w for w in EDGE if w.endswith("nt") and w[:-2].isalpha()
                       and w not in {"want", "meant", "went", "sent", "spent"})
# Adverbs that say something seldom or never happens: "the agenda rarely touches education"
# says the opposite of a gain.
SELDOM = frozenset("rarely seldom hardly barely scarcely".split())
# Words that open a label naming a gain ("Greater awareness & understanding", "Improved /
# extended networking", "Better use of resources"), beyond the comparatives `wordforms`
# finds by their forms.
GAINS = frozenset("better more improved increased extended enhanced wider".split())
WH = frozenset("what which who whom whose where when how why whether very".split())
DETERMINERS = frozenset("the a an our their its his her this these those that my your".split())
