/// The OpenAPI 3.1 document of the v1 API, served at `GET /v1/openapi.json` (``OpenAPIController``).
///
/// Written by hand, and kept as a string constant rather than a bundle resource (as `DefaultDefinitions` in
/// BileanNotification), so that an installed binary always finds it. It describes the `/v1` paths only (every one
/// is also served at `/X` for the original client), each parameter, body and response, the OpenStack error body of
/// every error status an operation can answer, and amounts as exact decimal strings. `OpenAPIDocumentTests` check
/// that its operations are exactly the router's `/v1` routes and that each documents its errors;
/// `scripts/schemathesis-check` fuzzes a running server against it.
///
/// When a route, parameter or body changes, change this document with it.
package enum OpenAPIDocument {
    /// The media type of the document, for links to it (the OpenAPI Initiative's registered type).
    package static let mediaType = "application/vnd.oai.openapi+json;version=3.1"

    /// The document, JSON.
    package static let json = #"""
        {
          "openapi": "3.1.0",
          "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
          "info": {
            "title": "Bilean billing API",
            "version": "1.0",
            "summary": "Real-time, trigger-type billing for OpenStack clouds.",
            "description": "Version 1 of Bilean's REST API. JSON in and out. Every response carries x-openstack-request-id. Errors are OpenStack error JSON. Amounts and rates are exact decimal strings in responses, and numbers or decimal strings in requests (a JSON number is read from its decimal text, never through binary floating point). Rates are per second, rounded to 12 fraction digits for display only. Times are UTC ISO 8601 with microseconds. Every /v1/X route is also served at /X for the original python-bileanclient; only the /v1 paths are described here. Lists take limit, marker, sort_keys, sort_dir and show_deleted, and their own filters; an unknown parameter, sort key or filter is a 400. With auth_strategy = keystone, send a Keystone token in X-Auth-Token; with noauth, X-Project-Id and X-Roles stand for it, and a request with neither is the cloud admin. Admin may do everything; a project's member or reader sees only its own user, resources, events, consumptions and recharges. The HTTP layer reads at most 80 KiB of request line and headers; a longer request is refused with a 400 that has no body."
          },
          "servers": [{"url": "/", "description": "The API's root (bilean-api, port 8770 by default)."}],
          "security": [
            {"keystoneToken": []},
            {"noauthProject": [], "noauthRoles": []},
            {"noauthProject": []},
            {"noauthRoles": []},
            {}
          ],
          "tags": [
            {"name": "versions", "description": "The version document and this description."},
            {"name": "users", "description": "Accounts (one per Keystone project) and their real-time balances."},
            {"name": "recharges", "description": "Money put on accounts."},
            {"name": "rules", "description": "Price lists, one resource type each."},
            {"name": "policies", "description": "Named sets of rules, at most one per resource type."},
            {"name": "resources", "description": "Billable cloud objects."},
            {"name": "events", "description": "The audit trail."},
            {"name": "consumptions", "description": "Closed billing intervals and their sums."},
            {"name": "rejected-notifications", "description": "Notifications the listener set aside."},
            {"name": "rerating", "description": "Shadow re-rating: draft prices over a past window, previewed beside what was billed, then applied once."},
            {"name": "reconciliation", "description": "Inventory reconciliation: what the cloud holds compared with what is billed, and what was repaired."}
          ],
          "paths": {
            "/v1": {
              "get": {
                "operationId": "showVersion",
                "tags": ["versions"],
                "summary": "Describe version 1.",
                "description": "Needs no token. Links to this document with rel describedby.",
                "security": [],
                "responses": {
                  "200": {"$ref": "#/components/responses/Version"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/v1/openapi.json": {
              "get": {
                "operationId": "showOpenAPI",
                "tags": ["versions"],
                "summary": "This document.",
                "description": "Needs no token.",
                "security": [],
                "responses": {
                  "200": {"$ref": "#/components/responses/OpenAPI"},
                  "400": {"$ref": "#/components/responses/BadRequest"}
                }
              }
            },
            "/v1/users": {
              "get": {
                "operationId": "listUsers",
                "tags": ["users"],
                "summary": "List accounts.",
                "description": "Admin only (policy users:index). Balances are real-time.",
                "parameters": [
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/UserSortKey"}, "maxItems": 8}
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/UserSortKey"}, "maxItems": 8}
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "name",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only users of one of these names.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "status",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only users in one of these statuses.",
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/UserStatus"}, "maxItems": 5}
                  },
                  {
                    "name": "policy_id",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only users of one of these policies.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/UserList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/users/{id}": {
              "parameters": [{"$ref": "#/components/parameters/UserID"}],
              "get": {
                "operationId": "showUser",
                "tags": ["users"],
                "summary": "Show an account and its real-time balance.",
                "description": "Admin, or the project itself (policy users:get). A deleted user is not found.",
                "responses": {
                  "200": {"$ref": "#/components/responses/User"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/users/{id}/action": {
              "parameters": [{"$ref": "#/components/parameters/UserID"}],
              "post": {
                "operationId": "actOnUser",
                "tags": ["users"],
                "summary": "Recharge an account, attach a policy to it, or set its credit.",
                "description": "Admin only (policy users:action). Exactly one action per request. A recharge creates a project Bilean has not heard of yet; a deleted user is not found.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/UserActionRequest"},
                      "examples": {
                        "recharge": {
                          "summary": "Recharge 100.5, exactly",
                          "value": {"recharge": {"value": "100.5", "type": "Recharge", "metadata": {"invoice": "2026-12"}}}
                        },
                        "attach_policy": {
                          "summary": "Bill the user by a policy",
                          "value": {"attach_policy": {"policy": "5f3c0a9e-policy"}}
                        },
                        "set_credit": {
                          "summary": "Let the balance go 50 below zero before the freeze",
                          "value": {"set_credit": {"value": 50}}
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {"$ref": "#/components/responses/User"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/users/{id}/projection": {
              "parameters": [{"$ref": "#/components/parameters/UserID"}],
              "get": {
                "operationId": "projectUserBalance",
                "tags": ["users"],
                "summary": "Project an account's balance to an instant.",
                "description": "Admin, or the project itself (policy users:projection). The exact balance and status the account would have at the instant if nothing changed.",
                "parameters": [
                  {
                    "name": "at",
                    "in": "query",
                    "required": true,
                    "description": "The instant, now or later (an instant in the past is a 400).",
                    "schema": {"$ref": "#/components/schemas/Timestamp"},
                    "example": "2030-01-01T00:00:00Z"
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/Projection"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/recharges": {
              "get": {
                "operationId": "listRecharges",
                "tags": ["recharges"],
                "summary": "List recharges.",
                "description": "Admin, or a project for its own (policy recharges:index). Without user_id, the admin sees every project's and anyone else their own project's.",
                "parameters": [
                  {"$ref": "#/components/parameters/ListUserID"},
                  {"$ref": "#/components/parameters/StartTime"},
                  {"$ref": "#/components/parameters/EndTime"},
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {"type": "array", "items": {"enum": ["timestamp", "type"]}, "maxItems": 8}
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {"type": "array", "items": {"enum": ["timestamp", "type"]}, "maxItems": 8}
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "type",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only recharges of one of these types.",
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/RechargeType"}, "maxItems": 5}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/RechargeList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/rules": {
              "get": {
                "operationId": "listRules",
                "tags": ["rules"],
                "summary": "List price rules.",
                "description": "Admin only (policy rules:index).",
                "parameters": [
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["id", "name", "type", "created_at", "updated_at"]},
                      "maxItems": 8
                    }
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["id", "name", "type", "created_at", "updated_at"]},
                      "maxItems": 8
                    }
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "name",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only rules of one of these names.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "type",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only rules of one of these rule types, e.g. os.nova.server-1.0 or, for an os.generic rule, os.octavia.loadbalancer-1.0.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/RuleList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              },
              "post": {
                "operationId": "createRule",
                "tags": ["rules"],
                "summary": "Create a price rule.",
                "description": "Admin only (policy rules:create). The spec's properties are checked against its resource type's plugin.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/RuleCreateRequest"},
                      "examples": {
                        "nova": {
                          "summary": "Flavors priced per hour",
                          "value": {
                            "rule": {
                              "name": "nova",
                              "spec": {
                                "type": "os.nova.server",
                                "version": "1.0",
                                "properties": {
                                  "unit": "per_hour",
                                  "price_mapping": [{"flavor": "m1.small", "price": "3.6"}, {"flavor": "m1.large", "price": 36}]
                                }
                              },
                              "metadata": {}
                            }
                          }
                        },
                        "cinder": {
                          "summary": "Volume sizes in tiers",
                          "value": {
                            "rule": {
                              "name": "cinder",
                              "spec": {
                                "type": "os.cinder.volume",
                                "version": 1.0,
                                "properties": {
                                  "price_mapping": [{"start": 1, "end": 10, "price": "0.36"}, {"start": 11, "price": "36"}]
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {"$ref": "#/components/responses/RuleCreated"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/rules/{id}": {
              "parameters": [{"$ref": "#/components/parameters/RuleID"}],
              "get": {
                "operationId": "showRule",
                "tags": ["rules"],
                "summary": "Show a price rule.",
                "description": "Admin only (policy rules:get).",
                "responses": {
                  "200": {"$ref": "#/components/responses/Rule"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              },
              "put": {
                "operationId": "updateRule",
                "tags": ["rules"],
                "summary": "Update a price rule.",
                "description": "Admin only (policy rules:update). At least one of name, spec and metadata; a new spec keeps the rule's resource type.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/RuleUpdateRequest"},
                      "examples": {"rename": {"summary": "Rename", "value": {"rule": {"name": "nova-2026"}}}}
                    }
                  }
                },
                "responses": {
                  "200": {"$ref": "#/components/responses/Rule"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              },
              "delete": {
                "operationId": "deleteRule",
                "tags": ["rules"],
                "summary": "Delete a price rule.",
                "description": "Admin only (policy rules:delete). A rule that a policy holds is a conflict: remove it from the policy first.",
                "responses": {
                  "204": {"$ref": "#/components/responses/NoContent"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/policies": {
              "get": {
                "operationId": "listPolicies",
                "tags": ["policies"],
                "summary": "List pricing policies.",
                "description": "Admin only (policy policies:index).",
                "parameters": [
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["id", "name", "is_default", "created_at", "updated_at"]},
                      "maxItems": 8
                    }
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["id", "name", "is_default", "created_at", "updated_at"]},
                      "maxItems": 8
                    }
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "name",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only policies of one of these names.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "is_default",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only the default policy (true) or the others (false).",
                    "schema": {"type": "array", "items": {"type": "boolean"}, "maxItems": 5}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/PolicyList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              },
              "post": {
                "operationId": "createPolicy",
                "tags": ["policies"],
                "summary": "Create a pricing policy.",
                "description": "Admin only (policy policies:create). At most one rule per resource type.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/PolicyCreateRequest"},
                      "examples": {
                        "standard": {
                          "summary": "A policy without rules yet",
                          "value": {"policy": {"name": "standard", "rules": [], "metadata": {"tier": "gold"}}}
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {"$ref": "#/components/responses/PolicyCreated"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/policies/{id}": {
              "parameters": [{"$ref": "#/components/parameters/PolicyID"}],
              "get": {
                "operationId": "showPolicy",
                "tags": ["policies"],
                "summary": "Show a pricing policy.",
                "description": "Admin only (policy policies:get).",
                "responses": {
                  "200": {"$ref": "#/components/responses/Policy"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              },
              "put": {
                "operationId": "updatePolicy",
                "tags": ["policies"],
                "summary": "Update a pricing policy.",
                "description": "Admin only (policy policies:update). At least one of name, metadata and is_default. Making a policy the default takes the mark from the previous one; unmarking the default while users rely on it is a conflict.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/PolicyUpdateRequest"},
                      "examples": {"default": {"summary": "Make it the default", "value": {"policy": {"is_default": true}}}}
                    }
                  }
                },
                "responses": {
                  "200": {"$ref": "#/components/responses/Policy"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              },
              "delete": {
                "operationId": "deletePolicy",
                "tags": ["policies"],
                "summary": "Delete a pricing policy.",
                "description": "Admin only (policy policies:delete). A policy attached to users, or the default one while users rely on it, is a conflict.",
                "responses": {
                  "204": {"$ref": "#/components/responses/NoContent"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/policies/{id}/action": {
              "parameters": [{"$ref": "#/components/parameters/PolicyID"}],
              "post": {
                "operationId": "actOnPolicy",
                "tags": ["policies"],
                "summary": "Add rules to a policy or remove rules from it.",
                "description": "Admin only (policy policies:action). Exactly one action per request.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/PolicyActionRequest"},
                      "examples": {"add": {"summary": "Add a rule", "value": {"add_rules": {"rules": ["5f3c0a9e-rule"]}}}}
                    }
                  }
                },
                "responses": {
                  "200": {"$ref": "#/components/responses/Policy"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/resources": {
              "get": {
                "operationId": "listResources",
                "tags": ["resources"],
                "summary": "List billed resources.",
                "description": "Admin, or a project for its own (policy resources:index). Without user_id, the admin sees every project's and anyone else their own project's.",
                "parameters": [
                  {"$ref": "#/components/parameters/ListUserID"},
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["id", "user_id", "resource_type", "rule_id", "created_at", "updated_at"]},
                      "maxItems": 8
                    }
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["id", "user_id", "resource_type", "rule_id", "created_at", "updated_at"]},
                      "maxItems": 8
                    }
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "resource_type",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only resources of one of these types, e.g. os.nova.server.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "rule_id",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only resources priced by one of these rules.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/ResourceList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/resources/validate_creation": {
              "post": {
                "operationId": "validateResourceCreation",
                "tags": ["resources"],
                "summary": "Ask whether a project can afford new resources for the next hour.",
                "description": "Admin only (policy resources:validate_creation), decided before the body is read. user_id defaults to the caller's project.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/ValidationRequest"},
                      "examples": {
                        "servers": {
                          "summary": "Two small servers",
                          "value": {
                            "user_id": "proj-member",
                            "resources": [{"resource_type": "os.nova.server", "properties": {"flavor": "m1.small"}}],
                            "count": 2
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {"$ref": "#/components/responses/Validation"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/resources/{id}": {
              "parameters": [{"$ref": "#/components/parameters/ResourceID"}],
              "get": {
                "operationId": "showResource",
                "tags": ["resources"],
                "summary": "Show a billed resource.",
                "description": "Admin, or the owning project (policy resources:get, judged after the lookup: another project's resource is not found, exactly like a missing one).",
                "responses": {
                  "200": {"$ref": "#/components/responses/Resource"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/events": {
              "get": {
                "operationId": "listEvents",
                "tags": ["events"],
                "summary": "List audit events.",
                "description": "Admin, or a project for its own (policy events:index). Without user_id, the admin sees every project's and anyone else their own project's.",
                "parameters": [
                  {"$ref": "#/components/parameters/ListUserID"},
                  {"$ref": "#/components/parameters/StartTime"},
                  {"$ref": "#/components/parameters/EndTime"},
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {"type": "array", "items": {"enum": ["timestamp", "obj_type", "action", "level"]}, "maxItems": 8}
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {"type": "array", "items": {"enum": ["timestamp", "obj_type", "action", "level"]}, "maxItems": 8}
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "resource_type",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only events about objects of one of these types (the same as obj_type).",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "obj_type",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only events about objects of one of these types: user, rule, policy, or a resource type.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "obj_id",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only events about one of these objects.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "action",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only events of one of these actions, e.g. create.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "level",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only events of one of these levels.",
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/EventLevel"}, "maxItems": 5}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/EventList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/consumptions": {
              "get": {
                "operationId": "listConsumptions",
                "tags": ["consumptions"],
                "summary": "List consumption lines.",
                "description": "Admin, or a project for its own (policy consumptions:index). Without user_id, the admin sees every project's and anyone else their own project's.",
                "parameters": [
                  {"$ref": "#/components/parameters/ListUserID"},
                  {"$ref": "#/components/parameters/StartTime"},
                  {"$ref": "#/components/parameters/EndTime"},
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["start_time", "end_time", "resource_type", "resource_id", "created_at"]},
                      "maxItems": 8
                    }
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {
                      "type": "array",
                      "items": {"enum": ["start_time", "end_time", "resource_type", "resource_id", "created_at"]},
                      "maxItems": 8
                    }
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "resource_type",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only consumptions of resources of one of these types.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "resource_id",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only consumptions of one of these resources.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/ConsumptionList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/consumptions/statistics": {
              "get": {
                "operationId": "sumConsumptions",
                "tags": ["consumptions"],
                "summary": "Sum costs per resource or per resource type, over the window or per UTC day of it.",
                "description": "Admin, or a project for its own (policy consumptions:statistics). Costs are exact, clipped to the window and include the intervals still open. With interval=day, one row per UTC day of the window and resource (or type), each with its day. Not paged or sorted: limit, marker, sort_keys, sort_dir and show_deleted are a 400 here.",
                "parameters": [
                  {"$ref": "#/components/parameters/ListUserID"},
                  {"$ref": "#/components/parameters/StartTime"},
                  {"$ref": "#/components/parameters/EndTime"},
                  {
                    "name": "summary",
                    "in": "query",
                    "description": "Per resource type (resource_id null) instead of per resource. Also accepted: 1/0, yes/no, on/off, y/n, t/f, in any case.",
                    "schema": {"type": "boolean", "default": false}
                  },
                  {
                    "name": "interval",
                    "in": "query",
                    "description": "day: a row per UTC day of the window (its cost is that day's part of the window).",
                    "schema": {"type": "string", "enum": ["day"]}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/Statistics"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/rejected-notifications": {
              "get": {
                "operationId": "listRejectedNotifications",
                "tags": ["rejected-notifications"],
                "summary": "List the notifications the listener set aside.",
                "description": "Admin only (policy rejected_notifications:index). start_time and end_time bound received_at.",
                "parameters": [
                  {"$ref": "#/components/parameters/StartTime"},
                  {"$ref": "#/components/parameters/EndTime"},
                  {"$ref": "#/components/parameters/Limit"},
                  {"$ref": "#/components/parameters/Marker"},
                  {
                    "name": "sort_keys",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Sort keys, repeated or comma-separated; the id breaks ties.",
                    "schema": {"type": "array", "items": {"enum": ["received_at", "code", "event_type"]}, "maxItems": 8}
                  },
                  {
                    "name": "sort_key",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "deprecated": true,
                    "description": "The same as sort_keys.",
                    "schema": {"type": "array", "items": {"enum": ["received_at", "code", "event_type"]}, "maxItems": 8}
                  },
                  {"$ref": "#/components/parameters/SortDir"},
                  {"$ref": "#/components/parameters/ShowDeleted"},
                  {
                    "name": "code",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only rejections of one of these reason codes.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "event_type",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only rejections of one of these event types.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "message_id",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only rejections of one of these message ids.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  },
                  {
                    "name": "exchange",
                    "in": "query",
                    "style": "form",
                    "explode": true,
                    "description": "Only rejections from one of these exchanges.",
                    "schema": {"$ref": "#/components/schemas/FilterValues"}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/RejectedNotificationList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/rejected-notifications/{id}": {
              "parameters": [{"$ref": "#/components/parameters/RejectedNotificationID"}],
              "get": {
                "operationId": "showRejectedNotification",
                "tags": ["rejected-notifications"],
                "summary": "Show a notification the listener set aside.",
                "description": "Admin only (policy rejected_notifications:get).",
                "responses": {
                  "200": {"$ref": "#/components/responses/RejectedNotification"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/rerating/preview": {
              "post": {
                "operationId": "previewRerating",
                "tags": ["rerating"],
                "summary": "Price draft rules over a past window beside what was billed.",
                "description": "Admin only (policy rerating:preview), decided before the body is read. Bills nothing: answers, per user and resource type, what was billed within [start_time, end_time) (current), what the draft rules would bill (draft) and the difference, exactly, and keeps the request under a new preview id for an apply. Each draft rule replaces the rule with its id, or without an id the rule of its resource type in each user's policy; at most one per resource type. The window ends at the latest now and spans at most 366 days; user_ids (at most 1000) and policy_id narrow the users. A draft naming a rule that does not exist is a 400; a user or policy that does not exist is a 404.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/ReratingPreviewRequest"},
                      "examples": {
                        "nova": {
                          "summary": "Last November's servers at a new m1.small price",
                          "value": {
                            "preview": {
                              "start_time": "2026-11-01T00:00:00Z",
                              "end_time": "2026-12-01T00:00:00Z",
                              "user_ids": ["proj-member"],
                              "rules": [
                                {
                                  "spec": {
                                    "type": "os.nova.server",
                                    "version": "1.0",
                                    "properties": {"unit": "per_hour", "price_mapping": [{"flavor": "m1.small", "price": "3"}]}
                                  }
                                }
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {"$ref": "#/components/responses/ReratingPreview"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/rerating/apply": {
              "post": {
                "operationId": "applyRerating",
                "tags": ["rerating"],
                "summary": "Apply a preview: record its differences as rerate consumptions.",
                "description": "Admin only (policy rerating:apply), decided before the body is read. Recomputes the preview's differences under the users' locks and records them as rerate consumptions carrying the reason and the preview id (metadata.reason, metadata.rerating_id), and bills later events of the window at the draft prices. Once per preview: applying it again answers the first apply and changes nothing. An unknown preview id is a 404.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {"$ref": "#/components/schemas/ReratingApplyRequest"},
                      "examples": {
                        "apply": {
                          "summary": "Apply a preview",
                          "value": {"apply": {"preview_id": "0b9c4d1e-preview", "reason": "November price correction (ticket 4711)"}}
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {"$ref": "#/components/responses/Rerating"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            },
            "/v1/reconciliation": {
              "get": {
                "operationId": "listReconciliationRuns",
                "tags": ["reconciliation"],
                "summary": "List the latest inventory reconciliation runs.",
                "description": "Admin only (policy reconciliation:index). The latest runs, newest first (by finished_at), each with what its listings held, the listings that failed (skipped whole), every difference it found between the cloud and billing, and what it did about each: reported (repair off), repaired, or deferred (too recent, its notification may be in flight). limit is the only parameter; any other is a 400.",
                "parameters": [
                  {
                    "name": "limit",
                    "in": "query",
                    "description": "How many runs (default 5); outside 1 to 50 is a 400.",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}
                  }
                ],
                "responses": {
                  "200": {"$ref": "#/components/responses/ReconciliationList"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "504": {"$ref": "#/components/responses/GatewayTimeout"}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "keystoneToken": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Auth-Token",
                "description": "A Keystone token (auth_strategy = keystone). Missing, invalid or expired: 401 with WWW-Authenticate."
              },
              "noauthProject": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Project-Id",
                "description": "auth_strategy = noauth: the caller's project, 1 to 255 characters."
              },
              "noauthRoles": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Roles",
                "description": "auth_strategy = noauth: the caller's roles, comma-separated (admin, member, reader)."
              }
            },
            "headers": {
              "RequestID": {
                "description": "The request's id, req-<uuid>.",
                "required": true,
                "schema": {"type": "string", "pattern": "^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}
              },
              "WWWAuthenticate": {"description": "Where to get a token: Keystone uri=\"...\".", "schema": {"type": "string"}},
              "Allow": {"description": "The methods the path accepts.", "schema": {"type": "string"}}
            },
            "parameters": {
              "UserID": {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The user's id: its Keystone project id.",
                "schema": {"$ref": "#/components/schemas/ID"}
              },
              "RuleID": {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The rule's id.",
                "schema": {"$ref": "#/components/schemas/ID"}
              },
              "PolicyID": {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The policy's id.",
                "schema": {"$ref": "#/components/schemas/ID"}
              },
              "ResourceID": {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The resource's id: the cloud's own (e.g. a Nova instance uuid).",
                "schema": {"$ref": "#/components/schemas/ID"}
              },
              "RejectedNotificationID": {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The rejection's id.",
                "schema": {"$ref": "#/components/schemas/ID"}
              },
              "ListUserID": {
                "name": "user_id",
                "in": "query",
                "description": "Only this project's. A project that is not the caller's own is a 403 unless the caller is the admin.",
                "schema": {"$ref": "#/components/schemas/ID"}
              },
              "Limit": {
                "name": "limit",
                "in": "query",
                "description": "At most this many items (default 100); above 1000, a page of 1000.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}
              },
              "Marker": {
                "name": "marker",
                "in": "query",
                "description": "The id of the last item of the previous page; an id not in the list is a 400.",
                "schema": {"$ref": "#/components/schemas/ID"}
              },
              "SortDir": {
                "name": "sort_dir",
                "in": "query",
                "description": "The direction of every sort key (any case).",
                "schema": {"type": "string", "enum": ["asc", "desc"], "default": "asc"}
              },
              "ShowDeleted": {
                "name": "show_deleted",
                "in": "query",
                "description": "List soft-deleted items too. Also accepted: 1/0, yes/no, on/off, y/n, t/f, in any case (True from the original client).",
                "schema": {"type": "boolean", "default": false}
              },
              "StartTime": {
                "name": "start_time",
                "in": "query",
                "description": "Only items at or after this instant (ISO 8601; no zone means UTC).",
                "schema": {"$ref": "#/components/schemas/Timestamp"}
              },
              "EndTime": {
                "name": "end_time",
                "in": "query",
                "description": "Only items before this instant; before start_time is a 400.",
                "schema": {"$ref": "#/components/schemas/Timestamp"}
              }
            },
            "responses": {
              "Version": {
                "description": "Version 1.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["version"],
                      "additionalProperties": false,
                      "properties": {"version": {"$ref": "#/components/schemas/Version"}}
                    }
                  }
                }
              },
              "OpenAPI": {
                "description": "This document.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["openapi", "info", "paths"],
                      "properties": {
                        "openapi": {"type": "string", "pattern": "^3\\.1\\.[0-9]+$"},
                        "info": {"type": "object"},
                        "paths": {"type": "object"}
                      }
                    }
                  }
                }
              },
              "UserList": {
                "description": "The users.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["users"],
                      "additionalProperties": false,
                      "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}
                    }
                  }
                }
              },
              "User": {
                "description": "The user, its balance real-time.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["user"],
                      "additionalProperties": false,
                      "properties": {"user": {"$ref": "#/components/schemas/User"}}
                    }
                  }
                }
              },
              "Projection": {
                "description": "The projected balance.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["projection"],
                      "additionalProperties": false,
                      "properties": {"projection": {"$ref": "#/components/schemas/Projection"}}
                    }
                  }
                }
              },
              "RechargeList": {
                "description": "The recharges.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["recharges"],
                      "additionalProperties": false,
                      "properties": {"recharges": {"type": "array", "items": {"$ref": "#/components/schemas/Recharge"}}}
                    }
                  }
                }
              },
              "RuleList": {
                "description": "The rules.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["rules"],
                      "additionalProperties": false,
                      "properties": {"rules": {"type": "array", "items": {"$ref": "#/components/schemas/Rule"}}}
                    }
                  }
                }
              },
              "Rule": {
                "description": "The rule.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RuleEnvelope"}}}
              },
              "RuleCreated": {
                "description": "The rule created.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RuleEnvelope"}}}
              },
              "PolicyList": {
                "description": "The policies.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["policies"],
                      "additionalProperties": false,
                      "properties": {"policies": {"type": "array", "items": {"$ref": "#/components/schemas/Policy"}}}
                    }
                  }
                }
              },
              "Policy": {
                "description": "The policy.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PolicyEnvelope"}}}
              },
              "PolicyCreated": {
                "description": "The policy created.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PolicyEnvelope"}}}
              },
              "NoContent": {
                "description": "Deleted (soft: lists show it with show_deleted=true).",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}}
              },
              "ResourceList": {
                "description": "The resources.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["resources"],
                      "additionalProperties": false,
                      "properties": {"resources": {"type": "array", "items": {"$ref": "#/components/schemas/Resource"}}}
                    }
                  }
                }
              },
              "Resource": {
                "description": "The resource.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["resource"],
                      "additionalProperties": false,
                      "properties": {"resource": {"$ref": "#/components/schemas/Resource"}}
                    }
                  }
                }
              },
              "Validation": {
                "description": "Whether the project can afford the resources for the next hour.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["validation"],
                      "additionalProperties": false,
                      "properties": {"validation": {"type": "boolean"}}
                    }
                  }
                }
              },
              "EventList": {
                "description": "The events.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["events"],
                      "additionalProperties": false,
                      "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}
                    }
                  }
                }
              },
              "ConsumptionList": {
                "description": "The consumptions.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["consumptions"],
                      "additionalProperties": false,
                      "properties": {"consumptions": {"type": "array", "items": {"$ref": "#/components/schemas/Consumption"}}}
                    }
                  }
                }
              },
              "Statistics": {
                "description": "The sums, one row per resource or per resource type.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["statistics"],
                      "additionalProperties": false,
                      "properties": {"statistics": {"type": "array", "items": {"$ref": "#/components/schemas/StatisticsRow"}}}
                    }
                  }
                }
              },
              "RejectedNotificationList": {
                "description": "The rejections.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["rejected_notifications"],
                      "additionalProperties": false,
                      "properties": {
                        "rejected_notifications": {"type": "array", "items": {"$ref": "#/components/schemas/RejectedNotification"}}
                      }
                    }
                  }
                }
              },
              "RejectedNotification": {
                "description": "The rejection.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["rejected_notification"],
                      "additionalProperties": false,
                      "properties": {"rejected_notification": {"$ref": "#/components/schemas/RejectedNotification"}}
                    }
                  }
                }
              },
              "ReratingPreview": {
                "description": "The preview.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["preview"],
                      "additionalProperties": false,
                      "properties": {"preview": {"$ref": "#/components/schemas/ReratingPreview"}}
                    }
                  }
                }
              },
              "Rerating": {
                "description": "The applied re-rating (the first apply's, when the preview was applied before).",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["rerating"],
                      "additionalProperties": false,
                      "properties": {"rerating": {"$ref": "#/components/schemas/Rerating"}}
                    }
                  }
                }
              },
              "ReconciliationList": {
                "description": "The runs, newest first.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["reconciliation"],
                      "additionalProperties": false,
                      "properties": {
                        "reconciliation": {"type": "array", "maxItems": 50, "items": {"$ref": "#/components/schemas/ReconciliationRun"}}
                      }
                    }
                  }
                }
              },
              "BadRequest": {
                "description": "Invalid input: a parameter, header or body field (error.type InvalidInput, or BadRequest for a bad X-Project-Id).",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 400}}}]}
                  }
                }
              },
              "Unauthorized": {
                "description": "auth_strategy = keystone: no token, or an invalid or expired one.",
                "headers": {
                  "x-openstack-request-id": {"$ref": "#/components/headers/RequestID"},
                  "WWW-Authenticate": {"$ref": "#/components/headers/WWWAuthenticate"}
                },
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 401}}}]}
                  }
                }
              },
              "Forbidden": {
                "description": "The policy does not allow the caller this (a member asking for another project's objects, or for an admin operation), or the caller has no project scope.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 403}}}]}
                  }
                }
              },
              "NotFound": {
                "description": "No such object (or a path this API does not have).",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 404}}}]}
                  }
                }
              },
              "Conflict": {
                "description": "The operation conflicts with the current state.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 409}}}]}
                  }
                }
              },
              "ContentTooLarge": {
                "description": "The body is larger than [bilean_api] max_request_body_size.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 413}}}]}
                  }
                }
              },
              "UnsupportedMediaType": {
                "description": "The body is not application/json.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 415}}}]}
                  }
                }
              },
              "InternalError": {
                "description": "Something failed inside Bilean; the message says nothing of the cause, which the log has under the request id.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 500}}}]}
                  }
                }
              },
              "ServiceUnavailable": {
                "description": "No billing engine answers (distributed deployment), or Keystone cannot validate the token now.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 503}}}]}
                  }
                }
              },
              "GatewayTimeout": {
                "description": "The billing engine did not answer in time; the operation may still complete.",
                "headers": {"x-openstack-request-id": {"$ref": "#/components/headers/RequestID"}},
                "content": {
                  "application/json": {
                    "schema": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": 504}}}]}
                  }
                }
              }
            },
            "schemas": {
              "Error": {
                "description": "The OpenStack error body.",
                "type": "object",
                "required": ["code", "title", "explanation", "error"],
                "additionalProperties": false,
                "properties": {
                  "code": {"type": "integer", "description": "The HTTP status."},
                  "title": {"type": "string", "description": "The status's reason phrase."},
                  "explanation": {"type": "string", "description": "webob's explanation of the status."},
                  "error": {
                    "type": "object",
                    "required": ["type", "message"],
                    "additionalProperties": false,
                    "properties": {
                      "type": {"type": "string", "description": "The error's type, e.g. InvalidInput, NotFound, Forbidden."},
                      "message": {
                        "type": "string",
                        "description": "What went wrong, safe to show (the original client prints ERROR: <message>)."
                      }
                    }
                  }
                }
              },
              "ID": {
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "description": "An id: 1 to 255 characters, not blank, without control characters.",
                "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
              },
              "Name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "description": "A name: 1 to 255 characters, not blank, without control characters.",
                "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
              },
              "FilterValues": {
                "type": "array",
                "maxItems": 4,
                "items": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "Any of these values (the parameter repeated). Stored names, ids and types are at most 255 characters, so a longer value matches nothing (the server takes up to 1024 characters per query value). At most 4 here, so that a request stays well within the 80 KiB the HTTP layer reads."
              },
              "Timestamp": {
                "type": "string",
                "format": "date-time",
                "description": "An instant, ISO 8601. Responses give UTC with six fraction digits, e.g. 2016-05-04T10:00:00.123456Z; requests may also use a space for T, no zone (UTC), or a zone as ±hh, ±hhmm or ±hh:mm."
              },
              "NullableTimestamp": {"oneOf": [{"$ref": "#/components/schemas/Timestamp"}, {"type": "null"}]},
              "Amount": {
                "type": "string",
                "pattern": "^-?[0-9]+(\\.[0-9]*[1-9])?$",
                "description": "An exact amount as its canonical decimal string, at most 12 fraction digits, e.g. 99.99972222.",
                "examples": ["99.99972222"]
              },
              "Rate": {
                "type": "string",
                "pattern": "^-?[0-9]+(\\.[0-9]*[1-9])?$",
                "description": "A price per second as a decimal string, rounded half to even to 12 fraction digits for display only.",
                "examples": ["0.001"]
              },
              "AmountInput": {
                "description": "An amount: a JSON number, read from its decimal text, or a decimal string (an optional sign, digits, an optional fraction and exponent, e.g. \"100\", \"0.5\", \"1e2\"), with at most 12 fraction digits.",
                "oneOf": [
                  {"type": "string", "pattern": "^[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$", "maxLength": 64},
                  {"type": "number"}
                ]
              },
              "UserStatus": {
                "type": "string",
                "enum": ["INIT", "FREE", "ACTIVE", "WARNING", "FREEZE"],
                "description": "INIT (no money yet), FREE (funded, nothing billed), ACTIVE (billing), WARNING (runs dry within prior_notify_time), FREEZE (below -credit: resources stopped, billing stopped)."
              },
              "UserSortKey": {
                "type": "string",
                "enum": ["id", "name", "balance", "rate", "credit", "status", "created_at", "updated_at"]
              },
              "RechargeType": {"type": "string", "enum": ["Recharge", "System bonus"]},
              "EventLevel": {"type": "string", "enum": ["INFO", "WARNING", "ERROR"]},
              "Metadata": {"type": "object", "description": "Free-form metadata, a JSON object."},
              "Version": {
                "type": "object",
                "required": ["id", "status", "updated", "links", "media-types"],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string", "const": "v1.0"},
                  "status": {"type": "string", "enum": ["CURRENT", "SUPPORTED", "DEPRECATED"]},
                  "updated": {"type": "string", "format": "date-time"},
                  "links": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": ["rel", "href"],
                      "additionalProperties": false,
                      "properties": {"rel": {"type": "string"}, "href": {"type": "string"}, "type": {"type": "string"}}
                    }
                  },
                  "media-types": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": ["base", "type"],
                      "additionalProperties": false,
                      "properties": {"base": {"type": "string"}, "type": {"type": "string"}}
                    }
                  }
                }
              },
              "User": {
                "type": "object",
                "description": "An account: one per Keystone project.",
                "required": [
                  "id",
                  "name",
                  "policy_id",
                  "balance",
                  "rate",
                  "credit",
                  "run_out_at",
                  "freeze_at",
                  "last_bill",
                  "status",
                  "status_reason",
                  "created_at",
                  "updated_at",
                  "deleted_at"
                ],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string", "description": "The Keystone project id."},
                  "name": {"type": ["string", "null"]},
                  "policy_id": {"type": ["string", "null"], "description": "Null: billed by the default policy."},
                  "balance": {
                    "$ref": "#/components/schemas/Amount",
                    "description": "The real-time balance: balance - rate x (now - last_bill)."
                  },
                  "rate": {
                    "$ref": "#/components/schemas/Rate",
                    "description": "The price per second of everything the user holds now."
                  },
                  "credit": {
                    "$ref": "#/components/schemas/Amount",
                    "description": "How far below zero the balance may go before the user is frozen."
                  },
                  "run_out_at": {
                    "$ref": "#/components/schemas/NullableTimestamp",
                    "description": "When the balance reaches 0 (null when the rate is 0)."
                  },
                  "freeze_at": {
                    "$ref": "#/components/schemas/NullableTimestamp",
                    "description": "When the balance falls below -credit (null when the rate is 0)."
                  },
                  "last_bill": {"$ref": "#/components/schemas/NullableTimestamp"},
                  "status": {"$ref": "#/components/schemas/UserStatus"},
                  "status_reason": {"type": ["string", "null"]},
                  "created_at": {"$ref": "#/components/schemas/Timestamp"},
                  "updated_at": {"$ref": "#/components/schemas/NullableTimestamp"},
                  "deleted_at": {"$ref": "#/components/schemas/NullableTimestamp"}
                }
              },
              "Projection": {
                "type": "object",
                "required": ["user_id", "at", "balance", "status"],
                "additionalProperties": false,
                "properties": {
                  "user_id": {"type": "string"},
                  "at": {"$ref": "#/components/schemas/Timestamp"},
                  "balance": {"$ref": "#/components/schemas/Amount"},
                  "status": {"$ref": "#/components/schemas/UserStatus"}
                }
              },
              "Recharge": {
                "type": "object",
                "required": ["id", "user_id", "type", "value", "timestamp", "metadata"],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "user_id": {"type": "string"},
                  "type": {"$ref": "#/components/schemas/RechargeType"},
                  "value": {"$ref": "#/components/schemas/Amount"},
                  "timestamp": {"$ref": "#/components/schemas/Timestamp"},
                  "metadata": {"$ref": "#/components/schemas/Metadata"}
                }
              },
              "RuleSpec": {
                "type": "object",
                "description": "A rule spec. properties are checked by the resource type's plugin: os.nova.server takes price_mapping [{flavor, price}] and unit (per_hour, the default, or per_sec); os.cinder.volume takes price_mapping [{start, end, price}] (GB tiers, both bounds inclusive, end optional on the last) and unit; os.cinder.snapshot and os.glance.image take price (per GB) and unit; os.neutron.floatingip and os.neutron.router take price and unit; os.generic prices any other resource type, resource_type (e.g. os.octavia.loadbalancer, not a type with its own plugin), with unit and exactly one of price_mapping {property, prices [{value, price}]} (by the value of one property) or per_unit {property, tiers [{start, end, price}]} (price × the property's whole-number value, at the price of the tier that value falls in, both bounds inclusive).",
                "required": ["type", "version", "properties"],
                "additionalProperties": false,
                "properties": {
                  "type": {
                    "type": "string",
                    "enum": [
                      "os.cinder.snapshot",
                      "os.cinder.volume",
                      "os.generic",
                      "os.glance.image",
                      "os.neutron.floatingip",
                      "os.neutron.router",
                      "os.nova.server"
                    ],
                    "description": "The plugin: a resource type that a plugin prices, or os.generic."
                  },
                  "version": {
                    "description": "The spec version, e.g. \"1.0\"; the number 1.0 is read as \"1.0\".",
                    "oneOf": [{"type": "string", "minLength": 1, "maxLength": 32}, {"type": "number"}]
                  },
                  "properties": {"type": "object"}
                }
              },
              "Rule": {
                "type": "object",
                "description": "A price list for one resource type.",
                "required": ["id", "name", "type", "spec", "metadata", "created_at", "updated_at", "deleted_at"],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "name": {"type": "string"},
                  "type": {"type": "string", "description": "<resource type>-<version>, e.g. os.nova.server-1.0; an os.generic rule's resource type is its properties.resource_type (os.octavia.loadbalancer-1.0)."},
                  "spec": {"type": "object", "description": "The spec as created, its version as a string."},
                  "metadata": {"$ref": "#/components/schemas/Metadata"},
                  "created_at": {"$ref": "#/components/schemas/Timestamp"},
                  "updated_at": {"$ref": "#/components/schemas/NullableTimestamp"},
                  "deleted_at": {"$ref": "#/components/schemas/NullableTimestamp"}
                }
              },
              "RuleEnvelope": {
                "type": "object",
                "required": ["rule"],
                "additionalProperties": false,
                "properties": {"rule": {"$ref": "#/components/schemas/Rule"}}
              },
              "RuleCreateRequest": {
                "type": "object",
                "required": ["rule"],
                "additionalProperties": false,
                "properties": {
                  "rule": {
                    "type": "object",
                    "required": ["name", "spec"],
                    "additionalProperties": false,
                    "properties": {
                      "name": {"$ref": "#/components/schemas/Name"},
                      "spec": {"$ref": "#/components/schemas/RuleSpec"},
                      "metadata": {"oneOf": [{"$ref": "#/components/schemas/Metadata"}, {"type": "null"}]}
                    }
                  }
                }
              },
              "RuleUpdateRequest": {
                "type": "object",
                "required": ["rule"],
                "additionalProperties": false,
                "properties": {
                  "rule": {
                    "type": "object",
                    "description": "At least one of name, spec and metadata (null counts as absent).",
                    "minProperties": 1,
                    "additionalProperties": false,
                    "properties": {
                      "name": {"$ref": "#/components/schemas/Name"},
                      "spec": {"$ref": "#/components/schemas/RuleSpec"},
                      "metadata": {"$ref": "#/components/schemas/Metadata"}
                    }
                  }
                }
              },
              "Policy": {
                "type": "object",
                "description": "A named set of rules, at most one per resource type; the default policy bills users without one.",
                "required": ["id", "name", "rules", "is_default", "metadata", "created_at", "updated_at", "deleted_at"],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "name": {"type": "string"},
                  "rules": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": ["id", "type"],
                      "additionalProperties": false,
                      "properties": {"id": {"type": "string"}, "type": {"type": "string", "description": "The rule's type."}}
                    }
                  },
                  "is_default": {"type": "boolean"},
                  "metadata": {"$ref": "#/components/schemas/Metadata"},
                  "created_at": {"$ref": "#/components/schemas/Timestamp"},
                  "updated_at": {"$ref": "#/components/schemas/NullableTimestamp"},
                  "deleted_at": {"$ref": "#/components/schemas/NullableTimestamp"}
                }
              },
              "PolicyEnvelope": {
                "type": "object",
                "required": ["policy"],
                "additionalProperties": false,
                "properties": {"policy": {"$ref": "#/components/schemas/Policy"}}
              },
              "RuleIDs": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/ID"}},
              "PolicyCreateRequest": {
                "type": "object",
                "required": ["policy"],
                "additionalProperties": false,
                "properties": {
                  "policy": {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": false,
                    "properties": {
                      "name": {"$ref": "#/components/schemas/Name"},
                      "rules": {
                        "description": "The rules' ids; null or absent: none.",
                        "oneOf": [{"$ref": "#/components/schemas/RuleIDs"}, {"type": "null"}]
                      },
                      "metadata": {"oneOf": [{"$ref": "#/components/schemas/Metadata"}, {"type": "null"}]}
                    }
                  }
                }
              },
              "PolicyUpdateRequest": {
                "type": "object",
                "required": ["policy"],
                "additionalProperties": false,
                "properties": {
                  "policy": {
                    "type": "object",
                    "description": "At least one of name, metadata and is_default (null counts as absent).",
                    "minProperties": 1,
                    "additionalProperties": false,
                    "properties": {
                      "name": {"$ref": "#/components/schemas/Name"},
                      "metadata": {"$ref": "#/components/schemas/Metadata"},
                      "is_default": {"type": "boolean"}
                    }
                  }
                }
              },
              "PolicyActionRequest": {
                "description": "Exactly one action.",
                "oneOf": [
                  {
                    "type": "object",
                    "required": ["add_rules"],
                    "additionalProperties": false,
                    "properties": {"add_rules": {"$ref": "#/components/schemas/PolicyRulesArgument"}}
                  },
                  {
                    "type": "object",
                    "required": ["remove_rules"],
                    "additionalProperties": false,
                    "properties": {"remove_rules": {"$ref": "#/components/schemas/PolicyRulesArgument"}}
                  }
                ]
              },
              "PolicyRulesArgument": {
                "type": "object",
                "required": ["rules"],
                "additionalProperties": false,
                "properties": {
                  "rules": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"$ref": "#/components/schemas/ID"}}
                }
              },
              "UserActionRequest": {
                "description": "Exactly one action.",
                "oneOf": [
                  {
                    "type": "object",
                    "required": ["recharge"],
                    "additionalProperties": false,
                    "properties": {
                      "recharge": {
                        "type": "object",
                        "required": ["value"],
                        "additionalProperties": false,
                        "properties": {
                          "value": {
                            "$ref": "#/components/schemas/AmountInput",
                            "description": "More than 0 and at most 100000000."
                          },
                          "type": {
                            "oneOf": [{"$ref": "#/components/schemas/RechargeType"}, {"type": "null"}],
                            "description": "Recharge by default."
                          },
                          "metadata": {"oneOf": [{"$ref": "#/components/schemas/Metadata"}, {"type": "null"}]}
                        }
                      }
                    }
                  },
                  {
                    "type": "object",
                    "required": ["attach_policy"],
                    "additionalProperties": false,
                    "properties": {
                      "attach_policy": {
                        "type": "object",
                        "required": ["policy"],
                        "additionalProperties": false,
                        "properties": {"policy": {"$ref": "#/components/schemas/ID", "description": "The policy's id."}}
                      }
                    }
                  },
                  {
                    "type": "object",
                    "required": ["set_credit"],
                    "additionalProperties": false,
                    "properties": {
                      "set_credit": {
                        "type": "object",
                        "required": ["value"],
                        "additionalProperties": false,
                        "properties": {
                          "value": {
                            "$ref": "#/components/schemas/AmountInput",
                            "description": "At least 0 and at most 100000000."
                          }
                        }
                      }
                    }
                  }
                ]
              },
              "Resource": {
                "type": "object",
                "description": "A billable cloud object.",
                "required": [
                  "id",
                  "user_id",
                  "resource_type",
                  "rule_id",
                  "rate",
                  "properties",
                  "last_bill",
                  "created_at",
                  "updated_at",
                  "deleted_at"
                ],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "user_id": {"type": "string"},
                  "resource_type": {"type": "string"},
                  "rule_id": {"type": ["string", "null"], "description": "Null when no rule prices it (rate 0)."},
                  "rate": {"$ref": "#/components/schemas/Rate"},
                  "properties": {"type": "object", "description": "What prices it: flavor, size, ..."},
                  "last_bill": {"$ref": "#/components/schemas/NullableTimestamp", "description": "The instant billed up to."},
                  "created_at": {"$ref": "#/components/schemas/Timestamp"},
                  "updated_at": {"$ref": "#/components/schemas/NullableTimestamp"},
                  "deleted_at": {"$ref": "#/components/schemas/NullableTimestamp"}
                }
              },
              "ValidationRequest": {
                "type": "object",
                "required": ["resources"],
                "additionalProperties": false,
                "properties": {
                  "user_id": {
                    "oneOf": [{"$ref": "#/components/schemas/ID"}, {"type": "null"}],
                    "description": "The project that would own the resources; the caller's project when absent (required for a caller without a project, such as the noauth admin)."
                  },
                  "resources": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 100,
                    "items": {
                      "type": "object",
                      "required": ["resource_type"],
                      "additionalProperties": false,
                      "properties": {
                        "resource_type": {"$ref": "#/components/schemas/Name"},
                        "properties": {"oneOf": [{"type": "object"}, {"type": "null"}]}
                      }
                    }
                  },
                  "count": {
                    "description": "How many of each resource (1 by default): a whole number from 1 to 1000, or its digits as a string.",
                    "oneOf": [
                      {"type": "integer", "minimum": 1, "maximum": 1000},
                      {"type": "string", "pattern": "^0*([1-9][0-9]{0,2}|1000)$"},
                      {"type": "null"}
                    ]
                  }
                }
              },
              "Event": {
                "type": "object",
                "description": "An audit record of what happened to an object.",
                "required": [
                  "id",
                  "timestamp",
                  "obj_id",
                  "obj_type",
                  "obj_name",
                  "action",
                  "user_id",
                  "level",
                  "status",
                  "status_reason",
                  "metadata"
                ],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "timestamp": {"$ref": "#/components/schemas/Timestamp"},
                  "obj_id": {"type": "string"},
                  "obj_type": {"type": "string", "description": "user, rule, policy, or a resource type."},
                  "obj_name": {"type": ["string", "null"]},
                  "action": {"type": "string"},
                  "user_id": {"type": ["string", "null"]},
                  "level": {"$ref": "#/components/schemas/EventLevel"},
                  "status": {"type": ["string", "null"]},
                  "status_reason": {"type": ["string", "null"]},
                  "metadata": {"$ref": "#/components/schemas/Metadata"}
                }
              },
              "Consumption": {
                "type": "object",
                "description": "A closed billing interval of one resource, or an adjustment of its earlier intervals (cause rerate, cost may be negative).",
                "required": [
                  "id",
                  "user_id",
                  "resource_id",
                  "resource_type",
                  "start_time",
                  "end_time",
                  "rate",
                  "cost",
                  "metadata",
                  "created_at"
                ],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "user_id": {"type": "string"},
                  "resource_id": {"type": "string"},
                  "resource_type": {"type": "string"},
                  "start_time": {"$ref": "#/components/schemas/Timestamp"},
                  "end_time": {"$ref": "#/components/schemas/Timestamp"},
                  "rate": {"$ref": "#/components/schemas/Rate"},
                  "cost": {"$ref": "#/components/schemas/Amount"},
                  "metadata": {
                    "type": "object",
                    "required": ["cause"],
                    "additionalProperties": false,
                    "properties": {
                      "cause": {"type": "string", "enum": ["update", "deletion", "settlement", "freeze", "rerate"]},
                      "reason": {"type": "string", "description": "Only on a consumption a re-rating recorded: its reason."},
                      "rerating_id": {"type": "string", "description": "Only on a consumption a re-rating recorded: its preview id."},
                      "estimated": {"const": true, "description": "Only on a consumption that rests on an estimate: a reconciliation closed a vanished resource at the last time it was seen."}
                    }
                  },
                  "created_at": {"$ref": "#/components/schemas/Timestamp"}
                }
              },
              "StatisticsRow": {
                "type": "object",
                "required": ["resource_id", "resource_type", "user_id", "cost"],
                "additionalProperties": false,
                "properties": {
                  "resource_id": {"type": ["string", "null"], "description": "Null in a per-type summary."},
                  "resource_type": {"type": "string"},
                  "user_id": {"type": ["string", "null"]},
                  "cost": {
                    "$ref": "#/components/schemas/Amount",
                    "description": "Exact, clipped to the window, open intervals included."
                  },
                  "day": {
                    "type": "string",
                    "format": "date",
                    "description": "With interval=day: the row's UTC day, e.g. 2026-12-01."
                  }
                }
              },
              "RejectedNotification": {
                "type": "object",
                "description": "A notification the listener set aside, and why.",
                "required": [
                  "id",
                  "received_at",
                  "message_id",
                  "event_type",
                  "publisher_id",
                  "code",
                  "reason",
                  "exchange",
                  "routing_key",
                  "body_size",
                  "body_excerpt"
                ],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "received_at": {"$ref": "#/components/schemas/Timestamp"},
                  "message_id": {"type": ["string", "null"]},
                  "event_type": {"type": ["string", "null"]},
                  "publisher_id": {"type": ["string", "null"]},
                  "code": {"type": "string", "description": "The reason's code."},
                  "reason": {"type": "string"},
                  "exchange": {"type": "string"},
                  "routing_key": {"type": "string"},
                  "body_size": {"type": "integer", "minimum": 0, "description": "The body's size in bytes."},
                  "body_excerpt": {"type": "string", "description": "The body's first bytes."}
                }
              },
              "ReratingPreviewRequest": {
                "type": "object",
                "required": ["preview"],
                "additionalProperties": false,
                "properties": {
                  "preview": {
                    "type": "object",
                    "required": ["start_time", "end_time", "rules"],
                    "additionalProperties": false,
                    "properties": {
                      "start_time": {"$ref": "#/components/schemas/Timestamp", "description": "The window's start (inclusive)."},
                      "end_time": {
                        "$ref": "#/components/schemas/Timestamp",
                        "description": "The window's end (exclusive): after start_time, at the latest now, at most 366 days after start_time."
                      },
                      "user_ids": {
                        "description": "Only these users (at least one); null or absent: every user.",
                        "oneOf": [{"type": "array", "minItems": 1, "maxItems": 1000, "items": {"$ref": "#/components/schemas/ID"}}, {"type": "null"}]
                      },
                      "policy_id": {
                        "description": "Only the users this policy prices (attached, or as the default); null or absent: any.",
                        "oneOf": [{"$ref": "#/components/schemas/ID"}, {"type": "null"}]
                      },
                      "rules": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 20,
                        "description": "The draft rules, at most one per resource type.",
                        "items": {
                          "type": "object",
                          "required": ["spec"],
                          "additionalProperties": false,
                          "properties": {
                            "id": {
                              "description": "The rule it replaces; null or absent: the rule of its resource type in each user's policy.",
                              "oneOf": [{"$ref": "#/components/schemas/ID"}, {"type": "null"}]
                            },
                            "spec": {"$ref": "#/components/schemas/RuleSpec"}
                          }
                        }
                      }
                    }
                  }
                }
              },
              "ReratingApplyRequest": {
                "type": "object",
                "required": ["apply"],
                "additionalProperties": false,
                "properties": {
                  "apply": {
                    "type": "object",
                    "required": ["preview_id", "reason"],
                    "additionalProperties": false,
                    "properties": {
                      "preview_id": {"$ref": "#/components/schemas/ID", "description": "The preview's id."},
                      "reason": {"$ref": "#/components/schemas/Name", "description": "Why, kept on every consumption the apply records: 1 to 255 characters, not blank, without control characters."}
                    }
                  }
                }
              },
              "ReratingDraft": {
                "type": "object",
                "required": ["id", "spec"],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": ["string", "null"], "description": "The rule it replaces; null: the rule of its resource type in each user's policy."},
                  "spec": {"type": "object", "description": "The draft spec."}
                }
              },
              "ReratingLine": {
                "type": "object",
                "description": "One user's resources of one type within the window.",
                "required": ["user_id", "resource_type", "resources", "current", "draft", "difference"],
                "additionalProperties": false,
                "properties": {
                  "user_id": {"type": "string"},
                  "resource_type": {"type": "string"},
                  "resources": {"type": "integer", "minimum": 0, "description": "How many of the user's resources of the type the window touches."},
                  "current": {"$ref": "#/components/schemas/Amount", "description": "What was billed for the window (open intervals included)."},
                  "draft": {"$ref": "#/components/schemas/Amount", "description": "What the draft rules bill for the window."},
                  "difference": {"$ref": "#/components/schemas/Amount", "description": "draft - current (may be negative)."}
                }
              },
              "ReratingPreview": {
                "type": "object",
                "description": "What draft rules would change over a past window; nothing is billed.",
                "required": [
                  "id",
                  "start_time",
                  "end_time",
                  "user_ids",
                  "policy_id",
                  "rules",
                  "created_at",
                  "current",
                  "draft",
                  "difference",
                  "lines"
                ],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string", "description": "The preview's id: what an apply names."},
                  "start_time": {"$ref": "#/components/schemas/Timestamp"},
                  "end_time": {"$ref": "#/components/schemas/Timestamp"},
                  "user_ids": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Null: every user."},
                  "policy_id": {"type": ["string", "null"]},
                  "rules": {"type": "array", "items": {"$ref": "#/components/schemas/ReratingDraft"}},
                  "created_at": {"$ref": "#/components/schemas/Timestamp"},
                  "current": {"$ref": "#/components/schemas/Amount", "description": "The sum of the lines' current."},
                  "draft": {"$ref": "#/components/schemas/Amount", "description": "The sum of the lines' draft."},
                  "difference": {"$ref": "#/components/schemas/Amount", "description": "draft - current."},
                  "lines": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ReratingLine"},
                    "description": "One per user and resource type the window touches, by user then type."
                  }
                }
              },
              "Rerating": {
                "type": "object",
                "description": "An applied re-rating.",
                "required": [
                  "id",
                  "reason",
                  "previewed_at",
                  "applied_at",
                  "start_time",
                  "end_time",
                  "user_ids",
                  "policy_id",
                  "rules",
                  "current",
                  "draft",
                  "difference",
                  "consumptions",
                  "lines"
                ],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string", "description": "The preview's id."},
                  "reason": {"type": "string"},
                  "previewed_at": {"$ref": "#/components/schemas/Timestamp"},
                  "applied_at": {"$ref": "#/components/schemas/Timestamp"},
                  "start_time": {"$ref": "#/components/schemas/Timestamp"},
                  "end_time": {"$ref": "#/components/schemas/Timestamp"},
                  "user_ids": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Null: every user."},
                  "policy_id": {"type": ["string", "null"]},
                  "rules": {"type": "array", "items": {"$ref": "#/components/schemas/ReratingDraft"}},
                  "current": {"$ref": "#/components/schemas/Amount", "description": "The sum of the lines' current, at the apply."},
                  "draft": {"$ref": "#/components/schemas/Amount", "description": "The sum of the lines' draft, at the apply."},
                  "difference": {"$ref": "#/components/schemas/Amount", "description": "draft - current: what the rerate consumptions add up to."},
                  "consumptions": {"type": "integer", "minimum": 0, "description": "How many consumptions it recorded: the rerate ones, and the settlement of an interval still open at the window's end."},
                  "lines": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ReratingLine"},
                    "description": "What it changed, per user and resource type (computed at the apply)."
                  }
                }
              },
              "ReconciliationRun": {
                "type": "object",
                "description": "One pass of inventory reconciliation.",
                "required": ["id", "started_at", "finished_at", "repair", "complete", "listed", "failed", "counts", "findings"],
                "additionalProperties": false,
                "properties": {
                  "id": {"type": "string"},
                  "started_at": {"$ref": "#/components/schemas/Timestamp", "description": "When the listing started."},
                  "finished_at": {"$ref": "#/components/schemas/Timestamp", "description": "When the run was recorded."},
                  "repair": {"type": "boolean", "description": "Whether repairs were asked for ([reconciliation] repair)."},
                  "complete": {"type": "boolean", "description": "Whether every listing completed (failed is empty)."},
                  "listed": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 0},
                    "description": "How many resources each complete listing held, by resource type."
                  },
                  "failed": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "The listings that failed and were skipped whole, by resource type: why."
                  },
                  "counts": {
                    "type": "object",
                    "description": "The findings by kind and by action.",
                    "required": ["missing", "vanished", "property_drift", "reported", "repaired", "deferred"],
                    "additionalProperties": false,
                    "properties": {
                      "missing": {"type": "integer", "minimum": 0},
                      "vanished": {"type": "integer", "minimum": 0},
                      "property_drift": {"type": "integer", "minimum": 0},
                      "reported": {"type": "integer", "minimum": 0},
                      "repaired": {"type": "integer", "minimum": 0},
                      "deferred": {"type": "integer", "minimum": 0}
                    }
                  },
                  "findings": {"type": "array", "items": {"$ref": "#/components/schemas/ReconciliationFinding"}}
                }
              },
              "ReconciliationFinding": {
                "type": "object",
                "description": "One difference between the cloud and billing, and what the run did about it.",
                "required": ["resource_id", "resource_type", "user_id", "kind", "action", "effective_at", "estimated", "evidence"],
                "additionalProperties": false,
                "properties": {
                  "resource_id": {"type": "string"},
                  "resource_type": {"type": "string"},
                  "user_id": {"type": "string"},
                  "kind": {
                    "type": "string",
                    "enum": ["missing", "vanished", "property_drift"],
                    "description": "missing: in the cloud, not billed (or billed from later than its creation); vanished: billed, gone from the cloud; property_drift: billed with other properties (flavor, size)."
                  },
                  "action": {
                    "type": "string",
                    "enum": ["reported", "repaired", "deferred"],
                    "description": "reported: repair is off; repaired: billed from, or closed at, effective_at; deferred: left alone (too recent, or the billing data not current)."
                  },
                  "effective_at": {
                    "$ref": "#/components/schemas/NullableTimestamp",
                    "description": "The instant a repair bills from or closes at (creation, deletion, updated_at); null when none applies."
                  },
                  "estimated": {"type": "boolean", "description": "Whether effective_at is an estimate (a vanished resource without a deletion time: the last run that saw it)."},
                  "evidence": {"description": "What the cloud listed and what was billed (and for a deferral, why), as the run kept it."}
                }
              }
            }
          }
        }
        """#
}
