/**
 * TLS versus plain HTTP on the wrong port: told apart at once and reported in plain words, without retries
 * and without OpenSSL's internals (library codes, function names, source paths).
 */
import tls from 'node:tls';

/** An https:// endpoint whose server answered in plain HTTP. */
export const PLAIN_HTTP_CODE = 'ETLS_PLAIN_HTTP';
/** An http:// endpoint whose server speaks TLS. */
export const TLS_REQUIRED_CODE = 'ETLS_REQUIRED';
/** Another TLS handshake failure (no common protocol version or cipher, …). */
export const TLS_HANDSHAKE_CODE = 'ETLS_HANDSHAKE';

/** Codes these rewrites produce: none of them fixes itself on a retry. */
export const TLS_MISMATCH_CODES: ReadonlySet<string> = new Set([
  PLAIN_HTTP_CODE,
  TLS_REQUIRED_CODE,
  TLS_HANDSHAKE_CODE,
]);

// OpenSSL's reason when the first bytes back are not a TLS record (an HTTP status line, an HTML page).
const PLAIN_REPLY =
  /wrong version number|packet length too long|http request|unknown protocol|record layer failure/i;

/** A network failure on an https:// request rewritten when it is a TLS-level one; null otherwise. */
export function tlsFailure(code: string, message: string): { code: string; message: string } | null {
  if (code !== 'EPROTO' && !code.startsWith('ERR_SSL_')) return null;
  if (PLAIN_REPLY.test(message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return {
      code: PLAIN_HTTP_CODE,
      message:
        'the server answered in plain HTTP, not TLS: use an http:// endpoint, or the port that serves HTTPS',
    };
  }
  const reason =
    /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? 'the server and this client share no TLS settings';
  return { code: TLS_HANDSHAKE_CODE, message: `the TLS handshake failed: ${reason}` };
}

/** Codes a plain-HTTP request sees when the server on the other end expects TLS. */
export const PLAIN_TO_TLS_SYMPTOMS: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'HPE_INVALID_CONSTANT',
  'EPIPE',
]);

/**
 * Whether `host:port` completes a TLS handshake (certificate not judged: only the protocol matters here).
 * Resolves false on any error or after `timeoutMs`.
 */
export function speaksTls(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      rejectUnauthorized: false,
      ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
    });
    const done = (result: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The message for an http:// endpoint whose server speaks TLS. */
export const TLS_REQUIRED_MESSAGE =
  'the server speaks TLS on this port, not plain HTTP: use an https:// endpoint';
