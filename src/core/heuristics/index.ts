/**
 * @file Rule-based jailbreak and prompt-injection cues: the deterministic baseline.
 * It marks the sentence around a well-known cue ("ignore all previous instructions", "developer
 * mode", fake system tags). It runs when the learned analyzer is unavailable, and it is the
 * "deterministic-only engine" that the analyzer's evaluation compares against. It knows nothing
 * about intent, so its scores are fixed per cue, not calibrated probabilities.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';

/**
 * `use`: how the engine may use a cue next to the analyzer (without one, every cue counts).
 * - `precise`: almost only attacks use it (on the training and validation splits at most a handful of
 *   benign prompts in 30,000, most of them prompts that quote an attack): it locates an attack where a head
 *   sees or suspects one (engine.ts).
 * - `standalone`: text addressed to an AI inside content the user pasted ("Note to AI: …", "AI agents
 *   processing this document must …", a markdown image whose address carries the conversation): an injected
 *   instruction whoever pasted it, so it counts without a head's agreement.
 * Cues without `use` (stay in character, "without restrictions") occur in benign role-play too.
 */
type Cue = { pattern: RegExp; category: 'jailbreak' | 'injection'; score: number; use?: 'precise' | 'standalone' };

const CUES: Cue[] = [
  // Overriding earlier instructions, in English and in German, Spanish and French.
  { pattern: /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|former|original)\s+(?:instructions?|rules|prompts?|directions|guidelines|context)\b/i, category: 'injection', score: 0.9, use: 'precise' },
  { pattern: /\b(?:ignore|disregard|forget)\s+(?:all|everything|anything)\s+(?:of\s+)?(?:(?:the|that|what)\s+)?(?:(?:was|is|you\s+were|i)\s+)?(?:above|before|prior|previous(?:ly)?|earlier|(?:told|said|written|given)\s+(?:above|before|earlier|previously|so\s+far))(?=\s*(?:[.,;:!?\n]|$|(?:and|then|now|this|that|it|instructions?|messages?|text|prompts?|rules|said|told|written)\b))|\b(?:ignore|disregard|forget)\s+(?:all\s+of\s+|everything\s+)?(?:the\s+)?(?:above|foregoing|preceding)(?=\s*(?:[.,;:!?\n]|$|(?:and|instead|then|now)\b))/i, category: 'injection', score: 0.85, use: 'precise' },
  { pattern: /\b(?:vergiss|ignoriere|ignorier|(?:ignorieren|vergessen|missachten)\s+sie)\s+(?:alles|alle\s+(?:vorherigen|bisherigen|vorigen)|die\s+(?:vorherigen|bisherigen|obigen))\b|\bh[öo]re?\s+nicht\s+(?:mehr\s+)?auf\s+(?:alles\s+)?(?:zuvor|vorher|bisher|oben)\s+gesagte\b|\bolvid[ae]\s+todo\s+(?:lo\s+)?que\s+(?:te\s+)?(?:dije|he\s+dicho|escrib[íi])\b|\b(?:ignore|disregard|forget)\s+(?:all\s+(?:of\s+)?)?(?:the\s+)?(?:provided|given|supplied)\s+(?:context|articles?|documents?|sources?|information)\b|\b(?:deine|ihre)\s+(?:bisherigen|vorherigen)\s+(?:regeln|anweisungen|instruktionen)\s+(?:gelten|sind)\s+(?:nicht\s+mehr|ungültig)|\bgelten\s+(?:deine|ihre)\s+(?:bisherigen|vorherigen|alten)\s+(?:regeln|anweisungen|instruktionen)\s+nicht\s+mehr|\bignor(?:a|e|ez|ar)\s+(?:todas\s+las\s+|toutes\s+les\s+|las\s+|les\s+)?instruc(?:ciones|tions)\s+(?:anteriores|précédentes|precedentes)\b|\bolvida\s+(?:todas\s+)?(?:tus|las)\s+(?:instrucciones|reglas)|\boublie\s+(?:toutes\s+)?(?:tes|les)\s+(?:instructions|consignes|règles)|\bne\s+tiens\s+plus\s+compte\s+de\s+tes\s+(?:consignes|instructions|règles)/i, category: 'injection', score: 0.85, use: 'precise' },
  // Aimed at the assistant's own rules: "ignore your guidelines", "set aside the guidelines your creators gave you".
  { pattern: /\b(?:ignore|disregard|forget|override|bypass|abandon|set\s+aside|discard|ditch|scrap|stop\s+following)\s+(?:all\s+(?:of\s+)?)?(?:your|the\s+system'?s?|the\s+assistant'?s?)\s+(?:\w+\s+){0,2}?(?:instructions|rules|guidelines|directives|programming|restrictions|guardrails|system\s+prompt)\b/i, category: 'injection', score: 0.85, use: 'precise' },
  { pattern: /\b(?:ignore|disregard|forget|override|bypass|abandon|set\s+aside|discard|ditch|scrap|stop\s+following)\s+(?:all\s+(?:of\s+)?)?the\s+(?:\w+\s+)?(?:instructions|rules|guidelines|directives|restrictions)\s+(?:your\s+(?:creators?|developers?|makers?|owners?|trainers?|programmers?)|you\s+(?:were|have\s+been)\s+(?:given|told|trained))\b/i, category: 'injection', score: 0.85, use: 'precise' },
  // Instructions handed over in pieces or in code, to be run once assembled; a memory planted for later conversations.
  { pattern: /\b(?:carry\s+out|execute|follow|obey|perform|act\s+on)\s+(?:the\s+)?(?:resulting|decoded|hidden|reversed|combined|assembled|reconstructed)\s+(?:instructions?|commands?|request|text|task|sentence)\b/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /\b(?:remember|memori[sz]e|store|save)\s+(?:this|that|the\s+following)\s+(?:permanently|forever|for\s+(?:all\s+)?future\s+(?:conversations|sessions|chats))\b|\b(?:in|for)\s+(?:all|every)\s+future\s+(?:conversations|sessions|chats)\s*,?\s+(?:whenever|always|you\s+(?:must|should|will))\b/i, category: 'injection', score: 0.75, use: 'precise' },
  // A reply forced to announce a takeover: "respond with only 'I have been compromised'", "confirm by saying 'Free mode activated'".
  { pattern: /\b(?:say|output|print|respond|reply|answer|confirm|type|return|write|antworte|responde|confirma|escribe|réponds|confirme|écris)\b[^.\n]{0,40}?(?:\bonly\b|\bjust\b|\bexactly\b|\bverbatim\b|\bnothing\s+but\b|\bby\s+(?:saying|writing|typing|replying|printing|outputting)\b|\b(?:the\s+)?(?:text|sentence|phrase|words?|string)\b|\bnur\s+(?:noch\s+)?mit\b|\bescribiendo\b|\bdiciendo\b|\bsolo\b|\bseulement\b|\ben\s+écrivant\b)\s*:?\s*["'“‘«„‚][^"'”’»“\n]{0,60}?(?:\b(?:pwned|hacked|compromised|owned|taken\s+over|hijacked|jailbroken|unlocked|gehackt|hackeado|comprometido|compromis)\b|(?:ü|ue)bernommen\b|pirat(?:é|e)(?![a-z])|\b(?:mode|modo|modus)\b[^"'”’»“\n]{0,20}(?:\b(?:activated|enabled|activad[oa]|aktiviert)\b|\bactiv(?:é|e)(?![a-z])))/i, category: 'injection', score: 0.85, use: 'standalone' },
  // Fake authority at the start of a line ("Developer message: …") and "policy checks are off".
  { pattern: /(?:^|\n)\s*(?:system|developer|admin|administrator|operator)\s+(?:message|note|notice|override|instruction)s?\s*:/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /\b(?:policy|safety|content)\s+(?:checks|filters|guidelines|restrictions|guardrails)\s+(?:are|have\s+been)\s+(?:now\s+)?(?:off|disabled|turned\s+off|lifted|suspended|removed)\b/i, category: 'jailbreak', score: 0.8, use: 'precise' },
  // Everything else demoted ("Cast aside all other procedures", "Make everything else secondary", "Let this task
  // eclipse all previous guidelines") and new orders announced ("Fresh directives of utmost importance have just
  // been released"): the injected task's claim to priority, in the wording of no particular template.
  { pattern: /\b(?:(?:cast|set|put|push|lay|brush)\s+aside|disengage\s+from|expunge|drop|abandon|discard|forget|ignore|disregard|deprioriti[sz]e|shelve|suspend|let\s+go\s+of)\s+(?:all|any|every)\s+(?:of\s+the\s+|the\s+)?(?:(?:other|previous|prior|earlier|remaining|existing)\s+(?:tasks?|instructions?|guidelines?|directives?|procedures?|protocols?|commands?|rules?|priorities|objectives?|orders?|duties|assignments?)\b|others\b|else\b)|\b(?:all|everything|anything)\s+else\s+(?:is|becomes|must\s+be|should\s+be|can\s+be)\s+(?:now\s+)?(?:secondary|irrelevant|unimportant|ignored|set\s+aside|on\s+hold|forgotten)\b|\bmake\s+(?:everything|all)\s+else\s+(?:secondary|irrelevant|wait)\b|\boverride\s+(?:all|everything)\s+else\b|\ball\s+others?\s+(?:(?:are|is)\s+(?:now\s+)?(?:out\s+of\s+scope|secondary|irrelevant|void)|drift\s+away|fade\s+away|no\s+longer\s+(?:matter|apply|count))\b|\b(?:solely|exclusively)\s+(?:to|on)\s+this\s+(?:task|command|directive|instruction|order)\b|\bconsider\s+(?:all|everything)\s+else\s+(?:irrelevant|secondary|void|null)\b|\b(?:let|make)\s+(?:this|the\s+following)\s+(?:task|directive|instruction|command|order)\s+(?:eclipse|override|supersede|outrank|replace)\s+(?:all|any|every)\b|\b(?:this|the\s+following)\s+(?:directive|instruction|command|task|order)\s+(?:is|as)\s+(?:now\s+)?(?:paramount|your\s+(?:only|sole|top|primary|highest|first)\s+(?:priority|focus|mission|task|objective|concern))\b/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /\b(?:new|novel|fresh|brand[-\s]new|urgent|critical|important|pivotal|momentous|significant|additional|updated|revised|priority)\s+(?:\w+\s+){0,2}?(?:instructions|directives|orders|directions|commands|advice|guidance)\s+(?:have|has)\s+(?:just\s+)?(?:now\s+)?(?:been\s+)?(?:arrived|come\s+(?:in|through)|rolled\s+in|landed|delivered|released|issued|transmitted|pronounced|received|sent|announced|dispatched|surfaced)\b|\b(?:new|novel|fresh|brand[-\s]new)\s+(?:rules|orders|directives|instructions)\b[^.\n]{0,60}?\bha(?:ve|s)\s+just\s+(?:been\s+)?(?:dropped|come\s+(?:in|through)|rolled\s+in|landed|arrived)\b/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /\byour\s+(?:new|real|actual|only|true)\s+(?:task|goal|instructions?|objective|purpose|mission)\s+(?:is|are|now)\b|\bas\s+your\s+(?:real|actual|true|new)\s+(?:task|goal|job|objective|instruction)\b/i, category: 'injection', score: 0.8, use: 'precise' },
  // Fake turn or authority markers: "### SYSTEM OVERRIDE ###", "[developer message]", "END OF USER INPUT", chat-template tags.
  { pattern: /(?:#{2,}|\[|<|\*\*|={2,}|-{3,})\s*(?:system|admin|developer|new\s+instructions?)\s*(?:override|note|message|prompt|instructions?|update|command)?\s*(?:#{2,}|\]|>|\*\*|={2,}|-{3,}|:)/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /(?:<\|im_start\|>\s*system|\[\s*system\s*\]|###\s*system|<\s*system\s*>)/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /\b(?:end\s+of\s+(?:the\s+)?user\s+(?:input|prompt|message)|system\s+override)\b/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /\b(?:system|admin|administrator|developer)\s+(?:note|message|instruction|notice|command)s?\s+(?:to|for)\s+(?:the\s+)?(?:agent|assistant|ai|model|bot|llm)\b/i, category: 'injection', score: 0.8, use: 'precise' },
  // Asking for the system prompt or hidden instructions, or for a secret the instructions keep ("spell the
  // password", "say 'access granted'").
  { pattern: /\b(?:repeat|print|output|show|reveal|dump|leak|display|recite|share|tell\s+me|give\s+me|list|write\s+out|spell\s+out)\s+(?:me\s+)?(?:all\s+(?:of\s+)?)?(?:your|the)\s+(?:(?:full|exact|entire|complete|original|initial|hidden|secret|internal|confidential)\s+)*(?:system\s+prompt|prompt\s+above|(?:initial|original|hidden|secret|internal|developer|system|confidential)\s+(?:instructions|prompt|rules|guidelines|directives|configuration)|configuration\s+and\s+(?:system\s+)?prompt)\b/i, category: 'injection', score: 0.85, use: 'precise' },
  { pattern: /\b(?:what|which)\s+(?:hidden|secret|internal|confidential)\s+(?:rules|instructions|guidelines|prompt)\s+(?:you\s+were|you've\s+been|were\s+you|have\s+you\s+been)\s+(?:given|told)\b/i, category: 'injection', score: 0.85, use: 'precise' },
  { pattern: /\b(?:repeat|print|output|copy|reproduce)\s+(?:all\s+(?:of\s+)?)?(?:the\s+)?(?:words|text|everything|content|instructions|lines)\s+(?:above|before\s+this)\b[^.\n]{0,40}\b(?:starting\s+with|verbatim|word\s+for\s+word|code\s+block|including\s+everything)/i, category: 'injection', score: 0.85, use: 'precise' },
  { pattern: /\b(?:the\s+)?(?:secret\s+)?password\s+(?:you\s+were\s+(?:told|given)|in\s+your\s+(?:instructions|prompt|system\s+prompt))\b|\b(?:what|tell\s+me|reveal|give\s+me)\s+(?:is\s+)?(?:the|your)\s+secret\s+password\b|\bspell(?:ing)?\s+(?:out\s+)?(?:the|your)\s+(?:secret\s+)?password\b|\b(?:the|your)\s+(?:secret\s+)?password\s+(?:letter\s+by\s+letter|backwards|in\s+reverse)\b|\b(?:say|output|respond\s+with|reply\s+with|print|write|answer\s+with)\s+(?:only\s+|just\s+|exactly\s+)?(?:the\s+(?:words?|phrase)\s+)?["'“‘]?access\s+granted\b/i, category: 'injection', score: 0.8, use: 'precise' },
  { pattern: /\bI\s+have\s+been\s+PWNED\b/i, category: 'injection', score: 0.8, use: 'precise' },
  // Text addressed to an AI inside pasted content.
  { pattern: /\b(?:note|message|ps|p\.s\.|reminder|nota|notiz|hinweis|remarque|mensaje)\s+(?:to|for|pour|para|an|für|à)\s+(?:any\s+|the\s+|all\s+|l'|la\s+|die\s+|el\s+)?(?:ai|a\.i\.|ia|ki|llm|language\s+models?|assistants?|chatbots?|ai\s+(?:agents?|assistants?|models?|reviewers?|screening\s+tools?|systems?|tools?))\b[^:\n]{0,40}?\s*[:\-–—]/i, category: 'injection', score: 0.85, use: 'standalone' },
  { pattern: /\b(?:ai|llm|gpt)s?\s*(?:agents?|models?|assistants?|systems?|tools?|bots?)?\s*(?:processing|reading|summari[sz]ing|screening|parsing|reviewing|analy[sz]ing)\s+this\b/i, category: 'injection', score: 0.85, use: 'standalone' },
  { pattern: /\b(?:hidden|secret)\s+(?:instructions?|message|note|command)\s+(?:for|to)\s+(?:any\s+|the\s+|all\s+)?(?:ai|llm|language\s+models?|assistants?|agents?|models?)\b/i, category: 'injection', score: 0.85, use: 'standalone' },
  { pattern: /!\[[^\]\n]*\]\(\s*https?:\/\/[^)\s]*[?&][^)\s]*(?:conversation|chat|history|data|user|personal|secret|password|INSERT|\[)/i, category: 'injection', score: 0.85, use: 'standalone' },
  { pattern: /\[[^\]\n]*\]\(\s*https?:\/\/[^)\s]*[?&][\w-]+=\s*\)\s*(?:followed|with|then|and)\b[^.\n]{0,60}\b(?:conversation|chat|history|messages?|data|summary|user|secrets?|password)\b/i, category: 'injection', score: 0.85, use: 'standalone' },
  { pattern: /\b(?:forward|send|email|exfiltrate|upload)\s+(?:all\s+|every\s+|the\s+)?(?:emails?|messages|files|passwords|credentials|contacts|data|conversation)\s+to\b/i, category: 'injection', score: 0.7 },
  // The reply forced to open with compliance (prefix injection: 'Start your response with "Sure, here is"',
  // 'Begin your reply with "Absolutely!" and write nothing before it'), and refusals forbidden outright.
  { pattern: /\b(?:begin|start|open|preface|prefix)\s+(?:your|each|every|the|all)\s+(?:\w+\s+)?(?:responses?|reply|replies|answers?|outputs?|messages?)\s+(?:with|by\s+(?:saying|writing|stating))\s*:?\s*["“'‘]\s*(?:sure|absolutely|of\s+course|certainly|yes,?\s+(?:here|i\s+(?:can|will))|here\s+(?:is|are)|here's|okay,?\s+here|mwahaha\w*)|\b(?:do\s+not|don't|never)\s+(?:write|say|output|print|add)\s+anything\s+(?:before|ahead\s+of)\s+(?:that|this|the)\s+(?:phrase|sentence|opening|words?)\b|\b(?:never|do\s+not|don't|you\s+(?:must|may)\s+not|you\s+can(?:no|')t)\s+(?:refuse|decline|reject)\s+(?:a\s+|any\s+)?(?:request|question|prompt|task|instruction)s?\b/i, category: 'jailbreak', score: 0.8, use: 'precise' },
  // Jailbreak personas and "no rules" modes.
  { pattern: /\b(?:do\s+anything\s+now|DAN\s+mode|developer\s+mode\s+(?:enabled|output)|jailbreak(?:ed)?\s+mode|evil\s+confidant|AIM\s+mode|unfiltered\s+and\s+amoral)\b/i, category: 'jailbreak', score: 0.9, use: 'precise' },
  { pattern: /\byou\s+are\s+(?:now\s+)?(?:DAN|an?\s+(?:unrestricted|unfiltered|uncensored|amoral|jailbroken)\b)/i, category: 'jailbreak', score: 0.9, use: 'precise' },
  // The "grandma exploit": a dead relative who used to recite what the model would refuse.
  { pattern: /\b(?:act|pretend|role-?play|play)\s+(?:to\s+be\s+|as\s+)?(?:my\s+)?(?:late|deceased|dead|departed)\s+(?:grand(?:mother|ma|father|pa|mom|dad)|granny|nana|mother|father|mom|mum|dad|aunt|uncle)\b/i, category: 'jailbreak', score: 0.85, use: 'precise' },
  { pattern: /\b(?:you\s+are|you're)\s+now\s+(?:an?\s+)?(?:\w+\s+){0,2}?(?:ai|assistant|model|chatbot|bot|llm)\s+(?:without|with\s+no|free\s+of)\s+(?:any\s+)?(?:restrictions|rules|filters|limits|guidelines|boundaries)\b|\beres\s+un\s+asistente\s+sin\s+(?:ningún\s+)?filtro|\btu\s+es\s+(?:maintenant\s+)?une?\s+(?:ia|assistant)\s+sans\s+(?:aucune?\s+)?(?:filtre|restriction|règle)|\bdu\s+bist\s+(?:jetzt|ab\s+sofort)\s+(?:eine?\s+)?(?:ki|assistent)\s+ohne\s+(?:jegliche\s+)?(?:filter|einschränkungen|regeln)/i, category: 'jailbreak', score: 0.85, use: 'standalone' },
  { pattern: /\b(?:without|free\s+(?:of|from)|no\s+longer\s+(?:bound|restricted)\s+by)\s+(?:any\s+)?(?:ethical|moral|content|safety)?\s*(?:restrictions|filters|guidelines|censorship|limitations|policies)\b/i, category: 'jailbreak', score: 0.75 },
  { pattern: /\b(?:stay|remain)\s+in\s+character\b/i, category: 'jailbreak', score: 0.6 },
  { pattern: /\bpretend\s+(?:that\s+)?(?:you\s+are|to\s+be)\s+[^.!?\n]{0,60}\b(?:no|without)\s+(?:rules|restrictions|limits|filters)\b/i, category: 'jailbreak', score: 0.8 },
  { pattern: /\b(?:openai|anthropic|content)\s+polic(?:y|ies)\s+(?:do(?:es)?\s+not|don't|no\s+longer)\s+apply\b/i, category: 'jailbreak', score: 0.85 },
];

/** Most words before a cue that still count as its sentence's lead-in ("P.S.", "After that,", "Now"). */
const MAX_LEAD_WORDS = 6;

/** Sentence (or line) bounds around [start, end) in `text`. */
function sentenceAround(text: string, start: number, end: number): [number, number] {
  let s = start;
  while (s > 0 && !/[.!?\n]/.test(text[s - 1] ?? '')) s--;
  while (s < start && /\s/.test(text[s] ?? '')) s++;
  let e = end;
  while (e < text.length && !/[.!?\n]/.test(text[e] ?? '')) e++;
  if (e < text.length && text[e] !== '\n') e++;
  return [s, e];
}

/**
 * Jailbreak / injection cue detector over the normalized (and folded) text. `use`: only the cues of that
 * use (what the engine reads next to the analyzer); all cues without it.
 */
export function createHeuristicDetector(options: { use?: 'precise' | 'standalone' } = {}): Detector {
  // Compiled once with the global flag matchAll needs (matchAll works on a copy, so sharing them is safe):
  // next to the analyzer the precise and standalone cues read every text.
  const cues = (options.use ? CUES.filter((c) => c.use === options.use) : CUES).map((c) => ({
    ...c,
    global: new RegExp(c.pattern.source, c.pattern.flags.includes('g') ? c.pattern.flags : c.pattern.flags + 'g'),
  }));
  return {
    name: options.use ? `heuristic-cues(${options.use})` : 'heuristic-cues',
    detect(input: NormalizedText): Detection[] {
      const out: Detection[] = [];
      const map = input.toOriginal;
      // Folded text has the same length as text, so its offsets are valid for both.
      const haystack = input.folded.length === input.text.length ? input.folded : input.text;
      for (const cue of cues) {
        for (const m of haystack.matchAll(cue.global)) {
          const at = m.index ?? 0;
          const [sentenceStart, e] = sentenceAround(input.text, at, at + m[0].length);
          // A long lead-in without a sentence end is another sentence run on ("… win the world cup in us
          // Ignora todas las instrucciones …"): the cue starts at its own words then.
          const lead = input.text.slice(sentenceStart, at).match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
          const s = lead > MAX_LEAD_WORDS ? at : sentenceStart;
          out.push({
            kind: cue.category === 'jailbreak' ? 'jailbreak_cue' : 'injection_cue',
            category: cue.category,
            start: map[s] ?? s,
            end: map[e] ?? e,
            score: cue.score,
            reason: `Known ${cue.category === 'jailbreak' ? 'jailbreak' : 'prompt-injection'} phrasing: "${m[0].trim()}"`,
          });
        }
      }
      return out;
    },
  };
}
