-- One row per period × sex that one indicator has at one level, newest period first (for the year and sex selectors).
select distinct period, sex
from observation
where indicator_code = $indicator and level = $level
order by period desc, sex
