-- Every observation of one indicator with its name, territory names, source and load: one part of the full download.
select o.indicator_code, i.name_it as indicator_name_it, i.unit, o.level, o.territory_code,
       coalesce(m.name, z.name, b.name_it, 'Città metropolitana di Torino') as territory_name,
       o.period, o.sex, o.value, o.numerator, o.denominator, o.derived, s.producer as source, s.licence,
       o.load_id, l.created_at as loaded_at, o.note
from observation o
join indicator i on i.code = o.indicator_code
left join municipality m on o.level = 'comune' and m.istat_code = o.territory_code
left join zone z on o.level = 'zona' and cast(z.zone_id as varchar) = o.territory_code
left join benchmark_territory b on b.level = o.level and b.territory_code = o.territory_code
left join source s on s.source_code = o.source_code
left join load l on l.load_id = o.load_id
where o.indicator_code = $indicator
order by o.indicator_code, o.level, o.territory_code, o.period, o.sex
