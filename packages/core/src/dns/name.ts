/**
 * Domain names. Public APIs carry names as absolute presentation strings (`www.example.com.`, the
 * root is `.`), with RFC 1035 §5.1 escapes (`\.`, `\\`, `\DDD`) so that any label octet survives a
 * round trip. Internally a name is its list of labels (Uint8Array each, root label omitted).
 *
 * The wire decoder is ours, not dns-packet's: dns-packet turns a label containing a `.` byte into
 * two labels, which changes the bytes that DNSSEC signatures cover.
 */
import { badInput } from '../errors/dime-error.js';
import { compareBytes } from '../bytes/encoding.js';

export type Labels = Uint8Array[];

export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_WIRE_LENGTH = 255;
/** A name has at most 127 labels; more compression hops than that means a pointer loop. */
const MAX_POINTER_HOPS = 128;

function checkLabels(labels: Labels, what: string): Labels {
  let wire = 1;
  for (const label of labels) {
    if (label.length === 0) throw badInput(`${what}: empty label`);
    if (label.length > MAX_LABEL_LENGTH) throw badInput(`${what}: label of ${label.length} bytes (max 63)`);
    wire += label.length + 1;
  }
  if (wire > MAX_NAME_WIRE_LENGTH) throw badInput(`${what}: name of ${wire} bytes (max 255)`);
  return labels;
}

/**
 * Splits presentation text into labels. A trailing unescaped dot makes the name absolute; a
 * relative name is appended to `origin` (itself absolute), or taken as absolute without one.
 * `@` alone is the origin.
 */
export function parseNameLabels(text: string, origin?: string, what = 'name'): Labels {
  if (text === '@') {
    if (origin === undefined) throw badInput(`${what}: '@' without an origin`);
    return nameToLabels(origin);
  }
  if (text === '.') return [];
  if (text.length === 0) throw badInput(`${what}: empty name`);
  const labels: Labels = [];
  // Fast path for the common case, a name without escapes: each label is copied from its run of
  // characters. Anything unusual (a backslash, an empty label, non-ASCII) takes the general loop
  // below, which produces the same labels and the same errors.
  // The labels are views of one buffer: one allocation per name, not one per label.
  if (text.indexOf('\\') < 0) {
    const octets = new Uint8Array(text.length);
    let start = 0;
    let plain = true;
    for (let i = 0; i <= text.length && plain; i++) {
      const ch = i < text.length ? text.charCodeAt(i) : 0x2e;
      if (ch > 0x7f) plain = false;
      else if (ch === 0x2e) {
        if (i === text.length && start === i) break; // trailing dot: absolute
        if (i === start) plain = false;
        else {
          labels.push(octets.subarray(start, i));
          start = i + 1;
        }
      } else octets[i] = ch;
    }
    if (plain) {
      if (text.charCodeAt(text.length - 1) !== 0x2e && origin !== undefined) labels.push(...nameToLabels(origin));
      return checkLabels(labels, what);
    }
    labels.length = 0;
  }
  let current: number[] = [];
  let absolute = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) {
      const rest = text.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(rest)) {
        const v = Number(rest);
        if (v > 255) throw badInput(`${what}: escape \\${rest} out of range`);
        current.push(v);
        i += 3;
      } else if (i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next > 0x7f) throw badInput(`${what}: non-ASCII character`);
        current.push(next);
        i += 1;
      } else {
        throw badInput(`${what}: dangling backslash`);
      }
    } else if (ch === 0x2e /* . */) {
      if (current.length === 0) throw badInput(`${what}: empty label in ${JSON.stringify(text)}`);
      labels.push(Uint8Array.from(current));
      current = [];
      if (i === text.length - 1) absolute = true;
    } else {
      if (ch > 0x7f) throw badInput(`${what}: non-ASCII character in ${JSON.stringify(text)}`);
      current.push(ch);
    }
  }
  if (current.length > 0) labels.push(Uint8Array.from(current));
  if (!absolute && origin !== undefined) labels.push(...nameToLabels(origin));
  return checkLabels(labels, what);
}

