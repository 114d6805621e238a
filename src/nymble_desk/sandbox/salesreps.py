"""Sales reps: ``GET /api/salesreps`` and ``GET /api/salesreps/{repNumber}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from nymble_desk.sandbox.auth import Caller
from nymble_desk.sandbox.db import Database
from nymble_desk.sandbox.errors import not_found
from nymble_desk.sandbox.paging import Col, Keyword, contains, ListQuery, data_page, limit, order_by, paged_for, where
from nymble_desk.sandbox.records import rep_out
from nymble_desk.sandbox.responses import SalesRepOut, SalesRepsPage

COLUMNS = {
    "repNumber": Col("rep_number"),
    "firstName": Col("first_name"),
    "lastName": Col("last_name"),
    "email": Col("email"),
    "active": Col("active", "bool"),
}


def build_router(db: Database) -> APIRouter:
    router = APIRouter(tags=["salesreps"])

    @router.get("/api/salesreps", response_model=SalesRepsPage)
    def list_reps(
        who: Caller, query: Annotated[ListQuery, Depends(paged_for(COLUMNS))], keyword: Keyword = None
    ) -> dict[str, Any]:
        clauses, params = where(COLUMNS, query)
        sql = " WHERE org_id = ?" + "".join(f" AND {c}" for c in clauses)
        args: list[Any] = [who.org_id, *params]
        if keyword:
            sql += (" AND (rep_number LIKE ? ESCAPE '\\' OR first_name || ' ' || last_name LIKE ? ESCAPE '\\'"
                    " OR email LIKE ? ESCAPE '\\')")
            args += [contains(keyword)] * 3
        with db.connection() as con:
            total = con.execute(f"SELECT count(*) FROM salesreps{sql}", args).fetchone()[0]
            rows = con.execute(
                f"SELECT * FROM salesreps{sql} {order_by(COLUMNS, query, 'repNumber', 'rep_number')} {limit(query)}",
                args,
            ).fetchall()
        return data_page([rep_out(r) for r in rows], total, query)

    @router.get("/api/salesreps/{repNumber}", response_model=SalesRepOut)
    def get_rep(who: Caller, repNumber: Annotated[str, Path(min_length=1, max_length=100)]) -> dict[str, Any]:
        with db.connection() as con:
            row = con.execute(
                "SELECT * FROM salesreps WHERE org_id = ? AND rep_number = ?", (who.org_id, repNumber)
            ).fetchone()
        if row is None:
            raise not_found("Sales rep", repNumber)
        return rep_out(row)

    return router
