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
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from proxima.directory.services.text import fold

SUICIDE, DANGER_TO_OTHERS, VIOLENCE = "suicide", "danger_to_others", "violence"

# Need domains whose services answer each kind (the directory's taxonomy), and words
# that name such a service in a directory that does not use it.
CRISIS_DOMAINS = {SUICIDE: ("crisis",), DANGER_TO_OTHERS: ("crisis",), VIOLENCE: ("violence",)}
# (Not "abuse", "urgence" nor "hébergement": substance abuse programs, emergency food
# and homeless shelters would come first; nor "crise" alone: parents' workshops on
# children's tantrums and "help in times of crisis" would. A crisis centre or line is
# read as serving the crisis domain from its own words: services/needs.py.)
ELDER_ABUSE_DOMAIN = "elder_abuse"
SERVICE_WORDS = {
    SUICIDE: ("suicide", "detresse", "distress", "988"),
    DANGER_TO_OTHERS: (),
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
    # The violence is done to an older person: the elder abuse services answer it first.
    elders: bool = False

    @property
    def domains(self) -> list[str]:
        domains = [d for kind in sorted(self.kinds) for d in CRISIS_DOMAINS[kind]]
        if self.elders and VIOLENCE in self.kinds:
            domains.insert(0, ELDER_ABUSE_DOMAIN)
        return list(dict.fromkeys(domains))

    @property
    def preferred(self) -> list[str]:
        """The need domains whose services come first among the crisis services."""
        if VIOLENCE in self.kinds:
            return [ELDER_ABUSE_DOMAIN] if self.elders else ["violence"]
        return self.domains[:1]

    @property
    def service_words(self) -> list[str]:
        return list(dict.fromkeys(w for kind in sorted(self.kinds) for w in SERVICE_WORDS[kind]))


def normalize(text: str) -> str:
    """Lower case, no accents, apostrophes as spaces, spoken contractions spelt out
    ("jveux" → "je veux", "chu" → "je suis", "pu" → "plus"), letters repeated for
    emphasis cut to one ("mouriiiir" → "mourir"), one space between words."""
    text = fold(text)  # (the ligatures spelt out: "sœur" is "soeur")
    # English contractions keep their words together ("don't" → "dont", "I'm" → "im");
    # French elisions part them ("j'ai" → "j ai").
    text = re.sub(r"\bi[’'`´]m\b", "im", text)
    text = re.sub(r"\b([a-z]+)[’'`´](ll|re|ve|d)\b", r"\1 \2", text)  # he'll → he ll
    text = re.sub(r"([a-z]{2,})[’'`´](t|s)\b", r"\1\2", text)
    text = re.sub(r"[’'`´]", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"(.)\1{2,}", r"\1", text)
    words = []
    for word in text.split():
        words.extend(CONTRACTIONS.get(word, _misspelt(word)).split())
    # Words of emphasis say nothing of what is wanted ("je veux vraiment mourir", "i want
    # to fucking die"): left out, the patterns see the wish itself.
    words = [word for word in words if word not in EMPHASIS]
    text = " " + " ".join(words) + " "
    return text.replace(" want 2 ", " want to ").replace(" my self ", " myself ")


# Words a crisis is said with that are often misspelt ("suisider", "suicied", "mysef"),
# read as meant when one letter is off (two for the long ones): added, left out, changed,
# or two swapped. Only words no other word is that close to.
MISSPELT = (
    "suicide",
    "suicides",
    "suicider",
    "suicidal",
    "suicidaire",
    "suicidaires",
    "myself",
    "overdose",
    "overdosed",
)


def _misspelt(word: str) -> str:
    if len(word) < 5 or word in MISSPELT:
        return word
    best, closest = word, 3
    for meant in MISSPELT:
        if word[0] == meant[0] and abs(len(word) - len(meant)) <= 2:
            allowed = 2 if len(word) >= 8 and len(meant) >= 7 else 1
            edits = _edits(word, meant, allowed)
            if edits <= allowed and edits < closest:
                best, closest = meant, edits
    return best


def _edits(a: str, b: str, limit: int) -> int:
    """Letters added, left out, changed or swapped with the next to make b of a
    (Damerau-Levenshtein, optimal string alignment); more than `limit` as limit + 1."""
    before, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


# ("trop" is not one: "trop de pilules" is what was taken.)
EMPHASIS = frozenset(
    {
        "vraiment",
        "tellement",
        "juste",
        "donc",
        "really",
        "so",
        "fucking",
        "fuckin",
        "freaking",
        "just",
        "literally",
        "honestly",
        "seriously",
        "genre",
        "tse",
    }
)


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
    "cannot": "can not",
    "ive": "i have",
    "idk": "i do not know",
    "u": "you",
    "ur": "your",
    "kms": "kill myself",
    "wnat": "want",
    "whant": "want",
    "wnt": "want",
    "wana": "want to",
    "veu": "veux",
    "rn": "right now",
    "ya": "il y a",
    "jentend": "j entends",
    "jlentend": "je l entends",
    "jlentends": "je l entends",
    "jy": "j y",
    "sest": "s est",
    "mest": "m est",
    "dadieu": "d adieu",
    "hell": "he ll",
    "shell": "she ll",
    "theyll": "they ll",
    "yr": "year",
    "lappart": "l appart",
    "lecole": "l ecole",
    "jetais": "j etais",
    "jpense": "je pense",
    "sucide": "suicide",
    "suicde": "suicide",
    "sucidal": "suicidal",
    "suicidale": "suicidaire",
    "suicidair": "suicidaire",
    "sucidaire": "suicidaire",
    "suisidaire": "suicidaire",
    "suicidial": "suicidal",
    "suisidal": "suicidal",
    "suicidle": "suicidal",
    "mourrir": "mourir",
    "mourire": "mourir",
    "jveu": "je veux",
    "jeveux": "je veux",
    "vx": "veux",
    "veus": "veux",
    "vrm": "vraiment",
    "tlm": "tellement",
    "jvoulais": "je voulais",
    "jvoudrais": "je voudrais",
    "jaimerais": "j aimerais",
    "jvx": "je veux",
    "g": "j ai",
    "envi": "envie",
    "jpeu": "je peux",
    "jpx": "je peux",
    "den": "d en",
    "capabl": "capable",
    "kil": "kill",
    "wan": "want",
}

# A goodbye to colleagues, students or fans is not one to life.
_NOT_TO_COLLEAGUES = (
    r"(?! (to|for|a|aux|pour) (my |his |her |the |our |mes |ses |nos |son |sa )?"
    r"(colleagues|team|coworkers|co workers|job|work|fans|students|clients|class|collegues|"
    r"equipe|eleves|employes|abonnes|travail))"
)

# Hurt or cut by accident, or laughing: "i cut myself shaving", "killed myself laughing".
_NOT_AN_ACCIDENT = (
    r"(?! ?(shaving|cooking|playing|laughing|at the gym|at work|at practice|in the kitchen|"
    r"by accident|accidentally|while|when i fell|falling|skiing|skating|running|lifting|"
    r"at school|at recess|in gym|at hockey|at soccer|"
    r"on a|on the|with a knife cooking))"
)

