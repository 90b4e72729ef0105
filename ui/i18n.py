"""One translation catalogue for the whole interface, plus locale-aware numbers.

Pure Python on purpose (no Streamlit import) so pages, the command line and
tests can all share it. Keys are dotted namespaces (``nav.board``,
``col.coverage``, ``light.green.meaning``...); every key carries an ``az`` and
an ``en`` text. Texts may hold ``{name}`` placeholders filled by :func:`t`.

Codes from ``ingest.messages.MESSAGES`` (the workbook checker) are looked up
through the same :func:`t`, so a page never needs to know where a text lives.

Strictness: a missing key raises ``KeyError`` under pytest, when the
environment variable ``EGOV_I18N_STRICT=1`` is set, or with ``strict=True``;
otherwise :func:`t` returns the key itself so a forgotten text never takes a
page down in front of users.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from typing import Any

from ui.page_texts import PAGE_TEXTS

log = logging.getLogger(__name__)

LANGS = ("az", "en")
DEFAULT_LANG = "az"
NBSP = "\u00a0"  # joins digit groups and "65 %" so a line never breaks inside a number
DASH = "—"  # shown for missing numbers

# Keys whose two texts are rightly identical (proper nouns, codes, words the
# two languages share). The completeness test skips the "az == en" check for them.
SAME_IN_BOTH = frozenset(
    {
        "lang.az",
        "lang.en",
        "kind.regional",
        "unit.percent",
        "common.ratio",
        "download.png.file",
        "download.svg.file",
        "paradigm.gov3.short",
        "paradigm.gov2.short",
        "common.median",
    }
)

CATALOGUE: dict[str, dict[str, str]] = {
    # --- application --------------------------------------------------------
    "app.title": {
        "az": "Dövlət qurumlarının elektron xidmətləri: qiymətləndirmə paneli",
        "en": "E-services of state institutions: assessment dashboard",
    },
    "app.short_title": {"az": "E-xidmətlərin qiymətləndirilməsi", "en": "E-service assessment"},
    "app.subtitle": {
        "az": "Azərbaycan dövlət qurumlarının e-xidmətlərinin monitorinqi və qiymətləndirilməsi",
        "en": "Monitoring and evaluation of the e-services of Azerbaijan's state institutions",
    },
    "app.footer": {
        "az": "Qiymətlər metodikanın {version} versiyası ilə hesablanıb.",
        "en": "Scores computed with methodology version {version}.",
    },
    # --- navigation ---------------------------------------------------------
    "nav.overview": {"az": "İcmal", "en": "Overview"},
    "nav.board": {"az": "Svetofor lövhəsi", "en": "Board"},
    "nav.institution": {"az": "Qurum", "en": "Institution"},
    "nav.service": {"az": "Xidmət", "en": "Service"},
    "nav.infrastructure": {"az": "İnfrastruktur", "en": "Infrastructure"},
    "nav.data": {"az": "Məlumatlar", "en": "Data"},
    "nav.methodology": {"az": "Metodika", "en": "Methodology"},
    "nav.eu": {"az": "Aİ ilə müqayisə", "en": "EU comparison"},
    "nav.trends": {"az": "Dinamika", "en": "Trends"},
    "nav.portal": {"az": "Portaldan istifadə", "en": "Portal take-up"},
    "nav.review": {"az": "Ekspert yoxlaması", "en": "Review"},
    "nav.audit": {"az": "Audit jurnalı", "en": "Audit trail"},
    "nav.login": {"az": "Daxil ol", "en": "Sign in"},
    "nav.logout": {"az": "Çıxış", "en": "Sign out"},
    "nav.section.results": {"az": "Nəticələr", "en": "Results"},
    "nav.section.context": {"az": "Müqayisə və kontekst", "en": "Comparison and context"},
    "nav.section.work": {"az": "Məlumatlarla iş", "en": "Working with data"},
    "nav.section.admin": {"az": "İdarəetmə", "en": "Administration"},
    # --- frame (sidebar selectors) ------------------------------------------
    "frame.language": {"az": "Dil", "en": "Language"},
    "frame.round": {"az": "Qiymətləndirmə dövrü", "en": "Assessment round"},
    "frame.compare_round": {"az": "Müqayisə dövrü", "en": "Compare with round"},
    "frame.source": {"az": "Məlumat mənbəyi", "en": "Data source"},
    "frame.source.help": {
        "az": "Təsdiqlənmiş: ekspert qiymətləndirməsi olan yerdə o, olmayan yerdə özünüqiymətləndirmə götürülür.",
        "en": "Validated: the expert assessment where there is one, the self-assessment elsewhere.",
    },
    "frame.methodology": {"az": "Metodika versiyası", "en": "Methodology version"},
    "frame.audience": {"az": "Hədəf qrupu", "en": "Audience"},
    "frame.kind": {"az": "Qurumun növü", "en": "Institution type"},
    "frame.institution": {"az": "Qurum", "en": "Institution"},
    "frame.service": {"az": "Xidmət", "en": "Service"},
    "frame.all": {"az": "Hamısı", "en": "All"},
    "frame.no_rounds": {"az": "Hələ heç bir dövr yoxdur", "en": "No rounds yet"},
    "lang.az": {"az": "Azərbaycanca", "en": "Azərbaycanca"},
    "lang.en": {"az": "English", "en": "English"},
    "source.self": {"az": "Özünüqiymətləndirmə", "en": "Self-assessment"},
    "source.expert": {"az": "Ekspert qiymətləndirməsi", "en": "Expert assessment"},
    "source.validated": {"az": "Təsdiqlənmiş", "en": "Validated"},
    "source.validated.long": {
        "az": "Təsdiqlənmiş (mümkün olduqda ekspert rəyi)",
        "en": "Validated (expert view where available)",
    },
    # --- headline metrics ----------------------------------------------------
    "metric.institutions": {"az": "Qiymətləndirilən qurumlar", "en": "Institutions assessed"},
    "metric.services": {"az": "Qiymətləndirilən xidmətlər", "en": "Services assessed"},
    "metric.mean_level": {"az": "Orta səviyyə", "en": "Mean level"},
    "metric.share_online": {"az": "Tam onlayn (səviyyə ≥ 4)", "en": "Fully online (level ≥ 4)"},
    "metric.share_online.help": {
        "az": "4-cü və ya 5-ci səviyyədə olan xidmətlərin payı: müraciətdən ödənişə qədər hər şey internetdə.",
        "en": "Share of services at level 4 or 5: everything from application to payment happens online.",
    },
    "metric.share_level5": {"az": "5-ci səviyyə (Hökumət 3.0)", "en": "Level 5 (Government 3.0)"},
    "metric.share_level5.help": {
        "az": "Proaktiv, fərdiləşdirilmiş xidmətlərin payı.",
        "en": "Share of proactive, personalised services.",
    },
    "metric.infra_index": {"az": "İnfrastruktur indeksi", "en": "Infrastructure index"},
    "metric.mean_coverage": {"az": "Orta əhatə", "en": "Mean coverage"},
    "metric.mean_corruption": {"az": "Orta antikorrupsiya balı", "en": "Mean corruption-reduction score"},
    "metric.delta_prev": {"az": "Əvvəlki dövrlə fərq", "en": "Change vs previous round"},
    "metric.delta_vs": {"az": "{round} dövrünə nisbətən", "en": "vs round {round}"},
    "metric.no_previous": {"az": "Müqayisə üçün əvvəlki dövr yoxdur", "en": "No earlier round to compare with"},
    "metric.of_total": {"az": "cəmi {total} xidmətdən", "en": "of {total} services"},
    # --- dimensions of the board --------------------------------------------
    "dim.coverage": {"az": "Əhatə", "en": "Coverage"},
    "dim.maturity": {"az": "Yetkinlik", "en": "Maturity"},
    "dim.infrastructure": {"az": "İnfrastruktur", "en": "Infrastructure"},
    "dim.corruption": {"az": "Korrupsiyanın azaldılması", "en": "Corruption reduction"},
    "dim.coverage.help": {
        "az": "Göstərilən e-xidmətlərin elektronlaşdırıla bilən xidmətlərə nisbəti.",
        "en": "E-services provided as a share of the services that could go electronic.",
    },
    "dim.maturity.help": {
        "az": "Qurumun qiymətləndirilən e-xidmətlərinin orta səviyyəsi (0–5).",
        "en": "Mean level (0–5) of the institution's assessed e-services.",
    },
    "dim.infrastructure.help": {
        "az": "Üç komponentin orta balı (0–1).",
        "en": "Mean score of the three components (0–1).",
    },
    "dim.corruption.help": {
        "az": "Korrupsiya riskini azaldan göstəricilərin orta sayı.",
        "en": "Mean number of corruption-reducing indicators met.",
    },
    # --- traffic lights ------------------------------------------------------
    "light.green": {"az": "yaşıl", "en": "green"},
    "light.yellow": {"az": "sarı", "en": "yellow"},
    "light.red": {"az": "qırmızı", "en": "red"},
    "light.none": {"az": "məlumat yoxdur", "en": "no data"},
    "light.green.meaning": {"az": "Tələblərə cavab verir", "en": "Meets requirements"},
    "light.yellow.meaning": {"az": "Tələblərə doğru irəliləyir", "en": "Progressing towards requirements"},
    "light.red.meaning": {"az": "Tələblərə cavab vermir", "en": "Fails to meet requirements"},
    "light.none.meaning": {"az": "Qiymət vermək üçün məlumat çatmır", "en": "Not enough data to rate"},
    "legend.title": {"az": "Svetoforun izahı", "en": "Traffic-light key"},
    "legend.thresholds": {"az": "Hədlər (metodika {version})", "en": "Thresholds (methodology {version})"},
    "legend.rule": {
        "az": "{dimension}: yaşıl {green}, sarı {yellow}, qırmızı {red}",
        "en": "{dimension}: green {green}, yellow {yellow}, red {red}",
    },
    "legend.symbols": {
        "az": "Rəngdən əlavə hər işığın öz işarəsi var, rəngləri ayırd etmək çətin olsa da oxunur.",
        "en": "Each light also has its own symbol, so the board reads without relying on colour.",
    },
    # --- corruption bands ----------------------------------------------------
    "band.poor": {"az": "zəif", "en": "poor"},
    "band.good": {"az": "yaxşı", "en": "good"},
    "band.excellent": {"az": "əla", "en": "excellent"},
    "band.title": {"az": "Antikorrupsiya kateqoriyası", "en": "Corruption-reduction band"},
    # --- audiences and institution kinds -------------------------------------
    "audience.citizen": {"az": "Vətəndaş", "en": "Citizen"},
    "audience.business": {"az": "Biznes", "en": "Business"},
    "audience.citizens": {"az": "Vətəndaşlar üçün", "en": "For citizens"},
    "audience.businesses": {"az": "Biznes üçün", "en": "For businesses"},
    "kind.central": {"az": "Mərkəzi", "en": "Central"},
    "kind.regional": {"az": "Regional", "en": "Regional"},
    "kind.local": {"az": "Yerli", "en": "Local"},
    # --- levels and paradigms -------------------------------------------------
    "level.n": {"az": "Səviyyə {n}", "en": "Level {n}"},
    "level.name": {"az": "Səviyyə", "en": "Level"},
    "level.none": {"az": "Səviyyə müəyyən deyil", "en": "Level not determined"},
    "level.columns": {"az": "Sütunlar üzrə nəticə", "en": "Result per level column"},
    "paradigm.gov2": {"az": "Hökumət 2.0", "en": "Government 2.0"},
    "paradigm.gov3": {"az": "Hökumət 3.0", "en": "Government 3.0"},
    "paradigm.gov2.short": {"az": "2.0", "en": "2.0"},
    "paradigm.gov3.short": {"az": "3.0", "en": "3.0"},
    "stage.eu": {"az": "Aİ mərhələsi", "en": "EU stage"},
    "stage.un": {"az": "BMT mərhələsi", "en": "UN stage"},
    "stage.paradigm": {"az": "Paradiqma", "en": "Paradigm"},
    # --- table column headers --------------------------------------------------
    "col.institution": {"az": "Qurum", "en": "Institution"},
    "col.institution_id": {"az": "Qurumun ID-si", "en": "Institution ID"},
    "col.kind": {"az": "Növ", "en": "Type"},
    "col.transferable": {"az": "Elektronlaşdırıla bilən xidmətlər", "en": "Services transferable"},
    "col.provided": {"az": "Göstərilən e-xidmətlər", "en": "E-services provided"},
    "col.coverage": {"az": "Əhatə, %", "en": "Coverage, %"},
    "col.maturity": {"az": "Yetkinlik", "en": "Maturity"},
    "col.infrastructure": {"az": "İnfrastruktur", "en": "Infrastructure"},
    "col.corruption": {"az": "Korrupsiya", "en": "Corruption"},
    "col.corruption_score": {"az": "Antikorrupsiya balı", "en": "Corruption-reduction score"},
    "col.band": {"az": "Kateqoriya", "en": "Band"},
    "col.level": {"az": "Səviyyə", "en": "Level"},
    "col.mean_level": {"az": "Orta səviyyə", "en": "Mean level"},
    "col.service_code": {"az": "Xidmətin kodu", "en": "Service code"},
    "col.service": {"az": "Xidmət", "en": "Service"},
    "col.audience": {"az": "Hədəf qrupu", "en": "Audience"},
    "col.source": {"az": "Mənbə", "en": "Source"},
    "col.round": {"az": "Dövr", "en": "Round"},
    "col.light": {"az": "İşıq", "en": "Light"},
    "col.dimension": {"az": "Ölçü", "en": "Dimension"},
    "col.meaning": {"az": "Mənası", "en": "Meaning"},
    "col.component": {"az": "Komponent", "en": "Component"},
    "col.question": {"az": "Sual", "en": "Question"},
    "col.answer": {"az": "Cavab", "en": "Answer"},
    "col.score": {"az": "Bal", "en": "Score"},
    "col.indicator": {"az": "Göstərici", "en": "Indicator"},
    "col.indicator_no": {"az": "№", "en": "No."},
    "col.home_level": {"az": "Əsas səviyyə", "en": "Home level"},
    "col.level_columns": {"az": "Səviyyə sütunları", "en": "Level columns"},
    "col.mandatory": {"az": "Məcburi", "en": "Mandatory"},
    "col.counts_corruption": {"az": "Antikorrupsiya balına daxildir", "en": "Counts for corruption score"},
    "col.next_step": {"az": "Növbəti addım", "en": "Next step"},
    "col.count": {"az": "Say", "en": "Count"},
    "col.share": {"az": "Pay", "en": "Share"},
    "col.share_pct": {"az": "Pay, %", "en": "Share, %"},
    "col.total": {"az": "Cəmi", "en": "Total"},
    "col.change": {"az": "Dəyişmə", "en": "Change"},
    "col.eu_service": {"az": "Aİ-nin əsas xidməti", "en": "EU basic service"},
    "col.az_service": {"az": "Azərbaycandakı xidmət", "en": "Azerbaijani service"},
    "col.eu_reference": {"az": "Aİ göstəricisi", "en": "EU reference"},
    "col.country": {"az": "Ölkə", "en": "Country"},
    "col.year": {"az": "İl", "en": "Year"},
    "col.value": {"az": "Dəyər", "en": "Value"},
    "col.rank": {"az": "Yer", "en": "Rank"},
    "col.portal_services": {"az": "Portaldakı e-xidmətlər", "en": "E-services on the portal"},
    "col.uses": {"az": "İstifadə sayı", "en": "Uses"},
    "col.uses_share": {"az": "İstifadə payı, %", "en": "Share of uses, %"},
    "col.date": {"az": "Tarix", "en": "Date"},
    "col.time": {"az": "Vaxt", "en": "Time"},
    "col.actor": {"az": "İstifadəçi", "en": "User"},
    "col.role": {"az": "Rol", "en": "Role"},
    "col.action": {"az": "Əməliyyat", "en": "Action"},
    "col.details": {"az": "Təfərrüatlar", "en": "Details"},
    "col.file": {"az": "Fayl", "en": "File"},
    "col.rows": {"az": "Sətirlər", "en": "Rows"},
    "col.status": {"az": "Vəziyyət", "en": "Status"},
    "col.comment": {"az": "Şərh", "en": "Comment"},
    "col.sheet": {"az": "Vərəq", "en": "Sheet"},
    "col.cell": {"az": "Xana", "en": "Cell"},
    "col.message": {"az": "İzah", "en": "Message"},
    # --- answers and common words -------------------------------------------
    "answer.yes": {"az": "Bəli", "en": "Yes"},
    "answer.no": {"az": "Xeyr", "en": "No"},
    "answer.missing": {"az": "Cavab yoxdur", "en": "No answer"},
    "common.all": {"az": "Hamısı", "en": "All"},
    "common.total": {"az": "Cəmi", "en": "Total"},
    "common.mean": {"az": "Orta", "en": "Mean"},
    "common.median": {"az": "Median", "en": "Median"},
    "common.search": {"az": "Axtarış", "en": "Search"},
    "common.filter": {"az": "Süzgəc", "en": "Filter"},
    "common.show_table": {"az": "Cədvəli göstər", "en": "Show table"},
    "common.show_chart": {"az": "Qrafiki göstər", "en": "Show chart"},
    "common.details": {"az": "Ətraflı", "en": "Details"},
    "common.loading": {"az": "Yüklənir…", "en": "Loading…"},
    "common.save": {"az": "Yadda saxla", "en": "Save"},
    "common.cancel": {"az": "Ləğv et", "en": "Cancel"},
    "common.confirm": {"az": "Təsdiq edirəm", "en": "I confirm"},
    "common.back": {"az": "Geri", "en": "Back"},
    "common.close": {"az": "Bağla", "en": "Close"},
    "common.ratio": {"az": "{a} / {b}", "en": "{a} / {b}"},
    "common.none": {"az": "Yoxdur", "en": "None"},
    "common.unknown": {"az": "Naməlum", "en": "Unknown"},
    "common.updated": {"az": "Yenilənib: {when}", "en": "Updated: {when}"},
    "unit.percent": {"az": "%", "en": "%"},
    "unit.level": {"az": "səviyyə", "en": "level"},
    "unit.services": {"az": "xidmət", "en": "services"},
    "unit.institutions": {"az": "qurum", "en": "institutions"},
    "unit.points": {"az": "bal", "en": "points"},
    # --- empty states ---------------------------------------------------------
    "empty.no_data": {
        "az": "Bu dövr üçün hələ məlumat yoxdur — Məlumatlar səhifəsində iş kitabı yükləyin.",
        "en": "No data for this round yet — upload a workbook on the Data page.",
    },
    "empty.no_rounds": {
        "az": "Hələ heç bir qiymətləndirmə dövrü yaradılmayıb. Başlamaq üçün Məlumatlar səhifəsinə keçin.",
        "en": "No assessment round has been created yet. Go to the Data page to start.",
    },
    "empty.no_match": {
        "az": "Seçilmiş süzgəclərə uyğun heç nə tapılmadı.",
        "en": "Nothing matches the selected filters.",
    },
    "empty.no_infrastructure": {
        "az": "Bu dövr üçün infrastrukturun ekspert qiymətləndirməsi hələ yüklənməyib.",
        "en": "The expert infrastructure assessment for this round has not been uploaded yet.",
    },
    "empty.no_coverage": {
        "az": "Bu dövr üçün əhatə məlumatı (elektronlaşdırıla bilən və göstərilən xidmətlər) yoxdur.",
        "en": "There are no coverage figures (transferable and provided services) for this round.",
    },
    "empty.no_expert": {
        "az": "Bu dövrdə hələ ekspert qiymətləndirməsi yoxdur; özünüqiymətləndirmə göstərilir.",
        "en": "No expert assessment in this round yet; the self-assessment is shown.",
    },
    "empty.no_previous": {
        "az": "Dinamikanı göstərmək üçün ən azı iki dövr lazımdır.",
        "en": "At least two rounds are needed to show a trend.",
    },
    "empty.no_selection": {"az": "Əvvəlcə seçim edin.", "en": "Make a selection first."},
    "empty.no_events": {"az": "Jurnalda hələ qeyd yoxdur.", "en": "The log has no entries yet."},
    "empty.no_pending": {"az": "Yoxlama gözləyən cavab yoxdur.", "en": "No answers are waiting for review."},
    # --- illustrative data ----------------------------------------------------
    "demo.banner": {
        "az": "Nümunə dəyərlər: nümayiş məlumatlarıdır, rəsmi qiymətləndirmə deyil.",
        "en": "Illustrative values: demo data, not an official assessment.",
    },
    "demo.badge": {"az": "nümunə", "en": "demo"},
    "demo.chart_note": {"az": "Nümunə məlumatlar", "en": "Demo data"},
    # --- downloads --------------------------------------------------------------
    "download.png": {"az": "PNG yüklə", "en": "Download PNG"},
    "download.svg": {"az": "SVG yüklə", "en": "Download SVG"},
    "download.xlsx": {"az": "Excel yüklə", "en": "Download Excel"},
    "download.csv": {"az": "CSV yüklə", "en": "Download CSV"},
    "download.png.file": {"az": "{name}.png", "en": "{name}.png"},
    "download.svg.file": {"az": "{name}.svg", "en": "{name}.svg"},
    "download.png.help": {"az": "Təqdimat üçün şəkil (PNG)", "en": "Picture for slides (PNG)"},
    "download.svg.help": {"az": "Çap və redaktə üçün vektor şəkil (SVG)", "en": "Vector picture for print and editing (SVG)"},
    "download.xlsx.help": {"az": "Cədvəli Excel faylı kimi götürün", "en": "Take the table as an Excel file"},
    "download.template": {"az": "Boş şablonu yüklə", "en": "Download blank template"},
    "download.all": {"az": "Bütün məlumatları yüklə", "en": "Download all data"},
    # --- errors and notices -----------------------------------------------------
    "error.generic": {
        "az": "Nə isə alınmadı; təfərrüatlar jurnala yazıldı.",
        "en": "Something went wrong; the details are in the log.",
    },
    "error.reference": {"az": "Müraciət üçün kod: {ref}", "en": "Reference for support: {ref}"},
    "error.permission": {
        "az": "Bu əməliyyat üçün icazəniz yoxdur.",
        "en": "You are not allowed to do this.",
    },
    "error.sign_in_required": {
        "az": "Bu səhifə üçün sistemə daxil olmalısınız.",
        "en": "Please sign in to use this page.",
    },
    "error.login_failed": {
        "az": "İstifadəçi adı və ya şifrə yanlışdır.",
        "en": "The user name or password is not correct.",
    },
    "error.export_failed": {
        "az": "Faylı hazırlamaq alınmadı; cədvəl aşağıdadır.",
        "en": "The file could not be prepared; the table is below.",
    },
    "error.file_too_large": {
        "az": "Fayl çox böyükdür (ən çox {limit} MB).",
        "en": "The file is too large (at most {limit} MB).",
    },
    "error.database": {
        "az": "Məlumat bazası hazırda əlçatan deyil. Bir az sonra yenidən cəhd edin.",
        "en": "The database is not available right now. Please try again shortly.",
    },
    "notice.saved": {"az": "Yadda saxlanıldı.", "en": "Saved."},
    "notice.read_only": {"az": "Yalnız baxış rejimi", "en": "Read-only mode"},
    # --- sign in / roles ----------------------------------------------------------
    "auth.username": {"az": "İstifadəçi adı", "en": "User name"},
    "auth.password": {"az": "Şifrə", "en": "Password"},
    "auth.submit": {"az": "Daxil ol", "en": "Sign in"},
    "auth.signed_in_as": {"az": "{name} ({role}) kimi daxil olmusunuz", "en": "Signed in as {name} ({role})"},
    "auth.signed_out": {"az": "Sistemdən çıxdınız.", "en": "You have signed out."},
    "auth.anonymous": {"az": "Qonaq (yalnız baxış)", "en": "Guest (view only)"},
    "role.viewer": {"az": "İzləyici", "en": "Viewer"},
    "role.expert": {"az": "Ekspert", "en": "Expert"},
    "role.admin": {"az": "İnzibatçı", "en": "Administrator"},
    # --- data page: upload, import, templates -------------------------------------
    "data.upload": {"az": "İş kitablarını yükləyin (.xlsx)", "en": "Upload workbooks (.xlsx)"},
    "data.upload.help": {
        "az": "Bir neçə faylı birdən seçə bilərsiniz. Makroslu (.xlsm) fayllar qəbul edilmir.",
        "en": "You can pick several files at once. Files with macros (.xlsm) are refused.",
    },
    "data.dry_run": {"az": "Yalnız yoxla (heç nə yazılmır)", "en": "Check only (nothing is saved)"},
    "data.replace": {"az": "Mövcud cavabları əvəz et", "en": "Replace existing answers"},
    "data.add_institutions": {"az": "Yeni qurumları siyahıya əlavə et", "en": "Add new institutions to the list"},
    "data.import": {"az": "İdxal et", "en": "Import"},
    "data.check": {"az": "Yoxla", "en": "Check"},
    "data.revert": {"az": "İdxalı geri qaytar", "en": "Revert import"},
    "data.history": {"az": "İdxal tarixçəsi", "en": "Import history"},
    "data.templates": {"az": "Şablonlar", "en": "Templates"},
    "data.template.self": {"az": "Xidmətlərin özünüqiymətləndirməsi", "en": "Service self-assessment"},
    "data.template.infrastructure": {
        "az": "İnfrastrukturun ekspert qiymətləndirməsi",
        "en": "Expert infrastructure assessment",
    },
    "data.template.coverage": {"az": "E-xidmətlərlə əhatə", "en": "E-service coverage"},
    "data.rows_new": {"az": "{n} yeni sətir", "en": "{n} new rows"},
    "data.rows_replaced": {"az": "{n} sətir əvəz olunacaq", "en": "{n} rows to be replaced"},
    "data.rows_unchanged": {"az": "{n} sətir dəyişməyib", "en": "{n} rows unchanged"},
    "data.issues": {"az": "{n} problem tapıldı", "en": "{n} problems found"},
    "data.no_issues": {"az": "Problem tapılmadı.", "en": "No problems found."},
    "data.imported": {"az": "İdxal tamamlandı: {file}", "en": "Import finished: {file}"},
    "data.reverted": {"az": "İdxal geri qaytarıldı.", "en": "The import was reverted."},
    "data.export": {"az": "İxrac", "en": "Export"},
    # --- review ----------------------------------------------------------------------
    "review.pending": {"az": "Yoxlama gözləyənlər", "en": "Waiting for review"},
    "review.approve": {"az": "Təsdiqlə", "en": "Approve"},
    "review.change": {"az": "Cavabı dəyiş", "en": "Change answer"},
    "review.comment": {"az": "Ekspert şərhi", "en": "Expert comment"},
    "review.self_vs_expert": {"az": "Özünüqiymətləndirmə və ekspert rəyi", "en": "Self-assessment and expert view"},
    "review.disagreements": {"az": "Fərqli cavablar", "en": "Answers that differ"},
    # --- audit trail --------------------------------------------------------------------
    "audit.title": {"az": "Kim, nə vaxt, nəyi dəyişdi", "en": "Who changed what, and when"},
    "audit.filter_actor": {"az": "İstifadəçiyə görə", "en": "By user"},
    "audit.filter_action": {"az": "Əməliyyata görə", "en": "By action"},
    # --- institution / service pages -------------------------------------------------
    "institution.pick": {"az": "Qurumu seçin", "en": "Choose an institution"},
    "institution.services": {"az": "Qurumun e-xidmətləri", "en": "The institution's e-services"},
    "institution.summary": {"az": "Qısa nəticə", "en": "Summary"},
    "service.pick": {"az": "Xidməti seçin", "en": "Choose a service"},
    "service.answers": {"az": "Göstəricilər üzrə cavablar", "en": "Answers per indicator"},
    "service.next_level": {"az": "Növbəti səviyyəyə çatmaq üçün", "en": "To reach the next level"},
    "service.top_level": {"az": "Xidmət ən yüksək səviyyədədir.", "en": "The service is at the top level."},
    "service.history": {"az": "Cavabların tarixçəsi", "en": "Answer history"},
    # --- methodology page --------------------------------------------------------------
    "method.levels": {"az": "Yetkinlik səviyyələri", "en": "Maturity levels"},
    "method.indicators": {"az": "Göstəricilər", "en": "Indicators"},
    "method.level_rule": {"az": "Səviyyənin hesablanması qaydası", "en": "How the level is computed"},
    "method.level_rule.text": {
        "az": "Sütun o halda keçir ki, həmin səviyyənin məcburi göstəriciləri yerinə yetirilsin və "
        "sütun xanalarının ən azı {share} hissəsi müsbət olsun. Səviyyə ardıcıl keçən sütunların ən yüksəyidir.",
        "en": "A column passes when the mandatory indicators of that level are met and at least {share} "
        "of its cells are met. The level is the highest of the columns that pass one after another.",
    },
    "method.corruption": {"az": "Korrupsiyanın azaldılması balı", "en": "Corruption-reduction score"},
    "method.infrastructure": {"az": "İnfrastrukturun qiymətləndirilməsi", "en": "Infrastructure assessment"},
    "method.lights": {"az": "Svetofor hədləri", "en": "Traffic-light thresholds"},
    "method.version": {"az": "Versiya {id}, qüvvədədir: {date}", "en": "Version {id}, in force from {date}"},
    "method.percent_rule": {
        "az": "Faiz sualları: {threshold} %-dən çox olduqda 1, əks halda 0.",
        "en": "Percentage questions: 1 above {threshold}%, otherwise 0.",
    },
    # --- EU comparison ----------------------------------------------------------------
    "eu.title": {"az": "Aİ-nin 20 əsas ictimai xidməti ilə müqayisə", "en": "Comparison with the EU's 20 basic public services"},
    "eu.no_counterpart": {"az": "Qarşılığı yoxdur", "en": "No counterpart"},
    "eu.azerbaijan": {"az": "Azərbaycan", "en": "Azerbaijan"},
    "eu.average": {"az": "Aİ ortalaması", "en": "EU average"},
    "eu.sophistication": {"az": "Orta mürəkkəblik", "en": "Average sophistication"},
    "eu.fully_online": {"az": "Tam onlayn xidmətlərin payı", "en": "Share of services fully online"},
    "eu.reference_source": {"az": "Aİ rəqəmlərinin mənbəyi: {source}", "en": "Source of the EU figures: {source}"},
    # --- portal take-up ----------------------------------------------------------------
    "portal.title": {"az": "Dövlət portalında e-xidmətlərdən istifadə", "en": "Use of e-services on the national portal"},
    "portal.source": {
        "az": "Mənbə: nazirliyin bülleteni, {period}",
        "en": "Source: ministry bulletin, {period}",
    },
    "portal.total_uses": {"az": "Ümumi istifadə", "en": "Total uses"},
    "portal.services": {"az": "Portaldakı e-xidmətlər", "en": "E-services on the portal"},
    "portal.institutions": {"az": "Portala qoşulmuş qurumlar", "en": "Institutions on the portal"},
    "portal.top_n": {"az": "Ən çox istifadə olunan {n} qurum", "en": "Top {n} institutions by use"},
    # --- trends --------------------------------------------------------------------------
    "trend.title": {"az": "Dövrlər üzrə dinamika", "en": "Change across rounds"},
    "trend.method_change": {"az": "Metodika dəyişib", "en": "Methodology changed"},
    "trend.method_change.help": {
        "az": "Şaquli xətt metodika versiyasının dəyişdiyi yeri göstərir; xəttin iki tərəfi tam müqayisə olunmur.",
        "en": "The vertical line marks a change of methodology version; values on its two sides are not fully comparable.",
    },
    # --- charts ---------------------------------------------------------------------------
    "chart.radar.title": {"az": "İnfrastruktur komponentləri", "en": "Infrastructure components"},
    "chart.radar.subtitle": {"az": "Bal 0-dan 1-ə qədər", "en": "Score from 0 to 1"},
    "chart.levels.title": {"az": "Xidmətlərin səviyyələr üzrə bölgüsü", "en": "Services by maturity level"},
    "chart.coverage.title": {"az": "Qurumlar üzrə əhatə", "en": "Coverage by institution"},
    "chart.bars.title": {"az": "Müqayisə", "en": "Comparison"},
    "chart.trend.title": {"az": "Dinamika", "en": "Trend"},
    "chart.matrix.title": {"az": "Svetofor lövhəsi", "en": "Traffic-light board"},
    "chart.axis.level": {"az": "Səviyyə", "en": "Level"},
    "chart.axis.count": {"az": "Xidmətlərin sayı", "en": "Number of services"},
    "chart.axis.share": {"az": "Xidmətlərin payı", "en": "Share of services"},
    "chart.axis.score": {"az": "Bal", "en": "Score"},
    "chart.axis.round": {"az": "Dövr", "en": "Round"},
    "chart.axis.value": {"az": "Dəyər", "en": "Value"},
    "chart.series": {"az": "Seriya", "en": "Series"},
    "chart.group": {"az": "Qrup", "en": "Group"},
    "chart.highlighted": {"az": "Seçilmiş", "en": "Highlighted"},
    "chart.others": {"az": "Digərləri", "en": "Others"},
    "chart.alt": {"az": "Qrafik: {title}", "en": "Chart: {title}"},
    # --- names the pages use (aliases of the texts above where the meaning is the same) ---
    "empty.round": {
        "az": "Bu dövr üçün hələ məlumat yoxdur — Məlumatlar səhifəsində iş kitabı yükləyin.",
        "en": "No data for this round yet — upload a workbook on the Data page.",
    },
    "empty.infrastructure": {
        "az": "Bu dövr üçün infrastrukturun ekspert qiymətləndirməsi hələ yüklənməyib.",
        "en": "The expert infrastructure assessment for this round has not been uploaded yet.",
    },
    "download.sheet": {"az": "Məlumatlar", "en": "Data"},
    "metric.infrastructure_index": {"az": "İnfrastruktur indeksi", "en": "Infrastructure index"},
    "metric.infrastructure_index.help": {
        "az": "Üç komponentin (etibarlı mənbələr, eID, təhlükəsiz e-çatdırılma) orta balı, 0–1.",
        "en": "Mean of the three component scores (authentic sources, eID, secure eDelivery), 0–1.",
    },
    "metric.share_level4": {"az": "Tam onlayn (səviyyə ≥ 4)", "en": "Fully online (level ≥ 4)"},
    "metric.share_level4.help": {
        "az": "4-cü və ya 5-ci səviyyədə olan xidmətlərin payı: müraciətdən ödənişə qədər hər şey internetdə.",
        "en": "Share of services at level 4 or 5: everything from application to payment happens online.",
    },
    "metric.mean_level.help": {
        "az": "Qiymətləndirilən bütün e-xidmətlərin orta yetkinlik səviyyəsi (0–5).",
        "en": "Mean maturity level (0–5) of all assessed e-services.",
    },
    "metric.mean_coverage.help": {
        "az": "Qurumlar üzrə orta əhatə: göstərilən e-xidmətlərin elektronlaşdırıla bilən xidmətlərə nisbəti.",
        "en": "Mean coverage across institutions: e-services provided over services transferable.",
    },
    "metric.previous_round": {"az": "Əvvəlki dövr: {round}", "en": "Previous round: {round}"},
    "col.coverage_pct": {"az": "Əhatə, %", "en": "Coverage, %"},
    "col.services_transferable": {"az": "Elektronlaşdırıla bilən xidmətlər", "en": "Services transferable"},
    "col.e_services_provided": {"az": "Göstərilən e-xidmətlər", "en": "E-services provided"},
    "col.eu_stage": {"az": "Aİ mərhələsi", "en": "EU stage"},
    "col.un_stage": {"az": "BMT mərhələsi", "en": "UN stage"},
    "col.paradigm": {"az": "Paradiqma", "en": "Paradigm"},
    "col.code": {"az": "Kod", "en": "Code"},
    "col.type": {"az": "Növ", "en": "Type"},
    "col.when": {"az": "Nə vaxt", "en": "When"},
    "col.mean_corruption": {"az": "Orta antikorrupsiya balı", "en": "Mean corruption-reduction score"},
    "col.columns": {"az": "Səviyyə sütunları", "en": "Level columns"},
    "col.points": {"az": "Bal", "en": "Points"},
    "col.range": {"az": "Aralıq", "en": "Range"},
    "col.corruption_flag": {"az": "Antikorrupsiya balına daxildir", "en": "Counts for corruption score"},
    "col.mandatory_indicators": {"az": "Məcburi göstəricilər", "en": "Mandatory indicators"},
    "light.dim.coverage": {"az": "Əhatə", "en": "Coverage"},
    "light.dim.maturity": {"az": "Yetkinlik", "en": "Maturity"},
    "light.dim.infrastructure": {"az": "İnfrastruktur", "en": "Infrastructure"},
    "light.dim.corruption": {"az": "Korrupsiya", "en": "Corruption"},
    "nav.section.about": {"az": "Metodika haqqında", "en": "About the method"},
    "nav.section.compare": {"az": "Müqayisə", "en": "Comparison"},
    "source.self.short": {"az": "özünüqiymətləndirmə", "en": "self"},
    "source.expert.short": {"az": "ekspert", "en": "expert"},
}

# Page texts live in their own module; one lookup serves both.

# Roles, review, discrepancy, audit trail and administration (docs/ROLES.md).
ROLE_TEXTS: dict[str, dict[str, str]] = {
    "nav.discrepancy": {"az": "Özünüqiymətləndirmə və ekspert fərqi", "en": "Self vs expert"},
    "nav.admin": {"az": "İdarəetmə", "en": "Administration"},
    "auth.failed": {"az": "İstifadəçi adı və ya şifrə yanlışdır.", "en": "Wrong user name or password."},
    "auth.none": {
        "az": "Yalnız baxış rejimi — hesab əlavə etmək üçün: `python cli.py user add AD --role expert`",
        "en": "Read-only — add an account with `python cli.py user add NAME --role expert`",
    },
    "write.done": {"az": "Yadda saxlanıldı və audit jurnalına yazıldı.", "en": "Saved and written to the audit trail."},
    "write.failed": {"az": "Alınmadı: {error}", "en": "Not done: {error}"},
    # review
    "review.title": {"az": "Ekspert yoxlaması", "en": "Expert review"},
    "review.caption": {
        "az": "Hər qurum üçün: təqdim olunub → ekspert yoxlamasındadır → təsdiqlənib və ya səbəblə geri qaytarılıb. "
              "Təsdiq qurumun bu dövrdəki dəyərlərini kilidləyir.",
        "en": "Per institution: submitted → under expert review → approved, or returned with a reason. "
              "Approval locks the institution's values in the round.",
    },
    "review.no_data": {"az": "{round} dövründə hələ məlumat yoxdur.", "en": "Round {round} holds no data yet."},
    "review.state": {"az": "Yoxlama vəziyyəti", "en": "Review state"},
    "review.state.none": {"az": "Başlanmayıb", "en": "Not started"},
    "review.state.submitted": {"az": "Təqdim olunub", "en": "Submitted"},
    "review.state.under_review": {"az": "Ekspert yoxlamasındadır", "en": "Under expert review"},
    "review.state.approved": {"az": "Təsdiqlənib (kilidli)", "en": "Approved (locked)"},
    "review.state.returned": {"az": "Geri qaytarılıb", "en": "Returned"},
    "review.pick": {"az": "Qurum", "en": "Institution"},
    "review.next": {"az": "Növbəti addım", "en": "Next step"},
    "review.reason": {"az": "Səbəb (qaytarma və yenidən açma üçün vacibdir)",
                      "en": "Reason (required to return or reopen)"},
    "review.apply": {"az": "Tətbiq et", "en": "Apply"},
    "review.no_services": {"az": "Bu qurumun xidmət cavabları yoxdur.", "en": "This institution has no service answers."},
    "review.service": {"az": "Xidmət", "en": "Service"},
    "review.differs": {"az": "Fərqlidir", "en": "Differs"},
    "review.locked": {
        "az": "Təsdiqlənib və kilidlidir; dəyişmək üçün administrator səbəb göstərərək yenidən açmalıdır.",
        "en": "Approved and locked; an administrator must reopen it, with a reason, before any change.",
    },
    "review.reading.caption": {
        "az": "Ekspert cavabları: özünüqiymətləndirmə ilə razılaşın və ya şərhlə dəyişin.",
        "en": "Expert answers: agree with the self-assessment, or override with a comment.",
    },
    "review.save": {"az": "Ekspert rəyini yadda saxla", "en": "Save expert reading"},
    # discrepancy
    "discrepancy.title": {"az": "Özünüqiymətləndirmə ilə ekspert rəyi arasındakı fərq",
                          "en": "Where self-assessment and expert differ"},
    "discrepancy.caption": {
        "az": "Hər iki mənbənin qiymətləndirdiyi xidmətlər üzrə: özünüqiymətləndirmənin ən az etibarlı olduğu yerlər.",
        "en": "Over services assessed by both: where self-assessment is least reliable.",
    },
    "discrepancy.none": {"az": "{round} dövründə hər iki mənbənin qiymətləndirdiyi xidmət yoxdur.",
                         "en": "No service in round {round} was assessed by both sources."},
    "discrepancy.pairs": {"az": "Müqayisə olunan xidmətlər", "en": "Services compared"},
    "discrepancy.by_indicator": {"az": "Göstəricilər üzrə", "en": "Per indicator"},
    "discrepancy.by_institution": {"az": "Qurumlar üzrə", "en": "Per institution"},
    "discrepancy.over": {"az": "İddia edilib, təsdiqlənməyib", "en": "Claimed, not confirmed"},
    "discrepancy.under": {"az": "Ekspert tapıb, qurum göstərməyib", "en": "Found by expert, not claimed"},
    "discrepancy.rate": {"az": "Fərq payı", "en": "Disagreement rate"},
    "discrepancy.services": {"az": "Xidmətlər", "en": "Services"},
    # audit trail
    "audit.caption": {
        "az": "Hər idxal, əvəzetmə, geri qaytarma, ekspert düzəlişi, təsdiq, qaytarma, yenidən açma, rol və metodika dəyişikliyi.",
        "en": "Every import, replacement, revert, override, approval, return, reopen, role and version change.",
    },
    "audit.filter_round": {"az": "Dövrə görə", "en": "By round"},
    "audit.filter_dates": {"az": "Tarixlər", "en": "Dates"},
    "audit.filter_text": {"az": "Mətndə axtar", "en": "Search the text"},
    "audit.filter_import": {"az": "İdxal nömrəsi", "en": "Import number"},
    "audit.filter_import.help": {
        "az": "Saxlanmış hər dəyərin idxal nömrəsi var: onu yazın və dəyəri yazan hadisəni görün (0 = hamısı).",
        "en": "Every stored value carries an import number: enter it to see the event that wrote it (0 = all).",
    },
    "audit.all": {"az": "Hamısı", "en": "All"},
    "audit.count": {"az": "{n} hadisə", "en": "{n} events"},
    "audit.none": {"az": "Seçimə uyğun hadisə yoxdur.", "en": "No events match."},
    "audit.download_csv": {"az": "CSV kimi endir", "en": "Download as CSV"},
    "audit.col.id": {"az": "Hadisə", "en": "Event"},
    "audit.col.at": {"az": "Vaxt (UTC)", "en": "When (UTC)"},
    "audit.col.who": {"az": "Kim", "en": "Who"},
    "audit.col.action": {"az": "Nə edilib", "en": "Action"},
    "audit.col.round": {"az": "Dövr", "en": "Round"},
    "audit.col.import": {"az": "İdxal", "en": "Import"},
    "audit.col.what": {"az": "Təfərrüat", "en": "What"},
    "audit.col.why": {"az": "Səbəb", "en": "Why"},
    "audit.action.import": {"az": "İdxal", "en": "Import"},
    "audit.action.replace": {"az": "Əvəzetmə", "en": "Replacement"},
    "audit.action.revert": {"az": "Geri qaytarma", "en": "Revert"},
    "audit.action.agree": {"az": "Ekspert razılaşdı", "en": "Expert agreed"},
    "audit.action.override": {"az": "Ekspert düzəlişi", "en": "Expert override"},
    "audit.action.submit": {"az": "Təqdim", "en": "Submission"},
    "audit.action.start_review": {"az": "Yoxlamanın başlanması", "en": "Review started"},
    "audit.action.approve": {"az": "Təsdiq", "en": "Approval"},
    "audit.action.return": {"az": "Geri qaytarılma", "en": "Returned"},
    "audit.action.reopen": {"az": "Yenidən açılma", "en": "Reopened"},
    "audit.action.publish": {"az": "Dərc", "en": "Publication"},
    "audit.action.republish": {"az": "Təkrar dərc", "en": "Republication"},
    "audit.action.unpublish": {"az": "Dərcdən çıxarılma", "en": "Withdrawn"},
    "audit.action.open_round": {"az": "Dövrün açılması", "en": "Round opened"},
    "audit.action.close_round": {"az": "Dövrün bağlanması", "en": "Round closed"},
    "audit.action.reopen_round": {"az": "Dövrün yenidən açılması", "en": "Round reopened"},
    "audit.action.role_change": {"az": "Rol dəyişikliyi", "en": "Role change"},
    "audit.action.add_methodology": {"az": "Yeni metodika versiyası", "en": "Methodology version added"},
    "audit.action.change_methodology": {"az": "Dövrün metodikası dəyişdi", "en": "Round's version changed"},
    # administration
    "admin.title": {"az": "İdarəetmə", "en": "Administration"},
    "admin.tab.rounds": {"az": "Dövrlər və dərc", "en": "Rounds and publication"},
    "admin.tab.methodology": {"az": "Metodika versiyaları", "en": "Methodology versions"},
    "admin.tab.roles": {"az": "Rollar", "en": "Roles"},
    "admin.open_round": {"az": "Yeni dövr aç", "en": "Open a new round"},
    "admin.round_label": {"az": "Dövrün adı (məs. 2025)", "en": "Round label (e.g. 2025)"},
    "admin.open": {"az": "Aç", "en": "Open"},
    "admin.publish": {"az": "Dərc et", "en": "Publish"},
    "admin.republish": {"az": "Yenidən dərc et", "en": "Republish"},
    "admin.unpublish": {"az": "Dərcdən çıxar", "en": "Withdraw"},
    "admin.set_closed": {"az": "Dövrü bağla", "en": "Close the round"},
    "admin.set_open": {"az": "Dövrü yenidən aç", "en": "Reopen the round"},
    "admin.not_reviewed": {"az": "{n} qurum hələ təsdiqlənməyib: {names}", "en": "{n} institution(s) not approved yet: {names}"},
    "admin.version_fixed": {
        "az": "Bu dövrdə məlumat var: metodika versiyası ({version}) artıq dəyişdirilə bilməz.",
        "en": "This round holds data: its methodology version ({version}) can no longer change.",
    },
    "admin.change_version": {"az": "Dövrün metodika versiyası", "en": "The round's methodology version"},
    "admin.apply_version": {"az": "Versiyanı dəyiş", "en": "Change version"},
    "admin.publications": {"az": "Dərc tarixçəsi", "en": "Publication history"},
    "admin.methodology.caption": {
        "az": "Yeni versiya yeni fayldır (yeni id ilə); yoxlanılır və əvvəlki versiya ilə fərqi göstərilir. "
              "Köhnə dövrlərin balları dəyişmir.",
        "en": "A new version is a new file (with a new id); it is validated and shown as a diff against the previous one. "
              "Older rounds' scores never change.",
    },
    "admin.methodology.upload": {"az": "Metodika faylı (.yaml)", "en": "Methodology file (.yaml)"},
    "admin.methodology.invalid": {"az": "Fayl qəbul edilmədi: {error}", "en": "The file was refused: {error}"},
    "admin.methodology.valid": {
        "az": "{id} düzgündür; əvvəlki versiya {previous} ilə {n} fərq.",
        "en": "{id} is valid; {n} difference(s) against {previous}.",
    },
    "admin.methodology.add": {"az": "{id} versiyasını əlavə et", "en": "Add version {id}"},
    "admin.roles.caption": {
        "az": "Vahid giriş (OIDC) ilə daxil olanların rolu e-poçt ünvanına görə təyin olunur; qeyd yoxdursa — izləyici.",
        "en": "People signing in through single sign-on (OIDC) get the role of their e-mail; none listed — viewer.",
    },
    "admin.email": {"az": "E-poçt", "en": "E-mail"},
    "admin.role": {"az": "Rol", "en": "Role"},
    "admin.role.none": {"az": "Rolu sil", "en": "Remove the role"},
    "admin.role.save": {"az": "Rolu yadda saxla", "en": "Save the role"},
    "admin.local_accounts": {"az": "Yerli hesablar", "en": "Local accounts"},
    "admin.local_accounts.caption": {
        "az": "Yerli hesablar əmr sətrindən idarə olunur: `python cli.py user add|passwd|role|remove|list`.",
        "en": "Local accounts are managed from the command line: `python cli.py user add|passwd|role|remove|list`.",
    },
}

CATALOGUE.update({k: v for k, v in PAGE_TEXTS.items() if k not in CATALOGUE})
CATALOGUE.update({k: v for k, v in ROLE_TEXTS.items() if k not in CATALOGUE})


def normalise_lang(lang: str | None) -> str:
    """``az`` or ``en``; anything else falls back to the default language."""
    return lang if lang in LANGS else DEFAULT_LANG


def _strict_default() -> bool:
    # Tests must see missing keys; users must never see a crash for a text.
    return os.environ.get("EGOV_I18N_STRICT") == "1" or "PYTEST_CURRENT_TEST" in os.environ


def _ingest_messages() -> Mapping[str, Mapping[str, str]]:
    """``ingest.messages.MESSAGES`` when that module exists, else an empty mapping."""
    try:
        from ingest.messages import MESSAGES  # lazy: ui must work before ingest is written
    except Exception:  # noqa: BLE001 - a half-written sibling module must not break the UI
        return {}
    return MESSAGES if isinstance(MESSAGES, Mapping) else {}


def lookup(key: str) -> Mapping[str, str] | None:
    """The ``{'az', 'en'}`` entry for a key from the catalogue or the ingest messages."""
    entry = CATALOGUE.get(key)
    if entry is None:
        entry = _ingest_messages().get(key)
    return entry


def has(key: str) -> bool:
    """Whether a key is known to either catalogue."""
    return lookup(key) is not None


def all_keys() -> list[str]:
    """Every key of the merged catalogue, sorted."""
    return sorted(set(CATALOGUE) | set(_ingest_messages()))


def t(key: str, lang: str = DEFAULT_LANG, /, *, strict: bool | None = None, **params: Any) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled from ``params``.

    ``key`` and ``lang`` are positional-only so that a placeholder may itself be
    called ``key`` or ``lang``.
    """
    strict = _strict_default() if strict is None else strict
    entry = lookup(key)
    if entry is None:
        if strict:
            raise KeyError(f"no translation for {key!r}")
        log.warning("missing translation key %r", key)
        return key
    text = entry.get(normalise_lang(lang)) or entry.get("en") or key
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        if strict:
            raise
        log.warning("bad placeholders for %r: %r", key, sorted(params))
        return text


