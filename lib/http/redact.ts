/**
 * Secret redaction. Every string that leaves the HTTP layer (error messages, log lines) passes through a
 * Redactor that knows the current secrets, so a password echoed back in an error body is never printed.
 */

const MASK = '***';
// Below this length a secret is masked only where it stands as a token of its own: masking every
// occurrence of a one- or two-character password would shred ordinary words, but an upstream echoing
// it back ("password 'pw' rejected") must still not leak it.
const MIN_SUBSTRING_LENGTH = 3;

/** Replaces every occurrence of known secrets (and their URL-encoded / base64 forms) with `***`. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly shortSecrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined | null> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret (and the encodings it may appear in on the wire). */
  add(secret: string | undefined | null): void {
    if (!secret) return;
    if (secret.length < MIN_SUBSTRING_LENGTH) {
      this.shortSecrets.add(secret);
      return;
    }
    this.secrets.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.secrets.add(encoded);
    this.secrets.add(JSON.stringify(secret).slice(1, -1));
  }

  /** Registers `user:password` as it appears inside a Basic Authorization header. */
  addBasicAuth(username: string, password: string): void {
    this.add(password);
    this.add(Buffer.from(`${username}:${password}`).toString('base64'));
  }

  /** Returns `text` with every known secret masked. */
  redact(text: string): string {
    let out = text;
    // Longest first so a secret that contains another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(MASK);
    }
    for (const s of this.shortSecrets) {
      if (!out.includes(s)) continue;
      const escaped = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu'), MASK);
    }
    return out;
  }
}
