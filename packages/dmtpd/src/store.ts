/**
 * The DX's signet store: SQLite through better-sqlite3, behind `DxStore` so the server only sees the
 * `SignetStore` questions of profile §5 and `publish` only sees `insert`. One row per published
 * signet (publish order = `seq`), every fingerprint kind in its own indexed table. The current signet
 * of a name is the one with the highest `seq`; the others are its history, oldest first.
 *
 * Every query reads the database afresh, so signets published by `dmtpd publish` while `dmtpd serve`
 * runs are served at once (WAL mode lets one writer and the server's reads go on together).
 */
import Database from 'better-sqlite3';
import type { SignetStore, VerifyAnswer } from '@dime/core/dmtp';
import type { FingerprintKind, Fingerprints } from '@dime/core/signet';
import { DimeError } from '@dime/core/errors';

export const SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signets (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  name         TEXT NOT NULL,
  type         TEXT NOT NULL CHECK (type IN ('org', 'user')),
  signet       BLOB NOT NULL,
  signing_key  BLOB NOT NULL,
  custody      TEXT NOT NULL CHECK (custody IN ('start', 'same-key', 'ok', 'missing')),
  published_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signets_by_name ON signets (name, seq);
CREATE TABLE IF NOT EXISTS fingerprints (
  fingerprint TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('ssr', 'crypto', 'full', 'id')),
  seq         INTEGER NOT NULL REFERENCES signets (seq),
  PRIMARY KEY (fingerprint, kind, seq)
);
CREATE INDEX IF NOT EXISTS fingerprints_by_seq ON fingerprints (seq, kind);
`;

export type CustodyStatus = 'start' | 'same-key' | 'ok' | 'missing';

/** One stored signet. */
export interface StoredSignet {
  seq: number;
  name: string;
  type: 'org' | 'user';
  signet: Uint8Array;
  signingKey: Uint8Array;
  custody: CustodyStatus;
  publishedAt: string;
  fingerprints: Fingerprints;
}

export interface NewSignet {
  name: string;
  type: 'org' | 'user';
  signet: Uint8Array;
  signingKey: Uint8Array;
  custody: CustodyStatus;
  fingerprints: Fingerprints;
}

/** The store as `dmtpd` uses it: the server's questions plus what publishing needs. */
export interface DxStore extends SignetStore {
  current(name: string): StoredSignet | undefined;
  /** Every signet of `name`, in publish order. */
  all(name: string): StoredSignet[];
  insert(signet: NewSignet): StoredSignet;
  /**
   * Runs `fn` as one write transaction: other writers (another `dmtpd publish`) wait until it ends, so
   * what `fn` read is still current when it inserts. Readers (the server) are not blocked.
   */
  exclusive<T>(fn: () => T): T;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  close(): void;
}

interface SignetRow {
  seq: number;
  name: string;
  type: 'org' | 'user';
  signet: Buffer;
  signing_key: Buffer;
  custody: CustodyStatus;
  published_at: string;
}

const KINDS: readonly FingerprintKind[] = ['ssr', 'crypto', 'full', 'id'];

export interface OpenOptions {
  /** Create the file and schema when missing (only `dmtpd init` does). */
  create?: boolean;
  readonly?: boolean;
}

/** Opens `path`; a missing or foreign database is a BAD_INPUT error naming the file. */
export function openSqliteStore(path: string, options: OpenOptions = {}): SqliteStore {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: !options.create, readonly: options.readonly ?? false });
  } catch (error) {
    throw new DimeError('BAD_INPUT', `store ${path}: cannot open (${(error as Error).message}); run dmtpd init first`, { cause: error });
  }
  try {
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (options.create) db.exec(SCHEMA);
    const version = (db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined)?.value;
    if (options.create && version === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) throw new Error(`schema version ${version ?? 'missing'}, expected ${SCHEMA_VERSION}`);
  } catch (error) {
    db.close();
    throw new DimeError('BAD_INPUT', `store ${path}: not a dmtpd store (${(error as Error).message})`, { cause: error });
  }
  return new SqliteStore(db);
}

export class SqliteStore implements DxStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      current: db.prepare('SELECT * FROM signets WHERE name = ? ORDER BY seq DESC LIMIT 1'),
      all: db.prepare('SELECT * FROM signets WHERE name = ? ORDER BY seq'),
      newestHaving: db.prepare(
        'SELECT s.* FROM signets s JOIN fingerprints f ON f.seq = s.seq WHERE s.name = ? AND f.fingerprint = ? ORDER BY s.seq DESC LIMIT 1'
      ),
      range: db.prepare('SELECT * FROM signets WHERE name = ? AND seq BETWEEN ? AND ? ORDER BY seq'),
      fingerprintsOf: db.prepare('SELECT kind, fingerprint FROM fingerprints WHERE seq = ?'),
      insertSignet: db.prepare(
        'INSERT INTO signets (name, type, signet, signing_key, custody, published_at) VALUES (@name, @type, @signet, @signingKey, @custody, @publishedAt)'
      ),
      insertFingerprint: db.prepare('INSERT INTO fingerprints (fingerprint, kind, seq) VALUES (?, ?, ?)'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  private hydrate(row: SignetRow | undefined): StoredSignet | undefined {
    if (!row) return undefined;
    const fingerprints: Fingerprints = {};
    for (const { kind, fingerprint } of this.statements.fingerprintsOf.all(row.seq) as { kind: FingerprintKind; fingerprint: string }[]) {
      fingerprints[kind] = fingerprint;
    }
    return {
      seq: row.seq,
      name: row.name,
      type: row.type,
      signet: new Uint8Array(row.signet),
      signingKey: new Uint8Array(row.signing_key),
      custody: row.custody,
      publishedAt: row.published_at,
      fingerprints,
    };
  }

  current(name: string): StoredSignet | undefined {
    return this.hydrate(this.statements.current.get(name) as SignetRow | undefined);
  }

  all(name: string): StoredSignet[] {
    return (this.statements.all.all(name) as SignetRow[]).map((row) => this.hydrate(row)!);
  }

  private newestHaving(name: string, fingerprint: string): SignetRow | undefined {
    return this.statements.newestHaving.get(name, fingerprint) as SignetRow | undefined;
  }

  /** SGNT: the current signet, or the newest having `fingerprint` in any kind (profile §5). */
  lookup(name: string, fingerprint?: string): Uint8Array | undefined {
    const row = fingerprint === undefined ? (this.statements.current.get(name) as SignetRow | undefined) : this.newestHaving(name, fingerprint);
    return row ? new Uint8Array(row.signet) : undefined;
  }

  /** VRFY: CURRENT when the fingerprint is any kind of the current signet, UPDATE when of an older one. */
  verify(name: string, fingerprint: string): VerifyAnswer {
    const having = this.newestHaving(name, fingerprint);
    if (!having) return { status: 'unknown' };
    const current = this.current(name)!;
    if (current.seq === having.seq) return { status: 'current' };
    return { status: 'update', full: current.fingerprints.full! };
  }

  /** HIST: from the signet having `start` (default the first) to the one having `end` (default the current). */
  history(address: string, start?: string, end?: string): Uint8Array[] | undefined {
    const first = start === undefined ? this.all(address)[0]?.seq : this.newestHaving(address, start)?.seq;
    const last = end === undefined ? this.current(address)?.seq : this.newestHaving(address, end)?.seq;
    if (first === undefined || last === undefined || last < first) return undefined;
    return (this.statements.range.all(address, first, last) as SignetRow[]).map((row) => new Uint8Array(row.signet));
  }

  insert(signet: NewSignet): StoredSignet {
    const publishedAt = new Date().toISOString();
    const run = this.db.transaction(() => {
      const info = this.statements.insertSignet.run({
        name: signet.name,
        type: signet.type,
        signet: Buffer.from(signet.signet),
        signingKey: Buffer.from(signet.signingKey),
        custody: signet.custody,
        publishedAt,
      });
      const seq = Number(info.lastInsertRowid);
      for (const kind of KINDS) {
        const fingerprint = signet.fingerprints[kind];
        if (fingerprint !== undefined) this.statements.insertFingerprint.run(fingerprint, kind, seq);
      }
      return seq;
    });
    const seq = run.immediate();
    return { ...signet, seq, publishedAt };
  }

  exclusive<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  getMeta(key: string): string | undefined {
    return (this.statements.getMeta.get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
