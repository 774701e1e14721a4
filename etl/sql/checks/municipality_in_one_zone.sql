-- municipality: every comune belongs to exactly one existing zone; zone.comuni matches.
select m.istat_code, m.zone_id, 'comune in una zona inesistente' as problem
from municipality m left join zone z using (zone_id) where z.zone_id is null
union all
select cast(z.zone_id as varchar), z.comuni, 'numero di comuni della zona non coerente' as problem
from zone z left join (select zone_id, count(*) as n from municipality group by zone_id) c using (zone_id)
where coalesce(c.n, 0) <> z.comuni
