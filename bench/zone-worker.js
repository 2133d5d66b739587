/** Worker for the DNSSEC bench: takes parts of the zone text in turn with the main thread, parses and verifies them. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyZoneParts } from './zone-driver.js';

const t0 = performance.now();
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Only the two domains the driver needs: importing the whole barrel doubles a worker's start-up.
const core = { ...(await import(join(ROOT, 'packages/core/dist/dns/index.js'))), ...(await import(join(ROOT, 'packages/core/dist/dnssec/index.js'))) };
const { zone } = workerData;
const t1 = performance.now();
// The parts arrive by message, so this start-up overlaps the main thread's split of the file.
parentPort.once('message', ({ chunks, dnskeys, next }) => {
  const t2 = performance.now();
  parentPort.postMessage({ ...verifyZoneParts(core, chunks, next, zone, dnskeys), importMs: t1 - t0, waitMs: t2 - t1 });
});
