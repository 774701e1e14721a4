-- One row per action with its strategy (text, actors, projects).
select a.code, a.strategy_code, a.short_title_it, a.short_title_en, a.text_it,
       s.title_it as strategy_title_it, s.title_en as strategy_title_en, s.description_it as strategy_description_it,
       s.actors_it, s.projects_it
from action a join strategy s on s.code = a.strategy_code
order by a.code
