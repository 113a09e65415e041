"""The IIIF outputs against the Presentation 3 and Image 3 rules: manifest, collection, info.json."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from epaper.web import Downloads
from synthetic_edition import build_synthetic_site

PRESENTATION = "http://iiif.io/api/presentation/3/context.json"
IMAGE = "http://iiif.io/api/image/3/context.json"
LANG_KEY = re.compile(r"^(none|[a-zA-Z]{2,3}(-[A-Za-z0-9]{1,8})*)$")
XYWH = re.compile(r"^(?P<canvas>[^#]+)#xywh=(?P<x>\d+),(?P<y>\d+),(?P<w>\d+),(?P<h>\d+)$")
ROOT = "https://epaper.example.org/archive/"  # where we pretend the output root is served
DEFAULT_ROOT = "http://127.0.0.1:8000/"  # epaper serve's address: the default base of every id


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_synthetic_site(tmp_path_factory.mktemp("iiif"))


def assert_language_map(value, where: str) -> None:
    assert isinstance(value, dict) and value, f"{where}: a language map is a non-empty object"
    for key, strings in value.items():
        assert LANG_KEY.match(key), f"{where}: {key!r} is not a BCP 47 tag or 'none'"
        assert isinstance(strings, list) and strings and all(isinstance(s, str) for s in strings), where


def resolve(reference: str, document_url: str) -> str:
    return urljoin(document_url, reference)


def edition_base(out_dir: Path, root: str = DEFAULT_ROOT) -> str:
    return f"{root}{out_dir.name}/"


def check_manifest(manifest: dict, out_dir: Path, base: str) -> dict:
    """Validate a manifest served at ``base`` (the edition folder's URL); return {canvas id: canvas}."""
    doc_url = base + "manifest.json"
    assert manifest["@context"] == PRESENTATION
    assert manifest["type"] == "Manifest"
    assert resolve(manifest["id"], doc_url) == doc_url
    assert_language_map(manifest["label"], "manifest.label")
    for entry in manifest.get("metadata", []):
        assert_language_map(entry["label"], "metadata.label")
        assert_language_map(entry["value"], "metadata.value")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["navDate"])
    assert manifest.get("behavior", []) in ([], ["individuals"], ["paged"])
    ids: list[str] = [resolve(manifest["id"], doc_url)]
    canvases: dict[str, dict] = {}
    assert manifest["items"], "a manifest has at least one canvas"
    for canvas in manifest["items"]:
        assert canvas["type"] == "Canvas"
        cid = resolve(canvas["id"], doc_url)
        assert "#" not in cid
        ids.append(cid)
        assert isinstance(canvas["width"], int) and canvas["width"] > 0
        assert isinstance(canvas["height"], int) and canvas["height"] > 0
        assert_language_map(canvas["label"], "canvas.label")
        (annotation_page,) = canvas["items"]
        assert annotation_page["type"] == "AnnotationPage"
        ids.append(resolve(annotation_page["id"], doc_url))
        (annotation,) = annotation_page["items"]
        assert annotation["type"] == "Annotation" and annotation["motivation"] == "painting"
        assert resolve(annotation["target"], doc_url) == cid
        ids.append(resolve(annotation["id"], doc_url))
        body = annotation["body"]
        assert body["type"] == "Image" and body["format"] == "image/jpeg"
        assert (out_dir / resolve(body["id"], doc_url)[len(base):]).is_file()
        (service,) = body["service"]
        assert service["type"] == "ImageService3" and service["profile"] == "level0"
        service_url = resolve(service["id"], doc_url)
        # An image service is anywhere below the output root (a build publishes a page's tiles
        # beside the editions, in OUT/tiles/, for every edition that prints the page).
        root = base.removesuffix(f"{out_dir.name}/")
        assert service_url.startswith(root), service_url
        info_path = out_dir.parent / (service_url[len(root):] + "/info.json")
        check_info(json.loads(info_path.read_text()), service_url, canvas)
        for rendering in canvas.get("rendering", []):
            check_rendering(rendering, out_dir, doc_url, base)
        for see_also in canvas.get("seeAlso", []):
            check_see_also(see_also, out_dir, base)
        for thumb in canvas.get("thumbnail", []):
            assert thumb["type"] == "Image" and (out_dir / resolve(thumb["id"], doc_url)[len(base):]).is_file()
        canvases[cid] = canvas
    for rendering in manifest.get("rendering", []):
        check_rendering(rendering, out_dir, doc_url, base)

    def walk(range_: dict, depth: int) -> None:
        assert range_["type"] == "Range"
        ids.append(resolve(range_["id"], doc_url))
        assert_language_map(range_["label"], "range.label")
        assert range_["items"], "a range is not empty"
        for item in range_["items"]:
            if item["type"] == "Range":
                walk(item, depth + 1)
                continue
            assert item["type"] == "Canvas"
            ref = resolve(item["id"], doc_url)
            match = XYWH.match(ref)
            canvas = canvases.get(match["canvas"] if match else ref)
            assert canvas is not None, f"range item {ref} names no canvas of the manifest"
            if match:
                x, y, w, h = (int(match[k]) for k in "xywh")
                assert w > 0 and h > 0
                assert x + w <= canvas["width"] and y + h <= canvas["height"], ref

    for range_ in manifest.get("structures", []):
        walk(range_, 0)
    assert len(ids) == len(set(ids)), "ids are unique"
    return canvases


