import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface DutyShift {
  id: string;
  tier: number;
  person: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class RosterRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(shift: Omit<DutyShift, 'id'>, createdBy: string): Promise<DutyShift> {
    const rows: RawShift[] = await this.ds.query(
      `INSERT INTO incident.duty_shift (tier, person, name, starts_at, ends_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [shift.tier, shift.person, shift.name, shift.startsAt, shift.endsAt, createdBy],
    );
    return toShift(rows[0]);
  }

  async remove(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const [, affected] = (await this.ds.query(`DELETE FROM incident.duty_shift WHERE id = $1`, [id])) as [unknown, number];
    return affected > 0;
  }

  async between(from: Date, to: Date): Promise<DutyShift[]> {
    const rows: RawShift[] = await this.ds.query(`SELECT * FROM incident.duty_shift WHERE ends_at > $1 AND starts_at < $2 ORDER BY starts_at, tier, person`, [from, to]);
    return rows.map(toShift);
  }

  // Who is on duty at `at` for a tier: of overlapping shifts, the one that started first.
  async onDuty(em: EntityManager, tier: number, at: Date): Promise<DutyShift | null> {
    const rows: RawShift[] = await em.query(
      `SELECT * FROM incident.duty_shift WHERE tier = $1 AND starts_at <= $2 AND ends_at > $2 ORDER BY starts_at, id LIMIT 1`,
      [tier, at],
    );
    return rows[0] ? toShift(rows[0]) : null;
  }
}

interface RawShift {
  id: string;
  tier: number;
  person: string;
  name: string;
  starts_at: Date;
  ends_at: Date;
}
const toShift = (r: RawShift): DutyShift => ({ id: r.id, tier: r.tier, person: r.person, name: r.name, startsAt: new Date(r.starts_at), endsAt: new Date(r.ends_at) });
