"""With FILIERE_S3_BUCKET set, a project's documents go to the S3-compatible bucket and come
back from it through the project's pages (moto's S3 server on this machine stands in for it)."""

import runpy
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

import filiere.settings.base
from filiere.projects.models import Document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUCKET = "filiere-documents"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "filiere-test", "AWS_SECRET_ACCESS_KEY": "filiere-test"}


@pytest.fixture
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storages(s3_endpoint, monkeypatch):
    """The production settings' STORAGES for a bucket given by the environment."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FILIERE_S3_BUCKET", BUCKET)
    monkeypatch.setenv("FILIERE_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("FILIERE_S3_REGION", "eu-west-3")
    production = runpy.run_path(str(Path(filiere.settings.base.__file__)))
    return production["STORAGES"]


def test_documents_are_stored_in_the_bucket_and_sent_back_from_it(
    client, iw, project, s3_endpoint, s3_storages
):
    bucket = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-3",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    bucket.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    client.force_login(iw.lead_member)
    with override_settings(STORAGES=s3_storages):
        client.post(
            reverse("projects:document_add", args=[project.pk]),
            {"file": SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")},
        )
        document = Document.objects.get()
        stored = bucket.get_object(Bucket=BUCKET, Key=document.file.name)
        assert stored["Body"].read() == PDF
        # Private: the object grants nobody but its owner.
        grants = bucket.get_object_acl(Bucket=BUCKET, Key=document.file.name)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        response = client.get(reverse("projects:document", args=[document.pk]))
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
