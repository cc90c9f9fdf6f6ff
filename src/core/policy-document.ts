/**
 * IAM policy documents: decoding (IAM returns them URL-encoded and the JS SDK does not decode them) and
 * parsing into normalised statements the evaluator can use. A document that cannot be understood is
 * reported with a reason rather than dropped, because "we could not read this policy" is itself
 * something an analyst must see.
 */

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  /** Position in the document's Statement list (0-based), as shown to the analyst. */
  index: number;
  sid?: string;
  effect: Effect;
  /** Action patterns, or undefined when the statement uses NotAction. */
  actions?: string[];
  notActions?: string[];
  /** Resource patterns, or undefined when the statement uses NotResource (trust policies have neither). */
  resources?: string[];
  notResources?: string[];
  /** Condition block, kept as written; conditions are reported, never evaluated. */
  condition?: Record<string, unknown>;
  /** Condition keys used (e.g. aws:SourceIp), for the report. */
  conditionKeys: string[];
  hasPrincipal: boolean;
}

export interface DecodedDocument {
  /** The parsed JSON value, when the text was JSON. */
  json?: unknown;
  /** Why the text could not be read as JSON. */
  error?: string;
}

/**
 * IAM documents are RFC 3986 URL-encoded JSON. Some endpoints (emulators, older tools) return plain
 * JSON, and plain JSON may contain a literal '%', so decoding falls back to the raw text.
 */
export function decodePolicyDocument(raw: string): DecodedDocument {
  let decoded: string | undefined;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = undefined;
  }
  if (decoded !== undefined) {
    try {
      return { json: JSON.parse(decoded) as unknown };
    } catch {
      /* try the raw text below */
    }
  }
  try {
    return { json: JSON.parse(raw) as unknown };
  } catch (err) {
    return { error: `not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

export interface ParsedPolicy {
  version?: string;
  statements: PolicyStatement[];
  /** Problems that made the document, or some statements, unusable. Usable statements are still returned. */
  errors: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, field: string, where: string, errors: string[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  errors.push(`${where}: ${field} must be a string or a list of strings`);
  return undefined;
}

/** Parse a decoded document. Never throws: structural problems are returned in `errors`. */
export function parsePolicyDocument(json: unknown): ParsedPolicy {
  const errors: string[] = [];
  if (!isRecord(json)) return { statements: [], errors: ['the document is not a JSON object'] };
  const version = typeof json.Version === 'string' ? json.Version : undefined;
  const raw = json.Statement;
  if (raw === undefined) return { version, statements: [], errors: ['the document has no Statement'] };
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  list.forEach((st, index) => {
    const where = `statement ${index}`;
    if (!isRecord(st)) {
      errors.push(`${where}: not an object`);
      return;
    }
    const effect = st.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') {
      errors.push(`${where}: Effect must be "Allow" or "Deny"`);
      return;
    }
    const localErrors: string[] = [];
    const actions = stringList(st.Action, 'Action', where, localErrors);
    const notActions = stringList(st.NotAction, 'NotAction', where, localErrors);
    const resources = stringList(st.Resource, 'Resource', where, localErrors);
    const notResources = stringList(st.NotResource, 'NotResource', where, localErrors);
    if (actions && notActions) localErrors.push(`${where}: has both Action and NotAction`);
    if (!actions && !notActions && localErrors.length === 0) localErrors.push(`${where}: has neither Action nor NotAction`);
    if (resources && notResources) localErrors.push(`${where}: has both Resource and NotResource`);
    if (st.Condition !== undefined && !isRecord(st.Condition)) localErrors.push(`${where}: Condition must be an object`);
    if (localErrors.length > 0) {
      errors.push(...localErrors);
      return;
    }
    const condition = isRecord(st.Condition) && Object.keys(st.Condition).length > 0 ? st.Condition : undefined;
    const conditionKeys = condition
      ? [...new Set(Object.values(condition).flatMap((block) => (isRecord(block) ? Object.keys(block) : [])))]
      : [];
    statements.push({
      index,
      sid: typeof st.Sid === 'string' && st.Sid !== '' ? st.Sid : undefined,
      effect,
      actions,
      notActions,
      resources,
      notResources,
      condition,
      conditionKeys,
      hasPrincipal: st.Principal !== undefined || st.NotPrincipal !== undefined,
    });
  });
  return { version, statements, errors };
}

/** Decode and parse in one step (the gateway's raw string in, statements and a single error text out). */
export function readPolicyDocument(raw: string): { json?: unknown; statements: PolicyStatement[]; parseError?: string } {
  const decoded = decodePolicyDocument(raw);
  if (decoded.error !== undefined) return { statements: [], parseError: decoded.error };
  const parsed = parsePolicyDocument(decoded.json);
  return { json: decoded.json, statements: parsed.statements, parseError: parsed.errors.length > 0 ? parsed.errors.join('; ') : undefined };
}
