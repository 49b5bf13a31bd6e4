"""The Ridgeline library story (../shared/DEMO.md): five portal sections with their owning
departments and accountable owners, Ridgeline's products, and 45 items (spec sheets and
price lists as real PDFs, images, links to partners' other systems, and knowledge articles
such as the X200 extended-warranty guide for the point of sale). Some are due for review,
stale, expiring, expired, never opened, scheduled or still drafts, so content health and
launch readiness have something to show. Bob has favourites.

Made through the library's actions, as the people would: Pat sets up the sections and the
products, each item's owner (Mia, Sam or Pat) files, publishes and revises it, the course
authors list their courses in a section, partner people open the items (each open counted
and recorded), the housekeeping job archives what has expired. Only the dates of the story
are moved back afterwards (story.backdate). Safe to run again: an item, section or product
that exists is left as it is."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from touchpoint.courses import actions as course_actions
from touchpoint.courses.models import Course
from touchpoint.kernel import audit
from touchpoint.kernel.html import sanitise
from touchpoint.library import actions
from touchpoint.library.models import Asset, AssetKind, AssetState, AssetVersion, Product, Section
from touchpoint.orgs.models import Audience, Department, User
from touchpoint.portal.demo.orgs import Demo
from touchpoint.portal.demo.story import backdate

# slug, name, department, owner (demo staff key), description
SECTIONS = [
    ("sales", "Sales", "Sales", "mia", "Selling Ridgeline equipment, plans and financing."),
    ("service", "Service", "Service", "sam", "Maintenance, troubleshooting and service bulletins."),
    ("parts", "Parts", "Parts", "admin", "Finding, ordering and claiming genuine parts."),
    (
        "marketing",
        "Marketing",
        "Marketing",
        "mia",
        "Brand assets, campaigns and co-op advertising.",
    ),
    ("finance", "Finance", "Finance", "admin", "Payment terms, floor plan and customer financing."),
]

PRODUCTS = [
    ("X200 zero-turn mower", "model-x200"),
    ("R21 push mower", "model-r21"),
    ("T40 string trimmer", "model-t40"),
    ("G3500 portable generator", "model-g3500"),
    ("G7000 standby generator", "model-g7000"),
]

WARRANTY_GUIDE = """
<h2>When to offer it</h2>
<p>Offer the <strong>X200 Extended Protection Plan</strong> when the customer has chosen the model,
<em>before</em> the price is final. Customers who hear about it after agreeing the price treat it as an
add-on to negotiate away.</p>
<h2>What it covers</h2>
<ul>
<li>Five years of parts <strong>and labour</strong> on the engine, transmission and cutting deck.</li>
<li>Transferable to a new owner: say so, it helps resale.</li>
<li>Not covered: wear items (blades, belts, tyres, filters) and damage from misuse.</li>
</ul>
<h2>In the POS, step by step</h2>
<ol>
<li>Add the X200 to the sale.</li>
<li>Open <strong>Extended warranty</strong> and choose the plan length (3 or 5 years).</li>
<li>Enter the serial number from the frame plate; the plan cannot be registered without it.</li>
<li>Print the plan summary with the receipt and hand it over.</li>
</ol>
<h2>Answers to the usual questions</h2>
<table>
<thead><tr><th scope="col">The customer says</th><th scope="col">You answer</th></tr></thead>
<tbody>
<tr><td>"The standard warranty is enough."</td><td>It covers two years; the plan covers years three to five, when transmissions are most often repaired.</td></tr>
<tr><td>"What does a repair cost?"</td><td>A transmission repair outside warranty typically costs more than the 5-year plan.</td></tr>
<tr><td>"Can I buy it later?"</td><td>Within 30 days of delivery, yes; after that it needs an inspection.</td></tr>
</tbody>
</table>
<p>Only a certified Extended Warranty Sales Specialist may register plans (program terms 2026.1).</p>
"""

GENERATOR_NO_START = """
<p>Work through these checks in order; most generators that will not start fail at step 1 or 2.</p>
<ol>
<li><strong>Fuel</strong>: fresh fuel (under 30 days, or stabilised), fuel valve open, choke closed for a cold start.</li>
<li><strong>Oil</strong>: the low-oil sensor stops the engine from starting. Stand the unit level and check the dipstick.</li>
<li><strong>Spark</strong>: remove the plug, check the gap (0.7 to 0.8 mm) and test for spark with a tester, never by hand.</li>
<li><strong>Air</strong>: a soaked or blocked air filter floods the engine. Clean foam filters, replace paper ones.</li>
<li><strong>Carburettor</strong>: if fuel sat for months, drain the bowl; varnish in the jets needs a carburettor clean.</li>
</ol>
<h3>Starts, then stops after a few seconds</h3>
<p>Almost always the low-oil sensor or a fuel cap vent that is blocked. Loosen the cap: if it now runs, replace the cap.</p>
<h3>No power at the outlets</h3>
<p>Reset the breakers first; on the G3500 also check the eco-throttle switch. If still nothing, test the AVR and brushes.</p>
"""

DECK_VIBRATION = """
<p>Vibration from the X200 deck is nearly always a blade or spindle problem. Stop the engine and remove the key first.</p>
<ol>
<li>Check every blade for bends and balance; replace a bent blade, never straighten it.</li>
<li>Spin each spindle by hand with the belt off: roughness or play means a worn bearing.</li>
<li>Inspect the deck belt for flat spots and the idler pulley for wobble.</li>
<li>Check that the anti-scalp rollers are not seized.</li>
</ol>
<p>Torque blade bolts to 95 Nm. Log the repair with the serial number for warranty.</p>
"""

PDI_CHECKLIST = """
<p>Every machine gets this pre-delivery inspection (PDI) before the customer collects it. Sign the PDI sheet and keep it with the sale.</p>
<ul>
<li>Fluids: engine oil, hydraulic fluid (X200), fuel stabiliser added.</li>
<li>Tyre pressures to the decal on the frame.</li>
<li>Safety: seat switch, blade brake and parking brake tested.</li>
<li>Deck levelled and cutting height set to the customer's choice.</li>
<li>Walk the customer through start-up, safe slopes and the 50-hour service.</li>
</ul>
"""

WARRANTY_CLAIM = """
<p>A warranty parts claim is paid first time when it has:</p>
<ul>
<li>The serial number from the frame plate and the date of sale.</li>
<li>Photos of the failed part in place and removed.</li>
<li>The labour time from the flat-rate manual.</li>
</ul>
<p>Tag the failed part with the claim number and keep it for 60 days: Ridgeline may ask for it back.
Do not include the customer's personal details beyond their postcode.</p>
"""

SERIAL_PLATE = """
<p>The serial number plate is on the frame, below the seat on the left (X200), on the handle bracket (R21, T40)
and beside the control panel (generators). The format is <code>MMYY-MODEL-NNNNNN</code>: month and year of
manufacture, the model code and a six-digit number.</p>
<p>Always type it from the plate, never from the box: boxes are sometimes swapped in the warehouse.</p>
"""

WINTER_STORAGE = """
<p>Tell customers how to store equipment over winter; most spring service calls are stale fuel.</p>
<ol>
<li>Add fuel stabiliser and run the engine for five minutes, or run the tank dry.</li>
<li>Change the oil while the engine is warm.</li>
<li>Remove the battery (X200, G7000), charge it and store it indoors.</li>
<li>Clean the deck and coat bare metal with light oil.</li>
</ol>
"""

COOP_RULES = """
<p>Ridgeline pays 50% of approved co-op advertising, up to 3% of the previous year's purchases.</p>
<ul>
<li>Use the current logo files from the brand kit, unaltered.</li>
<li>Show the model names exactly: "X200", not "X-200".</li>
<li>Submit proof of performance (a copy of the ad and the invoice) within 60 days.</li>
</ul>
"""

PAYMENT_TERMS = """
<p>Standard terms are 30 days net. Early-order program purchases placed before 31 October are due on 30 April.</p>
<p>Floor plan financing is offered through Ridgeline Finance for stocking units; interest-free periods depend on the model.
Ask your channel manager about the current floor plan rates.</p>
"""

GENERATOR_SIZING = """
<p>Help the customer add up the running watts of what they need at once, then add the largest starting surge.</p>
<table>
<thead><tr><th scope="col">Appliance</th><th scope="col">Running W</th><th scope="col">Starting W</th></tr></thead>
<tbody>
<tr><td>Refrigerator</td><td>700</td><td>2200</td></tr>
<tr><td>Sump pump</td><td>800</td><td>1300</td></tr>
<tr><td>Furnace fan</td><td>600</td><td>1000</td></tr>
<tr><td>Lights and phone chargers</td><td>300</td><td>0</td></tr>
</tbody>
</table>
<p>For this list the G3500 is too small (2400 W running plus 1500 W surge); suggest the G7000.</p>
"""

OBJECTIONS = """
<p>Keep the conversation going: ask a question back rather than defending the price.</p>
<ul>
<li>"It costs more than the other brand": compare cost per year of use, and the 5-year plan.</li>
<li>"I'll think about it": ask what they need to know to decide today.</li>
<li>"I can buy it online": online sellers do not do the PDI, the 50-hour service or warranty repairs.</li>
</ul>
"""

PARTS_LOOKUP = """
<p>Find the right part in three steps: the model and serial number from the plate, the exploded view in the
parts catalogue, and the superseded-part check (the catalogue shows the current number in bold).</p>
<p>Order before 2 p.m. for next-day dispatch. Use "Emergency - machine down" only for customers without a working machine.</p>
"""

# section, kind, title, summary, tags, products, content, extra
#   extra: owner, audience (name), days (since published/updated), review (days from today; negative = past),
#   expires (days from now), opened (how often partner people opened it; each one is recorded),
#   last_opened (days ago), state, versions [(days ago, note)]
ITEMS: list[tuple[str, str, str, str, str, list[str], Any, dict[str, Any]]] = [
    # --- Sales -------------------------------------------------------------------------------
    (
        "sales",
        "article",
        "X200 extended warranty: the point-of-sale guide",
        "When and how to offer the X200 Extended Protection Plan in the POS, with answers to the usual questions.",
        "warranty, X200, checkout, POS",
        ["model-x200"],
        WARRANTY_GUIDE,
        {
            "days": 4,
            "review": 170,
            "opened": 19,
            "last_opened": 1,
            "versions": [
                (60, "First edition"),
                (4, "Plan can now be bought within 30 days of delivery"),
            ],
        },
    ),
    (
        "sales",
        "file",
        "X200 spec sheet",
        "One page: deck, speed, engine and service intervals.",
        "X200, spec sheet",
        ["model-x200"],
        (
            "pdf",
            [
                "Deck: 54 in fabricated steel",
                "Engine: 24 hp V-twin",
                "Top speed: 8 mph",
                "Fuel tank: 3.5 gal",
                "Service: every 50 hours",
            ],
        ),
        {"days": 12, "review": 150, "opened": 31, "last_opened": 2},
    ),
    (
        "sales",
        "file",
        "2026 dealer price list",
        "Dealer net and suggested retail prices from 1 March 2026.",
        "prices, price list",
        ["model-x200", "model-r21", "model-t40", "model-g3500", "model-g7000"],
        (
            "pdf",
            [
                "X200 zero-turn mower: see tier pricing",
                "R21 push mower",
                "T40 string trimmer",
                "G3500 portable generator",
                "G7000 standby generator",
                "Prices valid 1 March to 31 December 2026",
            ],
        ),
        {
            "days": 20,
            "review": 60,
            "expires": 240,
            "opened": 48,
            "last_opened": 1,
            "versions": [(300, "2025 prices"), (20, "New prices from 1 March 2026")],
        },
    ),
    (
        "sales",
        "article",
        "Handling objections on price",
        "Short answers that keep the conversation going.",
        "objections, selling",
        [],
        OBJECTIONS,
        {"days": 200, "review": -20, "opened": 6, "last_opened": 40},
    ),
    (
        "sales",
        "article",
        "Generator sizing for home backup",
        "Add up running and starting watts and pick the right generator.",
        "generators, sizing",
        ["model-g3500", "model-g7000"],
        GENERATOR_SIZING,
        {"days": 25, "review": 160, "opened": 5, "last_opened": 3},
    ),
    (
        "sales",
        "file",
        "X200 showroom demo card",
        "A printable card with the five-minute demo route.",
        "X200, demo",
        ["model-x200"],
        ("png", "X200 five-minute demo"),
        {
            "days": 8,
            "review": 175,
            "opened": 7,
            "last_opened": 2,
            "audience": "X200 launch pilots",
        },
    ),
    (
        "sales",
        "link",
        "Ridgeline ordering system",
        "Place and track stock orders.",
        "ordering",
        [],
        "https://order.ridgeline.example/",
        {"days": 300, "review": 90, "opened": 50, "last_opened": 0},
    ),
    (
        "sales",
        "file",
        "Competitive comparison: X200 vs. the market",
        "How the X200 compares on deck, speed and warranty.",
        "X200, competition",
        ["model-x200"],
        (
            "pdf",
            [
                "Deck width and construction",
                "Warranty: 2 years standard, 5 with the plan",
                "Dealer service network",
            ],
        ),
        {"days": 410, "review": -130, "opened": 2, "last_opened": 150},
    ),
    (
        "sales",
        "file",
        "Spring promotion 2025 flyer",
        "Last year's spring promotion.",
        "promotion",
        ["model-r21"],
        ("png", "Spring promotion 2025"),
        {"days": 330, "review": -200, "expires": -30, "opened": 17, "last_opened": 200},
    ),
    (
        "sales",
        "article",
        "R21 push mower: who it is for",
        "Quick positioning of the R21 against the X200.",
        "R21, positioning",
        ["model-r21"],
        "<p>The R21 suits lawns under a quarter acre. Anyone with more than an acre should see the X200 demo.</p>",
        {"days": 220, "review": 100},
    ),
    # --- Service -------------------------------------------------------------------------------
    (
        "service",
        "article",
        "Generator will not start: troubleshooting",
        "The five checks, in order, that fix most no-start generators.",
        "troubleshooting, generators",
        ["model-g3500", "model-g7000"],
        GENERATOR_NO_START,
        {
            "days": 6,
            "review": 170,
            "opened": 24,
            "last_opened": 1,
            "versions": [(90, "First edition"), (6, "Added the fuel cap vent check")],
        },
    ),
    (
        "service",
        "article",
        "X200 deck vibration: troubleshooting",
        "Find the cause of vibration from the cutting deck.",
        "troubleshooting, X200, deck",
        ["model-x200"],
        DECK_VIBRATION,
        {
            "days": 45,
            "review": 130,
            "opened": 11,
            "last_opened": 5,
            "audience": "Service techs at Gold and Platinum dealers",
        },
    ),
    (
        "service",
        "article",
        "Pre-delivery inspection checklist",
        "What to check before every machine goes to a customer.",
        "PDI, checklist",
        ["model-x200", "model-r21"],
        PDI_CHECKLIST,
        {"days": 150, "review": -10, "opened": 15, "last_opened": 9},
    ),
    (
        "service",
        "file",
        "X200 service manual",
        "The full workshop manual for the X200.",
        "X200, manual",
        ["model-x200"],
        (
            "pdf",
            [
                "Chapter 1: Safety",
                "Chapter 2: Engine",
                "Chapter 3: Hydrostatic drive",
                "Chapter 4: Deck",
                "Chapter 5: Electrical",
            ],
        ),
        {"days": 35, "review": 300, "opened": 40, "last_opened": 1},
    ),
    (
        "service",
        "file",
        "X200 50-hour service schedule",
        "The printable service schedule for the workshop wall.",
        "X200, maintenance",
        ["model-x200"],
        (
            "pdf",
            [
                "Every 50 hours: oil and filter",
                "Every 50 hours: air filter check",
                "Every 100 hours: blades sharpened",
                "Every 200 hours: hydraulic fluid",
            ],
        ),
        {"days": 100, "review": 80, "opened": 10, "last_opened": 12},
    ),
    (
        "service",
        "file",
        "G7000 wiring diagram",
        "Transfer switch and control board wiring.",
        "generators, wiring",
        ["model-g7000"],
        ("png", "G7000 wiring diagram"),
        {"days": 260, "review": -95, "opened": 2, "last_opened": 190},
    ),
    (
        "service",
        "file",
        "Service bulletin SB-2026-03: X200 idler pulley",
        "Replace idler pulleys on serials 0125 to 0625.",
        "bulletin, X200",
        ["model-x200"],
        (
            "pdf",
            [
                "Affected: X200 serials 0125-X200 to 0625-X200",
                "Action: replace idler pulley 532-4410",
                "Labour: 0.5 h flat rate",
            ],
        ),
        {"days": 15, "review": 45, "expires": 10, "opened": 13, "last_opened": 2},
    ),
    (
        "service",
        "article",
        "Winter storage advice for customers",
        "What to tell customers before winter.",
        "storage, maintenance",
        [],
        WINTER_STORAGE,
        {"days": 380, "review": -40, "opened": 0},
    ),
    (
        "service",
        "article",
        "Reading the serial number plate",
        "Where the plate is and what the number means.",
        "serial number",
        [],
        SERIAL_PLATE,
        {"days": 190, "review": 30, "opened": 0},
    ),
    (
        "service",
        "file",
        "T40 trimmer head replacement",
        "Step-by-step photos for the bump head.",
        "T40, repair",
        ["model-t40"],
        ("png", "T40 trimmer head"),
        {"days": 240, "review": 60, "opened": 0},
    ),
    (
        "service",
        "link",
        "Ridgeline service app",
        "Log repairs, look up flat-rate times.",
        "service app",
        [],
        "https://service.ridgeline.example/",
        {"days": 280, "review": 150, "opened": 25, "last_opened": 0},
    ),
    (
        "service",
        "file",
        "Service bulletin SB-2025-11: G3500 fuel cap",
        "Superseded by the 2026 cap.",
        "bulletin, generators",
        ["model-g3500"],
        ("pdf", ["Replace fuel cap 730-0010 with 730-0012"]),
        {"days": 200, "review": -60, "expires": -5, "opened": 9, "last_opened": 70},
    ),
    (
        "service",
        "article",
        "G7000 transfer switch: first start-up",
        "Commissioning checklist for a new standby installation.",
        "generators, installation",
        ["model-g7000"],
        "<p>Check the utility and generator breakers are off, verify the transfer switch wiring against the diagram, then run the weekly exercise cycle once with the customer watching.</p>",
        {"state": "scheduled", "publish_in": 3, "review": 180},
    ),
    (
        "service",
        "article",
        "X200 hydrostatic drive: bleeding the system",
        "Draft: being checked by the engineering team.",
        "X200, hydraulics",
        ["model-x200"],
        "<p>Raise the rear wheels, open the bypass valves, and cycle the drive levers slowly five times.</p>",
        {"state": "draft", "review": 180},
    ),
    # --- Parts -------------------------------------------------------------------------------
    (
        "parts",
        "article",
        "Finding the right part",
        "Model, serial, exploded view, superseded parts.",
        "parts lookup",
        [],
        PARTS_LOOKUP,
        {"days": 28, "review": 150, "opened": 21, "last_opened": 1},
    ),
    (
        "parts",
        "article",
        "Warranty parts claim checklist",
        "What a claim needs to be paid the first time.",
        "warranty, claims",
        [],
        WARRANTY_CLAIM,
        {"days": 120, "review": -3, "opened": 26, "last_opened": 2},
    ),
    (
        "parts",
        "link",
        "Parts catalogue",
        "Exploded views and current part numbers.",
        "catalogue",
        [],
        "https://parts.ridgeline.example/",
        {"days": 350, "review": 120, "opened": 60, "last_opened": 0},
    ),
    (
        "parts",
        "link",
        "Warranty claims portal",
        "Submit and track warranty claims.",
        "warranty, claims",
        [],
        "https://warranty.ridgeline.example/",
        {"days": 350, "review": 120, "opened": 30, "last_opened": 0},
    ),
    (
        "parts",
        "file",
        "Genuine parts price list 2026",
        "Dealer prices for service parts and accessories.",
        "prices, parts",
        [],
        (
            "pdf",
            ["Blades, belts, filters", "Spark plugs and oil", "Accessories: baggers, mulch kits"],
        ),
        {"days": 22, "review": 70, "expires": 250, "opened": 18, "last_opened": 3},
    ),
    (
        "parts",
        "file",
        "X200 blade and belt chart",
        "Which blade and belt fits which deck.",
        "X200, blades",
        ["model-x200"],
        ("png", "X200 blades and belts"),
        {"days": 210, "review": 40, "opened": 0},
    ),
    (
        "parts",
        "file",
        "Emergency order form",
        "For machine-down orders outside the ordering system.",
        "ordering",
        [],
        ("pdf", ["Dealer number", "Part numbers and quantities", "Machine serial number"]),
        {"days": 500, "review": -180, "opened": 0},
    ),
    (
        "parts",
        "article",
        "Returning surplus parts",
        "Draft of the new returns policy.",
        "returns",
        [],
        "<p>Unused parts in their original packaging may be returned within 90 days for a 90% credit.</p>",
        {"state": "draft", "review": 180},
    ),
    # --- Marketing -------------------------------------------------------------------------------
    (
        "marketing",
        "file",
        "Ridgeline logo pack",
        "Logos for print and web, with usage rules.",
        "brand, logo",
        [],
        ("png", "Ridgeline logo"),
        {"days": 18, "review": 250, "opened": 22, "last_opened": 4},
    ),
    (
        "marketing",
        "file",
        "X200 launch poster",
        "A2 showroom poster for the X200 season.",
        "X200, poster",
        ["model-x200"],
        ("png", "X200 launch poster"),
        {"days": 3, "review": 120, "opened": 4, "last_opened": 1},
    ),
    (
        "marketing",
        "article",
        "Co-op advertising rules",
        "What Ridgeline pays for and how to claim.",
        "co-op, MDF",
        [],
        COOP_RULES,
        {"days": 90, "review": 10, "opened": 8, "last_opened": 20},
    ),
    (
        "marketing",
        "link",
        "Brand asset portal",
        "Photography, videos and ad templates.",
        "brand",
        [],
        "https://brand.ridgeline.example/",
        {"days": 200, "review": 100, "opened": 0},
    ),
    (
        "marketing",
        "file",
        "Social media calendar Q3",
        "Ready-made posts for the summer season.",
        "social, campaign",
        [],
        (
            "pdf",
            ["July: X200 demo days", "August: generator readiness", "September: winter storage"],
        ),
        {"state": "scheduled", "publish_in": 9, "review": 120},
    ),
    (
        "marketing",
        "file",
        "Spring campaign 2025 toolkit",
        "Last spring's ads and banners.",
        "campaign",
        [],
        ("pdf", ["Spring 2025 print ads", "Web banners"]),
        {"days": 340, "review": -150, "expires": -20, "opened": 14, "last_opened": 220},
    ),
    (
        "marketing",
        "file",
        "Generator readiness email template",
        "An email to send customers before storm season.",
        "generators, email",
        ["model-g3500", "model-g7000"],
        ("pdf", ["Subject: Is your generator ready?", "Body: book your service now"]),
        {"days": 230, "review": 20, "opened": 0, "audience": "EMEA partners"},
    ),
    # --- Finance -------------------------------------------------------------------------------
    (
        "finance",
        "article",
        "Payment terms and floor plan",
        "Standard terms, early-order dating and floor plan financing.",
        "payment terms, floor plan",
        [],
        PAYMENT_TERMS,
        {"days": 160, "review": -70, "opened": 6, "last_opened": 60},
    ),
    (
        "finance",
        "link",
        "Customer financing application",
        "Apply for 0% customer financing at the counter.",
        "financing",
        ["model-x200", "model-g7000"],
        "https://finance.ridgeline.example/apply",
        {"days": 30, "review": 150, "opened": 8, "last_opened": 5},
    ),
    (
        "finance",
        "file",
        "Credit application form",
        "For new dealers opening an account.",
        "credit",
        [],
        ("pdf", ["Company details", "Trade references", "Bank details"]),
        {"days": 600, "review": -400, "opened": 0},
    ),
    (
        "finance",
        "file",
        "Rebate claim form 2026",
        "Volume rebates for the 2026 program year.",
        "rebates",
        [],
        ("pdf", ["Program year 2026", "Tiers: Silver 1%, Gold 2%, Platinum 3%"]),
        {"days": 10, "review": 200, "expires": 300, "opened": 3, "last_opened": 2},
    ),
    (
        "finance",
        "article",
        "How MDF claims are paid",
        "Draft: waiting for the new MDF module.",
        "MDF",
        [],
        "<p>Approved MDF claims are paid as a credit note within 30 days.</p>",
        {"state": "draft", "review": 90},
    ),
]

FAVOURITES_FOR_BOB = [
    "X200 extended warranty: the point-of-sale guide",
    "X200 spec sheet",
    "2026 dealer price list",
    "Ridgeline ordering system",
]

SECTION_OF_DEPARTMENT = {"Sales": "sales", "Service": "service", "Parts": "parts"}


def _pdf(title: str, lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_fill_color(31, 95, 139)
    pdf.rect(0, 0, 210, 22, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_xy(10, 7)
    pdf.cell(0, 8, "Ridgeline Power Equipment")
    pdf.set_text_color(17, 24, 39)
    pdf.set_xy(10, 32)
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, f"- {line}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(
        0, 6, "Demo document generated by Touchpoint demo data.", new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())


def _png(title: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 600), (244, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 960, 90), fill=(31, 95, 139))
    draw.text((32, 32), "Ridgeline Power Equipment", fill=(255, 255, 255))
    draw.rectangle((60, 150, 900, 520), outline=(224, 165, 38), width=6)
    draw.ellipse((120, 240, 300, 420), outline=(31, 95, 139), width=8)
    draw.ellipse((660, 240, 840, 420), outline=(31, 95, 139), width=8)
    draw.text((360, 320), title, fill=(17, 24, 39))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _content(kind: str, title: str, content: Any, note: str) -> actions.Content:
    if kind == AssetKind.ARTICLE:
        return actions.Content(body=sanitise(content), note=note)
    if kind == AssetKind.LINK:
        return actions.Content(url=content, note=note)
    fmt, payload = content
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
    if fmt == "pdf":
        data, mime = _pdf(title, payload), "application/pdf"
    else:
        data, mime = _png(payload), "image/png"
    return actions.Content(
        file=ContentFile(data, name=f"{slug}.{fmt}"),
        file_type=mime,
        file_name=f"{slug}.{fmt}",
        note=note,
    )


def _sections(demo: Demo) -> dict[str, Section]:
    """Pat sets up the portal's sections, each with its department and accountable owner."""
    pat = demo.staff["admin"]
    sections: dict[str, Section] = {}
    for position, (slug, name, department, owner_key, description) in enumerate(SECTIONS, start=1):
        sections[slug] = Section.objects.filter(slug=slug).first() or actions.save_section(
            pat,
            Section(
                slug=slug, name=name, description=description, position=position,
                department=Department.objects.get(name=department), owner=demo.staff[owner_key],
            ),
        )  # fmt: skip
    return sections


