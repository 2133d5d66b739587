/** Worker for the DNSSEC bench: parse the part of the zone text it is sent, verify all of its RRsets. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyRecords } from './zone-driver.js';

const t0 = performance.now();
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Only the two domains the driver needs: importing the whole barrel doubles a worker's start-up.
const core = { ...(await import(join(ROOT, 'packages/core/dist/dns/index.js'))), ...(await import(join(ROOT, 'packages/core/dist/dnssec/index.js'))) };
const { zone } = workerData;
const t1 = performance.now();
// The part arrives by message, so this start-up overlaps the main thread's split of the file.
parentPort.once('message', ({ text, dnskeys }) => {
  const t2 = performance.now();
  const records = core.parseZoneFile(text, { origin: zone, decode: false });
  const t3 = performance.now();
  const result = verifyRecords(core, records, zone, 0, 1, dnskeys);
  const t4 = performance.now();
  parentPort.postMessage({ ...result, importMs: t1 - t0, waitMs: t2 - t1, parseMs: t3 - t2, verifyMs: t4 - t3 });
});
