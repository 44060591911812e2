"""API errors as the gateways write them: {"error": {message, type, param, code}}."""

import json


class ApiError(Exception):
    """An error reply. `body` overrides the standard shape (new-api sends fewer keys)."""

    def __init__(self, status, message, type_="invalid_request_error", param=None, code=None,
                 body=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.param = param
        self.code = code
        self._body = body
        self.headers = dict(headers or {})

    def error_object(self):
        if self._body is not None:
            return dict(self._body)
        return {"message": self.message, "type": self.type, "param": self.param, "code": self.code}

    def to_json(self, unwrapped=False):
        obj = self.error_object()
        return json.dumps(obj if unwrapped else {"error": obj}).encode()


def invalid(param, message, code="invalid_value"):
    return ApiError(400, message, param=param, code=code)


def unknown_parameter(name):
    return ApiError(400, f"Unknown parameter: '{name}'.", param=name, code="unknown_parameter")


def not_supported(name, why):
    return ApiError(400, f"Unsupported parameter: '{name}' {why}", param=name,
                    code="unsupported_parameter")


def missing(name):
    return ApiError(400, f"Missing required parameter: '{name}'.", param=name,
                    code="missing_required_parameter")


def invalid_url(method, path):
    # OpenAI's own wording for a path (or method) it does not serve.
    return ApiError(404, f"Invalid URL ({method} {path})", code=None)


def bad_api_key():
    return ApiError(401, "Incorrect API key provided. You can find your API key at "
                         "https://platform.openai.com/account/api-keys.",
                    code="invalid_api_key")


def no_channel(model, group="default"):
    # new-api (laozhang, ruoli) when the token's group has no channel for the model.
    return ApiError(503, "", body={
        "message": f"No available channel for model {model} under group {group} (distributor)",
        "type": "new_api_error"})
