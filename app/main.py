"""`create_app()`: the only module that wires the service together."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

from app.api import (
    audit,
    bodies,
    groups,
    health,
    integrations,
    jobs,
    memories,
    openapi,
    personalities,
    projects,
    retrieval,
    threads,
    users,
)
from app.api.deps import DEPENDENCIES
from app.auth import AuthMiddleware
from app.errors import EXCEPTION_HANDLERS
from app.idempotency import IdempotencyMiddleware
from app.lifespan import lifespan
from app.localgraph import Supervisor
from app.logging import RequestLogMiddleware, configure_logging
from app.settings import Settings


def create_app(settings: Settings | None = None, *, graph_supervisor: Supervisor | None = None) -> Litestar:
    """The API. `graph_supervisor`: the local graph server's, when this process started one (its state
    is part of `/health`)."""
    settings = (settings or Settings()).with_dev_secrets()
    configure_logging(settings.log_level)
    prometheus = PrometheusConfig(app_name="engram", group_path=True, exclude=["/metrics"])
    app = Litestar(
        route_handlers=[
            health.health,
            health.ready,
            PrometheusController,
            projects.AdminController,
            projects.KeyController,
            users.UserController,
            personalities.PersonalityController,
            groups.GroupController,
            integrations.IntegrationController,
            threads.ThreadController,
            jobs.get_job,
            jobs.list_jobs,
            audit.list_audit,
            *memories.ROUTES,
            *retrieval.ROUTES,
        ],
        dependencies=DEPENDENCIES,
        # Listed outermost first: log every request, then authenticate, then replay idempotent POSTs.
        middleware=[RequestLogMiddleware, prometheus.middleware, AuthMiddleware, IdempotencyMiddleware],
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=bodies.check_body,
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Engram",
            version="0.1.0",
            description="Graph-native memory for AI applications.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="egm_...")
                }
            ),
            security=[{"bearer": []}],
        ),
        logging_config=None,
        debug=False,
    )
    app.state.settings = settings
    app.state.graph_supervisor = graph_supervisor
    wire = openapi.wire_structs(
        audit,
        groups,
        health,
        integrations,
        jobs,
        memories,
        personalities,
        projects,
        retrieval,
        threads,
        users,
    )
    app.on_startup.append(lambda app: openapi.complete(app.openapi_schema, wire))
    return app
