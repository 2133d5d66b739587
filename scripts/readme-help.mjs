#!/usr/bin/env node
// Regenerates the per-tool flag sections of README.md from the built bins' --help output.
// Each section sits between `<!-- help:ID -->` and `<!-- /help:ID -->`; run after `tsc -b`.
// `--check` exits 1 (and changes nothing) when README.md is not up to date.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const bin = (pkg, name) => join(root, 'packages', pkg, 'bin', `${name}.js`);

/** id → the help screens it shows, as [label, bin file, args]. */
const SECTIONS = {
  signet: [['signet --help', bin('signet', 'signet'), ['--help']]],
  genrec: [['genrec --help', bin('genrec', 'genrec'), ['--help']]],
  dime: [
    ['dime --help', bin('dime', 'dime'), ['--help']],
    ['dime resolve --help', bin('dime', 'dime'), ['resolve', '--help']],
    ['dime record --help', bin('dime', 'dime'), ['record', '--help']],
    ['dime lookup --help', bin('dime', 'dime'), ['lookup', '--help']],
  ],
  dmtpd: [
    ['dmtpd --help', bin('dmtpd', 'dmtpd'), ['--help']],
    ['dmtpd init --help', bin('dmtpd', 'dmtpd'), ['init', '--help']],
    ['dmtpd publish --help', bin('dmtpd', 'dmtpd'), ['publish', '--help']],
    ['dmtpd serve --help', bin('dmtpd', 'dmtpd'), ['serve', '--help']],
  ],
  'dime-lab': [
    ['dime-lab --help', bin('lab', 'dime-lab'), ['--help']],
    ['dime-lab demo --help', bin('lab', 'dime-lab'), ['demo', '--help']],
    ['dime-lab up --help', bin('lab', 'dime-lab'), ['up', '--help']],
  ],
};

function helpOf(label, file, args) {
  // A fixed width, so the text does not depend on the terminal that runs the script.
  const result = spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' }, timeout: 30_000 });
  const text = `${result.stdout}${result.stderr}`.trimEnd();
  if (result.status !== 0 || !/Usage:/.test(text)) {
    console.error(`readme-help: ${label} failed (exit ${result.status}):\n${text}`);
    process.exit(1);
  }
  return `$ ${label}\n${text}`;
}

const readmePath = join(root, 'README.md');
const before = readFileSync(readmePath, 'utf8');
let after = before;
for (const [id, screens] of Object.entries(SECTIONS)) {
  const begin = `<!-- help:${id} -->`;
  const end = `<!-- /help:${id} -->`;
  const start = after.indexOf(begin);
  const stop = after.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) {
    console.error(`readme-help: README.md has no ${begin} … ${end} section`);
    process.exit(1);
  }
  const body = screens.map(([label, file, args]) => helpOf(label, file, args)).join('\n\n');
  after = `${after.slice(0, start + begin.length)}\n\`\`\`text\n${body}\n\`\`\`\n${after.slice(stop)}`;
}
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('readme-help: README.md is out of date; run node scripts/readme-help.mjs');
    process.exit(1);
  }
  console.log('readme-help: README.md is up to date');
} else if (after !== before) {
  writeFileSync(readmePath, after);
  console.log('readme-help: README.md updated');
} else console.log('readme-help: README.md already up to date');
