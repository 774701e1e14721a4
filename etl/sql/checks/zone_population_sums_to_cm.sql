-- zone: populations sum to the CM population of the same year.
select z.population_year, sum(z.population) as zones, any_value(o.value) as cm
from zone z join observation o
  on o.indicator_code = 'population' and o.level = 'cm' and o.sex = 'T' and o.period = z.population_year
group by z.population_year
having sum(z.population) <> any_value(o.value)
