"""HR in Chromium: filters the certificate report, downloads it as XLSX, starts a bulk certificate
export, watches its progress and downloads the ZIP."""

import io
import zipfile

import openpyxl
import pytest
from playwright.sync_api import expect

from modules.models import CoursePage
from tests.browser.test_roster_upload import admin_log_in
from tests.conftest import in_real_transactions
from tests.dashboards.test_reports import certify
from training.people.models import Employee

pytestmark = [pytest.mark.browser, in_real_transactions]


def test_hr_filters_downloads_and_exports_certificates_in_bulk(page, settings):
    # The export runs in a thread, as on a server, so its progress can be watched.
    settings.TASKS = {**settings.TASKS, "background": {"BACKEND": "training.tasks.ThreadBackend"}}
    course = CoursePage.objects.get(slug="customer-loyalty-fundamentals")
    people = Employee.objects.select_related("team").filter(user__username__in=["amira", "ben", "chloe", "felix", "grace"])
    certificates = {person.user.username: certify(person, course) for person in people}
    north = {c.code for c in certificates.values() if c.employee.team.name == "North store"}

    admin_log_in(page, "hr")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Certificates").click()
    expect(page.get_by_role("heading", name="Certificates")).to_be_visible()

    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Team").click()
    page.get_by_label("Team").select_option(label="North store")
    zip_button = page.get_by_role("button", name="Download a ZIP of these 3 certificates")
    expect(zip_button).to_be_visible()  # the listing refreshed with the filter
    expect(page.locator("#listing-results")).not_to_contain_text("South store")

    page.keyboard.press("Escape")
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert {row[rows[0].index("Code")] for row in rows[1:]} == north

    zip_button.click()
    expect(page.get_by_role("heading", name="Certificate export")).to_be_visible()
    progress = page.get_by_role("progressbar")
    expect(progress).to_be_visible()
    expect(page.get_by_text("3 of 3 certificates")).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download ZIP").click()
    archive = zipfile.ZipFile(download.value.path())
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert len(pdfs) == 3 and "manifest.csv" in archive.namelist()
    manifest = archive.read("manifest.csv").decode("utf-8-sig")
    assert all(code in manifest for code in north)
    assert archive.read(pdfs[0]).startswith(b"%PDF")
