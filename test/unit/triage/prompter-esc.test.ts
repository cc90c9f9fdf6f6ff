/**
 * Esc and Ctrl-C in the real inquirer prompts (the InquirerPrompter the console uses), fed through a fake
 * terminal: Esc → PromptCancelledError (back one level), Ctrl-C → InterruptedError, Enter → the answer.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../../src/core/errors.js';
import { InquirerPrompter, PromptCancelledError } from '../../../src/cli/prompter.js';

function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
  const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let screen = '';
  stderr.on('data', (d: Buffer) => (screen += d.toString()));
  const stdout = { write: () => true, isTTY: true };
  return { streams: { stdin, stdout, stderr }, stdin, screen: () => screen };
}

/** Waits until the prompt has drawn itself, then types. */
async function whenShown(t: ReturnType<typeof terminal>, text: string): Promise<void> {
  for (let i = 0; i < 100 && !t.screen().includes(text); i++) await new Promise((r) => setTimeout(r, 10));
}

const choices = [
  { name: 'First', value: 'a' },
  { name: 'Second', value: 'b' },
];

describe('InquirerPrompter keys', () => {
  it('Esc cancels a select (back one level)', async () => {
    const t = terminal();
    const p = new InquirerPrompter(t.streams);
    const answer = p.select({ message: 'Pick one', choices });
    await whenShown(t, 'Pick one');
    t.stdin.write('\u001b');
    await expect(answer).rejects.toBeInstanceOf(PromptCancelledError);
  });

  it('Esc cancels a text input too (the typed confirmation)', async () => {
    const t = terminal();
    const p = new InquirerPrompter(t.streams);
    const answer = p.input({ message: 'Type the key ID' });
    await whenShown(t, 'Type the key ID');
    t.stdin.write('AKIA');
    t.stdin.write('\u001b');
    await expect(answer).rejects.toBeInstanceOf(PromptCancelledError);
  });

  it('arrow keys are not mistaken for Esc', async () => {
    const t = terminal();
    const p = new InquirerPrompter(t.streams);
    const answer = p.select({ message: 'Pick one', choices });
    await whenShown(t, 'Pick one');
    t.stdin.write('\u001b[B');
    t.stdin.write('\r');
    await expect(answer).resolves.toBe('b');
  });

  it('Ctrl-C is an interrupt (which the console also treats as back)', async () => {
    const t = terminal();
    const p = new InquirerPrompter(t.streams);
    const answer = p.search({ message: 'Find', source: () => choices });
    await whenShown(t, 'Find');
    t.stdin.write('\u0003');
    const err = await answer.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(err).not.toBeInstanceOf(PromptCancelledError);
  });

  it('the run being interrupted (SIGINT) ends the prompt as an interrupt, not as Esc', async () => {
    const t = terminal();
    const ac = new AbortController();
    const p = new InquirerPrompter(t.streams, ac.signal);
    const answer = p.confirm({ message: 'Sure?' });
    await whenShown(t, 'Sure?');
    ac.abort(Object.assign(new Error('Interrupted'), { name: 'AbortError' }));
    const err = await answer.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(err).not.toBeInstanceOf(PromptCancelledError);
  });
});
