import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { buildPermissions, type RawPermissions } from '../../../src/core/permissions.js';
import { catalogFromData } from '../../../src/core/iam-catalog.js';
import { prettyDocument, renderPolicies, trustSummary } from '../../../src/render/policies.js';
import { policiesJson } from '../../../src/render/policies-json.js';

const HOSTILE = 'evil\u001b[31m\u001b]8;;http://x\u0007name\u001b]8;;\u0007\u202e';

function raw(): RawPermissions {
  return {
    principal: { type: 'user', name: 'u1', arn: 'arn:aws:iam::1:user/u1', created: '2026-01-01T00:00:00Z', tags: [{ key: 'Owner', value: HOSTILE }] },
    policies: [
      { source: 'direct', kind: 'inline', name: 'ssm', rawDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: '*' }] })) },
      { source: 'group', group: 'ops', kind: 'inline', name: 'broken', rawDocument: '{not json' },
    ],
    warnings: [],
  };
}

describe('policies renderers', () => {
  it('human output, piped: exact text, hostile strings neutralised', async () => {
    const result = await buildPermissions(raw());
    const rendered = renderPolicies(result, { style: new Chalk({ level: 0 }), columns: undefined, stdoutIsTTY: false }, { documents: false, now: new Date('2026-02-01T00:00:00Z') });
    // the JSON engine's wording of the parse error differs between Node versions
    const text = rendered.replace(/not valid JSON \(.*\)$/m, 'not valid JSON (…)');
    expect(text).toBe(
      [
        'IAM user u1  arn:aws:iam::1:user/u1',
        '  Created   2026-01-01T00:00:00Z',
        '  Boundary  none',
        '  Tags      Owner=evilname',
        '',
        'Policies (2)',
        'SOURCE     TYPE    NAME        ARN',
        'direct     inline  ssm         -',
        'group ops  inline  broken (!)  -',
        '  (!) broken: not valid JSON (…)',
        '',
        'Highlights',
        '  Administrator-equivalent: no',
        '  High-risk capabilities (1):',
        '  CATEGORY                      CAPABILITY                           ACTIONS            GRANTED BY',
        '  credential and secret access  read SSM parameters (often secrets)  ssm:GetParameters  ssm statement 0',
        '',
        'Granted actions: 1  List 0 · Read 1 · Write 0 · Permissions management 0 · Tagging 0',
      ].join('\n'),
    );
    expect(result.warnings).toEqual([expect.stringContaining('policy broken (group ops) is malformed')]);
  });

  it('on a TTY: relative times; JSON keeps raw values and reports the parse error', async () => {
    const result = await buildPermissions(raw());
    const text = renderPolicies(result, { style: new Chalk({ level: 0 }), columns: 120, stdoutIsTTY: true }, { documents: true, now: new Date('2026-02-01T00:00:00Z') });
    expect(text).toContain('  Created   31d ago');
    expect(text).toContain('"ssm:GetParameters"');
    expect(text).toContain('(document not available: not valid JSON');
    const json = policiesJson(result) as { principal: { tags: Array<{ value: string }> }; policies: Array<Record<string, unknown>> };
    expect(json.principal.tags[0]?.value).toBe(HOSTILE);
    expect(json.policies[1]).toMatchObject({ name: 'broken', document: null, parseError: expect.stringContaining('not valid JSON') });
  });

  it('prettyDocument sanitises keys and values, keeps structure', () => {
    expect(prettyDocument({ [`k${HOSTILE}`]: [HOSTILE, 1, true, null, {}] })).toBe('{\n  "kevilname": [\n    "evilname",\n    1,\n    true,\n    null,\n    {}\n  ]\n}');
  });

  it('trust summary lists each principal', () => {
    expect(trustSummary({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::2:root'], Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: {} }] })).toEqual([
      'AWS arn:aws:iam::2:root: sts:AssumeRole (conditional)',
      'Service ec2.amazonaws.com: sts:AssumeRole (conditional)',
    ]);
  });

  it('the catalogue injection keeps unit analyses independent of the bundled data', () => {
    expect(catalogFromData({ x: [['A', 'Read']] }).actions('X')?.[0]?.key).toBe('x:A');
  });
});
