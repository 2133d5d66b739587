/** Worker for the DNSSEC bench: parse one part of the zone text, verify all of its RRsets. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyRecords } from './zone-driver.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Only the two domains the driver needs: importing the whole barrel doubles a worker's start-up.
const core = { ...(await import(join(ROOT, 'packages/core/dist/dns/index.js'))), ...(await import(join(ROOT, 'packages/core/dist/dnssec/index.js'))) };
const { text, dnskeys, zone } = workerData;
const records = core.parseZoneFile(text, { origin: zone });
parentPort.postMessage(verifyRecords(core, records, zone, 0, 1, dnskeys));
