/**
 * The rows a city's other lists read, written in bulk beside a city seed (which writes hazards,
 * their trails and notifications only), shaped like a year and a half of a bureau's work: notices
 * (most closed, the open ones signed or not, some up the ladder, some awaiting a decision) with
 * their instruments, notifications and decisions; suspensions; inspections; urges of hazards and
 * notices; and the inbox rows the hazards' notifications were delivered as. Rows only, triggers
 * off, like the seed; then vacuumed and analysed.
 */
import pg from 'pg';

export interface CaseRowCounts {
  notices: number;
  suspensions: number;
  inspections: number;
  urges: number;
}

export const CASE_ROWS: CaseRowCounts = { notices: 20_000, suspensions: 3_000, inspections: 60_000, urges: 20_000 };

/** Writes the rows with `url` (the owner's: triggers go off for the session); answers each table's row count. */
export async function seedCaseRows(url: string, asOf: Date, counts: CaseRowCounts = CASE_ROWS): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set session_replication_role = replica');
    await client.query('select setseed(0.13)');
    const at = asOf.toISOString();
    // Days before asOf, spread over 540 days (the seed's 18 months), more of them recent.
    const ago = `(540 * power(random(), 1.3))`;
    await client.query(
      `insert into notices (id, workflow_id, code, agency, enterprise_id, region_path, title, requirements, legal_basis, deadline, due_at,
         provisional, grade, policy, status, signed_at, signed_by, sign_due_at, overdue_since, ladder_level, open_hazards, issued_by, issued_at,
         closed_at, updated_at, projection_seq)
       select id, 'notice-' || id, agency || '〔' || extract(year from issued)::int || '〕' || n || '号', agency, ent, path, '督办通知 ' || n, '限期整改', '安全生产法',
         (issued + interval '30 days')::date, issued + interval '30 days', false, case when r < 0.1 then 'major' else 'general' end, '{}'::jsonb, status,
         case when status <> 'issued' then issued + interval '2 days' end, case when status <> 'issued' then 'plans-enterprise' end,
         issued + interval '3 days', case when status <> 'closed' and issued + interval '30 days' < $1::timestamptz then issued + interval '30 days' end,
         case when status <> 'closed' and issued + interval '30 days' < $1::timestamptz then 1 + (n % 4) else 0 end,
         case when status = 'closed' then 0 else 1 + n % 3 end, 'plans-issuer', issued,
         case when status = 'closed' then least(issued + interval '25 days', $1::timestamptz) end, issued, 1
       from (
         select gen_random_uuid() as id, n, e.id as ent, e.region_path as path, '应急' || substr(e.region_path, 2, 8) as agency, r, issued,
           case when issued > $1::timestamptz - interval '45 days' then (case when r < 0.3 then 'issued' when r < 0.8 then 'signed' else 'closed' end)
                when r < 0.05 then 'issued' when r < 0.15 then 'signed' else 'closed' end as status
         from (select n, random() as r, $1::timestamptz - ${ago} * interval '1 day' as issued, 1 + floor(random() * 6000)::int as k from generate_series(1, $2::int) n) g
         join (select id, region_path, row_number() over (order by id) as k from enterprises) e on e.k = g.k
       ) x`,
      [at, counts.notices],
    );
    // Each notice's own instrument, and the ladder's latest for those up it.
    await client.query(
      `insert into instruments (agency, year, number, code, kind, subject_type, subject_id, issued_by, issued_at)
       select agency, extract(year from issued_at)::int, row_number() over (partition by agency, extract(year from issued_at) order by issued_at, id) + 100000,
         code || '-' || row_number() over (order by id), 'rectification_order', 'notice', id::text, issued_by, issued_at from notices`,
    );
    await client.query(
      `with up as (
         select n.id, n.agency, n.issued_at + interval '31 days' as at, (array['reminder_card', 'list', 'supervision_letter', 'directive'])[n.ladder_level] as kind,
           n.agency || '〔梯〕' || row_number() over (order by n.id) || '号' as code
         from notices n where n.ladder_level > 0
       ), made as (
         insert into instruments (agency, year, number, code, kind, subject_type, subject_id, issued_by, issued_at)
         select agency, extract(year from at)::int, row_number() over (partition by agency, extract(year from at) order by id) + 500000, code, kind, 'notice', id::text, 'system', at from up returning subject_id, code
       )
       update notices n set last_instrument_code = made.code from made where n.id::text = made.subject_id`,
    );
    await client.query(
      `insert into notice_notifications (notice_id, step_key, kind, recipient_role, message, scheduled_at)
       select n.id, 'ladder-' || l, (array['reminder_card', 'list', 'supervision_letter', 'directive'])[l],
         (array['supervisor', 'responsible_leader', 'county_leader', 'city_leader'])[l], '督办升级', n.due_at + l * interval '1 day'
       from notices n cross join generate_series(1, 4) l where l <= n.ladder_level
       union all
       select n.id, 'sign-escalation', 'sign_escalation', 'section_chief', '未按期签收', n.sign_due_at from notices n where n.signed_at is null or n.signed_at > n.sign_due_at`,
    );
    await client.query(
      `insert into notice_decisions (id, notice_id, kind, decider_role, opened_at, status, decided_by, decided_at)
       select gen_random_uuid(), id, (array['warning_interview', 'penalty', 'suspension', 'judicial_transfer'])[1 + abs(hashtext(id::text)) % 4],
         (array['section_chief', 'county_leader', 'bureau_director'])[1 + abs(hashtext(code)) % 3], due_at + interval '5 days',
         case when status = 'closed' then 'taken' else 'pending' end,
         case when status = 'closed' then 'plans-decider' end, case when status = 'closed' then due_at + interval '8 days' end
       from notices where ladder_level >= 2 or (status = 'closed' and abs(hashtext(id::text)) % 20 = 0)`,
    );
    await client.query(
      `insert into suspensions (id, workflow_id, enterprise_id, region_path, document_number, reason, scope, starts_on, planned_end, max_end, max_days,
         status, created_by, created_at, updated_at, projection_seq, resumed_at, lifted_at)
       select x.id, 'suspension-' || x.id, e.id, e.region_path, '停〔' || n || '〕号', '重大隐患', case when r < 0.7 then 'full' else 'partial' end,
         created::date, (created + interval '30 days')::date, (created + interval '90 days')::date, 90, status, 'plans-issuer', created, created, 1,
         case when status in ('resumed', 'lifted') then created + interval '30 days' end, case when status = 'lifted' then created + interval '40 days' end
       from (
         select gen_random_uuid() as id, n, r, created, k,
           case when created > $1::timestamptz - interval '60 days' then (case when r < 0.6 then 'suspended' when r < 0.8 then 'resumption_requested' else 'resumed' end)
                when r < 0.03 then 'suspended' when r < 0.5 then 'resumed' else 'lifted' end as status
         from (select n, random() as r, $1::timestamptz - ${ago} * interval '1 day' as created, 1 + floor(random() * 6000)::int as k from generate_series(1, $2::int) n) g
       ) x join (select id, region_path, row_number() over (order by id) as k from enterprises) e on e.k = x.k`,
      [at, counts.suspensions],
    );
    await client.query(
      `insert into inspections (id, enterprise_id, region_path, location, started_at, ended_at, inspectors, created_by, created_at, findings_count, failed_count, hazards_count)
       select gen_random_uuid(), e.id, e.region_path, '厂区', started, started + interval '2 hours', array[u.id], u.username, started + interval '3 hours',
         10, failed, case when started < $1::timestamptz - interval '14 days' or r < 0.5 then failed else 0 end
       from (
         select n, random() as r, $1::timestamptz - ${ago} * interval '1 day' as started, 1 + floor(random() * 6000)::int as k,
           (array[0, 0, 0, 1, 1, 2, 3])[1 + floor(random() * 7)::int] as failed
         from generate_series(1, $2::int) n
       ) g
       join (select id, region_path, row_number() over (order by id) as k from enterprises) e on e.k = g.k
       join (select id, username, row_number() over (order by id) - 1 as k from users where role = 'supervisor' and kind = 'person') u on u.k = g.n % 200`,
      [at, counts.inspections],
    );
    // Urges by leaders, of open and overdue items mostly: three in four of hazards, the rest of notices.
    await client.query(
      `insert into urges (item_kind, item_id, step_key, region_path, enterprise_id, urged_by, urged_at, message)
       select 'hazard', h.id, 'urge-' || g.n, h.region_path, h.enterprise_id, l.username, least(h.due_at + interval '3 days', $1::timestamptz) - interval '1 hour', '请加快整改'
       from (select n, 1 + floor(random() * 100000)::int as k from generate_series(1, $2::int * 3 / 4) n) g
       join (select id, region_path, enterprise_id, due_at, row_number() over (order by (status = 'rectifying') desc, due_at, id) as k from hazards) h on h.k = g.k
       join (select username, row_number() over (order by id) - 1 as k from users where role = 'leader' and kind = 'person') l on l.k = g.n % 40
       on conflict do nothing`,
      [at, counts.urges],
    );
    await client.query(
      `insert into urges (item_kind, item_id, step_key, region_path, enterprise_id, urged_by, urged_at, message)
       select 'notice', o.id, 'urge-' || g.n, o.region_path, o.enterprise_id, l.username, least(o.due_at + interval '3 days', $1::timestamptz) - interval '1 hour', '请加快整改'
       from (select n, 1 + floor(random() * (select count(*) from notices))::int as k from generate_series(1, $2::int / 4) n) g
       join (select id, region_path, enterprise_id, due_at, row_number() over (order by id) as k from notices) o on o.k = g.k
       join (select username, row_number() over (order by id) - 1 as k from users where role = 'leader' and kind = 'person') l on l.k = g.n % 40
       on conflict do nothing`,
      [at, counts.urges],
    );
    // The inbox: each hazard notification delivered to the supervisor in charge, an escalation also
    // to the enterprise's 包联 leader; read unless it came in the last fortnight.
    await client.query(
      `insert into deliveries (user_id, workflow_id, step_key, channel, subject_type, subject_id, kind, recipient_role, message, scheduled_at, created_at,
         read_at, state, sent_at)
       select distinct on (d.user_id, n.hazard_id, n.step_key) d.user_id, 'hazard-' || n.hazard_id, n.step_key, 'inbox', 'hazard', n.hazard_id, n.kind, n.recipient_role, n.message,
         n.scheduled_at, n.scheduled_at,
         case when n.scheduled_at < $1::timestamptz - interval '14 days' or abs(hashtext(n.step_key || n.hazard_id)) % 3 = 0 then n.scheduled_at + interval '1 day' end,
         'sent', n.scheduled_at
       from notifications n join hazards h on h.id = n.hazard_id join enterprises e on e.id = h.enterprise_id
       cross join lateral (
         select u.id as user_id from users u where u.username = h.assigned_supervisor
         union all
         select e.responsible_leader_id where n.kind = 'escalation' and e.responsible_leader_id is not null
       ) d`,
      [at],
    );
    // As autovacuum leaves a live database: statistics, and the visibility map index-only scans need.
    await client.query('vacuum analyze');
    const tables = ['hazards', 'notifications', 'notices', 'instruments', 'notice_notifications', 'notice_decisions', 'suspensions', 'inspections', 'urges', 'deliveries'];
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await client.query(`select count(*) as n from ${t}`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}
