"""Guards run before execution: query cost, error codes for the depth/alias limits, and the
API key for reads when reads require one.

The cost of an operation is the number of fields it may resolve: every field costs the
product of the page sizes (``first``/``limit``) of the fields above it. A list field with
no size argument under a sized field is that field's page (``edges``, ``passages`` of a
search); elsewhere it counts as :data:`UNSIZED_LIST_FACTOR` items.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from api.graphql.context import RequestContext
from api.graphql.error_types import (
    AUTHENTICATION_REQUIRED,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    QUERY_TOO_COSTLY,
    QUERY_TOO_DEEP,
)
from api.graphql.validation import PerRequestRule

SIZE_ARGUMENTS = ("first", "limit")
UNSIZED_LIST_FACTOR = 5
VARIABLE_SIZE = 100  # a size given by a variable is assumed to be the largest allowed


def _is_list(type_: GraphQLOutputType) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _CostWalker:
    def __init__(
        self,
        context: ValidationContext,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = context.schema
        self.variables = variables
        self.fragments = {
            d.name.value: d
            for d in context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.variable_defaults: dict[str, int] = {}
        for var in operation.variable_definitions or ():
            if isinstance(var.default_value, IntValueNode):
                self.variable_defaults[var.variable.name.value] = int(var.default_value.value)

    def size(self, node: FieldNode, field_args: dict[str, Any]) -> int | None:
        for arg in node.arguments or ():
            if arg.name.value in SIZE_ARGUMENTS:
                value = arg.value
                if isinstance(value, IntValueNode):
                    return max(int(value.value), 1)
                if isinstance(value, VariableNode):
                    given = self.variables.get(value.name.value)
                    if isinstance(given, int) and not isinstance(given, bool):
                        return max(given, 1)
                    return self.variable_defaults.get(value.name.value, VARIABLE_SIZE)
        for name in SIZE_ARGUMENTS:
            arg_def = field_args.get(name)
            if arg_def is not None and isinstance(arg_def.default_value, int):
                return max(arg_def.default_value, 1)
        return None

    def cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        multiplier: int,
        sized: bool,
        seen: frozenset[str] = frozenset(),
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent, multiplier, sized, seen)
            elif isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                target = self.schema.get_type(cond.name.value) if cond else parent
                total += self.cost(selection.selection_set, target, multiplier, sized, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue  # unknown or cyclic fragments are reported by the standard rules
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.cost(fragment.selection_set, target, multiplier, sized, seen | {name})
        return total

    def field_cost(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        multiplier: int,
        sized: bool,
        seen: frozenset[str],
    ) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0  # introspection is free (GraphiQL needs it)
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return multiplier
        field = parent.fields.get(name)
        if field is None:
            return multiplier
        size = self.size(node, dict(field.args))
        if size is not None:
            child_multiplier, child_sized = multiplier * size, True
        elif _is_list(field.type) and not sized:
            child_multiplier, child_sized = multiplier * UNSIZED_LIST_FACTOR, False
        else:
            child_multiplier, child_sized = multiplier, sized and _is_list(field.type)
        return multiplier + self.cost(
            node.selection_set, get_named_type(field.type), child_multiplier, child_sized, seen
        )


def cost_limit_rule(
    max_cost: int, variables: Mapping[str, Any] | None = None
) -> type[ValidationRule]:
    """A validation rule rejecting operations whose cost exceeds ``max_cost``.

    ``variables`` are the request's variable values, so ``first: $n`` costs what ``$n`` is.
    """
    values: Mapping[str, Any] = variables or {}

    class CostLimitRule(PerRequestRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            cost = _CostWalker(self.context, node, values).cost(node.selection_set, root, 1, False)
            if cost > max_cost:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(
                        f"'{name}' costs {cost}, more than the limit of {max_cost}: request "
                        "smaller pages (first/limit) or fewer nested lists",
                        node,
                        extensions={"code": QUERY_TOO_COSTLY, "cost": cost, "maxCost": max_cost},
                    )
                )

    return CostLimitRule


def _read_guard_rule(problem: str) -> type[ValidationRule]:
    class ReadGuardRule(PerRequestRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: object) -> None:
            if node.operation is not OperationType.MUTATION:
                self.report_error(
                    GraphQLError(
                        f"reads require an API key: {problem}",
                        node,
                        extensions={"code": AUTHENTICATION_REQUIRED},
                    )
                )

    return ReadGuardRule


class CostLimiter(SchemaExtension):
    """Adds the cost rule to each operation, with that request's variable values."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_operation(self) -> Iterator[None]:
        variables = self.execution_context.variables or {}
        self.execution_context.validation_rules = (
            *self.execution_context.validation_rules,
            cost_limit_rule(self.max_cost, variables),
        )
        yield


class ReadAccessGuard(SchemaExtension):
    """Refuses queries without a valid API key when ``settings.reads_require_key``.

    Mutations are left to their resolvers, which return a typed ``AuthenticationError``.
    """

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, RequestContext) and context.settings.reads_require_key:
            problem = context.key_problem()
            if problem:
                self.execution_context.validation_rules = (
                    *self.execution_context.validation_rules,
                    _read_guard_rule(problem),
                )
        yield


class LimitErrorCodes(SchemaExtension):
    """Adds ``extensions.code`` to errors raised before execution: the depth, alias and
    token limiters', syntax errors, schema validation errors and variables that do not fit
    their declared types."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            if not isinstance(error, GraphQLError) or (error.extensions or {}).get("code"):
                continue
            if "maximum operation depth" in error.message:
                error.extensions = {**(error.extensions or {}), "code": QUERY_TOO_DEEP}
            elif "maximum number of aliases" in error.message or "tokens" in error.message:
                error.extensions = {**(error.extensions or {}), "code": QUERY_TOO_COSTLY}
            elif error.message.startswith("Syntax Error"):
                error.extensions = {**(error.extensions or {}), "code": GRAPHQL_PARSE_FAILED}
            elif error.message.startswith("Variable '$") and not error.path:
                # graphql-core's coercion of the variables: a missing, mistyped or
                # out-of-range value (a request error; the operation never ran).
                error.extensions = {**(error.extensions or {}), "code": GRAPHQL_VALIDATION_FAILED}
            elif error.original_error is None and not error.path:
                # Not raised while resolving: the document does not fit the schema.
                error.extensions = {**(error.extensions or {}), "code": GRAPHQL_VALIDATION_FAILED}
