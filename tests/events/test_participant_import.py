"""The participant import: which organisation a row is about (slug, then name, then website),
ambiguous and unknown rows, attendees for organisations taking part already, the template,
pasted rows, and hostile files."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from common.spreadsheet_read import MAX_BYTES
from events.models import Attendee, Participant, ParticipantStatus
from events.participants import (
    PARTICIPANT_COLUMNS,
    name_key,
    participants_import,
    pasted_file,
    website_key,
)
from tests.factories import ActorFactory


def _run(event, text: str, **options):
    return participants_import(event=event, data=text.encode("utf-8"), filename="p.csv", **options)


@pytest.fixture
def directory(fair):
    """`fair` plus organisations an organiser's spreadsheet names in every way it can."""
    fair.busan = ActorFactory(
        slug="busan-marine", name="Busan Marine Cluster", side="kr", country="KR",
        website="https://www.busanmarine.kr/en/",
    )  # fmt: skip
    fair.pole = ActorFactory(slug="pole-eau", name="Pôle  Eau", website="http://pole-eau.fr")
    # Two published "Biocluster"s: a name alone cannot tell them apart.
    fair.bio_fr = ActorFactory(
        slug="biocluster-lyon", name="Biocluster", website="https://biocluster.fr"
    )
    fair.bio_kr = ActorFactory(
        slug="biocluster-osong", name="BIOCLUSTER", side="kr", country="KR",
        website="https://www.osong-bio.kr",
    )  # fmt: skip
    # One site shared by two published members of a network.
    fair.net_a = ActorFactory(slug="net-a", name="Network A", website="https://network.eu/a")
    fair.net_b = ActorFactory(slug="net-b", name="Network B", website="https://www.network.eu/b")
    fair.draft = ActorFactory(slug="draft-one", name="Draft Cluster", status="draft")
    return fair


def test_names_and_websites_compare_as_people_write_them():
    assert name_key("  Pôle   EAU ") == name_key("pole eau") == "pole eau"
    assert website_key("https://www.Lyonbiopole.com/en/") == "lyonbiopole.com"
    assert website_key("lyonbiopole.com") == "lyonbiopole.com"
    assert website_key("Lyon Biopole") == "" and website_key("http://[::1") == ""


def test_a_row_is_matched_by_slug_then_exact_name_then_website(directory):
    report = _run(
        directory.event,
        "organisation,website,slug\n"
        ",,busan-marine\n"  # slug
        "pole eau,,\n"  # name: accents, case and spaces aside
        ",osong-bio.kr,\n",  # website host, without www
        dry_run=True,
    )
    assert report.ok, report.errors
    assert [c.slug for c in report.created] == ["busan-marine", "pole-eau", "biocluster-osong"]
    assert report.matched_by == {"pole-eau": "name", "biocluster-osong": "website"}


def test_the_slug_wins_over_a_name_naming_another_organisation(directory):
    report = _run(directory.event, "organisation,slug\nPôle Eau,busan-marine\n", dry_run=True)
    assert [c.slug for c in report.created] == ["busan-marine"]


def test_an_organisation_cell_may_hold_a_slug_or_a_website(directory):
    report = _run(directory.event, "organisation\nbusan-marine\nhttps://pole-eau.fr/\n")
    assert report.ok, report.errors
    assert set(
        Participant.objects.filter(actor__slug__in=["busan-marine", "pole-eau"]).values_list(
            "actor__slug", flat=True
        )
    ) == {"busan-marine", "pole-eau"}


def test_an_ambiguous_row_lists_the_candidates_and_nothing_is_written(directory):
    before = Participant.objects.count()
    report = _run(
        directory.event,
        "organisation,website,first_name,last_name\n"
        "Busan Marine Cluster,,Ji-won,Kim\n"
        "biocluster,,Anne,Roy\n"
        ",network.eu,Ola,Berg\n",
    )
    assert Participant.objects.count() == before and not report.written
    assert report.errors == [
        "row 3, column organisation: 'biocluster' matches 2 organisations by name: Biocluster "
        "(slug biocluster-lyon, biocluster.fr); BIOCLUSTER (slug biocluster-osong, osong-bio.kr). "
        "Write the slug of the one you mean in a slug column.",
        "row 4, column website: 'network.eu' matches 2 organisations by website: Network A "
        "(slug net-a, network.eu); Network B (slug net-b, network.eu). Write the slug of the one "
        "you mean in a slug column.",
    ]


