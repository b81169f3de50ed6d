/**
 * The numbered instruments of the city seed's hazards: each review's 整改复查意见书 and each
 * extension decision's 延期审批意见书, as the hazard workflow's activity issues them
 * (db/instrument-numbers.ts): the same kinds, agencies, years and official form, linked to their
 * step, the agency's counter left at the last number so a live instrument goes on from it. Issued
 * in one pass after the hazards are written, so each agency's numbers of a year run from where its
 * counter stood, without gaps, in the order the decisions were taken. Steps already numbered are
 * left alone: a second run (or one going on after a crash) numbers only what is missing.
 */
import type pg from 'pg';
import { HAZARD_INSTRUMENT_OF_EVENT } from '../domain/documents/hazard-instruments';
import { issuingAgency } from '../domain/instrument-number';
import type { CityDirectory } from './seed-city-directory';

/** The agency numbering for each region of the city, by region path (a hazard's region_path). */
export function agenciesByPath(city: Pick<CityDirectory, 'regions'>): Map<string, string> {
  const byId = new Map(city.regions.map((r) => [r.id, r]));
  const out = new Map<string, string>();
  for (const region of city.regions) {
    const upward = region.path.split('/').filter(Boolean).reverse().map((id) => byId.get(id)!);
    out.set(region.path, issuingAgency(upward));
  }
  return out;
}

/** Numbers the city's decided reviews and extensions that have no instrument yet; returns how many rows it wrote. */
export async function numberSeededInstruments(client: pg.ClientBase, city: Pick<CityDirectory, 'regions' | 'city'>): Promise<number> {
  const agencies = agenciesByPath(city);
  const types = Object.keys(HAZARD_INSTRUMENT_OF_EVENT);
  const result = await client.query<{ n: string }>(
    `with agencies (path, agency) as (select * from unnest($1::text[], $2::text[])),
          kinds (type, kind) as (select * from unnest($3::text[], $4::text[])),
          decided as (
            select e.hazard_id, e.step_key, e.actor, e.occurred_at, k.kind, a.agency,
                   extract(year from e.occurred_at at time zone 'Asia/Shanghai')::int as year
            from hazard_events e
            join kinds k on k.type = e.type
            join hazards h on h.id = e.hazard_id
            join agencies a on a.path = h.region_path
            where h.region_path like $5
              and not exists (select 1 from hazard_instruments hi where hi.hazard_id = e.hazard_id and hi.step_key = e.step_key)),
          numbered as (
            select d.*, md5('duban.city-seed.instrument:' || d.hazard_id || ':' || d.step_key)::uuid as id,
                   coalesce(c.last_number, 0) + row_number() over (partition by d.agency, d.year order by d.occurred_at, d.hazard_id, d.step_key) as number
            from decided d left join instrument_counters c on c.agency = d.agency and c.year = d.year),
          issued as (
            insert into instruments (id, agency, year, number, code, kind, subject_type, subject_id, issued_by, issued_at)
            select id, agency, year, number, agency || '〔' || year || '〕' || number || '号', kind, 'hazard', hazard_id::text, actor, occurred_at from numbered),
          linked as (
            insert into hazard_instruments (hazard_id, step_key, instrument_id) select hazard_id, step_key, id from numbered),
          counted as (
            insert into instrument_counters (agency, year, last_number) select agency, year, max(number) from numbered group by agency, year
            on conflict (agency, year) do update set last_number = greatest(instrument_counters.last_number, excluded.last_number))
     select count(*) as n from numbered`,
    [[...agencies.keys()], [...agencies.values()], types, types.map((t) => HAZARD_INSTRUMENT_OF_EVENT[t]!), `${city.city.path}%`],
  );
  return Number(result.rows[0]!.n) * 2;
}
