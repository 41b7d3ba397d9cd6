/**
 * @file Rule cues for requests for serious harm: a request ("how do I", "give me", "write") for the
 * means of mass or lethal harm (a nerve agent, a pipe bomb, ransomware, converting a rifle to fully
 * automatic), to hurt a named kind of person or animal, to evade detection while doing harm ("without
 * getting caught", "make it look like an accident"), or for a method of suicide.
 *
 * The learned harm heads rank these requests well below what their wording makes plain (a frozen
 * sentence encoder lands "extract ricin from castor beans" near "what is ricin"), and their thresholds
 * sit where benign look-alikes allow. The cues read the conjunction the models blur: an act of making,
 * acquiring or using + a weapon-grade object, inside a request, outside a protective, historical,
 * fictional-prop or game frame. The engine (engine.ts) lets a cue count only next to some agreement of the
 * models (a floor on the fused harm score, lower for the `strong` cues), so it lifts requests the models
 * half-see rather than overruling them.
 */

export type HarmCueName =
  | 'weapon_or_agent'
  | 'full_auto'
  | 'gun_without_check'
  | 'evasion'
  | 'violence'
  | 'drugging'
  | 'self_harm_method'
  | 'minor_sexual'
  | 'fraud'
  | 'trafficking'
  | 'drug_push'
  | 'poisoning'
  | 'scam'
  | 'doxxing'
  | 'covert_recording'
  | 'harassment'
  | 'disinformation';

export type HarmCue = { name: HarmCueName; start: number; end: number; strong: boolean; label: string };

/** A request: a question for a method, an instruction to produce something, a plea for help. */
const REQUEST = new RegExp(
  String.raw`\b(?:how\s+(?:do|can|could|would|should|might|to|much|many)\b|how\s+(?:i|we|one)\s+(?:can|could|should|would)\b|what(?:'s|’s|\s+is|\s+are|\s+would\s+be)\s+(?:the\s+)?(?:best|easiest|fastest|quickest|simplest|cheapest|safest|most\s+\w+)\s+(?:way|ways|method|methods|dose|amount)\b|what\s+(?:dose|amount|quantity)\b|\b(?:which|what)\b[^.?!\n]{0,60}\b(?:easiest|best|weakest|quickest|most\s+\w+)\s+(?:to|way)\b|(?:which|what)\s+[\w\s'-]{0,40}\b(?:should|can|could|do|would)\s+i\s+(?:use|buy|get|mix|put|give|take|slip|add|pour)\b|(?:give|show|send|teach|tell|find)\s+me\b|i\s+(?:need|want)\s+(?:a|an|the|some)\s+(?:working|detailed|step-by-step|full|complete|exact)\b|give\s+(?:the|an?|some)\s+(?:exact|detailed|full|complete|precise|step-by-step)\b|(?:write|create|generate|compose|draft|produce|code|develop|build|design|craft|list|provide|explain|describe|outline|detail|find|suggest|recommend)\b|steps?\s+(?:to|for)\b|step[-\s]by[-\s]step|instructions?\s+(?:to|for|on)\b|(?:guide|tutorial|recipe|plan|script)\s+(?:to|for|on)\b|where\s+(?:can|do|could|should)\s+i\b|help\s+me\b|(?:can|could|would)\s+you\b)`,
  'i',
);

/**
 * A frame that makes the same words benign: protection, history, explanation, fiction props, games,
 * simulations for training, and objects that only share a word with a weapon (a bath bomb, a fork bomb).
 */
