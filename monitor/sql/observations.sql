-- One row per observation of one indicator at one level (all periods and sexes), named and traced to its load.
select o.indicator_code, o.level, o.territory_code,
       coalesce(m.name, z.name, 'Città metropolitana di Torino') as territory_name,
       coalesce(m.zone_id, z.zone_id) as zone_id, mz.name as zone_name,
       o.period, o.sex, o.value, o.numerator, o.denominator, o.derived, o.note,
       s.producer, o.load_id, l.created_at as loaded_at, l.kind as load_kind, l.created_by as loaded_by,
       l.released_on,
       m.population, m.centroid_lon, m.centroid_lat
from observation o
left join municipality m on o.level = 'comune' and m.istat_code = o.territory_code
left join zone z on o.level = 'zona' and cast(z.zone_id as varchar) = o.territory_code
left join zone mz on mz.zone_id = coalesce(m.zone_id, z.zone_id)
left join source s on s.source_code = o.source_code
left join load l on l.load_id = o.load_id
where o.indicator_code = $indicator and o.level = $level
order by o.period, o.sex, o.territory_code
