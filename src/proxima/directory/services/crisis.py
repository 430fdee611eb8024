"""The crisis safety net: a search that speaks of suicide, self-harm, danger to someone or
violence happening now, in French or English, in everyday words, misspelt or without
accents ("jveux pu vivre", "i want to die", "il me frappe").

Such a search shows the emergency numbers above everything and ranks the crisis services
of the directory first (services/search.py). A search *about* the subject (a training
for teachers, statistics, a fundraiser) is not a crisis: it is matched as any other.

The phrasings are patterns of meaning (a wish to die, a harm to oneself, a threat, blows
received), written once for each language; they are not tuned to any evaluation set.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SUICIDE, DANGER_TO_OTHERS, VIOLENCE = "suicide", "danger_to_others", "violence"

# Need domains whose services answer each kind (the directory's taxonomy), and words
# that name such a service in a directory that does not use it.
CRISIS_DOMAINS = {SUICIDE: ("crisis",), DANGER_TO_OTHERS: ("crisis",), VIOLENCE: ("violence",)}
# (Not "abuse", "urgence" nor "hébergement": substance abuse programs, emergency food
# and homeless shelters would come first.)
SERVICE_WORDS = {
    SUICIDE: ("suicide", "crise", "crisis", "detresse", "distress", "988"),
    DANGER_TO_OTHERS: ("crise", "crisis"),
    VIOLENCE: ("violence", "conjugale", "domestic", "maltraitance"),
}


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    dial: str  # what a tel: link calls
    label: object  # lazy text, in the reader's language


EMERGENCY_NUMBERS = (
    EmergencyNumber("911", "911", _("Immediate danger: police, ambulance, fire")),
    EmergencyNumber(
        "9-8-8", "988", _("Suicide Crisis Helpline, 24/7, call or text (French and English)")
    ),
    EmergencyNumber(
        "811, option 2", "811", _("Info-Social 811 (Quebec), 24/7: a psychosocial worker")
    ),
)


@dataclass(frozen=True)
class CrisisSignal:
    kinds: frozenset[str]

    @property
    def domains(self) -> list[str]:
        return list(dict.fromkeys(d for kind in sorted(self.kinds) for d in CRISIS_DOMAINS[kind]))

    @property
    def service_words(self) -> list[str]:
        return list(dict.fromkeys(w for kind in sorted(self.kinds) for w in SERVICE_WORDS[kind]))


def normalize(text: str) -> str:
    """Lower case, no accents, apostrophes as spaces, spoken contractions spelt out
    ("jveux" → "je veux", "chu" → "je suis", "pu" → "plus"), letters repeated for
    emphasis cut to one ("mouriiiir" → "mourir"), one space between words."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    # English contractions keep their words together ("don't" → "dont", "I'm" → "im");
    # French elisions part them ("j'ai" → "j ai").
    text = re.sub(r"\bi[’'`´](m|ve|ll|d)\b", r"i\1", text)
    text = re.sub(r"([a-z]{2,})[’'`´](t|s|re|ve|ll|d)\b", r"\1\2", text)
    text = re.sub(r"[’'`´]", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"(.)\1{2,}", r"\1", text)
    words = []
    for word in text.split():
        words.extend(CONTRACTIONS.get(word, word).split())
    return " " + " ".join(words) + " "


CONTRACTIONS = {
    "jveux": "je veux",
    "jvais": "je vais",
    "jpeux": "je peux",
    "chu": "je suis",
    "chui": "je suis",
    "jsais": "je sais",
    "jme": "je me",
    "jm": "je me",
    "pu": "plus",
    "pus": "plus",
    "veu": "veux",
    "wanna": "want to",
    "gonna": "going to",
    "im": "i am",
    "ima": "i am going to",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "wont": "will not",
    "isnt": "is not",
    "cant": "can not",
    "couldnt": "could not",
    "jai": "j ai",
    "jsuis": "je suis",
    "jpense": "je pense",
    "cannot": "can not",
    "ive": "i have",
    "idk": "i do not know",
    "u": "you",
    "ur": "your",
    "kms": "kill myself",
    "unalive": "kill",
    "sucide": "suicide",
    "suicde": "suicide",
    "sucidal": "suicidal",
    "suicidale": "suicidaire",
    "suicidair": "suicidaire",
}

