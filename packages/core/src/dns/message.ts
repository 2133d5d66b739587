/**
 * DNS messages (RFC 1035 §4.1, EDNS0 RFC 6891). Our own codec rather than dns-packet's: owner and
 * RDATA names go through our name decoder (labels holding a `.` byte survive, compression pointers are
 * loop-checked), RDATA comes back uncompressed as the signature checks need it, and any malformed
 * byte is a BAD_INPUT instead of an exception from deep inside a library.
 */
import { badInput } from '../errors/dime-error.js';
import { ByteReader } from '../bytes/reader.js';
import { ByteWriter } from '../bytes/writer.js';
import { formatLabel, labelsToName, nameToLabels, readWireName } from './name.js';
import { classToCode, classToName, rcodeToCode, rcodeToName, typeToCode, typeToName } from './types.js';
import { decodeRdata, expandRdata } from './rdata.js';
import type { ResourceRecord } from './record.js';

export interface MessageFlags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
}

export interface Question {
  name: string;
  type: string;
  class: string;
}

export interface Edns {
  udpSize: number;
  dnssecOk: boolean;
  version: number;
  /** Raw option bytes (RFC 6891 §6.1.2), kept as received. */
  options?: Uint8Array;
}

export interface DnsMessage {
  id: number;
  flags: MessageFlags;
  /** Mnemonic, with the EDNS extended bits folded in (`NOERROR`, `NXDOMAIN`, `BADVERS`, …). */
  rcode: string;
  question: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** Additional section without the OPT pseudo-RR, which becomes `edns`. */
  additionals: ResourceRecord[];
  edns?: Edns;
}

const TYPE_OPT = 41;

function readRecord(r: ByteReader, msg: Uint8Array, section: string, index: number): ResourceRecord & { typeCode: number; classCode: number } {
  const where = `${section} RR ${index + 1}`;
  const { labels, end } = readWireName(msg, r.offset);
  r.offset = end;
  const typeCode = r.u16(`${where} type`);
  const classCode = r.u16(`${where} class`);
  const ttl = r.u32(`${where} ttl`);
  const rdlength = r.u16(`${where} rdlength`);
  if (rdlength > r.remaining) throw badInput(`${where}: RDATA of ${rdlength} bytes overruns the message`);
  const rdata = typeCode === TYPE_OPT ? msg.slice(r.offset, r.offset + rdlength) : expandRdata(msg, r.offset, rdlength, typeCode);
  r.offset += rdlength;
  const rr: ResourceRecord & { typeCode: number; classCode: number } = {
    name: labelsToName(labels),
    type: typeToName(typeCode),
    class: typeCode === TYPE_OPT ? 'IN' : classToName(classCode),
    ttl,
    rdata,
    typeCode,
    classCode,
  };
  if (typeCode !== TYPE_OPT) {
    try {
      const data = decodeRdata(typeCode, rdata);
      if (data) rr.data = data;
    } catch (e) {
      throw badInput(`${where} (${labels.map(formatLabel).join('.') || '.'} ${rr.type}): ${(e as Error).message}`);
    }
  }
  return rr;
}

/** Decodes a whole message; trailing bytes, overruns and malformed RDATA are BAD_INPUT. */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  if (bytes.length < 12) throw badInput(`DNS message: ${bytes.length} bytes, shorter than a header`);
  const r = new ByteReader(bytes);
  const id = r.u16();
  const f = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  const flags: MessageFlags = {
    qr: (f & 0x8000) !== 0,
    opcode: (f >> 11) & 0xf,
    aa: (f & 0x0400) !== 0,
    tc: (f & 0x0200) !== 0,
    rd: (f & 0x0100) !== 0,
    ra: (f & 0x0080) !== 0,
    ad: (f & 0x0020) !== 0,
    cd: (f & 0x0010) !== 0,
  };
  const question: Question[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const { labels, end } = readWireName(bytes, r.offset);
    r.offset = end;
    question.push({ name: labelsToName(labels), type: typeToName(r.u16('question type')), class: classToName(r.u16('question class')) });
  }
  const sections: ResourceRecord[][] = [[], [], []];
  const names = ['answer', 'authority', 'additional'];
  let edns: Edns | undefined;
  let rcode = f & 0xf;
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]!; i++) {
      const rr = readRecord(r, bytes, names[s]!, i);
      const { typeCode, classCode, ...plain } = rr;
      if (typeCode === TYPE_OPT) {
        if (s !== 2 || edns) throw badInput('DNS message: misplaced or repeated OPT record');
        edns = { udpSize: classCode, dnssecOk: (rr.ttl & 0x8000) !== 0, version: (rr.ttl >>> 16) & 0xff, options: rr.rdata };
        rcode |= (rr.ttl >>> 24) << 4;
        continue;
      }
      sections[s]!.push(plain);
    }
  }
  r.finish('DNS message');
  const message: DnsMessage = {
    id,
    flags,
    rcode: rcodeToName(rcode),
    question,
    answers: sections[0]!,
    authorities: sections[1]!,
    additionals: sections[2]!,
  };
  if (edns) message.edns = edns;
  return message;
}

