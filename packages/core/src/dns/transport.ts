/**
 * How the validator asks questions. The stub client (UDP/TCP), the lab's in-process zone server and
 * hostile test servers all sit behind this one interface, so validation is testable offline.
 */
export interface DnsQuery {
  /** Absolute or relative presentation name; matching is case-insensitive. */
  name: string;
  /** Type mnemonic (`TXT`, `DNSKEY`, `DS`, …) or `TYPE123`. */
  type: string;
  /** Always IN in this project. */
  class?: 'IN';
}

export interface DnsTransport {
  /**
   * Sends one query (RD=1, EDNS0 1232, DO=1, CD=1) and resolves to the raw wire response, already
   * checked for a matching id and question. Rejects with DimeError('NETWORK') when no usable
   * answer arrived (timeout, refused, truncated beyond recovery, garbage, wrong ids).
   */
  query(query: DnsQuery): Promise<Uint8Array>;
}
