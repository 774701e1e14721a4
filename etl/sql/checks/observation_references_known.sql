-- observation: indicator, territory (the CM's comuni and zones, the CM, the benchmark territories) and source all exist.
select o.indicator_code, o.level, o.territory_code, o.source_code
from observation o
left join indicator i on i.code = o.indicator_code
left join municipality m on o.level = 'comune' and m.istat_code = o.territory_code
left join zone z on o.level = 'zona' and cast(z.zone_id as varchar) = o.territory_code
left join benchmark_territory b on b.level = o.level and b.territory_code = o.territory_code
left join source s on s.source_code = o.source_code
where i.code is null or s.source_code is null
   or (o.level = 'comune' and m.istat_code is null)
   or (o.level = 'zona' and z.zone_id is null)
   or (o.level = 'cm' and o.territory_code <> '001')
   or (o.level in ('italia', 'regione', 'citta_metropolitana') and b.territory_code is null)
