-- One row per benchmark territory (Italia, the regions, the 14 città metropolitane): names, comuni in Istat's list,
-- and the note on its composition where there is one.
select level, territory_code, name_it, name_en, region_code, comuni, composition_it, composition_en
from benchmark_territory
order by case level when 'italia' then 0 when 'regione' then 1 else 2 end, territory_code
