-- One row per observation of one indicator at the benchmark levels the pages show beside the CM: Italia, the CM's
-- region (build_info.region_code: Piemonte) and the 14 città metropolitane (is_home: the CM itself), every period
-- and sex, named, with the note on its composition, and traced to its load.
select o.indicator_code, o.level, o.territory_code, b.name_it, b.name_en,
       o.territory_code = (select value from build_info where key = 'cm_peer_code') as is_home,
       o.period, o.sex, o.value, o.numerator, o.denominator, o.note, b.composition_it, b.composition_en,
       s.producer, o.load_id, l.created_at as loaded_at, l.kind as load_kind, l.created_by as loaded_by
from observation o
join benchmark_territory b on b.level = o.level and b.territory_code = o.territory_code
left join source s on s.source_code = o.source_code
left join load l on l.load_id = o.load_id
where o.indicator_code = $indicator
  and (o.level in ('italia', 'citta_metropolitana')
       or (o.level = 'regione' and o.territory_code = (select value from build_info where key = 'region_code')))
order by o.period, o.sex, o.level, o.value desc, o.territory_code