def check_rendering(rendering: dict, out_dir: Path, doc_url: str, base: str) -> None:
    assert rendering["type"] in {"Text", "Dataset"}
    assert_language_map(rendering["label"], "rendering.label")
    assert rendering["format"] in {"application/pdf", "text/html"}
    assert rendering["id"].startswith(base)
    assert (out_dir / resolve(rendering["id"], doc_url)[len(base):]).is_file()


def check_see_also(see_also: dict, out_dir: Path, base: str) -> None:
    """The newspaper recipe's link to a canvas's ALTO text (or the edition's METS)."""
    assert see_also["type"] == "Dataset" and see_also["format"] == "application/xml"
    assert see_also["profile"] in {"http://www.loc.gov/standards/alto/", "http://www.loc.gov/METS/"}
    assert see_also["id"].startswith(base) and (out_dir / see_also["id"][len(base):]).is_file()


def check_info(info: dict, service_url: str, canvas: dict | None = None) -> None:
    assert info["@context"] == IMAGE
    assert info["type"] == "ImageService3"
    assert info["protocol"] == "http://iiif.io/api/image"
    assert info["profile"] in {"level0", "level1", "level2"}
    assert resolve(info["id"], service_url + "/info.json") == service_url
    assert isinstance(info["width"], int) and isinstance(info["height"], int)
    if canvas:
        assert (info["width"], info["height"]) == (canvas["width"], canvas["height"])
    for size in info["sizes"]:
        assert 0 < size["width"] <= info["width"] and 0 < size["height"] <= info["height"]
    for tiles in info["tiles"]:
        assert tiles["width"] > 0
        factors = tiles["scaleFactors"]
        assert factors == sorted(set(factors)) and factors[0] == 1


def test_manifest_follows_presentation_3(site):
    manifest = json.loads((site.out_dir / "manifest.json").read_text())
    canvases = check_manifest(manifest, site.out_dir, edition_base(site.out_dir))
    assert len(canvases) == len(site.source.pages)
    assert manifest["navDate"] == "2026-11-28T00:00:00Z"
    # A canvas is the full raster: article fragments are in its pixels.
    first = manifest["items"][0]
    assert (first["width"], first["height"]) == (site.raster.page(1).width, site.raster.page(1).height)


def test_a_range_per_section_and_per_placed_article(site):
    manifest = json.loads((site.out_dir / "manifest.json").read_text())
    sections = {next(iter(r["label"].values()))[0]: r for r in manifest["structures"]}
    assert list(sections) == ["Front", "City", "देश"]
    assert "hi" in sections["देश"]["label"]
    base = edition_base(site.out_dir)
    articles = {
        item["id"][len(base):]: item for r in manifest["structures"] for item in r["items"] if item["type"] == "Range"
    }
    names = {rid.rsplit("/", 1)[-1] for rid in articles}
    placed = {r.article_id for page in site.source.pages for r in page.regions}
    assert {n if n in placed else n for n in names} >= {"harbour-plan", "lighthouse", "market-day", "hindi-news"}
    assert "not-placed" not in names
    # The jumped article points at its boxes on both pages, in canvas pixels.
    harbour = articles["range/article/harbour-plan"]
    targets = [item["id"] for item in harbour["items"]]
    assert [t.split("#")[0] for t in targets] == [base + "canvas/1", base + "canvas/3", base + "canvas/3"]
    box = site.source.pages[0].regions[0].boxes[0]
    scale = site.raster.page(1).scale
    x, y, w, h = map(int, targets[0].split("xywh=")[1].split(","))
    assert x == pytest.approx(box.x * scale, abs=1) and w == pytest.approx(box.w * scale, abs=2)
    assert y == pytest.approx(box.y * scale, abs=1) and h == pytest.approx(box.h * scale, abs=2)
    assert articles["range/article/hindi-news"]["label"] == {"hi": ["दिल्ली में सर्दी का मौसम शुरू"]}


