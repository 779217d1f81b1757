import type { ReplyTemplates } from '../config/app-config.js';

export interface TemplateVariables {
  name: string;
  caseRef: string;
  brand: string;
}

// {name}, {caseRef} and {brand} are filled in; an unknown {word} stays as written.
export function renderTemplate(template: string, vars: TemplateVariables): string {
  return template.replace(/\{(name|caseRef|brand)\}/g, (_, key: keyof TemplateVariables) => vars[key]);
}

export function templatesFor(all: Record<string, ReplyTemplates>, language: string, fallback: string): ReplyTemplates {
  return all[language] ?? all[fallback] ?? all.en;
}

// A customer is greeted by first name when they show one, else by handle.
export function greetingName(displayName: string | null, handle: string): string {
  const first = displayName?.trim().split(/\s+/)[0]?.replace(/[^\p{L}\p{M}'-]/gu, '');
  return first || handle.replace(/^@/, '');
}
