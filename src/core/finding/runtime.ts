/**
 * What GuardDuty Runtime Monitoring saw on the host or in the container: `service.runtimeDetails` (the process, its
 * lineage, and the context of the finding type: the socket, file, module or tool involved) and
 * `resource.containerDetails`. Member names from botocore's guardduty model (RuntimeDetails, ProcessDetails,
 * LineageObject, RuntimeContext, Container). Timestamps arrive as epoch seconds on the wire and ISO text from the
 * SDK; both become ISO 8601 UTC here.
 */
import { parseCloudTrailTime } from '../trail/time.js';
import type { FindingRuntime, JsonObject, RuntimeContainer, RuntimeProcess } from './model.js';
import { isObject, num, obj, str } from './read.js';

/** A GuardDuty timestamp: epoch seconds (wire) or ISO text (SDK, exports) → ISO 8601 UTC. */
export function guardDutyTime(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(Math.round(value * 1000)).toISOString().replace(/\.000Z$/, 'Z');
  const ms = parseCloudTrailTime(value);
  return ms === undefined ? null : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

function processOf(p: JsonObject): RuntimeProcess {
  return {
    name: str(p.name),
    executablePath: str(p.executablePath),
    executableSha256: str(p.executableSha256),
    pid: num(p.pid),
    namespacePid: num(p.namespacePid),
    user: str(p.user),
    userId: num(p.userId),
    euid: num(p.euid),
    pwd: str(p.pwd),
    startTime: guardDutyTime(p.startTime),
    uuid: str(p.uuid),
    parentUuid: str(p.parentUuid),
  };
}

/** `name (pid 2451, user root)` for the modifying and target processes of a context. */
function processText(p: unknown): string | null {
  if (!isObject(p)) return null;
  const name = str(p.name) ?? str(p.executablePath);
  const extra = [num(p.pid) !== null ? `pid ${num(p.pid)}` : null, str(p.user) ? `user ${str(p.user)}` : null].filter(Boolean);
  const text = [name, extra.length > 0 ? `(${extra.join(', ')})` : null].filter(Boolean).join(' ');
  return text === '' ? null : text;
}

/** RuntimeContext members in the model's order, with the label an analyst reads. */
const CONTEXT_MEMBERS: ReadonlyArray<[member: string, label: string, kind: 'text' | 'time' | 'list' | 'process']> = [
  ['modifyingProcess', 'Changed by', 'process'],
  ['modifiedAt', 'Modified at', 'time'],
  ['scriptPath', 'Script', 'text'],
  ['libraryPath', 'Library', 'text'],
  ['ldPreloadValue', 'LD_PRELOAD', 'text'],
  ['socketPath', 'Socket', 'text'],
  ['runcBinaryPath', 'runc binary', 'text'],
  ['releaseAgentPath', 'Release agent', 'text'],
  ['mountSource', 'Mount source', 'text'],
  ['mountTarget', 'Mount target', 'text'],
  ['fileSystemType', 'File system', 'text'],
  ['flags', 'Flags', 'list'],
  ['moduleName', 'Kernel module', 'text'],
  ['moduleFilePath', 'Module file', 'text'],
  ['moduleSha256', 'Module SHA-256', 'text'],
  ['shellHistoryFilePath', 'Shell history', 'text'],
  ['targetProcess', 'Target process', 'process'],
  ['addressFamily', 'Address family', 'text'],
  ['ianaProtocolNumber', 'IANA protocol', 'text'],
  ['memoryRegions', 'Memory regions', 'list'],
  ['toolName', 'Tool', 'text'],
  ['toolCategory', 'Tool category', 'text'],
  ['serviceName', 'Service', 'text'],
  ['commandLineExample', 'Command line', 'text'],
  ['threatFilePath', 'Threat file', 'text'],
];

function contextOf(c: JsonObject): FindingRuntime['context'] {
  const out: FindingRuntime['context'] = [];
  for (const [member, label, kind] of CONTEXT_MEMBERS) {
    const raw = c[member];
    let value: string | null = null;
    if (kind === 'process') value = processText(raw);
    else if (kind === 'time') value = guardDutyTime(raw);
    else if (kind === 'list') value = Array.isArray(raw) ? raw.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ') || null : null;
    else value = typeof raw === 'number' ? String(raw) : str(raw);
    if (value !== null && value !== '') out.push({ member, label, value });
  }
  return out;
}

function containerOf(c: JsonObject): RuntimeContainer {
  const security = obj(c.securityContext);
  return {
    runtime: str(c.containerRuntime),
    id: str(c.id),
    name: str(c.name),
    image: str(c.image),
    imagePrefix: str(c.imagePrefix),
    privileged: bool(security.privileged),
    allowPrivilegeEscalation: bool(security.allowPrivilegeEscalation),
    volumeMounts: (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).filter(isObject).map((m) => ({ name: str(m.name), mountPath: str(m.mountPath) })),
  };
}

/** The runtime view of a finding, or null when it carries neither runtimeDetails nor containerDetails. */
export function findingRuntime(service: JsonObject, resource: JsonObject): FindingRuntime | null {
  const details = service.runtimeDetails;
  const container = resource.containerDetails;
  if (!isObject(details) && !isObject(container)) return null;
  const d = obj(details);
  const p = d.process;
  const lineage = isObject(p) && Array.isArray(p.lineage) ? p.lineage.filter(isObject) : [];
  return {
    process: isObject(p) ? processOf(p) : null,
    // Some published samples name ancestors `ancestorName` / `ancestorPid` (elastic-runtime-privesc-dockersocketaccessed.json).
    lineage: lineage.map((a) => ({
      name: str(a.name) ?? str(a.ancestorName),
      pid: num(a.pid) ?? num(a.ancestorPid),
      executablePath: str(a.executablePath),
      userId: num(a.userId),
      startTime: guardDutyTime(a.startTime),
    })),
    context: isObject(d.context) ? contextOf(d.context) : [],
    container: isObject(container) ? containerOf(container) : null,
  };
}
