"""CSV import: a dry run with per-row errors, then all rows or none, applied by the worker."""

from __future__ import annotations

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from touchpoint.orgs.models import ImportBatch, Partner, User

PARTNERS_CSV = """partner_number,name,type,tier,region,country,city,parent_partner_number
D-9,North Star Distribution,distributor,Platinum,North America East,US,Albany,
P-91,Maple Leaf Mowers,dealer,Gold,North America East,CA,Ottawa,D-9
P-91-K,Maple Leaf Mowers – Kingston,location,,,CA,Kingston,P-91
P-92,Pine Hollow Outdoor,Dealer,silver,,United States,Burlington,
"""

PEOPLE_CSV = """email,name,partner_number,access,job_role,title,language
sam@mapleleaf.example,Sam Leclerc,P-91,admin,management,Owner,en
ana@mapleleaf.example,Ana Roy,P-91-K,member,service,Tech,es
"""


def upload(client, content, kind="partners", name="partners.csv", invite=True):  # type: ignore[no-untyped-def]
    data = content if isinstance(content, bytes) else content.encode()
    form = {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if invite:
        form["send_invitations"] = "on"
    return client.post("/import/", form)


def test_pat_previews_then_imports_partners_with_their_hierarchy(personas, on_commit, run_worker):
    p = personas
    pat = p.client(p.pat)
    response = upload(pat, PARTNERS_CSV)
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/import/{batch.pk}/"
    preview = pat.get(f"/import/{batch.pk}/").content.decode()
    assert "4 rows checked" in preview and "4 to create" in preview
    assert not Partner.objects.filter(external_id="P-91").exists()  # a dry run saves nothing
    with on_commit():
        pat.post(f"/import/{batch.pk}/")
    assert "Importing 4 rows" in pat.get(f"/import/{batch.pk}/").content.decode()
    run_worker()
    batch.refresh_from_db()
    assert batch.status == "done" and batch.summary == {"created": 4, "updated": 0}
    kingston = Partner.objects.get(external_id="P-91-K")
    assert kingston.parent.parent.external_id == "D-9" and kingston.depth == 2
    assert kingston.effective_tier == p.tiers["Gold"]
    pine = Partner.objects.get(external_id="P-92")
    assert (pine.kind, pine.tier, pine.country.code) == ("dealer", p.tiers["Silver"], "US")


def test_reimporting_updates_partners_by_number(personas, on_commit, run_worker):
    p = personas
    pat = p.client(p.pat)
    for csv in (
        PARTNERS_CSV,
        PARTNERS_CSV.replace("Maple Leaf Mowers,dealer,Gold", "Maple Leaf Power,dealer,Platinum"),
    ):
        upload(pat, csv)
        with on_commit():
            pat.post(f"/import/{ImportBatch.objects.latest('pk').pk}/")
        run_worker()
    assert ImportBatch.objects.latest("pk").summary == {"created": 0, "updated": 4}
    assert Partner.objects.get(external_id="P-91").tier == p.tiers["Platinum"]


def test_people_are_imported_and_invited(personas, on_commit, run_worker):
    p = personas
    pat = p.client(p.pat)
    upload(pat, PARTNERS_CSV)
    with on_commit():
        pat.post(f"/import/{ImportBatch.objects.get().pk}/")
    run_worker()
    upload(pat, PEOPLE_CSV, kind="people", name="people.csv")
    with on_commit():
        pat.post(f"/import/{ImportBatch.objects.latest('pk').pk}/")
    run_worker()
    ana = User.objects.get(email="ana@mapleleaf.example")
    assert (ana.partner.external_id, ana.job_role.code, ana.language, ana.status) == (
        "P-91-K",
        "service",
        "es",
        "invited",
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@mapleleaf.example",
        "sam@mapleleaf.example",
    ]


def test_every_bad_row_is_reported_and_nothing_is_saved(personas):
    p = personas
    bad = """partner_number,name,type,tier,region,country,city,parent_partner_number
P-1,Good Dealer,dealer,Gold,,US,,
P-1,Twice,dealer,,,US,,
P-2,<script>x</script>,dealer,,,US,,
P-3,No Parent,location,,,US,,
P-4,Orphan,dealer,,,US,,P-404
P-5,Bad Tier,dealer,Gld,,US,,
P-6,Bad Country,dealer,,,Atlantis,,
P-7,Bad Type,wholesaler,,,US,,
"""
    pat = p.client(p.pat)
    upload(pat, bad)
    batch = ImportBatch.objects.get()
    assert batch.error_count == 7
    page = pat.get(f"/import/{batch.pk}/").content.decode()
    for message in (
        "Partner number P-1 is also on row 2",
        "name cannot contain &lt; or &gt;",
        "A location needs a parent_partner_number",
        "Unknown parent partner number “P-404”",
        "Unknown tier “Gld”; known tiers: Registered, Silver, Gold, Platinum",
        "Unknown country “Atlantis”",
        "Unknown type “wholesaler”",
    ):
        assert message in page, message
    assert "Upload a corrected file" in page
    refused = pat.post(f"/import/{batch.pk}/", follow=True)
    assert "Fix the rows with errors" in refused.content.decode()
    assert not Partner.objects.filter(external_id__in=["P-1", "P-5"]).exists()


def test_people_rows_with_duplicate_or_taken_emails_are_reported(personas):
    p = personas
    csv = f"""email,name,partner_number,access,job_role
new@x.example,New,{p.dealer_a.external_id},member,sales
new@x.example,Again,{p.dealer_a.external_id},member,sales
{p.carol.email},Carol,{p.dealer_a.external_id},member,
bad-email,Someone,{p.dealer_a.external_id},owner,juggler
"""
    pat = p.client(p.pat)
    upload(pat, csv, kind="people")
    page = pat.get(f"/import/{ImportBatch.objects.get().pk}/").content.decode()
    assert "new@x.example is also on row 2" in page
    assert "carol@birchwood.example already belongs to another company" in page
    assert "is not a valid email address" in page
    assert "Unknown access “owner”" in page and "Unknown job role “juggler”" in page
    assert not User.objects.filter(email="new@x.example").exists()


def test_unreadable_files_get_a_clear_message(personas, settings):
    p = personas
    pat = p.client(p.pat)
    cases = [
        (b"partner_number;name\nP-1;X\n", "Missing columns: type, country"),
        (b"partner_number,name,type,country,colour\n", "Unknown columns: colour"),
        (
            "partner_number,name,type,country\nP-1,Gr\xfcnwald,dealer,DE\n".encode("latin-1"),
            "not UTF-8 text",
        ),
        (b"PK\x03\x04 this is really a workbook", "spreadsheet workbook, not a CSV file"),
        (b"", "The file is empty"),
        (b"partner_number,name,type,country\n", "a header but no rows"),
    ]
    for content, message in cases:
        response = upload(pat, content)
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
    settings.MAX_CSV_IMPORT_BYTES = 100
    too_big = upload(pat, PARTNERS_CSV)
    assert "the limit is 100" in too_big.content.decode()
    assert not ImportBatch.objects.exists()


def test_semicolon_files_from_european_spreadsheets_work(personas):
    p = personas
    pat = p.client(p.pat)
    upload(pat, PARTNERS_CSV.replace(",", ";"))
    assert ImportBatch.objects.get().error_count == 0


def test_a_change_between_preview_and_apply_fails_the_whole_import(personas, on_commit, run_worker):
    p = personas
    pat = p.client(p.pat)
    upload(
        pat,
        PEOPLE_CSV.replace("P-91-K", p.dealer_a.external_id).replace(
            "P-91", p.dealer_a.external_id
        ),
        kind="people",
    )
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0
    # Meanwhile Carol's company hires Ana first.
    User.objects.create_user("ana@mapleleaf.example", partner=p.dealer_b, partner_role="member")
    with on_commit():
        pat.post(f"/import/{batch.pk}/")
    run_worker()
    batch.refresh_from_db()
    assert batch.status == "failed" and "no longer pass" in batch.summary["failure"]
    assert not User.objects.filter(email="sam@mapleleaf.example").exists()


def test_only_portal_admins_import(personas):
    p = personas
    assert upload(p.client(p.dana), PARTNERS_CSV).status_code == 403
    assert upload(p.client(p.alice), PARTNERS_CSV).status_code == 403
