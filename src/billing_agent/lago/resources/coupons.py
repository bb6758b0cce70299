"""Coupons (CRUD by `code`) and applied coupons (apply, list, remove)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from billing_agent.lago.models import AppliedCoupon, Coupon
from billing_agent.lago.pagination import Page
from billing_agent.lago.params import as_body, require_fields
from billing_agent.lago.resources.base import ResourceClient, seg

_EXAMPLE = "SUMMER20"


class CouponsMixin(ResourceClient):
    """Coupon and applied-coupon operations."""

    async def list_coupons(self, *, page: int | None = None, per_page: int | None = None) -> Page[Coupon]:
        """One page of coupons."""
        return await self._page(Coupon, "coupons", "/coupons", {}, page, per_page)

    async def get_coupon(self, code: str) -> Coupon:
        """The coupon with this code."""
        return await self._one(Coupon, "coupon", "GET", f"/coupons/{seg(code, 'code', _EXAMPLE)}")

    async def create_coupon(self, coupon: Mapping[str, Any]) -> Coupon:
        """Create a coupon (`code`, `name`, `coupon_type`, `amount_cents` or `percentage_rate`, …)."""
        require_fields(coupon, "coupon", "code")
        return await self._one(Coupon, "coupon", "POST", "/coupons", json={"coupon": as_body(coupon, "coupon")})

    async def update_coupon(self, code: str, changes: Mapping[str, Any]) -> Coupon:
        """Change fields of a coupon."""
        path = f"/coupons/{seg(code, 'code', _EXAMPLE)}"
        return await self._one(Coupon, "coupon", "PUT", path, json={"coupon": as_body(changes, "changes")})

    async def delete_coupon(self, code: str) -> Coupon:
        """Terminate a coupon (applied ones keep running); returns the record."""
        return await self._one(Coupon, "coupon", "DELETE", f"/coupons/{seg(code, 'code', _EXAMPLE)}")

    async def apply_coupon(self, applied_coupon: Mapping[str, Any]) -> AppliedCoupon:
        """Apply a coupon to a customer (`external_customer_id`, `coupon_code`, optional overrides).

        Not retried after a 5xx: a reusable coupon would be applied twice.
        """
        require_fields(applied_coupon, "applied_coupon", "external_customer_id", "coupon_code")
        body = {"applied_coupon": as_body(applied_coupon, "applied_coupon")}
        return await self._one(AppliedCoupon, "applied_coupon", "POST", "/applied_coupons", json=body)

    async def list_applied_coupons(
        self,
        *,
        status: str | None = None,
        external_customer_id: str | None = None,
        coupon_codes: Sequence[str] | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> Page[AppliedCoupon]:
        """One page of applied coupons (`status` active or terminated)."""
        filters = {"status": status, "external_customer_id": external_customer_id, "coupon_code": coupon_codes}
        return await self._page(AppliedCoupon, "applied_coupons", "/applied_coupons", filters, page, per_page)

    async def remove_applied_coupon(self, external_customer_id: str, applied_coupon_id: str) -> AppliedCoupon:
        """Remove a coupon from a customer (by the applied coupon's `lago_id`)."""
        customer = seg(external_customer_id, "external_customer_id", "acme_corp")
        applied = seg(applied_coupon_id, "applied_coupon_id", "1a901a90-1a90-1a90-1a90-1a901a901a90")
        path = f"/customers/{customer}/applied_coupons/{applied}"
        return await self._one(AppliedCoupon, "applied_coupon", "DELETE", path)
