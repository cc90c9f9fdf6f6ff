// Child process of bench/logs-local.ts, run with the built code (npm run build) as a user would run it.
//   node bench/lib/logs-child.mjs scan   <dir> <accessKeyId> <startIso> <endIso> <regions,…>
//   node bench/lib/logs-child.mjs duckdb <dir> <accessKeyId>
// Prints one JSON line: {"events": n, ...}.
const [mode, dir, key, startIso, endIso, regions] = process.argv.slice(2);
if (mode === 'scan') {
  const { collectSourceTrail: collectLogTrail } = await import('../../dist/sources/trail.js');
  const { LocalLogSource } = await import('../../dist/sources/local.js');
  const r = await collectLogTrail(new LocalLogSource([dir]), {
    principal: { accessKeyId: key },
    lookup: { attribute: 'AccessKeyId', value: key },
    window: { start: new Date(startIso), end: new Date(endIso) },
    regions: regions.split(','),
    follow: false,
    maxEvents: 1_000_000,
    filters: { events: [], errorsOnly: false },
    warnings: [],
  });
  process.stdout.write(JSON.stringify({ events: r.events.length, scan: r.source.scan }) + '\n');
} else if (mode === 'duckdb') {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await db.connect();
  const q = await c.prepare(
    `SELECT count(*) AS n FROM (SELECT unnest(Records) AS r FROM read_json('${dir.replace(/'/g, "''")}/**/*.json.gz', columns = {Records: 'STRUCT(userIdentity STRUCT(accessKeyId VARCHAR), eventTime VARCHAR, eventName VARCHAR)[]'}, maximum_object_size = 1073741824)) WHERE r.userIdentity.accessKeyId = $1`,
  );
  q.bindVarchar(1, key);
  const rows = (await q.runAndReadAll()).getRowObjectsJson();
  process.stdout.write(JSON.stringify({ events: Number(rows[0]?.n ?? -1) }) + '\n');
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
