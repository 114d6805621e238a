"""Currency codes the sandbox takes: ISO 4217's active currencies (no funds, metals or test codes).

A code is matched without regard to case and stored upper-case; anything else
(``ZZZ``) is refused with 400 naming the field.  The OpenAPI document lists them
as an ``enum``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

ISO_4217 = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG
XOF XPF YER ZAR ZMW ZWG
""".split())


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _known(value: str) -> str:
    if value not in ISO_4217:
        raise ValueError(f"'{value}' is not an ISO 4217 currency code (for example USD, CAD, EUR)")
    return value


CurrencyCode = Annotated[
    str,
    BeforeValidator(_upper),
    AfterValidator(_known),
    WithJsonSchema({"type": "string", "enum": sorted(ISO_4217), "description": "ISO 4217 code, any case"}),
]
