/** What every command receives: the parsed flags, where to print, and how to ask questions. */
import type { Output, SignetDialect } from '@dime/core';
import type { Prompter } from './prompt.js';

export interface SignetFlags {
  generate?: string;
  sign?: string;
  dump?: string;
  verify?: string;
  fingerprint?: string;
  examine?: string;
  pokOf?: string;
  keys?: string;
  output?: string;
  ssr?: string;
  custody?: string;
  org?: string;
  pok?: string[];
  record?: string;
  previous?: string;
  kind?: string;
  lenient?: boolean;
  name?: string;
  address?: string;
  province?: string;
  country?: string;
  postalCode?: string;
  phone?: string;
  dialect?: SignetDialect;
  force?: boolean;
  json?: boolean;
  verbose: number;
  debug?: boolean;
}

export interface CommandContext {
  readonly flags: SignetFlags;
  readonly output: Output;
  /** Null when stdin is not a terminal: answers then come from flags only. */
  readonly prompter: Prompter | null;
  /** A `--verbose` line on stderr. */
  note(level: number, text: string): void;
}
