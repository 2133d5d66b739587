/** Drives `signet`'s main() in-process and captures what it prints. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { main, type Prompter } from '../src/index.js';

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

export async function run(args: string[], prompter: Prompter | null = null): Promise<RunResult> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) }, { prompter });
  return { code, out, err };
}

/** A prompter that answers from a list and records the questions. */
export function scriptedPrompter(answers: (string | null)[]): Prompter & { questions: string[] } {
  const questions: string[] = [];
  let i = 0;
  return {
    questions,
    ask: async (question: string) => {
      questions.push(question);
      return i < answers.length ? answers[i++]! : null;
    },
    close: () => undefined,
  };
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-test-'));
  dirs.push(dir);
  return dir;
}