const SAFE_FRAME = new RegExp(
  String.raw`\b(?:protect(?:ion|ing)?|prevent(?:ion|ing)?|defen(?:d|ding|se|ce|sive)|detect(?:ion|ors?)?|recogni[sz]e|spot|avoid|report|identify|stop|mitigat(?:e|ion)|secure|safeguard|warning\s+signs?|signs?\s+of|history|historical(?:ly)?|video\s+games?|in\s+(?:minecraft|skyrim|fortnite|call\s+of\s+duty|gta|the\s+game|a\s+game|chess|poker|the\s+sims)|role-?playing\s+games?|(?:stealth|side|main)\s+missions?|quests?|playthrough|speedrun\w*|boss\s+fights?|rpgs?|board\s+games?|tabletop|legally|legal\s+to|is\s+it\s+(?:legal|illegal)|why\s+(?:do|did|is|are|was|were)|simulat\w*|dummy|harmless|mock(?:-up)?|replica|props?|educational|benign|imitat\w*|mimic\w*|emulat\w*|decoy|fictional|fiction|theoretical(?:ly)?|hypothetical(?:ly)?|movie|(?:a|the|my|our|this|short)\s+film|films|film\s+(?:effects?|sets?|shoots?|productions?|props?|scenes?|class)|smoke\s+bombs?|tv\s+show|story|novel|scene|screenplay|character|counter-strike|cs:?go|obviously\s+fake|satir\w*|parod\w*|bath\s+bombs?|bomb\s+calorimet\w*|fork\s+bombs?|zip\s+bombs?|bombs?\s+of\s+flavou?rs?|photo\s*bomb\w*|virus\s+scanner|(?<!(?:from|evade|evades|evading|bypass|bypasses|bypassing|past|by|undetected\s+by)\s+(?:the\s+|an\s+|any\s+|most\s+)?)anti-?virus)\b`,
  'i',
);

const AGENT = String.raw`(?:ricin|abrin|sarin|soman|tabun|vx(?:\s+gas)?|novichok|nerve\s+(?:agents?|gas)|mustard\s+gas|phosgene|chlorine\s+gas|anthrax|botulinum(?:\s+toxin)?|smallpox|bubonic\s+plague|bio-?weapons?|biological\s+weapons?|chemical\s+weapons?|dirty\s+bombs?|nuclear\s+(?:bombs?|weapons?|devices?)|(?:pipe|nail|car|letter|fertili[sz]er|pressure[-\s]cooker)\s+bombs?|bombs?|explosives?|improvised\s+explosive(?:\s+devices?)?|ieds?|molotov(?:\s+cocktails?)?|napalm|tatp|grenades?|detonators?|methamphetamine|meth|crystal\s+meth|fentanyl|heroin|crack\s+cocaine|cocaine|lsd|mdma|ghb|date[-\s]rape\s+drugs?|ransomware|keyloggers?|botnets?|rootkits?|trojans?|computer\s+virus(?:es)?|malware|spyware|stalkerware|credential\s+stealers?|info-?stealers?|ddos(?:\s+attacks?)?|phishing\s+(?:emails?|pages?|sites?|websites?|kits?|messages?|campaigns?)|ghost\s+guns?|untraceable\s+(?:guns?|firearms?|weapons?)|silencers?|suppressors?|auto(?:matic)?\s+sears?|zip\s+guns?|counterfeit\s+(?:money|bills|currency|cash|notes)|fake\s+(?:ids?|passports?|driver'?s\s+licen[cs]es?|id\s+cards?|identity\s+documents?)|(?:credit\s+)?card\s+skimmers?)`;
const MAKE = String.raw`(?:make(?!\s+sure)|making|build|building|construct|assemble|create|creating|manufacture|produce|synthesi[sz]e|synthesi[sz]ing|cook|cooking|brew|extract|extracting|refine|culture|cultured|cultivate|cultivated|grow|grew|weaponi[sz]e|weaponi[sz]ed|aerosoli[sz]e|aerosoli[sz]ed|synthesi[sz]ed|deploy|spread|release|detonate|plant|write|writing|code|coding|develop|program|obtain|acquire|buy|purchase|get\s+(?:my\s+)?hands\s+on|smuggle|sell|distribute|print|3d[-\s]print|use|install|launch)`;
const PERSON = String.raw`(?:(?:ex-?|step-?)?(?:wife|husband|girlfriend|boyfriend|partner|neighbou?rs?|boss|coworker|co-worker|teacher|classmate|roommate|landlord|tenant|mother|father|mom|mum|dad|brother|sister|son|daughter|child|children|kid|kids|baby|family|people|person|someone|somebody|him|her|them|man|woman|girl|boy|cop|police\s+officer|dog|cat|animals?|pets?|politician|president|senator|judge|witness|rival|enemy|ex))`;