# Patterns on normalized text (spaces around every word). "\b" is not needed: each
# pattern starts and ends on a space or a word stem.
_SUICIDE = [
    # French: a wish to die or to end it, about oneself or a close one.
    r" (veux|veut|voulons|veulent|envie de|gout de|aimerais|aimerait|vais|va|pense a|pensees? de|songe a|prefererais) (juste |trop |tant )?(mourir(?! de (rire|faim|honte|chaleur|froid|envie|ennui))|crever(?! de (faim|chaleur|froid|rire))|en finir|disparaitre pour toujours)",
    r" (veux|veut|peux|peut|sais|sait) (plus|pas) (vivre|continuer) (?!(seule?s?|a la maison|chez|en appartement|dans|sans|avec|ici|la|comme ca|a travailler|mes etudes|l ecole|le programme) )",
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
    r" (kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|shooting) (myself|himself|herself|themselves|themself)"
    + _NOT_AN_ACCIDENT,
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
    # Pills taken, a lot of them: an overdose, whatever is said of it.
    r" (pris|prit|avale|avaler|bu|took|taken|take|swallowed|ate|had)( [a-z0-9]+){0,3} (toute|toutes|tous|trop|plein|une bouteille|all|whole|bottle|bunch|too many|handful|[0-9]{2,})( [a-z0-9]+){0,4} (pilules|pillules|pills|meds|medicaments|comprimes|cachets|tylenol|advil|tablets|somniferes)",
    r" (pilules|pills|meds|medicaments|comprimes|tylenol|advil|tablets|somniferes|sleeping pills) ( [a-z]+ )?(all of them|toutes|tous|au complet)",
    r" (avale|avaler|swallowed) (des |some |a lot of |beaucoup de )?(tylenol|advil|pilules|pills|comprimes|somniferes|sleeping pills)",
    r" (how many|combien de) (pills|pilules|tylenol|advil|comprimes)( [a-z]+){0,4} (die|mourir|wake|reveiller|kill|tuer|od|overdose)",
    r" (respire (plus|pas) (bien )?|not breathing|isnt breathing|stopped breathing|cant breathe|can not breathe|inconsciente?|unconscious)",
    # A place or a means at hand.
    r" (sauter|saute|jump|jumping|jumped|me jeter|throw myself)( [a-z]+){0,2} (du|d un|de la|en bas|off|from|in front of|devant|sous|under)( [a-z]+){0,3} (pont|bridge|balcon|balcony|toit|roof|metro|subway|train|edifice|building|falaise|cliff|char|truck|camion)",
    r" (sur le bord du|au bord du|standing on the|standing on|on the edge of the|on the ledge|on the roof|sur le toit)( [a-z]+)? (pont|bridge|balcon|balcony|toit|roof|ledge|building|edifice)",
    r" (une corde|the rope|a rope|rope ready|noose|noeud coulant|gun to my head|loaded gun|fusil charge)",
    r" (me|se|te) suis (ouvert|ouverte|coupe|coupee) (les )?(veines|poignets)",
    r" (je|il|elle|tu) (me|se|te) (coupe|coupes|coupent|brule|brules|brulent|scarifie)(?! (les |mes |ses |tes )?(cheveux|ongles|frange|barbe|doigt|legumes))",
    r" (burned|burnt|burning|cut|cutting) (myself|herself|himself|themselves) " + _NOT_AN_ACCIDENT,
    r" (saigne|saigner|bleeding|bleed)( [a-z]+){0,3} (beaucoup|pas|arrete pas|a lot|wont stop|will not stop|cant stop|badly)",
    # A goodbye, or giving one's things away.
    r" (texte|texto|message|lettre|mot|text|note|letter|dit|dire|saying|said|say|publie|publier|poste|posted|sent)( [a-z]+){0,2} (d adieu|adieu|goodbye|good bye|farewell)"
    + _NOT_TO_COLLEAGUES,
    r" (adieu|goodbye|good bye|farewell) (text|texto|message|note|letter|post)"
    + _NOT_TO_COLLEAGUES,
    r" (giving|gave|give|given) away (all )?(my|his|her|their) (stuff|things|belongings|possessions)",
    r" (donne|donner|donnes|donnait) (toutes |tous )?(mes|ses|tes) (affaires|choses|biens)",
    r" (wrote|written|writing|ecrit) (my|ma|sa|his|her) (note|last letter|derniere lettre|lettre pour)",
    r" left a (note|letter) and (locked|left|disappeared|isnt|is not|wont|hasnt|has not)",
    # Not wanting to wake up, to go on, to be here.
    r" ((plus|pas) jamais me reveiller|jamais me reveiller|pas me reveiller|not wake up|never wake up|sleep forever|dormir pour toujours|dormir pour l eternite)",
    r" (want|wants|need|needs) (it|this|everything|all this|it all|the pain) to (end|stop|be over)",
    r" (can not|cant|cannot) (do this|take (it|this)|go on|keep going|keep living) any ?more",
    r" (plus|pas) capable (de continuer|de vivre|d endurer)",
    r" (plus|pas) de raison de vivre",
    r" (fardeau|burden) (pour|for|to) (tout le monde|everyone|ma famille|my family|them|les autres|others)",
    r" (mieux sans moi|better without me|better off without me)",
    r" (plus simple|mieux|easier|better) si (j etais|je serais) (plus|pas|morte?) (la)?",
    r" (easier|better) if i (was not|wasnt|were not|werent) (here|around|alive)",
    r" (how to|comment) (end it|en finir|mourir|die|kill myself|me tuer|me suicider)",
    r" (no|nothing|plus de|pas de) (point|reason|raison|sens) (anymore|any more|to anything|a rien)",
    r" (tonight is the night|c est ce soir que|ce soir c est fini)",
    r" (s|m|t|se|me|te) (automutile|automutilent|automutiler|automutilait|scarifie|scarifient|scarifiait) ",
    r" (self harming|selfharming|self harms|selfharm) ",
    r" (ending|end) it all ",
    r" (plus|pas|pu) envie d (etre|rester) (la|ici|en vie|vivante?) ",
    r" (veux|veut|voudrais|aimerais|envie de) (juste )?disparaitre(?! (de|des|du|d) )",
    r" (want|wants|wanted|wish i could|would like|need) to (just )?disappear(?! (from|for a|for the|on) )",
    r" (bu|drank|drinking|drunk|alcool|alcohol|booze)( [a-z]+){0,3} (et|pis|and|plus|with|avec) (pris |took |taken )?(des |some |my |mes )?(pilules|pills|meds|medicaments|comprimes|somniferes)",
    # A wish said in the conditional, or to be dead; elided pronouns ("m'tuer").
    r" (voudrais|voudrait|voudrions|aimerais|aimerait|souhaiterais|souhaite|souhaiterait) (mourir(?! de (rire|faim|honte|chaleur|froid|envie|ennui))|crever(?! de (faim|chaleur|froid|rire))|en finir|etre morte?s?|plus etre la|plus vivre) ",
    r" (veux|veut|voudrais|aimerais|souhaite) (etre|d etre) morte?s? ",
    r" (m|s|t|me|se|te) (enlever|enleve|enlevee|enlever) la vie ",
    r" (m|s|t) (tuer|suicider|pendre|tue|suicide|pend) ",
    r" (me|se|te|m|s|t) (foutre|sacrer|crisser|calisser|jeter|garocher) en l air ",
    r" (s|m|t|se|me|te) (est|suis|es|sont|etait) (pendue?s?|ouvert les veines|ouverte les veines|tranche les veines|jetee? (en bas|d un pont|devant))",
    r" (tanne|tannee|tannes|fatigue|fatiguee|ecoeure|ecoeuree|lasse|lassee|au bout) (de|d) (vivre|la vie|exister) ",
    r" (tired|sick|weary) of (living|life|being alive|existing) ",
    r" (wish|wished|wishes) (i|he|she|they) (was|were|had been|could be) (dead|never born|gone) ",
    r" (wish|wished) (i|he|she) (had|would) (died|die|never been born|not wake up) ",
    r" (wanting|wishing|longing) to (die|be dead|end it|kill (myself|himself|herself|themselves)) ",
    r" (thinking|thought|think|thinks|thoughts) (of|about) (ending (it|my life|his life|her life|their life|everything)|killing (myself|himself|herself|themselves)|suicide|dying|taking (my|his|her|their) (own )?life) ",
    r" (nothing|no one|nobody|no reason|rien|personne|plus rien) (left )?(to|a|pour) (live for|vivre|quoi vivre) ",
    r" (want|wants|going|gonna|about|plan|planning) to jump( off| from| in front| $)",
    r" (took|swallowed|has taken|have taken) (some |his |her |my |their )?(pills|meds|medication|medications|tablets)(?! (for|every|daily|as|with (food|water|a meal)))",
    r" (a pris|ai pris|a avale|ai avale) (des|ses|mes|ces) (pilules|medicaments|comprimes|cachets)(?! (pour|chaque|contre|avec (le|son|du) repas))",
    # Other ways of wishing to die, to be gone, not to wake up.
    r" (rather|ready to|hope i|hope to|pray to|want to) (die|be dead) ",
    r" (espere|prie pour|hate de|pret a|prete a) (mourir|crever|en finir) ",
    r" (veux|veut|voudrais|aimerais) (plus|pas|pu|jamais) (me|se|te) (reveiller|lever) ",
    r" (en peux|en peut) plus de (vivre|la vie|exister) ",
    r" (plus|pas|pu) (le|l) gout (de|d) vivre ",
    r" (veux|veut) (plus|pas) exister ",
    r" (veux|veut|voudrais) (que|qu) (ca|tout) (finisse|arrete|s arrete|se termine) ",
    r" (c est|cest) fini pour (moi|lui|elle) ",
    r" (everyone|everybody|my family|my kids|my wife|my husband|my parents) (would|will|d) be better off",
    r" (see|sees|saw) (the|any|no) point (of|in) (living|life|going on|being alive)",
    r" (just want|want|wants) to not (exist|be here|be alive|wake up) ",
    r" (wish|wished) (i|he|she) (was not|wasnt|were not|werent) (alive|here|born) ",
    r" (can not|cant|cannot) (go on|keep going|live) like this ",
    r" (done|finished) with (life|living|it all) ",
    r" (thinking|think|thought|thoughts) about (death|dying) ",
    r" (me|se|te) (noyer|flinguer|lancer en bas|lancer du|garocher en bas) ",
    r" (drown|shoot|hang|gas) (myself|himself|herself|themselves) ",
    r" (me|se|te) (jeter|lancer|garocher) (dans|en bas|du|de la|devant|sous) (le fleuve|la riviere|l eau|le lac|du pont|un pont|le pont|le metro|un train|un char|un camion)",
    r" (foncer|rentrer|crasher) (dans|contre) un (mur|arbre|poteau|camion) ",
    r" (pris|avale) (toute|toutes|tous) (sa|ses|ma|mes|la) (prescription|prescriptions|medication|pilules|medicaments|pompes) ",
    r" (batch|paquet|tas|gang) de (pilules|medicaments|comprimes|cachets) ",
    r" (pills|meds|tablets|medication) (saved up|stockpiled|hoarded|collected)",
    r" (saved up|stockpiled|hoarded|been collecting) (pills|meds|tablets|medication)",
    r" (enferme|enfermee|locked (herself|himself|themselves))( [a-z]+){0,8} (couteau|knife|lame|blade|rasoir|razor|pills|pilules|corde|rope) ",
    r" (me|se|te) suis (coupe|coupee|scarifie|scarifiee|mutile|mutilee|brule|brulee)(s)? ",
    r" (burn|burns|burned|burning) (myself|himself|herself|themselves) with ",
    r" (lettre|lettres|mot) (pour|a) (mes|ses|mon|ma) (enfants|enfant|famille|parents|blonde|chum)( [a-z]+){0,6} (ce soir|demain|c est fini|adieu)",
    r" (testament)( [a-z]+){0,6} (ce soir|c est ce soir|adieu|lettre)",
    r" (personne|nobody|no one) (va|ne va|will|would)( [a-z]+){0,2} (s ennuyer|ennuyer|miss) (de )?(moi|me) ",
    # Said of oneself or of a close one: "suicidal", "dark thoughts".
    r" (je suis|j suis|il est|elle est|est|is|am|i am|he is|she is|they are|feel|feeling|feels|me sens|se sent|devient|became|becoming) (encore |tres |very |still )?(suicidaire|suicidaires|suicidal) ",
    r" (j ai|il a|elle a|a|ont|avons|have|has|having|had|i have|i m having) (encore |souvent |still |often )?(des |de |les |some |these |those )?(idees?|pensees?|thoughts?) (noires?|suicidaires?|de mort|de suicide|suicidal|dark|of suicide|of death|of dying) ",
]
_DANGER_TO_OTHERS = [
    r" (veux|veut|vais|va|menace de|pense a|envie de) (le |la |les )?(tuer|blesser|faire du mal)(?! le temps| du temps)",
    r" (tuer|blesser|faire du mal a) (quelqu un|mon|ma|mes|son|sa|ses|lui|elle|mon conjoint|ma conjointe) ",
    r" (a|avec) une arme",
    r" (menace|menaces) de mort",
    r" (want|wants|going|threatening|threatens|plan|planning) to (kill|hurt|harm|shoot|stab) (someone|somebody|him|her|them|my|his|people|everyone)\b",
    r" (has|have|got) a (gun|knife|weapon) and",
    r" (death threats?|threat(en|ens|ened|ening)? to kill (someone|somebody|him|her|them|people|my|his|everyone)\b)",
    r" (kill|hurt) (someone|somebody|people|everyone) ",
    r" (poignarder|tuer|blesser|frapper|tirer sur|attaquer) (quelqu un|du monde|tout le monde|des gens|le monde) ",
    # A firearm or weapon at hand, or a threat to shoot.
    r" (a|as|ont|avait|avec|has|have|got|carrying|carries|owns|holding|pointe|pointing)( un| une| a| an| his| her| son| sa| their| des)? (fusil|arme a feu|arme|armes|gun|guns|firearm|revolver|pistolet|carabine|rifle|shotgun) ",
    r" (va|vont|veut|voulait|menace de|menace|parle de|dit qu il va|dit qu elle va) (tirer|faire feu)(?! (au sort|une conclusion|les cartes|profit|parti|la chasse))",
    r" (tirer|faire feu) sur ",
    r" (threatening|threatens|threatened|threaten|going|wants|want|plans|planning|says he ll|says she ll|he ll|she ll|they ll|will|gonna|coming over) to (kill|hurt|shoot|stab) (our|the|your|me|us|my|his|her|them|him|everyone|the kids|the children) ",
    r" (he ll|she ll|they ll|he will|she will) (kill|hurt|shoot|stab) ",
    r" (va|veut|vont|menace de) (venir )?(me|nous|les|la|le|l) (tuer|blesser|frapper|poignarder)(?! le temps)",
    r" (menace|menacent|menacait|threatens|threatening|threatened)( [a-z]+){0,3} (avec|with) (un|une|a|an) (fusil|arme|couteau|gun|knife|hache|axe|bat|baton|batte)",
    r" (shoot up|shooting up|shoot|tirer sur|tirer dans) (the |l |la |le |a )?(school|ecole|cegep|college|work|bureau|mall|centre)",
    r" (mettre le feu|mettre feu|set (the |our |my |his |her )?(house |apartment |apt |place |building |appart )?on fire|burn (the|our|my|his|her) (house|place|apartment) down)",
    r" (thoughts? of|pensees? de|idees? de|urge to|envie de) (killing|hurting|stabbing|shooting|tuer|blesser|poignarder) ",
    # Someone out of touch with reality now, or with a weapon and threatening or raving.
    r" (is|est|am|are|s|semble|seems) (psychotic|psychotique|en psychose|manic|maniaque|en delire|delirant|delirante) ",
    r"(?=.* (knife|couteau|gun|fusil|axe|hache|arme|weapon|machette|bat|batte) )(?=.* (voices|voix|psychot[a-z]*|manic|maniaque|delire|hallucin[a-z]*|yelling|crie|hurle|menace|threat[a-z]*|demons?|diable|devil|screaming) )",
    r" (veut|va|want|wants|going to|gonna) (frapper|battre|hit|beat|hurt|blesser|attack|attaquer) (tout le monde|everyone|everybody|someone|quelqu un|people|le monde)",
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
    r" (being|been|getting|got|was|were|is being) (beaten|hit|abused|raped|assaulted|sexually assaulted|choked|strangled) (?!by (a |an |the )?(car|truck|bus|ball|bike|bicycle|vehicle|train|puck|driver) )",
    # Someone hitting someone, said of oneself or overheard; the object a person.
    r" (frappe|frappent|frappait|bat|battent|battait|battre|tabasse|gifle|giflent|cogne|hits|hit|hitting|beats|beating|beat|slaps|slapped|slapping|punches|punched|punching|kicks|kicked|kicking|chokes|choked|choking|strangles|strangled) (me|moi|nous|us|her|him|them|les enfants|l enfant|le bebe|the kids?|the children|the baby|(son|sa|ses|mon|ma|mes|my|his|her|their|our) (enfant|enfants|fils|fille|femme|mere|pere|soeur|frere|blonde|chum|bebe|kid|kids|child|children|son|daughter|wife|husband|mom|mother|dad|father|sister|brother|girlfriend|boyfriend|partner|baby)) (?!out |dehors |up (later|tomorrow|sometime|anytime|when|if|on|at|tonight|whenever|for) )",
    r" (me|m|te|le|la|les|nous|l) (frappe|frappent|frappait|bat|battent|battait|cogne|tabasse|gifle|violente|etrangle|brutalise|agresse|viole) (?!a la porte)",
    r" (ma|m a|l a|nous a|t a) (etrangle|etranglee|frappe|frappee|battu|battue|viole|violee|agresse|agressee|pousse|poussee|enferme|enfermee|tabasse|tabassee|drogue|droguee)( |$)",
    r" (s est|sest|est|me suis|m est|se sont) (fait|faite) (battre|frapper|violer|agresser|tabasser|etrangler|droguer|attaquer)",
    r" (pousse|poussee|pushed|shoved|thrown|threw|lance|lancee) (me |moi |him |her |them )?(dans|down|en bas|off)( les| the| des)? (escaliers?|stairs|balcon|balcony)",
    r" (me|la|le|l|nous|les) touch(e|ent|ait|aient) (la nuit|le soir|quand|dans|sous|partout)| touch(es|ed|ing) (me|her|him|them) (at night|when|in|under|down|there|everywhere)",
    r" (drugged|spiked) (me|my drink|her|him)| (m a|ma|on m a|quelqu un m a) droguee?",
    r" (locked|enferme|enfermee)( [a-z]+){0,3} (and|pis|et) (beat|hit|frappe|frappee|battu|battue)",
    r" (is|keeps|started|starts|s) (hitting|beating|choking|strangling|punching|kicking|hurting|abusing|threatening) (me|us|my|the kids|the children|her|him) ",
    r" (afraid|scared) for my (life|safety)",
    # A partner or parent said to be violent; blows given, a hand on the throat.
    r" (mon chum|ma blonde|mon mari|ma femme|mon conjoint|ma conjointe|mon pere|ma mere|mon ex|mon partenaire|mon copain|ma copine|mon beau pere|ma belle mere|il|elle) (est|devient|etait) (encore |tres )?(violent|violente|agressif|agressive|dangereux|dangereuse) ",
    r" (my|her|his|our) (husband|wife|partner|boyfriend|girlfriend|dad|father|mom|mother|ex|stepdad|stepfather|stepmom|stepmother|son|daughter) (is|gets|becomes|has been|was) (very |getting )?(violent|abusive|dangerous|aggressive) ",
    r" (m|t|l|nous|lui|leur) a (sacre|donne|foutu|flanque|crisse|calisse|envoye) (une|des|un|deux|plein de) (claques?|baffes?|gifles?|coups?|volees?|coups de poing|tapes?) ",
    r" (me|te|la|le|l|nous|les) (donne|donnent|sacre|sacrent|envoie) (une|des|un) (claques?|baffes?|gifles?|coups?|volees?) ",
    r" (pogne|pognee|prise?|serre|serree|tenu|tenue|agrippe|agrippee|attrape|attrapee|m a pogne|m a pris) (a|par) la gorge ",
    r" (grabbed|choked|held|holding|grabs|grabbing|squeezed|squeezing) (me|her|him|us|them) by the (throat|neck) ",
    r" (me fais|me suis fait|se fait|se fais|nous faisons) (menacer|menacee|menace) ",
    r" (menacer|menacee|menace|threatened|threatening) (de mort|with death) ",
    r" (beau pere|belle mere|oncle|pere|frere|cousin|voisin|prof|professeur|entraineur|coach|gardien|gardienne|chum de ma mere|stepdad|stepfather|uncle|father|dad|brother|cousin|neighbou?r|teacher|babysitter|mom s boyfriend) (me|la|le|l|nous|les|m a|l a|les a) (touche|touchent|touchait|touchee|tripote|tripotait|tripotent) ",
    r" (stepdad|stepfather|stepmom|uncle|father|dad|brother|cousin|neighbou?r|teacher|coach|babysitter|boyfriend) (touches|touched|is touching|keeps touching|molests|molested|is molesting) (me|her|him|them|us|my) ",
    r" (frapper|battre|cogner|tabasser|battait|frappait) (sa|son|ses|la|le|les|une|un) (femme|blonde|conjointe|enfants?|fille|fils|mere|pere|chum|mari|bebe|soeur|frere) ",
    r" (hear|heard|hearing|entends|entendu) (the |my |le |la |les |mon |ma |mes )?(neighbou?rs?|voisins?|voisine)( [a-z]+){0,3} (hitting|beating|frapper|battre|frappe|bat|hurting|screaming|crier|hurler) ",
    r" (locked|locks|locking) (me|us|her|him|them|the kids) (in|inside|up|out) ",
    # Rape and forced sex, blows and things thrown, a blade at the throat, threats.
    r" (raped|rapes|rape|sexually assaulted|sexually abused|molested) (me|her|him|my|them|us) ",
    r" (forced|forces|forcing|force|made) (me|her|him) (to )?(have sex|into sex|sleep with)",
    r" (m a|m|l a|nous a|me|la|le) (force|forcee|forcent|forcer) a (coucher|avoir des relations|faire l amour|avoir du sexe)",
    r" (force|forcent|forcer) a avoir des relations sexuelles ",
    r" (pushed|shoved|threw|thrown|slammed|dragged) (me|her|him|us|them)( [a-z]+){0,3} (and|into|against|down|on|to the|across)",
    r" (threw|throws|thrown|throwing) (a|the|his|her) (chair|bottle|plate|glass|knife|phone|table|object|lamp) at (me|her|him|us)",
    r" (m a|m|nous a|l a) (lance|lancee|garoche|garochee|jete|jetee) (une|un|des) (chaise|bouteille|assiette|verre|couteau|cellulaire|objet|table)",
    r" (knife|blade|gun) (to|against|at) (my|her|his|our) (throat|neck|head|chest)",
    r" (couteau|lame|fusil|arme) (sur|sous|contre) (ma|sa|la|notre) (gorge|tete|cou) ",
    r" (harcele|harcelent|harcelait|stalks|stalking|harasses|harassing)( [a-z]+){0,2} (et|and|pis) (me |nous |la |her |me |us )?(menace|menacent|threatens|threatening)",
    r" (he is|she is|hes|shes|he s|she s|they are|theyre) (hurting|abusing|beating|hitting|threatening) (me|us|my|her|him) ",
    r" (uncle|father|dad|stepdad|stepfather|brother|cousin|husband|boyfriend|partner|mother|mom|wife|girlfriend|grandfather|grandpa|coach|teacher|neighbou?r) (abuses|abused|is abusing|molests|molested|rapes|raped) (me|her|him|us|my) ",
    r" (abusee|abuse|abusees|abuses|maltraitee|maltraite|violentee|agressee) par (mon|ma|mes|son|sa|ses|un|une) ",
    r" (abused|beaten|raped|threatened|assaulted|molested) by (my|her|his|our|a) ",
    r" (afraid|scared|terrified|frightened) (of|for) (my|her|his) (husband|wife|partner|boyfriend|girlfriend|ex|dad|father|mom|mother|stepdad|son|daughter) ",
    r" (peur|terrifiee?|effrayee?) (de|d) (mon|ma) (mari|femme|conjoint|conjointe|chum|blonde|ex|pere|mere|beau pere|fils|fille) ",
    r" (subis|subit|subissons|vis|vit|vivons|vivent) (de la|des|la) (violence|violences|maltraitance|abus) ",
    r" (he|she|he ll|she ll|he will|she will|he is going to|she is going to|hes going to|shes going to|he s going to|going to|gonna|threatened to|threatens to|says he ll|says she ll|said he d|said she d|says he will|says she will) (kill|hurt|stab|shoot|beat|strangle|choke) (me|us|the kids|the children) ",
    r" (scared|afraid|terrified|fear) (he|she|they) (ll|will|would|d|is going to|s going to) (kill|hurt|stab|shoot|beat) (me|us|my) ",
    r" (il|elle|mon chum|mon mari|ma femme|ma blonde|mon ex|mon conjoint|ma conjointe|mon pere|ma mere|on) (va|veut|vont|menace de|dit qu il va|dit qu elle va) (me|nous) (tuer|blesser|frapper|poignarder|battre|etrangler) ",
    r" (threatened|threatens|threatening|menace|menacee|menacait) (me|us|her|moi|nous)? ?(with|avec) (a|an|un|une|his|her|son|sa) (knife|gun|couteau|fusil|arme|weapon|hache|axe|bat|batte|baton)",
    r" (going|gonna|wants|threatened) to kill me",
    r" (child|kid|baby|son|daughter) (is being|being|is) (beaten|hit|abused|hurt|in danger)",
]

