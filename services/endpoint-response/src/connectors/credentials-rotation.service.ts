// Re-encrypts every connector secret that is not under the current key (after
// EDR_CREDENTIALS_KEY changed and the old key moved to EDR_CREDENTIALS_PREVIOUS_KEYS): a job at
// every start and every 6 hours, once across replicas; each row in its own transaction, locked.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createLogger } from '@kanshi/observability';
import { ConnectorsRepository } from './connectors.repository';
import { CredentialsCipher } from './credentials-cipher';
import { secretContext } from './edr-connector.factory';

const log = createLogger('edr-credentials-rotation');

@Injectable()
export class CredentialsRotationService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ConnectorsRepository,
    private readonly cipher: CredentialsCipher,
  ) {}

  // How many secrets were re-encrypted.
  async rotate(): Promise<number> {
    let done = 0;
    for (const id of await this.repo.staleKeyIds(this.cipher.currentKeyId)) {
      const rotated = await this.ds.transaction(async (em) => {
        const row = await this.repo.lockById(em, id);
        if (!row || !this.cipher.needsRotation(row.secretCiphertext)) return false;
        const context = secretContext(row.customerId, row.product);
        await this.repo.setSecret(em, id, this.cipher.encrypt(this.cipher.decrypt(row.secretCiphertext, context), context));
        return true;
      });
      if (rotated) done++;
    }
    if (done) log.info({ rotated: done, keyId: this.cipher.currentKeyId }, 'EDR connector secrets re-encrypted under the current key');
    return done;
  }
}
