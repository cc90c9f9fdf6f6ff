/**
 * What the console's screens share: the context, the backend, where suggested commands act, what this
 * session did, and the one place Esc and Ctrl-C are interpreted (`ask`: a prompt left with Esc or Ctrl-C
 * means "back one level"; an interrupt of the whole run (SIGINT) is not caught).
 */
import type { Context } from '../cli/context.js';
import { isPromptExit } from '../cli/prompter.js';
import { GdIrError, InterruptedError } from '../core/errors.js';
import { sanitize } from '../core/sanitize.js';
import type { RunScope } from '../core/suggestion.js';
import type { SessionAction } from '../core/triage.js';
import type { RenderTarget } from '../render/findings.js';
import type { TriageBackend } from './backend.js';

/** What a prompt answers when the analyst leaves it with Esc or Ctrl-C. */
export const BACK = Symbol('back');
export type Back = typeof BACK;

export class ConsoleSession {
  readonly actions: SessionAction[] = [];
  /** Keys this session deactivated: a report read before must not offer it again. */
  readonly deactivated = new Set<string>();
  /** Where suggested commands act: this run's account and its default region (while a member account's finding is open, that account). */
  scope: RunScope = {};
  /** The run's own scope (the list's), whatever finding is open. */
  baseScope: RunScope = {};
  identity?: { account: string; arn: string };

  constructor(
    readonly ctx: Context,
    readonly backend: TriageBackend,
  ) {}

  get io() {
    return this.ctx.io;
  }

  /** Width prompts render in (they are on stderr). */
  promptColumns(): number {
    return this.io.streams.stderr.columns || 80;
  }

  /** The console is on a terminal; its report keeps relative times and colour even if stdout is teed. */
  target(): RenderTarget {
    return { style: this.io.style, columns: this.io.columns ?? this.promptColumns(), stdoutIsTTY: true, scope: this.scope };
  }

  /** The run itself was interrupted (SIGINT): there is no level to go back to. */
  isAbort(err: unknown): boolean {
    return this.ctx.signal.aborted || (err instanceof Error && err.name === 'AbortError');
  }

  /** A prompt left with Esc or Ctrl-C (and not a SIGINT of the run). */
  isBack(err: unknown): boolean {
    return (err instanceof InterruptedError || isPromptExit(err)) && !this.isAbort(err);
  }

  /** Runs a prompt; Esc or Ctrl-C at it gives BACK. */
  async ask<T>(prompt: () => Promise<T>): Promise<T | Back> {
    try {
      return await prompt();
    } catch (err) {
      if (this.isBack(err)) return BACK;
      throw err;
    }
  }

  showError(err: unknown): void {
    const e = this.io.errStyle;
    const message = err instanceof Error ? err.message : String(err);
    this.io.err(`${e.red('error:')} ${sanitize(message)}`);
    if (err instanceof GdIrError && err.remedy) this.io.err(`${e.dim('hint:')} ${sanitize(err.remedy)}`);
  }
}