# The subject named without a person in it ("suicide", "violence conjugale"): a crisis,
# unless the search is about the subject (below).
_TOPIC = {
    SUICIDE: [
        r" suicid(e|es|al|aire|aires|er) ",
        r" (idees?|pensees?) (noires?|suicidaires?|de mort|de suicide) ",
        r" tentative de suicide ",
        r" (scarification|automutilation|self ?harm|self ?injury) ",
        r" (dark|suicidal) thoughts ",
        # An overdose named alone: a crisis, unless a search is about it (a conference,
        # statistics, awareness, a naloxone kit).
        r" (overdose|surdose|overdoses|surdoses)(?! (prevention|site|sites|kit|kits|trousse|trousses|awareness|statistics|statistiques|response|training|formation|crisis|deaths|death|data))",
    ],
    DANGER_TO_OTHERS: [r" (homicid(e|al|aire)) "],
    VIOLENCE: [
        r" (violence|violences) (conjugale|conjugales|familiale|familiales|sexuelle|sexuelles) ",
        r" (domestic|family|intimate partner|sexual) (violence|abuse) ",
        r" (agression sexuelle|sexual assault|femme battue|battered) ",
        r" (relation|relations|couple|relationship|relationships|partenaire|partner|conjoint|conjointe|chum|mari|husband|boyfriend|girlfriend) (abusive?s?|abusif|abusifs|violente?s?|controlante?|controlling|toxique) ",
    ],
}

