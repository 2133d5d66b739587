import { describe, expect, it } from 'vitest';
import { binOutputConfiguration, configureBinProgram, packageVersionOf } from '@dime/core/io';

const coreSrcIndex = new URL('../../src/index.ts', import.meta.url);

describe('packageVersionOf', () => {
  it('reads the version of the package one level above the module', () => {
    expect(packageVersionOf(coreSrcIndex)).toBe('0.1.0');
    expect(packageVersionOf(coreSrcIndex.href)).toBe('0.1.0');
  });

  it('is 0.0.0 when there is no package.json there', () => {
    expect(packageVersionOf(new URL('file:///nonexistent-dime/src/cli.js'))).toBe('0.0.0');
  });
});

describe('configureBinProgram', () => {
  // core does not depend on commander; the bins' own tests drive the real program.
  it('sets the version, the help option, exitOverride and the output of a program', () => {
    const calls: unknown[][] = [];
    const program = {
      version: (...args: unknown[]) => (calls.push(['version', ...args]), program),
      helpOption: (...args: unknown[]) => (calls.push(['helpOption', ...args]), program),
      exitOverride: () => (calls.push(['exitOverride']), program),
      configureOutput: (config: unknown) => (calls.push(['configureOutput', typeof config]), program),
    };
    expect(configureBinProgram(program, 'x', coreSrcIndex, { out: () => {}, err: () => {} })).toBe(program);
    expect(calls).toEqual([
      ['version', '0.1.0', '--version', 'print the version'],
      ['helpOption', '-h, --help', 'show this help'],
      ['exitOverride'],
      ['configureOutput', 'object'],
    ]);
  });
});

describe('binOutputConfiguration', () => {
  it('routes stdout and stderr text and prefixes error lines with the bin', () => {
    const seen: string[] = [];
    const config = binOutputConfiguration('genrec', { out: (t) => void seen.push(`out:${t}`), err: (t) => void seen.push(`err:${t}`) });
    config.writeOut('a');
    config.writeErr('b');
    config.outputError('error: c\n', (t) => void seen.push(`write:${t}`));
    expect(seen).toEqual(['out:a', 'err:b', 'write:genrec: error: c\n']);
  });
});
