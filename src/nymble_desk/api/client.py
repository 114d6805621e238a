"""`NymbleClient`: the typed async client of the Nymble Commerce API.

```python
async with NymbleClient(base_url, Credentials("DEMO", "demo-rep", secret)) as client:
    await client.login()
    page = await client.customers.search("bright")
```
Nothing here knows about the sandbox: the base URL and credentials come from the caller.
"""

from __future__ import annotations

from types import TracebackType

import httpx

from .auth import Credentials, Token, TokenClaims
from .carts import Carts
from .customers import Customers
from .http import HttpCore
from .invoices import Invoices
from .orders import Orders
from .products import Products
from .retry import RetryPolicy
from .salesreps import SalesReps

__all__ = ["Credentials", "NymbleClient", "RetryPolicy"]


class NymbleClient:
    """Resources as attributes: `carts`, `orders`, `customers`, `products`, `invoices`, `salesreps`.

    Give `credentials` to sign in (and to sign in again once on a 401), or a
    ready `token`.  `transport` replaces the network (an ASGI app in tests).
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials | None = None,
        *,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, shared safely
    ) -> None:
        self.http = HttpCore(base_url, credentials, token=token, transport=transport, timeout=timeout, retry=retry)
        self.orders = Orders(self.http)
        self.carts = Carts(self.http, self.orders)
        self.customers = Customers(self.http)
        self.products = Products(self.http)
        self.invoices = Invoices(self.http)
        self.salesreps = SalesReps(self.http)

    @property
    def base_url(self) -> str:
        return self.http.base_url

    @property
    def retry(self) -> RetryPolicy:
        return self.http.retry

    async def login(self) -> Token:
        """Sign in with the credentials; raises Unauthorized, RateLimited or Unreachable."""
        return await self.http.login()

    @property
    def token(self) -> Token | None:
        return self.http.token

    @property
    def claims(self) -> TokenClaims | None:
        """Who the token says we are (org, role, user, customer), or None before sign-in."""
        token = self.http.token
        return token.claims if token is not None else None

    @property
    def signed_in(self) -> bool:
        return self.http.token is not None

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> NymbleClient:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()
