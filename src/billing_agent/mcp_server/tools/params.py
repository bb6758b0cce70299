"""Argument types shared by many tools (JSON-schema descriptions kept short: they go to the model every call)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

PageArg = Annotated[int | None, Field(ge=1, description="Page number, from 1.")]
PerPageArg = Annotated[int | None, Field(ge=1, le=100, description="Records per page (default 20, max 100).")]
CustomerExternalId = Annotated[str, Field(min_length=1, description="The customer's external_id.")]
InvoiceLagoId = Annotated[str, Field(min_length=1, description="The invoice's lago_id (UUID), not its number.")]
DateArg = Annotated[str | None, Field(description="Date, YYYY-MM-DD.")]
DateTimeArg = Annotated[str | None, Field(description="ISO 8601 date-time, e.g. 2025-01-31T00:00:00Z.")]


class ArgsModel(BaseModel):
    """Base of nested argument objects: unknown keys are refused, so typos are reported instead of ignored."""

    model_config = ConfigDict(extra="forbid")

    def body(self) -> dict[str, object]:
        """The object as a Lago request body (unset fields left out)."""
        return self.model_dump(mode="json", exclude_none=True)