// Validation and canonical form parse the same few names again and again (an RRset's owner, the
// signer, the zone): keep recent results. The arrays are frozen because they are shared; bounded,
// so hostile names cannot grow it. Malformed names are not cached and throw every time.
const LABELS_CACHE = new Map<string, Labels>();
const LABELS_CACHE_MAX = 1024;

/** Labels of a name; a name without a trailing dot is taken as absolute. The array is shared: do not modify it. */
export function nameToLabels(name: string): Labels {
  let labels = LABELS_CACHE.get(name);
  if (labels === undefined) {
    labels = Object.freeze(parseNameLabels(name, undefined)) as Labels;
    if (LABELS_CACHE.size >= LABELS_CACHE_MAX) LABELS_CACHE.clear();
    LABELS_CACHE.set(name, labels);
  }
  return labels;
}

const SPECIAL = new Set([0x2e, 0x5c, 0x22, 0x28, 0x29, 0x3b, 0x40, 0x24]); // . \ " ( ) ; @ $

export function formatLabel(label: Uint8Array): string {
  let out = '';
  for (const b of label) {
    if (SPECIAL.has(b)) out += '\\' + String.fromCharCode(b);
    else if (b <= 0x20 || b >= 0x7f) out += '\\' + String(b).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out;
}

/** Absolute presentation form with trailing dot; `.` for the root. */
export function labelsToName(labels: Labels): string {
  if (labels.length === 0) return '.';
  return labels.map(formatLabel).join('.') + '.';
}

/** Normalises a presentation name to its absolute form (keeps the case). */
export function normalizeName(text: string, origin?: string): string {
  return labelsToName(parseNameLabels(text, origin));
}

function lowerLabel(label: Uint8Array): Uint8Array {
  let changed = false;
  const out = new Uint8Array(label.length);
  for (let i = 0; i < label.length; i++) {
    const b = label[i]!;
    if (b >= 0x41 && b <= 0x5a) {
      out[i] = b + 0x20;
      changed = true;
    } else out[i] = b;
  }
  return changed ? out : label;
}

export function lowercaseLabels(labels: Labels): Labels {
  return labels.map(lowerLabel);
}

/** The name in lower case (ASCII letters only, RFC 4034 §6.2). */
export function canonicalName(name: string): string {
  return labelsToName(lowercaseLabels(nameToLabels(name)));
}

/** Uncompressed wire form; `lowercase` gives the DNSSEC canonical form. */
export function labelsToWire(labels: Labels, lowercase = false): Uint8Array {
  let size = 1;
  for (const l of labels) size += l.length + 1;
  const out = new Uint8Array(size);
  let o = 0;
  for (const l of labels) {
    out[o++] = l.length;
    out.set(lowercase ? lowerLabel(l) : l, o);
    o += l.length;
  }
  out[o] = 0;
  return out;
}

export function nameToWire(name: string, lowercase = false): Uint8Array {
  return labelsToWire(nameToLabels(name), lowercase);
}

/**
 * Reads a (possibly compressed, RFC 1035 §4.1.4) name at `offset` of `message`. Pointers must point
 * backwards (strictly before the current label) and are counted, so a loop or a forward pointer is
 * BAD_INPUT, not a hang. `end` is the offset just after the name at its original position.
 */
export function readWireName(message: Uint8Array, offset: number, allowPointers = true, limit = message.length): { labels: Labels; end: number } {
  const labels: Labels = [];
  let pos = offset;
  let end = -1;
  let hops = 0;
  let wire = 1;
  let lowest = offset;
  for (;;) {
    if (pos >= limit) throw badInput(`name at offset ${offset}: truncated`);
    const len = message[pos]!;
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (!allowPointers) throw badInput(`name at offset ${offset}: compression pointer not allowed here`);
      if (pos + 1 >= limit) throw badInput(`name at offset ${offset}: truncated pointer`);
      const target = ((len & 0x3f) << 8) | message[pos + 1]!;
      if (end < 0) end = pos + 2;
      // Each pointer must go below everything visited so far, which rules out loops by construction.
      if (target >= lowest) throw badInput(`name at offset ${offset}: compression pointer does not point backwards`);
      lowest = target;
      if (++hops > MAX_POINTER_HOPS) throw badInput(`name at offset ${offset}: compression pointer loop`);
      pos = target;
      continue;
    }
    if (kind !== 0) throw badInput(`name at offset ${offset}: unsupported label type 0x${len.toString(16)}`);
    if (pos + 1 + len > limit) throw badInput(`name at offset ${offset}: truncated label`);
    wire += len + 1;
    if (wire > MAX_NAME_WIRE_LENGTH) throw badInput(`name at offset ${offset}: longer than 255 bytes`);
    labels.push(message.slice(pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { labels, end };
}

/** Decodes a complete uncompressed wire name (no trailing bytes). */
export function wireToName(wire: Uint8Array): string {
  const { labels, end } = readWireName(wire, 0, false);
  if (end !== wire.length) throw badInput(`name: ${wire.length - end} trailing bytes`);
  return labelsToName(labels);
}

/** RFC 4034 §6.1 canonical order of two label lists: compare from the rightmost label, lower-cased. */
export function compareLabels(a: Labels, b: Labels): number {
  let i = a.length - 1;
  let j = b.length - 1;
  while (i >= 0 && j >= 0) {
    const d = compareBytes(lowerLabel(a[i]!), lowerLabel(b[j]!));
    if (d !== 0) return d;
    i--;
    j--;
  }
  return a.length - b.length;
}

export function compareNames(a: string, b: string): number {
  return compareLabels(nameToLabels(a), nameToLabels(b));
}

export function namesEqual(a: string, b: string): boolean {
  // Identical text is the same name; it is still parsed once so a malformed name throws as before.
  if (a === b) return nameToLabels(a) !== undefined;
  return compareNames(a, b) === 0;
}

/** True when `name` equals `ancestor` or lies below it. */
export function isSubdomainLabels(name: Labels, ancestor: Labels): boolean {
  if (ancestor.length > name.length) return false;
  // Label by label from the right, ASCII case folded, without copying or lower-casing labels.
  for (let i = name.length - 1, j = ancestor.length - 1; j >= 0; i--, j--) {
    const a = name[i]!;
    const b = ancestor[j]!;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) {
      const x = a[k]!;
      const y = b[k]!;
      if (x !== y) {
        const folded = x | 0x20;
        if (folded !== (y | 0x20) || folded < 0x61 || folded > 0x7a) return false;
      }
    }
  }
  return true;
}

export function isSubdomain(name: string, ancestor: string): boolean {
  return isSubdomainLabels(nameToLabels(name), nameToLabels(ancestor));
}

/** Number of labels, root excluded (`www.example.com.` → 3). */
export function labelCount(name: string): number {
  return nameToLabels(name).length;
}

/** The rightmost `count` labels of `name`. */
export function nameSuffix(name: string, count: number): string {
  const labels = nameToLabels(name);
  return labelsToName(labels.slice(labels.length - count));
}

/** The parent (one label removed); the root has none. */
export function parentName(name: string): string | undefined {
  const labels = nameToLabels(name);
  return labels.length === 0 ? undefined : labelsToName(labels.slice(1));
}

/** True when the leftmost label is exactly `*`. */
export function isWildcardName(name: string): boolean {
  const labels = nameToLabels(name);
  return labels.length > 0 && labels[0]!.length === 1 && labels[0]![0] === 0x2a;
}

/** `*.` + name. */
export function wildcardOf(name: string): string {
  return labelsToName([Uint8Array.of(0x2a), ...nameToLabels(name)]);
}