# --- A third probe's phrasings, as kinds of saying (not the sentences themselves) ------
# Whom a verb acts on when it is a person: a pronoun, or a close one named.
_CLOSE = (
    r"(me|moi|him|her|them|us|lui|elle|nous|les enfants|the kids|the children|"
    r"(my|his|her|their|our|mon|ma|mes|son|sa|ses|notre|nos) (little |baby |younger |older |"
    r"petit |petite |grand |grande |elderly |old )?(enfants?|bebe|fils|fille|femme|mari|mere|"
    r"pere|soeur|frere|blonde|chum|grand mere|grand pere|kid|kids|child|children|son|"
    r"daughter|wife|husband|mom|mother|dad|father|sister|brother|girlfriend|boyfriend|"
    r"partner|baby|grandma|grandmother|grandpa|grandfather|nephew|niece|neveu|niece|"
    r"coloc|roommate|friend|ami|amie))"
)
_DRUGS = (
    r"(pills|pilules|meds|medicaments|comprimes|cachets|molly|mdma|ecstasy|coke|cocaine|"
    r"fentanyl|fent|heroin|heroine|speed|meth|crystal|dope|drogue|drogues|drugs|xanax|"
    r"tylenol|advil|ghb|ketamine|acid|lsd|opioids?|opiaces?|oxy|oxys|percocet|dilaudid|"
    r"methadone|benzos?|antidepressants?|antidepresseurs?|anxiolytiques?|somniferes|"
    r"sleeping pills|insulin|insuline|lithium|painkillers)"
)
_SUICIDE += [
    # Slang of the networks, said only of oneself or a close one.
    r" (unalive|unaliving|unalived|self delete|self deleting|sewer slide|ctb|catch the bus tonight) ",
    # On a bridge or a roof, with the jump said anywhere.
    r"(?=.* (pont|bridge|toit|roof|ledge|rebord|balcon|balcony|falaise|cliff|viaduc|overpass) )(?=.* (sauter|saute|sauterai|jump|jumping) )",
    r" (i am|am|im|je suis|suis|he is|she is|il est|elle est|is|est) (on|sur) (the|a|le|la|un|une) (bridge|pont|roof|toit|ledge|rebord|viaduc|overpass|railway|voie ferree) ",
    # Pills, a rope, a weapon: gathered, in hand, ready.
    r" (ramasse|ramassee|garde|gardees|cache|cachees|accumule|accumulees|stocke|stockees|amasse|saved|saving|stockpiling|stockpiled|hoarding|hoarded|collecting|gathering|gathered)( up)?( (toutes|tous|all|my|mes|ses|his|her|des|some))* (pilules|pills|meds|medicaments|comprimes|cachets)",
    r" (pilules|pills|meds|medicaments|comprimes|cachets|gun|fusil|couteau|knife|corde|rope|lames|blades) (in front of me|devant moi|dans (ma|la) main|in my hand|in (my|his|her) hands|ready|pretes?|prets|sur la table|on the table|right here)",
    r" (holding|tiens|tient|tenais) (a|un|une|the|le|la|les|my|mes|ses|des|his|her) (pills|pilules|meds|medicaments|comprimes|gun|fusil|rope|corde|blade|lame|razor|rasoir)",
    r" (gun|fusil|arme|carabine|pistolet|pistol|rifle|shotgun) (est |is )?(charge|chargee|loaded)",
    r" (utiliser|use|using|pointer|point|pointing|tourner|turn)( [a-z]+){0,2} (sur moi|contre moi|on myself|at myself|against myself|sur lui|sur elle|on himself|on herself)",
    r" (fusil|gun|arme|carabine|corde|rope)( [a-z]+){0,8} (j y pense|i think about it|y pense de plus en plus|think about using it|pense a l utiliser)",
    r"(?=.* (corde|rope|noose) )(?=.* (poutre|beam|cou|neck|pendre|pendu|hang|hanging|noeud|knot|attache|tied) )",
    r"(?=.* garage )(?=.* (car running|engine running|moteur (qui )?(roule|tourne)|char (qui )?(roule|tourne)|auto (qui )?(roule|tourne)|running car|en marche) )",
    r" (dose mortelle|dose letale|lethal dose|fatal dose|painless way|way to die|ways to die|facon de mourir|moyen de mourir|comment mourir|how to die|mourir sans souffrir|die without pain|die painlessly) ",
    r" (drive|driving|drove|crash|crashing|foncer|fonce|rentrer) (my |the |his |her |mon |ma |son |sa )?(car |truck |char |auto |voiture )?(into|off|dans|contre) (a|the|un|une) (wall|tree|pole|cliff|mur|arbre|poteau|falaise|truck|camion)",
    # Acting on it, a danger to oneself, a foolish thing tonight.
    r" passer a l acte ",
    r" danger (pour|face a|envers) (moi|lui|elle|eux) meme| danger to (myself|himself|herself|themselves) ",
    r" (vais|va|peur de|pourrais|pourrait|risque de|veux|veut) faire une (grosse )?(connerie|betise|niaiserie) ",
    r" (jamais|pas) (m etre|me|s etre|se) reveillee? ",
    # Leaving for good, joining the dead, not being here tomorrow.
    r" (partir|m en aller|m en vais|men vais|s en aller|s en va|je pars|il part|elle part|leave|leaving|go away) (pour (de bon|toujours)|for good|forever)(?! (de|du|d|des|a|au|en|from|to|this|the|my) )",
    r" (rejoindre|retrouver)( [a-z]+){0,3} (au ciel|au paradis)| (join|be with|see)( [a-z]+){0,3} in heaven",
    r" (aurez|aurons|auront|aurai|aura) (plus|pu|pas) a (vous |t |te |s |se )?(occuper|inquieter|endurer|supporter) (de )?(moi|lui|elle)",
    r" (will not|wont|not going to|not gonna) (have to )?(be|worry about|deal with|take care of)( a)? (me|him|her|problem|burden|around|here|alive)( [a-z]+){0,2} (much longer|for long|anymore|any more|soon|tomorrow)",
    r" (serai|sera|serais) (plus|pu) la (demain|bientot|longtemps|ce soir|cette nuit|pour) ",
    r" (adieu (tout le monde|a tous|la vie|mes amis|everyone|world)|this is (goodbye|my goodbye|the end)|(goodbye|bye) (everyone|world|cruel world|forever)) ",
    r" (made|make|making) peace with (leaving|dying|death|going|it all ending)",
    r" (affairs|things) in order (before i (go|die|leave)|for when i m gone|and i am ready to go|and im ready to go)| (regle|mis de l ordre dans) (mes|ses) affaires (avant de (partir|mourir|m en aller)|pour partir)| (regarde|regarder|looked at|looking at|staring at|fixe|fixais) (la|une|the|a) (corde|rope) ",
    r" (tout (prepare|planifie|organise)|planned everything|everything ready|got everything ready)( [a-z]+){0,3} (pour )?(mourir|en finir|die|end it)| tout (prepare|planifie) pour partir $",
    r" (au cas ou|in case) (je|i|il|elle|he|she) (ne )?(serais|sois|serai|serait|soit|am|m|would|will|was|were|d)( plus| not| no longer| pu| pas)? (plus |pu |pas )?(la|here|around|alive)(?! (pour|when|quand|to|at|a) )",
    r" (a quoi|what s the point|whats the point|what is the point|quoi)( [a-z]+){0,2} (de vivre|sert de vivre|of living|of life|in living|to live|of going on|of being alive)",
    r" (devrais|devrait|should) (juste )?(disparaitre|mourir|crever|plus etre la|disappear|die|not be here|not exist|not be alive)",
    r" (je suis|il est|elle est|suis|me sens|se sent|je me sens|i am|i feel|he is|she is) de trop ",
    r" (want|wants|wanted|need|needs) out of (this|my|his|her) life",
    r" (veux|veut|voudrais|voulait) (que|qu) (la souffrance|la douleur|le mal|ma souffrance|ma douleur|tout|ca) (arrete|s arrete|finisse|cesse) pour (de bon|toujours)",
    r" (sorry for everything|desolee? pour tout|pardon pour tout|pardonnez moi pour tout|pardonne moi pour tout|forgive me for everything)",
    r" (texting|texted|messaged|writing|wrote|calling|called|sent|envoye|ecrit|texte)( [a-z]+){0,2} (goodbye|good bye|adieu|farewell)(?! (speech|party|card|discours|fete|dinner|souper|lunch|diner|gift|cadeau))"
    + _NOT_TO_COLLEAGUES,
    r" (took|pris|prit|apporte|grabbed|left with) (his|her|son|sa|ses|my|mon|ma)( [a-z]+){0,4} (gun|fusil|arme|carabine|rifle|shotgun)",
    # The wish in the past ("il disait qu'il voulait mourir") or by a third person.
    r" (voulait|voulais|voulaient|voulu) (mourir|crever|en finir|se tuer|me tuer|se suicider|me suicider|plus vivre|pu vivre|pas vivre) ",
    r" (peux|peut|peu|pouvait) (plus|pas|pu) vivre (?!(seule?s?|a la maison|chez|en appartement|dans|sans|avec|ici|la|comme ca) )",
    r" (gout|envie) (de|d) en finir ",
    r" (enferme|enfermee|enfermes|locked)( [a-z]+){0,8} (lames|blades|couteaux|knives|rasoirs|razors) ",
    r" (dit|dis|dire|says|said|pense|thinks|think) (qu|que|that)( [a-z]+){0,2} (serait|serais|serions|seraient|would be|d be|will be) (mieux|better off|better) (sans|without) (moi|lui|elle|me|him|her|them|eux) ",
    # Self-harm: the urge, again, how deep, the wrists.
    r" (envie|besoin) (de|d) (me|se|te) (couper|scarifier|mutiler|bruler|faire du mal)(?! (les |mes |ses |tes |la |sa |ma )?(cheveux|ongles|frange|barbe|doigt|doigts|legumes|du monde|les ponts))| (urge|urges|tempted|temptation|craving) to (cut|self harm|hurt myself|burn myself|cut myself) ",
    r" (me|se|te) (couper|coupe|coupes|coupent) (encore|again|souvent|tous les jours|avec) ",
    r" (recommence|recommencee|recommencer) a (me |se )(couper|scarifier|bruler|faire du mal)| (started|start|starting) (cutting|self harming|to cut) (myself|herself|himself|again) ",
    r" (cutting|self harm|self harming|sh|s h|selfharm) (again|relapse|relapsed|urges|urge) ",
    r" (relapse|relapsed|rechute) (on |in |de |d )?(self harm|sh|cutting|automutilation|scarification) ",
    r" (slit|slash|slashed|slashing|slitting|cut|cutting|ouvert|ouvrir|taillade|tailladee|taillader|tranche|trancher) (my|his|her|their|mes|ses|les) (wrists?|veins|poignets|veines|throat|gorge) ",
    r" (cut|cuts|cutting) (too )?deep ",
    r" (will not|wont|can not|cant|does not|doesnt|not) stop(ping)? (the )?bleeding",
    r" (scratch|scratching|burn|burning|hit|hitting|punch|punching|bite|biting|cut|cutting|frappe|gratte)( [a-z]+){0,2} (until|till|til|jusqu a|jusqu au) (i|it|he|she|my|his|her|ca|je|il|elle)( [a-z]+){0,2} (bleed|bleeds|saigne|sang|bleeding)",
    r" (me|se|te) (fais|fait|font|faire) mal (expres|volontairement|on purpose)",
    r" (gars|fils|fille|ado|enfant|ami|amie|chum|blonde|soeur|frere|coloc|client|cliente|eleve|jeune|kid|daughter|son|friend|sister|brother|student|teen) (se|s) (coupe|coupent|scarifie|scarifient|mutile|brule|brulent|taillade|frappe la tete) ",
    r" (cuts|burns|harms|hurts|scratches|starves) (herself|himself|themselves)" + _NOT_AN_ACCIDENT,
    r" (me|se|te) (frappe|frapper|frappes|cogne|cogner|cognes) (la tete|moi meme|lui meme|elle meme|contre les murs|sur les murs) ",
    # An overdose without the word: blue, not breathing, not waking, too much taken.
    r"(?=.* (turning|turned|going|gone|is|est|devient|vire|virent|sont|lips|levres|face|visage|tout) (bleu|bleue|bleus|blue|bleues) )(?=.* (consomme|consommer|using|used|drogue|drug|drugs|respire|breathing|reveille|waking|wake|pills|pilules|fentanyl|dope|high|responding|repond) )",
    r"(?=.* (not waking up|will not wake up|wont wake up|can not wake (him|her|them)|cant wake (him|her|them)|se reveille (pas|plus)|ne repond (plus|pas)|unresponsive|not responding) )(?=.* (consomme|consommer|drogue|drug|drugs|pills|pilules|overdose|od|fentanyl|high|bu|drunk|saoul|saoule|respire|breathing|bleu|blue|using|used|dope|meds|medicaments) )",
    r" (took|taken|had|did|pris|consomme|bu|drank) (too much|way too much|trop|beaucoup trop)( de| d| of)?( [a-z]+){0,2} "
    + _DRUGS,
    r" (took|taken|swallowed|pris|avale) (all|tous|toutes) (my|mes|his|her|ses|the|les) ([a-z]+ )?"
    + _DRUGS,
    r" respire (mal|difficilement|de travers) ",
    r" (narcan|naloxone) (now|maintenant|vite|asap|right now|tout de suite)| (need|needs|besoin de|give|donner) (narcan|naloxone) (now|maintenant|vite|right now|tout de suite)",
    r" (drank|swallowed|ate|bu|avale|mange|ingested|ingere)( [a-z]+){0,2} (bleach|javel|poison|detergent|antifreeze|antigel|lave glace|pesticide|mort aux rats|rat poison|tide pods?|laundry pods?|nettoyant|drain cleaner|deboucheur)",
    r" (me|se|te) kill ",
    r" (can not|cant|cannot) (go on|keep going|do this|take it|take this) $",
    r" (reverrait|reverra|reverrez|reverrons|reverras|reverrai) (plus|pu|jamais)| never see (me|him|her|us) again",
    r" (burn|burns|burning|hurt|hurts|hurting|scratch|scratching|hit|punch|starve|starving) (myself|herself|himself|themselves)"
    + _NOT_AN_ACCIDENT,
    # "i want too die", "i wan to die"
    r" (want|wan|wanna|wnt) (too|2) (die|be dead|end it) ",
]
_DANGER_TO_OTHERS += [
    r" (peur|afraid|scared|terrified|fear)( de| d| that| to| i ll| i will| i might| i could| of)?( [a-z]+){0,2} (secouer|shake|shaking|frapper|hit|hitting|hurt|hurting|blesser|faire mal|tuer|kill|killing|strangle|etrangler|etouffer|smother|noyer|drown) "
    + _CLOSE,
    r" (je|j|i) (pourrais|could|might) (faire (du )?mal a|blesser|tuer|hurt|kill|frapper|hit|harm|strangle|etrangler) (quelqu un|someone|somebody|"
    + _CLOSE[1:],
    r" (faire|fasse|ferai) la peau",
    r" (urge|urges|envie|want|wants|feel like|tempted)( to| de| d)? (strangle|strangling|etrangler|choke|choking|smother|smothering|etouffer|shake|shaking|secouer|frapper|hit|hitting|hurt|hurting|kill|killing|tuer|blesser|stab|stabbing|poignarder|drown|drowning|noyer) "
    + _CLOSE,
    r" (thoughts?|pensees?|idees?) (about|of|de|d) (killing|hurting|harming|stabbing|strangling|drowning|tuer|blesser|poignarder|etrangler|noyer) "
    + _CLOSE,
    r" (vais|va|veux|veut|vont|going to|gonna|want to|wants to) (le|la|les|l|te|lui|him|her|them|you) (poignarder|tuer|stab|kill|shoot|etrangler|strangle|descendre|buter|tirer dessus|egorger)(?! (si|if|quand|when|avec|with)) ",
    r" (shoot up|shooting up|shoot|tirer sur|tirer dans) (his|her|my|their|our|son|sa|mon|ma) (school|ecole|cegep|college|work|bureau|class|classe|job)",
    # Someone with a blade or a gun, here or drawn.
    r" (il|elle|he|she|they|quelqu un|someone|somebody|a man|a guy|un homme|un gars|une femme|un individu|mon pere|ma mere|mon fils|my father|my dad|my son|mon voisin|my neighbou?r|mon ex|my ex|mon chum|my husband|my boyfriend) (a|has|have|is holding|holds|a sorti|sort|sorti|pulled|pulled out|took out|is carrying|is waving|brandit|brandi) (un|une|a|an|son|sa|his|her) (couteau|knife|gun|fusil|arme|pistolet|pistol|hache|axe|machette|machete|rifle|carabine|shotgun|revolver) "
    r"(?!(suisse|swiss|de poche|pocket|de cuisine|kitchen|a beurre|butter|de chasse|hunting|de peche|fishing|"
    r"a pain|bread|permit|permis|licence|license|collection|jouet|toy|nerf|a eau|water|de paintball|paintball|"
    r"(pour|for) (le |la |les |son |his |her )?(camp|chasse|peche|cuisine|hunting|fishing|cooking|scouts?))( |$))",
    r" (man|guy|someone|somebody|homme|quelqu un|gars|individu|person|personne) (with|avec) (a|an|un|une) (knife|gun|axe|weapon|machete|couteau|fusil|arme|hache|machette) ",
    # Hearing voices, and raving or in danger now: a mobile crisis team.
    r"(?=.* (hearing voices|hears voices|entend des voix|entends des voix|voices tell|voix lui disent|voix me disent) )(?=.* (screaming|yelling|crie|hurle|come now|right now|maintenant|vite|urgent|danger|violent|menace|threat[a-z]*|knife|couteau|tonight|ce soir) )",
    r" (showed up|show up|came|is here|est arrive|est arrivee|est venu|est venue|arrive|at my door|a ma porte|outside|dehors)( [a-z]+){0,3} (with|avec) (a|an|un|une|his|her|son|sa) (knife|gun|couteau|fusil|arme|weapon|axe|hache|machete|machette)",
]
_VIOLENCE += [
    # Breaking in, hiding, fleeing tonight.
    r" (defonce|defoncer|defoncent|enfonce|enfoncer|break down|broke down|breaking down|kicking in|kicked in|kick in|busting|bust down|trying to break) (la|ma|notre|the|my|our) (porte|door)",
    r" (je me cache|me cache|on se cache|nous cachons|hiding|im hiding|i am hiding|hide|hid)( [a-z]+){0,4} (from|de) (him|her|lui|elle|them|eux|my (husband|boyfriend|partner|ex|dad|father)|mon (mari|chum|conjoint|ex|pere)|ma (blonde|conjointe|femme|mere)) | (je me cache|me cache|hiding|im hiding|i am hiding|cachee?)( [a-z]+){0,6} (il|he|elle|she) (est|is|s) (fou|furieux|furieuse|enrage|enragee|violent|violente|drunk|saoul|saoule|angry|mad|crazy|en colere|armed|arme)",
    r" (my|mon|ma|from|de|away from|loin de) (abuser|agresseur|abuseur|bourreau)",
    r"(?<! je)(?<! j) (m|me|nous|la|le|l) (enferme|enfermait|enferment|barre|barrait) (dans|a la|a l|chez)",
    r" (escape|escaping|flee|fleeing|get away from|run away from|fuir|fuis|fuyons|me sauver de|m enfuir de|m echapper de) (my|mon|ma)? ?(husband|boyfriend|partner|wife|girlfriend|abuser|ex|father|dad|mari|chum|conjoint|conjointe|blonde|femme|agresseur|pere|copain|copine)",
    r" (get|getting) out (of (this|my|an) (abusive|violent) [a-z]+ )?(tonight|now|right now|asap)",
    r" (m a|ma|l a|me|la|te|nous a) (serre|serree|serrait|serrent|pogne|pognee|prise?) (le cou|la gorge|au cou|a la gorge) ",
    # Sexual assault, said shortly.
    r" (m a|l a|m ont|nous a) (forcee?s?|obligee?s?)(?! (a|d|de) (payer|signer|partir|demenager|travailler|quitter|vendre|manger|aller|rester|faire (le|la|les|mes|ses|du|de la) )) ",
    r" forced (himself|herself|themselves) (on|upon) ",
    r" (forced|forcee?|force|made|oblige|obligee) (to|a|de) (have sex|avoir des relations|coucher|do sexual|perform|faire des (choses|actes) sexuel[a-z]*|sucer)",
    r" (j ai ete|a ete|s est fait|se fait|me suis fait|m a|l a|elle a ete) (violee?|violee?s|agressee? sexuellement|abusee? sexuellement) ",
    r" (raped|rape|roofied|roofie|spiked my drink|drogue dans mon verre) ",
    r" (violee?|violees) (hier|cette nuit|ce soir|ce matin|la semaine|samedi|vendredi|dimanche|par) ",
    r" (agressee?s?|abusee?s?|touchee?s?|assaulted|abused|molested|touched) (sexuellement|sexually) ",
    r" (is being|being|was|been|got|getting|is|are) sexually (abused|assaulted|molested|touched) ",
    r" (touched|touche|touchee|touchait|kissed|embrasse|embrassee|grabbed|pogne|pognee)( [a-z]+){0,3} (without (my |her |his )?consent|sans (mon |son |le )?consentement|against my will|contre (mon|ma|son|sa) (gre|volonte))",
    # A child or an elder harmed at home.
    r" (vient|entre|rentre|comes|came|come|sneaks) (dans|into|in) (ma|my|sa|her|his|leur|their) (chambre|room|lit|bed) (la nuit|at night|le soir|quand|when) ",
    r" (peur de rentrer|afraid to go home|scared to go home|peur de retourner (chez|a la maison)|does not want to go home|doesnt want to go home|veut pas rentrer chez) ",
    r" (a|has|have|avec) (des bleus|des ecchymoses|bruises|des marques|marks) (partout|everywhere|all over)",
    r" (hurts|hits|beats|abuses|molests|chokes|slaps|punches|kicks|burns) (my|his|her|our|their) (little |baby |younger |older |elderly |old )?(brother|sister|son|daughter|kid|kids|child|children|baby|mom|mother|dad|father|grandma|grandmother|grandpa|grandfather|nephew|niece|wife|husband) ",
    r" (se|me|te|nous) (fait|font|faisait|fais) (voler (pis|et|and) )?(maltraiter|frapper|battre|abuser|exploiter|menacer|brusquer|violenter|agresser) ",
    r" (est|sont|etait|is|are|being|been) (maltraitee?s?|mistreated|abused) ",
    r" (me|nous|m a|nous a) (menace|menacee|menacent|menacait) (?!(d |de |d expulsion|d eviction|de poursuite|of eviction|to evict))",
    r" (threatens|threatened|threatening) (me|us|her|him|my) ",
]
# --- A fourth probe's kinds of saying -----------------------------------------------
_SUICIDE += [
    # The last night, the date chosen, a burden, leaving with the car in a closed garage.
    r" (ma|mon|my) (derniere|dernier|last) (nuit|soiree|soir|night|evening)( $| ce soir| tonight| sur terre| on earth| a vivre| alive)| (dernier|derniere|last) (jour|journee|day) (sur terre|on earth|a vivre|alive|de ma vie|of my life) ",
    r" (tonight|ce soir|cette nuit) (is|c est|est) (my|ma|mon) (last|derniere|dernier)",
    r" (choisi|chose|picked|fixe) (la|the|my|ma) date (de ma mort|of my death|pour mourir|to die|pour en finir|to end it)",
    r" (je suis|suis|i am|im|he is|she is|il est|elle est|je me sens|i feel|me sens|se sent|sens) (un|une|a) (poids|fardeau|burden) ",
    r" (je|i) (suis|am) (juste )?(un|une|a) (fardeau|burden|poids) ",
    r" (im|i am|i m) (a|such a|just a) burden",
    r" (vous|je vous|te|je te|leur) (dis|dit) adieu ",
    r" (bientot|demain|soon|tomorrow) (je|i) (ne )?(serai|serais|will|ll) (plus|pu|no longer|not be) (la|here|around)( |$)| (bientot|soon) (je|i) (won t|will not|wont) be (here|around)( |$)",
    r" (prevu|planifie|planned) (ma|my) (mort|death|suicide)",
    r" (prepare|preparee|ready) (a|to) (mourir|die) ",
    r" (pilules|pills|medicaments|meds) (pour|to) (tout arreter|en finir|mourir|die|end it|end everything|stop everything)",
    r" (achete|bought|got) (des |some )?(pilules|pills|medicaments|meds|corde|rope|fusil|gun)( [a-z]+){0,2} (pour|to) (mourir|die|en finir|me tuer|kill myself|end it|tout arreter)",
    r" (pills|pilules|meds|medicaments|comprimes) (lined up|alignees|alignes|comptees|counted)| (lined up|counted) (my|the|mes|les|all my|all the) (pills|pilules|meds|medicaments)",
    r" (sauter|jump|jumping|me jeter|me laisser tomber|tomber) (par|du|de|off|out of|from|en bas)( la| le| mon| ma| the| my| a| de)? ([0-9]+e |[0-9]+th |mon |ma |the |my )?(fenetre|window|etage|floor|bloc|building|balcon|balcony|toit|roof)",
    r"(?=.* (tuyau d echappement|exhaust|monoxyde|carbon monoxide|gaz|gas) )(?=.* garage )(?=.* (ferme|fermee|closed|auto|char|car|voiture|moteur|engine|running|roule|tourne) )| (me|se) gazer |(?=.* garage )(?=.* (closed|ferme|fermee) )(?=.* (car|auto|char|moteur|engine|voiture) (is )?(running|roule|tourne|en marche) )",
    r" (drive|driving|crash|crashing) (off|into)( the| a)? (road|route|wall|tree|bridge)( [a-z]+){0,2} (on purpose|expres|volontairement)",
    r" (off|offing) (myself|himself|herself|themselves) ",
    r" (me|je me|se|il se|elle se) (tue|pends|pend|flingue|tire) (ce soir|cette nuit|tonight|maintenant|now|demain)",
    r" je me (flingue|tue|pends) ",
    r" (faire sauter|exploser) la cervelle",
    r" (ending|end|finish|finishing) (it|my life|life|with my life) (tonight|today|ce soir|now)",
    r" (want|wants|am want|wanna) (to )?finish (my|his|her|with my|with) ?(life|lif)",
    r" (veut|veux|va|vais|vas) (tue|tuer|mort|mourir) (lui|elle|moi) meme",
    r" (veux|veut|ve|veu) (mort|mourir|mourire) (?!de (rire|faim|honte|chaleur|froid|envie|ennui|fatigue|peur))",
    r" (veut|veux) se tue ",
    r" (aimerait|aimerais|voudrait|voudrais) mieux (etre )?(morte?|mourir|crever)",
    r" (veut|veux|veulent|voudrait) (partir )?(rejoindre) (grand papa|grand maman|papa|maman|mon mari|ma femme|son mari|sa femme|mon pere|ma mere)",
    r" (ressemble a|looks like|sounds like)( un| une| a)? (adieu|goodbye|lettre d adieu|suicide note)",
    r" (plus|pu|pas) (envie|le gout) (d etre|de rester|d exister) (ici|icitte|la)",
    r" (coupe|coupee|cut) (trop|too) (creux|profond|profonde|deep)",
    r" (scarifi|scarifie|scarifier|scarifies) ",
    r" (gratte|gratter|scratch|scratching)( [a-z]+){0,2} (jusqu au sang|until i bleed|till i bleed|til i bleed)",
    r" (does it|does this) (to )?(herself|himself)| (se le fait|se fait ca|se fait ca) (a )?(elle meme|lui meme)",
    # Poisoned by what was at hand.
    r" (avale|mange|bu|ate|drank|swallowed|eaten)( [a-z]+){0,3} (lave vitre|lave glace|produit menager|produits menagers|pods?|capsules? de lessive|lessive|javel|windshield washer|washer fluid|detergent|bleach|cleaning product)| (toddler|baby|bebe|enfant|kid|child|fils|fille|petit|petite) (ate|a mange|a avale|swallowed|drank|a bu|got into)( [a-z]+){0,3} (pills|pilules|medicaments|meds|grandma s pills|my pills|mes pilules)",
    r" (too much|trop de|trop) (fent|fentanyl|dope|heroine|heroin|oxy)",
    r" (convulse|convulsions|seizing|seizure)( [a-z]+){0,4} (pris|took|consomme|party|apres avoir pris|after taking|drugs|drogue|pills|pilules)|(pris|took|consomme)( [a-z]+){0,5} (convulse|seizing|seizure)",
    r" od (fentanyl|fent|now|maintenant) ",
]
_DANGER_TO_OTHERS += [
    r" (idees?|pensees?) (meurtrieres?|homicidaires?) ",
    r" (aller|vais aller|va aller|going over|going to go|go see|coming over)( (le|la|les) voir| chez (lui|elle|eux)| over there| la bas| see (him|her|them))( [a-z]+){0,2} (avec|with) (mon|ma|un|une|my|his|a) (couteau|fusil|arme|gun|knife|hache|axe)",
    r" (mon|ma|un|une|my|a) (couteau|fusil|arme|gun|knife) (et|and|pis) (je|i) (vais|va|m en vais|am going|m going|ll) ",
    r" (regler|settle) (ca|this|it)( [a-z]+){0,3} (fusil|gun|arme|couteau|knife)|(fusil|gun|arme|couteau|knife)( [a-z]+){0,6} (regler ca|settle this|settle it)",
    r" (vais|va|veux|veut) (le|la|les) tue ",
    r" (gonna|going to|will|ll) murder (him|her|them|you|my|his|her) ",
    r" (gout|envie) de (le|la|les|l) tuer ",
    r" (planter|plante) (un|le|mon) couteau",
    r" (would|d|will|ll|was going to|wanted to) kill (his|her|their|my) (wife|husband|ex|girlfriend|boyfriend|partner|kids|children|son|daughter|mother|father|boss|neighbou?r)",
    r" (devant|outside|at|a) (ma|la|my|the|chez) (porte|door|moi)( [a-z]+){0,2} (avec|with) (un|une|a|an) (couteau|knife|gun|fusil|arme)",
    r" (crisser|sacrer|calisser) (une volee|a terre)( [a-z]+){0,4} (tuer|le tuer)",
]
_VIOLENCE += [
    # Held, followed, tracked.
    r" (me|nous|la|le) (sequestre|sequestrait|sequestrent)| (sequestree?|held captive|held hostage|being held against (my|her) will) ",
    r" (il|elle|he|she|mon chum|mon mari|mon conjoint|ma conjointe|ma blonde|mon ex|my husband|my boyfriend|my partner|my wife|my ex) (m|me|nous|ne me|won t let|will not let|wont let|doesn t let|does not let|doesnt let) ?(empeche|empechait|laisse pas|laisse plus|me|us)? ?(de )?(sortir|partir|leave|go out|go outside|voir mes|see my)",
    r" (he s|he is|she s|she is|hes|shes|il|elle) (holding|keeping) (me|us) (here|inside|prisoner|hostage)",
    r" (il|elle|he|she|mon chum|mon mari|mon conjoint|ma conjointe|mon ex|my husband|my boyfriend|my partner|my ex) (m a pris|a pris|took|takes|garde|keeps|cache|hides|hid|a cache|prend)( [a-z]+){0,1} (mon|ma|mes|my) (telephone|phone|cell|cellulaire|passeport|passport|papiers|papers|cles|keys)",
    r"(?<! je)(?<! j) (m|me|nous|la) (enferme|enfermait|enferment) ",
    r" (ex|chum|mari|il|elle|he|she|quelqu un|someone|un gars|a man|a guy|stranger|un inconnu|un homme) (me|m a|m) (suit|suivie|suivi|suivait) (partout|jusqu|chez|en auto|dans la rue|depuis)| (he|she|my ex|someone|a man|a guy|a stranger|my husband|my boyfriend|my partner) (follows|followed|is following|keeps following) (me|her) (everywhere|home|around|to work|from work) ",
    r" (ex|chum|mari|conjoint|conjointe|blonde|femme|copain|copine|agresseur|il|elle|he|she|husband|boyfriend|wife|girlfriend|partner) (me|nous|la|le) (harcele|harcelait|harcelent|traque|traquait|suit partout)( |$)",
    r" (is|keeps|s|he s|she s) (stalking|harassing) (me|us|her) | (i am|im|i m|being|been) stalked ",
    r" (traceur|tracker|gps|airtag|localisateur)( [a-z]+){0,3} (sur|on|in|dans) (mon|ma|my) (auto|char|voiture|car|sac|bag|phone|telephone)| (tracks|tracking|suit) (my|mon) (phone|telephone|cell|location|position)",
    r" (ex|il|he|she|elle|someone|quelqu un|un homme|a man|a guy|un gars|stranger|inconnu) (rode|rodait|hangs around|is hanging around|keeps hanging around|lurks|is lurking) (autour|around|devant|outside) (de chez moi|de chez nous|my (house|place|home|apartment)|chez nous|ma maison)",
    r" (broke into|broken into|break into|entre par effraction|est entre chez)( [a-z]+){0,2} (my|mon|ma|chez) (place|house|home|apartment|apt|appart|maison|logement|moi|nous) ",
    r" (banging on|cogne dans|cogne a|frappe dans|kicking) (the|my|la|ma) (door|porte)( [a-z]+){0,4} (scared|peur|afraid|terrified)",
    r" (cachee?|hidden|hiding) (dans|in) (la|the) (salle de bain|bathroom|chambre|garde robe|closet)( [a-z]+){0,3} (il|he|elle|she) (crie|hurle|yells|screams|is yelling|is screaming)",
    # Hit, said in other words or misspelt.
    r" (me|m|nous) (fesse|fessent|fessait|tape|tapent|tapait|brasse|brassent|frape|frapes|frapent|battu|bat) (?!(sur les nerfs|sur le systeme|dans l oeil|sur la tete|un clin))",
    r" (frape|frappe|frapper|bat) (moi|me) ",
    r" (m a|ma|l a|la) (etrangler|etrangle|etranglee|frape|frapee|battu|battue)",
    r" (menace|menacer|menaces) (tuer|tue|de tuer) (moi|me)",
    r" (dit|says|said) (il|he|elle|she) (va|will|going to|gonna) (tue|tuer|kill) (moi|me)",
    r" (on entend|j entends|i hear|we hear)( [a-z]+){0,3} (des coups|coups|banging|blows|hitting)|(des coups)( [a-z]+){0,4} (bebe|baby|enfant|child)( [a-z]+){0,2} (pleure|crying|cries)|(bebe|baby)( [a-z]+){0,4} (pleure|crying|cries)( [a-z]+){0,4} (coups|banging|hitting)",
    # Taken advantage of, drugged, forced.
    r" (abuse|abusee|abused|profite|profitee|took advantage|taken advantage|taking advantage) (de|of) (moi|me|elle|lui|her|him) ",
    r" (mis|put|slipped|mettre)( [a-z]+){0,3} (dans|in|into) (mon|ma|my) (verre|drink|consommation)| (ghb|rohypnol|drogue du viol|date rape drug) ",
    r" (i was|was|been|got|j ai ete|a ete) (molested|molestee?|agressee? sexuellement) ",
    r" (my date|mon date|un gars|a guy|a man|un homme|quelqu un|someone) (forced|a force|m a forcee?) (me|moi)?",
    r" (touchee?|touched|groped|tripotee?)( [a-z]+){0,3} (dans le metro|dans l autobus|on the bus|on the subway|in the metro|at work|au travail|a l ecole|at school)",
    # A child or an elder harmed, neglected, robbed.
    r" (oncle|pere|mere|chum|blonde|mari|femme|conjoint|conjointe|beau pere|belle mere|gardienne|gardien|prof|frere|soeur|cousin|cousine|voisin|voisine|coach|entraineur|papa|maman|chum de ma mere|grand pere|grand mere) (me|lui|nous|leur) (fait|font|faisait) (mal|des choses)( |$)",
    r" (me|lui|nous|m|leur) (fait|font|faisait) des choses (la nuit|que j aime pas|que je veux pas)",
    r" (me|nous|le|la|l) (laisse|laissent|laissait) (pas|plus) manger| (me|nous|lui|m) (donne|donnent|donnait) (pas|plus|rien) (a manger|de nourriture)| (laissee?s?|laisse|laisses) (tout )?(seule?s?) (plusieurs jours|des jours|sans manger|toute la journee|toute la nuit)| (laissee?s?|laisses) sans (manger|soins|nourriture) ",
    r" (he|she|they) (hurts|hurt|touches|touched|keeps hurting|keeps touching) (me|him|her) ",
    r" (babysitter|gardienne|gardien|prof|teacher|coach|entraineur|adulte|adult|oncle|uncle|chum de ma mere|mom s boyfriend)( [a-z]+){0,2} (touche|touches|touched|hurts|fait mal|me fait|lui touche)",
    r" (brulures?|burns?|bleus|bruises|marques|marks)( [a-z]+){0,6} (c est|it s|it was|caused by|fait par|from|by) (son|sa|ses|his|her|their|mon|ma|my) (pere|mere|parent|parents|beau pere|father|dad|mother|mom|stepdad|stepfather)",
    r" (brulures? de cigarette|cigarette burns?) ",
    r" (attachee?s?|tied|strapped)( [a-z]+){0,2} (au|a son|a leur|to (the|his|her|their)) (lit|bed|chaise|chair)",
    r" (vole|volent|volait|voler|stealing|steals|stole|vide|vident|vidait|emptied|empties|draining|drained)( [a-z]+){0,2} (mon|ma|mes|my|son|sa|ses|her|his|leur) (argent|pension|cheque|compte|compte de banque|money|savings|account|bank account|epargnes|paie)| (fils|fille|petit fils|petite fille|neveu|niece|frere|soeur|son|daughter|grandson|granddaughter|nephew|brother|sister|caregiver|preposee?) (prend|prennent|prenait|takes|took|garde|keeps)( [a-z]+){0,2} (mon|ma|mes|my|son|sa|ses|her|his) (argent|pension|cheque|compte|money|savings|account|paie)",
    r" (force|forcent|forcait|forces|forced|forcing)( [a-z]+){0,4} (a signer|to sign|donner son argent|to give (him|her|them) (my|his|her) money|give him my money)",
    r" (procuration|power of attorney)( [a-z]+){0,3} (force|forced|sous la menace|under threat)|(force|forced)( [a-z]+){0,4} (procuration|power of attorney)",
    r" (fraude|fraud|arnaque|scam)( [a-z]+){0,3} (envers|against|of|on) (ma|mon|my) (mere|pere|grand mere|grand pere|mother|father|grandmother|grandfather|grandma|grandpa)( agee| age| elderly)?",
    r" (grand mere|grand pere|aine|ainee|personne agee|grandmother|grandfather|grandma|grandpa|elderly|aieul)( [a-z]+){0,1} (battue?|maltraitee?|abusee?|beaten|abused|mistreated|neglected|negligee?)",
    r" (aine|ainee|aines|personne agee|personnes agees|grand mere|grand pere) (battue?s?|maltraitee?s?) ",
    r" (chsld|nursing home|long term care|care home|residence pour aines|rpa)( [a-z]+){0,6} (bleus|bruises|scared of staff|peur du personnel|maltraite|maltraitee|abused|attache|attachee|tied)",
    r" (nursing home|long term care|chsld|residence) (abuse|neglect|maltraitance|negligence)",
    r" (elder|elderly) financial abuse| abus financier ",
    r" (financially|financierement) (abused|exploited|abusee?|exploitee?)",
]
_VIOLENCE += [
    r" (he|she|they|my [a-z]+) (would|d|will|ll|was going to|is going to|s going to) (kill|hurt|stab|shoot|beat|strangle|choke) (me|us|the kids|the children|my) ",
]
_TOPIC[DANGER_TO_OTHERS] += [
    r" (active shooter|tireur actif|homme arme|femme armee|man with a gun|armed man|gunman) "
]
_TOPIC[VIOLENCE] += [r" (stalking|stalker|stalked|traque|traquee|harcelement criminel) "]