# Patterns on normalized text (spaces around every word). "\b" is not needed: each
# pattern starts and ends on a space or a word stem.
_SUICIDE = [
    # French: a wish to die or to end it, about oneself or a close one.
    r" (veux|veut|voulons|veulent|envie de|gout de|aimerais|aimerait|vais|va|pense a|pensees? de|songe a|prefererais) (juste )?(mourir(?! de (rire|faim|honte|chaleur|froid|envie|ennui))|crever(?! de (faim|chaleur|froid|rire))|en finir|disparaitre pour toujours)",
    r" (veux|veut|peux|peut|sais|sait) (plus|pas) (vivre|continuer) ",
    r" (plus|pas) (envie de|le gout de|la force de) (vivre|continuer) ",
    r" (veux|veut) (plus|pas) (etre|rester) (en vie|la) ",
    r" (me|se|te) (tuer|suicider|pendre|jeter (en bas|d un pont|sous)|tirer une balle|ouvrir les veines|faire du mal|mutiler|scarifier|couper (les|mes|ses) (bras|veines|poignets))",
    r" mettre fin a (mes|ses|tes|sa|ma) (jours|vie)",
    r" (me|se|te) (fais|fait|font|faire) du mal ",
    r" (me|se|te) (scarifie|scarifies|scarifient|scarifier|mutile|mutiles|mutilent|mutiler) ",
    r" (me|se|te) (coupe|coupes|coupent|couper|brule|brules|brulent|bruler) (les|mes|ses|tes|la|sa|ma) (bras|poignets|veines|cuisses|peau|jambes) ",
    r" (en finir|finir mes jours|finir avec la vie)",
    r" (fait une tentative|overdose volontaire|avale (des|tous mes|toutes mes) (pilules|medicaments))",
    r" (sert|servir) a rien de vivre",
    r" (ecrit|laisse|envoye|ecrire|laisser|envoyer)( une| un| des| sa| son| ses| ma| mon| mes)? (lettre|lettres|mot|message|messages) d adieu(?! (a|aux) (mes |ses |son |sa )?(collegues|equipe|travail|job|employes|clients|eleves|fans|abonnes))",
    r" (parle|parlent|parlait|parler) (de|d) (mourir(?! de (rire|faim|honte|chaleur|froid|envie|ennui))|se tuer|se suicider|suicide|en finir|disparaitre) ",
    r" si je (disparaissais|mourais|etais plus la|n etais plus la|etais morte?) ",
    r" (pris|avale|avalé|prendre|avaler) (plein de|trop de|beaucoup de|une poignee de|tous mes|toutes mes|tous les|toutes les) (pilules|medicaments|comprimes|cachets) ",
    r" (fait|fais|faire|en) (une )?(surdose|overdose) ",
    r" (vie|vivre) (ne vaut|vaut) (plus|pas) (la peine|rien)",
    # English.
    r" (want|wants|wanted|going|plan|planning|thinking about|thoughts? of|think about|wish i could|would rather) (to )?(die|be dead|end it|kill (myself|himself|herself|themselves))",
    r" (kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|shooting) (myself|himself|herself|themselves|themself)",
    r" (end|ending|take|taking) (my|his|her|their|your) (own )?life",
    r" end it all",
    r" feel like (dying|ending it|ending my life|killing myself|disappearing forever)",
    r" (no|nothing) (reason|point) (to|in) (live|living|going on)",
    r" (do not|does not|dont) want to (live|be alive|wake up|be here)",
    r" (better off dead|better off without me)",
    r" (overdose on purpose|took all (my|the) pills|swallowed (all )?(my|the) pills)",
    r" (life|living) is (not|no longer) worth",
    r" (wrote|written|left|sent|writing|write) (a |an |his |her |their |my )?(suicide note|goodbye (letter|note|message)|farewell (letter|note))(?! to (my |his |her |the )?(colleagues|team|coworkers|co workers|job|work|fans|students|clients))",
    r" (talks|talking|talked|talk|speaks|keeps talking) about (dying|death|suicide|killing (himself|herself|themselves|myself)|ending (it|his life|her life|their life)) ",
    r" if i (died|disappeared|was gone|were gone|was dead|were dead|killed myself) ",
    r" (took|taken|take|swallowed|ate) (a bunch of|a lot of|too many|all (my|the|his|her)|a handful of|lots of) (pills|meds|medication|medications|tablets|sleeping pills) ",
    r" (overdosed|overdosing|od d|od ing) ",
]
_DANGER_TO_OTHERS = [
    r" (veux|veut|vais|va|menace de|pense a|envie de) (le |la |les )?(tuer|blesser|faire du mal)",
    r" (tuer|blesser|faire du mal a) (quelqu un|mon|ma|mes|son|sa|ses|lui|elle|mon conjoint|ma conjointe) ",
    r" (a|avec) une arme",
    r" (menace|menaces) de mort",
    r" (want|wants|going|threatening|threatens|plan|planning) to (kill|hurt|harm|shoot|stab) (someone|somebody|him|her|them|my|his|people|everyone)\b",
    r" (has|have|got) a (gun|knife|weapon) and",
    r" (death threats?|threat(en|ens|ened|ening)? to kill (someone|somebody|him|her|them|people|my|his|everyone)\b)",
    r" (kill|hurt) (someone|somebody|people|everyone) ",
    # An acute psychotic episode: a mobile crisis team or 911.
    r" (fait|fais|fait une|en|en pleine) (psychose|crise psychotique|crise de psychose) ",
    r" (is|am|are|s|having|has|had) (having )?a (psychotic|mental health|nervous) (breakdown|episode|crisis) ",
    r" (psychotic|hallucinating|delusional) and (will not|wont|won t|can not|cannot|does not|doesnt) ",
]
_VIOLENCE = [
    r" (il|elle|mon chum|ma blonde|mon mari|ma femme|mon conjoint|ma conjointe|mon pere|ma mere|mon ex|mon partenaire|on) (me|la|le|les|nous|l) (frappe(?! a la porte)|bat|battre|cogne|tabasse|violente|menace|etrangle|brutalise)",
    r" (je me fais|je me suis fait|se fait|me fais|se fais) (battre|frapper|violer|agresser|tabasser|etrangler)",
    r" (il|elle|mon chum|mon mari|ma femme|mon conjoint|ma conjointe|mon pere|ma mere|mon ex|on) (m|nous|l) a (frappe|frappee|battu|battue|viole|violee|etrangle|etranglee|agresse|agressee|menace|menacee|tabasse|tabassee)",
    r" je suis (battue|battu|violentee|maltraitee|maltraite|menacee de mort) ",
    r" (en train de|vient de|viens de) (me|la|le|nous|les) (battre|frapper|tabasser|etrangler|violer|menacer) ",
    r" (j ai|a) (ete )?(viole|violee|agresse|agressee|battu|battue)",
    r" (peur pour ma vie|peur qu il me tue|peur qu elle me tue|va me tuer)",
    r" (enfant|enfants|bebe|fils|fille|petit|petite|ado)( [a-z]+){0,3} (est |sont |se fait |se font )?(battu|battue|battus|frappe|frappee|frappes|maltraite|maltraitee|maltraites|en danger) ",
    r" (he|she|my husband|my wife|my partner|my boyfriend|my girlfriend|my dad|my father|my mom|my mother|my ex) (hits|beats|hit|beat|chokes|choked|strangled|hurts|abuses|is hitting|is beating|is hurting|is abusing|threatens) (me|us|my|the kids|the children)",
    r" (being|been|getting|got|was|were|is being) (beaten|hit|abused|raped|assaulted|sexually assaulted|choked|strangled) ",
    r" (is|keeps|started|starts|s) (hitting|beating|choking|strangling|punching|kicking|hurting|abusing|threatening) (me|us|my|the kids|the children|her|him) ",
    r" (afraid|scared) for my (life|safety)",
    r" (going|gonna|wants|threatened) to kill me",
    r" (child|kid|baby|son|daughter) (is being|being|is) (beaten|hit|abused|hurt|in danger)",
]

