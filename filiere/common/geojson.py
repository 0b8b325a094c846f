"""GeoJSON answers for the maps' marker layers (static/js/maps.js, ``pointsMap``)."""

from collections.abc import Iterable

from django.http import JsonResponse


def points_response(points: Iterable[tuple[float, float, str, str]]) -> JsonResponse:
    """A FeatureCollection of points, each ``(latitude, longitude, name, url)``: the marker's
    title and the page its popup links to."""
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"name": name, "url": url},
                }
                for lat, lon, name, url in points
            ],
        }
    )