# The subject named alone, the same as a person's words (a search about it aside).
_TOPIC[SUICIDE] += [
    r"^ (mourir|die|dying|suicidal|suicidaire) $",
    r"^ (od|ods) $",
    r" (fait|fais|faire|une|en|is|s|he|she|il|elle|roommate|coloc|friend|ami|amie|son|daughter|fils|fille) (od|ods|oding) ",
    r" (od|ods|oding) (now|maintenant|right now|help|aide) ",
    r" (empoisonnement|empoisonne|empoisonnee|poisoning|poisoned) ",
]
_TOPIC[VIOLENCE] += [
    r" (abusive|violent) (relationship|partner|husband|boyfriend|wife|girlfriend|home|household|marriage|ex|father|dad|stepdad|stepfather|parent|parents) ",
    r" (viol|viols|raped|rape|violee|violees) ",
    r" (child|children|kid|kids|enfant|enfants|mineur|mineurs|minor|minors|bebe|baby)( [a-z]+){0,1} (abuse|abused|abuses|maltraite|maltraitee|maltraites|maltraitance|abusee?s?|neglect|neglected|negligee?s?|en danger|in danger) ",
    r" (maltraitance|abus|abus sexuels?|sexual abuse|abuse|neglect|negligence|violence)( [a-z]+){0,2} (enfant|enfants|child|children|kids?|mineurs?|minors?|bebe|baby|ados?|adolescents?|aines?|personnes? agees?|vieux|vieille|seniors?|elders?|elderly|grand mere|grand pere|parents? ages?) ",
    r" (elder|elderly|senior|seniors) (abuse|mistreatment|neglect) ",
    r" (abused|maltreated|neglected) (child|children|kid|kids|elder|senior) ",
    r" (enfant|enfants|aine|aines|personne agee) (abuse|abuses|abusee|maltraite|maltraitee|maltraites) ",
    r" (signaler|signalement|report|reporting)( [a-z]+){0,3} (dpj|protection de la jeunesse|child abuse|children s aid|youth protection|maltraitance) ",
]


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
    r"assisted|aide medicale a mourir|medical assistance in dying|programme|programmes|program|"
    r"programs|sentinelle|sentinelles|milieu de travail|workplace) "
)


