/** `signet` entry point: parses flags and prints; the work is in @dime/core. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('signet: error: not implemented yet\n');
  return 2;
}