def test_rendering_links_to_the_pdfs(site):
    manifest = json.loads((site.out_dir / "manifest.json").read_text())
    base = edition_base(site.out_dir)
    assert manifest["rendering"][0]["id"] == base + "edition.pdf"
    assert [c["rendering"][0]["id"] for c in manifest["items"]] == [f"{base}pages/{n:03d}.pdf" for n in range(1, 5)]


def test_print_pdfs_alto_and_mets_are_linked_when_the_build_wrote_them(tmp_path):
    """``rendering`` names each page's print PDF and ``seeAlso`` its ALTO (newspaper recipe), once they exist."""
    from epaper.web import write_manifest

    site = build_synthetic_site(tmp_path, workers=1)
    manifest = json.loads((site.out_dir / "manifest.json").read_text())
    assert "seeAlso" not in manifest and all("seeAlso" not in c for c in manifest["items"])
    for folder, suffix in (("print", "pdf"), ("alto", "xml")):
        (site.out_dir / folder).mkdir()
        for n in range(1, 5):
            (site.out_dir / folder / f"{n:03d}.{suffix}").write_text("x")
    (site.out_dir / "mets.xml").write_text("x")
    downloads = Downloads.scan(site.out_dir)
    base = edition_base(site.out_dir)
    write_manifest(site.source.edition, site.source.pages, site.out_dir, raster=site.raster, downloads=downloads,
                   edition_url=base)
    manifest = json.loads((site.out_dir / "manifest.json").read_text())
    check_manifest(manifest, site.out_dir, base)
    for n, canvas in enumerate(manifest["items"], start=1):
        assert [r["id"] for r in canvas["rendering"]] == [f"{base}pages/{n:03d}.pdf", f"{base}print/{n:03d}.pdf"]
        (alto,) = canvas["seeAlso"]
        assert alto["id"] == f"{base}alto/{n:03d}.xml" and alto["profile"] == "http://www.loc.gov/standards/alto/"
    (mets,) = manifest["seeAlso"]
    check_see_also(mets, site.out_dir, base)
    assert_loads_in_iiif_prezi3(manifest, "Manifest")


def test_a_collection_per_title_lists_its_editions_with_navdate(site):
    collection = json.loads((site.out_root / "collection.json").read_text())
    assert collection["@context"] == PRESENTATION and collection["type"] == "Collection"
    assert collection["id"] == DEFAULT_ROOT + "collection.json"
    assert_language_map(collection["label"], "collection.label")
    (title_ref,) = collection["items"]
    assert title_ref["type"] == "Collection" and title_ref["label"] == {"en": [site.source.edition.title]}
    assert title_ref["id"].startswith(DEFAULT_ROOT)
    title = json.loads((site.out_root / title_ref["id"][len(DEFAULT_ROOT):]).read_text())
    assert title["id"] == title_ref["id"] and title["type"] == "Collection"
    (item,) = title["items"]
    assert item["type"] == "Manifest" and item["navDate"] == "2026-11-28T00:00:00Z"
    assert_language_map(item["label"], "collection item label")
    manifest_path = site.out_root / item["id"][len(DEFAULT_ROOT):]
    manifest = json.loads(manifest_path.read_text())
    assert manifest["id"] == item["id"]
    # The issue names its title: partOf, as in the recipe.
    assert manifest["partOf"] == [{"id": title["id"], "type": "Collection", "label": title["label"]}]
    check_manifest(manifest, manifest_path.parent, item["id"].rsplit("/", 1)[0] + "/")


def test_absolute_ids_with_a_base_url(tmp_path):
    site = build_synthetic_site(tmp_path, base_url=ROOT, workers=1)
    base = edition_base(site.out_dir, ROOT)
    manifest = json.loads((site.out_dir / "manifest.json").read_text())
    check_manifest(manifest, site.out_dir, base)
    text = json.dumps(manifest)
    ids = re.findall(r'"id": "([^"]+)"', text)
    own = [i for i in ids if i != manifest["partOf"][0]["id"]]
    assert own and all(i.startswith(base) for i in own), [i for i in own if not i.startswith(base)][:3]
    assert manifest["partOf"][0]["id"] == ROOT + "collections/the-test-courier.json"


