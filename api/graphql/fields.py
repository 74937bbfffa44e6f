"""Typed decorators for resolvers with a description.

``@strawberry.field(description=...)`` is untyped (it returns ``Any``), which mypy --strict
rejects on methods; passing the resolver positionally is typed, so these wrap that form.
"""

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

Resolver = Callable[..., Any]


def described_field(description: str) -> Callable[[Resolver], StrawberryField]:
    """``@strawberry.field(description=description)``, typed."""

    def wrap(resolver: Resolver) -> StrawberryField:
        return strawberry.field(resolver, description=description)

    return wrap


def described_mutation(description: str) -> Callable[[Resolver], StrawberryField]:
    """``@strawberry.mutation(description=description)``, typed."""

    def wrap(resolver: Resolver) -> StrawberryField:
        return strawberry.mutation(resolver, description=description)

    return wrap


def described_subscription(description: str) -> Callable[[Resolver], StrawberryField]:
    """``@strawberry.subscription(description=description)``, typed."""

    def wrap(resolver: Resolver) -> StrawberryField:
        return strawberry.subscription(resolver, description=description)

    return wrap
