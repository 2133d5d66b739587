/**
 * Servers for the dmtpd bench, each in its own process so client and server do not share an event
 * loop: `dmtpd DIR` serves a DX directory with startDx; `fixed KEY CERT` is the transport's ceiling,
 * a minimal node:tls server answering every line with the same 500-byte reply. Prints `port N`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:tls';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [kind, ...args] = process.argv.slice(2);

if (kind === 'dmtpd') {
  const { startDx } = await import(join(ROOT, 'packages/dmtpd/dist/index.js'));
  const dx = await startDx({ dir: args[0], listen: '127.0.0.1:0', maxConnections: 2000 });
  console.log(`port ${dx.address.port}`);
  process.once('SIGTERM', () => dx.close(0).then(() => process.exit(0)));
} else if (kind === 'fixed') {
  const reply = Buffer.from(`250 ${'x'.repeat(494)}\r\n`); // 500 bytes with CRLF
  const server = createServer({ key: readFileSync(args[0]), cert: readFileSync(args[1]) }, (socket) => {
    socket.on('data', (chunk) => {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) socket.write(reply);
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
  process.once('SIGTERM', () => process.exit(0));
} else {
  console.error(`usage: servers.js dmtpd DIR | fixed KEY CERT`);
  process.exit(2);
}