# --- numbers ------------------------------------------------------------------


def _as_float(x: Any) -> float | None:
    """A float, or None for None/NaN/blank/unparsable (shown as a dash)."""
    if x is None or isinstance(x, bool):
        return None if x is None else float(x)
    if isinstance(x, str):
        x = x.strip().replace(",", ".")
        if not x:
            return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _localise(text: str, lang: str) -> str:
    """Swap the English separators of ``format(x, ',')`` for the Azerbaijani ones."""
    if normalise_lang(lang) == "en":
        return text
    # Placeholder step keeps the two swaps from undoing each other.
    return text.replace(",", "\0").replace(".", ",").replace("\0", NBSP)


def fmt_num(x: Any, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """``0,6`` / ``1 200 290`` in Azerbaijani, ``0.6`` / ``1,200,290`` in English; ``—`` when missing.

    Accepts numbers and numeric strings (``'0.6'``). The Azerbaijani thousands
    separator is a no-break space so a number never wraps across lines.
    """
    v = _as_float(x)
    if v is None:
        return DASH
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    text = format(round(v, digits) + 0.0, f",.{max(digits, 0)}f")  # + 0.0 turns -0.0 into 0.0
    return _localise(text, lang)


def fmt_int(x: Any, lang: str = DEFAULT_LANG) -> str:
    """A whole number with the thousands separator of the language."""
    return fmt_num(x, lang, digits=0)


def fmt_pct(x: Any, lang: str = DEFAULT_LANG, digits: int = 0, *, ratio: bool = False) -> str:
    """``65 %`` (Azerbaijani, no-break space) or ``65%`` (English).

    ``x`` is a percentage (65); pass ``ratio=True`` for a share (0.65).
    """
    v = _as_float(x)
    if v is None:
        return DASH
    number = fmt_num(v * 100 if ratio else v, lang, digits)
    return f"{number}{NBSP}%" if normalise_lang(lang) == "az" else f"{number}%"


def fmt_delta(x: Any, lang: str = DEFAULT_LANG, digits: int = 1, *, pct: bool = False) -> str:
    """A signed change, ``+0,4`` / ``-2 %``; ``—`` when missing. Useful for ``st.metric(delta=...)``."""
    v = _as_float(x)
    if v is None:
        return DASH
    body = fmt_pct(abs(v), lang, digits) if pct else fmt_num(abs(v), lang, digits)
    if round(v, digits) == 0:
        return body
    # ASCII minus: st.metric reads a leading "-" to colour the delta red.
    return ("+" if v > 0 else "-") + body
