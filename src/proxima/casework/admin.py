"""No admin for cases: they are people's files (as people's records have none). Workers
keep them on their own pages (/casework/), where every read and change is audited and a
signed note cannot change."""
