/** DMTP (profile §5, dmtp.md): framing, grammar, the server session, the server and the client. */
export { LineSplitter } from './line-splitter.js';
export type { SplitEvent, SplitLine, SplitOverflow } from './line-splitter.js';
export {
  CRLF,
  DMTP_VERBS,
  INVALID_COMMAND,
  parseCommand,
  formatCommand,
  formatReply,
  formatSignetReply,
  replyText,
  isPositive,
  quoteLine,
  ReplyAssembler,
  parseSignetReplyText,
  parseVrfyReplyText,
  parseHistReply,
} from './commands.js';
export type { DmtpCommand, DmtpVerb, DmtpReply, CommandRejection, ParsedCommand, VrfyResult } from './commands.js';
export { normalizeDomainName, normalizeAddress, normalizeSignetName, isUserName, domainOfName, normalizeWireFingerprint } from './names.js';
export { DmtpSession, DEFAULT_PRODUCT, DEFAULT_MAX_VIOLATIONS } from './session.js';
export type { SignetStore, VerifyAnswer, SessionOptions, SessionOutput, SessionAction } from './session.js';
export {
  DmtpServer,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_CLOSE_GRACE_MS,
  SERVER_MAX_LINE_LENGTH,
} from './server.js';
export type { DmtpServerOptions, ListenAddress } from './server.js';
export {
  DmtpClient,
  DMTP_PORT,
  DMTP_DUAL_PORT,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_MAX_REPLY_BYTES,
} from './client.js';
export type { DmtpClientOptions, PeerCertificate, FetchedSignet } from './client.js';
export {
  DMTP_CIPHERS,
  DMTP_TLS12_CIPHERS,
  DMTP_TLS13_CIPHERS,
  DMTP_ECDH_CURVES,
  DMTP_MIN_TLS_VERSION,
  DMTP_MAX_TLS_VERSION,
  formatHostPort,
  parseHostPort,
} from './tls-options.js';
export { createSelfSignedCertificate } from './certificate.js';
export type { SelfSignedOptions, SelfSignedCertificate } from './certificate.js';
