/**
 * What "Test TLS connection" takes and answers, shared by the CLI (`probe`),
 * the server command and the VS Code client. Types only.
 */
import type { EndpointTarget, EndpointFacts, EndpointProtocol } from '../service/targets/target';

export type ProbeProtocol = EndpointProtocol;
/** Where to connect and with which files (absolute paths). */
export type ProbeTarget = EndpointTarget;
/** What a config file says about the endpoint, to explain a failure in its own terms. */
export type ProbeFacts = EndpointFacts;

export type ProbeSeverity = 'error' | 'warning' | 'info';

export interface ProbeFinding {
  severity: ProbeSeverity;
  code: string;
  message: string;
}

export interface ChainEntry {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  notAfter: string;
  notBefore: string;
  sans: string[];
  /** SHA-256 fingerprint, colon-separated upper-case hex (as openssl prints it). */
  sha256: string;
}

export interface ProbeResult {
  /** The handshake succeeded, the chain verified for the name, and a requested client certificate was accepted. */
  ok: boolean;
  /** The first thing that failed, in a sentence; null when ok. */
  error: string | null;
  /** TLS version ("TLSv1.3"), null when no handshake completed. */
  protocol: string | null;
  cipher: string | null;
  /** The ALPN protocol the server selected. */
  alpn: string | null;
  /** The chain the server presented (completed with the CA when it verified), leaf first. */
  chain: ChainEntry[];
  findings: ProbeFinding[];
  /** 0 ok, 1 a check failed, 2 nothing listens / unreachable. */
  exitCode: 0 | 1 | 2;
  target: {
    host: string;
    port: number;
    serverName: string;
    protocol: ProbeProtocol;
    alpnOffered: string[];
    ca: string | null;
    cert: string | null;
    key: string | null;
    remoteAddress: string | null;
    /** The address is this machine (loopback or one of its interfaces). */
    local: boolean | null;
  };
  verification: {
    /** The chain verifies against the CA (or the system roots); null when no certificate was seen. */
    chain: boolean | null;
    /** The leaf matches the server name. */
    name: boolean | null;
    /** OpenSSL's reason when the chain does not verify (UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, …). */
    reason: string | null;
  };
  clientCertificate: {
    configured: boolean;
    /** The server sent a CertificateRequest; null when it could not be seen. */
    requested: boolean | null;
    sent: boolean | null;
    /** The server went on after our certificate (or its absence); false when it rejected it. */
    accepted: boolean | null;
  };
  /** The TLS alert the server sent, when it sent one. */
  alert: { code: number; name: string } | null;
  /** The same test with openssl, for the record (paths, never file contents). */
  openssl: string;
  facts?: ProbeFacts;
  elapsedMs: number;
}
