/** Drives `genrec`'s main() in-process and captures what it prints. */
import { main } from '../src/cli.js';

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function genrec(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}
