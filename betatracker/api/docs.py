"""The API's documentation as data for a server-rendered page (templates/betatracker/api_docs.html) and for
the index of /api/v1/, both read from the OpenAPI description ninja generates: nothing written twice, no
script from a CDN (the CSP refuses them)."""

import dataclasses

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclasses.dataclass(frozen=True)
class Type:
    """A JSON schema type in words (`string | null`, `array[Startup]`), and the component it points to."""

    text: str
    ref: str | None = None


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    type: Type
    required: bool
    description: str
    location: str = ""
    default: str = ""
    values: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Response:
    status: str
    description: str
    type: Type | None


@dataclasses.dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    parameters: list[Field]
    responses: list[Response]
    authenticated: bool

    @property
    def anchor(self) -> str:
        return f"operation-{self.operation_id}"


@dataclasses.dataclass(frozen=True)
class Schema:
    name: str
    description: str
    fields: list[Field]

    @property
    def anchor(self) -> str:
        return f"schema-{self.name}"


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict) -> Type:
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return Type(name, name)
    if "anyOf" in schema:
        types = [type_of(option) for option in schema["anyOf"]]
        return Type(" | ".join(kind.text for kind in types), next((kind.ref for kind in types if kind.ref), None))
    if schema.get("type") == "array":
        item = type_of(schema.get("items", {}))
        return Type(f"array[{item.text}]", item.ref)
    text = schema.get("type", "any")
    if "format" in schema:
        text = f"{text} ({schema['format']})"
    return Type(text)


def _values(schema: dict) -> tuple[str, ...]:
    if "enum" in schema:
        return tuple(str(value) for value in schema["enum"])
    for option in schema.get("anyOf", ()):
        if "enum" in option:
            return tuple(str(value) for value in option["enum"])
    return ()


def _default(schema: dict) -> str:
    return "" if "default" not in schema or schema["default"] is None else str(schema["default"])


def operations(document: dict) -> list[Operation]:
    found = []
    for path, methods in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method not in methods:
                continue
            operation = methods[method]
            parameters = [
                Field(
                    name=parameter["name"],
                    type=type_of(parameter.get("schema", {})),
                    required=parameter.get("required", False),
                    description=parameter.get("description", ""),
                    location=parameter.get("in", ""),
                    default=_default(parameter.get("schema", {})),
                    values=_values(parameter.get("schema", {})),
                )
                for parameter in operation.get("parameters", ())
            ]
            responses = []
            for status, response in operation.get("responses", {}).items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                responses.append(Response(status, response.get("description", ""), type_of(schema) if schema else None))
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    operation_id=operation.get("operationId", f"{method}-{path}"),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    responses=responses,
                    authenticated=bool(operation.get("security", document.get("security"))),
                )
            )
    return found


def schemas(document: dict) -> list[Schema]:
    found = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", ()))
        fields = [
            Field(
                name=field_name,
                type=type_of(field_schema),
                required=field_name in required,
                description=field_schema.get("description", ""),
                values=_values(field_schema),
            )
            for field_name, field_schema in schema.get("properties", {}).items()
        ]
        found.append(Schema(name, schema.get("description", ""), fields))
    return found
