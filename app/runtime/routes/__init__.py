"""The runtime's HTTP routes, one module per resource of the reference's §3."""

from app.runtime.routes import (
    agents,
    environments,
    events,
    files,
    memory_stores,
    resources,
    sessions,
    skills,
    threads,
    vaults,
)

ROUTES = [
    *environments.routes,
    *agents.routes,
    *sessions.routes,
    *events.routes,
    *threads.routes,
    *resources.routes,
    *skills.routes,
    *memory_stores.routes,
    *files.routes,
    *vaults.routes,
]
