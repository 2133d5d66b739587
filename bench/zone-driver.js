/**
 * The bench-side zone verifier (the dnssec core validates lookups, not whole zones): group a
 * parsed zone into RRsets and check each with the core's `verifyRrset` against the apex DNSKEY
 * RRset, as `dnssec-verify` checks every RRSIG of a signed zone. Shard `shard` of `shards` takes
 * every shards-th RRset, so workers split the work evenly.
 */
export function verifyRecords(core, records, zone, shard, shards, apexKeys) {
  // owner (lower case) → { sets: type → RRs, sigs: type covered → RRSIGs }. Nested maps, so no
  // key string is built per record; a zone file keeps an owner's records together, so the last
  // owner is checked first.
  const owners = new Map();
  let lastName;
  let last;
  for (const rr of records) {
    if (rr.name !== lastName) {
      const owner = rr.name.toLowerCase();
      last = owners.get(owner) ?? owners.set(owner, { sets: new Map(), sigs: new Map() }).get(owner);
      lastName = rr.name;
    }
    if (rr.type === 'RRSIG') {
      // Only a grouping key (verifyRrset decodes the RRSIG and checks what it covers): the first
      // two RDATA octets are the type covered (RFC 4034 §3.1), so the zone is parsed without `data`.
      const covered = rr.data?.typeCovered ?? (rr.rdata.length >= 2 ? core.typeToName((rr.rdata[0] << 8) | rr.rdata[1]) : core.decodeRrsig(rr.rdata).typeCovered);
      (last.sigs.get(covered) ?? last.sigs.set(covered, []).get(covered)).push(rr);
    } else {
      (last.sets.get(rr.type) ?? last.sets.set(rr.type, []).get(rr.type)).push(rr);
    }
  }
  const dnskeys = apexKeys ?? owners.get(zone)?.sets.get('DNSKEY') ?? [];
  const now = new Date();
  let secure = 0;
  let failed = 0;
  let firstFailure;
  let index = 0;
  for (const [owner, { sets, sigs }] of owners) {
    for (const [type, rrset] of sets) {
      if (index++ % shards !== shard) continue;
      const verdict = core.verifyRrset(rrset, sigs.get(type) ?? [], dnskeys, { now, budget: new core.WorkBudget() });
      if (verdict.status === 'secure') secure++;
      else {
        failed++;
        firstFailure ??= `${owner}|${type}: ${verdict.status} ${verdict.reason}`;
      }
    }
  }
  return { rrsets: secure + failed, secure, failed, firstFailure };
}

/**
 * Takes parts of a split zone text in turn from the shared counter `next` (Atomics, so every part is
 * taken by exactly one thread), parses each and verifies all of its RRsets. Each part holds whole
 * RRsets with their RRSIGs (`splitZoneText` cuts at owner boundaries).
 */
export function verifyZoneParts(core, chunks, next, zone, dnskeys) {
  const total = { rrsets: 0, secure: 0, failed: 0, firstFailure: undefined, parts: 0, parseMs: 0, verifyMs: 0 };
  for (let k = Atomics.add(next, 0, 1); k < chunks.length; k = Atomics.add(next, 0, 1)) {
    const t0 = performance.now();
    const records = core.parseZoneFile(chunks[k], { origin: zone, decode: false });
    const t1 = performance.now();
    const r = verifyRecords(core, records, zone, 0, 1, dnskeys);
    total.verifyMs += performance.now() - t1;
    total.parseMs += t1 - t0;
    total.parts++;
    total.rrsets += r.rrsets;
    total.secure += r.secure;
    total.failed += r.failed;
    total.firstFailure ??= r.firstFailure;
  }
  return total;
}
