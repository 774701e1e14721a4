-- One row per observation × load it came from: a given row's load; every load of the rows a derived row was made
-- from. Reads observation_built (observation.sql), then drops it and benchmark_built.
insert into observation_load
select indicator_code, level, territory_code, period, sex, unnest(loads) as load_id
from observation_built
order by all;

drop table observation_built;
drop table benchmark_built;
