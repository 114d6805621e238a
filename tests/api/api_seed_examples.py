"""The seed pages' example responses, verbatim (../shared/seeds/), as JSON text."""

CART_CREATED = """{
"shoppingCartId": "cart_8f3a2c1d",
"customerNumber": "CUST-1042",
"organizationId": "org_4e9b7f22",
"orderType": "Standard",
"status": "PENDING",
"items": [
{
"sku": "WIDGET-BLU-L",
"quantity": 1
}
],
"createdAt": "2024-06-01T10:00:00Z"
}"""

CHECKOUT_RESULT = """{
"orderNumber": "ORD-2024-004821",
"confirmationId": "conf_a3f91bc2"
}"""

CHECKOUT_REQUEST = """{
"customerNumber": "CUST-1042",
"shoppingCartId": "cart_8f3a2c1d",
"channel": "Web",
"payment": {
"billingAddress": {
"address1": "123 Billing St",
"city": "New York",
"stateProvince": "NY",
"postalCode": "10001",
"country": "US"
},
"creditCard": {
"cardNumber": "4111111111111111",
"cardholderName": "John Doe",
"expiryMonth": "12",
"expiryYear": 2028,
"cvv": "123"
}
}
}"""

ORDER_CREATED = """{
  "data": {
    "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
    "orderNumber": "ORD-00412"
  },
  "links": [
    {
      "rel": "self",
      "href": "/api/orders/a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    }
  ]
}"""

BULK_CREATED = """[
  {
    "data": { "id": "ord-uuid-001", "orderNumber": "ORD-2023-001" },
    "links": [{ "rel": "self", "href": "/api/orders/ord-uuid-001" }]
  },
  {
    "data": { "id": "ord-uuid-002", "orderNumber": "ORD-2023-002" },
    "links": [{ "rel": "self", "href": "/api/orders/ord-uuid-002" }]
  }
]"""

ORDER = """{
  "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
  "organizationId": "org_xyz",
  "orderNumber": "ORD-00412",
  "orderDate": "2024-03-15T10:22:00Z",
  "orderStatus": "Processing",
  "orderType": "Direct",
  "poNumber": "PO-88412",
  "priceTier": "Wholesale",
  "currencyCode": "USD",
  "terms": "Net30",
  "channel": "Phone",
  "externalId": "ERP-ORDER-99821",
  "notes": "Customer requested delivery before end of month.",
  "customer": {
    "customerNumber": "CUST-1042",
    "companyName": "Brightfield Supply Co.",
    "companyEmail": "[email protected]",
    "companyPhone": "555-400-1200",
    "billingAddress": {
      "address1": "300 Commerce Blvd",
      "city": "Portland",
      "stateProvince": "OR",
      "zipPostalCode": "97201",
      "country": "US"
    }
  },
  "primarySalesRep": {
    "repNumber": "REP-007",
    "firstName": "Jordan",
    "lastName": "Avery",
    "fullName": "Jordan Avery",
    "email": "[email protected]"
  },
  "items": [
    {
      "sku": "WDG-BLU-L",
      "productName": "Widget Blue Large",
      "quantity": 24,
      "price": 12.50,
      "priceFormatted": "$12.50",
      "subTotal": 300.00,
      "subTotalFormatted": "$300.00",
      "discountAmount": 0,
      "minimumOrderQuantity": 1,
      "quantityIncrement": 1
    }
  ],
  "shippingDetails": {
    "method": "FedEx Ground",
    "total": 18.50,
    "totalFormatted": "$18.50"
  },
  "tax": 28.80,
  "taxFormatted": "$28.80",
  "subtotal": 432.00,
  "subtotalFormatted": "$432.00",
  "orderTotal": 479.30,
  "orderTotalFormatted": "$479.30",
  "discountAmount": 0,
  "active": true,
  "createdAt": "2024-03-15T10:22:00Z",
  "updatedAt": "2024-03-15T10:22:00Z"
}"""

ORDER_SEARCH = """{
  "items": [ ],
  "totalCount": 47,
  "pageNumber": 1,
  "pageSize": 20,
  "totalPages": 3
}"""

ORDER_CREATE_REQUEST = """{
    "customer": {
      "customerNumber": "CUST-1042",
      "companyName": "Brightfield Supply Co.",
      "companyEmail": "[email protected]",
      "companyPhone": "555-400-1200",
      "billingAddress": {
        "address1": "300 Commerce Blvd",
        "city": "Portland",
        "stateProvince": "OR",
        "zipPostalCode": "97201",
        "country": "US"
      },
      "shippingAddress": {
        "address1": "300 Commerce Blvd",
        "city": "Portland",
        "stateProvince": "OR",
        "zipPostalCode": "97201",
        "country": "US"
      }
    },
    "orderType": "Direct",
    "poNumber": "PO-88412",
    "priceTier": "Wholesale",
    "currencyCode": "USD",
    "primarySalesRep": {
      "repNumber": "REP-007",
      "firstName": "Jordan",
      "lastName": "Avery",
      "email": "[email protected]"
    },
    "items": [
      {
        "sku": "WDG-BLU-L",
        "productName": "Widget Blue Large",
        "quantity": 24,
        "price": 12.50
      },
      {
        "sku": "WDG-RED-M",
        "productName": "Widget Red Medium",
        "quantity": 12,
        "price": 11.00
      }
    ],
    "user": {
      "userId": "usr_abc123",
      "userType": "SalesRep"
    },
    "shippingDetails": {
      "method": "FedEx Ground",
      "total": 18.50
    },
    "terms": "Net30",
    "channel": "Phone",
    "externalId": "ERP-ORDER-99821",
    "tax": 28.80,
    "notes": "Customer requested delivery before end of month."
  }"""
