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

/**
 * A prompter on the process's terminal, or null when stdin is not a TTY. Lines are queued as they
 * arrive, so answers typed ahead or pasted in one go go to the questions in order.
 */
export function terminalPrompter(): Prompter | null {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const queue: string[] = [];
  let waiter: ((line: string | null) => void) | null = null;
  let closed = false;
  const deliver = (line: string | null) => {
    const resolve = waiter;
    waiter = null;
    resolve?.(line);
  };
  rl.on('line', (line) => {
    if (waiter) deliver(line);
    else queue.push(line);
  });
  rl.on('close', () => {
    closed = true;
    if (waiter) process.stderr.write('\n'); // end of input at a prompt: end the prompt's line
    deliver(null);
  });
  return {
    ask(question: string): Promise<string | null> {
      if (queue.length > 0) {
        process.stderr.write(`${question} ${queue[0]}\n`);
        return Promise.resolve(queue.shift()!);
      }
      if (closed) return Promise.resolve(null);
      rl.setPrompt(`${question} `);
      rl.prompt();
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    close() {
      rl.close();
    },
  };
}
