/**
 * The bench-side zone verifier (the dnssec core validates lookups, not whole zones): group a
 * parsed zone into RRsets and check each with the core's `verifyRrset` against the apex DNSKEY
 * RRset, as `dnssec-verify` checks every RRSIG of a signed zone. Shard `shard` of `shards` takes
 * every shards-th RRset, so workers split the work evenly.
 */
export function verifyRecords(core, records, zone, shard, shards, apexKeys) {
  const sets = new Map();
  const sigs = new Map();
  for (const rr of records) {
    if (rr.type === 'RRSIG') {
      // Only a grouping key (verifyRrset decodes the RRSIG and checks what it covers): the first
      // two RDATA octets are the type covered (RFC 4034 §3.1), so the zone is parsed without `data`.
      const covered = rr.data?.typeCovered ?? (rr.rdata.length >= 2 ? core.typeToName((rr.rdata[0] << 8) | rr.rdata[1]) : core.decodeRrsig(rr.rdata).typeCovered);
      const key = `${rr.name.toLowerCase()}|${covered}`;
      (sigs.get(key) ?? sigs.set(key, []).get(key)).push(rr);
    } else {
      const key = `${rr.name.toLowerCase()}|${rr.type}`;
      (sets.get(key) ?? sets.set(key, []).get(key)).push(rr);
    }
  }
  const dnskeys = apexKeys ?? sets.get(`${zone}|DNSKEY`) ?? [];
  const now = new Date();
  let secure = 0;
  let failed = 0;
  let firstFailure;
  let index = 0;
  for (const [key, rrset] of sets) {
    if (index++ % shards !== shard) continue;
    const verdict = core.verifyRrset(rrset, sigs.get(key) ?? [], dnskeys, { now, budget: new core.WorkBudget() });
    if (verdict.status === 'secure') secure++;
    else {
      failed++;
      firstFailure ??= `${key}: ${verdict.status} ${verdict.reason}`;
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
