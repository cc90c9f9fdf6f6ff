// Child process of bench/logs-local.ts: DuckDB over the same files (for the engine decision).
//   node bench/lib/logs-child.mjs duckdb <dir> <accessKeyId>
// Prints one JSON line: {"events": n, ...}.
const [mode, dir, key] = process.argv.slice(2);
if (mode === 'duckdb') {
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
