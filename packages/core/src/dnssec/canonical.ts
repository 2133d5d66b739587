/**
 * DNSSEC canonical form and signed data: RFC 4034 §6 (canonical RR form and RRset order) as amended
 * by RFC 6840 §5.1 (NSEC next-name keeps its case), and §3.1.8.1 (what an RRSIG covers).
 */
import { ByteWriter } from '../bytes/writer.js';
import { compareBytes, bytesEqual } from '../bytes/encoding.js';
import { labelsToName, labelsToWire, nameToLabels } from '../dns/name.js';
import { canonicalRdata } from '../dns/rdata.js';
import { classToCode, typeToCode } from '../dns/types.js';
import { encodeRrsig } from '../dns/rdata.js';
import type { ResourceRecord, RrsigFields } from '../dns/record.js';

/** Canonical RDATA of each RR, sorted as left-justified octet strings, duplicates removed (§6.3). */
export function canonicalRdataSet(rrset: ReadonlyArray<ResourceRecord>): Uint8Array[] {
  const all = rrset.map((rr) => canonicalRdata(rr.type, rr.rdata));
  all.sort(compareBytes);
  const out: Uint8Array[] = [];
  for (const r of all) if (out.length === 0 || !bytesEqual(out[out.length - 1]!, r)) out.push(r);
  return out;
}

/** The labels an RRSIG over `owner` counts: the root and a leading `*` left out (RFC 4034 §3.1.3). */
export function ownerLabelCount(owner: string): number {
  const labels = nameToLabels(owner);
  return labels.length > 0 && labels[0]!.length === 1 && labels[0]![0] === 0x2a ? labels.length - 1 : labels.length;
}

/**
 * The owner name an RRSIG covers: the owner itself, or for a wildcard expansion (`labels` smaller
 * than the owner's label count) `*.` plus the rightmost `labels` labels (RFC 4035 §5.3.2).
 */
export function signedOwnerName(owner: string, rrsigLabels: number): string {
  const labels = nameToLabels(owner);
  if (rrsigLabels >= ownerLabelCount(owner)) return labelsToName(labels);
  return labelsToName([Uint8Array.of(0x2a), ...labels.slice(labels.length - rrsigLabels)]);
}

/**
 * Signed data (RFC 4034 §3.1.8.1): RRSIG RDATA without the signature (signer lower-case), then
 * every RR of the set in canonical form and order with the RRSIG's original TTL.
 */
export function signedData(rrsig: RrsigFields, rrset: ReadonlyArray<ResourceRecord>): Uint8Array {
  if (rrset.length === 0) throw new RangeError('signedData: empty RRset');
  const first = rrset[0]!;
  // signedOwnerName's labels, without formatting the name and parsing it back.
  const labels = nameToLabels(first.name);
  const wildcard = labels.length > 0 && labels[0]!.length === 1 && labels[0]![0] === 0x2a;
  const ownerLabels = rrsig.labels >= labels.length - (wildcard ? 1 : 0) ? labels : [Uint8Array.of(0x2a), ...labels.slice(labels.length - rrsig.labels)];
  const owner = labelsToWire(ownerLabels, true);
  const type = typeToCode(first.type);
  const cls = classToCode(first.class);
  const w = new ByteWriter(512);
  w.bytes(encodeRrsig(rrsig, true));
  for (const rdata of canonicalRdataSet(rrset)) {
    w.bytes(owner).u16(type).u16(cls).u32(rrsig.originalTtl).u16(rdata.length).bytes(rdata);
  }
  return w.finish();
}
