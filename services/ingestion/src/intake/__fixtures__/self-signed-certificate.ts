import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Test-only: a throwaway key and self-signed certificate for 127.0.0.1 / localhost. Node cannot
// mint X.509 certificates, so the key comes from node:crypto and openssl signs it.
export function createSelfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kanshi-intake-tls-'));
  try {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    fs.writeFileSync(path.join(dir, 'key.pem'), key, { mode: 0o600 });
    // openssl is on every CI image we use; fail loudly rather than skip TLS tests
    execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'pipe' },
    );
    return { key, cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
