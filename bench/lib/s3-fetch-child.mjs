// Child process of bench/logs-s3.ts: the floor of an S3 scan on this machine. The same SDK fetches the
// same objects with the same concurrency and only drains the bodies (no decompression, no matching).
//   node bench/lib/s3-fetch-child.mjs <bucket> <concurrency> < keys (one per line)
// Prints one JSON line: {"objects": n, "firstMs": …, "lastMs": …}.
import { readFileSync } from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

const [bucket, concurrency] = process.argv.slice(2);
const keys = readFileSync(0, 'utf8').split('\n').filter(Boolean);
const client = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL, forcePathStyle: true, region: 'us-west-2' });
let next = 0;
const started = performance.now();
async function worker() {
  while (next < keys.length) {
    const key = keys[next++];
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    for await (const _ of out.Body) void _;
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
process.stdout.write(JSON.stringify({ objects: keys.length, ms: performance.now() - started }) + '\n');
client.destroy();
