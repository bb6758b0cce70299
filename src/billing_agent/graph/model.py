"""Chat model factory: any `init_chat_model` id, Mistral by default, or the offline planner."""

from __future__ import annotations

from typing import Any

from langchain.chat_models import init_chat_model
from langchain_core.language_models import BaseChatModel

from billing_agent.settings import Settings

OFFLINE = "offline"


class ModelConfigurationError(RuntimeError):
    """The configured chat model cannot be created; the message says what to set."""


class ModelUnavailableError(ConnectionError):
    """The chat model's provider did not answer (network, key, quota); the message says what to check."""

    def __init__(self, model: str, error: BaseException) -> None:
        super().__init__(
            f"The chat model ({model}) did not answer: {type(error).__name__}: {error}. Check the network and the "
            "provider's API key (MISTRAL_API_KEY for Mistral), or use the offline planner "
            "(BILLING_AGENT_MODEL=offline)."
        )


def is_offline(model: str) -> bool:
    """True for the deterministic offline planner."""
    return model.strip().lower() == OFFLINE


def create_chat_model(
    settings: Settings | None = None, *, model: str | None = None, max_retries: int | None = None, **kwargs: Any
) -> BaseChatModel:
    """Create the planner's chat model.

    Args:
        settings: configuration (model id, Mistral key, retries); read from the environment when None.
        model: `provider:model` for `init_chat_model` (e.g. `mistralai:mistral-large-latest`) or `offline`;
            defaults to `settings.resolved_model()`.
        max_retries: retries of failed requests; defaults to `settings.model_max_retries`.
        **kwargs: passed to `init_chat_model` (e.g. `endpoint=` for a Mistral-compatible server).
    """
    settings = settings or Settings()
    name = model or settings.resolved_model()
    if is_offline(name):
        from billing_agent.graph.offline import OfflinePlanner

        return OfflinePlanner()
    options: dict[str, Any] = {"max_retries": settings.model_max_retries if max_retries is None else max_retries}
    if name.startswith("mistralai:"):
        if settings.mistral_api_key is None and "api_key" not in kwargs:
            raise ModelConfigurationError(
                f"Model {name!r} needs MISTRAL_API_KEY. Set it, or set BILLING_AGENT_MODEL=offline to use the "
                "offline planner."
            )
        if settings.mistral_api_key is not None:
            options["api_key"] = settings.mistral_api_key.get_secret_value()
    try:
        chat_model: BaseChatModel = init_chat_model(name, **{**options, **kwargs})
    except (ImportError, ValueError) as error:
        raise ModelConfigurationError(
            f"Cannot create chat model {name!r}: {error}. Use 'provider:model' (e.g. mistralai:mistral-large-latest) "
            "with the provider's package installed, or 'offline'."
        ) from error
    return chat_model
