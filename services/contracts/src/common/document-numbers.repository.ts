import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

// Gap-free numbering: the counter row of (prefix, year) is incremented inside the caller's
// transaction and stays locked until it commits. A rollback takes the numbers back with it, and
// a concurrent caller waits for the lock, so numbers are neither skipped nor handed out twice.
@Injectable()
export class DocumentNumbersRepository {
  // Reserves `count` consecutive numbers; returns the first.
  async allocate(em: EntityManager, prefix: string, year: number, count = 1): Promise<number> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('document numbers are allocated inside the transaction that stores the documents');
    const [row]: { last_value: number }[] = await em.query(
      `INSERT INTO contracts.document_counter (prefix, year, last_value) VALUES ($1, $2, $3)
       ON CONFLICT (prefix, year) DO UPDATE SET last_value = contracts.document_counter.last_value + EXCLUDED.last_value
       RETURNING last_value`,
      [prefix, year, count],
    );
    return row.last_value - count + 1;
  }
}
