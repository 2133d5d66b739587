/**
 * Interactive answers (profile §6: prompts go to stderr and read stdin only when stdin is a TTY).
 * A prompter is injected so tests can answer; the default one exists only on a terminal.
 */
import { createInterface } from 'node:readline';

export interface Prompter {
  /** The answer without its line ending, or null at end of input. */
  ask(question: string): Promise<string | null>;
  close(): void;
}

/** A prompter on the process's terminal, or null when stdin is not a TTY. */
export function terminalPrompter(): Prompter | null {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  return {
    ask(question: string): Promise<string | null> {
      if (closed) return Promise.resolve(null);
      return new Promise((resolve) => {
        const onClose = () => resolve(null);
        rl.once('close', onClose);
        rl.question(`${question} `, (answer) => {
          rl.off('close', onClose);
          resolve(answer);
        });
      });
    },
    close() {
      rl.close();
    },
  };
}
