"""OGC API – Features (Parts 1–3) under /v1: landing page, conformance, collections, items."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from app.api.common import SessionDep, TemplatesDep, cached, etag_for
from app.api.ogc.freshness import bring_up_to_date
from app.api.ogc.params import check_params, items_query, output_format
from app.errors import NotFound
from app.geo import crs, features
from app.geo.collections import COLLECTIONS, Collection
from app.geo.cql2 import CONFORMANCE as CQL2_CONFORMANCE
from app.geo.queryables import queryables
from app.geo.tiles import TILE_CONFORMANCE

router = APIRouter(tags=["features"])
READ = ["GET", "HEAD"]

JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"
FEATURES = "http://www.opengis.net/spec/ogcapi-features-"
CONFORMANCE = [
    f"{FEATURES}1/1.0/conf/core", f"{FEATURES}1/1.0/conf/oas30", f"{FEATURES}1/1.0/conf/html",
    f"{FEATURES}1/1.0/conf/geojson", f"{FEATURES}2/1.0/conf/crs",
    f"{FEATURES}3/1.0/conf/filter", f"{FEATURES}3/1.0/conf/features-filter",
    f"{FEATURES}3/1.0/conf/queryables", f"{FEATURES}3/1.0/conf/queryables-query-parameters",
]


def base(request: Request) -> str:
    """The API root as the client sees it (behind a proxy too)."""
    return str(request.base_url).rstrip("/") + "/v1"


def link(href: str, rel: str, type_: str, title: str | None = None) -> dict[str, str]:
    out = {"href": href, "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def self_links(request: Request, url: str, json_type: str = JSON) -> list[dict[str, str]]:
    """self in the format served, alternate in the other."""
    html = output_format(request) == "html"
    return [link(f"{url}?f={'html' if html else 'json'}", "self", HTML if html else json_type),
            link(f"{url}?f={'json' if html else 'html'}", "alternate",
                 json_type if html else HTML)]


def respond(request: Request, templates: Jinja2Templates, body: Mapping[str, object],
            json_type: str = JSON,
            template: str = "pages/ogc.html", headers: dict[str, str] | None = None) -> Response:
    """The same resource as JSON or as an HTML page, with ETag."""
    if output_format(request) == "html":
        page = templates.get_template(template).render(request=request, body=body,
                                                       gemeente=None)
        return cached(request, page.encode(), HTML, headers=headers)
    return cached(request, json.dumps(body, ensure_ascii=False).encode(), json_type,
                  headers=headers)


def collection_for(collection_id: str) -> Collection:
    """404 for an unknown collection."""
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise NotFound(f"Collectie '{collection_id}' bestaat niet.") from None


@router.api_route("/v1", methods=READ, include_in_schema=False)
@router.api_route("/v1/", methods=READ, include_in_schema=False)
def landing(request: Request, templates: TemplatesDep) -> Response:
    check_params(request, {"f"})
    root = base(request)
    body = {
        "title": "Voorzieningenkaart – open geo-API",
        "description": "Wijken, dorpen, buurten, voorzieningen en groenvakken (met de status "
                       "van zelfbeheer) volgens OGC API – Features en Tiles.",
        "links": [*self_links(request, root),
                  link(f"{root}/openapi.json", "service-desc", OPENAPI_TYPE, "OpenAPI 3.0"),
                  link(f"{root}/conformance", "conformance", JSON, "Conformiteit"),
                  link(f"{root}/collections", "data", JSON, "Collecties"),
                  link(f"{root}/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/"
                       "tiling-schemes", JSON, "Tegelschema's")],
    }
    return respond(request, templates, body)


@router.api_route("/v1/conformance", methods=READ, include_in_schema=False)
def conformance(request: Request, templates: TemplatesDep) -> Response:
    check_params(request, {"f"})
    body = {"conformsTo": [*CONFORMANCE, *CQL2_CONFORMANCE, *TILE_CONFORMANCE],
            "links": self_links(request, f"{base(request)}/conformance")}
    return respond(request, templates, body)


def collection_body(request: Request, session: Session, c: Collection) -> dict[str, object]:
    """Collection metadata: extent, CRSs, links to items, queryables and tiles."""
    url = f"{base(request)}/collections/{c.id}"
    return {
        "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
        "extent": features.extent(session, c),
        "crs": list(crs.SUPPORTED), "storageCrs": crs.URI[crs.RD_NEW],
        "links": [*self_links(request, url),
                  link(f"{url}/items?f=json", "items", GEOJSON, "Objecten (GeoJSON)"),
                  link(f"{url}/items?f=html", "items", HTML, "Objecten (HTML)"),
                  link(f"{url}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                       "application/schema+json", "Filterbare eigenschappen"),
                  *([link(f"{url}/tiles",
                          "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", JSON,
                          "Vectortegels")] if c.tiles else [])],
    }


@router.api_route("/v1/collections", methods=READ, include_in_schema=False)
def collections(request: Request, session: SessionDep, templates: TemplatesDep) -> Response:
    check_params(request, {"f"})
    body = {"collections": [collection_body(request, session, c) for c in COLLECTIONS.values()],
            "crs": list(crs.SUPPORTED),
            "links": self_links(request, f"{base(request)}/collections")}
    return respond(request, templates, body)


@router.api_route("/v1/collections/{collection_id}", methods=READ, include_in_schema=False)
def collection(collection_id: str, request: Request, session: SessionDep,
               templates: TemplatesDep) -> Response:
    check_params(request, {"f"})
    return respond(request, templates,
                   collection_body(request, session, collection_for(collection_id)))


@router.api_route("/v1/collections/{collection_id}/queryables", methods=READ,
                  include_in_schema=False)
def collection_queryables(collection_id: str, request: Request,
                          templates: TemplatesDep) -> Response:
    check_params(request, {"f"})
    c = collection_for(collection_id)
    body = queryables(c, f"{base(request)}/collections/{c.id}/queryables")
    return respond(request, templates, body, json_type="application/schema+json")


def _page_links(request: Request, url: str, page: features.Page,
                q: features.FeatureQuery) -> list[dict[str, str]]:
    """self/alternate plus next/prev with our keyset cursor; other parameters kept."""
    params = {k: v for k, v in request.query_params.items() if k not in ("cursor", "f")}
    fmt = output_format(request)

    def href(extra: dict[str, str], f: str) -> str:
        return f"{url}?{urlencode({**params, **extra, 'f': f})}"

    current = {"cursor": request.query_params["cursor"]} if "cursor" in request.query_params \
        else {}
    own, other = (HTML, GEOJSON) if fmt == "html" else (GEOJSON, HTML)
    links = [link(href(current, fmt), "self", own),
             link(href(current, "html" if fmt == "json" else "json"), "alternate", other)]
    backwards = q.before is not None
    has_next = page.more if not backwards else True
    has_prev = (q.after is not None) if not backwards else page.more
    if page.returned and has_next:
        links.append(link(href({"cursor": f"a{page.last_id}"}, fmt), "next", own,
                          "Volgende pagina"))
    if page.returned and has_prev:
        links.append(link(href({"cursor": f"b{page.first_id}"}, fmt), "prev", own,
                          "Vorige pagina"))
    return links


@router.api_route("/v1/collections/{collection_id}/items", methods=READ, include_in_schema=False)
def items(collection_id: str, request: Request, session: SessionDep,
          templates: TemplatesDep) -> Response:
    c = collection_for(collection_id)
    q = items_query(request, c)
    bring_up_to_date(request, session, c, q.equals.get("gemeente"))
    page = features.page(session, q)
    url = f"{base(request)}/collections/{c.id}/items"
    links = _page_links(request, url, page, q)
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    headers = {"Content-Crs": f"<{crs.URI[q.srid]}>"}
    if output_format(request) == "html":
        body = {"title": c.title, "type": "FeatureCollection",
                "features": json.loads(f"[{page.features}]"), "numberMatched": page.matched,
                "numberReturned": page.returned, "links": links}
        return respond(request, templates, body, headers=headers)
    text = (f'{{"type":"FeatureCollection","numberMatched":{page.matched},'
            f'"numberReturned":{page.returned},"timeStamp":"{stamp}",'
            f'"links":{json.dumps(links)},"features":[{page.features}]}}')
    return cached(request, text.encode(), GEOJSON, headers=headers,
                  etag=_etag_without_stamp(page.features, links, page.matched))


def _etag_without_stamp(features_text: str, links: list[dict[str, str]], matched: int) -> str:
    """The ETag ignores timeStamp, so an unchanged page revalidates to 304."""
    return etag_for(features_text, json.dumps(links), str(matched))


@router.api_route("/v1/collections/{collection_id}/items/{feature_id}", methods=READ,
                  include_in_schema=False)
def item(collection_id: str, feature_id: str, request: Request, session: SessionDep,
         templates: TemplatesDep) -> Response:
    c = collection_for(collection_id)
    check_params(request, {"f", "crs"})
    srid = crs.srid_of(request.query_params.get("crs"), "crs")
    if not feature_id.isdigit() or len(feature_id) > 12:
        raise NotFound(f"Object '{feature_id}' bestaat niet in {c.id}.")
    bring_up_to_date(request, session, c)
    feature = features.one(session, c, int(feature_id), srid)
    if feature is None:
        raise NotFound(f"Object {feature_id} bestaat niet in {c.id}.")
    url = f"{base(request)}/collections/{c.id}/items/{feature_id}"
    headers = {"Content-Crs": f"<{crs.URI[srid]}>"}
    links = [*self_links(request, url, GEOJSON),
             link(f"{base(request)}/collections/{c.id}?f=json", "collection", JSON, c.title)]
    if output_format(request) == "html":
        body = {"title": f"{c.title} {feature_id}", **json.loads(feature), "links": links}
        return respond(request, templates, body, headers=headers)
    text = feature[:-1] + f',"links":{json.dumps(links)}}}'
    return cached(request, text.encode(), GEOJSON, headers=headers)