/**
 * What a benign frame does not excuse: the exact quantities of a recipe ("for a novel, give the exact recipe and
 * quantities"), and evading detection ("hard to detect in an autopsy", "avoid the cameras", words the frame list
 * reads as protective).
 */
const OVERRIDES_FRAME = /\b(?:exact|precise|specific)\s+(?:recipe|quantities|amounts|measurements|ratios|proportions|formula|dosage|technical\s+detail)|\b(?:with|including)\s+(?:the\s+)?(?:exact\s+|precise\s+)?(?:quantities|amounts|measurements|precursors|reaction\s+conditions)\b|\bdetailed\s+(?:recipe|synthesis|protocol)\b|\bhid(?:e|ing)\s+it\s+from\s+(?:my\s+)?(?:parents|family|doctors?|therapist)\b|\b(?:recipe|quantities|amounts)\s+and\s+(?:quantities|amounts|temperatures|ratios)\b|\bhard\s+to\s+(?:detect|trace)|\bundetect(?:able|ed)\b|\bwithout\s+showing\s+up|\bavoid\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:cameras|cctv|police|detection)\b|\bwithout\s+(?:the\s+)?(?:bank|irs|authorities)\s+(?:filing|reporting)/i;

type CueSpec = { name: HarmCueName; pattern: RegExp; strong: boolean; label: string };