# A search (not a listing) is also about the subject when it looks for material or
# people working on it (a webinar, a toolkit for employers, a report, counsellors'
# resources) or for those bereaved by it.
_ABOUT_A_SEARCH = re.compile(
    r" (webinaire|webinaires|webinar|webinars|trousse|trousses|toolkit|toolkits|kit|kits|"
    r"guide|guides|intervenants|intervenantes|professionnels|professionals|employeurs|"
    r"employers|rapport|report|annuel|annual|deuil|endeuilles?|endeuillees?|bereavement|"
    r"bereaved|grief|survivors|survivants|naloxone|narcan|juridique|legal|lawyer|avocat|game|games|"
    r"avocate|tribunal|court|plainte|complaint|postvention|month|mois|"
    r"activities|activites|comment parler|how to talk|talk to (my|a) (child|kid|son|daughter)|"
    r"parler (du|de la|de l) [a-z]+ a (mon|ma|un|une|mes) [a-z]+|died by|mort par|"
    r"decede par|decedee par|deces|passed away|lost (my|his|her|our) [a-z]+ to|"
    r"(apres|after|suite a|following) (un|une|le|la|des|a|the|his|her|son|sa)? ?"
    r"(suicide|violence|viol|agression|overdose|surdose|deces|death|loss)|"
    r"prevention (des|de la|du|de l|d|of)? ?(surdoses?|overdoses?|intoxications?|abus|"
    r"maltraitance|mauvais traitements|abuse)|"
    r"(abuse|overdose|overdoses|maltreatment|neglect|maltraitance) (prevention|awareness)|"
    r"taux|rate|rates|etude|etudes|study|studies|these|thesis|memoire|dissertation|"
    r"sociologie|sociology|durkheim|resume|summary|essay|dissertation|schools|ecoles|"
    r"resources for|ressources pour|vieille de|vieux de|years later|ans plus tard|"
    r"(il y a|ago) [0-9]+ (ans|years)|[0-9]+ (ans|years) ago|past (sexual|assault|abuse)|"
    r"passee?s? (agression|violence))(?= )"
)
# Words that make a search about the subject only when nobody is in it: someone saying
# "since I lost my job" or "is there a program" speaks of a person, not of the subject.
_WEAK_ABOUT = re.compile(
    r" (emploi|job|jobs|poste|programme|programmes|program|programs|benevolat|benevole|"
    r"volunteer|volunteering|career|carriere|loi|law)(?= )"
)
_SOMEONE = re.compile(r" (je|j|moi|me|mon|ma|mes|i|my|myself|mine|nous|notre|nos|we|our|us) ")
# How much of a text is read (an intake's reason holds up to 5,000 characters).
READ_UP_TO = 5000
# A refused search (too long) is read for a crisis this far: its first sentences say it,
# and a stranger's 5,000 characters should not cost a tenth of a second each.
REFUSED_READ = 1000


