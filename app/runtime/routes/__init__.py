"""The runtime's HTTP routes, one module per resource of the reference's §3."""

from app.runtime.routes import agents, environments, events, resources, sessions, threads
from app.runtime.routes import vaults

ROUTES = [
    *environments.routes,
    *agents.routes,
    *sessions.routes,
    *events.routes,
    *threads.routes,
    *resources.routes,
    *vaults.routes,
]
