/**
 * The prompter seam: every question gd-ir asks goes through this interface, so tests drive prompts
 * without a terminal and the non-interactive path is explicit. The default implementation wraps
 * @inquirer/prompts (imported lazily), renders on stderr, and turns Ctrl-C into InterruptedError.
 */
import { InterruptedError } from '../core/errors.js';
import type { Streams } from './io.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  disabled?: boolean | string;
  /** What the answered prompt shows instead of `name` (a long list row answers with a short label). */
  short?: string;
}

export interface Prompter {
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
  input(options: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string>;
  select<T>(options: { message: string; choices: ReadonlyArray<Choice<T>>; default?: T; pageSize?: number }): Promise<T>;
  /** A filterable list: `source(term)` returns the choices matching what the user typed. */
  search<T>(options: { message: string; source: (term: string | undefined) => ReadonlyArray<Choice<T>>; pageSize?: number }): Promise<T>;
  /** Several choices at once (space toggles, Enter accepts); `checked` choices start selected. */
  checkbox<T>(options: { message: string; choices: ReadonlyArray<Choice<T> & { checked?: boolean }>; pageSize?: number }): Promise<T[]>;
}

/** Raised (as InterruptedError subclass) when the user presses Esc to go back one level. */
export class PromptCancelledError extends InterruptedError {
  constructor() {
    super('Cancelled.');
  }
}

const ESCAPE = Symbol('escape');

export function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

export class InquirerPrompter implements Prompter {
  constructor(
    private readonly streams: Streams,
    private readonly signal?: AbortSignal,
  ) {}

  private context(signal: AbortSignal) {
    return {
      input: this.streams.stdin,
      output: this.streams.stderr as NodeJS.WritableStream,
      clearPromptOnDone: false,
      signal,
    };
  }

  /**
   * Runs one prompt with its own abort signal, so Esc can end it: inquirer has no Esc binding, but the
   * readline it creates emits 'keypress' events on stdin (a lone ESC arrives after readline's escape-code
   * timeout, so arrow keys are not mistaken for it). Esc → PromptCancelledError (back one level);
   * Ctrl-C → InterruptedError; the run's own signal (SIGINT) still ends the prompt as an interrupt.
   */
  private async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const esc = new AbortController();
    const onKey = (_s: unknown, key: { name?: string; ctrl?: boolean; meta?: boolean } | undefined): void => {
      if (key?.name === 'escape' && !key.ctrl) esc.abort(ESCAPE);
    };
    const input = this.streams.stdin;
    input.on('keypress', onKey);
    const signal = this.signal ? AbortSignal.any([this.signal, esc.signal]) : esc.signal;
    try {
      return await fn(signal);
    } catch (err) {
      if (esc.signal.aborted && !this.signal?.aborted) throw new PromptCancelledError();
      if (isPromptExit(err)) throw new InterruptedError();
      throw err;
    } finally {
      input.removeListener('keypress', onKey);
    }
  }

  async confirm(options: { message: string; default?: boolean }): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return this.run((signal) => confirm({ message: options.message, default: options.default ?? false }, this.context(signal)));
  }

  async input(options: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return this.run((signal) => input({ message: options.message, default: options.default, validate: options.validate }, this.context(signal)));
  }

  async select<T>(options: { message: string; choices: ReadonlyArray<Choice<T>>; default?: T; pageSize?: number }): Promise<T> {
    const { select } = await import('@inquirer/prompts');
    return this.run((signal) =>
      select<T>(
        { message: options.message, choices: options.choices.map((c) => ({ ...c })), default: options.default, pageSize: options.pageSize ?? 12 },
        this.context(signal),
      ),
    );
  }

  async checkbox<T>(options: { message: string; choices: ReadonlyArray<Choice<T> & { checked?: boolean }>; pageSize?: number }): Promise<T[]> {
    const { checkbox } = await import('@inquirer/prompts');
    return this.run((signal) =>
      checkbox<T>({ message: options.message, choices: options.choices.map((c) => ({ ...c })), pageSize: options.pageSize ?? 15 }, this.context(signal)),
    );
  }

  async search<T>(options: { message: string; source: (term: string | undefined) => ReadonlyArray<Choice<T>>; pageSize?: number }): Promise<T> {
    const { search } = await import('@inquirer/prompts');
    return this.run((signal) =>
      search<T>(
        { message: options.message, source: (term) => options.source(term).map((c) => ({ ...c })), pageSize: options.pageSize ?? 15 },
        this.context(signal),
      ),
    );
  }
}
