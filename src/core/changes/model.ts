/**
 * What the attacker changed: one `Change` per successful write made by the principal or a credential it minted or
 * created, with the resource it touched, the state that resource is in now, and how to undo it. Types only; the
 * modules beside this one decide (classify: which events and what they touched; probes: what to read back and what
 * the reads mean; commands: check and undo commands).
 */
import type { ChangeCategory } from '../data/change-kinds.js';
import type { Suggestion } from '../suggestion.js';

export type { ChangeCategory } from '../data/change-kinds.js';

/** Which credential made the change: the finding's own, a session minted from a followed key, or a key created by one. */
export type ActorKind = 'principal' | 'session' | 'created-key';

export interface ChangeActor {
  accessKeyId?: string;
  kind: ActorKind;
  /** 0: the finding's principal; 1: a key it created; 2: a key created by such a key. Sessions share their key's hop. */
  hop: number;
  /** IAM user the credential belongs to, when known. */
  userName?: string;
}

export interface ChangeResource {
  /** CloudFormation-style type of what changed: AWS::IAM::User, AWS::IAM::AccessKey, AWS::IAM::Role, AWS::IAM::Policy, AWS::CloudTrail::Trail, AWS::Lambda::Function… */
  type: string;
  /** Its name or ID (user name, key ID, trail name, function name…). */
  id: string;
  arn?: string;
}

/** What a read-back says: still as the attacker left it, undone, changed since, or not read. */
export type ChangeStatus = 'present' | 'gone' | 'changed' | 'unknown';

export interface ChangeState {
  status: ChangeStatus;
  /** One sentence: what was read (or why nothing was). */
  detail: string;
  /** Whether gd-ir read the current state (false: other services' artifacts, or a read that failed). */
  read: boolean;
}

/** What exactly changed, for the read-back and for containment (IAM and CloudTrail artifacts). */
export type ChangeTarget =
  | { kind: 'user'; userName: string }
  | { kind: 'role'; roleName: string }
  | { kind: 'accessKey'; userName: string; accessKeyId: string }
  | { kind: 'loginProfile'; userName: string; how: 'created' | 'updated' }
  | { kind: 'mfaDevice'; userName?: string; serialNumber?: string }
  | { kind: 'managedAttachment'; holder: 'user' | 'role' | 'group'; name: string; policyArn: string; detached: boolean }
  | { kind: 'inlinePolicy'; holder: 'user' | 'role' | 'group'; name: string; policyName: string; document?: string; deleted: boolean }
  | { kind: 'roleTrust'; roleName: string; document: string }
  | { kind: 'policyVersion'; policyArn: string; versionId: string; setDefault: boolean }
  | { kind: 'trailLogging'; trail: string; region: string }
  | { kind: 'trailDeleted'; trail: string; region: string }
  | { kind: 'groupMembership'; userName: string; groupName: string }
  /** Anything else: reported from the record only. */
  | { kind: 'recorded' };

export interface Change {
  eventId: string;
  /** ISO-8601 UTC. */
  time: string;
  eventName: string;
  /** The event source without `.amazonaws.com` (`iam`, `cloudtrail`, `lambda`). */
  service: string;
  eventSource: string;
  region: string;
  actor: ChangeActor;
  category: ChangeCategory;
  resource: ChangeResource;
  target: ChangeTarget;
  /** One line: what the call did ("created access key AKIA… for backup-svc"). */
  summary: string;
  state: ChangeState;
  /** The command that reverts the change (absent when none can be built), and whether that can itself be undone. */
  undo: { suggestion?: Suggestion; reversible: boolean; note?: string };
  /** A read-only command to check the state by hand (artifacts gd-ir does not read). */
  check?: Suggestion;
}

/** What one read-back answered (ok), or why it could not (notFound: the user, role, policy or trail does not exist). */
export type ProbeResult = { ok: true; value: unknown } | { ok: false; notFound: boolean; error: string };

/** The sweep's result: every change, newest first, and the credentials that were followed. */
export interface ChangesResult {
  changes: Change[];
  /** Credentials whose events were read (the principal's key, its sessions, created keys and their sessions). */
  followed: Array<{ accessKeyId: string; kind: ActorKind; hop: number; userName?: string; createdAt?: string }>;
  /** Keys created at the last hop: listed as changes, their own activity not read. */
  notFollowed: string[];
  warnings: string[];
  /** The read-backs behind the states, by probe key (containment plans from them: current documents, versions). */
  reads?: ReadonlyMap<string, ProbeResult>;
}