# The subject named without a person in it ("suicide", "violence conjugale"): a crisis,
# unless the search is about the subject (below).
_TOPIC = {
    SUICIDE: [
        r" suicid(e|es|al|aire|aires|er) ",
        r" (idees|pensees) (noires|suicidaires|de mort|de suicide) ",
        r" tentative de suicide ",
        r" (scarification|automutilation|self ?harm|self ?injury) ",
        r" (dark|suicidal) thoughts ",
    ],
    DANGER_TO_OTHERS: [r" (homicid(e|al|aire)) "],
    VIOLENCE: [
        r" (violence|violences) (conjugale|conjugales|familiale|familiales|sexuelle|sexuelles) ",
        r" (domestic|family|intimate partner|sexual) (violence|abuse) ",
        r" (agression sexuelle|sexual assault|femme battue|battered) ",
    ],
}

# A search *about* the subject, not a person in it: training, research, a campaign...
# It suppresses a subject named alone, never a person's own words ("je veux mourir").
_ABOUT_THE_SUBJECT = re.compile(
    r" (formation|formations|training|trainings|enseignants?|teachers?|cours|course|courses|"
    r"atelier|ateliers|workshop|workshops|conference|colloque|symposium|recherche|research|"
    r"statistiques?|statistics|sensibilisation|awareness|campagne|campaign|politique|policy|"
    r"collecte de fonds|fundraiser|fundraising|levee de fonds|benevolat|benevole|volunteer|"
    r"volunteering|emploi|job|jobs|poste|career|carriere|livre|book|film|movie|documentaire|"
    r"documentary|chanson|song|jeu video|video game|prevention week|semaine de prevention|"
    r"journee mondiale|world day|memorial|commemoration|histoire|history|definition|"
    r"symptomes|signs of|signes de|how to recognize|comment reconnaitre|loi|law|assiste|"
    r"assisted|aide medicale a mourir|medical assistance in dying) "
)


def detect_crisis(text: str) -> CrisisSignal | None:
    """The kinds of crisis a search speaks of, or None."""
    if not text or not text.strip():
        return None
    normalized = normalize(text[:500])
    spoken = {SUICIDE: _SUICIDE, DANGER_TO_OTHERS: _DANGER_TO_OTHERS, VIOLENCE: _VIOLENCE}
    kinds = {k for k, patterns in spoken.items() if any(re.search(p, normalized) for p in patterns)}
    if not _ABOUT_THE_SUBJECT.search(normalized):
        kinds |= {
            k for k, patterns in _TOPIC.items() if any(re.search(p, normalized) for p in patterns)
        }
    return CrisisSignal(frozenset(kinds)) if kinds else None


def is_about_the_subject(text: str) -> bool:
    """A text about crisis as a subject (training, awareness, research...), not an
    answer to one: a listing's sentence of that kind does not make it a crisis service."""
    return bool(_ABOUT_THE_SUBJECT.search(normalize(text[:2000])))