def _products(demo: Demo) -> dict[str, Product]:
    pat = demo.staff["admin"]
    return {
        code: Product.objects.filter(code=code).first()
        or actions.save_product(pat, Product(code=code, name=name))
        for name, code in PRODUCTS
    }


def _file_courses(demo: Demo, sections: dict[str, Section]) -> None:
    """Each course's owner (Pat for one without) lists it in the section of its department."""
    for department, slug in SECTION_OF_DEPARTMENT.items():
        courses = Course.objects.filter(department__name=department, section__isnull=True)
        for course in courses.select_related("owner"):
            before = audit.snapshot(course, course_actions.COURSE_FIELDS)
            course.section = sections[slug]
            course_actions.update_course(course.owner or demo.staff["admin"], course, before)


def _item(
    demo: Demo,
    sections: dict[str, Section],
    products: dict[str, Product],
    audiences: dict[str, Audience],
    row: tuple[str, str, str, str, str, list[str], Any, dict[str, Any]],
    now: Any,
) -> Asset:
    """The owner files the item as they would on "Add an item": its first version, published,
    scheduled or left a draft; later versions are added as they came. Then the story's dates
    are moved into the past: when it was written, published, last changed, due for review."""
    slug, kind, title, summary, tags, codes, content, extra = row
    today = timezone.localdate(now)
    section = sections[slug]
    owner = demo.staff[extra["owner"]] if "owner" in extra else section.owner
    versions = extra.get("versions") or [(extra.get("days", 0), "First version")]
    state = extra.get("state", "published")
    review_by = today + timedelta(days=extra["review"]) if "review" in extra else None
    expires_at = now + timedelta(days=extra["expires"]) if "expires" in extra else None
    asset = Asset(
        section=section, kind=kind, title=title, summary=summary, department=section.department,
        owner=owner, audience=audiences.get(extra.get("audience", "")),
        # What the author typed then; dates that have passed since are moved back below.
        review_by=review_by if review_by and review_by >= today else None,
        expires_at=expires_at if expires_at and expires_at > now else None,
        publish_at=now + timedelta(days=extra["publish_in"]) if state == "scheduled" else None,
    )  # fmt: skip
    asset = actions.create_asset(
        owner, asset, tags=actions.parse_tags(tags), products=[products[c] for c in codes],
        content=_content(kind, title, content, versions[0][1]),
        publish=state in ("published", "scheduled"), now=now,
    )  # fmt: skip
    for _days, note in versions[1:]:
        actions.add_version(owner, asset, _content(kind, title, content, note), now=now)
    if review_by and asset.review_by is None:
        backdate(asset, review_by=review_by)
    if state != "published":
        return asset
    first = versions[0][0]
    for number, (ago, _note) in enumerate(versions, start=1):
        backdate(
            AssetVersion.objects.filter(asset=asset, number=number),
            created_at=now - timedelta(days=ago),
        )
    backdate(
        asset,
        created_at=now - timedelta(days=first + 2),
        published_at=now - timedelta(days=first),
        content_updated_at=now - timedelta(days=extra.get("days", 0)),
    )
    if expires_at and asset.expires_at is None:
        backdate(asset, expires_at=expires_at)  # archived by the housekeeping below
    return asset


