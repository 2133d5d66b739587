/** `genrec -k KEYS [-c CERT…] …`: make the record and print it (one line, a zone line, or JSON). */
import {
  DimeError,
  formatDimeRecord,
  formatZoneLine,
  MAX_RECORD_LENGTH,
  newRecord,
  printJson,
  readCertificate,
  readInputFile,
  readSigningKey,
  recordToJson,
  signCertificate,
  splitCharacterStrings,
  usageError,
  type Output,
  type RecordPolicy,
  type SigningKey,
  type SubdomainMode,
} from '@dime/core';
import type { GenrecOptions } from './cli.js';

/** The flag each record field comes from, to turn a field error into a usage error. */
const FLAG_OF_FIELD: Record<string, string> = {
  pol: '-p/--policy',
  sub: '-s/--subdomain',
  syn: '-y/--syndicate',
  dx: '-d/--dx',
  exp: '-e/--expiry',
};

/** A RECORD_INVALID caused by a flag value becomes USAGE (exit 2) naming the flag. */
function asFlagError(error: unknown): unknown {
  if (!(error instanceof DimeError) || error.code !== 'RECORD_INVALID') return error;
  const field = error.details?.['field'];
  const flag = typeof field === 'string' ? FLAG_OF_FIELD[field] : undefined;
  if (!flag) return error;
  return new DimeError('USAGE', `${flag}: ${error.message.replace(/^[a-z]+: /, '')}`, { cause: error });
}

function parseTtl(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,10}$/.test(text) || Number(text) > 2_147_483_647) {
    throw usageError(`--ttl: "${text}" is not a TTL (0 to 2147483647 seconds)`);
  }
  return Number(text);
}

/** `-e`: the text must be a plain positive decimal; the record rules then bound its value. */
function parseExpiry(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^[1-9][0-9]*$/.test(text)) throw usageError(`-e/--expiry: "${text}", expected a positive whole number of days`);
  return Number(text);
}

export async function runGenerate(options: GenrecOptions, output: Output): Promise<number> {
  if (options.key.length === 0) {
    throw usageError('-k/--key is required: the org keys file whose POK the record publishes (or use --check)');
  }
  if (options.ttl !== undefined && options.zone === undefined) throw usageError('--ttl needs --zone');
  const ttl = parseTtl(options.ttl);
  const expiry = parseExpiry(options.expiry);

  const keys: SigningKey[] = options.key.map((path) => readSigningKey(readInputFile(path, 'key file'), `key file ${path}`));
  const seen = new Map<string, string>();
  for (const [i, key] of keys.entries()) {
    const first = seen.get(key.pok);
    if (first !== undefined) throw usageError(`-k/--key: ${options.key[i]} holds the same POK as ${first}`);
    seen.set(key.pok, options.key[i]!);
    if (options.verbose > 0) output.err(`genrec: key ${options.key[i]}: ${key.source}, pok=${key.pok}\n`);
  }
  const certs = options.cert.map((path) => readCertificate(readInputFile(path, 'certificate'), `certificate ${path}`));

  const record = newRecord({
    pok: keys.map((k) => k.pok),
    tls: certs.map((der) => signCertificate(keys[0]!.seed, der)),
    policy: (options.policy ?? 'experimental') as RecordPolicy,
    subdomain: (options.subdomain ?? 'strict') as SubdomainMode,
    dx: options.dx,
    syndicates: options.syndicate,
    expiry,
  });
  let text: string;
  try {
    text = formatDimeRecord(record);
  } catch (error) {
    throw asFlagError(error);
  }
  // One TXT RR holds at most 65535 bytes of RDATA: the strings plus one length byte each.
  const strings = splitCharacterStrings(text);
  const rdataLength = strings.reduce((sum, part) => sum + Buffer.byteLength(part) + 1, 0);
  if (rdataLength > MAX_RECORD_LENGTH) {
    throw usageError(`record: ${rdataLength} bytes of TXT data, more than one TXT record holds (${MAX_RECORD_LENGTH}); give fewer -k/-c/-y/-d values`);
  }
  let zone: string | null = null;
  if (options.zone !== undefined) {
    try {
      zone = formatZoneLine(options.zone, record, ttl);
    } catch (error) {
      if (error instanceof DimeError && error.code === 'USAGE') throw usageError(`--zone: ${error.message.replace(/^domain: /, '')}`);
      throw error;
    }
  }
  // formatDimeRecord normalised the enumerations' case; report what was printed.
  const printed = { ...record, policy: record.policy.toLowerCase() as RecordPolicy, subdomain: record.subdomain.toLowerCase() as SubdomainMode };

  if (options.json) {
    printJson({ text, strings, zone, ...recordToJson(printed) }, output);
  } else {
    output.out(`${zone ?? text}\n`);
  }
  return 0;
}