@lru_cache(maxsize=4096)  # (a search asks it of the patterns, then of the model)
def _about_the_subject(normalized: str) -> bool:
    if _SOMEONE.search(normalized):
        normalized = _WEAK_ABOUT.sub("", normalized)
    return bool(
        _ABOUT_THE_SUBJECT.search(normalized)
        or _ABOUT_A_SEARCH.search(normalized)
        or _BEREAVEMENT.search(normalized)
    )


# Figures of speech that borrow a crisis's words: taken out before the patterns read.
_FIGURES = re.compile(
    "|".join(
        (
            # "ma mère va me tuer si je rate", "gonna kill me if I fail", "this job is
            # killing me", "ça va me tuer d'attendre", "veut me tuer avec sa hausse"
            r" (va|vont|veut|going to|gonna|will|would) (me|nous) tuer (d attendre|de rire)(?= )",
            r" (veut|va|vont) (me|nous) tuer avec (sa|son|ses|leur|leurs) (hausse|hausses|loyer|augmentation|facture|factures|prix|questions|bruit|musique|devoirs|reglements)(?= )",
            # ... for a failure at school or at home, not for leaving or telling
            r" (va|vont|veut) (me|nous) tuer (si|quand) (je|j|on) (ne |n )?(rate|rates|echoue|coule|manque|oublie|perds|perd|brise|casse|fais pas mes devoirs|mange pas)(?= )",
            r" (going to|will|would) kill (me|us) (if|when) (i|we) (fail|flunk|miss|forget|break|lose|get a bad|crash|spend)(?= )",
            r" (ca|cela|this|that|it|l attente|the wait|waiting|this job|my job|ce travail|mon travail|ma job|le stress|stress|la chaleur|the heat|the pain|la douleur|my back|mon dos|this rent|le loyer) (va|vont|is going to|s going to|going to|gonna|will|is|s|est en train de) (me|nous) (tuer|kill|killing)(?= )",
            r" (surdose|overdose|overdoses|surdoses) (d|de|of) (ecrans?|cafeine|sucre|chocolat|travail|info|informations|tele|television|bonbons|amour|screens?|sugar|caffeine|chocolate|candy|cuteness|love|information|netflix|work)(?= )",
            r" (sugar|caffeine|coffee|screen|info|information|cuteness|carb|netflix|tv|chocolate|candy) (overdose|overdoses)(?= )",
            r" rather die than (cook|cooking|clean|cleaning|do (the dishes|my taxes|homework|laundry)|wear|watch|sing|dance|listen to)(?= )",
            r" (bat|bats|battent|battait|beats|beat) (toujours |encore |souvent |tout le temps |always |every time )?(aux|au|a la|a|at|en) (cartes|echecs|scrabble|jeu|jeux|tennis|course|poker|golf|hockey|bowling|quilles|monopoly|sudoku|dames|billard|flechettes|chess|cards|games?|pool|darts|jeux video|video games|ping pong)(?= )",
            r" (coupe|coupee|cut) (le|la|les|un|une|mon|ma|my) (doigt|doigts|pouce|pied|orteil|genou|levre|joue|menton|front|finger|thumb|toe|knee|lip)(?= )",
            r" (sur|on) (the|le) (bridge|pont) (tous les jours|chaque (jour|matin|soir)|every (day|morning)|pour aller (travailler|a l ecole|au travail)|to go to (work|school)|to get to (work|school)|dans le trafic|in traffic)(?= )",
            # "je me tue à la tâche", "il s'est tué à l'ouvrage": working hard
            r" (je me|tu te|il se|elle se|on se|se|nous nous|vous vous) (suis |est |sommes |es )?(tue|tues|tuee|tuent|tuer) a (la tache|l ouvrage|le repeter|le dire|travailler|la job)(?= )",
            # "drug abuse", "abus d'alcool", "food poisoning", "jump rope", "rights violated"
            r" (drug|drugs|alcohol|substance|substances|drogues?|alcool|medicaments?|opioides?|cannabis) (abuse|abus)(?= )",
            r" (abus|abuse) (de|of|d) (drogues?|alcool|medicaments?|substances?|opioides?|cannabis|drugs|alcohol)(?= )",
            r" (intoxication|empoisonnement) (alimentaire|au plomb|au monoxyde)(?= )| (food|lead|mercury) poisoning(?= )",
            r" (jump rope|skipping rope|corde a linge|corde a danser|corde a sauter|jumper cables?|cordes vocales)(?= )",
            r" (droits?|loi|lois|regles?|contrat|entente|vie privee|privacy|rights?) (ont ete|a ete|ont|a|been|were|was|have been) (violee?s?|violes|violated)(?= )",
            # "suicide doors" (a car's), "suicide burpees", "suicide squeeze" (baseball)
            r" suicide (doors?|burpees?|sprints?|squeeze|squad|drills?|runs?|knot|king|blonde|bunny|slide in the pool)(?= )",
        )
    )
)
# Someone else's threat to kill the speaker ("il va me tuer", "mon ex menace de me tuer"):
# violence, not a wish to die (unless the speaker says it: "je va me tuer").
_BY_ANOTHER = re.compile(
    r"(?<! je)(?<! j) (menace de|menacent de|menacait de|menace|va|vont|veut|veulent|voulait|"
    r"a essaye de|essaie de|a tente de|dit qu il va|dit qu elle va) "
    r"(me|nous) (tuer|etrangler|poignarder|noyer|tirer dessus)(?= )"
)
_SPOKEN = {SUICIDE: _SUICIDE, DANGER_TO_OTHERS: _DANGER_TO_OTHERS, VIOLENCE: _VIOLENCE}


