"""One settings object; every knob is an environment variable."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_FRONT_URL = "https://app.getlago.com"
DEFAULT_MODEL = "mistralai:mistral-large-latest"


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Configuration read from `LAGO_*`, `MISTRAL_*` and `BILLING_AGENT_*` environment variables."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    lago_api_url: str | None = Field(
        default=None,
        validation_alias=_env("LAGO_API_URL"),
        description="Lago API base URL; unset = the embedded sandbox.",
    )
    lago_api_key: SecretStr | None = Field(default=None, validation_alias=_env("LAGO_API_KEY"))
    lago_front_url: str = Field(default=DEFAULT_FRONT_URL, validation_alias=_env("LAGO_FRONT_URL"))
    lago_timeout_s: float = Field(default=30.0, gt=0, validation_alias=_env("LAGO_TIMEOUT"))
    lago_max_retries: int = Field(default=4, ge=0, le=20, validation_alias=_env("LAGO_MAX_RETRIES"))

    mistral_api_key: SecretStr | None = Field(default=None, validation_alias=_env("MISTRAL_API_KEY"))
    model: str | None = Field(
        default=None,
        validation_alias=_env("BILLING_AGENT_MODEL"),
        description="'provider:model' for init_chat_model, or 'offline'; unset = Mistral with a key, else offline.",
    )
    model_max_retries: int = Field(
        default=2,
        ge=0,
        le=10,
        validation_alias=_env("BILLING_AGENT_MODEL_MAX_RETRIES"),
        description="Retries of a failed chat-model request (connection errors).",
    )

    home: Path = Field(
        default_factory=lambda: Path(user_data_dir("billing-agent", appauthor=False)),
        validation_alias=_env("BILLING_AGENT_HOME"),
    )
    database_url: str | None = Field(default=None, validation_alias=_env("BILLING_AGENT_DATABASE_URL"))
    org_api_keys: dict[str, SecretStr] = Field(
        default_factory=dict,
        validation_alias=_env("BILLING_AGENT_ORG_API_KEYS"),
        description="JSON object: organization id → its Lago API key (multi-tenant deployments).",
    )
    auth_tokens: dict[str, SecretStr] = Field(
        default_factory=dict,
        validation_alias=_env("BILLING_AGENT_AUTH_TOKENS"),
        description="JSON object: bearer token → 'org_id:user_id:role' (LangGraph Server auth).",
    )

    batch_max_items: int = Field(default=1000, ge=1, validation_alias=_env("BILLING_AGENT_BATCH_MAX_ITEMS"))
    batch_concurrency: int = Field(default=8, ge=1, validation_alias=_env("BILLING_AGENT_BATCH_CONCURRENCY"))
    batch_rate: float = Field(default=40.0, gt=0, validation_alias=_env("BILLING_AGENT_BATCH_RATE"))
    max_tool_rounds: int = Field(default=6, ge=1, validation_alias=_env("BILLING_AGENT_MAX_TOOL_ROUNDS"))
    max_message_chars: int = Field(default=20_000, ge=1, validation_alias=_env("BILLING_AGENT_MAX_MESSAGE_CHARS"))
    tool_result_chars: int = Field(default=6_000, ge=200, validation_alias=_env("BILLING_AGENT_TOOL_RESULT_CHARS"))

    @property
    def uses_sandbox(self) -> bool:
        """True when no Lago URL is configured and the embedded sandbox serves the API."""
        return not self.lago_api_url

    @property
    def sandbox_db_path(self) -> Path:
        """The SQLite file of the embedded sandbox."""
        return self.home / "sandbox.sqlite3"

    def resolved_model(self) -> str:
        """The model id to use: explicit setting, else Mistral with a key, else the offline planner."""
        if self.model:
            return self.model
        return DEFAULT_MODEL if self.mistral_api_key else "offline"
