import { TEMPLATE_VARIABLES } from '../config/config.schema.js';

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateValues {
  firstName: string;
  caseRef: string;
  agentName: string;
  brand: string;
}

// A {word} in a template: letters, digits and underscores, starting with a letter.
const VARIABLE = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

// Fills in {firstName} (or {name}), {caseRef}, {agentName} and {brand}. Templates are checked for
// unknown variables when they are stored, so any other {word} here is left as written.
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(VARIABLE, (whole, key: string) => {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(key)) return whole;
    return key === 'name' ? values.firstName : values[key as keyof TemplateValues];
  });
}

// The {words} a template uses that are no variable, each once, in the order they appear.
export function unknownVariables(template: string): string[] {
  const names = [...template.matchAll(VARIABLE)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !(TEMPLATE_VARIABLES as readonly string[]).includes(n)))];
}

// A customer is greeted by first name when they show one, else by handle.
export function greetingName(displayName: string | null, handle: string): string {
  const first = displayName?.trim().split(/\s+/)[0]?.replace(/[^\p{L}\p{M}'-]/gu, '');
  return first || handle.replace(/^@/, '');
}

// Whether a reply is one of the scripted texts as rendered, give or take spacing: the agent did
// not write a word of their own.
export function isUnedited(text: string, scripts: readonly string[]): boolean {
  const plain = (s: string) => s.trim().replace(/\s+/g, ' ');
  return scripts.some((script) => plain(script) === plain(text));
}

// What the draft says instead of a scripted apology when the customer was failed before.
export const REPEAT_FAILURE_INSTRUCTION =
  'This customer was let down before, so a scripted apology would ring hollow. Write it yourself: ' +
  'say that it went wrong again, what you will do differently this time, and that you are handling it in person.';
