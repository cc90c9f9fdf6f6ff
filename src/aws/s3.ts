/**
 * S3 gateway for trail log buckets: list a prefix (pages, common prefixes), fetch an object as a
 * stream. Errors become typed gd-ir errors; an AccessDenied says what the log source needs, including
 * kms:Decrypt for trails encrypted with SSE-KMS (S3 decrypts with the caller's KMS permissions).
 */
import type { AwsClients } from './clients.js';
import { PermissionError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import { awsErrorCode, isAccessDenied, toGdIrError } from './errors.js';

export interface S3ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  lastModified?: Date;
}

export interface S3ListPage {
  objects: S3ObjectInfo[];
  prefixes: string[];
  nextToken?: string;
}

interface Deps {
  aws: Pick<AwsClients, 's3'>;
  signal: AbortSignal;
}

/** "…not authorized to perform: kms:Decrypt…" or S3's "The ciphertext refers to a customer master key…". */
export function isKmsDenied(err: unknown): boolean {
  const message = (err as { message?: string } | undefined)?.message ?? '';
  return /kms:Decrypt|ciphertext refers to a customer master key|\bKMS\b/i.test(message);
}

/** An S3 error as a gd-ir error naming what the log source needs. */
export function s3Error(err: unknown, action: 's3:ListBucket' | 's3:GetObject', bucket: string, key?: string): Error {
  if ((err as { name?: string } | undefined)?.name === 'AbortError') return err as Error;
  const where = `s3://${sanitize(bucket, { maxLength: 80 })}${key !== undefined ? `/${sanitize(key, { maxLength: 160 })}` : ''}`;
  if (isAccessDenied(err)) {
    const message = sanitize((err as { message?: string }).message ?? awsErrorCode(err), { maxLength: 300 });
    if (isKmsDenied(err)) {
      return new PermissionError(`access denied decrypting ${where}: the trail's log files are encrypted with SSE-KMS and S3 needs kms:Decrypt on the trail's key for you (${message})`, 'kms:Decrypt', {
        remedy: "grant kms:Decrypt on the trail's KMS key (the trail's KmsKeyId) to the log source's identity, or read with --logs-profile of a role that has it",
        cause: err,
      });
    }
    return new PermissionError(`access denied for ${action} on ${where}: ${message}`, action, {
      remedy: `grant ${action === 's3:ListBucket' ? `s3:ListBucket on arn:aws:s3:::${bucket}` : `s3:GetObject on arn:aws:s3:::${bucket}/*`} to the log source's identity (--logs-profile for the log-archive account); for a trail encrypted with SSE-KMS, kms:Decrypt on its key too`,
      cause: err,
    });
  }
  return toGdIrError(err, { action });
}

export async function listObjectsPage(d: Deps, bucket: string, prefix: string, opts: { delimiter?: string; token?: string } = {}): Promise<S3ListPage> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const client = await d.aws.s3();
  try {
    const out = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(opts.delimiter ? { Delimiter: opts.delimiter } : {}), ...(opts.token ? { ContinuationToken: opts.token } : {}) }),
      { abortSignal: d.signal },
    );
    return {
      objects: (out.Contents ?? []).filter((o) => typeof o.Key === 'string').map((o) => ({
        key: o.Key as string,
        size: o.Size ?? 0,
        ...(o.ETag ? { etag: o.ETag } : {}),
        ...(o.LastModified ? { lastModified: o.LastModified } : {}),
      })),
      prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix).filter((p): p is string => typeof p === 'string'),
      ...(out.IsTruncated && out.NextContinuationToken ? { nextToken: out.NextContinuationToken } : {}),
    };
  } catch (err) {
    throw s3Error(err, 's3:ListBucket', bucket);
  }
}

/** Every object and common prefix under `prefix` (all pages). */
export async function listAll(d: Deps, bucket: string, prefix: string, delimiter?: string): Promise<{ objects: S3ObjectInfo[]; prefixes: string[] }> {
  const objects: S3ObjectInfo[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await listObjectsPage(d, bucket, prefix, { ...(delimiter ? { delimiter } : {}), ...(token ? { token } : {}) });
    objects.push(...page.objects);
    prefixes.push(...page.prefixes);
    token = page.nextToken;
  } while (token);
  return { objects, prefixes };
}

export class ObjectGoneError extends Error {}

/** An object's body as a stream of chunks. `ifMatch`: the ETag listed (a changed object is not read as the listed one). */
export async function getObjectStream(d: Deps, bucket: string, key: string, ifMatch?: string): Promise<AsyncIterable<Uint8Array>> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const client = await d.aws.s3();
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(ifMatch ? { IfMatch: ifMatch } : {}) }), { abortSignal: d.signal });
    const body = out.Body as unknown as AsyncIterable<Uint8Array> | undefined;
    if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') return (async function* () {})();
    return body;
  } catch (err) {
    const code = awsErrorCode(err);
    if (code === 'NoSuchKey' || code === 'PreconditionFailed') throw new ObjectGoneError(code === 'NoSuchKey' ? 'deleted since it was listed' : 'changed since it was listed');
    throw s3Error(err, 's3:GetObject', bucket, key);
  }
}
