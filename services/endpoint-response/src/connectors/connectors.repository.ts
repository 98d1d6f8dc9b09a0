import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { EdrProductCode } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { ConnectorHealthValue } from './connector-health';
import { EdrConnectorEntity } from './edr-connector.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ConnectorWrite = Pick<EdrConnectorEntity, 'customerId' | 'product' | 'baseUrl' | 'clientId' | 'orgKey' | 'sensorId'> & { secretCiphertext?: string };

@Injectable()
export class ConnectorsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // A customer's connectors by product, within the caller's scope; a malformed id matches nothing.
  async visibleFor(scope: TenantScope, customerId: string): Promise<EdrConnectorEntity[]> {
    if (!UUID.test(customerId)) return [];
    const qb = this.ds.getRepository(EdrConnectorEntity).createQueryBuilder('c').where('c.customer_id = :customerId', { customerId }).orderBy('c.product');
    this.directory.applyScope(qb, scope, 'c.customer_id');
    return qb.getMany();
  }

  find(customerId: string, product: EdrProductCode, em: EntityManager = this.ds.manager): Promise<EdrConnectorEntity | null> {
    if (!UUID.test(customerId)) return Promise.resolve(null);
    return em.getRepository(EdrConnectorEntity).findOneBy({ customerId, product });
  }

  findForUpdate(em: EntityManager, customerId: string, product: EdrProductCode): Promise<EdrConnectorEntity | null> {
    return em.getRepository(EdrConnectorEntity).createQueryBuilder('c').setLock('pessimistic_write').where('c.customer_id = :customerId AND c.product = :product', { customerId, product }).getOne();
  }

  // Every configured connector (of one product), for the inventory sync and the detection pull.
  all(product?: EdrProductCode): Promise<EdrConnectorEntity[]> {
    return this.ds.getRepository(EdrConnectorEntity).find({ where: product ? { product } : {}, order: { customerId: 'ASC', product: 'ASC' } });
  }

  // Inserts or updates (customer, product); a changed credential resets the health to UNKNOWN.
  async upsert(em: EntityManager, w: ConnectorWrite, existing: EdrConnectorEntity | null): Promise<EdrConnectorEntity> {
    const repo = em.getRepository(EdrConnectorEntity);
    if (!existing) return repo.save(repo.create({ ...w, secretCiphertext: w.secretCiphertext!, health: 'UNKNOWN', lastError: null, checkedAt: null }));
    const credentialChanged = w.secretCiphertext !== undefined || w.baseUrl !== existing.baseUrl || w.clientId !== existing.clientId || w.orgKey !== existing.orgKey;
    Object.assign(existing, { baseUrl: w.baseUrl, clientId: w.clientId, orgKey: w.orgKey, sensorId: w.sensorId });
    if (w.secretCiphertext !== undefined) existing.secretCiphertext = w.secretCiphertext;
    if (credentialChanged) Object.assign(existing, { health: 'UNKNOWN', lastError: null, checkedAt: null });
    return repo.save(existing);
  }

  // UNHEALTHY with the vendor's message, in the caller's transaction; the row's id, URL and the
  // health it had before (null when there is no such connector).
  async turnUnhealthy(em: EntityManager, customerId: string, product: EdrProductCode, lastError: string, at: Date): Promise<{ id: string; baseUrl: string; previous: ConnectorHealthValue } | null> {
    if (!UUID.test(customerId)) return null;
    const [rows] = (await em.query(
      `WITH prev AS (SELECT id, health FROM endpoint_response.edr_connector WHERE customer_id = $1 AND product = $2 FOR UPDATE)
       UPDATE endpoint_response.edr_connector c SET health = 'UNHEALTHY', last_error = $3, checked_at = $4 FROM prev WHERE c.id = prev.id
       RETURNING c.id, c.base_url AS "baseUrl", prev.health AS previous`,
      [customerId, product, lastError, at],
    )) as [{ id: string; baseUrl: string; previous: ConnectorHealthValue }[], number];
    return rows[0] ?? null;
  }

  async setHealth(customerId: string, product: EdrProductCode, health: ConnectorHealthValue, lastError: string | null, at: Date): Promise<EdrConnectorEntity | null> {
    if (!UUID.test(customerId)) return null;
    const rows: EdrConnectorEntity[] = await this.ds
      .getRepository(EdrConnectorEntity)
      .createQueryBuilder()
      .update()
      .set({ health, lastError, checkedAt: at })
      .where('customer_id = :customerId AND product = :product', { customerId, product })
      .returning('*')
      .execute()
      .then((r) => r.raw as EdrConnectorEntity[]);
    return rows.length ? this.find(customerId, product) : null;
  }

  // Ids of connectors whose secret is not under the current key (the rotation job's work).
  async staleKeyIds(currentKeyId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM endpoint_response.edr_connector WHERE secret_ciphertext NOT LIKE $1 ORDER BY id`, [`v1.${currentKeyId}.%`]);
    return rows.map((r) => r.id);
  }

  lockById(em: EntityManager, id: string): Promise<EdrConnectorEntity | null> {
    return em.getRepository(EdrConnectorEntity).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  async setSecret(em: EntityManager, id: string, secretCiphertext: string): Promise<void> {
    await em.getRepository(EdrConnectorEntity).update({ id }, { secretCiphertext });
  }
}
