-- observation at the benchmark levels: the regions add up to Italia (numerators, and denominators of ratios) and a
-- città metropolitana never exceeds its region (denominators of ratios, numerators of sums): no national comune row
-- was lost on the way from Italia to its regions and metropolitan cities.
with obs as (
    select o.indicator_code, o.level, o.territory_code, o.period, o.sex, i.aggregation, b.region_code,
           o.numerator, coalesce(o.denominator, 0) as denominator
    from observation o
    join indicator i on i.code = o.indicator_code
    join benchmark_territory b on b.level = o.level and b.territory_code = o.territory_code
    where i.aggregation in ('sum', 'ratio')
),
regions as (
    select indicator_code, period, sex, sum(numerator) as numerator, sum(denominator) as denominator
    from obs where level = 'regione' group by all
)
select it.indicator_code, it.territory_code, it.period, it.sex, it.numerator, r.numerator as parts,
       'Italia ≠ somma delle regioni' as problem
from obs it left join regions r using (indicator_code, period, sex)
where it.level = 'italia'
  and (r.numerator is null or abs(it.numerator - r.numerator) > 1e-9 * greatest(1, abs(it.numerator))
       or abs(it.denominator - r.denominator) > 1e-9 * greatest(1, abs(it.denominator)))
union all
select cm.indicator_code, cm.territory_code, cm.period, cm.sex, cm.numerator, re.numerator,
       'città metropolitana oltre la sua regione'
from obs cm
join obs re on re.level = 'regione' and re.territory_code = cm.region_code and re.indicator_code = cm.indicator_code
    and re.period = cm.period and re.sex = cm.sex
where cm.level = 'citta_metropolitana'
  and (cm.denominator > re.denominator or (cm.aggregation = 'sum' and cm.numerator > re.numerator))
