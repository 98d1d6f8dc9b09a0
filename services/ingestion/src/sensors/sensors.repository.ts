import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { SensorProductCode } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { SensorEntity } from './sensor.entity';

// What the intake listeners need to attribute and parse a record, read in one query.
export interface IntakeSensorRow {
  id: string;
  customer_id: string;
  product: SensorProductCode;
  time_zone: string;
  token_hash: string;
  previous_token_hash: string | null;
  previous_token_valid_until: Date | null;
  revoked_at: Date | null;
  accept_udp: boolean;
}

const INTAKE_COLUMNS = 'id, customer_id, product, time_zone, token_hash, previous_token_hash, previous_token_valid_until, revoked_at, accept_udp';

@Injectable()
export class SensorsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  async findVisible(scope: TenantScope, customerIds?: readonly string[]): Promise<SensorEntity[]> {
    const qb = this.ds.getRepository(SensorEntity).createQueryBuilder('s').orderBy('s.created_at').addOrderBy('s.id');
    this.directory.applyScope(qb, scope, 's.customer_id');
    if (customerIds) qb.andWhere('s.customer_id IN (:...customerIds)', { customerIds: customerIds.length ? [...customerIds] : ['00000000-0000-0000-0000-000000000000'] });
    return qb.getMany();
  }

  async findVisibleByIds(scope: TenantScope, ids: readonly string[]): Promise<SensorEntity[]> {
    if (ids.length === 0) return [];
    const qb = this.ds.getRepository(SensorEntity).createQueryBuilder('s').where('s.id IN (:...ids)', { ids: [...ids] });
    this.directory.applyScope(qb, scope, 's.customer_id');
    return qb.getMany();
  }

  // Locked for the caller's transaction: settings, rotation and revocation do not interleave.
  findByIdForUpdate(em: EntityManager, id: string): Promise<SensorEntity | null> {
    return em.getRepository(SensorEntity).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id }).getOne();
  }

  insert(em: EntityManager, values: Partial<SensorEntity>): Promise<SensorEntity> {
    const repo = em.getRepository(SensorEntity);
    return repo.save(repo.create(values));
  }

  save(em: EntityManager, sensor: SensorEntity): Promise<SensorEntity> {
    return em.getRepository(SensorEntity).save(sensor);
  }

  // Serializes changes of source addresses and senders, so two sensors cannot claim one at once.
  async lockClaims(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('ingestion.sensor.claims'))`);
  }

  // Another live sensor already receiving syslog from one of these addresses (or mail from one of
  // these senders): attribution must be unambiguous.
  async claimedSourceIps(em: EntityManager, ips: string[], exceptId?: string): Promise<string[]> {
    if (ips.length === 0) return [];
    const rows: { ip: string }[] = await em.query(
      `SELECT DISTINCT ip FROM ingestion.sensor, unnest(allowed_source_ips) AS ip
       WHERE revoked_at IS NULL AND allowed_source_ips && $1::text[] AND ip = ANY($1::text[]) AND ($2::uuid IS NULL OR id <> $2)`,
      [ips, exceptId ?? null],
    );
    return rows.map((r) => r.ip);
  }

  async claimedSenders(em: EntityManager, senders: string[], exceptId?: string): Promise<string[]> {
    if (senders.length === 0) return [];
    const rows: { sender: string }[] = await em.query(
      `SELECT DISTINCT sender FROM ingestion.sensor, unnest(allowed_senders) AS sender
       WHERE revoked_at IS NULL AND allowed_senders && $1::text[] AND sender = ANY($1::text[]) AND ($2::uuid IS NULL OR id <> $2)`,
      [senders, exceptId ?? null],
    );
    return rows.map((r) => r.sender);
  }

  async intakeById(id: string): Promise<IntakeSensorRow | null> {
    const rows: IntakeSensorRow[] = await this.ds.query(`SELECT ${INTAKE_COLUMNS} FROM ingestion.sensor WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async intakeBySourceIp(ip: string): Promise<IntakeSensorRow | null> {
    const rows: IntakeSensorRow[] = await this.ds.query(
      `SELECT ${INTAKE_COLUMNS} FROM ingestion.sensor WHERE revoked_at IS NULL AND allowed_source_ips @> ARRAY[$1::text] ORDER BY created_at LIMIT 1`,
      [ip],
    );
    return rows[0] ?? null;
  }

  // The live sensor a TLS client certificate (SHA-256 fingerprint, AA:BB:... upper case) is bound to.
  async intakeByCertificate(fingerprint: string): Promise<IntakeSensorRow | null> {
    const rows: IntakeSensorRow[] = await this.ds.query(
      `SELECT ${INTAKE_COLUMNS} FROM ingestion.sensor WHERE revoked_at IS NULL AND client_cert_fingerprints @> ARRAY[$1::text] ORDER BY created_at LIMIT 1`,
      [fingerprint],
    );
    return rows[0] ?? null;
  }

  async claimedCertificates(em: EntityManager, fingerprints: string[], exceptId?: string): Promise<string[]> {
    if (fingerprints.length === 0) return [];
    const rows: { fp: string }[] = await em.query(
      `SELECT DISTINCT fp FROM ingestion.sensor, unnest(client_cert_fingerprints) AS fp
       WHERE revoked_at IS NULL AND client_cert_fingerprints && $1::text[] AND fp = ANY($1::text[]) AND ($2::uuid IS NULL OR id <> $2)`,
      [fingerprints, exceptId ?? null],
    );
    return rows.map((r) => r.fp);
  }

  async intakeBySender(sender: string): Promise<IntakeSensorRow | null> {
    const rows: IntakeSensorRow[] = await this.ds.query(
      `SELECT ${INTAKE_COLUMNS} FROM ingestion.sensor WHERE revoked_at IS NULL AND allowed_senders @> ARRAY[$1::text] ORDER BY created_at LIMIT 1`,
      [sender],
    );
    return rows[0] ?? null;
  }
}
