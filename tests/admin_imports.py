"""Spreadsheets for the admin's import pages, and posting them: shared by the import tests."""

import csv
import io

import openpyxl
from django.urls import reverse

CSV_FORMAT, XLSX_FORMAT, JSON_FORMAT = "0", "1", "2"
ANSWER_HEADER = ["city", "round", "stakeholder_type", "version", "level", "position", "respondent", "value", "note"]
HEADER = ["stakeholder_type", "version", "level", "position", "text", "topics"]


def csv_file(rows, header=HEADER, name="checklist.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = name
    return upload


def xlsx_file(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "checklist.xlsx"
    return upload


def preview(client, model, upload, fmt):
    url = reverse(f"admin:assessments_{model}_import")
    return client.post(url, {"import_file": upload, "format": fmt, "resource": "0"})


def confirm(client, model, response):
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(f"admin:assessments_{model}_process_import"), data, follow=True)
