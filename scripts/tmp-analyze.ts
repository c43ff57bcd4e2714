import { PGlite } from '@electric-sql/pglite';
(async () => {
  const pg = new PGlite(process.argv[2]);
  await pg.waitReady;
  console.log((await pg.query<any>(`select relname, n_live_tup, last_analyze, last_autoanalyze from pg_stat_user_tables`)).rows);
  const t = Date.now(); await pg.exec('analyze'); console.log('analyze ms', Date.now() - t);
  const sql = "select * from applications where applicant_id = any((select array_agg(applicant_id) from (select applicant_id from applications offset 9000 limit 50) s)::uuid[]) order by submitted_on, number";
  for (let i = 0; i < 3; i++) { const r = await pg.query<any>(`explain (analyze, buffers) ${sql}`); if (i == 2) console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n')); }
  await pg.close();
})();
