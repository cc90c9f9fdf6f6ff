/**
 * Role trust policies: which principals a trust document admits, which of those are outside the account (what an
 * attacker adds to keep a way in: another account's root or role, or everyone), and the document with given
 * principals taken out (what containment writes back). Pure JSON manipulation; the statements' other fields are
 * kept as they are.
 */

export interface TrustPrincipal {
  /** `AWS`, `Service`, `Federated`, or `*` for a bare `"Principal": "*"`. */
  type: string;
  value: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(doc: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(doc);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function statements(doc: Json): Json[] {
  const st = doc.Statement;
  return (Array.isArray(st) ? st : [st]).filter(isObject);
}

function principalsOf(st: Json): TrustPrincipal[] {
  if (st.Effect !== 'Allow') return [];
  const p = st.Principal;
  if (p === '*') return [{ type: '*', value: '*' }];
  if (!isObject(p)) return [];
  const out: TrustPrincipal[] = [];
  for (const [type, v] of Object.entries(p)) {
    for (const value of Array.isArray(v) ? v : [v]) if (typeof value === 'string') out.push({ type, value });
  }
  return out;
}

/** Every principal an Allow statement of the document admits. */
export function trustPrincipals(doc: string): TrustPrincipal[] {
  const parsed = parse(doc);
  return parsed ? statements(parsed).flatMap(principalsOf) : [];
}

/** The account an AWS principal belongs to (`123456789012`, `arn:aws:iam::123456789012:root`, a role ARN), or undefined. */
export function principalAccount(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  return /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(value)?.[1];
}

/** The principals of `doc` from outside `accountId`: other accounts, and everyone (`*`). */
export function foreignPrincipals(doc: string, accountId: string | undefined): TrustPrincipal[] {
  return trustPrincipals(doc).filter((p) => {
    if (p.type === '*' || (p.type === 'AWS' && p.value === '*')) return true;
    if (p.type !== 'AWS') return false;
    const acct = principalAccount(p.value);
    return accountId !== undefined && acct !== undefined && acct !== accountId;
  });
}

const same = (a: TrustPrincipal, b: TrustPrincipal): boolean => a.type === b.type && a.value === b.value;

/**
 * The document without the given principals: each is taken out of its statement, and a statement left with no
 * principal is dropped. Undefined when the document cannot be read, or when nothing would be left.
 */
export function withoutPrincipals(doc: string, remove: readonly TrustPrincipal[]): string | undefined {
  const parsed = parse(doc);
  if (!parsed) return undefined;
  const kept: Json[] = [];
  for (const st of statements(parsed)) {
    const p = st.Principal;
    if (st.Effect !== 'Allow' || (p !== '*' && !isObject(p))) {
      kept.push(st);
      continue;
    }
    if (p === '*') {
      if (!remove.some((r) => r.type === '*')) kept.push(st);
      continue;
    }
    const next: Json = {};
    for (const [type, v] of Object.entries(p as Json)) {
      const values = (Array.isArray(v) ? v : [v]).filter((value) => typeof value !== 'string' || !remove.some((r) => same(r, { type, value })));
      if (values.length > 0) next[type] = Array.isArray(v) ? values : values[0];
    }
    if (Object.keys(next).length > 0) kept.push({ ...st, Principal: next });
  }
  if (kept.length === 0) return undefined;
  return JSON.stringify({ ...parsed, Statement: kept });
}

/** The same JSON document (whitespace and key order of the text aside)? */
export function sameDocument(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return a === b;
  return canonical(x) === canonical(y);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
