"""Import every generator module so that `base.REGISTRY` is filled. The engine imports this
module once (`import reports.generators.all  # noqa: F401`)."""

from reports.generators import (  # noqa: F401
    casework,
    contracts,
    controls,
    economy,
    goals,
    metrics,
)
from reports.generators.base import REGISTRY

__all__ = ["REGISTRY"]
