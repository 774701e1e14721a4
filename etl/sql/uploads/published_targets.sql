-- Published baselines and targets: one row per indicator × level × territory × sex.
select indicator_code, level, territory_code, sex, baseline_period, baseline_value, target_period, target_value
from indicator_target
