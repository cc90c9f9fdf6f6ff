/**
 * A Runtime Monitoring finding's runtimeDetails and containerDetails (src/core/finding/runtime.ts), from the wire
 * (epoch-seconds timestamps) and from the SDK (PascalCase, Date), and what findings show prints of them.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { normalizeFinding, toFindingDetail } from '../../../src/core/finding/index.js';
import { renderFindingDetail } from '../../../src/render/findings.js';
import { findingDetailJson } from '../../../src/render/findings-json.js';

const base = { id: 'b'.repeat(32), type: 'PrivilegeEscalation:Runtime/DockerSocketAccessed', severity: 5, region: 'us-east-1', accountId: '111122223333' };

const wire = {
  ...base,
  resource: {
    resourceType: 'Container',
    containerDetails: { containerRuntime: 'containerd', id: 'c0ffee', name: 'web', image: 'nginx:1.27', securityContext: { privileged: true, allowPrivilegeEscalation: false }, volumeMounts: [{ name: 'docker-sock', mountPath: '/var/run/docker.sock' }] },
  },
  service: {
    runtimeDetails: {
      process: {
        name: 'curl', executablePath: '/usr/bin/curl', pid: 4242, namespacePid: 17, user: 'root', userId: 0, euid: 0, pwd: '/', startTime: 1735689600.5,
        lineage: [{ name: 'sh', pid: 4200, executablePath: '/bin/sh', startTime: 1735689590 }, { name: 'containerd-shim', pid: 100 }],
      },
      context: { socketPath: '/var/run/docker.sock', modifyingProcess: { name: 'bash', pid: 4100, user: 'root' }, flags: ['rw'], modifiedAt: 1735689000 },
    },
  },
};

const sdk = {
  Id: base.id, Type: base.type, Severity: 5, Region: 'us-east-1', AccountId: '111122223333',
  Resource: {
    ResourceType: 'Container',
    ContainerDetails: { ContainerRuntime: 'containerd', Id: 'c0ffee', Name: 'web', Image: 'nginx:1.27', SecurityContext: { Privileged: true, AllowPrivilegeEscalation: false }, VolumeMounts: [{ Name: 'docker-sock', MountPath: '/var/run/docker.sock' }] },
  },
  Service: {
    RuntimeDetails: {
      Process: {
        Name: 'curl', ExecutablePath: '/usr/bin/curl', Pid: 4242, NamespacePid: 17, User: 'root', UserId: 0, Euid: 0, Pwd: '/', StartTime: new Date(1735689600500),
        Lineage: [{ Name: 'sh', Pid: 4200, ExecutablePath: '/bin/sh', StartTime: new Date(1735689590000) }, { Name: 'containerd-shim', Pid: 100 }],
      },
      Context: { SocketPath: '/var/run/docker.sock', ModifyingProcess: { Name: 'bash', Pid: 4100, User: 'root' }, Flags: ['rw'], ModifiedAt: new Date(1735689000000) },
    },
  },
};

describe('runtime view', () => {
  it('reads process, lineage, context and container alike from the wire and from the SDK', () => {
    const a = toFindingDetail(normalizeFinding(wire)).runtime;
    const b = toFindingDetail(normalizeFinding(sdk)).runtime;
    expect(a).toEqual(b);
    expect(a?.process).toMatchObject({ name: 'curl', pid: 4242, namespacePid: 17, startTime: '2025-01-01T00:00:00.500Z' });
    expect(a?.lineage.map((x) => [x.name, x.pid, x.startTime])).toEqual([['sh', 4200, '2024-12-31T23:59:50Z'], ['containerd-shim', 100, null]]);
    expect(a?.context).toEqual([
      { member: 'modifyingProcess', label: 'Changed by', value: 'bash (pid 4100, user root)' },
      { member: 'modifiedAt', label: 'Modified at', value: '2024-12-31T23:50:00Z' },
      { member: 'socketPath', label: 'Socket', value: '/var/run/docker.sock' },
      { member: 'flags', label: 'Flags', value: 'rw' },
    ]);
    expect(a?.container).toEqual({ runtime: 'containerd', id: 'c0ffee', name: 'web', image: 'nginx:1.27', imagePrefix: null, privileged: true, allowPrivilegeEscalation: false, volumeMounts: [{ name: 'docker-sock', mountPath: '/var/run/docker.sock' }] });
    expect(findingDetailJson(toFindingDetail(normalizeFinding(wire))).runtime).toMatchObject({ process: { pid: 4242 }, container: { privileged: true } });
  });

  it('findings show prints them (the data source tells the analyst to check runtimeDetails)', () => {
    const text = renderFindingDetail(toFindingDetail(normalizeFinding(wire)), { style: new Chalk({ level: 0 }), columns: undefined, stdoutIsTTY: false }, new Date('2025-01-02T00:00:00Z'));
    expect(text).toContain('Runtime process\n  Process          curl (pid 4242, 17 in its namespace)\n  Executable       /usr/bin/curl');
    expect(text).toContain('  Lineage          sh (pid 4200) ← containerd-shim (pid 100) (parent first)');
    expect(text).toContain('Runtime context\n  Changed by       bash (pid 4100, user root)');
    expect(text).toContain('  Socket           /var/run/docker.sock');
    expect(text).toContain('Container\n  Container        web (c0ffee)\n  Runtime          containerd\n  Image            nginx:1.27\n  Privileged       yes\n  Escalation       not allowed\n  Volumes          docker-sock → /var/run/docker.sock');
  });

  it('a finding without runtime data has none', () => {
    expect(toFindingDetail(normalizeFinding({ ...base, resource: { resourceType: 'Instance' }, service: {} })).runtime).toBeNull();
  });
});
