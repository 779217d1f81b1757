import { PhraseMatcher } from './phrase-matcher.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

interface SeverityCue {
  level: Exclude<Severity, 'low'>;
  reason: string;
  matcher: PhraseMatcher;
}

// From the service-recovery literature: harm to health or safety is critical; a legal, regulator
// or media threat and lost money are high; a threat to leave and a repeated failure are medium.
const CUES: SeverityCue[] = [
  {
    level: 'critical',
    reason: 'health or safety',
    matcher: new PhraseMatcher([
      'food poisoning', 'poisoned', 'allergic reaction', 'allergy', 'hospital', 'injured', 'injury', 'hurt myself', 'burn*', 'fire',
      'smoke', 'electric shock', 'gas leak', 'unsafe', 'dangerous', 'danger', 'choking', 'ambulance', 'emergency', 'blood',
      'voedselvergiftiging', 'vergiftigd', 'allergische reactie', 'allergie', 'ziekenhuis', 'gewond', 'verwond*', 'brandwond*',
      'in brand', 'brandgevaar', 'rookontwikkeling', 'stroomschok', 'gaslek', 'onveilig', 'gevaarlijk', 'gevaar', 'verstikking', 'spoedeisende hulp', 'bloed',
    ]),
  },
  {
    level: 'high',
    reason: 'legal or regulator threat',
    matcher: new PhraseMatcher([
      'lawyer*', 'solicitor*', 'sue', 'suing', 'lawsuit', 'legal action', 'court', 'small claims', 'ombudsman', 'regulator', 'ofcom',
      'ofgem', 'trading standards', 'report you', 'reporting you', 'chargeback',
      'advocaat', 'rechtszaak', 'rechter', 'juridische stappen', 'aangifte', 'geschillencommissie', 'consumentenbond', 'acm',
      'autoriteit consument', 'ombudsman', 'kifid', 'incassobureau', 'ingebrekestelling',
    ]),
  },
  {
    level: 'high',
    reason: 'media threat',
    matcher: new PhraseMatcher([
      'going viral', 'go viral', 'the press', 'journalist*', 'newspaper', 'watchdog', 'bbc', 'media', 'tell everyone',
      'kassa', 'radar', 'opgelicht', 'de krant', 'journalist', 'media', 'iedereen vertellen',
    ]),
  },
  {
    level: 'high',
    reason: 'money lost',
    matcher: new PhraseMatcher([
      'charged twice', 'charged me twice', 'charged me double', 'double charged', 'overcharged', 'stole my money', 'stolen money', 'lost money', 'out of pocket', 'fraud*',
      'scam*', 'unauthorised', 'unauthorized', 'money taken', 'took my money',
      'dubbel afgeschreven', 'twee keer afgeschreven', 'dubbel betaald', 'geld kwijt', 'mijn geld', 'oplichting', 'opgelicht',
      'fraude', 'zonder toestemming',
    ]),
  },
  {
    level: 'medium',
    reason: 'threat to leave',
    matcher: new PhraseMatcher([
      'cancel my', 'cancelling my', 'canceling my', 'switching to', 'switch to', 'leaving you', 'never again', 'never buying',
      'never use', 'last time i', 'take my business', 'close my account', 'unsubscribe',
      'opzeggen', 'zeg op', 'zeg mijn', 'overstappen', 'stap over', 'nooit meer', 'laatste keer', 'klant af', 'geen klant meer',
    ]),
  },
  {
    level: 'medium',
    reason: 'repeated failure',
    matcher: new PhraseMatcher([
      'again', 'third time', 'second time', '3rd time', '2nd time', 'fourth time', 'every time', 'once again', 'yet again',
      'for weeks', 'for months', 'keeps happening',
      'alweer', 'voor de derde keer', 'voor de tweede keer', 'derde keer', 'tweede keer', 'vierde keer', 'elke keer',
      'iedere keer', 'al weken', 'al maanden', 'blijft maar',
    ]),
  },
];

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

// Only a complaint has a severity above low: "fire" in praise of a song is not an emergency.
export function severityOf(words: readonly string[], complaint: boolean): { severity: Severity; reasons: string[] } {
  if (!complaint) return { severity: 'low', reasons: [] };
  let severity: Severity = 'low';
  const reasons: string[] = [];
  let mediums = 0;
  for (const cue of CUES) {
    if (!cue.matcher.test(words)) continue;
    reasons.push(cue.reason);
    if (cue.level === 'medium') mediums++;
    if (RANK[cue.level] > RANK[severity]) severity = cue.level;
  }
  // A repeated failure from a customer about to leave is worth more than either alone.
  if (severity === 'medium' && mediums > 1) severity = 'high';
  return { severity, reasons };
}
