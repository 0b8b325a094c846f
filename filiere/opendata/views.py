"""The open-data page, the DCAT-AP catalogue and the exports in the official schemas."""

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from filiere.common.exports import schema_csv_lines
from filiere.opendata.catalogue import LICENCE, LICENCE_NAME, catalogue
from filiere.opendata.dcat import catalogue_jsonld
from filiere.opendata.exports import EXPORTS


def open_data(request):
    return render(
        request,
        "opendata/open_data.html",
        {
            "catalogue": catalogue(),
            "licence": LICENCE,
            "licence_name": LICENCE_NAME,
        },
    )


def catalogue_ld(request):
    # The catalogue describes its datasets in French, whatever the reader's language.
    with translation.override("fr"):
        document = catalogue_jsonld(
            catalogue(request.build_absolute_uri),
            url=request.build_absolute_uri(),
            home=request.build_absolute_uri(reverse("opendata:home")),
        )
    return JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )


def export(request, name: str):
    schema_export = EXPORTS.get(name)
    if schema_export is None:
        raise Http404
    response = StreamingHttpResponse(
        schema_csv_lines(schema_export.fields, schema_export.build().rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{schema_export.filename}"'
    return response
