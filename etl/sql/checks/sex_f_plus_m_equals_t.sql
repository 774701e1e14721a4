-- observation: F + M = T for additive values and for the numerators and denominators of ratios.
with obs as (
    select o.* from observation o join indicator i on i.code = o.indicator_code
    where i.aggregation in ('sum', 'ratio') and i.by_sex
)
select t.indicator_code, t.level, t.territory_code, t.period, t.numerator, f.numerator + m.numerator as f_plus_m
from obs t
join obs f on f.sex = 'F' and (f.indicator_code, f.level, f.territory_code, f.period) = (t.indicator_code, t.level, t.territory_code, t.period)
join obs m on m.sex = 'M' and (m.indicator_code, m.level, m.territory_code, m.period) = (t.indicator_code, t.level, t.territory_code, t.period)
where t.sex = 'T'
  and (abs(t.numerator - (f.numerator + m.numerator)) > 1e-6
       or abs(coalesce(t.denominator, 0) - (coalesce(f.denominator, 0) + coalesce(m.denominator, 0))) > 1e-6)
