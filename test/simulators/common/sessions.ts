/** Session/token bookkeeping shared by simulators that hand out tokens or cookies. */
import { randomBytes } from 'node:crypto';

/** Issues opaque tokens and can expire them all at once (session expiry mid-run). */
export class SessionStore {
  private readonly live = new Set<string>();
  issued = 0;
  expirations = 0;

  /** A new valid token. */
  issue(): string {
    const token = randomBytes(18).toString('base64url');
    this.live.add(token);
    this.issued++;
    return token;
  }

  /** Whether the token is currently valid. */
  valid(token: string | undefined): boolean {
    return token !== undefined && this.live.has(token);
  }

  /** Revokes one token. */
  revoke(token: string): void {
    this.live.delete(token);
  }

  /** Invalidates every outstanding token (what a session timeout or a Tower restart does). */
  expireAll(): void {
    this.live.clear();
    this.expirations++;
  }
}
