/**
 * The finding normaliser against the GuardDuty model itself: every member of the Finding shape (botocore guardduty
 * 2017-11-28 service-2.json, read from the botocore installed on this machine, the AWS CLI's) must get the same
 * normalised name whether it arrives in the SDK's casing (the member name, `TaskCreatedAt`) or the wire's
 * (its locationName, `createdAt`), and every map member must keep its keys. Skipped where botocore is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAP_MEMBERS, normalisedKey, normalizeFinding } from '../../../src/core/finding/index.js';

interface Member {
  shape: string;
  locationName?: string;
}
interface Shape {
  type: string;
  members?: Record<string, Member>;
  member?: Member;
  value?: Member;
}

function loadModel(): Record<string, Shape> | undefined {
  const r = spawnSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  // pip's botocore ships the models gzipped, Debian's python3-botocore as plain JSON.
  const dir = join(r.stdout.trim(), 'data', 'guardduty', '2017-11-28');
  const text = existsSync(join(dir, 'service-2.json.gz'))
    ? gunzipSync(readFileSync(join(dir, 'service-2.json.gz'))).toString('utf8')
    : existsSync(join(dir, 'service-2.json'))
      ? readFileSync(join(dir, 'service-2.json'), 'utf8')
      : undefined;
  return text === undefined ? undefined : (JSON.parse(text) as { shapes: Record<string, Shape> }).shapes;
}

const shapes = loadModel();

describe.skipIf(!shapes)('normalizeFinding knows every member of the GuardDuty model', () => {
  interface Pair { path: string; sdk: string; wire: string; parent?: string; map: boolean }
  const pairs: Pair[] = [];
  if (shapes) {
    const seen = new Set<string>();
    const walk = (name: string, path: string, parent?: string): void => {
      const key = `${name}|${parent ?? ''}`;
      const s = shapes[name];
      if (!s || seen.has(key)) return;
      seen.add(key);
      if (s.type === 'structure') {
        for (const [member, m] of Object.entries(s.members ?? {})) {
          const wire = m.locationName ?? member;
          pairs.push({ path: `${path}.${member}`, sdk: member, wire, parent, map: shapes[m.shape]?.type === 'map' });
          walk(m.shape, `${path}.${member}`, normalisedKey(wire, parent));
        }
      } else if (s.type === 'list' && s.member) walk(s.member.shape, `${path}[]`, parent);
      else if (s.type === 'map' && s.value) walk(s.value.shape, `${path}{}`, undefined);
    };
    walk('Finding', 'Finding');
  }

  it('walks a model of a realistic size', () => {
    expect(pairs.length).toBeGreaterThan(500);
  });

  it('gives a member the same name in the SDK casing and in the wire casing', () => {
    const wrong = pairs.filter((p) => normalisedKey(p.sdk, p.parent) !== normalisedKey(p.wire, p.parent)).map((p) => `${p.path}: ${p.sdk} → ${normalisedKey(p.sdk, p.parent)}, ${p.wire} → ${normalisedKey(p.wire, p.parent)}`);
    expect(wrong).toEqual([]);
  });

  it('keeps the keys of every map member (they are data, not member names)', () => {
    const maps = [...new Set(pairs.filter((p) => p.map).map((p) => normalisedKey(p.wire, p.parent)))];
    expect(maps.filter((m) => !MAP_MEMBERS.has(m))).toEqual([]);
  });
});

describe('members the model renames, in both casings', () => {
  it('Account.Name (wire `account`), EcsTaskDetails.TaskCreatedAt (`createdAt`), KubernetesWorkload.KubernetesResourcesTypes (`type`)', () => {
    const base = { Id: 'a'.repeat(32), Type: 'AttackSequence:IAM/CompromisedCredentials', Severity: 8 };
    const sdk = normalizeFinding({
      ...base,
      Resource: { EcsClusterDetails: { TaskDetails: { TaskCreatedAt: new Date('2026-01-02T03:04:05Z') } } },
      Service: { Detection: { Sequence: { Actors: [{ User: { Name: 'alice', Account: { Uid: '111122223333', Name: 'prod' } } }], Resources: [{ Data: { KubernetesWorkload: { KubernetesResourcesTypes: 'Pods' } } }] } } },
    });
    const wire = normalizeFinding({
      id: base.Id, type: base.Type, severity: 8,
      resource: { ecsClusterDetails: { taskDetails: { createdAt: '2026-01-02T03:04:05.000Z' } } },
      service: { detection: { sequence: { actors: [{ user: { name: 'alice', account: { uid: '111122223333', account: 'prod' } } }], resources: [{ data: { kubernetesWorkload: { type: 'Pods' } } }] } } },
    });
    expect({ ...sdk, raw: undefined }).toEqual({ ...wire, raw: undefined });
    expect(wire.service).toEqual({ detection: { sequence: { actors: [{ user: { name: 'alice', account: { uid: '111122223333', account: 'prod' } } }], resources: [{ data: { kubernetesWorkload: { type: 'Pods' } } }] } } });
  });
});
