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
        words.extend(CONTRACTIONS.get(word, word).split())
    # Words of emphasis say nothing of what is wanted ("je veux vraiment mourir", "i want
    # to fucking die"): left out, the patterns see the wish itself.
    words = [word for word in words if word not in EMPHASIS]
    text = " " + " ".join(words) + " "
    return text.replace(" want 2 ", " want to ").replace(" my self ", " myself ")


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
    "unalive": "kill",
    "unaliving": "killing",
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
    r"on a|on the|with a knife cooking))"
)

# Patterns on normalized text (spaces around every word). "\b" is not needed: each
# pattern starts and ends on a space or a word stem.
_SUICIDE = [
    # French: a wish to die or to end it, about oneself or a close one.
    r" (veux|veut|voulons|veulent|envie de|gout de|aimerais|aimerait|vais|va|pense a|pensees? de|songe a|prefererais) (juste |trop |tant )?(mourir(?! de (rire|faim|honte|chaleur|froid|envie|ennui))|crever(?! de (faim|chaleur|froid|rire))|en finir|disparaitre pour toujours)",
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
    r"bereaved|grief|survivors|survivants|naloxone|narcan) "
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


def _about_the_subject(normalized: str) -> bool:
    if _SOMEONE.search(normalized):
        normalized = _WEAK_ABOUT.sub("", normalized)
    return bool(_ABOUT_THE_SUBJECT.search(normalized) or _ABOUT_A_SEARCH.search(normalized))


def detect_crisis(text: str) -> CrisisSignal | None:
    """The kinds of crisis a search or a caller's words speak of, or None."""
    if not text or not text.strip():
        return None
    normalized = normalize(text[:READ_UP_TO])
    spoken = {SUICIDE: _SUICIDE, DANGER_TO_OTHERS: _DANGER_TO_OTHERS, VIOLENCE: _VIOLENCE}
    kinds = {k for k, patterns in spoken.items() if any(re.search(p, normalized) for p in patterns)}
    if not _about_the_subject(normalized):
        kinds |= {
            k for k, patterns in _TOPIC.items() if any(re.search(p, normalized) for p in patterns)
        }
    return CrisisSignal(frozenset(kinds)) if kinds else None


def is_about_the_subject(text: str) -> bool:
    """A text about crisis as a subject (training, awareness, research...), not an
    answer to one: a listing's sentence of that kind does not make it a crisis service."""
    return bool(_ABOUT_THE_SUBJECT.search(normalize(text[:2000])))
