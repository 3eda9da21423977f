"""The API reference page (/api/docs), rendered on the server from the app's OpenAPI schema.

Why not Swagger UI: it loads its script and styles from a CDN, which the app's CSP
(`script-src 'self'`) blocks and which an offline analyst cannot reach. A static page made from
the same schema needs no script at all, works offline and under the CSP, and still links
/openapi.json for tools that want the machine-readable form.
"""
from __future__ import annotations

from typing import Any


def schema_text(schema: dict[str, Any]) -> str:
    """A short human description of a JSON schema: `string (YYYY-MM-DD)`, `list of AGREE | …`."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        parts = [schema_text(s) for s in schema["anyOf"] if s.get("type") != "null"]
        text = " or ".join(dict.fromkeys(parts)) or "null"
        return text + (", optional" if any(s.get("type") == "null" for s in schema["anyOf"]) else "")
    kind = schema.get("type", "any")
    if kind == "array":
        return "list of " + schema_text(schema.get("items", {}))
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    extra = []
    if schema.get("format"):
        extra.append(schema["format"])
    elif schema.get("pattern"):
        extra.append(f"pattern {schema['pattern']}")
    for key, sign in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "length ≤")):
        if key in schema:
            extra.append(f"{sign} {schema[key]}")
    return kind + (f" ({', '.join(extra)})" if extra else "")


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the schema, flattened for the template, in path order."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": schema_text(p.get("schema", {})),
                       "default": p.get("schema", {}).get("default"),
                       "description": p.get("description") or p.get("schema", {}).get("description", "")}
                      for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {})
            form = next(iter(body.values()), {}).get("schema", {}) if body else {}
            responses = []
            for code, r in op.get("responses", {}).items():
                content = r.get("content", {})
                media = ", ".join(content) or "–"
                model = next((schema_text(c.get("schema", {})) for c in content.values() if c.get("schema")), "")
                responses.append({"code": code, "description": r.get("description", ""),
                                  "media": media, "model": model})
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "tags": op.get("tags", []),
                        "params": params, "form": schema_text(form) if form else "",
                        "responses": responses, "anchor": f"{method}-{path}".replace("/", "-").strip("-")})
    return out


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, s in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(s.get("required", []))
        out.append({"name": name, "description": s.get("description", ""),
                    "fields": [{"name": k, "type": schema_text(v), "required": k in required,
                                "description": v.get("description", "")}
                               for k, v in s.get("properties", {}).items()]})
    return out
