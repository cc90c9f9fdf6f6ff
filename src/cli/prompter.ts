/**
 * The prompter seam: every question gd-ir asks goes through this interface, so tests drive prompts
 * without a terminal and the non-interactive path is explicit. The default implementation wraps
 * @inquirer/prompts (imported lazily), renders on stderr, and turns Ctrl-C into InterruptedError.
 */
import { InterruptedError } from './errors.js';
import type { Streams } from './io.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  disabled?: boolean | string;
}

export interface Prompter {
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
  input(options: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string>;
  select<T>(options: { message: string; choices: ReadonlyArray<Choice<T>>; default?: T; pageSize?: number }): Promise<T>;
  /** A filterable list: `source(term)` returns the choices matching what the user typed. */
  search<T>(options: { message: string; source: (term: string | undefined) => ReadonlyArray<Choice<T>>; pageSize?: number }): Promise<T>;
}

/** Raised (as InterruptedError subclass) when the user presses Esc to go back one level. */
export class PromptCancelledError extends InterruptedError {
  constructor() {
    super('Cancelled.');
  }
}

export function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

export class InquirerPrompter implements Prompter {
  constructor(
    private readonly streams: Streams,
    private readonly signal?: AbortSignal,
  ) {}

  private context() {
    return {
      input: this.streams.stdin,
      output: this.streams.stderr as NodeJS.WritableStream,
      clearPromptOnDone: false,
      signal: this.signal,
    };
  }

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isPromptExit(err)) throw new InterruptedError();
      throw err;
    }
  }

  async confirm(options: { message: string; default?: boolean }): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return this.run(() => confirm({ message: options.message, default: options.default ?? false }, this.context()));
  }

  async input(options: { message: string; default?: string; validate?: (value: string) => boolean | string }): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return this.run(() => input({ message: options.message, default: options.default, validate: options.validate }, this.context()));
  }

  async select<T>(options: { message: string; choices: ReadonlyArray<Choice<T>>; default?: T; pageSize?: number }): Promise<T> {
    const { select } = await import('@inquirer/prompts');
    return this.run(() =>
      select<T>(
        { message: options.message, choices: options.choices.map((c) => ({ ...c })), default: options.default, pageSize: options.pageSize ?? 12 },
        this.context(),
      ),
    );
  }

  async search<T>(options: { message: string; source: (term: string | undefined) => ReadonlyArray<Choice<T>>; pageSize?: number }): Promise<T> {
    const { search } = await import('@inquirer/prompts');
    return this.run(() =>
      search<T>(
        { message: options.message, source: (term) => options.source(term).map((c) => ({ ...c })), pageSize: options.pageSize ?? 15 },
        this.context(),
      ),
    );
  }
}
