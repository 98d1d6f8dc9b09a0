import { createHash, randomBytes } from 'node:crypto';

// Ingest tokens are random (256 bits), so a fast hash is enough; only the hash is stored.
export function hashIngestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newIngestToken(): string {
  return `kst_${randomBytes(32).toString('base64url')}`;
}