def test_fixing_the_ambiguous_row_with_a_slug_imports_the_file(directory):
    report = _run(
        directory.event,
        "organisation,slug,first_name,last_name\nbiocluster,biocluster-osong,Anne,Roy\n",
    )
    assert report.ok and report.written
    assert Attendee.objects.get(first_name="Anne").participant.actor == directory.bio_kr


def test_rows_matching_nothing_or_an_unpublished_profile_are_named(directory):
    report = _run(
        directory.event,
        "organisation,website\nNowhere Cluster,\n,nowhere.example\nDraft Cluster,\n , \n",
    )
    assert report.errors == [
        "row 2, column organisation: no organisation in the directory has the slug, name or "
        "website 'Nowhere Cluster'.",
        "row 3, column website: no organisation in the directory has the slug, name or website "
        "'nowhere.example'.",
        "row 4, column organisation: 'Draft Cluster' is Draft Cluster, which is not a published "
        "profile.",
    ]


def test_an_attendee_row_without_its_organisation_is_reported(directory):
    report = _run(directory.event, "organisation,first_name,last_name\n,Ji-won,Kim\n")
    assert report.errors == [
        "row 2, column organisation: empty; every row needs the organisation: its name, website "
        "or directory slug."
    ]


def test_rows_for_an_organisation_taking_part_add_its_new_attendees_only(directory):
    Attendee.objects.create(
        participant=directory.lyon, first_name="Claire", last_name="Martin",
        email="claire@lyon.example",
    )  # fmt: skip
    report = _run(
        directory.event,
        "organisation,first_name,last_name,email,status\n"
        "Lyon Life Sciences,Claire,Martin,,declined\n"  # same names: there already
        "lyon-life,C.,M.,CLAIRE@lyon.example,\n"  # same e-mail: there already
        "Lyon Life Sciences,Paul,Girard,paul@lyon.example,\n"  # new
        "Lyon Life Sciences,paul,GIRARD,,\n"  # the same person twice in the file
        "Turin Health Cluster,,,,\n",  # nothing new
    )
    assert report.ok, report.errors
    assert [c.name for c in report.updated] == ["Lyon Life Sciences"]
    assert [c.name for c in report.unchanged] == ["Turin Health Cluster"]
    assert (report.attendees, report.attendees_skipped) == (1, 3)
    assert sorted(directory.lyon.attendees.values_list("last_name", flat=True)) == [
        "Girard",
        "Martin",
    ]
    directory.lyon.refresh_from_db()
    assert directory.lyon.status == ParticipantStatus.ACCEPTED  # status is for newcomers


def test_re_sending_the_same_file_adds_nobody_twice(directory):
    text = "organisation,first_name,last_name\nBusan Marine Cluster,Ji-won,Kim\n"
    assert _run(directory.event, text).ok
    again = _run(directory.event, text)
    assert again.ok and [c.slug for c in again.unchanged] == ["busan-marine"]
    assert Attendee.objects.filter(participant__actor__slug="busan-marine").count() == 1


def test_spreadsheet_habits_are_read(directory):
    # A BOM, semicolons, spaces around cells and column names, capitals in the header.
    data = "\ufeff Organisation ; First_Name ;last_name\n  Busan Marine Cluster ;  Ji-won ; Kim \n"
    report = participants_import(event=directory.event, data=data.encode("utf-8"), filename="p.csv")
    assert report.ok, report.errors
    assert Attendee.objects.get(last_name="Kim").first_name == "Ji-won"


