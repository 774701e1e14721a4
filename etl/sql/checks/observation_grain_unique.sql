-- observation: one row per indicator × level × territory × period × sex.
select indicator_code, level, territory_code, period, sex, count(*) as rows
from observation
group by all
having count(*) > 1
