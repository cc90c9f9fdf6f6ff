/** The live attacker's script and what its calls came to (src/sandbox/attacker.ts). */
import type { CloudTrailRecord } from './model.js';

export interface AttackerCall {
  eventSource: string;
  eventName: string;
  /** The IAM action that authorises it (`s3:ListAllMyBuckets` for ListBuckets). */
  action: string;
  region: string;
  readOnly: boolean;
  requestParameters?: Record<string, unknown> | null;
  /** The service's AccessDenied code (`AccessDeniedException` for Secrets Manager; default `AccessDenied`). */
  accessDeniedCode?: string;
}

export interface AttackerCredential {
  /** What the credential is, for logs and tests ('compromised key', 'backdoor session'…). */
  label: string;
  accessKeyId: string;
  sourceIPAddress: string;
  userAgent: string;
  calls: readonly AttackerCall[];
}

export interface AttackerScript {
  credentials: readonly AttackerCredential[];
}

/** What one credential's call came to. */
export interface AttackerAttempt {
  label: string;
  accessKeyId: string;
  eventName: string;
  /** 'rejected': the key does not authenticate, nothing was recorded. */
  outcome: 'success' | 'denied' | 'rejected';
  record?: CloudTrailRecord;
}