def test_cells_pasted_from_a_spreadsheet_arrive_as_tabs(directory):
    data, filename = pasted_file("organisation\tfirst_name\tlast_name\nPôle Eau\tAnne\tRoy, Jr\n")
    report = participants_import(event=directory.event, data=data, filename=filename)
    assert report.ok, report.errors
    assert Attendee.objects.get(first_name="Anne").last_name == "Roy, Jr"


def test_blank_lines_above_the_header_are_skipped_and_rows_keep_their_numbers(directory):
    # Semicolons are recognised on the header although blank lines come first.
    text = "\n;;\nOrganisation;first_name;last_name\nBusan Marine Cluster;Ji-won;Kim\nNobody;A;B\n"
    report = _run(directory.event, text)
    assert [(p.row, p.column) for p in report.problems] == [(5, "organisation")]
    pasted, filename = pasted_file(
        "\n\t\norganisation\tfirst_name\tlast_name\nPôle Eau\tAnne\tRoy\n"
    )
    report = participants_import(event=directory.event, data=pasted, filename=filename)
    assert report.ok, report.errors
    assert Attendee.objects.get(first_name="Anne").participant.actor == directory.pole


def test_a_status_written_once_holds_for_the_organisations_other_rows(directory):
    report = _run(
        directory.event,
        "organisation,status,first_name,last_name\n"
        "Busan Marine Cluster,,Ann,One\n"
        "busan-marine,pending,Bob,Two\n"
        "Busan Marine Cluster,Pending,Cho,Three\n"
        "Pôle Eau,declined,Dan,Four\n"
        "pole-eau,,Eve,Five\n",
    )
    assert report.ok, report.errors
    statuses = dict(
        Participant.objects.filter(
            event=directory.event, actor__slug__in=["busan-marine", "pole-eau"]
        ).values_list("actor__slug", "status")
    )
    assert statuses == {"busan-marine": "pending", "pole-eau": "declined"}


def test_two_statuses_for_one_organisation_name_both_rows_and_write_nothing(directory):
    report = _run(
        directory.event,
        "organisation,status,first_name,last_name\n"
        "Busan Marine Cluster,pending,Ann,One\n"
        "Pôle Eau,,Dan,Four\n"
        "busan-marine,accepted,Bob,Two\n",
    )
    assert [(p.row, p.column) for p in report.problems] == [(4, "status")]
    assert "row 2" in report.problems[0].message and "pending" in report.problems[0].message
    assert not Participant.objects.filter(event=directory.event, actor=directory.busan).exists()


