-- observation_load: every load exists, every observation has its loads, and an observation's load_id is one of them.
select l.indicator_code, l.level, l.territory_code, l.period, l.sex, l.load_id, 'caricamento sconosciuto' as problem
from observation_load l anti join load using (load_id)
union all
select o.indicator_code, o.level, o.territory_code, o.period, o.sex, o.load_id, 'load_id non tra i suoi caricamenti'
from observation o anti join observation_load l using (indicator_code, level, territory_code, period, sex, load_id)
union all
select l.indicator_code, l.level, l.territory_code, l.period, l.sex, l.load_id, 'caricamento di un''osservazione assente'
from observation_load l anti join observation o using (indicator_code, level, territory_code, period, sex)
