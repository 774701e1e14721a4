-- One row per comune of one indicator in one period and sex, named, placed in its zone and traced to its load.
select o.indicator_code, o.level, o.territory_code,
       coalesce(m.name, 'Città metropolitana di Torino') as territory_name,
       m.zone_id, mz.name as zone_name,
       o.period, o.sex, o.value, o.numerator, o.denominator, o.derived, o.note,
       s.producer, o.load_id, l.created_at as loaded_at, l.kind as load_kind, l.created_by as loaded_by,
       l.released_on,
       m.population, m.centroid_lon, m.centroid_lat
from observation o
left join municipality m on m.istat_code = o.territory_code
left join zone mz on mz.zone_id = m.zone_id
left join source s on s.source_code = o.source_code
left join load l on l.load_id = o.load_id
where o.indicator_code = $indicator and o.level = 'comune' and o.period = $period and o.sex = $sex
order by o.territory_code
