import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

// Both packages are CommonJS; under Node ESM the default import is module.exports, under ts-jest it may be the namespace.
const Ajv = ((Ajv2020 as any).default ?? Ajv2020) as typeof Ajv2020.default;
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as typeof addFormatsModule.default;
type AjvInstance = InstanceType<typeof Ajv>;

// A parsed OpenAPI document: plain JSON, walked by key.
type Json = any;

export const MASTODON_CONTRACTS = path.resolve(process.cwd(), '../shared/contracts/mastodon');
export const X_CONTRACTS = path.resolve(process.cwd(), '../shared/contracts/x');

export function contractsAvailable(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory();
}

const SPEC_ID = 'https://contract.invalid/openapi.json';

interface Route {
  template: string;
  pattern: RegExp;
  pathParams: string[];
  item: Json;
}

interface Match {
  route: Route;
  operation: Json;
  pathValues: Record<string, string>;
}

export class OpenApiContract {
  // Responses are checked strictly; parameters and form bodies arrive as strings, so they get a coercing twin.
  private readonly strict: AjvInstance;
  private readonly coercing: AjvInstance;
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  private readonly spec: Json;

  private constructor(raw: Json) {
    const formats = new Set<string>();
    this.spec = normalize(raw, formats);
    const schemas = this.spec.components?.schemas ?? {};
    this.strict = createAjv({}, schemas, formats);
    this.coercing = createAjv({ coerceTypes: 'array' }, schemas, formats);
    // A literal segment beats a template: /accounts/verify_credentials before /accounts/{id}.
    this.routes = Object.entries<Json>(this.spec.paths ?? {})
      .map(([template, item]) => toRoute(template, item))
      .sort((a, b) => a.pathParams.length - b.pathParams.length);
  }

  static load(specFile: string): OpenApiContract {
    return new OpenApiContract(JSON.parse(fs.readFileSync(specFile, 'utf8')));
  }

  // contentType picks the schema where a response has several (X answers errors as
  // application/problem+json, documented beside an application/json one).
  responseErrors(method: string, path: string, status: number, body: unknown, contentType?: string): string[] {
    const match = this.match(method, path);
    if (!match) return [`${method.toUpperCase()} ${path}: no such operation in the contract`];
    const where = `${method.toUpperCase()} ${match.route.template} ${status}`;
    const responses = match.operation.responses ?? {};
    const response = this.deref(responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default);
    if (!response) return [`${where}: status not documented`];
    const mediaType = contentType?.split(';')[0].trim();
    if (mediaType && isObject(response.content) && !response.content[mediaType]) return [`${where}: ${mediaType} not documented`];
    const schema = jsonSchemaOf(response.content, mediaType);
    if (!schema) return [];
    return this.validate(this.strict, `res ${where} ${mediaType ?? ''}`, schema, body).map((e) => `${where}: ${e}`);
  }

  requestErrors(
    method: string,
    path: string,
    query: Record<string, unknown>,
    body: unknown,
    // Form-encoded bodies carry every value as a string, the way query parameters do.
    bodyEncoding: 'json' | 'form' = 'json',
  ): string[] {
    const match = this.match(method, path);
    if (!match) return [`${method.toUpperCase()} ${path}: no such operation in the contract`];
    const where = `${method.toUpperCase()} ${match.route.template}`;
    const params = this.parameters(match);
    const errors: string[] = [];

    for (const [key, value] of Object.entries(query)) {
      // Rails-style array parameters arrive as `types[]`.
      const name = key.replace(/\[\]$/, '');
      const param = params.find((p) => p.in === 'query' && p.name === name);
      if (!param) errors.push(`${where}: unknown query parameter "${key}"`);
      else errors.push(...this.parameterErrors(where, param, value));
    }
    for (const param of params) {
      if (param.in === 'query' && param.required && !(param.name in query) && !(`${param.name}[]` in query)) {
        errors.push(`${where}: missing required query parameter "${param.name}"`);
      }
      if (param.in === 'path' && param.name in match.pathValues) {
        errors.push(...this.parameterErrors(where, param, match.pathValues[param.name]));
      }
    }

    const requestBody = this.deref(match.operation.requestBody);
    const hasBody = body !== undefined && body !== null && body !== '';
    if (!requestBody) {
      if (hasBody) errors.push(`${where}: the operation takes no request body`);
      return errors;
    }
    if (!hasBody) {
      if (requestBody.required) errors.push(`${where}: request body is required`);
      return errors;
    }
    const schema = jsonSchemaOf(requestBody.content);
    if (!schema) return errors;
    const known = this.propertyNames(schema);
    if (known.size && isObject(body)) {
      for (const field of Object.keys(body)) {
        if (!known.has(field)) errors.push(`${where}: unknown request body field "${field}"`);
      }
    }
    const ajv = bodyEncoding === 'form' ? this.coercing : this.strict;
    errors.push(...this.validate(ajv, `req ${where} ${bodyEncoding}`, schema, structuredClone(body)).map((e) => `${where}: body ${e}`));
    return errors;
  }

