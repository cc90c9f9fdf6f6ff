// Preloaded with `node --import`: records every module URL the process resolves (ESM and CJS)
// into the file named by GD_IR_TRACE_IMPORTS, so tests can prove what a command did not load.
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';

const out = process.env.GD_IR_TRACE_IMPORTS;
if (out) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => appendFileSync(out, `${url}\n`));
  port1.unref();
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
        let port;
        export function initialize(data) { port = data.port; }
        export async function resolve(specifier, context, next) {
          const r = await next(specifier, context);
          port.postMessage(r.url);
          return r;
        }`),
    import.meta.url,
    { data: { port: port2 }, transferList: [port2] },
  );
  const Module = createRequire(import.meta.url)('node:module');
  const original = Module._resolveFilename;
  Module._resolveFilename = function (...args) {
    const file = original.apply(this, args);
    appendFileSync(out, `${file}\n`);
    return file;
  };
}
