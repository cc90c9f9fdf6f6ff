/**
 * The process entry point: the only module that touches `process` globals. It silences the AWS SDK's
 * Node-version notice (other warnings still print), makes `gd-ir … | head` end quietly, turns SIGINT
 * into an abort (exit 130), runs the CLI and sets the exit code.
 */
import { HELP_STORE_DIR, storedTopHelp } from './help-store.js';
import { installWarningFilter } from './warnings.js';

installWarningFilter(process);

// `gd-ir --version` answers before the CLI (commander, chalk, the command table) is even loaded: a
// version probe in a script or a shell prompt should cost what `node` itself costs (bench/startup.ts).
// `gd-ir --help` does too, from the help the build rendered with the real program for this stdout
// (src/cli/help-store.ts); when the store does not hold this case, the full CLI prints it.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  quietWhenReaderLeaves();
  const { gdIrVersion } = await import('./version.js');
  process.stdout.write(`${gdIrVersion()}\n`);
} else {
  const help = storedTopHelp(argv, process.stdout, new URL(HELP_STORE_DIR, import.meta.url));
  if (help !== undefined) {
    quietWhenReaderLeaves();
    process.stdout.write(help);
  } else {
    await main(argv);
  }
}

/** The reader went away (`gd-ir … | head -1`): stop quietly, like any well-behaved Unix tool. */
function quietWhenReaderLeaves(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
}

async function main(args: string[]): Promise<void> {
  const { runCli } = await import('./run.js');
  const controller = new AbortController();
  // Every in-flight AWS request listens on this one signal: `--regions all` runs more than Node's default
  // of 10 at once (bounded by the commands' own concurrency limits), which printed a MaxListenersExceededWarning.
  (await import('node:events')).EventEmitter.setMaxListeners(0, controller.signal);
  let interrupted = false;

  quietWhenReaderLeaves();

  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort(Object.assign(new Error('Interrupted'), { name: 'AbortError' }));
    // Whatever is still running gets a second to stop cleanly; then leave, terminal restored.
    setTimeout(() => {
      process.stderr.write('\u001b[?25h');
      process.exit(130);
    }, 1000).unref();
  });

  const code = await runCli(args, {
    streams: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
  // Normally the process ends by itself here; if a stray handle keeps it alive, do not hang the shell.
  setTimeout(() => process.exit(process.exitCode ?? code), 3000).unref();
}
