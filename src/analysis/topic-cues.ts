import { PhraseMatcher } from './phrase-matcher.js';

export type Topic = 'delivery' | 'refund_billing' | 'outage_technical' | 'service_staff' | 'product_quality' | 'travel_disruption' | 'pricing' | 'other';

export const TOPICS: readonly Topic[] = ['delivery', 'refund_billing', 'outage_technical', 'service_staff', 'product_quality', 'travel_disruption', 'pricing', 'other'];

// English and Dutch words that name what a post is about. Matched on the lower-cased words.
const TOPIC_PHRASES: Record<Exclude<Topic, 'other'>, string[]> = {
  delivery: [
    'deliver*', 'parcel*', 'package*', 'shipping', 'shipped', 'shipment*', 'courier*', 'tracking', 'track and trace', 'dispatch*',
    'arrived', 'arrive', 'not arrived', 'never arrived', 'order*', 'postman', 'doorstep', 'ups', 'dhl', 'dpd', 'postnl', 'fedex',
    'pakket*', 'pakje*', 'bezorg*', 'geleverd', 'levering*', 'leveren', 'verzend*', 'verzonden', 'bestelling*', 'besteld', 'koerier*',
    'postbode', 'afgeleverd', 'track & trace', 'zending*',
  ],
  refund_billing: [
    'refund*', 'charged', 'charge*', 'overcharg*', 'bill', 'billed', 'billing', 'invoice*', 'payment*', 'paid', 'pay', 'money back',
    'direct debit', 'subscription*', 'cancel my subscription', 'receipt', 'credit card', 'debit*', 'reimburs*', 'compensat*',
    'terugbetal*', 'geld terug', 'factuur', 'facturen', 'rekening', 'afgeschreven', 'incasso', 'betaald', 'betaling*', 'abonnement*',
    'terugstort*', 'restitutie', 'dubbel betaald', 'compensatie', 'vergoeding',
  ],
  outage_technical: [
    'outage', 'down', 'offline', 'crash*', 'error*', 'bug*', 'glitch*', 'app', 'website', 'site', 'login', 'log in', 'password',
    'not loading', 'no internet', 'no signal', 'wifi', 'broadband', 'connection', 'server*', 'update', 'reboot*', 'no service',
    'storing*', 'storingen', 'inloggen', 'wachtwoord', 'werkt niet', 'geen internet', 'geen bereik', 'verbinding', 'foutmelding*',
    'netwerk', 'plat', 'ligt eruit', 'ligt plat',
  ],
  service_staff: [
    'customer service', 'customer care', 'support', 'staff', 'agent*', 'rude', 'manager', 'on hold', 'hold music', 'call centre',
    'call center', 'no response', 'no reply', 'nobody answers', 'hung up', 'helpline', 'chat', 'employee*', 'cashier', 'waiter',
    'klantenservice', 'klantendienst', 'medewerker*', 'personeel', 'onbeschoft', 'onvriendelijk', 'in de wacht', 'geen reactie',
    'niemand neemt op', 'kastje naar de muur', 'bediening', 'ober', 'servicedesk', 'helpdesk',
  ],
  product_quality: [
    'broken', 'broke', 'faulty', 'defect*', 'damaged', 'quality', 'poor quality', 'cheap', 'fell apart', 'stopped working', 'leak*',
    'cracked', 'ripped', 'torn', 'stale', 'mouldy', 'moldy', 'expired', 'smell*', 'taste*', 'cold food', 'raw',
    'kapot', 'stuk', 'defect', 'beschadigd', 'kwaliteit', 'slechte kwaliteit', 'lekt', 'gescheurd', 'gebroken', 'bedorven',
    'beschimmeld', 'over datum', 'smaak*', 'koud eten',
  ],
  travel_disruption: [
    'flight*', 'delayed', 'delay*', 'cancelled flight', 'train*', 'bus', 'platform', 'gate', 'boarding', 'luggage', 'baggage',
    'suitcase', 'airport', 'missed my connection', 'connection', 'departure*', 'timetable', 'station', 'pilot', 'crew', 'seat*',
    'vlucht*', 'vertraagd', 'vertraging*', 'trein*', 'perron', 'bagage', 'koffer', 'vliegveld', 'luchthaven', 'overstap',
    'uitgevallen', 'rijdt niet', 'ns', 'ov-chipkaart', 'conducteur', 'spoor',
  ],
  pricing: [
    'price*', 'pricing', 'expensive', 'overpriced', 'rip off', 'ripoff', 'costs', 'cost', 'fee*', 'surcharge', 'price increase',
    'too much', 'hidden fee*', 'discount', 'deal', 'offer',
    'prijs', 'prijzen', 'duur', 'te duur', 'prijsverhoging', 'kosten', 'toeslag', 'korting', 'aanbieding', 'tarief', 'tarieven',
  ],
};