# The partner people the README's sign-ins name. The use the demo records (opens here, asks
# for help in contextual.py) is other people's, so these read as the story tells them: their
# home pages, their activity, Bob trying the deep link himself.
SIGNED_IN_PERSONAS = {"alice", "bob", "carol", "hannah", "javier"}


def _readers(demo: Demo) -> list[User]:
    """The partner people whose opens make up the items' use."""
    return [person for key, person in demo.people.items() if key not in SIGNED_IN_PERSONAS]


def _opens(demo: Demo, made: list[tuple[Asset, dict[str, Any]]], now: Any) -> None:
    """Partner people open the new items as often as the story says, each item only by
    people it is meant for, through the action the item pages use (each open counted and an
    activity event); then the last open is moved to when it happened."""
    if not made:
        return
    readers = _readers(demo)
    reach = {
        person.pk: set(Asset.objects.visible_to(person).values_list("pk", flat=True))
        for person in readers
    }
    turn = 0
    for asset, extra in made:
        opened = extra.get("opened", 0)
        allowed = [person for person in readers if asset.pk in reach[person.pk]]
        if not opened or not allowed or asset.state != AssetState.PUBLISHED:
            continue
        number = len(extra.get("versions") or [()])  # the current version's number
        for n in range(opened):
            reader = allowed[(turn + n) % len(allowed)]
            if asset.kind == AssetKind.LINK:
                actions.record_open(reader, asset, "opened")
            elif asset.kind == AssetKind.FILE and n % 3 == 2:
                actions.record_open(reader, asset, "downloaded", version=number)
            else:
                actions.record_open(reader, asset, "viewed")
        turn += opened
        if "last_opened" in extra:
            backdate(asset, last_opened_at=now - timedelta(days=extra["last_opened"], hours=3))


def seed(demo: Demo) -> None:
    now = timezone.now()
    sections = _sections(demo)
    products = _products(demo)
    _file_courses(demo, sections)
    audiences = {a.name: a for a in Audience.objects.exclude(name="")}
    made = [
        (_item(demo, sections, products, audiences, row, now), row[7])
        for row in ITEMS
        if not Asset.objects.filter(title=row[2]).exists()
    ]
    _opens(demo, made, now)
    # Items whose expiry date has passed are archived the way the housekeeping job does it.
    actions.expire_due(now)

    bob = demo.people.get("bob")
    if bob is not None:
        for asset in Asset.objects.filter(title__in=FAVOURITES_FOR_BOB):
            actions.set_favourite(bob, asset, True)
