import { PhraseMatcher } from './phrase-matcher.js';

// Insults and profanity, English and Dutch. An abusive complaint is still a complaint: the flag
// only warns the agent before they read it.
const ABUSIVE = new PhraseMatcher([
  'fuck*', 'fck*', 'shit*', 'bullshit', 'crap', 'bastard*', 'bitch*', 'asshole*', 'arsehole*', 'dickhead*', 'wanker*', 'twat*',
  'cunt*', 'idiot*', 'moron*', 'stupid', 'retard*', 'scum', 'muppet*', 'clowns', 'wtf', 'stfu', 'piss off', 'pissed', 'damn', 'dumb',
  'klote', 'kut', 'kutbedrijf', 'kutzooi', 'tering*', 'tyfus*', 'kankerbedrijf', 'kankerzooi', 'godverdomme', 'verdomme', 'shit', 'lul', 'klootzak*',
  'eikel*', 'idioot', 'idioten', 'debiel*', 'mongool', 'oplichters', 'boeven', 'prutsers', 'sukkel*', 'hufter*', 'zakkenwassers',
  'stelletje', 'achterlijk*', 'waardeloos zooitje', 'tyfuszooi',
]);

export function isAbusive(words: readonly string[]): boolean {
  return ABUSIVE.test(words);
}
