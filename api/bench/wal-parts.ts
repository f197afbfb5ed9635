/**
 * The WAL a workload writes, by relation (pg_walinspect): which tables and indexes a transaction
 * changes, how much it logs for each and how many whole pages (full-page images, the first change
 * of a page after a checkpoint). The cost of each part of a transaction, side by side with TPC-B.
 */
import { withClient } from "../src/db/client.ts";

export interface RelationWork {
  relation: string;
  /** Per transaction: block changes logged, their bytes, full-page images and their bytes. */
  changes: number;
  dataBytes: number;
  fullPages: number;
  fullPageBytes: number;
}

/**
 * Runs `workload` (`transactions` transactions, nothing else writing) right after a checkpoint and
 * returns the WAL it wrote per transaction for each relation of the database `superuserUrl` names;
 * records without a block (commits) are one line, "(no relation: commit records)".
 */
export async function walByRelation(superuserUrl: string, transactions: number, workload: () => void): Promise<RelationWork[]> {
  return withClient(superuserUrl, async (client) => {
    await client.query("create extension if not exists pg_walinspect");
    await client.query("checkpoint");
    const start = (await client.query<{ lsn: string }>("select pg_current_wal_insert_lsn()::text as lsn")).rows[0].lsn;
    workload();
    const end = (await client.query<{ lsn: string }>("select pg_current_wal_insert_lsn()::text as lsn")).rows[0].lsn;
    const { rows } = await client.query<{
      relation: string;
      changes: string;
      data_bytes: string;
      full_pages: string;
      full_page_bytes: string;
    }>(
      `with block as (
         select coalesce(pg_filenode_relation(0, block.relfilenode)::text, 'other: ' || block.resource_manager) as relation,
           block.block_data_length,
           block.block_fpi_length
         from pg_get_wal_block_info($1::pg_lsn, $2::pg_lsn) as block
         where block.reldatabase = (select oid from pg_database where datname = current_database())
       )
       select relation, count(*) as changes, sum(block_data_length) as data_bytes,
         count(*) filter (where block_fpi_length > 0) as full_pages, coalesce(sum(block_fpi_length), 0) as full_page_bytes
       from block
       group by relation
       union all
       select '(no relation: commit records)', count(*), sum(record_length), 0, 0
       from pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) as record
       where record.resource_manager = 'Transaction'
       order by 4 desc, 3 desc`,
      [start, end],
    );
    return rows.map((row) => ({
      relation: row.relation,
      changes: Number(row.changes) / transactions,
      dataBytes: Number(row.data_bytes) / transactions,
      fullPages: Number(row.full_pages) / transactions,
      fullPageBytes: Number(row.full_page_bytes) / transactions,
    }));
  });
}