def test_every_id_is_absolute_by_default(site):
    """Without --base-url the ids start with epaper serve's address, so any IIIF viewer can load a served build."""
    documents = [site.out_root / "collection.json", *site.out_root.glob("collections/*.json"),
                 site.out_dir / "manifest.json", *site.out_dir.glob("tiles/*/info.json")]
    for path in documents:
        ids = re.findall(r'"(?:id|target)": "([^"]+)"', path.read_text())
        assert ids and all(i.startswith(DEFAULT_ROOT) for i in ids), (path, [i for i in ids if "://" not in i][:3])


def assert_loads_in_iiif_prezi3(document: dict, kind: str) -> None:
    """iiif-prezi3 (the IIIF community's Presentation 3 model, pydantic) accepts the document with no error."""
    import iiif_prezi3

    loaded = getattr(iiif_prezi3, kind)(**document)
    assert loaded.id == document["id"]
    # Round trip: what the library writes back is what we wrote (nothing dropped as unknown).
    assert json.loads(loaded.json())["id"] == document["id"]


def test_iiif_prezi3_loads_the_manifest_and_the_collections(site):
    assert_loads_in_iiif_prezi3(json.loads((site.out_dir / "manifest.json").read_text()), "Manifest")
    assert_loads_in_iiif_prezi3(json.loads((site.out_root / "collection.json").read_text()), "Collection")
    for path in site.out_root.glob("collections/*.json"):
        assert_loads_in_iiif_prezi3(json.loads(path.read_text()), "Collection")


def test_sample_edition_manifest(sample_build):
    """The real sample edition, built once per session by the shared fixture."""
    result, out_root = sample_build
    out_dir = Path(result.out_dir)
    manifest = json.loads((out_dir / "manifest.json").read_text())
    canvases = check_manifest(manifest, out_dir, edition_base(out_dir))
    assert_loads_in_iiif_prezi3(manifest, "Manifest")
    assert_loads_in_iiif_prezi3(json.loads((Path(out_root) / "collection.json").read_text()), "Collection")
    layout = json.loads((out_dir / "layout.json").read_text())
    assert len(canvases) == len(layout["pages"])
    placed = {a["id"] for page in layout["pages"] for a in page["articles"]}
    ranges = {
        item["id"].rsplit("/", 1)[-1] for r in manifest["structures"] for item in r["items"] if item["type"] == "Range"
    }
    assert ranges == placed


def test_the_sample_says_its_rights_and_who_holds_them_to_iiif_and_mets(sample_build):
    """An archive's audit: no rights statement in any manifest or METS. The sample's edition.yaml
    gives one; the manifest carries it as rights and requiredStatement (iiif-prezi3 reads them
    back), METS as MODS accessCondition."""
    import xml.etree.ElementTree as ET

    import iiif_prezi3

    result, _ = sample_build
    out_dir = Path(result.out_dir)
    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert manifest["rights"] == "http://rightsstatements.org/vocab/InC/1.0/"
    attribution = manifest["requiredStatement"]["value"]["en"][0]
    assert attribution.startswith("© 2026 The Aldery Courier")
    loaded = json.loads(iiif_prezi3.Manifest(**manifest).json())
    assert loaded["rights"] == manifest["rights"] and loaded["requiredStatement"] == manifest["requiredStatement"]
    mods = "{http://www.loc.gov/mods/v3}"
    [condition] = ET.parse(out_dir / "mets.xml").getroot().iter(f"{mods}accessCondition")
    assert condition.text == attribution and condition.get("type") == "use and reproduction"
    assert condition.get("{http://www.w3.org/1999/xlink}href") == manifest["rights"]


def test_two_devanagari_titles_have_two_collections_and_a_latin_title_keeps_its_name():
    """An audit: दैनिक उदाहरण and दैनिक नमूना were both slugified to ``collections/edition.json``, so
    collection.json listed two collections with one id and one title's editions in none. A title's
    collection is named as its editions' ids begin."""
    import datetime as dt

    from epaper.model import Edition
    from epaper.web import title_collection_path

    hindi = [title_collection_path(title) for title in ("दैनिक उदाहरण", "दैनिक नमूना")]
    assert len(set(hindi)) == 2 and "collections/edition.json" not in hindi
    assert title_collection_path("The Aldery Courier") == "collections/the-aldery-courier.json"
    edition = Edition(title="दैनिक उदाहरण", date=dt.date(2026, 11, 28), edition="nagar",
                      language="hi", format="broadsheet", sections=(), articles=(), root=Path("."))
    assert hindi[0] == f"collections/{edition.id.split('-2026-')[0]}.json"