/** What `encodeMessage` needs; flags default to false/0, rcode to NOERROR. */
export interface DnsMessageInput {
  id: number;
  flags?: Partial<MessageFlags>;
  rcode?: string | number;
  question?: Question[];
  answers?: ResourceRecord[];
  authorities?: ResourceRecord[];
  additionals?: ResourceRecord[];
  edns?: Edns;
}

export interface EncodeOptions {
  /** Compress owner and question names (RDATA is always written uncompressed). Default true. */
  compress?: boolean;
  /** When the message would exceed this size, drop all RRs and set TC (RFC 2181 §9). */
  maxSize?: number;
}

class NameCompressor {
  private readonly offsets = new Map<string, number>();
  constructor(private readonly enabled: boolean) {}

  write(w: ByteWriter, name: string): void {
    const labels = nameToLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const key = labelsToName(labels.slice(i)); // exact case: a pointer must not change the case of a name
      const known = this.enabled ? this.offsets.get(key) : undefined;
      if (known !== undefined) {
        w.u16(0xc000 | known);
        return;
      }
      if (this.enabled && w.length < 0x4000) this.offsets.set(key, w.length);
      w.u8(labels[i]!.length).bytes(labels[i]!);
    }
    w.u8(0);
  }
}

function encodeRecords(w: ByteWriter, c: NameCompressor, rrs: ResourceRecord[]): void {
  for (const rr of rrs) {
    c.write(w, rr.name);
    if (rr.rdata.length > 0xffff) throw badInput(`${rr.name} ${rr.type}: RDATA longer than 65535 bytes`);
    w.u16(typeToCode(rr.type)).u16(classToCode(rr.class)).u32(rr.ttl >>> 0).u16(rr.rdata.length).bytes(rr.rdata);
  }
}

function encodeOnce(m: DnsMessageInput, compress: boolean, truncated: boolean): Uint8Array {
  const fl = m.flags ?? {};
  const rcode = rcodeToCode(m.rcode ?? 0);
  const answers = truncated ? [] : (m.answers ?? []);
  const authorities = truncated ? [] : (m.authorities ?? []);
  const additionals = truncated ? [] : (m.additionals ?? []);
  const question = m.question ?? [];
  const f =
    (fl.qr ? 0x8000 : 0) | (((fl.opcode ?? 0) & 0xf) << 11) | (fl.aa ? 0x0400 : 0) | (fl.tc || truncated ? 0x0200 : 0) |
    (fl.rd ? 0x0100 : 0) | (fl.ra ? 0x0080 : 0) | (fl.ad ? 0x0020 : 0) | (fl.cd ? 0x0010 : 0) | (rcode & 0xf);
  const w = new ByteWriter(512);
  w.u16(m.id & 0xffff).u16(f).u16(question.length).u16(answers.length).u16(authorities.length).u16(additionals.length + (m.edns ? 1 : 0));
  const c = new NameCompressor(compress);
  for (const q of question) {
    c.write(w, q.name);
    w.u16(typeToCode(q.type)).u16(classToCode(q.class));
  }
  encodeRecords(w, c, answers);
  encodeRecords(w, c, authorities);
  encodeRecords(w, c, additionals);
  if (m.edns) {
    const opts = m.edns.options ?? new Uint8Array(0);
    const ttl = ((rcode >> 4) << 24) | ((m.edns.version & 0xff) << 16) | (m.edns.dnssecOk ? 0x8000 : 0);
    w.u8(0).u16(TYPE_OPT).u16(m.edns.udpSize).u32(ttl >>> 0).u16(opts.length).bytes(opts);
  } else if (rcode > 0xf) {
    throw badInput(`rcode ${rcode} needs EDNS`);
  }
  return w.finish();
}

/** Encodes any message (responses included). */
export function encodeMessage(message: DnsMessageInput, options: EncodeOptions = {}): Uint8Array {
  const compress = options.compress ?? true;
  const full = encodeOnce(message, compress, false);
  if (options.maxSize === undefined || full.length <= options.maxSize) return full;
  return encodeOnce(message, compress, true);
}

/** Same as `encodeMessage`, QR set: what a server sends. */
export function encodeResponse(message: DnsMessageInput, options: EncodeOptions = {}): Uint8Array {
  return encodeMessage({ ...message, flags: { ...message.flags, qr: true } }, options);
}

export interface QueryOptions {
  id: number;
  name: string;
  type: string;
  class?: string;
  /** RD; default true (we ask a recursive resolver). */
  recursionDesired?: boolean;
  /** EDNS DO bit; default true. */
  dnssecOk?: boolean;
  /** CD bit; default true: we validate ourselves (RFC 6840 §5.9). */
  checkingDisabled?: boolean;
  /** EDNS UDP payload size; default 1232. */
  udpSize?: number;
}

export const DEFAULT_UDP_SIZE = 1232;

export function encodeQuery(q: QueryOptions): Uint8Array {
  return encodeMessage(
    {
      id: q.id,
      flags: { rd: q.recursionDesired ?? true, cd: q.checkingDisabled ?? true },
      question: [{ name: q.name, type: typeToName(q.type), class: q.class ?? 'IN' }],
      edns: { udpSize: q.udpSize ?? DEFAULT_UDP_SIZE, dnssecOk: q.dnssecOk ?? true, version: 0 },
    },
    { compress: false }
  );
}