// One pass over the post for all topics: each phrase found votes for every topic that lists it.
const ALL = new PhraseMatcher(Object.values(TOPIC_PHRASES).flat());
const EXACT = new Map<string, Topic[]>();
const PREFIXES: [string, Topic][] = [];
for (const [topic, phrases] of Object.entries(TOPIC_PHRASES) as [Topic, string[]][]) {
  for (const phrase of phrases) {
    if (phrase.endsWith('*')) PREFIXES.push([phrase.slice(0, -1), topic]);
    else EXACT.set(phrase, [...(EXACT.get(phrase) ?? []), topic]);
  }
}

// Every topic that lists the phrase, or a prefix of it; the same phrases come back post after post.
const PHRASE_TOPICS = new Map<string, readonly Topic[]>();
const MAX_REMEMBERED = 10_000;

function topicsOfPhrase(phrase: string): readonly Topic[] {
  let topics = PHRASE_TOPICS.get(phrase);
  if (topics) return topics;
  const found = new Set(EXACT.get(phrase));
  for (const [prefix, topic] of PREFIXES) if (phrase.startsWith(prefix)) found.add(topic);
  topics = [...found];
  if (PHRASE_TOPICS.size < MAX_REMEMBERED) PHRASE_TOPICS.set(phrase, topics);
  return topics;
}

// The topic with the most cue words; ties go to the earlier (more specific) topic. A brand's
// learned words (from its care team's corrections) count twice: they know the brand.
export function topicOf(words: readonly string[], learned?: ReadonlyMap<string, Topic>): Topic {
  const votes = topicVotes.fill(0);
  if (learned?.size) {
    for (const word of words) {
      const topic = learned.get(word);
      if (topic) votes[TOPIC_INDEX[topic]] += 2;
    }
  }
  for (const phrase of ALL.find(words, 16)) for (const topic of topicsOfPhrase(phrase)) votes[TOPIC_INDEX[topic]]++;
  let best: Topic = 'other';
  let most = 0;
  for (let t = 0; t < TOPICS.length; t++) {
    if (votes[t] > most) {
      most = votes[t];
      best = TOPICS[t];
    }
  }
  return best;
}

const TOPIC_INDEX = Object.fromEntries(TOPICS.map((topic, i) => [topic, i])) as Record<Topic, number>;
const topicVotes = new Int32Array(TOPICS.length);

const FUNCTION_WORD = /^(?:this|that|with|have|from|your|they|there|their|what|when|where|which|would|could|should|about|been|were|will|just|still|again|voor|niet|maar|zijn|naar|deze|waar|wanneer|omdat|steeds|hebben|jullie|mijn|nog|geen|heeft|wordt|alweer|echt|heel|veel)$/;

// The words of a post a topic can be learned from: four letters or more, no function words.
export function contentWords(tokens: readonly string[]): string[] {
  return tokens.filter((t) => t.length >= 4 && /^\p{L}+$/u.test(t) && !FUNCTION_WORD.test(t));
}