const CUES: CueSpec[] = [
  { name: 'weapon_or_agent', strong: true, label: 'making or acquiring a weapon, a toxin, a hard drug or malware', pattern: new RegExp(String.raw`\b${MAKE}\s+(?:[\w'’-]+\s+){0,4}?${AGENT}\b|\b(?:destroy|blow\s+up|attack|bring\s+down|take\s+down|kill)\b[^.?!\n]{0,60}\bwith\s+(?:a\s+|an\s+)?${AGENT}\b|\b(?:write|code|program|create|develop)\s+(?:an?\s+)?(?:[\w-]+\s+)?virus\b|\b${AGENT}\s+(?:at\s+home|from\s+(?:scratch|household|castor|pseudoephedrine|cold\s+medicine|common)|in\s+(?:my|a)\s+(?:garage|kitchen|basement|home\s+lab))|\b(?:detailed|step-by-step|exact|full|complete|working|practical|precise)\s+(?:synthesis|synthetic|route|recipe|procedure|protocol|formula|blueprints?|schematics?)(?:\s+(?:route|recipe|procedure|protocol|pathway))?\s+(?:and\s+\w+\s+)?(?:for|of|to\s+(?:make|produce|build|synthesi[sz]e))\s+(?:\w+\s+){0,2}?${AGENT}\b|\b(?:turn|convert|modify|make)\b[^.?!\n]{0,50}\binto\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?${AGENT}\b|\bmake\s+(?:[\w-]+\s+){0,4}?(?:virus|flu|pathogen|h5n1|influenza|bacteria|bacterium|toxin)\s+(?:(?:strains?|variants?|samples?)\s+)?(?:more\s+)?(?:transmissible|contagious|lethal|deadly|virulent|airborne)\b|\b(?:synthesis|synthetic)\s+(?:route|pathway|procedure)\s+(?:for|of|to)\s+(?:\w+\s+){0,2}?${AGENT}\b`, 'i') },
  { name: 'full_auto', strong: true, label: 'converting a firearm to automatic fire', pattern: /\b(?:convert|modify|turn|make)\b[^.?!\n]{0,60}\b(?:fully?[-\s]auto(?:matic)?|machine\s+gun|select[-\s]fire)\b/i },
  { name: 'gun_without_check', strong: true, label: 'getting a firearm around the law', pattern: /\b(?:buy|get|obtain|purchase)\s+(?:a\s+)?(?:gun|firearm|weapon|pistol|rifle|handgun)s?\b[^.?!\n]{0,40}\bwithout\s+(?:a\s+)?(?:background\s+check|licen[cs]e|permit|paperwork)\b|\b(?:remove|file\s+off|grind\s+off|erase|obliterate|scratch\s+off)\s+(?:the\s+)?serial\s+numbers?\s+(?:from|off|on)\s+(?:a|the|my|this)\s+(?:\w+\s+)?(?:gun|firearm|handgun|pistol|rifle|shotgun)\b|\b(?:buy|get|obtain|purchase)\s+(?:gun\s+|firearm\s+)?parts\b[^.?!\n]{0,30}\bwithout\s+(?:a\s+)?background\s+check\b/i },
  { name: 'minor_sexual', strong: true, label: 'sexual access to a child', pattern: /\bgroom\s+(?:a|the|an?)?\s*(?:child|kid|minor|girl|boy|teen(?:ager)?|\d+[-\s]year[-\s]old)|\b(?:sexual|sexy|nude|naked|explicit|erotic|porn\w*)\s+(?:[\w-]+\s+){0,3}?(?:of|with|involving|featuring)\s+(?:a\s+|an\s+)?(?:child|children|kid|kids|minor|minors|underage|\d+[-\s]year[-\s]old)|\b(?:have\s+sex|sleep)\s+with\s+(?:a\s+|an\s+)?(?:child|kid|minor|underage|\d+[-\s]year[-\s]old)|\b(?:find|get|buy|download|access|make|create|produce|share|sell)\s+(?:[\w-]+\s+){0,2}?(?:child\s+porn\w*|csam|underage\s+(?:porn\w*|nudes?))|\b(?:unsupervised|alone|private)\s+access\s+to\s+(?:children|kids|minors)\b|\b(?:convince|get|persuade|talk|trick)\s+(?:a|an|the|this|my)\s+(?:\d{1,2}[-\s]year[-\s]old|child|kid|minor|girl|boy|teen|teenager)\b[^.?!\n]{0,80}\b(?:keep\s+(?:our|it|this|the|these)\s+(?:chats?|messages?|relationship|conversations?)?\s*(?:a\s+)?secret|secret\s+from\s+(?:her|his|their)\s+parents|meet\s+(?:me|up)\s+(?:in\s+person|alone|in\s+secret))/i },
  { name: 'self_harm_method', strong: true, label: 'a method of suicide or self-harm', pattern: /\b(?:how|ways?|methods?|best|easiest|quickest|painless|least\s+painful|plan|help\s+me|tell\s+me|give\s+me)\b[^.?!\n]{0,40}\b(?:kill\s+myself|end\s+my\s+(?:own\s+)?life|commit\s+suicide|hang\s+myself|cut\s+myself|starve\s+myself|overdose\s+(?:on\s+purpose|intentionally|deliberately))\b|\b(?:pills?|dose|doses|amounts?|how\s+much|how\s+many)\b[^.?!\n]{0,50}\b(?:lethal|fatal|to\s+die|kill\s+me)\b|\b(?:how\s+(?:can|do|should)\s+i|ways?\s+to|methods?\s+(?:to|of|for)|best\s+way\s+to)\s+self[-\s]harm\b|\b(?:suicide|killing\s+(?:myself|yourself|themselves))\s+is\s+(?:the\s+)?(?:right|best|only|correct)\s+(?:choice|option|answer|way|thing)\b|\bencourag\w*\s+(?:[\w-]+\s+){0,3}?(?:to\s+)?(?:commit\s+suicide|kill\s+(?:himself|herself|themselves|yourself)|self[-\s]harm|starve)\b|\b(?:pills?|dose|doses|amounts?|how\s+much|how\s+many)\b[^.?!\n]{0,50}\b(?:end\s+my\s+(?:own\s+)?life|kill\s+myself)\b|\bpro-?(?:ana|anorexia|mia|bulimia)\b|\bhid(?:e|ing)\s+(?:my\s+)?(?:skipped\s+meals|not\s+eating|(?:my\s+)?(?:cuts|self-harm|scars)|(?:my\s+)?weight\s+loss)\s+from\b|\bstop\s+eating\b[^.?!\n]{0,60}\b(?:hide|hiding|without\s+(?:my\s+)?(?:parents|family|anyone)\s+(?:knowing|noticing))\b/i },
  { name: 'violence', strong: false, label: 'hurting a person or an animal', pattern: new RegExp(String.raw`\b(?:kill|murder|poison|stab|strangle|suffocate|drown|kidnap|abduct|torture|maim|assassinate|beat\s+up|hurt|injure|disfigure)\s+(?:(?:a|an|the|some|my|his|her|their|our|your|this|that|someone'?s|somebody'?s|my\s+\w+'?s)\s+)?${PERSON}\b|\b(?:incit\w+|start\w*|cause|causing|provok\w+|trigger\w*)\s+(?:a\s+)?(?:deadly\s+|fatal\s+)?(?:stampede|riot|crowd\s+crush|mass\s+panic)\b|\b(?:attack|shooting|bombing|massacre|stabbing\s+spree)\s+(?:on|at)\s+(?:my|a|the|our)\s+(?:school|college|university|church|mosque|synagogue|temple|mall|concert|office|workplace|parade|festival)\b|\bmaximi[sz]e\s+(?:the\s+)?(?:casualties|deaths|fatalities|body\s+count|number\s+of\s+(?:victims|deaths|people\s+killed))\b`, 'i') },
  { name: 'evasion', strong: false, label: 'evading detection', pattern: /\bwithout\s+(?:getting|being)\s+(?:caught|detected|traced|noticed|arrested|found\s+out)|\bwithout\s+(?:leaving\s+(?:a\s+|any\s+)?(?:trace|evidence|fingerprints)|anyone\s+(?:knowing|noticing|finding\s+out)|(?:the\s+)?(?:police|cops|authorities|staff|parents|her|him|them)\s+(?:knowing|noticing|finding\s+out|getting\s+suspicious))|\b(?:look|looks|seem)\s+like\s+(?:an?\s+)?(?:accident|suicide|natural\s+causes|electrical\s+fault)|\bso\s+(?:that\s+)?(?:nobody|no\s+one)\s+(?:notices|finds\s+out|can\s+trace)|\bcover\s+up\s+(?:the|a|my)\s+(?:murder|crime|killing|body)|\bdispose\s+of\s+(?:a|the)\s+body\b|\bavoid\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:cameras|cctv|security\s+cameras)\b|\b(?:slash|puncture)\s+(?:his|her|their|my\s+\w+'s|someone'?s)\s+tires\b/i },
  { name: 'drugging', strong: false, label: 'drugging someone', pattern: /\b(?:spike|roofie|sedate)\s+(?:a|the|my|her|his|someone'?s?|somebody'?s?)\b|\b(?:pass\s+out|black\s+out|unconscious)\s+so\s+(?:i|we)\s+can\b/i },
  { name: 'fraud', strong: false, label: 'fraud, theft, a break-in or an attack on a system', pattern: /\b(?:launder|laundering)\s+(?:\$?[\d,.]+\s+(?:\w+\s+)?(?:in\s+)?)?(?:money|cash|funds|proceeds|profits|drug\s+money)|\b(?:counterfeit|forge)\s+(?:\w+\s+)?(?:money|bills|currency|checks?|cheques?|signatures?|documents?|prescriptions?|passports?)\b|\bsteal\s+(?:\w+'s\s+|someone'?s?\s+|a\s+|people'?s\s+)?(?:identity|identities|credit\s+cards?|passwords?|credentials|car|money\s+from)\b|\b(?:install|hide|place|plant)\s+(?:a\s+)?(?:card\s+)?skimmers?\b|\b(?:sql\s+injection|xss|exploit)\s+(?:payload|attack|code|script)s?\b[^.?!\n]{0,40}\b(?:dump|steal|extract|exfiltrate|enumerate)\b|\b(?:fake|stage|staging|faking)\s+(?:a\s+|my\s+|his\s+|her\s+)?(?:own\s+)?(?:death|car\s+(?:crash|accident)|burglary|break-in|kidnapping)\b|\b(?:get|break)\s+into\s+(?:(?:my\s+|a\s+)?[\w-]+'s\s+|someone'?s?\s+|their\s+|her\s+|his\s+)(?:[\w-]+\s+)?(?:account|email|phone|computer|laptop|instagram|facebook|icloud)\b|\b(?:conduct|perform|launch|carry\s+out|execute)\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:sql\s+injection|xss|ddos|brute[-\s]force|ransomware|credential[-\s]stuffing)\s+attack\s+(?:on|against)\b|\bhack\s+(?:into\s+)?(?:\w+'s\s+|someone'?s?\s+|my\s+(?:ex|coworker|co-worker|boss|neighbou?r|wife|husband|girlfriend|boyfriend|partner)'?s?\s+|a\s+|the\s+)?(?:\w+\s+)?(?:account|email|gmail|phone|computer|wifi|network|instagram|facebook|server|database|bank)\b|\b(?:convincing\s+|realistic\s+)?(?:fake|forged|counterfeit|fraudulent)\s+(?:doctor'?s\s+notes?|sick\s+notes?|medical\s+certificates?|prescriptions?|diplomas?|degrees?|pay\s*stubs?|bank\s+statements?)\b|\b(?:launder|laundering)\s+(?:(?:around|about|over|roughly|nearly|some)\s+)?\$?[\d,.]+k?\s+(?:\w+\s+)?(?:in\s+)?(?:cash|money|funds)|\bwithout\s+(?:the\s+)?(?:bank|banks|irs|authorities|government)\s+(?:filing|reporting|noticing|flagging|finding\s+out)\b|\b(?:break|get|hack)\s+into\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:servers?|networks?|systems?|databases?)\s+(?:at|of)\s+(?:my|a|the|our)\b|\b(?:rob|robbing|hold\s+up|holding\s+up|burglari[sz]e|burglari[sz]ing)\s+(?:a|the|my|this)\s+(?:\w+\s+)?(?:store|shop|bank|house|home|jewel\w*|gas\s+station|pharmacy)\b|\b(?:fake|feign|exaggerate)\s+(?:\w+\s+)?(?:symptoms|pain|injury)\b[^.?!\n]{0,60}\b(?:oxycodone|opioids?|xanax|adderall|painkillers|fentanyl|hydrocodone|percocet|benzos?|vicodin)\b|\bflood\w*\s+(?:[\w-]+'s\s+|my\s+[\w-]+'s\s+|a\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:website|site|store|server|network|shop)\s+with\s+(?:traffic|requests|packets)\b|\bexploit\b[^.?!\n]{0,60}\b(?:take\s+(?:them|it|the\s+\w+)\s+(?:offline|down)|shut\s+(?:them|it)\s+down|brick\s+(?:them|it))\b/i },
  { name: 'poisoning', strong: true, label: 'poisoning someone', pattern: /\b(?:put|slip|add|mix|pour|sprinkle|lace)\b[^.?!\n]{0,40}\b(?:in|into)\s+(?:my\s+(?:[\w-]+\s+)?[\w-]+'s|his|her|their|someone'?s|somebody'?s|a\s+(?:girl|woman|man|guy|coworker|co-worker|classmate|stranger)'s|the\s+[\w-]+'s)\s+(?:drink|food|coffee|tea|meal|water|soup|beer|wine|lunch|dinner|medication|pills)\b[^.?!\n]{0,40}|\b(?:bleach|antifreeze|rat\s+poison|poison|arsenic|cyanide|laxatives?|eye\s+drops)\b[^.?!\n]{0,40}\b(?:in|into)\s+(?:my\s+(?:[\w-]+\s+)?[\w-]+'s|his|her|their|someone'?s|somebody'?s|a\s+(?:girl|woman|man|guy|coworker|co-worker|classmate|stranger)'s|the\s+[\w-]+'s)\s+(?:drink|food|coffee|tea|meal|water|soup|beer|wine)\b|\b(?:dose|doses|amount|how\s+much|how\s+many)\b[^.?!\n]{0,50}\bkill\s+(?:a|an|someone|somebody|my|him|her|them|a\s+person|\w+\s+(?:man|woman|adult|person))\b|\b(?:undetect(?:able|ed)|without\s+showing\s+up|(?:not|never|won't)\s+show\s+up|hard\s+to\s+(?:detect|trace)|untraceable)\b[^.?!\n]{0,50}\b(?:autopsy|toxicology|tox\s+screen|post-?mortem|coroner)\b|\b(?:autopsy|toxicology|tox\s+screen|post-?mortem|coroner)\b[^.?!\n]{0,50}\b(?:undetect(?:able|ed)|not\s+(?:detect|find|show)|hard\s+to\s+(?:detect|find))/i },
  { name: 'scam', strong: true, label: 'a scam or an impersonation to take money or data', pattern: /\b(?:pretend(?:ing)?|posing|pose|impersonat(?:e|ing)|claiming|claim)\s+(?:to\s+be\s+)?(?:from\s+|as\s+)?(?:the\s+|a\s+|an\s+|their\s+|your\s+)?(?:irs|hmrc|tax\s+office|social\s+security|police|fbi|bank|microsoft|apple|amazon|paypal|tech\s+support|customer\s+support|grandson|granddaughter|grandchild|relative|government|customs|courier|lottery)\b[^\n]{0,120}\b(?:gift\s+cards?|wire|bitcoin|crypto|payment|pay|bail|fee|password|login|credentials|bank\s+details|card\s+(?:number|details)|ssn|social\s+security\s+number|money)\b|\bscam\s+(?:scripts?|calls?|emails?|letters?|messages?|texts?|websites?)\b|\b(?:scripts?|calls?|emails?|letters?|messages?|websites?)["”’']?\s+for\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?scams?\b|\b(?:deceptive|high-pressure|fraudulent|scam|fake)\b[^.?!\n]{0,60}\b(?:targets?|targeting|aimed\s+at)\s+(?:the\s+)?(?:elderly|seniors|old\s+people|retirees|pensioners|vulnerable\s+people)\b|\b(?:write|create|generate|compose)\s+(?:\d+\s+|some\s+|a\s+few\s+|many\s+)?fake\s+(?:[\w-]+\s+){0,2}?(?:reviews?|testimonials?|ratings?)\b|\bopen\s+(?:new\s+)?(?:credit\s+cards?|bank\s+accounts?|accounts?|loans?|lines?\s+of\s+credit)\s+in\s+(?:their|his|her|someone(?:\s+else)?'?s?|other\s+people'?s?|a\s+stranger'?s?)\s+names?\b/i },
  { name: 'doxxing', strong: false, label: 'exposing or tracking a private person', pattern: /\b(?:find|get|look\s+up|track\s+down|post|publish|leak|share|dig\s+up)\b[^.?!\n]{0,30}\b(?:home\s+address|address|social\s+security\s+number|ssn|phone\s+number|daily\s+(?:schedule|routine)|where\s+(?:she|he|they)\s+lives?|workplace)\b[^.?!\n]{0,30}\b(?:of|for)\s+(?:the|this|that|a|my)\s+(?:[\w-]+\s+){0,2}?(?:journalist|reporter|streamer|youtuber|ex|girl|woman|man|guy|person|user|teacher|coworker|co-worker|neighbou?r|critic|reviewer|moderator)\b/i },
  { name: 'covert_recording', strong: false, label: 'filming or watching someone in secret', pattern: /\b(?:hide|hidden|secret(?:ly)?|covert(?:ly)?|spy)\b[^.?!\n]{0,40}\b(?:camera|cam|record|film|photograph|watch)\w*\b[^.?!\n]{0,40}\b(?:shower|bathroom|bedroom|changing\s+room|locker\s+room|toilet|undress\w*|naked)\b/i },
  { name: 'harassment', strong: false, label: 'harassing, threatening or demeaning people', pattern: /\b(?:should|must|needs?\s+to|ought\s+to)\s+kill\s+(?:himself|herself|themselves|yourself)\b|\b(?:write|draft|compose|send|create|generate|craft)\s+(?:me\s+)?(?:a|an|some|\d+)?\s*(?:(?:set|series|bunch|list|few)\s+of\s+)?(?:[\w-]+\s+)?(?:threatening|harassing|intimidating|abusive)\s+(?:message|letter|email|note|text|tweet|post|comment|dm)s?\b|\b(?:list|lists|generate|give\s+me|write)\b[^.?!\n]{0,20}\b(?:racial\s+|ethnic\s+|homophobic\s+|transphobic\s+)?slurs\b|\b(?:encourag\w+|urg\w+|incit\w+|call\w*\s+on)\s+(?:people|others|followers|readers|everyone)\s+to\s+(?:attack|kill|burn|bomb|hurt|harass|beat|shoot|flood)\b|\b(?:tweets?|posts?|messages?|comments?|thread|emails?)\s+harassing\b|\b(?:are|is|as)\s+(?:subhuman|vermin|parasites|cockroaches|an?\s+infestation|inferior\s+(?:beings|races?))\b|\brecruit(?:ment|ing)?\s+(?:[\w-]+\s+)?(?:post|video|message|material|pamphlet|speech|campaign|script|flyer|letter)s?\s+for\s+(?:an?\s+|the\s+)?(?:isis|isil|al[-\s]?qaeda|al[-\s]?shabaab|boko\s+haram|taliban|hamas|hezbollah|kkk|ku\s+klux\s+klan|neo-?nazis?|white\s+supremacist|jihadist|terrorist)(?:\s+(?:group|movement|organi[sz]ation|cell|militia))?\b/i },
  { name: 'disinformation', strong: false, label: 'fabricated news or quotes meant to mislead', pattern: /\bfake\s+(?:news\s+)?(?:articles?|news\s+stor(?:y|ies)|press\s+releases?|reports?)\s+(?:claiming|saying|that|about)\b|\b(?:made[-\s]up|fabricated|fake)\s+(?:quotes?|statistics|studies|sources|citations)\s+(?:from|by|of|attributed)\b|\b(?:make\s+up|fabricate|invent)\s+(?:some\s+)?(?:convincing\s+|fake\s+|realistic\s+)?(?:statistics|numbers|evidence|studies|sources|quotes)\b/i },
  { name: 'drug_push', strong: false, label: 'pushing someone to take hard drugs', pattern: /\b(?:convince|persuade|pressure|talk|get|trick|encourage|push|tempt|coax|lure)\s+(?:a\s+|my\s+|your\s+|his\s+|her\s+|their\s+)?(?:friends?|someone|somebody|people|kids|children|teens?|teenagers?|students?|classmates?|partner|girlfriend|boyfriend|wife|husband|him|her|them|others|a\s+minor|minors)\s+(?:in)?to\s+(?:try|take|use|do|snort|inject|smoke|shoot\s+up)\s+(?:some\s+)?(?:mdma|ecstasy|molly|cocaine|coke|crack|heroin|meth|methamphetamine|fentanyl|lsd|acid|ketamine|ghb|opioids?|pills|hard\s+drugs|drugs)\b/i },
  { name: 'trafficking', strong: false, label: 'smuggling or trafficking', pattern: /\bsmuggl(?:e|ing)\s+(?:\w+\s+){0,2}?(?:drugs|cocaine|heroin|fentanyl|meth|weapons|guns|people|migrants|children|contraband)\b|\btraffic(?:king)?\s+(?:drugs|people|women|girls|children|humans|organs|weapons)\b|\b(?:keep|keeping|hold|holding|confiscate|take|taking)\s+(?:their|his|her|the\s+workers'?|my\s+workers'?|employees'?)\s+passports\b/i },
];

/** The strongest of some cues: the first strong one, else the first; null when there are none. */
export function strongestCue(cues: Iterable<HarmCue>): HarmCue | null {
  let best: HarmCue | null = null;
  for (const c of cues) {
    if (c.strong) return c;
    best ??= c;
  }
  return best;
}

/** Sentences (or lines) of `text` with their offsets. */
function sentences(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[^.!?\n]*(?:[.!?]+|\n|$)/g;
  for (const m of text.matchAll(re)) {
    if (m[0].trim() === '') {
      if (m[0].length === 0) re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * The harm cues in `text` (the normalised or folded text the models read): each sentence that holds a
 * cue, where it or the sentence after it is a request and the sentence itself has no benign frame.
 */
export function harmCues(text: string): HarmCue[] {
  const found: HarmCue[] = [];
  const sents = sentences(text).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
  const request = sents.map((s) => REQUEST.test(s.text));
  sents.forEach((s, i) => {
    const sent = s.text;
    if ((SAFE_FRAME.test(sent) && !OVERRIDES_FRAME.test(sent)) || !(request[i] || request[i + 1])) return;
    for (const cue of CUES) {
      if (cue.pattern.test(sent)) found.push({ name: cue.name, start: s.start, end: s.end, strong: cue.strong, label: cue.label });
    }
  });
  return found;
}
