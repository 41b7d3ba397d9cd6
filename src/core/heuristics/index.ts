/**
 * @file Rule-based jailbreak and prompt-injection cues: the deterministic baseline.
 * It marks the sentence around a well-known cue ("ignore all previous instructions", "developer
 * mode", fake system tags). It runs when the learned analyzer is unavailable, and it is the
 * "deterministic-only engine" that the analyzer's evaluation compares against. It knows nothing
 * about intent, so its scores are fixed per cue, not calibrated probabilities.
 */
import type { Detection, Detector, NormalizedText } from '../engine/types';

type Cue = { pattern: RegExp; category: 'jailbreak' | 'injection'; score: number };

const CUES: Cue[] = [
  { pattern: /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|former|original)\s+(?:instructions?|rules|prompts?|directions|guidelines|context)\b/i, category: 'injection', score: 0.9 },
  { pattern: /\b(?:new|updated|revised)\s+(?:system\s+)?instructions?\s*:/i, category: 'injection', score: 0.75 },
  { pattern: /(?:<\|im_start\|>\s*system|\[\s*system\s*\]|###\s*system|<\s*system\s*>)/i, category: 'injection', score: 0.8 },
  { pattern: /\b(?:reveal|print|show|repeat|output|leak)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+prompt|initial\s+instructions|hidden\s+instructions|prompt\s+above)\b/i, category: 'injection', score: 0.85 },
  { pattern: /\b(?:forward|send|email|exfiltrate|upload)\s+(?:all\s+|every\s+|the\s+)?(?:emails?|messages|files|passwords|credentials|contacts|data|conversation)\s+to\b/i, category: 'injection', score: 0.7 },
  { pattern: /\b(?:do\s+anything\s+now|DAN\s+mode|developer\s+mode\s+(?:enabled|output)|jailbreak(?:ed)?\s+mode|evil\s+confidant|AIM\s+mode|unfiltered\s+and\s+amoral)\b/i, category: 'jailbreak', score: 0.9 },
  { pattern: /\byou\s+are\s+(?:now\s+)?(?:DAN|an?\s+(?:unrestricted|unfiltered|uncensored|amoral|jailbroken)\b)/i, category: 'jailbreak', score: 0.9 },
  { pattern: /\b(?:without|free\s+(?:of|from)|no\s+longer\s+(?:bound|restricted)\s+by)\s+(?:any\s+)?(?:ethical|moral|content|safety)?\s*(?:restrictions|filters|guidelines|censorship|limitations|policies)\b/i, category: 'jailbreak', score: 0.75 },
  { pattern: /\b(?:stay|remain)\s+in\s+character\b/i, category: 'jailbreak', score: 0.6 },
  { pattern: /\bpretend\s+(?:that\s+)?(?:you\s+are|to\s+be)\s+[^.!?\n]{0,60}\b(?:no|without)\s+(?:rules|restrictions|limits|filters)\b/i, category: 'jailbreak', score: 0.8 },
  { pattern: /\b(?:openai|anthropic|content)\s+polic(?:y|ies)\s+(?:do(?:es)?\s+not|don't|no\s+longer)\s+apply\b/i, category: 'jailbreak', score: 0.85 },
];

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

/** Jailbreak / injection cue detector over the normalized (and folded) text. */
export function createHeuristicDetector(): Detector {
  return {
    name: 'heuristic-cues',
    detect(input: NormalizedText): Detection[] {
      const out: Detection[] = [];
      const map = input.toOriginal;
      // Folded text has the same length as text, so its offsets are valid for both.
      const haystack = input.folded.length === input.text.length ? input.folded : input.text;
      for (const cue of CUES) {
        const re = new RegExp(cue.pattern.source, cue.pattern.flags.includes('g') ? cue.pattern.flags : cue.pattern.flags + 'g');
        for (const m of haystack.matchAll(re)) {
          const [s, e] = sentenceAround(input.text, m.index ?? 0, (m.index ?? 0) + m[0].length);
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
