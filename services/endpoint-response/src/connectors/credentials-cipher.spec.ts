import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config';
import { CredentialsCipher, keyIdOf } from './credentials-cipher';

const key = () => randomBytes(32);

describe('CredentialsCipher', () => {
  it('encrypts with AES-256-GCM under the current key id and decrypts back', () => {
    const k = key();
    const c = new CredentialsCipher(k);
    const stored = c.encrypt('s3cr3t-value', 'ctx-a');
    expect(stored.startsWith(`v1.${keyIdOf(k)}.`)).toBe(true);
    expect(stored).not.toContain('s3cr3t');
    expect(c.encrypt('s3cr3t-value', 'ctx-a')).not.toBe(stored); // a fresh IV each time
    expect(c.decrypt(stored, 'ctx-a')).toBe('s3cr3t-value');
  });

  it('refuses a ciphertext moved to another connector or altered', () => {
    const c = new CredentialsCipher(key());
    const stored = c.encrypt('s3cr3t-value', 'ctx-a');
    expect(() => c.decrypt(stored, 'ctx-b')).toThrow(/does not decrypt/);
    const parts = stored.split('.');
    const ct = Buffer.from(parts[4], 'base64url');
    ct[0] ^= 0x01;
    parts[4] = ct.toString('base64url');
    expect(() => c.decrypt(parts.join('.'), 'ctx-a')).toThrow(/does not decrypt/);
  });

  it('reads secrets under a previous key and tells which need rotation; an unknown key id is refused', () => {
    const oldKey = key();
    const newKey = key();
    const before = new CredentialsCipher(oldKey);
    const stored = before.encrypt('pw', 'ctx');
    const after = new CredentialsCipher(newKey, [oldKey]);
    expect(after.decrypt(stored, 'ctx')).toBe('pw');
    expect(after.needsRotation(stored)).toBe(true);
    const rotated = after.encrypt(after.decrypt(stored, 'ctx'), 'ctx');
    expect(after.needsRotation(rotated)).toBe(false);
    expect(() => new CredentialsCipher(newKey).decrypt(stored, 'ctx')).toThrow(`key ${keyIdOf(oldKey)}, which is neither`);
  });
});

describe('EDR credential key settings', () => {
  const env = (over: NodeJS.ProcessEnv) => ({ JWT_SECRET: 'x'.repeat(40), NODE_ENV: 'development', ...over });

  it('uses a fixed development key outside production', () => {
    const a = CredentialsCipher.fromEnvironment(loadConfig(env({})));
    const b = CredentialsCipher.fromEnvironment(loadConfig(env({ NODE_ENV: 'test' })));
    expect(a.currentKeyId).toBe(b.currentKeyId);
    expect(b.decrypt(a.encrypt('pw', 'c'), 'c')).toBe('pw');
  });

  it('refuses to boot in production without a key, in one line naming the variable', () => {
    const prod = env({ NODE_ENV: 'production', AUTH_MODE: 'jwks', OIDC_ISSUER: 'https://idp.example', OIDC_JWKS_URL: 'https://idp.example/jwks', OIDC_AUDIENCE: 'kanshi-api', SUBGRAPH_SECRET: 's'.repeat(40) });
    expect(() => loadConfig(prod)).toThrow(/- EDR_CREDENTIALS_KEY is required in production \(base64 of 32 random bytes: openssl rand -base64 32\)$/);
    const k = key().toString('base64');
    expect(CredentialsCipher.fromEnvironment(loadConfig({ ...prod, EDR_CREDENTIALS_KEY: k })).currentKeyId).toBe(keyIdOf(Buffer.from(k, 'base64')));
  });

  it('names a malformed key or previous key', () => {
    expect(() => loadConfig(env({ EDR_CREDENTIALS_KEY: 'c2hvcnQ=' }))).toThrow('EDR_CREDENTIALS_KEY must be base64 of exactly 32 bytes');
    expect(() => loadConfig(env({ EDR_CREDENTIALS_KEY: key().toString('base64'), EDR_CREDENTIALS_PREVIOUS_KEYS: `${key().toString('base64')},nope` }))).toThrow(
      'EDR_CREDENTIALS_PREVIOUS_KEYS entry 2 must be base64 of exactly 32 bytes',
    );
  });
});