def _compiled(pattern: str) -> re.Pattern:
    # Two things said anywhere ("(?=.* pont )(?=.* sauter )") are looked for once, from
    # the start, not again from every letter (an intake's 5,000 characters, squared).
    return re.compile("^" + pattern if pattern.startswith("(?=.*") else pattern)


_SPOKEN_COMPILED = {k: tuple(_compiled(p) for p in v) for k, v in _SPOKEN.items()}
_TOPIC_COMPILED = {k: tuple(_compiled(p) for p in v) for k, v in _TOPIC.items()}


@lru_cache(maxsize=4096)
def prepare(text: str) -> str:
    """A text as the patterns and the model read it: normalized, figures of speech out."""
    return _FIGURES.sub(" ", normalize(text))


_SENTENCE = re.compile(r"[.!?;\n]+")


def detect_crisis(text: str) -> CrisisSignal | None:
    """The kinds of crisis a search or a caller's words speak of, or None."""
    if not text or not text.strip():
        return None
    normalized = prepare(text[:READ_UP_TO])
    kinds = {
        k
        for k, patterns in _SPOKEN_COMPILED.items()
        if any(
            p.search(_BY_ANOTHER.sub(" ", normalized) if k == SUICIDE else normalized)
            for p in patterns
        )
    }
    if not _about_the_subject(normalized):
        kinds |= {
            k
            for k, patterns in _TOPIC_COMPILED.items()
            if any(p.search(normalized) for p in patterns)
        }
    if not kinds:
        return None
    return CrisisSignal(frozenset(kinds), elders=bool(_AN_ELDER.search(normalized)))


# An older person spoken of: their age, their place, their pension.
_AN_ELDER = re.compile(
    r" (aine|aines|ainee|ainees|personne agee|personnes agees|agee|agees|elderly|elder|elders|"
    r"senior|seniors|grand mere|grand pere|grands parents|grandma|grandmother|grandpa|"
    r"grandfather|grandparents?|chsld|rpa|nursing home|care home|retirement home|"
    r"residence pour aines|long term care|pension de vieillesse|old age pension|"
    r"cheques? de pension|pension (cheque|money)|ma pension|my pension|"
    r"grandson|granddaughter|"
    r"(i am|je suis|j ai|il a|elle a|age de|agee? de|aged) "
    r"(6[5-9]|[7-9][0-9]|1[01][0-9])( ans| years)?) "
)


# Those bereaved by a suicide or an overdose: a sentence of a grief group, not of a
# crisis line (which may also say it helps them, with its own words of crisis).
_BEREAVEMENT = re.compile(
    r" (deuil|deuils|endeuille|endeuilles|endeuillee|endeuillees|bereaved|bereavement|grief|"
    r"grieving|perdu un proche|perdu une proche|perdu (un|une|leur|son|sa) [a-z]+ (par|a cause)|"
    r"perte d un proche|lost (a|their|his|her|your|my|our) [a-z ]{0,20}to|loss to|loss of a|"
    r"losing (a|someone|somebody|my|his|her|their|our) [a-z ]{0,20}to|"
    r"survivors? of suicide|after a suicide|apres un suicide|died by|mort par|decede par|"
    r"decedee par) "
)


def may_be_a_crisis(text: str) -> bool:
    """Whether a text the patterns do not read as a crisis may still be one, as the model
    learnt from testers' phrasings reads it (services/crisis_model.py): the quieter line
    of numbers, not the banner (the model also reads many people's distress about bills
    or a parent's dementia as one; the numbers harm nobody there)."""
    if not text or not text.strip():
        return False
    text = text[:READ_UP_TO]
    normalized = prepare(text)
    if _about_the_subject(normalized):
        return False
    from proxima.directory.services.crisis_model import crisis_kind

    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    parts = [normalized] + ([prepare(s) for s in sentences] if len(sentences) > 1 else [])
    return crisis_kind(parts) is not None


def speaks_of_bereavement(text: str) -> bool:
    return bool(_BEREAVEMENT.search(normalize(text[:2000])))


def is_about_the_subject(text: str) -> bool:
    """A text about crisis as a subject (training, awareness, research...), not an
    answer to one: a listing's sentence of that kind does not make it a crisis service."""
    return bool(_ABOUT_THE_SUBJECT.search(normalize(text[:2000])))
