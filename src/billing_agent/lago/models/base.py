"""The base of every Lago record model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class LagoModel(BaseModel):
    """A Lago record: typed common fields, every other field Lago sends kept as is (`extra="allow"`).

    `model_dump(mode="json")` gives back the whole record, unknown fields included.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)
