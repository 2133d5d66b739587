/**
 * `genrec --check TEXT|-` / `--check-file FILE [--cert PEM…]`: parse and validate a record, and tell
 * whether each certificate is bound by one of its `tls=` (signatures only; dates are the DX client's
 * business). Exit 1 for an invalid record or a certificate that does not match.
 */
import {
  DimeError,
  findCertificateMatch,
  printJson,
  readCertificate,
  readInputFile,
  readRecordFile,
  recordToJson,
  utf8Decode,
  type CertificateMatch,
  type DimeRecord,
  type Output,
  type RecordFile,
} from '@dime/core';
import type { GenrecOptions } from './cli.js';

interface CertResult {
  path: string;
  match: CertificateMatch | null;
}

function recordText(options: GenrecOptions): string {
  if (options.checkFile !== undefined) return utf8Decode(readInputFile(options.checkFile, 'record file'));
  if (options.check === '-') return utf8Decode(readInputFile('-', 'record (stdin)'));
  return options.check!;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? '-' : values.join('\n              ');
}

function describe(read: RecordFile, certs: CertResult[], verbose: number): string {
  const rec: DimeRecord = read.record;
  const lines = ['valid DIME record'];
  if (verbose > 0 && read.owner !== null) lines.push(`  from        ${read.owner} (TTL ${read.ttl})`);
  lines.push(
    `  version     ${rec.version}`,
    `  pok         ${list(rec.pok)}`,
    `  tls         ${list(rec.tls)}`,
    `  policy      ${rec.policy}`,
    `  subdomain   ${rec.subdomain}`,
    `  dx          ${list(rec.dx)}`,
    `  syndicates  ${list(rec.syndicates)}`,
    `  expiry      ${rec.expiry === null ? '-' : `${rec.expiry} days`}`
  );
  if (verbose > 0) {
    for (const field of rec.unknown) lines.push(`  unknown     ${field.name}=${field.value} (ignored)`);
  }
  for (const cert of certs) {
    lines.push(
      cert.match
        ? `certificate ${cert.path}: matches (tls ${cert.match.tlsIndex + 1} by pok ${cert.match.pokIndex + 1})`
        : `certificate ${cert.path}: does not match any tls= of the record`
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runCheck(options: GenrecOptions, output: Output): Promise<number> {
  // Input files first: an unreadable certificate is exit 3 whatever the record says.
  const ders = options.cert.map((path) => ({ path, der: readCertificate(readInputFile(path, 'certificate'), `certificate ${path}`) }));
  const read = readRecordFile(recordText(options));
  const certs: CertResult[] = ders.map(({ path, der }) => ({ path, match: findCertificateMatch(read.record, der) }));
  const certMatch = certs.length === 0 ? null : certs.every((c) => c.match !== null);

  if (options.verbose > 0 && !options.json) {
    for (const field of read.record.unknown) output.err(`genrec: note: unknown field ${field.name}= ignored\n`);
  }
  const result: Record<string, unknown> = { ...recordToJson(read.record), certMatch };
  if (options.verbose > 0) result['unknown'] = read.record.unknown;

  if (certMatch === false) {
    const failed = certs.filter((c) => c.match === null).map((c) => c.path);
    const error = new DimeError('CERT_UNTRUSTED', `certificate ${failed.join(', ')} does not match any tls= of the record`);
    if (options.json) {
      printJson({ ...result, error: { code: error.code, message: error.message } }, output);
    } else {
      output.out(describe(read, certs, options.verbose));
    }
    output.err(`genrec: error: ${error.message}\n`);
    return error.exitCode;
  }
  if (options.json) printJson(result, output);
  else output.out(describe(read, certs, options.verbose));
  return 0;
}
