"""Matchmaking events: the rules (services and selectors) behind the event pages.

Modules: `access` (who may do what), `setup` (time slots), `participants`, `wishes`,
`pairs` (the pair matrix and meeting values), `schedule` (generate, edit, publish),
`agenda`, `dashboard`, `outcomes`, `exports`.
"""
