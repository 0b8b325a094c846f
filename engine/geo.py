"""Coordinates: Lambert 93 (the register's projection) to WGS 84.

The inverse Lambert conformal conic projection follows IGN's published
algorithms (ALG0004 for the isometric latitude), with the Lambert 93
constants on the GRS 80 ellipsoid.
"""

import math

_E = 0.0818191910428158  # GRS 80 first eccentricity
_N = 0.7256077650532670
_C = 11754255.426096
_XS = 700000.0
_YS = 12655612.049876
_LON0 = math.radians(3.0)


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) in degrees of a Lambert 93 point (metres)."""
    dx, dy = x - _XS, _YS - y
    radius = math.hypot(dx, dy)
    gamma = math.atan2(dx, dy)
    longitude = _LON0 + gamma / _N
    isometric = -math.log(radius / _C) / _N
    latitude = 2 * math.atan(math.exp(isometric)) - math.pi / 2
    for _ in range(20):
        sin = _E * math.sin(latitude)
        nxt = 2 * math.atan(((1 + sin) / (1 - sin)) ** (_E / 2) * math.exp(isometric)) - math.pi / 2
        if abs(nxt - latitude) < 1e-12:
            latitude = nxt
            break
        latitude = nxt
    return math.degrees(latitude), math.degrees(longitude)
