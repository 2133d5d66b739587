/** Command-line names and types, checked before any packet is sent (bad ones are usage errors). */
import { usageError, isDimeError } from '@dime/core/errors';
import { isKnownTypeName, normalizeName, typeToName } from '@dime/core/dns';

/** An absolute presentation name (`example.test.`), or USAGE naming the argument. */
export function nameArgument(text: string, what = 'name'): string {
  try {
    if (text.trim() !== text || text === '') throw usageError(`${what} ${JSON.stringify(text)}: empty or padded with spaces`);
    const name = normalizeName(text);
    return name.endsWith('.') ? name : `${name}.`;
  } catch (error) {
    if (isDimeError(error) && error.code === 'BAD_INPUT') throw usageError(`${what} ${JSON.stringify(text)}: ${error.message.replace(/^name: /, '')}`);
    throw error;
  }
}

/** A type mnemonic (any case) or TYPEnnn, returned in its canonical spelling. */
export function typeArgument(text: string): string {
  const upper = text.toUpperCase();
  if (!isKnownTypeName(upper)) throw usageError(`type ${JSON.stringify(text)}: not a DNS type mnemonic or TYPEnnn`);
  const name = typeToName(upper);
  if (['OPT', 'ANY', 'AXFR', 'IXFR', 'MAILA', 'MAILB', 'TKEY', 'TSIG'].includes(name)) {
    throw usageError(`type ${name}: a meta type, not an RRset that can be validated`);
  }
  // RFC 4035 §2.2: RRSIGs are not signed themselves, so an RRSIG "RRset" would be bogus by construction.
  if (name === 'RRSIG') throw usageError('type RRSIG: signatures are not signed themselves; look up the type they cover');
  return name;
}

/** `example.test.` → `example.test` (JSON and messages show domains without the root dot). */
export function bareName(name: string): string {
  return name === '.' ? '.' : name.replace(/\.$/, '');
}
