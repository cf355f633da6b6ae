"""`python manage.py render_report`: one city's PDF report to a file, or every city's to a folder."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports import pdf
from assessments.models import Checklist, Round, Sheet
from tests.factories import make_city


def run(*args):
    err = io.StringIO()
    call_command("render_report", *args, stderr=err, stdout=io.StringIO())
    return err.getvalue()


def test_renders_one_citys_latest_round_to_a_file(milan, tmp_path, fake_renders):
    target = tmp_path / "milan.pdf"
    output = run("milan", "-o", str(target))
    assert target.read_bytes() == b"%PDF-fake 1"
    assert f"wrote {target}" in output
    assert "MEGA benchmarking report – Milan, 2018" in fake_renders[0]


def test_the_real_pdf_of_milan(milan, tmp_path):
    target = tmp_path / "milan.pdf"
    run("milan", "--round", "2018", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_folder_as_output_gets_the_download_file_name(milan, tmp_path, fake_renders):
    run("milan", "-o", str(tmp_path))
    assert (tmp_path / "mega-milan-2018-report.pdf").exists()


def test_all_renders_every_city_and_round_with_a_progress_bar(milan, tmp_path, fake_renders):
    turin = make_city("turin")
    chamber = Checklist.objects.get(stakeholder_type__slug="chamber", version="1")
    Sheet.objects.create(city=turin, round=Round.objects.get(name="2018"), checklist=chamber)
    Sheet.objects.create(city=milan, round=Round.objects.create(name="2022"), checklist=chamber)
    make_city("nowhere")  # no benchmarking: no report
    output = run("--all", "-o", str(tmp_path / "reports"))
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "mega-milan-2018-report.pdf",
        "mega-milan-2022-report.pdf",
        "mega-turin-2018-report.pdf",
    ]
    lines = [line for line in output.splitlines() if line.startswith("[")]
    assert len(lines) == 3 and lines[-1].startswith("[" + "#" * 30 + "] 3/3")
    assert lines[0].endswith("milan 2018") and lines[2].endswith("turin 2018")
    assert "wrote 3 report(s)" in output


def test_all_with_a_round_only_renders_that_round(milan, tmp_path, fake_renders):
    chamber = Checklist.objects.get(stakeholder_type__slug="chamber", version="1")
    Sheet.objects.create(city=milan, round=Round.objects.create(name="2022"), checklist=chamber)
    run("--all", "--round", "2022", "-o", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["mega-milan-2022-report.pdf"]


def test_the_progress_bar_redraws_one_line_on_a_terminal(milan, tmp_path, fake_renders):
    from reports.management.commands.render_report import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    from django.core.management.base import OutputWrapper

    stream = Terminal()
    bar = ProgressBar(2, OutputWrapper(stream))
    bar.step("milan 2018")
    bar.step("turin 2018")
    bar.done()
    assert stream.getvalue().count("\r") == 2 and stream.getvalue().endswith("2/2  turin 2018\n")


@pytest.mark.parametrize(
    "args,message",
    [
        (["-o", "x.pdf"], "give either a city slug or --all"),
        (["milan", "--all", "-o", "x"], "give either a city slug or --all"),
        (["atlantis", "-o", "x.pdf"], "no city with slug 'atlantis'"),
        (["milan", "--round", "1999", "-o", "x.pdf"], "no round named '1999'"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(milan, args, message, fake_renders):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert fake_renders == []


def test_a_city_without_benchmarking_is_refused(milan, tmp_path, fake_renders):
    make_city("turin")
    with pytest.raises(CommandError, match="Turin has no benchmarking"):
        run("turin", "-o", str(tmp_path / "t.pdf"))


def test_a_failed_render_is_an_error_not_a_file(milan, tmp_path, monkeypatch):
    def broken(html, fetcher=None):
        raise pdf.PdfError("the PDF could not be fake_renders: boom")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with pytest.raises(CommandError, match="milan 2018: the PDF could not be fake_renders: boom"):
        run("milan", "-o", str(tmp_path / "m.pdf"))
    assert not (tmp_path / "m.pdf").exists()
