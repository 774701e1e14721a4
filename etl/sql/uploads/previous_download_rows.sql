-- Keys of the published rows a connector download of the source gave (not derived): what its next download replaces.
select o.indicator_code, o.level, o.territory_code, o.period, o.sex
from observation o
join load l on l.load_id = o.load_id
where l.kind = 'etl' and l.source_code = $source and not o.derived
