"""Stand-in for the Stripe SDK: every API call fails, as it does without network access.

Revisions that call Stripe do so per row they have read; offline no row is read,
so the calls are never reached.  Module-level clients must still be constructible.
"""

from typing import Any


class StripeError(Exception):
    pass


class RateLimitError(StripeError):
    pass


class InvalidRequestError(StripeError):
    pass


class _Unreachable:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            raise StripeError(f"the Stripe API ({name}) cannot be reached from a migration check")

        return call if not name[:1].isupper() else _Unreachable()


class HTTPXClient(_Unreachable):
    pass


class StripeClient(_Unreachable):
    def __getattr__(self, name: str) -> Any:
        return _Unreachable()


Product = Price = Subscription = Invoice = Charge = Customer = PaymentMethod = _Unreachable()
Payout = Transfer = Account = Refund = Dispute = _Unreachable()
api_key: str | None = None
