/**
 * The IO module: the only place that writes to the process's streams.
 * stdout carries data only; progress, warnings, hints and prompts go to stderr.
 * Colour is decided once here (NO_COLOR, FORCE_COLOR, --no-color, TTY) and spinners exist only on a
 * TTY stderr outside --json.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { sanitize } from '../core/sanitize.js';

export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
  on?(event: 'error', listener: (err: Error) => void): unknown;
}
export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface Streams {
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
}

export interface IOOptions {
  env: Record<string, string | undefined>;
  /** false when --no-color was given. */
  colorFlag: boolean;
  json: boolean;
}

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

const NULL_SPINNER: Spinner = { update() {}, succeed() {}, fail() {}, stop() {} };

/** chalk level from the environment and the stream: 0 none, 1 basic, 2 256, 3 truecolor. */
export function decideColorLevel(env: Record<string, string | undefined>, colorFlag: boolean, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (!colorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  const colorterm = env.COLORTERM ?? '';
  if (colorterm === 'truecolor' || colorterm === '24bit') return 3;
  if ((env.TERM ?? '').includes('256')) return 2;
  return 1;
}

export class IO {
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  /** Styles for text written to stdout. */
  readonly style: ChalkInstance;
  /** Styles for text written to stderr. */
  readonly errStyle: ChalkInstance;
  readonly json: boolean;
  private progressActive = false;
  /** Set once a spinner ran (spinners hide the cursor; cleanup must show it again). */
  private cursorTouched = false;
  private readonly activeSpinners = new Set<Spinner>();

  constructor(
    readonly streams: Streams,
    options: IOOptions,
  ) {
    this.stdoutIsTTY = streams.stdout.isTTY === true;
    this.stderrIsTTY = streams.stderr.isTTY === true;
    this.stdinIsTTY = streams.stdin.isTTY === true;
    this.json = options.json;
    this.style = new Chalk({ level: decideColorLevel(options.env, options.colorFlag, this.stdoutIsTTY) });
    this.errStyle = new Chalk({ level: decideColorLevel(options.env, options.colorFlag, this.stderrIsTTY) });
  }

  get color(): boolean {
    return this.style.level > 0;
  }

  /** Terminal width of stdout, or undefined when piped (renderers then do not truncate). */
  get columns(): number | undefined {
    return this.stdoutIsTTY ? this.streams.stdout.columns || 80 : undefined;
  }

  /** Terminal width of stderr (where plans, prompts and progress go), or undefined when it is not a terminal. */
  get errColumns(): number | undefined {
    return this.stderrIsTTY ? this.streams.stderr.columns || 80 : undefined;
  }

  /** Write data to stdout, adding a final newline if missing. */
  out(text: string): void {
    this.clearProgress();
    this.streams.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** Raw stdout write (commander help/version). */
  writeOut(text: string): void {
    this.streams.stdout.write(text);
  }

  /** Raw stderr write. */
  writeErr(text: string): void {
    this.clearProgress();
    this.streams.stderr.write(text);
  }

  /** A line on stderr. */
  err(text: string): void {
    this.writeErr(text.endsWith('\n') ? text : text + '\n');
  }

  /** A data value as JSON on stdout (the --json contract). */
  printJson(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /** One JSON value per line on stdout (streaming output). */
  jsonLine(value: unknown): void {
    this.streams.stdout.write(JSON.stringify(value) + '\n');
  }

  warn(message: string): void {
    if (this.json) {
      this.err(JSON.stringify({ warning: message }));
      return;
    }
    this.err(`${this.errStyle.yellow('warning:')} ${sanitize(message)}`);
  }

  info(message: string): void {
    if (this.json) return;
    this.err(message);
  }

  /** A suggestion of what to run next; human mode only. */
  hint(message: string): void {
    if (this.json) return;
    this.err(this.errStyle.dim(message));
  }

  /** A transient one-line progress indicator on a TTY stderr (nothing otherwise). */
  progress(text: string): void {
    if (!this.stderrIsTTY || this.json) return;
    const width = (this.streams.stderr.columns || 80) - 1;
    const line = sanitize(text, { maxLength: width });
    this.streams.stderr.write(`\r\u001b[2K${this.errStyle.dim(line)}`);
    this.progressActive = true;
  }

  clearProgress(): void {
    if (!this.progressActive) return;
    this.progressActive = false;
    this.streams.stderr.write('\r\u001b[2K');
  }

  /** A spinner on a TTY stderr; a no-op object in --json mode or when stderr is not a terminal. */
  async spinner(text: string): Promise<Spinner> {
    // A pseudo-terminal that reports no width (e.g. `script` without stty) makes ora redraw forever.
    if (!this.stderrIsTTY || this.json || !((this.streams.stderr.columns ?? 0) > 0)) return NULL_SPINNER;
    const { default: ora } = await import('ora');
    this.cursorTouched = true;
    const instance = ora({ text, stream: this.streams.stderr as NodeJS.WritableStream, color: 'cyan', isEnabled: true }).start();
    const handle: Spinner = {
      update: (t) => {
        instance.text = t;
      },
      succeed: (t) => {
        this.activeSpinners.delete(handle);
        instance.succeed(t);
      },
      fail: (t) => {
        this.activeSpinners.delete(handle);
        instance.fail(t);
      },
      stop: () => {
        this.activeSpinners.delete(handle);
        instance.stop();
      },
    };
    this.activeSpinners.add(handle);
    return handle;
  }

  /** Leave the terminal clean (spinners stopped, progress line cleared, cursor visible). */
  cleanup(): void {
    for (const s of [...this.activeSpinners]) s.stop();
    this.clearProgress();
    if (this.stderrIsTTY && this.cursorTouched) this.streams.stderr.write('\u001b[?25h');
  }
}