  private match(method: string, concretePath: string): Match | undefined {
    const verb = method.toLowerCase();
    const clean = concretePath.split('?')[0].replace(/(.)\/$/, '$1');
    for (const route of this.routes) {
      const found = route.pattern.exec(clean);
      const operation = route.item[verb];
      if (!found || !operation) continue;
      const pathValues = Object.fromEntries(route.pathParams.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { route, operation, pathValues };
    }
    return undefined;
  }

  // Operation-level parameters override path-level ones with the same name and location.
  private parameters(match: Match): Json[] {
    const all = [...(match.route.item.parameters ?? []), ...(match.operation.parameters ?? [])].map((p) => this.deref(p));
    const byKey = new Map(all.map((p) => [`${p.in}:${p.name}`, p]));
    return [...byKey.values()];
  }

  private parameterErrors(where: string, param: Json, value: unknown): string[] {
    if (!param.schema) return [];
    let data = value;
    // style=form with explode=false sends arrays comma-separated (X's `tweet.fields=a,b`).
    if (param.schema.type === 'array' && param.explode === false && typeof value === 'string') data = value.split(',');
    const wrapper = { type: 'object', properties: { v: param.schema } };
    return this.validate(this.coercing, `param ${where} ${param.in} ${param.name}`, wrapper, { v: data }).map(
      (e) => `${where}: ${param.in} parameter "${param.name}" ${e.replace(/^\/v\s?/, '')}`,
    );
  }

  private validate(ajv: AjvInstance, cacheKey: string, schema: Json, data: unknown): string[] {
    const validator = this.compiled.get(cacheKey) ?? ajv.compile(schema);
    this.compiled.set(cacheKey, validator);
    return validator(data) ? [] : (validator.errors ?? []).map(describe);
  }

  // Every property a body may carry, across allOf/oneOf/anyOf and $refs.
  private propertyNames(schema: Json, seen = new Set<Json>()): Set<string> {
    const names = new Set<string>();
    const node = this.deref(schema);
    if (!isObject(node) || seen.has(node)) return names;
    seen.add(node);
    for (const key of Object.keys(node.properties ?? {})) names.add(key);
    for (const part of [...(node.allOf ?? []), ...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
      for (const key of this.propertyNames(part, seen)) names.add(key);
    }
    return names;
  }

  private deref(node: Json): Json {
    let current = node;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith(`${SPEC_ID}#/`); hops++) {
      if (hops > 20) throw new Error(`$ref cycle at ${current.$ref}`);
      current = current.$ref
        .slice(SPEC_ID.length + 2)
        .split('/')
        .map((part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((at: Json, part: string) => at?.[part], this.spec);
    }
    return current;
  }
}

function createAjv(options: object, schemas: Json, formats: Set<string>): AjvInstance {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false, ...options });
  addFormats(ajv);
  // Vendor formats such as Mastodon's iso-639-1 are documentation, not constraints.
  for (const format of formats) if (!ajv.formats[format]) ajv.addFormat(format, true);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
  return ajv;
}

function toRoute(template: string, item: Json): Route {
  const pathParams: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      pathParams.push(param[1]);
      return '([^/]+)';
    })
    .join('');
  return { template, pattern: new RegExp(`^${source}$`), pathParams, item };
}

function jsonSchemaOf(content: Json, mediaType?: string): Json | undefined {
  if (!isObject(content)) return undefined;
  const type = mediaType ?? Object.keys(content).find((t) => t.includes('json')) ?? Object.keys(content)[0];
  return type ? content[type]?.schema : undefined;
}

// Rewrites the document for ajv: local $refs point into the registered spec, and OpenAPI 3.0 idioms
// (nullable, boolean exclusiveMinimum/Maximum) become their JSON Schema 2020-12 equivalents.
function normalize(node: Json, formats: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => normalize(n, formats));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out.$ref = `${SPEC_ID}${value}`;
    else if (key === 'example' || key === 'examples') out[key] = value;
    // Keys of a properties map are names, not keywords: a property may well be called "example".
    else if (key === 'properties' && isObject(value)) out[key] = mapValues(value, (v) => normalize(v, formats));
    else out[key] = normalize(value, formats);
  }
  if (typeof out.format === 'string') formats.add(out.format);
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else {
      delete out[flag];
    }
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (out.type !== undefined) {
      out.type = [...new Set([...[out.type].flat(), 'null'])];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || '/';
  const extra = error.keyword === 'additionalProperties' ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : '';
  return `${at} ${error.message ?? error.keyword}${extra}`;
}

function mapValues(object: Json, fn: (value: Json) => Json): Json {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
