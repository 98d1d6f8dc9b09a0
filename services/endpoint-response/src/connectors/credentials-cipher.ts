// EDR connector secrets at rest: AES-256-GCM with a 96-bit random IV and the 128-bit tag, the key
// from the environment (EDR_CREDENTIALS_KEY, base64 of 32 bytes, mounted from a Kubernetes secret).
// The stored text is `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url), the key id being the first
// 8 hex digits of the key's SHA-256, so a secret encrypted under a previous key
// (EDR_CREDENTIALS_PREVIOUS_KEYS) is still read, and the rotation job finds what to re-encrypt.
// The customer id and product are the additional authenticated data: a ciphertext copied to another
// customer's row does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Development and tests only: loadConfig refuses to start without a real key in production.
const DEV_KEY = createHash('sha256').update('kanshi development EDR credentials key (not a secret)').digest();

export class CredentialsCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, current);
    for (const k of previous) if (!this.keys.has(keyIdOf(k))) this.keys.set(keyIdOf(k), k);
  }

  static fromEnvironment(c: { NODE_ENV: string; EDR_CREDENTIALS_KEY?: string; EDR_CREDENTIALS_PREVIOUS_KEYS?: string }): CredentialsCipher {
    const problems = credentialKeyProblems(c.NODE_ENV, c.EDR_CREDENTIALS_KEY, c.EDR_CREDENTIALS_PREVIOUS_KEYS);
    if (problems.length) throw new Error(problems.join('; '));
    const current = c.EDR_CREDENTIALS_KEY ? Buffer.from(c.EDR_CREDENTIALS_KEY, 'base64') : DEV_KEY;
    const previous = splitKeys(c.EDR_CREDENTIALS_PREVIOUS_KEYS).map((k) => Buffer.from(k, 'base64'));
    return new CredentialsCipher(current, previous);
  }

  encrypt(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', this.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  // Throws when the key is unknown or the text was altered (never says what the secret was).
  decrypt(stored: string, context: string): string {
    const [version, kid, iv, tag, ct] = stored.split('.');
    if (version !== 'v1' || ct === undefined) throw new Error('not an encrypted credential');
    const key = this.keys.get(kid);
    if (!key) throw new Error(`credential encrypted with key ${kid}, which is neither EDR_CREDENTIALS_KEY nor in EDR_CREDENTIALS_PREVIOUS_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`credential does not decrypt with key ${kid} (altered, or stored for another connector)`);
    }
  }

  keyIdOf(stored: string): string | null {
    const [version, kid] = stored.split('.');
    return version === 'v1' && kid ? kid : null;
  }

  needsRotation(stored: string): boolean {
    return this.keyIdOf(stored) !== this.currentKeyId;
  }
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function splitKeys(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}

function isKey(text: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === 32;
}

// What is wrong with the key settings, one line each (loadConfig fails boot with them).
export function credentialKeyProblems(nodeEnv: string, key: string | undefined, previous: string | undefined): string[] {
  const problems: string[] = [];
  if (!key && nodeEnv === 'production') problems.push('EDR_CREDENTIALS_KEY is required in production (base64 of 32 random bytes: openssl rand -base64 32)');
  if (key && !isKey(key)) problems.push('EDR_CREDENTIALS_KEY must be base64 of exactly 32 bytes');
  splitKeys(previous).forEach((k, i) => {
    if (!isKey(k)) problems.push(`EDR_CREDENTIALS_PREVIOUS_KEYS entry ${i + 1} must be base64 of exactly 32 bytes`);
  });
  return problems;
}