def test_formulas_in_cells_are_text_and_leave_as_text(client, directory):
    report = _run(
        directory.event,
        "organisation,first_name,last_name,job_title,email\n"
        'Busan Marine Cluster,Ji-won,Kim,"=HYPERLINK(""http://evil.example"",""x"")",'
        "ji@example.org\n"
        # As our own exports protect a formula: the apostrophe comes off again.
        "Busan Marine Cluster,Min,Park,'=SUM(A1),min@example.org\n",
    )
    assert report.ok, report.errors
    titles = dict(Attendee.objects.values_list("last_name", "job_title"))
    assert titles == {"Kim": '=HYPERLINK("http://evil.example","x")', "Park": "=SUM(A1)"}
    client.force_login(directory.organiser)
    response = client.get(reverse("event_export", args=[directory.event.slug, "b2match", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://evil.example","x")' in [cell for row in rows for cell in row]


def test_a_repeated_column_or_cells_under_no_column_are_reported(directory):
    report = _run(directory.event, "organisation,email,email\nBusan Marine Cluster,a@b.org,\n")
    assert report.errors == ["row 1: column email appears more than once."]
    report = _run(
        directory.event,
        "organisation,first_name,last_name\nBusan Marine Cluster,Ji-won,Kim,Seoul\n",
    )
    assert report.errors == [
        "row 2: 1 cell under no column name (first: 'Seoul'); a separator inside a cell needs "
        "quotes."
    ]


# -- the pages -------------------------------------------------------------------------------


def _post(client, event, **fields):
    return client.post(reverse("event_participants_import", args=[event.slug]), fields)


def test_pasted_rows_are_checked_then_imported_from_the_page(client, directory):
    client.force_login(directory.organiser)
    pasted = "organisation,first_name,last_name\nbiocluster,Anne,Roy\n"
    response = _post(client, directory.event, text=pasted, dry_run="on")
    assert response.status_code == 400
    page = response.text
    assert "Nothing was imported." in page
    assert "matches 2 organisations by name: Biocluster (slug biocluster-lyon" in page
    # The pasted rows come back, to fix.
    assert "biocluster,Anne,Roy" in page
    fixed = "organisation,slug,first_name,last_name\nbiocluster,biocluster-osong,Anne,Roy\n"
    response = _post(client, directory.event, text=fixed, dry_run="on")
    assert response.status_code == 200 and "Dry run: nothing written." in response.text
    assert "Import these rows" in response.text
    assert not Participant.objects.filter(actor=directory.bio_kr).exists()
    response = _post(client, directory.event, text=fixed)
    assert response.status_code == 200 and "Imported." in response.text
    assert Participant.objects.get(actor=directory.bio_kr).attendees.get().last_name == "Roy"


def test_the_page_says_which_rows_were_found_by_name_or_website(client, directory):
    client.force_login(directory.organiser)
    response = _post(client, directory.event, text="organisation\npole eau\nosong-bio.kr\n")
    assert "Found by name or website rather than slug: Pôle  Eau (by name); BIOCLUSTER (by " in (
        response.text
    )


def test_the_form_needs_a_file_or_pasted_rows_not_both(client, directory):
    client.force_login(directory.organiser)
    response = _post(client, directory.event, text="  ")
    assert response.status_code == 400
    assert "Choose a file or paste the rows to import." in response.text
    upload = SimpleUploadedFile("p.csv", b"organisation\nPole Eau\n")
    response = _post(client, directory.event, file=upload, text="organisation\nPole Eau\n")
    assert "Send a file or pasted rows, not both." in response.text
    assert not Participant.objects.filter(actor=directory.pole).exists()


def test_a_huge_file_is_refused_without_being_read_whole(client, directory):
    client.force_login(directory.organiser)
    big = b"organisation\n" + b"x" * (MAX_BYTES + 10)
    response = _post(client, directory.event, file=SimpleUploadedFile("p.csv", big))
    assert response.status_code == 400
    assert "The file is larger than 10 MB." in response.text


def test_pasted_rows_longer_than_the_box_takes_are_refused_with_the_reason(client, directory):
    from events.forms import PASTE_MAX

    client.force_login(directory.organiser)
    text = "organisation\n" + "Pole Eau\n" * (PASTE_MAX // 9 + 1)
    response = _post(client, directory.event, text=text)
    assert response.status_code == 400
    assert f"at most {PASTE_MAX:,}".replace(",", "") in response.text.replace(",", "")
    assert not Participant.objects.filter(actor=directory.pole).exists()


def test_another_manager_cannot_import_or_download_the_template(client, directory):
    client.force_login(directory.manager)
    response = _post(client, directory.event, text="organisation\nPole Eau\n")
    assert response.status_code == 404
    assert not Participant.objects.filter(actor=directory.pole).exists()
    url = reverse("event_participants_template", args=[directory.event.slug, "csv"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_has_the_columns_and_one_example_row(client, directory, fmt):
    client.force_login(directory.organiser)
    page = client.get(reverse("event_participants", args=[directory.event.slug])).text
    url = reverse("event_participants_template", args=[directory.event.slug, fmt])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(PARTICIPANT_COLUMNS)
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["absent"] == "Morning"  # the event's own session
    assert example["email"] == "ji-won.kim@example.org"
    # Sent back unchanged, the example row is caught, not imported.
    report = participants_import(
        event=directory.event, data=response.content, filename=f"template.{fmt}"
    )
    assert report.errors == [
        "row 2, column organisation: no organisation in the directory has the slug, name or "
        "website 'Example Cluster'."
    ]
    assert (
        client.get(
            reverse("event_participants_template", args=[directory.event.slug, "pdf"])
        ).status_code
        == 404
    )
