/** Worker for the DNSSEC bench: parse the zone file, verify shard k of n of its RRsets. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyRecords } from './zone-driver.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(join(ROOT, 'packages/core/dist/index.js'));
const { file, shard, shards, zone } = workerData;
const records = core.parseZoneFile(readFileSync(file, 'utf8'), { origin: zone });
parentPort.postMessage(verifyRecords(core, records, zone, shard, shards));
