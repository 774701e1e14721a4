-- Published observations (given and derived) of the given indicators, or of all when $codes is null.
select indicator_code, level, territory_code, period, sex, value
from observation
where $codes is null or list_contains($codes, indicator_code)
